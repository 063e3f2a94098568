/*
 * The Go-syntax scanner on its own: every construct Go's regexp (and so
 * Prometheus) refuses is refused with Go's exact message, the diag points
 * into the pattern, Go's limits on nesting and repeat counts hold, and the
 * PCRE2 text it writes for the constructs whose meaning differs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/regex_syntax.h"

/* Translates pattern; returns the group count, fills out and d. */
static int
translate(const char *pattern, struct buf *out, struct buf *names,
          struct diag *d)
{
    buf_init(out, 0);
    buf_init(names, 0);
    diag_clear(d);
    return regex_syntax_translate(pattern, strlen(pattern), NULL, out, names,
                                  d);
}

/*
 * What Go 1.19's regexp.Compile("^(?:" + re + ")$") answers, as
 * Prometheus 2.42 prints it after "error parsing regexp: ": the
 * PCRE-only constructs first, then each of Go's error codes, with the
 * substring Go quotes (from the wrapped text, so it may run into ")$").
 */
static const struct {
    const char *re, *msg;
} rejected[] = {
    {"(a)\\1", "invalid escape sequence: `\\1`"},
    {"(?=a)", "invalid or unsupported Perl syntax: `(?=`"},
    {"(?!a)", "invalid or unsupported Perl syntax: `(?!`"},
    {"(?<=a)", "invalid or unsupported Perl syntax: `(?<`"},
    {"(?<!a)", "invalid or unsupported Perl syntax: `(?<`"},
    {"(?C1)", "invalid or unsupported Perl syntax: `(?C`"},
    {"(?R)", "invalid or unsupported Perl syntax: `(?R`"},
    {"(?1)", "invalid or unsupported Perl syntax: `(?1`"},
    {"(?&n)", "invalid or unsupported Perl syntax: `(?&`"},
    {"(?>a)", "invalid or unsupported Perl syntax: `(?>`"},
    {"a++", "invalid nested repetition operator: `++`"},
    {"a*+", "invalid nested repetition operator: `*+`"},
    {"a?+", "invalid nested repetition operator: `?+`"},
    {"a{2}+", "invalid nested repetition operator: `{2}+`"},
    {"(?#comment)", "invalid or unsupported Perl syntax: `(?#`"},
    {"(?|a|b)", "invalid or unsupported Perl syntax: `(?|`"},
    {"(*ACCEPT)", "missing argument to repetition operator: `*`"},
    {"(*FAIL)", "missing argument to repetition operator: `*`"},
    {"\\K", "invalid escape sequence: `\\K`"},
    {"\\G", "invalid escape sequence: `\\G`"},
    {"\\Z", "invalid escape sequence: `\\Z`"},
    {"\\R", "invalid escape sequence: `\\R`"},
    {"\\X", "invalid escape sequence: `\\X`"},
    {"\\h", "invalid escape sequence: `\\h`"},
    {"\\H", "invalid escape sequence: `\\H`"},
    {"\\N", "invalid escape sequence: `\\N`"},
    {"\\e", "invalid escape sequence: `\\e`"},
    {"\\cX", "invalid escape sequence: `\\c`"},
    {"\\g{1}", "invalid escape sequence: `\\g`"},
    {"\\k<n>", "invalid escape sequence: `\\k`"},
    {"(?x)a b", "invalid or unsupported Perl syntax: `(?x`"},
    {"(?n)(a)", "invalid or unsupported Perl syntax: `(?n`"},
    {"(?J)a", "invalid or unsupported Perl syntax: `(?J`"},
    {"(?<name>a)", "invalid or unsupported Perl syntax: `(?<`"},
    {"(?'name'a)", "invalid or unsupported Perl syntax: `(?'`"},
    {"a{1001}", "invalid repeat count: `{1001}`"},
    {"a{2,1001}", "invalid repeat count: `{2,1001}`"},
    {"(a{100}){11}", "invalid repeat count: `{11}`"},
    {"(?:a{2}){501}", "invalid repeat count: `{501}`"},
    {"\\C", "invalid escape sequence: `\\C`"},
    {"\\1", "invalid escape sequence: `\\1`"},
    {"\\9", "invalid escape sequence: `\\9`"},
    {"\\8", "invalid escape sequence: `\\8`"},
    {"\\E", "invalid escape sequence: `\\E`"},
    {"[\\b]", "invalid escape sequence: `\\b`"},
    {"a**", "invalid nested repetition operator: `**`"},
    {"a*?*", "invalid nested repetition operator: `*?*`"},
    {"x{2}{3}", "invalid nested repetition operator: `{2}{3}`"},
    {"*a", "missing argument to repetition operator: `*`"},
    {"a|*", "missing argument to repetition operator: `*`"},
    {"(*)", "missing argument to repetition operator: `*`"},
    {"(?i)*", "missing argument to repetition operator: `*`"},
    {"(", "missing closing ): `^(?:()$`"},
    {")", "unexpected ): `^(?:))$`"},
    {"a)(b", "unexpected ): `a)(b`"},
    {"a)|(b", "unexpected ): `a)|(b`"},
    {"(a", "missing closing ): `^(?:(a)$`"},
    {"((a)", "missing closing ): `^(?:((a))$`"},
    {"[a", "missing closing ]: `[a)$`"},
    {"[a-", "invalid character class range: `a-)`"},
    {"[]", "missing closing ]: `[])$`"},
    {"[^]", "missing closing ]: `[^])$`"},
    {"[z-a]", "invalid character class range: `z-a`"},
    {"[\\x{7a}-a]", "invalid character class range: `\\x{7a}-a`"},
    {"[[:foo:]]", "invalid character class range: `[:foo:]`"},
    {"[[:^foo:]]", "invalid character class range: `[:^foo:]`"},
    {"\\pX", "invalid character class range: `\\pX`"},
    {"\\p{Foo}", "invalid character class range: `\\p{Foo}`"},
    {"\\p{greek}", "invalid character class range: `\\p{greek}`"},
    {"\\p{L&}", "invalid character class range: `\\p{L&}`"},
    {"\\p{Cn}", "invalid character class range: `\\p{Cn}`"},
    {"\\p{", "invalid character class range: `\\p{)$`"},
    {"\\p{Greek", "invalid character class range: `\\p{Greek)$`"},
    {"\\x{110000}", "invalid escape sequence: `\\x{110000`"},
    {"\\x{}", "invalid escape sequence: `\\x{}`"},
    {"\\x{zz}", "invalid escape sequence: `\\x{z`"},
    {"\\xz", "invalid escape sequence: `\\xz)`"},
    {"\\x", "invalid escape sequence: `\\x)$`"},
    {"\\x{41", "invalid escape sequence: `\\x{41)`"},
    {"\\Qa+", "missing closing ): `^(?:\\Qa+)$`"},
    {"(?P<a", "invalid named capture: `(?P<a)$`"},
    {"(?P<>a)", "invalid named capture: `(?P<>`"},
    {"(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"},
    {"(?P=a)", "invalid or unsupported Perl syntax: `(?P`"},
    {"(?P>a)", "invalid or unsupported Perl syntax: `(?P`"},
    {"(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"},
    {"(?-)", "invalid or unsupported Perl syntax: `(?-)`"},
    {"(?--i)", "invalid or unsupported Perl syntax: `(?--`"},
    {"(?i", "missing closing ): `^(?:(?i)$`"},
    {"(?", "missing closing ): `^(?:(?)$`"},
    {"(?:", "missing closing ): `^(?:(?:)$`"},
    {"x{1001,}", "invalid repeat count: `{1001,}`"},
    {"x{99999999999}", "invalid repeat count: `{99999999999}`"},
    {"\\", "missing closing ): `^(?:\\)$`"},
    {"a\\", "missing closing ): `^(?:a\\)$`"},
    {"\xff", "invalid UTF-8: `\xff)$`"},
    {"a\xff" "b", "invalid UTF-8: `\xff" "b)$`"},
    {"(?P<a\xff>x)", "invalid UTF-8: `\xff`"},
    {"[\xff]", "invalid UTF-8: `\xff])$`"},
    {"\\p{\xff}", "invalid UTF-8: `\xff`"},
    {"\\Q\xff\\E", "invalid UTF-8: `\xff`"},
    {"\\\xc4\x85", "invalid escape sequence: `\\\xc4\x85`"},
    {"[\\\xc4\x85]", "invalid escape sequence: `\\\xc4\x85`"},
    {"\\p\xc4\x85", "invalid character class range: `\\p\xc4\x85`"},
};

