/*
 * The PromQL lexer: token kinds with their offsets, lines, columns and
 * lengths, number, duration and string decoding, and lexical errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "query/lex.h"

struct expect {
    enum qtok kind;
    size_t off, len;
    int line, col;
};

static void
check_stream(const char *text, const struct expect *want, size_t n)
{
    struct qlex lx;
    struct qtoken t;
    struct diag d;
    size_t i;

    diag_clear(&d);
    qlex_init(&lx, text, strlen(text));
    for (i = 0; i < n; i++) {
        assert_int_equal(qlex_next(&lx, &t, &d), 0);
        assert_int_equal(t.kind, want[i].kind);
        assert_int_equal(t.off, want[i].off);
        assert_int_equal(t.len, want[i].len);
        assert_int_equal(t.line, want[i].line);
        assert_int_equal(t.col, want[i].col);
    }
}

static void
test_selector_tokens(void **state)
{
    static const struct expect want[] = {
        {QT_IDENT, 0, 4, 1, 1},         /* rate */
        {QT_LPAREN, 4, 1, 1, 5},
        {QT_IDENT, 5, 8, 1, 6},         /* http:req */
        {QT_LBRACE, 13, 1, 1, 14},
        {QT_IDENT, 14, 3, 1, 15},       /* job */
        {QT_EQL_REGEX, 17, 2, 1, 18},
        {QT_STRING, 19, 5, 1, 20},      /* "a.*" */
        {QT_RBRACE, 24, 1, 1, 25},
        {QT_LBRACKET, 25, 1, 1, 26},
        {QT_DURATION, 26, 5, 1, 27},    /* 1h30m */
        {QT_RBRACKET, 31, 1, 1, 32},
        {QT_RPAREN, 32, 1, 1, 33},
        {QT_EOF, 33, 0, 1, 34},
    };

    (void)state;
    check_stream("rate(http:req{job=~\"a.*\"}[1h30m])", want,
                 sizeof(want) / sizeof(want[0]));
}

static void
test_lines_and_comments(void **state)
{
    static const struct expect want[] = {
        {QT_SUM, 0, 3, 1, 1},
        {QT_BY, 14, 2, 2, 3},           /* after a comment and newline */
        {QT_LPAREN, 17, 1, 2, 6},
        {QT_IDENT, 18, 1, 2, 7},
        {QT_RPAREN, 19, 1, 2, 8},
        {QT_EOF, 20, 0, 2, 9},
    };

    (void)state;
    check_stream("SUM # total\n  By (a)", want,
                 sizeof(want) / sizeof(want[0]));
}

static void
test_operators(void **state)
{
    static const struct expect want[] = {
        {QT_EQLC, 0, 2, 1, 1}, {QT_NEQ, 3, 2, 1, 4},
        {QT_LTE, 6, 2, 1, 7}, {QT_GTE, 9, 2, 1, 10},
        {QT_NEQ_REGEX, 12, 2, 1, 13}, {QT_LSS, 15, 1, 1, 16},
        {QT_POW, 17, 1, 1, 18}, {QT_MOD, 19, 1, 1, 20},
        {QT_AT, 21, 1, 1, 22}, {QT_COLON, 22, 1, 1, 23},
        {QT_LUNLESS, 24, 6, 1, 25}, {QT_ATAN2, 31, 5, 1, 32},
        {QT_GROUP_LEFT, 37, 10, 1, 38},
    };

    (void)state;
    check_stream("== != <= >= !~ < ^ % @: unless atan2 group_left", want,
                 sizeof(want) / sizeof(want[0]));
}

/* A number that must read without error. */
static double
number(const char *s)
{
    double v = -1;

    if (qlex_number(s, strlen(s), &v) != 0)
        fail_msg("%s: refused", s);
    return v;
}

static void
test_numbers(void **state)
{
    static const struct expect want[] = {
        {QT_NUMBER, 0, 4, 1, 1}, {QT_NUMBER, 5, 2, 1, 6},
        {QT_NUMBER, 8, 2, 1, 9}, {QT_NUMBER, 11, 6, 1, 12},
        {QT_NUMBER, 18, 3, 1, 19}, {QT_NUMBER, 22, 3, 1, 23},
        {QT_DURATION, 26, 3, 1, 27},
    };

    (void)state;
    check_stream("0x1F .5 5. 1.5e-3 Inf nAn 5ms", want,
                 sizeof(want) / sizeof(want[0]));
    assert_true(number("0x1F") == 31);
    assert_true(number(".5") == 0.5);
    assert_true(number("5.") == 5);
    assert_true(number("1.5e-3") == 1.5e-3);
    assert_true(isinf(number("Inf")));
    assert_true(isnan(number("nAn")));
}

