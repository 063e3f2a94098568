/*
 * The PromQL parser: precedence and associativity (checked on the shape
 * of the tree), modifiers, keywords used as names, static types, and
 * every class of error with its line, column, span and message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query/parse.h"
#include "tests/support/fs.h"

/* Writes the tree as nested (op lhs rhs) groups, to compare shapes. */
static void
show(const struct qnode *n, struct buf *out)
{
    size_t i;

    switch (n->kind) {
    case QN_NUMBER:
        buf_printf(out, "%g", n->num);
        break;
    case QN_STRING:
        buf_printf(out, "\"%s\"", n->str);
        break;
    case QN_SELECTOR:
        buf_printf(out, "%s", n->name ? n->name : "{}");
        if (n->range)
            buf_printf(out, "[%lld]", (long long)n->range);
        break;
    case QN_PAREN:
        show(n->lhs, out);
        break;
    case QN_UNARY:
        buf_printf(out, "(%s ", qlex_kind_name(n->op));
        show(n->lhs, out);
        buf_puts(out, ")");
        break;
    case QN_BINARY:
        buf_printf(out, "(%s ", qlex_kind_name(n->op));
        show(n->lhs, out);
        buf_puts(out, " ");
        show(n->rhs, out);
        buf_puts(out, ")");
        break;
    case QN_CALL:
        buf_printf(out, "%s(", n->fn->name);
        for (i = 0; i < n->nargs; i++) {
            if (i)
                buf_puts(out, " ");
            show(n->args[i], out);
        }
        buf_puts(out, ")");
        break;
    case QN_AGG:
        buf_printf(out, "%s(", qlex_kind_name(n->op));
        show(n->lhs, out);
        buf_puts(out, ")");
        break;
    case QN_SUBQUERY:
        show(n->lhs, out);
        buf_printf(out, "[%lld:%lld]", (long long)n->range,
                   (long long)n->step);
        break;
    }
}

static void
check_shape(const char *text, const char *want)
{
    struct diag d;
    struct query *q;
    struct buf b;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    if (q == NULL)
        fail_msg("%s: %d:%d: %s", text, d.line, d.col, d.msg);
    buf_init(&b, 0);
    show(qparse_root(q), &b);
    if (strcmp(buf_str(&b), want) != 0)
        fail_msg("%s: got %s, want %s", text, buf_str(&b), want);
    buf_fini(&b);
    qparse_free(q);
}

static void
test_precedence(void **state)
{
    (void)state;
    check_shape("2 ^ 3 ^ 2", "('^' 2 ('^' 3 2))");
    check_shape("-2 ^ 2", "('-' ('^' 2 2))");
    check_shape("-a * b", "('*' ('-' a) b)");
    check_shape("1 + 2 * 3", "('+' 1 ('*' 2 3))");
    check_shape("1 - 2 - 3", "('-' ('-' 1 2) 3)");
    check_shape("a or b and c", "(or a (and b c))");
    check_shape("a unless b or c", "(or (unless a b) c)");
    check_shape("a > b + c", "('>' a ('+' b c))");
    check_shape("a atan2 b ^ c", "(atan2 a ('^' b c))");
    check_shape("a % b * c", "('*' ('%' a b) c)");
    check_shape("(1 + 2) * 3", "('*' ('+' 1 2) 3)");
    check_shape("-1", "-1");
    check_shape("- - 1", "1");
}

static void
test_constructs(void **state)
{
    (void)state;
    check_shape("sum by (job) (rate(x[5m]))", "sum(rate(x[300000]))");
    check_shape("sum(rate(x[5m])) without (job)", "sum(rate(x[300000]))");
    check_shape("topk(3, x)", "topk(x)");
    check_shape("count_values(\"v\", x)", "count_values(x)");
    check_shape("rate(x[5m])[30m:1m]", "rate(x[300000])[1800000:60000]");
    check_shape("max_over_time((x)[5m:])",
                "max_over_time(x[300000:0])");
    check_shape("x offset -5m", "x");
    check_shape("x @ start()", "x");
    check_shape("label_join(x, \"a\", \",\", \"b\", \"c\",)",
                "label_join(x \"a\" \",\" \"b\" \"c\")");
    /* Keywords stand as metric and label names where PromQL allows. */
    check_shape("sum", "sum");
    check_shape("by{offset=\"1\"}", "by");
    check_shape("sum by (on, by) (x)", "sum(x)");
    check_shape("SUM(x) BY (job) AND ON (dummy) y", "(and sum(x) y)");
    check_shape("x{a=\"b\",}", "x");
}