static void
test_rejects_with_go_message(void **state)
{
    static const char prefix[] = "error parsing regexp: ";
    struct buf out, names;
    struct diag d;
    int bad = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
        int n = translate(rejected[i].re, &out, &names, &d);

        if (n != -1 || strncmp(d.msg, prefix, sizeof(prefix) - 1) != 0
            || strcmp(d.msg + sizeof(prefix) - 1, rejected[i].msg) != 0) {
            print_error("%s\n  want %s\n  got  %d %s\n", rejected[i].re,
                        rejected[i].msg, n, d.msg);
            bad++;
        }
        if (out.len != 0 || names.len != 0)
            fail_msg("%s: output left behind on error", rejected[i].re);
        buf_fini(&out);
        buf_fini(&names);
    }
    assert_int_equal(bad, 0);
}

/* The column and span point at the offending part of the pattern. */
static void
test_error_position(void **state)
{
    static const struct {
        const char *re;
        int col, span;
    } cases[] = {
        {"a(?=b)", 2, 3},       /* the (?= */
        {"x{1001}", 2, 6},      /* the count */
        {"[z-a]", 2, 3},        /* the range */
        {"\\pX", 1, 3},
        {"a**", 2, 2},
        {"ab)", 3, 1},          /* the stray ')' */
        {"a)(b", 2, 1},
        {"(?:a))", 6, 1},
        {"ab(c", 3, 1},         /* the '(' left open */
        {"(a", 1, 1},
        {"\\x{41", 1, 5},       /* Go's quote runs past the pattern */
        {"[a", 1, 2},
    };
    struct buf out, names;
    struct diag d;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(translate(cases[i].re, &out, &names, &d), -1);
        if (d.line != 1 || d.col != cases[i].col || d.span != cases[i].span)
            fail_msg("%s: got %d:%d+%d", cases[i].re, d.line, d.col, d.span);
        buf_fini(&out);
        buf_fini(&names);
    }
}

