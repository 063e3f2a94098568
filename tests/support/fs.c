/*
 * Test support for files: the test data folder, temporary directories
 * and whole-file writes and reads for fixtures. Paths are the tests'
 * choice; nothing here picks a file name but the temporary directory's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/support/fs.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"

const char *
ts_testdata(void)
{
    const char *t = getenv("TESTDATA");

    return t != NULL && *t != '\0' ? t : "tests/data";
}

int
ts_tmpdir_new(char *dir, size_t size, const char *tag)
{
    int n = snprintf(dir, size, "/tmp/promdeck-%s-XXXXXX", tag);

    if (n < 0 || (size_t)n >= size)
        return -1;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

int
ts_tmpdir_remove(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);

    free(cmd);
    return rc == 0 ? 0 : -1;
}

void
ts_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

char *
ts_read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    struct buf b;
    char tmp[256];
    size_t n;

    assert_non_null(f);
    buf_init(&b, 0);
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, n);
    fclose(f);
    return buf_steal(&b);
}
