/*
 * Gauges: the value centred above a meter filled to its place between
 * min and max, the ends below; 0..100 for percent, the panel's min and
 * max when set; coloured by the highest threshold reached. Expected
 * screens are worked out from the rules in ui/gauge.c and ui/bars.h:
 * a 20-cell meter at 75 % holds lround(0.75 * 20 * 8) = 120 eighths,
 * 15 full cells.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/frame.h"
#include "ui/gauge.h"
#include "ui/theme.h"

static struct qresult *
one_value(double v)
{
    struct qresult *r = ts_qresult(QV_MATRIX, 1);

    ts_qseries_alloc(&r->series[0], 0, 1);
    r->series[0].points[0].t = 1000;
    r->series[0].points[0].v = v;
    return r;
}

static struct threshold th[] = { { 80, ROLE_WARN } };

static struct panel
gauge_panel(struct panel_query *q, enum unit u)
{
    struct panel p = {
        .title = "CPU", .kind = PANEL_GAUGE, .unit = u, .decimals = -1,
        .min = NAN, .max = NAN, .width = 1, .thresholds = th,
        .nthresholds = 1, .queries = q, .nqueries = 1,
    };

    return p;
}

/* The range drawn: it ends at the one point, at 1 s. */
static const struct widget_ctx at_1s = { 0, 1000, 0 };

static void
test_percent_ascii(void **state)
{
    struct panel_query q = { .expr = "cpu", .result = one_value(75) };
    struct panel p = gauge_panel(&q, UNIT_PERCENT);
    struct canvas *c = canvas_new(20, 3, true);
    char *s;

    (void)state;
    s = ts_draw_on(c, gauge_class.draw, &p, &at_1s);
    assert_string_equal(s,
        "        75%\n"
        "###############.....\n"
        "0%              100%\n");
    /* 75 is under the threshold at 80: the first series colour. */
    assert_int_equal(canvas_cell(c, 8, 0)->role, ROLE_SERIES1);
    assert_int_equal(canvas_cell(c, 8, 0)->attr, ATTR_BOLD);
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_SERIES1);
    assert_int_equal(canvas_cell(c, 19, 1)->role, ROLE_METER_BG);
    free(s);
    canvas_free(c);
}

static void
test_threshold_colours(void **state)
{
    struct panel_query q = { .expr = "cpu", .result = one_value(90) };
    struct panel p = gauge_panel(&q, UNIT_PERCENT);
    struct canvas *c = canvas_new(20, 3, true);
    char *s;

    (void)state;
    s = ts_draw_on(c, gauge_class.draw, &p, &at_1s);
    /* 0.9 * 160 = 144 eighths: 18 cells. */
    assert_string_equal(s,
        "        90%\n"
        "##################..\n"
        "0%              100%\n");
    assert_int_equal(canvas_cell(c, 8, 0)->role, ROLE_WARN);
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_WARN);
    free(s);
    canvas_free(c);
}

static void
test_big_value_utf8(void **state)
{
    struct panel_query q = { .expr = "cpu", .result = one_value(75) };
    struct panel p = gauge_panel(&q, UNIT_PERCENT);
    char *s;

    (void)state;
    /* "75%": two big digits (3 + 1 + 3 cells) and "%", 8 cells centred
     * from column 6; the unit sits on the digits' bottom row. */
    s = ts_draw(gauge_class.draw, &p, &at_1s, 20, 5, false);
    assert_string_equal(s,
        "      \u2580\u2580\u2588 \u2588\u2580\u2580\n"
        "        \u2588 \u2580\u2580\u2588\n"
        "        \u2580 \u2580\u2580\u2580%\n"
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
        "\u2588\u2588\u2588\u2588\u2588\u2500\u2500\u2500\u2500\u2500\n"
        "0%              100%\n");
    free(s);
}

static void
test_panel_range_and_percentunit(void **state)
{
    struct panel_query q = { .expr = "x", .result = one_value(50) };
    struct panel p = gauge_panel(&q, UNIT_NONE);
    char *s;

    (void)state;
    p.min = 0;
    p.max = 200;
    p.nthresholds = 0;
    s = ts_draw(gauge_class.draw, &p, &at_1s, 20, 3, true);
    /* 50 of 200: 40 eighths, 5 cells. */
    assert_string_equal(s,
        "         50\n"
        "#####...............\n"
        "0                200\n");
    free(s);
    q.result = one_value(0.5);
    p = gauge_panel(&q, UNIT_PERCENTUNIT);
    s = ts_draw(gauge_class.draw, &p, &at_1s, 20, 3, true);
    assert_string_equal(s,
        "        50%\n"
        "##########..........\n"
        "0%              100%\n");
    free(s);
}

static void
test_through_the_frame(void **state)
{
    struct panel_query q = { .expr = "cpu", .result = one_value(75) };
    struct panel p = gauge_panel(&q, UNIT_PERCENT);
    char *s;

    (void)state;
    s = ts_draw(frame_draw_panel, &p, &at_1s, 22, 5, true);
    assert_string_equal(s,
        "+ CPU ---------------+\n"
        "|        75%         |\n"
        "|###############.....|\n"
        "|0%              100%|\n"
        "+--------------------+\n");
    free(s);
}

/* A value of NaN only is "no data", with no meter. */
static void
test_all_nan_is_no_data(void **state)
{
    struct panel_query q = { .expr = "x", .result = one_value(NAN) };
    struct panel p = gauge_panel(&q, UNIT_PERCENT);
    char *s = ts_draw(gauge_class.draw, &p, &at_1s, 12, 3, true);

    (void)state;
    assert_string_equal(s, "\n  no data\n\n");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent_ascii),
        cmocka_unit_test(test_threshold_colours),
        cmocka_unit_test(test_big_value_utf8),
        cmocka_unit_test(test_panel_range_and_percentunit),
        cmocka_unit_test(test_through_the_frame),
        cmocka_unit_test(test_all_nan_is_no_data),
    };

    return cmocka_run_group_tests(tests, ts_arena_setup,
                                  ts_arena_teardown);
}