/* A pattern made of n copies of open, then middle, then n of close. */
static char *
nest(int n, const char *open, const char *middle, const char *close)
{
    size_t lo = strlen(open), lc = strlen(close), lm = strlen(middle);
    char *p = malloc((size_t)n * (lo + lc) + lm + 1), *q = p;

    assert_non_null(p);
    for (int i = 0; i < n; i++, q += lo)
        memcpy(q, open, lo);
    memcpy(q, middle, lm);
    q += lm;
    for (int i = 0; i < n; i++, q += lc)
        memcpy(q, close, lc);
    *q = '\0';
    return p;
}

/* Whether pattern translates; when not, d holds why. */
static bool
accepted(const char *pattern, struct diag *d)
{
    struct buf out, names;
    int n = translate(pattern, &out, &names, d);

    buf_fini(&out);
    buf_fini(&names);
    return n >= 0;
}

/*
 * Go's parse tree may be at most 1000 high, and ^(?:...)$ adds a level:
 * 998 nested capturing groups pass, 999 do not. Groups that capture
 * nothing add no level in Go's tree, and (a*)* style nesting counts two.
 */
static void
test_nesting_limit(void **state)
{
    static const char msg[] = "error parsing regexp: expression nests too "
                              "deeply: `^(?:(((";
    struct diag d;
    char *p;

    (void)state;
    p = nest(998, "(", "a", ")");
    assert_true(accepted(p, &d));
    free(p);
    p = nest(999, "(", "a", ")");
    assert_false(accepted(p, &d));
    assert_memory_equal(d.msg, msg, sizeof(msg) - 1);
    free(p);
    p = nest(1200, "(?:", "a", ")");
    assert_true(accepted(p, &d));
    free(p);
    p = nest(498, "(", "a*", ")*");
    assert_true(accepted(p, &d));
    free(p);
    p = nest(500, "(", "a*", ")*");
    assert_false(accepted(p, &d));
    free(p);
}

