/*
 * Data directories: the order they are searched in ($XDG_CONFIG_HOME or
 * ~/.config, beside the executable, its ../share/promdeck, the build's
 * data directory), what happens without a configuration home, and which
 * file a name with optional suffixes finds.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/datadir.h"
#include "tests/support/fs.h"

static const char *const suffixes[] = { "", ".yaml", ".yml", NULL };

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);

    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* The directory this test binary runs from, as datadir sees it. */
static void
exe_dir(char *out, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", out, n - 1);

    assert_true(len > 0);
    out[len] = '\0';
    *strrchr(out, '/') = '\0';
}

static void
free_all(char **dirs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
}

static void
test_search_order(void **state)
{
    char *dirs[8], exe[PATH_MAX], want[PATH_MAX + 64];
    size_t n;

    (void)state;
    exe_dir(exe, sizeof exe);
    setenv("XDG_CONFIG_HOME", "/cfg", 1);
    n = datadir_search_dirs("dashboards", dirs, 8);
    assert_int_equal(n, 4);
    assert_string_equal(dirs[0], "/cfg/promdeck/dashboards");
    snprintf(want, sizeof want, "%s/dashboards", exe);
    assert_string_equal(dirs[1], want);
    snprintf(want, sizeof want, "%s/../share/promdeck/dashboards", exe);
    assert_string_equal(dirs[2], want);
    assert_true(dirs[3][0] == '/');
    assert_true(ends_with(dirs[3], "/dashboards"));
    free_all(dirs, n);
    unsetenv("XDG_CONFIG_HOME");
}

/* A relative XDG_CONFIG_HOME is ignored; without HOME too, the
 * configuration directory is left out. */
static void
test_config_home_fallbacks(void **state)
{
    char *dirs[8], *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    size_t n;

    (void)state;
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    setenv("HOME", "/home/someone", 1);
    n = datadir_search_dirs("themes", dirs, 8);
    assert_int_equal(n, 4);
    assert_string_equal(dirs[0], "/home/someone/.config/promdeck/themes");
    free_all(dirs, n);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    n = datadir_search_dirs("themes", dirs, 8);
    assert_int_equal(n, 3);
    assert_true(ends_with(dirs[0], "/themes"));
    assert_null(strstr(dirs[0], ".config"));
    free_all(dirs, n);
    if (home != NULL)
        setenv("HOME", home, 1);
    free(home);
}

/* Fewer slots than directories: the first ones, in order. */
static void
test_max(void **state)
{
    char *dirs[2];

    (void)state;
    setenv("XDG_CONFIG_HOME", "/cfg", 1);
    assert_int_equal(datadir_search_dirs("themes", dirs, 2), 2);
    assert_string_equal(dirs[0], "/cfg/promdeck/themes");
    assert_true(ends_with(dirs[1], "/themes"));
    free_all(dirs, 2);
    assert_int_equal(datadir_search_dirs("themes", dirs, 0), 0);
    unsetenv("XDG_CONFIG_HOME");
}

static void
test_find(void **state)
{
    char dir[256], path[512], *found;

    (void)state;
    assert_int_equal(ts_tmpdir_new(dir, sizeof dir, "datadir"), 0);
    setenv("XDG_CONFIG_HOME", dir, 1);
    snprintf(path, sizeof path, "%s/promdeck", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/promdeck/dashboards", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    /* b is a directory, not a file: b.yml is what -d b means. */
    snprintf(path, sizeof path, "%s/promdeck/dashboards/b", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/promdeck/dashboards/b.yml", dir);
    ts_write_file(path, "b");
    snprintf(path, sizeof path, "%s/promdeck/dashboards/a.yaml", dir);
    ts_write_file(path, "a");

    found = datadir_find("dashboards", "a", suffixes);
    assert_string_equal(found, path);
    free(found);
    found = datadir_find("dashboards", "a.yaml", suffixes);
    assert_string_equal(found, path);
    free(found);
    found = datadir_find("dashboards", "b", suffixes);
    snprintf(path, sizeof path, "%s/promdeck/dashboards/b.yml", dir);
    assert_string_equal(found, path);
    free(found);
    assert_null(datadir_find("dashboards", "c", suffixes));
    assert_null(datadir_find("themes", "a", suffixes));

    assert_int_equal(ts_tmpdir_remove(dir), 0);
    unsetenv("XDG_CONFIG_HOME");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_order),
        cmocka_unit_test(test_config_home_fallbacks),
        cmocka_unit_test(test_max),
        cmocka_unit_test(test_find),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
