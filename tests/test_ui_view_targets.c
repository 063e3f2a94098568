/*
 * The targets view: columns, health colours, last scrape age and
 * duration, the labels and error wrapped in their columns; the selected
 * target expanded to its labels before and after relabelling (wrapped
 * in full), the dropped targets with why, discovery errors first;
 * scrolling that keeps the selection in view. Expected screens are worked out by hand from the
 * column widths written beside them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/theme.h"
#include "ui/view_targets.h"

static const struct target_row rows[] = {
    { "node", "a:9100", "http://a:9100/metrics",
      "{env=\"prod\", instance=\"a:9100\", job=\"node\"}",
      HEALTH_UP, 100000 - 3200, 0.0123, 1234, "",
      "{__address__=\"a:9100\", job=\"node\"}", NULL, NULL },
    { "app", NULL, "http://b:8080/metrics", "{}", HEALTH_DOWN, 100000 - 125000,
      10, 0, "connection refused", NULL, NULL, NULL },
    { "new", "c:1", "http://c:1/metrics", "{}", HEALTH_UNKNOWN, 0, 0, 0,
      "", NULL, NULL, NULL },
};

static const struct dropped_row dropped[] = {
    { "node", "{__address__=\"b:9100\"}", "dropped by relabel rule 1 (drop)",
      NULL, false },
};

static const char *const errors[] = { "dns: lookup x: no such host" };

static void
test_columns(void **state)
{
    struct canvas *c = canvas_new(100, 8, true);
    struct target_view tv = { .rows = rows, .n = 3 };
    struct targets_state ts = { .sel = -1 };
    char *s;

    (void)state;
    view_draw_targets(c, (struct rect){ 0, 0, 100, 8 }, &tv, &ts, 100000);
    s = ts_canvas_text(c);
    /* Widths: state 7, job 4 ("node"), endpoint 21 (the URL, used when
     * there is no instance), last 11, duration 9, samples 8, one apart
     * (66 in all); the 34 left: labels 13, error 20. The labels wrap in
     * their 13 columns, at the spaces where they can: "{env="prod","
     * (12), "instance="a:9100"," is 18 so it breaks at 13, then
     * "100","; "job="node"}". */
    assert_string_equal(s,
        "STATE   JOB  ENDPOINT              LAST SCRAPE  DURATION  SAMPLES"
        " LABELS        ERROR\n"
        "up      node a:9100                3.2s ago      12.3 ms     1234"
        " {env=\"prod\",\n"
        "                                                                 "
        " instance=\"a:9\n"
        "                                                                 "
        " 100\",\n"
        "                                                                 "
        " job=\"node\"}\n"
        "down    app  http://b:8080/metrics 2m ago           10 s        0"
        " {}            connection refused\n"
        "unknown new  c:1                   never               -        0"
        " {}\n"
        "\n");
    assert_int_equal(view_targets_height(&tv, &ts, 100), 7);
    assert_int_equal(canvas_cell(c, 66, 3)->role, ROLE_LABEL);
    free(s);
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_GOOD);
    assert_int_equal(canvas_cell(c, 0, 5)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 0, 6)->role, ROLE_STALE);
    assert_int_equal(canvas_cell(c, 80, 5)->role, ROLE_CRIT);
    canvas_free(c);
}

/*
 * The error wraps too, and every line of a selected row is shown
 * selected. Alone, "app" makes the job column 3 wide: labels get 14
 * columns from 65, the error 20 from 80, where the 30 cells of this one
 * take two lines.
 */
static void
test_wrapped_error_selected(void **state)
{
    struct canvas *c = canvas_new(100, 4, true);
    struct target_row r = rows[1];
    struct target_view tv = { .rows = &r, .n = 1 };
    struct targets_state ts = { .sel = 0 };
    char *s;

    (void)state;
    r.last_error = "connection refused by 10.0.0.1";
    view_draw_targets(c, (struct rect){ 0, 0, 100, 4 }, &tv, &ts, 100000);
    s = ts_canvas_text(c);
    assert_non_null(strstr(s, " {}             connection refused\n"
                              "                                        "
                              "                                        "
                              "by 10.0.0.1\n"));
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_SELECTION);
    assert_int_equal(canvas_cell(c, 80, 2)->role, ROLE_SELECTION);
    assert_int_equal(canvas_cell(c, 80, 3)->role, ROLE_DEFAULT);
    assert_int_equal(view_targets_height(&tv, &ts, 100), 3);
    free(s);
    canvas_free(c);
}

