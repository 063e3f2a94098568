/*
 * The pcre2 wrapper against Go's regexp as Prometheus uses it: fully
 * anchored matches (^(?:re)$) with Go's answers, checked row by row
 * against answers Go 1.19 gives; Prometheus 2.42's own regexp cases;
 * patterns that make a backtracking matcher blow up; Go's leftmost-first
 * groups in replacement templates, regex_error; and search
 * patterns, which find the leftmost match anywhere as JavaScript's exec.
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

#include "src/base/regex.h"

/* A pattern, a text and Go's answer: 1 for a match. */
struct row {
    const char *re, *s;
    int want;
};

static bool
matches(const char *pattern, const char *s)
{
    struct diag d;
    struct regex *re = regex_new(pattern, &d);
    bool m;

    if (re == NULL)
        fail_msg("%s: %s", pattern, d.msg);
    m = regex_match(re, s, strlen(s));
    assert_null(regex_error(re));
    regex_free(re);
    return m;
}

/* Checks each row against Go's answer. */
static void
check_rows(const struct row *rows, size_t n)
{
    int bad = 0;

    for (size_t i = 0; i < n; i++) {
        bool got = matches(rows[i].re, rows[i].s);

        if (got != (rows[i].want != 0)) {
            print_error("%s on \"%s\": got %d, Go says %d\n", rows[i].re,
                        rows[i].s, got, rows[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/*
 * Go's answers, for the constructs whose meaning differs between Go and
 * PCRE and for ordinary ones: classes, flags, alternation, repetition,
 * Unicode classes, anchors inside the pattern, newlines, and text that
 * is not UTF-8 (Go reads each bad byte as U+FFFD).
 */
static const struct row go_answers[] = {
    {"\\v", "\x0b", 1},
    {"\\v", "\n", 0},
    {"[\\v]", "\x0b", 1},
    {"[\\v]", "\n", 0},
    {"\\x0B", "\x0b", 1},
    {"\\s", " ", 1},
    {"\\s", "\t", 1},
    {"\\s", "\n", 1},
    {"\\s", "\x0c", 1},
    {"\\s", "\x0d", 1},
    {"\\s", "\x0b", 0},
    {"\\s", "\xc2\xa0", 0},
    {"[\\s]", "\x0b", 0},
    {"[\\sa]", "a", 1},
    {"\\S", "\x0b", 1},
    {"[\\S]", "\x0b", 1},
    {"[\\S]", " ", 0},
    {"[^\\s]", "\x0b", 1},
    {"[[:space:]]", "\x0b", 1},
    {"\\Qa.b\\E", "a.b", 1},
    {"\\Qa.b\\E", "axb", 0},
    {"\\Qab\\E+", "abb", 1},
    {"x\\Q\\E*", "xxx", 1},
    {"a\\z", "a", 1},
    {"\\Aa", "a", 1},
    {"a\\b", "a", 1},
    {"a\\bb", "ab", 0},
    {"a\\Bb", "ab", 1},
    {"a\\b-", "a-", 1},
    {"^a", "a", 1},
    {"a^b", "ab", 0},
    {"$", "", 1},
    {"a$b", "ab", 0},
    {"a$", "a\n", 0},
    {"^*a", "a", 1},
    {"(?:^)+a", "a", 1},
    {"\\012", "\n", 1},
    {"\\101", "A", 1},
    {"\\x41", "A", 1},
    {"\\x{e9}", "\xc3\xa9", 1},
    {"\\x{10FFFF}", "\xf4\x8f\xbf\xbf", 1},
    {"\\.", ".", 1},
    {"\\\\", "\\", 1},
    {"\\pN", "5", 1},
    {"\\pN", "a", 0},
    {"\\PN", "a", 1},
    {"\\PN", "5", 0},
    {"\\p{Greek}", "\xce\xb1", 1},
    {"\\p{Greek}", "a", 0},
    {"\\p{^Greek}", "a", 1},
    {"\\P{^Greek}", "\xce\xb1", 1},
    {"\\pL", "\xc3\xa9", 1},
    {"\\p{Lu}", "A", 1},
    {"\\p{Lu}", "a", 0},
    {"\\p{Han}", "\xe6\xbc\xa2", 1},
    {"\\pC", "\x01", 1},
    {"\\pC", "\xcd\xb8", 0},
    {"\\PC", "\xcd\xb8", 1},
    {"[\\PC]", "a", 1},
    {"\\p{Any}", "\xe2\x82\xac", 1},
    {"\\P{Any}", "a", 0},
    {"\\p{Greek}+\\d", "\xce\xb1\xce\xb2" "3", 1},
    {"[[:alpha:]]", "a", 1},
    {"[[:alpha:]]", "\xc3\xa9", 0},
    {"[[:^alpha:]]", "1", 1},
    {"[[:word:]]+", "a_1", 1},
    {"[[:punct:]]", "!", 1},
    {"\\d", "\xd9\xa3", 0},
    {"\\w", "\xc3\xa9", 0},
    {"\\W", "\xc3\xa9", 1},
    {"(?i)k", "\xe2\x84\xaa", 1},
    {"(?i)s", "\xc5\xbf", 1},
    {"(?i)[^k]", "K", 0},
    {"(?i)[^k]", "\xe2\x84\xaa", 0},
    {"(?i)\\W", "\xe2\x84\xaa", 0},
    {"\\W", "\xe2\x84\xaa", 1},
    {"(?i)\\w", "\xc5\xbf", 1},
    {"(?i)[[:upper:]]", "a", 1},
    {"(?i)\\p{Lu}", "a", 1},
    {"(?i)\\p{Ll}", "A", 1},
    {"(?i)\\p{Lu}", "\xc4\xb8", 0},
    {"(?i)\\p{Greek}", "\xc2\xb5", 1},
    {"\\p{Greek}", "\xc2\xb5", 0},
    {"(?i)\\P{Lu}", "a", 0},
    {"(?i)\\P{Lu}", "1", 1},
    {"(?i)[^\\p{Lu}]", "a", 0},
    {"(?i)\\p{Lt}", "\xc7\x86", 1},
    {"(?i)\\pM", "\xce\xb9", 1},
    {"\\pM", "\xce\xb9", 0},
    {"(?i)\\p{Lu}", "\xe2\x84\xaa", 1},
    {"(?i)[\\p{Lu}\\d]+", "ab1", 1},
    {"(?i)[[:^lower:]]", "A", 0},
    {"(?i)\xc3\xa9", "\xc3\x89", 1},
    {"(?i)[a-c]+", "AbC", 1},
    {"a(?i)b", "aB", 1},
    {"a(?i)b", "AB", 0},
    {"(?i)a(?-i)b", "AB", 0},
    {"(?i)a(?-i)b", "Ab", 1},
    {"(a(?i)b|c)", "C", 1},
    {"(?i:a)b", "Ab", 1},
    {"(?i:a)b", "AB", 0},
    {".", "\n", 0},
    {"(?s).", "\n", 1},
    {"(?s:.)", "\n", 1},
    {".*", "a\nb", 0},
    {"(?s).*", "a\nb", 1},
    {"[^a]", "\n", 1},
    {"a\nb", "a\nb", 1},
    {"a$\nb", "a\nb", 0},
    {"(?m)a$\nb", "a\nb", 1},
    {"a\n(?m)^b", "a\nb", 1},
    {"a\n(?m)^", "a\n", 1},
    {"(?m)^$", "", 1},
    {"(?U)a+", "aaa", 1},
    {"(?U)a+?", "aaa", 1},
    {"a+?", "aaa", 1},
    {"a*?b", "aab", 1},
    {"a??", "", 1},
    {"a|b", "b", 1},
    {"ab|cd", "abcd", 0},
    {"foo|foobar", "foobar", 1},
    {"a|", "", 1},
    {"(?:)", "", 1},
    {"()", "", 1},
    {"a{2,3}", "a", 0},
    {"a{2,3}", "aa", 1},
    {"a{2,3}", "aaaa", 0},
    {"a{2}", "aa", 1},
    {"a{2,}", "aaaaa", 1},
    {"a{0}", "", 1},
    {"(?:ab){2}", "abab", 1},
    {"x{,2}", "x{,2}", 1},
    {"x{01}", "x{01}", 1},
    {"x{", "x{", 1},
    {"a(?i)*", "aaa", 1},
    {"a*(?i)*", "aaa", 1},
    {"(?P<x>a)(?P<x>b)", "ab", 1},
    {"(?P<1x>a)", "a", 1},
    {".", "\xff", 1},
    {"a.b", "a\xff" "b", 1},
    {"\\x{fffd}", "\xff", 1},
    {"\xef\xbf\xbd", "\xff", 1},
    {".*", "\xff\xfe", 1},
    {"..", "\xe2\x82", 1},
    {".", "\xe2\x82", 0},
    {"[^a]", "\xc0", 1},
    {"a", "\xff", 0},
    {"\\xff", "\xff", 0},
    {"\\xff", "\xc3\xbf", 1},
};

static void
test_go_answers(void **state)
{
    (void)state;
    check_rows(go_answers, sizeof(go_answers) / sizeof(go_answers[0]));
}

/* Text holding a NUL, and a count of 1000. */
static void
test_nul_and_long_counts(void **state)
{
    struct regex *re = regex_new("a\\x00b\\0", NULL);
    char *s = malloc(1002);

    (void)state;
    assert_true(regex_match(re, "a\0b\0", 4));
    assert_false(regex_match(re, "a", 1));
    regex_free(re);
    assert_non_null(s);
    memset(s, 'a', 1001);
    s[1001] = '\0';
    re = regex_new("a{1000}", NULL);
    assert_false(regex_match(re, s, 1001));
    assert_true(regex_match(re, s, 1000));
    regex_free(re);
    free(s);
}

/* model/labels/regexp_test.go of Prometheus 2.42: TestNewFastRegexMatcher. */
static const struct row prometheus_cases[] = {
    {"(foo|bar)", "foo", 1},
    {"(foo|bar)", "foo bar", 0},
    {"(foo|bar)", "bar", 1},
    {"foo.*", "foo bar", 1},
    {"foo.*", "bar foo", 0},
    {".*foo", "foo bar", 0},
    {".*foo", "bar foo", 1},
    {".*foo", "foo", 1},
    {"^.*foo$", "foo", 1},
    {"^.+foo$", "foo", 0},
    {"^.+foo$", "bfoo", 1},
    {".*", "\n", 0},
    {".*", "\nfoo", 0},
    {".*foo", "\nfoo", 0},
    {"foo.*", "foo\n", 0},
    {"foo\n.*", "foo\n", 1},
    {".*foo.*", "foo", 1},
    {".*foo.*", "foo bar", 1},
    {".*foo.*", "hello foo world", 1},
    {".*foo.*", "hello foo\n world", 0},
    {".*foo\n.*", "hello foo\n world", 1},
    {".*", "foo", 1},
    {"", "foo", 0},
    {"", "", 1},
};

/*
 * TestOptimizeConcatRegex's patterns (there checked for the literal
 * prefix, suffix and substring Prometheus extracts), each with a text
 * that matches and one that does not.
 */
static const struct row prometheus_concat[] = {
    {"foo(hello|bar)", "foohello", 1},
    {"foo(hello|bar)", "foohellobar", 0},
    {"foo(hello|bar)world", "foobarworld", 1},
    {"foo(hello|bar)world", "foohellobar", 0},
    {"foo.*", "foohellobar", 1},
    {"foo.*", "xfoo", 0},
    {"foo.*hello.*bar", "foohellobar", 1},
    {"foo.*hello.*bar", "foobarworld", 0},
    {".*foo", "xfoo", 1},
    {".*foo", "foohellobar", 0},
    {"^.*foo$", "xfoo", 1},
    {"^.*foo$", "foohellobar", 0},
    {".*foo.*", "foohellobar", 1},
    {".*foo.*", "xABCdefx", 0},
    {".*foo.*bar.*", "foohellobar", 1},
    {".*foo.*bar.*", "xfoo", 0},
    {".*(foo|bar).*", "foohellobar", 1},
    {".*(foo|bar).*", "xABCdefx", 0},
    {".*[abc].*", "foohellobar", 1},
    {".*[abc].*", "xfoo", 0},
    {".*((?i)abc).*", "xABCdefx", 1},
    {".*((?i)abc).*", "foohellobar", 0},
    {".*(?i:abc).*", "xABCdefx", 1},
    {".*(?i:abc).*", "foohellobar", 0},
    {"(?i:abc).*", "abcdef", 1},
    {"(?i:abc).*", "foohellobar", 0},
    {".*(?i:abc)", "Abc", 1},
    {".*(?i:abc)", "foohellobar", 0},
    {".*(?i:abc)def.*", "xABCdefx", 1},
    {".*(?i:abc)def.*", "foohellobar", 0},
    {"(?i).*(?-i:abc)def", "abcdef", 1},
    {"(?i).*(?-i:abc)def", "foohellobar", 0},
    {".*(?msU:abc).*", "abcdef", 1},
    {".*(?msU:abc).*", "foohellobar", 0},
    {"[aA]bc.*", "abcdef", 1},
    {"[aA]bc.*", "foohellobar", 0},
};

static void
test_prometheus_cases(void **state)
{
    (void)state;
    check_rows(prometheus_cases,
               sizeof(prometheus_cases) / sizeof(prometheus_cases[0]));
    check_rows(prometheus_concat,
               sizeof(prometheus_concat) / sizeof(prometheus_concat[0]));
}

/*
 * BenchmarkFastRegexMatcher's patterns on its three texts: x is 50 x's,
 * y is "foo" then x, z is x then "foo"; want has one digit per text.
 */
static void
test_prometheus_bench_patterns(void **state)
{
    static const struct {
        const char *re, *want;
    } cases[] = {
        {"foo", "000"},
        {"^foo", "000"},
        {"(foo|bar)", "000"},
        {"foo.*", "010"},
        {".*foo", "001"},
        {"^.*foo$", "001"},
        {"^.+foo$", "001"},
        {".*", "111"},
        {".+", "111"},
        {"foo.+", "010"},
        {".+foo", "001"},
        {".*foo.*", "011"},
        {"(?i:foo)", "000"},
        {"(prometheus|api_prom)_api_v1_.+", "000"},
        {"((fo(bar))|.+foo)", "001"},
    };
    char x[51], y[54], z[54];

    (void)state;
    memset(x, 'x', 50);
    x[50] = '\0';
    snprintf(y, sizeof(y), "foo%s", x);
    snprintf(z, sizeof(z), "%sfoo", x);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *v[3] = {x, y, z};

        for (int k = 0; k < 3; k++)
            if (matches(cases[i].re, v[k]) != (cases[i].want[k] == '1'))
                fail_msg("%s on text %d: Go says %c", cases[i].re, k,
                         cases[i].want[k]);
    }
}

/* Prometheus's words for a bad pattern, and where it points. */
static void
test_bad_pattern(void **state)
{
    struct diag d;

    (void)state;
    diag_clear(&d);
    assert_null(regex_new("a(b", &d));
    assert_string_equal(d.msg, "error parsing regexp: missing closing ): "
                        "`^(?:a(b)$`");
    assert_int_equal(d.col, 2);
    assert_null(regex_new("x(?=a)", &d));
    assert_string_equal(d.msg, "error parsing regexp: invalid or "
                        "unsupported Perl syntax: `(?=`");
    assert_int_equal(d.col, 2);
    assert_int_equal(d.span, 3);
    assert_null(regex_new("(a)\\1", NULL));
}

/*
 * Patterns a backtracking matcher cannot finish: the answers must still
 * be Go's, with no error. (The time they take is tests/bench's business.)
 */
static void
test_pathological(void **state)
{
    static const char *const samples[] = {
        "", "a", "b", "ab", "aaab", "aaac", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaac",
        "xyz\nabc",
    };
    struct regex *re = regex_new("(a+)+b|.*", NULL);
    char v[64];
    int n;

    (void)state;
    for (size_t i = 0; i < 7; i++) {
        assert_true(regex_match(re, samples[i], strlen(samples[i])));
        assert_null(regex_error(re));
    }
    /* . does not match \n, so the 8th is the one Go says no to. */
    assert_false(regex_match(re, samples[7], strlen(samples[7])));
    assert_null(regex_error(re));
    regex_free(re);
    re = regex_new("(a+)+$", NULL);
    for (int i = 0; i < 10000; i++) {
        n = 25 + i % 10;
        memset(v, 'a', (size_t)n);
        snprintf(v + n, sizeof(v) - (size_t)n, "b%d", i);
        if (regex_match(re, v, strlen(v)) || regex_error(re) != NULL)
            fail_msg("(a+)+$ on %s: want a plain no", v);
    }
    memset(v, 'a', 40);
    assert_true(regex_match(re, v, 40));
    regex_free(re);
}

/* Relabelling's keep with (a+)+b|.* keeps every series, as Prometheus. */
static void
test_pathological_keep(void **state)
{
    struct regex *re = regex_new("(a+)+b|.*", NULL);
    char v[64];
    int kept = 0;

    (void)state;
    for (int i = 0; i < 1000; i++) {
        memset(v, 'a', 30);
        snprintf(v + 30, sizeof(v) - 30, "c%d", i);
        kept += regex_match(re, v, strlen(v));
    }
    assert_int_equal(kept, 1000);
    regex_free(re);
}

/* Expands repl against s with pattern; returns the text. */
static const char *
expand(const char *pattern, const char *s, size_t n, const char *repl)
{
    static char result[256];
    struct diag d;
    struct regex *re = regex_new(pattern, &d);
    struct buf b;

    if (re == NULL)
        fail_msg("%s: %s", pattern, d.msg);
    buf_init(&b, 0);
    assert_int_equal(regex_expand(re, s, n, repl, &b), 1);
    assert_null(regex_error(re));
    snprintf(result, sizeof(result), "%s", buf_str(&b));
    buf_fini(&b);
    regex_free(re);
    return result;
}

static void
test_expand_go_rules(void **state)
{
    (void)state;
    assert_string_equal(expand("(a)(b)", "ab", 2, "${1}x"), "ax");
    /* $1x is ${1x}: an unknown group, so empty. */
    assert_string_equal(expand("(a)(b)", "ab", 2, "$1x"), "");
    assert_string_equal(expand("(a)(b)", "ab", 2, "$$1"), "$1");
    /* A leading zero makes it a name, not group 1. */
    assert_string_equal(expand("(a)(b)", "ab", 2, "[$01]"), "[]");
    /* Malformed references are literal text. */
    assert_string_equal(expand("(a)(b)", "ab", 2, "${bad name}"),
                        "${bad name}");
    assert_string_equal(expand("(a)(b)", "ab", 2, "x$"), "x$");
    assert_string_equal(expand("(a)(b)", "ab", 2, "$-$1"), "$-a");
    /* Group 0 is the whole match, also for the literal fast path. */
    assert_string_equal(expand("web", "web", 3, "<$0>"), "<web>");
    assert_string_equal(expand(".*", "any", 3, "$0-$1"), "any-");
}

/*
 * Go's leftmost-first groups (FindStringSubmatchIndex, then Expand), as
 * Go 1.19 gives them; a name may be a Unicode letter ($1é is the group
 * "1é", which does not exist), and groups of text that is not UTF-8 are
 * the bytes as given.
 */
static void
test_expand_leftmost_first(void **state)
{
    static const struct {
        const char *re, *s, *repl, *want;
    } cases[] = {
        {"(a)(b)", "ab", "$2$1", "ba"},
        {"(a|ab)(c|bcd)(d*)", "abcd", "$1-$2-$3", "a-bcd-"},
        {"(a*)(a*)", "aaa", "[$1][$2]", "[aaa][]"},
        {"(a*?)(a*)", "aaa", "[$1][$2]", "[][aaa]"},
        {"(.*?)(\\d+)", "abc123", "$1|$2", "abc|123"},
        {"(.*)(\\d+)", "abc123", "$1|$2", "abc12|3"},
        {"(?U)(a+)(a*)", "aaa", "$1|$2", "a|aa"},
        {"(a|b)*", "abab", "$1", "b"},
        {"(?:(a)|b)*", "ab", "[$1]", "[a]"},
        {"(a)|(b)", "b", "[$1][$2]", "[][b]"},
        {"(?P<x>a)|(?P<x>b)", "b", "[$x]", "[b]"},
        {"(?P<x>a)(?P<x>b)", "ab", "[$x]", "[a]"},
        {"((a)|(b))+", "ab", "$1$2$3", "bab"},
        {"x*(.*)", "xxab", "$1", "ab"},
        {"(?P<host>[^:]+):(?P<port>\\d+)", "db:5432", "${port}/$host",
         "5432/db"},
        {"(.)", "x", "$1\xc3\xa9", ""},
        {"(.)", "x", "$1\xe2\x82\xac", "x\xe2\x82\xac"},
        {"(.)(.)", "\xff" "a", "<$2$1>", "<a\xff>"},
        {"a(..)c", "a\xe2\x82" "c", "<$1>", "<\xe2\x82>"},
        {"(a+)+b|(.*)", "aaac", "[$1][$2]", "[][aaac]"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = expand(cases[i].re, cases[i].s,
                                 strlen(cases[i].s), cases[i].repl);

        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s on %s with %s: got %s, Go says %s", cases[i].re,
                     cases[i].s, cases[i].repl, got, cases[i].want);
    }
}

static void
test_expand_no_match(void **state)
{
    struct regex *re = regex_new("a+", NULL);
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    assert_int_equal(regex_expand(re, "aab", 3, "$0", &b), 0);
    assert_int_equal(b.len, 0);
    assert_null(regex_error(re));
    buf_fini(&b);
    regex_free(re);
}

/*
 * The groups of (a+)+b|(.*) on 30 a's and a c need the backtracking
 * matcher, which cannot finish: an error the caller sees, never a
 * silent no, and the next call starts clean.
 */
static void
test_undecided_is_an_error(void **state)
{
    struct regex *re = regex_new("(a+)+b|(.*)", NULL);
    const char *s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac";
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    buf_puts(&b, "kept");
    assert_true(regex_match(re, s, strlen(s)));
    assert_null(regex_error(re));
    assert_int_equal(regex_undecided(re), 0);
    assert_int_equal(regex_expand(re, s, strlen(s), "[$2]", &b), -1);
    assert_int_equal(regex_undecided(re), 1);
    assert_string_equal(regex_error(re), "regular expression too complex "
                        "for this input");
    assert_string_equal(buf_str(&b), "kept");
    assert_int_equal(regex_expand(re, "aab", 3, "[$1]", &b), 1);
    assert_null(regex_error(re));
    /* The count stays: a caller that matched many texts still sees it. */
    assert_int_equal(regex_undecided(re), 1);
    assert_string_equal(buf_str(&b), "kept[aa]");
    buf_fini(&b);
    regex_free(re);
}

/* A stop hook that says stop from its *after-th call on. */
static bool
stop_after(void *ctx)
{
    int *after = ctx;

    return --*after <= 0;
}

/*
 * The caller's stop hook: never saying stop, a long text still gets Go's
 * answer through the segmented DFA ((a+)+b backtracks exponentially on
 * a run of a's; RE2 says no for "aaa...ac", yes for "aaa...ab" and for
 * the second branch); saying stop before the match, or in the middle of
 * the DFA's reading, leaves it undecided and says why.
 */
static void
test_stop_hook(void **state)
{
    struct regex *re = regex_new("(a+)+b|(?:a+)+\\bc", NULL);
    char no[401], yes[401], word[401];
    int after = 1000000;

    (void)state;
    memset(no, 'a', 400);
    no[399] = 'c';
    no[400] = 0;
    memcpy(yes, no, sizeof(no));
    yes[399] = 'b';
    memcpy(word, no, sizeof(no));
    word[398] = ' ';
    regex_set_stop(re, stop_after, &after);
    for (int i = 0; i < 20; i++) {      /* past the DFA-first switch */
        assert_false(regex_match(re, no, 400));
        assert_null(regex_error(re));
        assert_true(regex_match(re, yes, 400));
        assert_false(regex_match(re, word, 400));
    }
    assert_int_equal(regex_undecided(re), 0);
    after = 1;
    assert_false(regex_match(re, no, 400));
    assert_string_equal(regex_error(re), "regular expression match stopped");
    assert_int_equal(regex_undecided(re), 1);
    after = 3;                          /* two segments in */
    assert_false(regex_match(re, no, 400));
    assert_int_equal(regex_undecided(re), 2);
    regex_set_stop(re, NULL, NULL);
    assert_false(regex_match(re, no, 400));
    assert_null(regex_error(re));
    assert_true(regex_match(re, yes, 400));
    regex_free(re);
}

/*
 * What JavaScript gives: the pattern ([^:]+):.* executed on
 * "10.0.0.1:9100" matches it all at index 0 with group 1 "10.0.0.1"; o+
 * with the g flag finds "o" at 1, then "oo" at 4 in "fo boo";
 * (?<value>..) names a group.
 */
static void
test_search_js_rules(void **state)
{
    struct diag d;
    struct regex *re = regex_new_search("([^:]+):.*", 0, &d);
    const char *s = "10.0.0.1:9100";
    size_t a, b;

    (void)state;
    assert_non_null(re);
    assert_int_equal(regex_ngroups(re), 1);
    assert_true(regex_search(re, s, strlen(s), 0));
    assert_true(regex_group(re, 0, &a, &b));
    assert_int_equal(a, 0);
    assert_int_equal(b, 13);
    assert_true(regex_group(re, 1, &a, &b));
    assert_int_equal(b - a, 8);
    assert_false(regex_group(re, 2, &a, &b));
    regex_free(re);

    re = regex_new_search("o+", 0, &d);
    assert_int_equal(regex_ngroups(re), 0);
    assert_true(regex_search(re, "fo boo", 6, 0));
    assert_true(regex_group(re, 0, &a, &b));
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_true(regex_search(re, "fo boo", 6, b));
    assert_true(regex_group(re, 0, &a, &b));
    assert_int_equal(a, 4);
    assert_int_equal(b, 6);
    assert_false(regex_search(re, "fo boo", 6, b));
    regex_free(re);

    re = regex_new_search("host=(?<value>[a-z]+)", REGEX_ICASE, &d);
    assert_int_equal(regex_group_number(re, "value"), 1);
    assert_int_equal(regex_group_number(re, "text"), -1);
    assert_true(regex_search(re, "x HOST=Web1", 11, 0));
    assert_true(regex_group(re, 1, &a, &b));
    assert_int_equal(a, 7);
    assert_int_equal(b, 10);
    regex_free(re);

    /* No m flag: $ is the end of the text only, as in JavaScript. */
    re = regex_new_search("a$", 0, &d);
    assert_false(regex_search(re, "a\n", 2, 0));
    regex_free(re);
    re = regex_new_search("(", 0, &d);
    assert_null(re);
    assert_non_null(strstr(d.msg, "invalid regular expression"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_answers),
        cmocka_unit_test(test_nul_and_long_counts),
        cmocka_unit_test(test_prometheus_cases),
        cmocka_unit_test(test_prometheus_bench_patterns),
        cmocka_unit_test(test_bad_pattern),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_pathological_keep),
        cmocka_unit_test(test_expand_go_rules),
        cmocka_unit_test(test_expand_leftmost_first),
        cmocka_unit_test(test_expand_no_match),
        cmocka_unit_test(test_undecided_is_an_error),
        cmocka_unit_test(test_search_js_rules),
        cmocka_unit_test(test_stop_hook),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
