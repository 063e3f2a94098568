/*
 * The targets list: columns, health colours, last scrape age and
 * duration, the error column, and scrolling clamped to a full last page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ui/theme.h"
#include "ui/view_targets.h"

static const struct target_row rows[] = {
    { "node", "a:9100", "http://a:9100/metrics", "{env=\"prod\"}",
      HEALTH_UP, 100000 - 3200, 0.0123, 1234, "" },
    { "app", NULL, "http://b:8080/metrics", "{}", HEALTH_DOWN, 100000 - 125000,
      10, 0, "connection refused" },
    { "new", "c:1", "http://c:1/metrics", "{}", HEALTH_UNKNOWN, 0, 0, 0,
      "" },
};

static char *
text_of(const struct canvas *c)
{
    struct buf b;

    buf_init(&b, 0);
    canvas_to_text(c, &b);
    return buf_steal(&b);
}

static void
test_columns(void **state)
{
    struct canvas *c = canvas_new(100, 4, true);
    int scroll = 0;
    char *s;

    (void)state;
    view_draw_targets(c, (struct rect){ 0, 0, 100, 4 }, rows, 3, &scroll,
                      100000);
    s = text_of(c);
    /* Widths: state 7, job 4 ("node"), endpoint 21 (the URL, used when
     * there is no instance), last 11, duration 9, samples 8, one apart
     * (66 in all); the 34 left: labels 13, error 20. */
    assert_string_equal(s,
        "STATE   JOB  ENDPOINT              LAST SCRAPE  DURATION  SAMPLES"
        " LABELS        ERROR\n"
        "up      node a:9100                3.2s ago      12.3 ms     1234"
        " {env=\"prod\"}\n"
        "down    app  http://b:8080/metrics 2m ago           10 s        0"
        " {}            connection refused\n"
        "unknown new  c:1                   never               -        0"
        " {}\n");
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_GOOD);
    assert_int_equal(canvas_cell(c, 0, 2)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 0, 3)->role, ROLE_STALE);
    assert_int_equal(canvas_cell(c, 80, 2)->role, ROLE_CRIT);
    free(s);
    canvas_free(c);
}

static void
test_scroll_clamps(void **state)
{
    struct canvas *c = canvas_new(40, 3, true);
    int scroll = 99;
    char *s;

    (void)state;
    /* Two rows fit under the header: the last page starts at row 1. */
    view_draw_targets(c, (struct rect){ 0, 0, 40, 3 }, rows, 3, &scroll,
                      100000);
    assert_int_equal(scroll, 1);
    s = text_of(c);
    assert_non_null(strstr(s, "\ndown "));
    assert_non_null(strstr(s, "\nunknown "));
    assert_null(strstr(s, "\nup "));
    free(s);
    scroll = -3;
    view_draw_targets(c, (struct rect){ 0, 0, 40, 3 }, rows, 3, &scroll,
                      100000);
    assert_int_equal(scroll, 0);
    assert_int_equal(view_targets_height(3), 4);
    assert_int_equal(view_targets_height(0), 2);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_scroll_clamps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