/*
 * 60 wide: state 7, job 4, endpoint 8 (its minimum), last 11, duration
 * 9, samples 8 and their gaps take 53; labels get 7 * 2 / 5 = 2, the
 * error 4. The expansion's keys sit at column 2, values at column 20
 * wrapped to 40 cells: the target labels (43 cells) break after the
 * comma at 30.
 */
static void
test_expanded_dropped_errors(void **state)
{
    struct canvas *c = canvas_new(60, 12, true);
    struct target_view tv = { .rows = rows, .n = 1, .dropped = dropped,
                              .ndropped = 1, .errors = errors,
                              .nerrors = 1 };
    struct targets_state ts = { .sel = 0, .expanded = true,
                                .dropped = true };
    char *s;

    (void)state;
    view_draw_targets(c, (struct rect){ 0, 0, 60, 12 }, &tv, &ts, 100000);
    s = ts_canvas_text(c);
    assert_string_equal(s,
        "STATE   JOB  ENDPOINT LAST SCRAPE  DURATION  SAMPLES LA ERRO\n"
        "discovery error: dns: lookup x: no such host\n"
        "up      node a:9100   3.2s ago      12.3 ms     1234 {e\n"
        "  discovered labels {__address__=\"a:9100\", job=\"node\"}\n"
        "  target labels     {env=\"prod\", instance=\"a:9100\",\n"
        "                    job=\"node\"}\n"
        "DROPPED BY RELABELLING (1)\n"
        "node dropped by relabel rule 1 (drop)\n"
        "     {__address__=\"b:9100\"}\n"
        "\n\n\n");
    /* The selected row takes the selection role across the line. */
    assert_int_equal(canvas_cell(c, 0, 2)->role, ROLE_SELECTION);
    assert_int_equal(canvas_cell(c, 13, 2)->role, ROLE_SELECTION);
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 5, 7)->role, ROLE_WARN);
    assert_int_equal(view_targets_height(&tv, &ts, 60), 9);
    free(s);
    /* Collapsed, dropped hidden: a note says how many and which key. */
    ts.expanded = false;
    ts.dropped = false;
    canvas_clear(c);
    view_draw_targets(c, (struct rect){ 0, 0, 60, 12 }, &tv, &ts, 100000);
    s = ts_canvas_text(c);
    assert_non_null(strstr(s, "up      node a:9100 "));
    assert_null(strstr(s, "discovered labels"));
    assert_non_null(strstr(s, "\n1 dropped by relabelling (d shows)\n"));
    assert_int_equal(view_targets_height(&tv, &ts, 60), 4);
    free(s);
    canvas_free(c);
}

static void
test_selection_scrolls(void **state)
{
    struct canvas *c = canvas_new(40, 3, true);
    struct target_view tv = { .rows = rows, .n = 3 };
    struct targets_state ts = { .sel = 2 };
    char *s;

    (void)state;
    /* Two rows fit under the header: showing row 2 scrolls by one. */
    view_draw_targets(c, (struct rect){ 0, 0, 40, 3 }, &tv, &ts, 100000);
    assert_int_equal(ts.scroll, 1);
    s = ts_canvas_text(c);
    assert_non_null(strstr(s, "\ndown "));
    assert_non_null(strstr(s, "\nunknown "));
    assert_null(strstr(s, "\nup "));
    free(s);
    ts.sel = 0;
    view_draw_targets(c, (struct rect){ 0, 0, 40, 3 }, &tv, &ts, 100000);
    assert_int_equal(ts.scroll, 0);
    /* Out of range selections and scrolls are clamped. */
    ts.sel = 99;
    ts.scroll = 99;
    view_draw_targets(c, (struct rect){ 0, 0, 40, 3 }, &tv, &ts, 100000);
    assert_int_equal(ts.sel, 2);
    assert_int_equal(ts.scroll, 1);
    tv.n = 0;
    ts.sel = -1;
    assert_int_equal(view_targets_height(&tv, &ts, 40), 2);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_wrapped_error_selected),
        cmocka_unit_test(test_expanded_dropped_errors),
        cmocka_unit_test(test_selection_scrolls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