/* Counts multiply through nesting; the product may not pass 1000. */
static void
test_repeat_limit(void **state)
{
    struct diag d;

    (void)state;
    assert_true(accepted("a{1000}", &d));
    assert_true(accepted("(a{10}){100}", &d));
    assert_true(accepted("((a{10}){10}){10}", &d));
    assert_true(accepted("(a{1000}){0}", &d));      /* x{0} hides it */
    assert_true(accepted("(a{1000})*", &d));        /* * is not a count */
    assert_true(accepted("(a{1000}){1}", &d));
    assert_false(accepted("(a{10}){101}", &d));
    assert_string_equal(d.msg, "error parsing regexp: invalid repeat "
                        "count: `{101}`");
    assert_false(accepted("((a{10}){10}){11}", &d));
    assert_false(accepted("(a{1000}){2}?", &d));
    assert_string_equal(d.msg, "error parsing regexp: invalid repeat "
                        "count: `{2}?`");
}

/* Groups keep Go's numbering; names come out one per group. */
static void
test_group_names(void **state)
{
    struct buf out, names;
    struct diag d;

    (void)state;
    assert_int_equal(translate("(?P<host>[^:]+)(?:x)(:)(?P<port>\\d+)",
                               &out, &names, &d), 3);
    assert_int_equal(names.len, sizeof("host\0\0port"));
    assert_memory_equal(names.data, "host\0\0port", names.len);
    assert_non_null(strstr(out.data, "(?<_1>"));
    assert_non_null(strstr(out.data, "(?<_3>"));
    assert_null(strstr(out.data, "(?<_4>"));
    buf_fini(&out);
    buf_fini(&names);
}

/*
 * The PCRE2 text for constructs that PCRE2 reads differently: \v is one
 * character, \s has no \v, classes are spelt out, C has no unassigned
 * code points, scripts are Script not Script_Extensions, ^ and $ are
 * \A and \z unless (?m), (?U) swaps greediness, x+ is xx* (for pcre2's
 * DFA matcher) and a repeated assertion is grouped.
 */
static void
test_pcre_text(void **state)
{
    static const struct {
        const char *re, *pcre;
    } cases[] = {
        {"a", "\\A(a)\\z"},
        {"\\v", "\\A(\\x{b})\\z"},
        {"\\s", "\\A([\\x{9}-\\x{a}\\x{c}-\\x{d}\\x{20}])\\z"},
        {"(?i)\\w", "\\A((?i)[0-9A-Z\\x{5f}a-z\\x{17f}\\x{212a}])\\z"},
        {"[[:upper:]]", "\\A([A-Z])\\z"},
        {"\\pC", "\\A([\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}])\\z"},
        {"\\p{Greek}", "\\A([\\p{sc:Greek}])\\z"},
        {"(?m)^a$", "\\A((?m:^)a(?m:$))\\z"},
        {"(?s).", "\\A((?s:.))\\z"},
        {"(?U)a+b*?", "\\A(aa*?b*)\\z"},
        {"a{2,}", "\\A(a{2}a*)\\z"},
        {"^*", "\\A((\\A)*)\\z"},
        {"a(?i)*", "\\A(a*)\\z"},
        {"(x)", "\\A((?<_1>x))\\z"},
        {"\\Qa.b\\E", "\\A(a\\x{2e}b)\\z"},
        {"\\x{d800}", "\\A([^\\x{0}-\\x{10ffff}])\\z"},
    };
    struct buf out, names;
    struct diag d;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_true(translate(cases[i].re, &out, &names, &d) >= 0);
        if (strcmp(out.data, cases[i].pcre) != 0)
            fail_msg("%s: got %s", cases[i].re, out.data);
        buf_fini(&out);
        buf_fini(&names);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rejects_with_go_message),
        cmocka_unit_test(test_error_position),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_repeat_limit),
        cmocka_unit_test(test_group_names),
        cmocka_unit_test(test_pcre_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
