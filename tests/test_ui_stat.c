/*
 * Stats: the last value in the panel's unit, centred, bold, coloured by
 * the highest threshold reached, with a sparkline below when there is
 * room; and the panel frame around it (title, errors, "loading", "no data").
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/frame.h"
#include "ui/stat.h"
#include "ui/theme.h"

static struct qresult *
one_series(const double *v, size_t n)
{
    struct qresult *r = ts_qresult(QV_MATRIX, 1);

    ts_qseries_alloc(&r->series[0], 0, n);
    for (size_t i = 0; i < n; i++) {
        r->series[0].points[i].t = (int64_t)i * 1000;
        r->series[0].points[i].v = v[i];
    }
    return r;
}

static struct threshold th[] = { { 1000, ROLE_CRIT }, { 500, ROLE_WARN } };

static struct panel
stat_panel(struct panel_query *q)
{
    struct panel p = {
        .title = "Heap", .kind = PANEL_STAT, .unit = UNIT_BYTES,
        .decimals = -1, .min = NAN, .max = NAN, .width = 1,
        .thresholds = th, .nthresholds = 2, .queries = q, .nqueries = 1,
    };

    return p;
}

static void
test_value_only(void **state)
{
    const double v[] = { 100, 1536 };
    struct panel_query q = { .expr = "heap", .result = one_series(v, 2) };
    struct panel p = stat_panel(&q);
    struct canvas *c = canvas_new(20, 1, true);
    char *s;

    (void)state;
    /* "1.50 KiB" (as Grafana writes 1536 bytes) is 8 wide: centred at
     * (20 - 8) / 2 = 6. */
    s = ts_draw_on(c, stat_class.draw, &p, NULL);
    assert_string_equal(s, "      1.50 KiB\n");
    assert_int_equal(canvas_cell(c, 6, 0)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 6, 0)->attr, ATTR_BOLD);
    free(s);
    canvas_free(c);
}

static void
test_value_and_sparkline(void **state)
{
    const double v[] = { 0, 600 };
    struct panel_query q = { .expr = "heap", .result = one_series(v, 2) };
    struct panel p = stat_panel(&q);
    struct canvas *c = canvas_new(10, 4, true);
    char *s;

    (void)state;
    /* Four rows: two of sparkline at the bottom, the value centred in the
     * top two (row 0). 600 B is past the 500 threshold only. The line:
     * 0 is level 1, 600 is level 16 (two full cells). */
    s = ts_draw_on(c, stat_class.draw, &p, NULL);
    assert_string_equal(s, "  600 B\n\n         #\n        _#\n");
    assert_int_equal(canvas_cell(c, 2, 0)->role, ROLE_WARN);
    assert_int_equal(canvas_cell(c, 9, 3)->role, ROLE_WARN);
    free(s);
    canvas_free(c);
}

static void
test_big_digits(void **state)
{
    const double v[] = { 42 };
    struct panel_query q = { .expr = "n", .result = one_series(v, 1) };
    struct panel p = stat_panel(&q);
    struct canvas *c = canvas_new(20, 6, false);
    char *s;

    (void)state;
    p.unit = UNIT_NONE;
    p.nthresholds = 0;
    /* Six rows: "42" three rows tall (glyphs 3 wide, 1 apart: 7 cells,
     * from (20 - 7) / 2 = 6), a blank row, then a 2-row sparkline of one
     * point, which is flat: level 8, a full block in the last column. */
    s = ts_draw_on(c, stat_class.draw, &p, NULL);
    assert_string_equal(s,
        "      \u2588 \u2588 \u2580\u2580\u2588\n"
        "      \u2580\u2580\u2588 \u2588\u2580\u2580\n"
        "        \u2580 \u2580\u2580\u2580\n"
        "\n"
        "\n"
        "                   \u2588\n");
    assert_int_equal(canvas_cell(c, 6, 0)->role, ROLE_SERIES1);
    free(s);
    canvas_free(c);
}

static void
test_frame_error_and_no_data(void **state)
{
    struct panel_query q = { .expr = "heap(",
                             .error = "1:6: unexpected end of input" };
    struct panel p = stat_panel(&q);
    struct widget_ctx ctx = { 0, 0, 0 };
    char *s;

    (void)state;
    s = ts_draw(frame_draw_panel, &p, &ctx, 16, 5, true);
    /* The error wraps at spaces inside the 14-wide frame: "unexpected
     * end" is exactly 14. */
    assert_string_equal(s,
        "+ Heap --------+\n"
        "|error: 1:6:   |\n"
        "|unexpected end|\n"
        "|of input      |\n"
        "+--------------+\n");
    free(s);
    q.error = NULL;
    s = ts_draw(frame_draw_panel, &p, &ctx, 16, 5, true);
    assert_string_equal(s,
        "+ Heap --------+\n"
        "|              |\n"
        "|   no data    |\n"
        "|              |\n"
        "+--------------+\n");
    free(s);
    /* Not evaluated yet (a page shown before its queries ran). */
    q.pending = true;
    s = ts_draw(frame_draw_panel, &p, &ctx, 16, 5, true);
    assert_string_equal(s,
        "+ Heap --------+\n"
        "|              |\n"
        "|   loading    |\n"
        "|              |\n"
        "+--------------+\n");
    free(s);
}

static void
test_unsupported_kind(void **state)
{
    const double v[] = { 1 };
    struct panel_query q = { .expr = "x", .result = one_series(v, 1) };
    struct panel p = stat_panel(&q);
    struct widget_ctx ctx = { 0, 0, 0 };
    char *s;

    (void)state;
    /* A heatmap of a series without le has nothing to shade. */
    p.kind = PANEL_HEATMAP;
    p.title = "H";
    s = ts_draw(frame_draw_panel, &p, &ctx, 40, 3, true);
    assert_string_equal(s,
        "+ H -----------------------------------+\n"
        "|no le buckets                         |\n"
        "+--------------------------------------+\n");
    free(s);
    /* A kind beyond the table (a newer file) gets a message. */
    p.kind = PANEL_KIND_COUNT;
    s = ts_draw(frame_draw_panel, &p, &ctx, 40, 3, true);
    assert_string_equal(s,
        "+ H -----------------------------------+\n"
        "|   panel type not supported yet (?)   |\n"
        "+--------------------------------------+\n");
    free(s);
}

/* A series of NaN only has no number to show: "no data", not "NaN"; a
 * series with one comes first. */
static void
test_all_nan_is_no_data(void **state)
{
    const double nan2[] = { NAN, NAN }, one[] = { 7 };
    struct panel_query q[] = {
        { .expr = "a", .result = one_series(nan2, 2) },
        { .expr = "b", .result = one_series(one, 1) },
    };
    struct panel p = stat_panel(q);
    struct canvas *c = canvas_new(20, 1, true);
    char *s;

    (void)state;
    s = ts_draw_on(c, stat_class.draw, &p, NULL);
    assert_string_equal(s, "      no data\n");
    assert_int_equal(canvas_cell(c, 6, 0)->role, ROLE_INACTIVE);
    free(s);
    p.nqueries = 2;
    s = ts_draw_on(c, stat_class.draw, &p, NULL);
    assert_string_equal(s, "        7 B\n");
    free(s);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_value_only, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_value_and_sparkline,
                                        ts_arena_setup, ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_big_digits, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_frame_error_and_no_data,
                                        ts_arena_setup, ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_unsupported_kind, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_all_nan_is_no_data,
                                        ts_arena_setup, ts_arena_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
