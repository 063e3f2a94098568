/*
 * Tests for src/load: exposition files into the store. Uses the promql
 * fixture (OpenMetrics, T0 = 1700000000, one sample per line) and small
 * files written to a temporary directory for format choice, default
 * timestamps, dropped empty labels and errors with line numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/load.h"
#include "store/labels.h"
#include "store/store.h"
#include "tests/support/fs.h"

struct fixture {
    struct store *st;
    struct diag d;
    char dir[64];
    char path[128];
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    f->st = store_new(7LL * 86400 * 1000, 0);
    if (ts_tmpdir_new(f->dir, sizeof(f->dir), "load") != 0)
        return -1;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    ts_tmpdir_remove(f->dir);
    store_free(f->st);
    free(f);
    return 0;
}

/* Writes text to a file called name in the fixture's directory. */
static const char *
write_file(struct fixture *f, const char *name, const char *text)
{
    FILE *fp;

    if (f->path[0] != '\0')
        unlink(f->path);
    snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, name);
    fp = fopen(f->path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return f->path;
}

/* The newest sample at or before maxt of the series with these labels
 * (name=value pairs, sorted by name, NULL-terminated). */
static bool
last_of(struct fixture *f, const char *const *kv, int64_t maxt,
        struct sample *out)
{
    struct label v[8];
    struct labels ls = { v, 0 };
    uint32_t id;

    for (; kv[0] != NULL; kv += 2, ls.n++) {
        v[ls.n].name = kv[0];
        v[ls.n].value = kv[1];
    }
    return store_series_find(f->st, &ls, &id) &&
        store_last(f->st, id, maxt, out);
}

/* Counts the sample lines of a file: neither empty nor a # line. */
static size_t
count_sample_lines(const char *path)
{
    char line[4096];
    size_t n = 0;
    FILE *fp = fopen(path, "r");

    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp) != NULL)
        if (line[0] != '#' && line[0] != '\n')
            n++;
    fclose(fp);
    return n;
}

static void
test_fixture(void **state)
{
    struct fixture *f = *state;
    static const char *const a80[] = {
        "__name__", "app_in_flight_requests", "instance", "a:80",
        "job", "app", NULL,
    };
    char path[512];
    struct sample s;
    size_t n = 0;

    snprintf(path, sizeof(path), "%s/promql/input.om", ts_testdata());
    assert_int_equal(load_file(f->st, path, 0, &n, &f->d), 0);
    /* Every sample line of the 427 KB file is stored, across chunks. */
    assert_int_equal(n, count_sample_lines(path));
    /* The file's first lines: a:80 is 1 at T0, 3 at T0+30 s. */
    assert_true(last_of(f, a80, 1700000000000LL, &s));
    assert_int_equal(s.t, 1700000000000LL);
    assert_true(s.v == 1);
    assert_true(last_of(f, a80, 1700000040000LL, &s));
    assert_int_equal(s.t, 1700000030000LL);
    assert_true(s.v == 3);
}

static void
test_text_default_timestamp(void **state)
{
    struct fixture *f = *state;
    static const char *const b[] = { "__name__", "b", "x", "y", NULL };
    static const char *const a[] = { "__name__", "a", NULL };
    struct sample s;
    size_t n = 0;
    const char *p = write_file(f, "dump.prom",
                               "# TYPE a gauge\na 1\nb{x=\"y\",e=\"\"} 2 "
                               "5000\n");

    assert_int_equal(load_file(f->st, p, 9000, &n, &f->d), 0);
    assert_int_equal(n, 2);
    assert_true(last_of(f, a, 10000, &s));
    assert_int_equal(s.t, 9000);
    assert_true(s.v == 1);
    /* The empty label e is dropped; the text format's timestamp is ms. */
    assert_true(last_of(f, b, 10000, &s));
    assert_int_equal(s.t, 5000);
    assert_true(s.v == 2);
}

static void
test_openmetrics_by_content(void **state)
{
    struct fixture *f = *state;
    static const char *const x[] = { "__name__", "x_total", NULL };
    struct sample s;
    const char *p = write_file(f, "dump.txt",
                               "# TYPE x counter\nx_total 7 1700000000.5\n"
                               "# EOF\n\n");

    /* Only OpenMetrics reads the timestamp as (fractional) seconds. */
    assert_int_equal(load_file(f->st, p, 0, NULL, &f->d), 0);
    assert_true(last_of(f, x, 1800000000000LL, &s));
    assert_int_equal(s.t, 1700000000500LL);
    assert_true(s.v == 7);
}

static void
test_openmetrics_needs_eof(void **state)
{
    struct fixture *f = *state;
    const char *p = write_file(f, "cut.om", "a 1 1700000000\n");

    /* Named .om, so it is OpenMetrics, and a body cut short is an error. */
    assert_int_equal(load_file(f->st, p, 0, NULL, &f->d), -1);
    assert_string_equal(f->d.source, p);
}

static void
test_syntax_error_line(void **state)
{
    struct fixture *f = *state;
    const char *p = write_file(f, "bad.prom", "a 1\nb 2\nc{ 3\nd 4\n");
    size_t n = 99;

    assert_int_equal(load_file(f->st, p, 0, &n, &f->d), -1);
    assert_string_equal(f->d.source, p);
    assert_int_equal(f->d.line, 3);
    assert_int_equal(n, 2);
}

static void
test_out_of_order(void **state)
{
    struct fixture *f = *state;
    const char *p = write_file(f, "ooo.prom", "a 1 2000\na 2 1000\n");

    assert_int_equal(load_file(f->st, p, 0, NULL, &f->d), -1);
    assert_string_equal(f->d.source, p);
    assert_int_equal(f->d.line, 2);
    assert_non_null(strstr(f->d.msg, "not newer"));
}

static void
test_missing_file(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load_file(f->st, "no/such.om", 0, NULL, &f->d), -1);
    assert_string_equal(f->d.source, "no/such.om");
    assert_non_null(strstr(f->d.msg, "cannot open"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fixture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_default_timestamp, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_openmetrics_by_content, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_openmetrics_needs_eof, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_syntax_error_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