static void
test_modifiers(void **state)
{
    struct diag d;
    struct query *q;
    const struct qnode *n;
    const char *text = "a / on(x, y) group_left(z) b offset 1m @ 100.5";

    (void)state;
    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    assert_non_null(q);
    n = qparse_root(q);
    assert_int_equal(n->kind, QN_BINARY);
    assert_true(n->has_matching && n->on);
    assert_int_equal(n->matching.n, 2);
    assert_string_equal(n->matching.v[1], "y");
    assert_int_equal(n->card, 1);
    assert_string_equal(n->include.v[0], "z");
    assert_int_equal(n->rhs->offset, 60000);
    assert_int_equal(n->rhs->at, QAT_TIME);
    assert_int_equal(n->rhs->at_t, 100500);
    assert_int_equal(n->type, QV_VECTOR);
    qparse_free(q);
}

static void
check_type(const char *text, enum qvalue_type want)
{
    struct diag d;
    struct query *q;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    if (q == NULL)
        fail_msg("%s: %s", text, d.msg);
    assert_int_equal(qparse_type(q), want);
    assert_string_equal(qparse_text(q), text);
    qparse_free(q);
}

static void
test_types(void **state)
{
    (void)state;
    check_type("1 + 2", QV_SCALAR);
    check_type("x + 2", QV_VECTOR);
    check_type("x[5m]", QV_MATRIX);
    check_type("x[5m:]", QV_MATRIX);
    check_type("\"s\"", QV_STRING);
    check_type("scalar(x)", QV_SCALAR);
    check_type("time()", QV_SCALAR);
    check_type("1 > bool 2", QV_SCALAR);
    check_type("hour()", QV_VECTOR);
}

static void
check_error(const char *text, int line, int col, int span, const char *msg)
{
    struct diag d;
    struct query *q;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    if (q != NULL)
        fail_msg("%s: parsed, expected an error", text);
    if (strcmp(d.msg, msg) != 0 || d.line != line || d.col != col ||
        d.span != span)
        fail_msg("%s: got %d:%d+%d %s", text, d.line, d.col, d.span, d.msg);
}

static void
test_hints(void **state)
{
    struct diag d;

    (void)state;
    diag_clear(&d);
    assert_null(qparse_query("rate(x{a=\"b\"})", 14, &d));
    assert_string_equal(d.hint, "add a range to the selector, as in "
                        "x{a=\"b\"}[5m]");
    assert_null(qparse_query("sum(x) by (a", 12, &d));
    assert_string_equal(d.msg, "expected ',' or ')' in label list, found "
                        "end of input");
    assert_null(qparse_query("sum(x by (a)", 12, &d));
    assert_string_equal(d.hint, "a by/without clause goes before '(' or "
                        "after the closing ')'");
}

