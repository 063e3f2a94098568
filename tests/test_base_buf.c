/*
 * Tests for the growable buffer: the ceiling, printf, stealing, and
 * buf_read_file's contents and its three errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/buf.h"
#include "src/base/diag.h"
#include "tests/support/fs.h"

static void
test_ceiling(void **state)
{
    struct buf b;
    char *s;

    (void)state;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "abcd"), 0);
    assert_int_equal(buf_printf(&b, "%d", 123), 0);
    assert_string_equal(buf_str(&b), "abcd123");
    /* Two more bytes would pass the ceiling: nothing is appended. */
    assert_int_equal(buf_puts(&b, "xy"), -1);
    assert_string_equal(buf_str(&b), "abcd123");
    s = buf_steal(&b);
    assert_string_equal(s, "abcd123");
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_str(&b), "");
    free(s);
    buf_fini(&b);
}

static void
test_read_file(void **state)
{
    char dir[256], path[300], missing[300];
    struct buf b;
    struct diag d;

    (void)state;
    assert_int_equal(ts_tmpdir_new(dir, sizeof(dir), "buf"), 0);
    snprintf(path, sizeof(path), "%s/f.txt", dir);
    snprintf(missing, sizeof(missing), "%s/none.txt", dir);
    ts_write_file(path, "line one\nline two\n");

    assert_int_equal(buf_read_file(&b, path, 0, &d), 0);
    assert_int_equal(b.len, 18);
    assert_string_equal(buf_str(&b), "line one\nline two\n");
    buf_fini(&b);

    /* Exactly at the ceiling is fine; one byte over is an error. */
    assert_int_equal(buf_read_file(&b, path, 18, &d), 0);
    buf_fini(&b);
    assert_int_equal(buf_read_file(&b, path, 17, &d), -1);
    assert_int_equal(b.len, 0);
    assert_string_equal(d.msg, "larger than 17 bytes");
    assert_string_equal(d.source, path);
    assert_int_equal(d.line, 0);
    buf_fini(&b);

    assert_int_equal(buf_read_file(&b, missing, 0, &d), -1);
    assert_string_equal(d.msg, "cannot open: No such file or directory");
    assert_string_equal(d.source, missing);
    buf_fini(&b);

    /* A directory opens but cannot be read. */
    assert_int_equal(buf_read_file(&b, dir, 0, &d), -1);
    assert_non_null(strstr(d.msg, "cannot read: "));
    buf_fini(&b);

    /* Without a diag the error is only the return value. */
    assert_int_equal(buf_read_file(&b, missing, 0, NULL), -1);
    buf_fini(&b);
    assert_int_equal(ts_tmpdir_remove(dir), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ceiling),
        cmocka_unit_test(test_read_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
