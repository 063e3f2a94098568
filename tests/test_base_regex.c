/*
 * The pcre2 wrapper against Prometheus's regex rules: matches are fully
 * anchored (^(?:re)$), RE2 syntax such as (?i) and (?P<name>...) works,
 * and replacement templates expand as Go's Regexp.Expand does; search
 * patterns find the leftmost match anywhere, as JavaScript's exec does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/regex.h"

static bool
matches(const char *pattern, const char *s)
{
    struct diag d;
    struct regex *re = regex_new(pattern, &d);
    bool m;

    assert_non_null(re);
    m = regex_match(re, s, strlen(s));
    regex_free(re);
    return m;
}

static void
test_anchored(void **state)
{
    (void)state;
    assert_true(matches("a|b", "a"));
    assert_false(matches("a|b", "ab"));     /* ^(?:a|b)$, not ^a|b$ */
    assert_false(matches("foo", "foobar"));
    assert_true(matches("foo.*", "foobar"));
    assert_true(matches(".*", ""));
    assert_false(matches(".*", "a\nb"));    /* . does not match \n */
    assert_false(matches(".+", ""));
    assert_false(matches("a$", "a\n"));     /* $ is the end of text */
    assert_true(matches("(?i)PRO", "pro"));
    assert_true(matches("x(?i:PRO)", "xpRo"));
    assert_true(matches("a.*?c", "abcbc"));
    assert_true(matches("5..", "503"));
    assert_false(matches("5..", "5031"));
}

static void
test_bad_pattern(void **state)
{
    struct diag d;

    (void)state;
    diag_clear(&d);
    assert_null(regex_new("a(b", &d));
    assert_non_null(strstr(d.msg, "a(b"));
}

/* Expands repl against s with pattern; returns the text. */
static const char *
expand(const char *pattern, const char *s, const char *repl)
{
    static char result[256];
    struct diag d;
    struct regex *re = regex_new(pattern, &d);
    struct buf b;

    assert_non_null(re);
    buf_init(&b, 0);
    assert_int_equal(regex_expand(re, s, strlen(s), repl, &b), 1);
    snprintf(result, sizeof(result), "%s", buf_str(&b));
    buf_fini(&b);
    regex_free(re);
    return result;
}

static void
test_expand_go_rules(void **state)
{
    (void)state;
    assert_string_equal(expand("(a)(b)", "ab", "$2$1"), "ba");
    assert_string_equal(expand("(a)(b)", "ab", "${1}x"), "ax");
    /* $1x is ${1x}: an unknown group, so empty. */
    assert_string_equal(expand("(a)(b)", "ab", "$1x"), "");
    assert_string_equal(expand("(a)(b)", "ab", "$$1"), "$1");
    /* A leading zero makes it a name, not group 1. */
    assert_string_equal(expand("(a)(b)", "ab", "[$01]"), "[]");
    /* Malformed references are literal text. */
    assert_string_equal(expand("(a)(b)", "ab", "${bad name}"),
                        "${bad name}");
    assert_string_equal(expand("(a)(b)", "ab", "x$"), "x$");
    assert_string_equal(expand("(a)(b)", "ab", "$-$1"), "$-a");
    assert_string_equal(expand("(?P<host>[^:]+):(?P<port>\\d+)", "db:5432",
                               "${port}/$host"), "5432/db");
    /* Group 0 is the whole match, also for the literal fast path. */
    assert_string_equal(expand("web", "web", "<$0>"), "<web>");
    assert_string_equal(expand(".*", "any", "$0-$1"), "any-");
}

static void
test_expand_no_match(void **state)
{
    struct diag d;
    struct regex *re = regex_new("a+", &d);
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    assert_int_equal(regex_expand(re, "aab", 3, "$0", &b), 0);
    assert_int_equal(b.len, 0);
    buf_fini(&b);
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
        cmocka_unit_test(test_anchored),
        cmocka_unit_test(test_bad_pattern),
        cmocka_unit_test(test_expand_go_rules),
        cmocka_unit_test(test_expand_no_match),
        cmocka_unit_test(test_search_js_rules),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