static void
test_errors(void **state)
{
    (void)state;
    check_error("sum(rate(x[5m]) by (job)", 1, 17, 2,
                "expected ')' after the aggregation argument, found 'by'");
    check_error("rate(x)", 1, 6, 1, "expected type range vector in call to "
                "function \"rate\", got instant vector");
    check_error("rate(\n  foo{a=\"b\"})", 2, 3, 10, "expected type range "
                "vector in call to function \"rate\", got instant vector");
    check_error("{a=\"\"}", 1, 1, 6, "vector selector must contain at least "
                "one non-empty matcher");
    check_error("x{a=~\".*\"}[5m] offset", 1, 22, 1, "expected duration "
                "after 'offset', found end of input");
    check_error("foo bar", 1, 5, 3,
                "expected an operator or end of input, found 'bar'");
    check_error("1 > 2", 1, 3, 1,
                "comparisons between scalars must use BOOL modifier");
    check_error("1 and 2", 1, 3, 3,
                "set operator \"and\" not allowed in binary scalar "
                "expression");
    check_error("x + on(a) 1", 1, 3, 1,
                "vector matching only allowed between instant vectors");
    check_error("nosuch(x)", 1, 1, 6,
                "unknown function with name \"nosuch\"");
    check_error("round()", 1, 1, 7, "expected at least 1 argument(s) in "
                "call to \"round\", got 0");
    check_error("abs(x, y)", 1, 1, 9, "expected 1 argument(s) in call to "
                "\"abs\", got 2");
    check_error("sum(x[5m])", 1, 5, 5, "expected type instant vector in "
                "aggregation expression, got range vector");
    check_error("topk(\"a\", x)", 1, 6, 3, "expected type scalar in "
                "aggregation parameter, got string");
    check_error("x[5m][1m]", 1, 1, 5, "ranges only allowed for vector "
                "selectors");
    check_error("x offset 1m offset 2m", 1, 13, 6,
                "offset may not be set multiple times");
    check_error("foo{__name__=\"bar\"}", 1, 1, 19,
                "metric name must not be set twice: \"foo\" or \"bar\"");
    check_error("x{a=b}", 1, 5, 1, "expected string after label matching "
                "operator, found 'b'");
    check_error("x{a==\"b\"}", 1, 4, 2, "expected label matching operator "
                "('=', '!=', '=~' or '!~'), found '=='");
    check_error("x[5x]", 1, 3, 2, "bad number or duration syntax: \"5x\"");
    check_error("x{a=~\"(\"}", 1, 6, 3, "invalid regular expression "
                "\"(\": missing closing parenthesis");
    check_error("1 + bool 2", 1, 3, 1,
                "bool modifier can only be used on comparison operators");
    check_error("(1", 1, 3, 1, "expected ')', found end of input");
    check_error("x[1m:]]", 1, 7, 1, "expected an operator or end of input, "
                "found ']'");
    check_error("sum by (a:b) (x)", 1, 9, 3, "expected label name, found "
                "'a:b'; ':' is only allowed in metric names");
    check_error("x{a:b=\"1\"}", 1, 3, 3, "expected label name, found "
                "'a:b'; ':' is only allowed in metric names");
    check_error("-\"a\"", 1, 2, 3, "unary expression only allowed on "
                "expressions of type scalar or instant vector");
}

/* n copies of pre, then core, then n copies of post (malloc'd). */
static char *
nest(const char *pre, size_t n, const char *core, const char *post)
{
    struct buf b;
    size_t i;

    buf_init(&b, 0);
    for (i = 0; i < n; i++)
        buf_puts(&b, pre);
    buf_puts(&b, core);
    for (i = 0; i < n; i++)
        buf_puts(&b, post);
    return buf_steal(&b);
}

static void
check_parses(const char *text)
{
    struct diag d;
    struct query *q;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    if (q == NULL)
        fail_msg("%.60s...: %d:%d %s", text, d.line, d.col, d.msg);
    qparse_free(q);
}

/*
 * Nesting is bounded (QPARSE_MAX_DEPTH levels, the outermost expression
 * counting as one), so no input exhausts the stack: the error names the
 * token where the limit is crossed. A chain of left-associative
 * operators does not nest, so its length has no limit.
 */
