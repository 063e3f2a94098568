/*
 * Diagnostics as users read them: "file:line:col: error: message", the
 * offending line, and a caret under the span (tildes for the rest), then
 * the hint; positions computed from byte offsets count lines and columns
 * from 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/diag.h"

static void
test_format_with_caret(void **state)
{
    const char *text = "global:\n  scrape_intervl: 5s\n";
    struct diag d;
    struct buf b;

    (void)state;
    diag_clear(&d);
    d.source = "p.yml";
    diag_set(&d, 2, 3, 14, "unknown key '%s'", "scrape_intervl");
    diag_hint(&d, "did you mean '%s'?", "scrape_interval");
    buf_init(&b, 0);
    diag_format(&b, &d, text, strlen(text));
    assert_string_equal(buf_str(&b),
        "p.yml:2:3: error: unknown key 'scrape_intervl'\n"
        "    scrape_intervl: 5s\n"
        "    ^~~~~~~~~~~~~~\n"
        "  hint: did you mean 'scrape_interval'?\n");
    buf_fini(&b);
}

static void
test_position_from_offset(void **state)
{
    const char *q = "sum(\n  rate(x[5m]) by";
    struct diag d;

    (void)state;
    diag_clear(&d);
    /* "by" starts at byte 19: line 2, column 15. */
    assert_int_equal(diag_set_at(&d, q, strlen(q), 19, 2, "expected ')'"),
                     -1);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 15);
    assert_int_equal(d.span, 2);
    assert_string_equal(d.msg, "expected ')'");
}

static void
test_no_position(void **state)
{
    struct diag d;
    struct buf b;

    (void)state;
    diag_clear(&d);
    diag_set(&d, 0, 0, 0, "connection refused");
    buf_init(&b, 0);
    diag_format(&b, &d, NULL, 0);
    assert_string_equal(buf_str(&b), "error: connection refused\n");
    buf_fini(&b);
}

static void
test_span_clipped_to_line(void **state)
{
    const char *text = "abc";
    struct diag d;
    struct buf b;

    (void)state;
    diag_clear(&d);
    diag_set(&d, 1, 3, 10, "x");
    buf_init(&b, 0);
    diag_format(&b, &d, text, 3);
    assert_string_equal(buf_str(&b), "1:3: error: x\n  abc\n    ^\n");
    buf_fini(&b);
}

/* The did-you-mean distance: insertions, deletions and substitutions. */
static void
test_distance(void **state)
{
    (void)state;
    assert_int_equal(diag_distance("scrape_interval", "scrape_interval"), 0);
    assert_int_equal(diag_distance("scrape_intervl", "scrape_interval"), 1);
    assert_int_equal(diag_distance("job_nmae", "job_name"), 2);
    assert_int_equal(diag_distance("", "abc"), 3);
    assert_int_equal(diag_distance("kitten", "sitting"), 3);
    assert_true(diag_distance("a", "0123456789012345678901234567890123456789"
                              "012345678901234567890123") == (size_t)-1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_format_with_caret),
        cmocka_unit_test(test_position_from_offset),
        cmocka_unit_test(test_no_position),
        cmocka_unit_test(test_span_clipped_to_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