/*
 * Numbers as Prometheus's parser reads them: strconv.ParseInt(s, 0, 64)
 * first (so a leading 0 means octal), then strconv.ParseFloat, whose
 * overflow is an error and whose underflow is 0.
 */
static void
test_number_ranges(void **state)
{
    char big[400];
    double v = -1;

    (void)state;
    assert_true(number("010") == 8);
    assert_true(number("0777") == 511);
    assert_true(number("08") == 8);             /* no octal: decimal */
    assert_true(number("00.5") == 0.5);
    assert_true(number("0x7fffffffffffffff") == 9223372036854775807.0);
    assert_int_equal(qlex_number("0x8000000000000000", 18, &v),
                     QLEX_INVALID);
    assert_true(number("99999999999999999999") == 1e20);
    assert_true(number("1e-400") == 0);
    assert_int_equal(qlex_number("1e309", 5, &v), QLEX_RANGE);
    /* Longer than any fixed buffer: still read whole. */
    memset(big, '9', 300);
    big[300] = '\0';
    assert_true(number(big) == 1e300);
    memset(big, '9', 320);
    big[320] = '\0';
    assert_int_equal(qlex_number(big, 320, &v), QLEX_RANGE);
}

static void
test_durations(void **state)
{
    (void)state;
    assert_int_equal(qlex_duration("5m", 2), 300000);
    assert_int_equal(qlex_duration("1h30m", 5), 5400000);
    assert_int_equal(qlex_duration("1y", 2), 365LL * 86400000);
    assert_int_equal(qlex_duration("2w1d", 4), 15LL * 86400000);
    assert_int_equal(qlex_duration("1s500ms", 7), 1500);
    assert_int_equal(qlex_duration("30m1h", 5), QLEX_INVALID);
    assert_int_equal(qlex_duration("1m1m", 4), QLEX_INVALID);
}

/*
 * Go's time.Duration (int64 nanoseconds) bounds Prometheus's durations:
 * model.ParseDuration refuses more than 2^63-1 ns ("duration out of
 * range"), 292 years and some. Nothing may wrap around.
 */
static void
test_duration_ranges(void **state)
{
    (void)state;
    assert_int_equal(qlex_duration("292y", 4), 292LL * 365 * 86400000);
    assert_int_equal(qlex_duration("293y", 4), QLEX_RANGE);
    assert_int_equal(qlex_duration("9223372036854ms", 15), 9223372036854LL);
    assert_int_equal(qlex_duration("9223372036855ms", 15), QLEX_RANGE);
    assert_int_equal(qlex_duration("9223372036s", 11), 9223372036000LL);
    assert_int_equal(qlex_duration("9223372037s", 11), QLEX_RANGE);
    /* Each unit within range, the sum not. */
    assert_int_equal(qlex_duration("292y30w", 7), QLEX_RANGE);
    assert_int_equal(qlex_duration("99999999999999999999s", 21), QLEX_RANGE);
    assert_int_equal(qlex_duration("9999999999y", 11), QLEX_RANGE);
    /* 2^64 + 1: with wrapping arithmetic this was a 1 ms window. */
    assert_int_equal(qlex_duration("18446744073709551617ms", 22),
                     QLEX_RANGE);
}

static void
test_strings(void **state)
{
    struct arena *a = arena_new();
    size_t bad = 0;
    const char *s;

    (void)state;
    s = qlex_unquote(a, "\"a\\n\\\"b\\x41\\u00e9\\101\"", 22, &bad);
    assert_non_null(s);
    assert_string_equal(s, "a\n\"bA\xc3\xa9" "A");
    s = qlex_unquote(a, "'it\\'s'", 7, &bad);
    assert_string_equal(s, "it's");
    s = qlex_unquote(a, "`a\\d+`", 6, &bad);
    assert_string_equal(s, "a\\d+");
    assert_null(qlex_unquote(a, "\"\\q\"", 4, &bad));
    assert_int_equal(bad, 1);
    arena_free(a);
}

static void
expect_error(const char *text, int col, const char *msg)
{
    struct qlex lx;
    struct qtoken t;
    struct diag d;
    int rc;

    diag_clear(&d);
    qlex_init(&lx, text, strlen(text));
    while ((rc = qlex_next(&lx, &t, &d)) == 0 && t.kind != QT_EOF)
        ;
    assert_int_equal(rc, -1);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, col);
    assert_string_equal(d.msg, msg);
}

static void
test_errors(void **state)
{
    (void)state;
    expect_error("x[5x]", 3, "bad number or duration syntax: \"5x\"");
    expect_error("x[5m1h]", 3, "bad number or duration syntax: \"5m1h\"");
    expect_error("a $ b", 3, "unexpected character: '$'");
    expect_error("x{a=\"b}", 5, "unterminated quoted string");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selector_tokens),
        cmocka_unit_test(test_lines_and_comments),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_ranges),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_duration_ranges),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
