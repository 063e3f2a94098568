/*
 * The expanding series notation, checked against what Prometheus 2.42's
 * promql/parser (ParseSeriesDesc) expands each form into.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/rules/notation.h"

static struct notation_series s;
static char err[200];

static void
expect(const char *line, const int64_t *t, const double *v, size_t n)
{
    assert_int_equal(notation_parse_line(line, 1, 60000, &s, err,
                                         sizeof(err)), 0);
    assert_int_equal(s.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s.v[i].t, t[i]);
        assert_true(s.v[i].v == v[i]);
    }
}

static void
test_notation_expanding(void **state)
{
    static const int64_t t4[] = { 0, 60000, 120000, 180000 };
    static const double up[] = { 1, 3, 5, 7 }, down[] = { 5, 4, 3, 2 };
    static const double same[] = { 5, 5, 5 };
    static const int64_t tgap[] = { 120000, 180000 };
    static const double gap[] = { 4, 5 };

    (void)state;
    expect("up{job=\"a\"} 1+2x3", t4, up, 4);
    assert_int_equal(s.ls.n, 2);
    assert_string_equal(s.ls.v[0].name, "__name__");
    assert_string_equal(s.ls.v[1].value, "a");
    notation_series_fini(&s);
    expect("x 5-1x3", t4, down, 4);
    notation_series_fini(&s);
    expect("x 5x2", t4, same, 3);
    notation_series_fini(&s);
    /* '_x2' leaves two slots empty, '_' one. */
    expect("x _x2 4 5", tgap, gap, 2);
    notation_series_fini(&s);
    expect("{a=\"b\"} _ _ 4 5", tgap, gap, 2);
    assert_int_equal(s.ls.n, 1);
    notation_series_fini(&s);
    assert_int_equal(notation_parse_line("x 1 stale", 1, 60000, &s, err,
                                         sizeof(err)), 0);
    assert_int_equal(s.n, 2);
    assert_true(store_is_stale(s.v[1].v));
    assert_int_equal(s.v[1].t, 60000);
    notation_series_fini(&s);
}

static void
test_notation_errors(void **state)
{
    (void)state;
    assert_int_equal(notation_parse_line("up{job=\"a\" 0+0x1440", 1, 1000,
                                         &s, err, sizeof(err)), -1);
    assert_int_equal(s.n, 0);
    assert_int_equal(notation_parse_line("x 1+", 1, 1000, &s, err,
                                         sizeof(err)), -1);
    assert_int_equal(notation_parse_line("x 1x", 1, 1000, &s, err,
                                         sizeof(err)), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notation_expanding),
        cmocka_unit_test(test_notation_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
