/*
 * libFuzzer harness for promtool unit-test files (promdeck test rules):
 * the input is a test file, run with unittest_run as the command runs
 * one. It is written to a private folder that also holds the rule files
 * of tests/data/rules/conformance (as links, made once), so that a
 * test's rule_files entries name real rules and its alert and PromQL
 * tests evaluate them. A run passes or fails with at least one error
 * text, never more than it can hold; nothing else is checked: the
 * answers themselves are the conformance suite's.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/rules/unittest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RULES_DIR "tests/data/rules/conformance"

static char dir[PATH_MAX];
static char test_path[PATH_MAX + 16];

static void
remove_dir(void)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char path[PATH_MAX + 300];

    if (dp == NULL)
        return;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(dp);
    rmdir(dir);
}

/* The folder, with a link to each rule file of RULES_DIR (if found). */
static void
setup(void)
{
    const char *tmp = getenv("TMPDIR");
    char src[PATH_MAX + 300], dst[PATH_MAX + 300], cwd[PATH_MAX];
    struct dirent *e;
    DIR *dp;

    snprintf(dir, sizeof(dir), "%s/promdeck-fuzz-unittest-XXXXXX",
             tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
        abort();
    atexit(remove_dir);
    snprintf(test_path, sizeof(test_path), "%s/test.yml", dir);
    if ((dp = opendir(RULES_DIR)) == NULL)
        return;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.' || strstr(e->d_name, "test") != NULL)
            continue;
        snprintf(src, sizeof(src), "%s/%s/%s", cwd, RULES_DIR, e->d_name);
        snprintf(dst, sizeof(dst), "%s/%s", dir, e->d_name);
        if (symlink(src, dst) != 0)
            abort();
    }
    closedir(dp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct unittest_result res;
    FILE *f;
    int rc;

    if (test_path[0] == '\0')
        setup();
    if ((f = fopen(test_path, "wb")) == NULL)
        abort();
    if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    rc = unittest_run(test_path, &res);
    if ((rc == 0) != (res.n == 0) || (rc != 0 && rc != -1))
        abort();
    for (size_t i = 0; i < res.n; i++)
        if (res.errors[i] == NULL)
            abort();
    unittest_result_fini(&res);
    return 0;
}