static void
test_depth(void **state)
{
    static const char deep[] = "expression nests too deeply (more than "
                                "1024 levels)";
    char *t;

    (void)state;
    assert_int_equal(QPARSE_MAX_DEPTH, 1024);
    check_parses(t = nest("(", 1023, "1", ")"));
    free(t);
    check_error(t = nest("(", 1024, "1", ")"), 1, 1025, 1, deep);
    free(t);
    check_error(t = nest("(", 50000, "1", ")"), 1, 1025, 1, deep);
    free(t);
    check_error(t = nest("-", 100000, "1", ""), 1, 1025, 1, deep);
    free(t);
    check_error(t = nest("- ", 100000, "1", ""), 1, 2049, 1, deep);
    free(t);
    /* 1^1^...: right-associative, so each ^ nests. */
    check_error(t = nest("1^", 20000, "1", ""), 1, 2049, 1, deep);
    free(t);
    check_error(t = nest("abs(", 5000, "x", ")"), 1, 4097, 3, deep);
    free(t);
    check_parses(t = nest("1+", 20000, "1", ""));
    free(t);
    check_parses(t = nest("x or ", 20000, "x", ""));
    free(t);
    check_shape("1 - 2 - 3 - 4", "('-' ('-' ('-' 1 2) 3) 4)");
}

/*
 * Numbers and durations as Prometheus 2.42 reads them, and its errors
 * for the ones out of range (model.ParseDuration, parser.number, the @
 * bound), at the token's position.
 */
static void
test_ranges(void **state)
{
    (void)state;
    check_error("x[99999999999999999999s]", 1, 3, 21,
                "duration out of range");
    check_error("x[9999999999y]", 1, 3, 11, "duration out of range");
    check_error("rate(x[18446744073709551617ms])", 1, 8, 22,
                "duration out of range");
    check_error("x offset 293y", 1, 10, 4, "duration out of range");
    check_error("x[5m:99999999999999999999s]", 1, 6, 21,
                "duration out of range");
    check_error("foo[0m]", 1, 5, 2, "duration must be greater than 0");
    check_error("x offset 0s", 1, 10, 2, "duration must be greater than 0");
    check_error("1e309", 1, 1, 5, "error parsing number: strconv.ParseFloat:"
                " parsing \"1e309\": value out of range");
    check_error("0x8000000000000000", 1, 1, 18, "error parsing number: "
                "strconv.ParseFloat: parsing \"0x8000000000000000\": "
                "invalid syntax");
    check_error("foo @ +Inf", 1, 8, 3,
                "timestamp out of bounds for @ modifier: +Inf");
    check_error("foo @ -Inf", 1, 8, 3,
                "timestamp out of bounds for @ modifier: -Inf");
    check_error("foo @ NaN", 1, 7, 3,
                "timestamp out of bounds for @ modifier: NaN");
    check_error("foo @ 9300000000000000", 1, 7, 16, "timestamp out of bounds "
                "for @ modifier: 9300000000000000.000000");
    check_parses("x @ -9.2e15 offset 292y");
    check_parses("x[292y]");
}

/* Strips the newline; false at the end of the file. */
static bool
read_line(FILE *f, char *line, size_t size)
{
    if (fgets(line, (int)size, f) == NULL)
        return false;
    line[strcspn(line, "\n")] = '\0';
    return true;
}

/* Every block of tests/data/promql/parse-errors.txt. */
static void
test_error_file(void **state)
{
    const char *dir = ts_testdata();
    char path[512], query[1024], want[1024], got[1200];
    struct diag d;
    struct query *q;
    FILE *f;
    int cases = 0, failed = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s/promql/parse-errors.txt", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    while (read_line(f, query, sizeof(query))) {
        if (query[0] == '\0' || query[0] == '#')
            continue;
        assert_true(read_line(f, want, sizeof(want)));
        diag_clear(&d);
        q = qparse_query(query, strlen(query), &d);
        snprintf(got, sizeof(got), "%d:%d+%d: %s", d.line, d.col, d.span,
                 d.msg);
        cases++;
        if (q != NULL || strcmp(got, want) != 0) {
            print_error("%s\n  want %s\n  got  %s\n", query, want,
                        q ? "(parsed)" : got);
            failed++;
        }
        qparse_free(q);
    }
    fclose(f);
    assert_true(cases >= 40);
    assert_int_equal(failed, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_constructs),
        cmocka_unit_test(test_modifiers),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_file),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_ranges),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
