/*
 * The explore history: the file across two runs (its directory made,
 * mode 0600, repeats kept once, CRLF and blank lines read), the newest
 * HISTORY_MAX kept, an unwritable path, and the Up/Down walk that comes
 * back to the line being typed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "tests/support/fs.h"
#include "ui/history.h"

static char tmpdir[64];

static int
setup(void **state)
{
    (void)state;
    assert_int_equal(ts_tmpdir_new(tmpdir, sizeof tmpdir, "history"), 0);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    assert_int_equal(ts_tmpdir_remove(tmpdir), 0);
    return 0;
}

static void
test_round_trip(void **state)
{
    char *path = xasprintf("%s/state/promdeck/history", tmpdir);
    struct history *h = history_new(path);
    struct stat st;
    char *s;

    (void)state;
    assert_int_equal(history_count(h), 0);
    /* The directory does not exist yet; a repeat is kept once, and
     * nothing empty is kept at all. */
    history_add(h, "a");
    history_add(h, "b");
    history_add(h, "b");
    history_add(h, "");
    history_add(h, "c");
    assert_int_equal(history_count(h), 3);
    assert_int_equal(history_save(h), 0);
    history_free(h);
    s = ts_read_file(path);
    assert_string_equal(s, "a\nb\nc\n");
    free(s);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* The next run reads it back, oldest first. */
    h = history_new(path);
    assert_int_equal(history_count(h), 3);
    assert_string_equal(history_at(h, 0), "a");
    assert_string_equal(history_at(h, 2), "c");
    /* An older entry run again is added as the newest. */
    history_add(h, "a");
    assert_string_equal(history_at(h, 3), "a");
    history_free(h);
    free(path);
}

static void
test_reads_foreign_lines(void **state)
{
    char *path = xasprintf("%s/edited", tmpdir);
    struct history *h;

    (void)state;
    /* A file edited by hand: CRLF ends, blank lines, a repeat. */
    ts_write_file(path, "up\r\n\r\n\nrate(x[5m])\nrate(x[5m])\nlast");
    h = history_new(path);
    assert_int_equal(history_count(h), 3);
    assert_string_equal(history_at(h, 0), "up");
    assert_string_equal(history_at(h, 1), "rate(x[5m])");
    assert_string_equal(history_at(h, 2), "last");
    history_free(h);
    free(path);
    /* No file at all is an empty history; no path never writes. */
    h = history_new(NULL);
    history_add(h, "x");
    assert_int_equal(history_save(h), 0);
    history_free(h);
    history_free(NULL);
}

static void
test_limit(void **state)
{
    char *path = xasprintf("%s/history", tmpdir);
    struct history *h = history_new(path);
    char q[16], *s;
    size_t lines = 0;

    (void)state;
    for (int i = 0; i < HISTORY_MAX + 10; i++) {
        snprintf(q, sizeof q, "q%d", i);
        history_add(h, q);
    }
    assert_int_equal(history_count(h), HISTORY_MAX);
    assert_string_equal(history_at(h, 0), "q10");
    assert_int_equal(history_save(h), 0);
    history_free(h);
    s = ts_read_file(path);
    /* The newest HISTORY_MAX: q10 .. q509. */
    assert_int_equal(strncmp(s, "q10\nq11\n", 8), 0);
    assert_string_equal(s + strlen(s) - 5, "q509\n");
    for (char *p = s; *p != '\0'; p++)
        lines += *p == '\n';
    assert_int_equal(lines, HISTORY_MAX);
    free(s);
    free(path);
}

static void
test_unwritable(void **state)
{
    /* A path under a regular file cannot be created: memory only. */
    char *file = xasprintf("%s/plain", tmpdir);
    char *path = xasprintf("%s/plain/history", tmpdir);
    struct history *h;

    (void)state;
    ts_write_file(file, "");
    h = history_new(path);
    history_add(h, "up");
    assert_int_equal(history_save(h), -1);
    assert_int_equal(history_count(h), 1);
    assert_string_equal(history_at(h, 0), "up");
    history_free(h);
    assert_int_equal(access(path, F_OK), -1);
    free(file);
    free(path);
}

static void
test_walk(void **state)
{
    struct history *h = history_new(NULL);

    (void)state;
    /* Nothing to walk through. */
    assert_null(history_prev(h, "draft"));
    assert_null(history_next(h));
    history_add(h, "a");
    history_add(h, "b");
    history_add(h, "c");
    /* Up walks back in time and stops at the oldest. */
    assert_string_equal(history_prev(h, "draft"), "c");
    assert_string_equal(history_prev(h, "c"), "b");
    assert_string_equal(history_prev(h, "b"), "a");
    assert_null(history_prev(h, "a"));
    /* Down comes forward, then back to the line being typed. */
    assert_string_equal(history_next(h), "b");
    assert_string_equal(history_next(h), "c");
    assert_string_equal(history_next(h), "draft");
    assert_null(history_next(h));
    /* A rewind (the prompt was cleared) starts the walk over. */
    assert_string_equal(history_prev(h, "again"), "c");
    history_rewind(h);
    assert_null(history_next(h));
    assert_string_equal(history_prev(h, ""), "c");
    /* Adding ends the walk too. */
    history_add(h, "d");
    assert_null(history_next(h));
    assert_string_equal(history_prev(h, ""), "d");
    history_free(h);
}

static void
test_walk_without_draft(void **state)
{
    struct history *h = history_new(NULL);

    (void)state;
    history_add(h, "a");
    /* An empty line being typed comes back empty. */
    assert_string_equal(history_prev(h, ""), "a");
    assert_string_equal(history_next(h), "");
    history_free(h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_reads_foreign_lines),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_unwritable),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_walk_without_draft),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
