/*
 * Graphs on a text canvas: braille dots for horizontal lines at the
 * bottom and top pixel rows, unjoined points across gaps, stacking (and
 * as percent), the y axis labels, the x axis time and the legend; and
 * what overrides change: negative-Y, display names, colours, units, the
 * right-hand axis and hidden series. Expected braille cells
 * come from the dot numbering: bottom row of a cell is dots 7 and 8
 * (0x40, 0x80), top row dots 1 and 4 (0x01, 0x08).
 */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/frame.h"
#include "ui/graph.h"
#include "ui/theme.h"

static int
setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    return ts_arena_setup(state);
}

/* A matrix of n series named by `name`, each with points (t[i], v[s][i]). */
static struct qresult *
matrix(size_t n, const char *const *names, const int64_t *t,
       const double *v, size_t npts)
{
    return ts_named_series(QV_MATRIX, n, names, t, v, npts);
}

static struct panel
graph_panel(struct panel_query *q)
{
    struct panel p = {
        .title = "g", .kind = PANEL_GRAPH, .decimals = -1, .min = NAN,
        .max = NAN, .width = 1, .queries = q, .nqueries = 1,
    };

    return p;
}

static const char *const ab[] = { "a", "b" };
static const int64_t t2[] = { 0, 3600000 };

static void
test_two_flat_lines(void **state)
{
    /* a = 0 on the bottom pixel row, b = 10 on the top one. */
    const double v[] = { 0, 0, 10, 10 };
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = matrix(2, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    struct canvas *c = canvas_new(10, 4, false);
    char *s;

    (void)state;
    /* 10 wide is too narrow for a y axis; 4 high leaves no legend. */
    s = ts_draw_on(c, graph_class.draw, &p, &ctx);
    assert_string_equal(s,
        "\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89"
        "\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89\n"
        "\n"
        "\xe2\xa3\x80\xe2\xa3\x80\xe2\xa3\x80\xe2\xa3\x80\xe2\xa3\x80"
        "\xe2\xa3\x80\xe2\xa3\x80\xe2\xa3\x80\xe2\xa3\x80\xe2\xa3\x80\n"
        "00:00\n");
    assert_int_equal(canvas_cell(c, 3, 0)->role, ROLE_SERIES2);
    assert_int_equal(canvas_cell(c, 3, 2)->role, ROLE_SERIES1);
    free(s);
    canvas_free(c);
}

static void
test_gap_not_joined(void **state)
{
    /* Points an hour apart with a 1 s step: two lone dots. */
    const double v[] = { 0, 0, 10, 10 };
    struct panel_query q = { .expr = "x", .result = matrix(2, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 1000 };
    char *s;

    (void)state;
    s = ts_draw(graph_class.draw, &p, &ctx, 10, 4, true);
    /* ASCII: two dots per cell, top "'", bottom ".". */
    assert_string_equal(s, "'        '\n\n.        .\n00:00\n");
    free(s);
}

static void
test_block_fallback(void **state)
{
    /* Half blocks: 1 x 2 pixels per cell; 3 plot rows are 6 pixel rows.
     * b = 10 is the top pixel (upper half of row 0), a = 0 the bottom
     * one (lower half of row 2). */
    const double v[] = { 0, 0, 10, 10 };
    struct panel_query q = { .expr = "x", .result = matrix(2, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    struct canvas *c = canvas_new(10, 4, false);
    char *s;

    (void)state;
    canvas_set_glyphs(c, GLYPHS_BLOCK);
    s = ts_draw_on(c, graph_class.draw, &p, &ctx);
    assert_string_equal(s,
        "\u2580\u2580\u2580\u2580\u2580\u2580\u2580\u2580\u2580\u2580\n"
        "\n"
        "\u2584\u2584\u2584\u2584\u2584\u2584\u2584\u2584\u2584\u2584\n"
        "00:00\n");
    free(s);
    /* Plain characters on a UTF-8 canvas when asked for: "'" is the
     * upper pixel, "." the lower. */
    canvas_set_glyphs(c, GLYPHS_ASCII);
    assert_int_equal(canvas_glyphs(c), GLYPHS_ASCII);
    s = ts_draw_on(c, graph_class.draw, &p, &ctx);
    assert_string_equal(s, "''''''''''\n\n..........\n00:00\n");
    free(s);
    canvas_free(c);
}

/* Where legend line "* name" starts in s, or NULL. */
static const char *
legend_line(const char *s, const char *name)
{
    char want[16];

    snprintf(want, sizeof want, "\n* %s ", name);
    return strstr(s, want);
}

static void
test_sort_and_topn(void **state)
{
    /* Last values: a 1, b 3, c 2. */
    static const char *const abc[] = { "a", "b", "c" };
    const double v[] = { 1, 1, 3, 3, 2, 2 };
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = matrix(3, abc, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    char *s;

    (void)state;
    /* Ascending: a, c, b in the legend (12 rows leave room for 4). */
    p.sort = SORT_ASC;
    s = ts_draw(graph_class.draw, &p, &ctx, 30, 12, true);
    assert_non_null(legend_line(s, "a"));
    assert_true(legend_line(s, "a") < legend_line(s, "c"));
    assert_true(legend_line(s, "c") < legend_line(s, "b"));
    free(s);
    /* Top 2: the largest two, largest first; a is not drawn at all. */
    p.sort = SORT_NONE;
    p.topn = 2;
    s = ts_draw(graph_class.draw, &p, &ctx, 30, 12, true);
    assert_non_null(legend_line(s, "b"));
    assert_true(legend_line(s, "b") < legend_line(s, "c"));
    assert_null(legend_line(s, "a"));
    assert_int_equal(frame_want_height(&p, 30), 10 + 2 + 2);
    free(s);
}

static void
test_stacking(void **state)
{
    /* Two series at 5: stacked they reach 5 and 10 over a base of 0.
     * On 12 pixel rows, 5 is row round(5.5) = 6 from the bottom: the
     * second dot row of the middle cell (dots 2 and 5: 0x12). */
    const double v[] = { 5, 5, 5, 5 };
    struct panel_query q = { .expr = "x", .result = matrix(2, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    struct canvas *c = canvas_new(10, 4, false);

    (void)state;
    p.stack = true;
    graph_class.draw(&p, &ctx, c, (struct rect){ 0, 0, 10, 4 });
    assert_int_equal(canvas_cell(c, 4, 0)->ch, 0x2809);
    assert_int_equal(canvas_cell(c, 4, 0)->role, ROLE_SERIES2);
    assert_int_equal(canvas_cell(c, 4, 1)->ch, 0x2812);
    assert_int_equal(canvas_cell(c, 4, 1)->role, ROLE_SERIES1);
    assert_int_equal(canvas_cell(c, 4, 2)->ch, ' ');
    canvas_free(c);
}

static void
test_axes_and_legend(void **state)
{
    const double v[] = { 0, 0, 10, 10 };
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = matrix(2, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    char *s;

    (void)state;
    /* 8 rows: a legend of 2, an x axis, 5 rows of plot. Labels: 10 at
     * the top, 0 at the bottom and, on row 2, the value at pixel row
     * 9.5 of 19: 5. The middle time starts at 3 + 27 / 2 - 2 = 14.
     * Legend stats longer than 2/3 of the width (20) shrink to the last
     * value: "last 10  min 10  max 10" is 23 wide. */
    s = ts_draw(graph_class.draw, &p, &ctx, 30, 8, true);
    assert_string_equal(s,
        "10+'''''''''''''''''''''''''''\n"
        "  |\n"
        " 5+\n"
        "  |\n"
        " 0+...........................\n"
        "   00:00      00:30      01:00\n"
        "* a       last 0  min 0  max 0\n"
        "* b                         10\n");
    free(s);
}

static void
test_flat_zero_axis(void **state)
{
    /* All zeros: the axis runs 0..1 with the line at the bottom, as
     * Grafana draws it, not -1..1 with the line in the middle. Labels:
     * 1 at the top, 0 at the bottom, 0.5 at pixel row 9.5 of 19, right
     * aligned to the widest ("500m"), so the plot is 25 wide from column
     * 5 and the middle time starts at 5 + 25 / 2 - 2 = 15. */
    const double v[] = { 0, 0 };
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = matrix(1, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    char *s;

    (void)state;
    s = ts_draw(graph_class.draw, &p, &ctx, 30, 7, true);
    assert_string_equal(s,
        "   1+\n"
        "    |\n"
        "500m+\n"
        "    |\n"
        "   0+.........................\n"
        "     00:00     00:30     01:00\n"
        "* a       last 0  min 0  max 0\n");
    free(s);
}

static void
test_two_scalars(void **state)
{
    struct qresult a = { .type = QV_SCALAR, .t = 3600000, .scalar = 3 };
    struct qresult b = { .type = QV_SCALAR, .t = 3600000, .scalar = 7 };
    struct panel_query q[2] = { { .expr = "3", .result = &a },
                                { .expr = "7", .result = &b } };
    struct panel p = graph_panel(q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    char *s;

    (void)state;
    /* Each scalar keeps its own point: the legend shows both values. */
    p.nqueries = 2;
    s = ts_draw(graph_class.draw, &p, &ctx, 30, 8, true);
    assert_non_null(strstr(s, "* {}      last 3  min 3  max 3\n"));
    assert_non_null(strstr(s, "* {}      last 7  min 7  max 7\n"));
    free(s);
}

/* A series of NaN only: "no data" in the legend, not "last NaN min +Inf
 * max -Inf", and nothing on the plot. */
static void
test_all_nan_legend(void **state)
{
    const double v[] = { NAN, NAN, 10, 10 };
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = matrix(2, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    char *s;

    (void)state;
    s = ts_draw(graph_class.draw, &p, &ctx, 40, 8, true);
    /* b alone sets the range: flat 10, widened by a tenth each way. */
    assert_string_equal(s,
        "11+\n"
        "  |\n"
        "10+'''''''''''''''''''''''''''''''''''''\n"
        "  |\n"
        " 9+\n"
        "   00:00           00:30           01:00\n"
        "* a                              no data\n"
        "* b              last 10  min 10  max 10\n");
    free(s);
}

static const char *const rxtx[] = { "rx", "tx" };

/* Grafana's network panel: transmit drawn below the axis (negative-Y),
 * in bits per second; the legend keeps the values as they are. */
static void
test_negative_y(void **state)
{
    const double v[] = { 8e6, 8e6, 4e6, 4e6 };
    struct series_override o = { .match = MATCH_NAME, .pattern = "tx",
                                 .set = OVR_NEGATIVE, .negative = true };
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = matrix(2, rxtx, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    struct canvas *c = canvas_new(40, 9, true);
    char *s;

    (void)state;
    assert_int_equal(model_unit_by_name("bps", &p.unit), 0);
    p.overrides = &o;
    p.noverrides = 1;
    s = ts_draw_on(c, graph_class.draw, &p, &ctx);
    /* rx at 8 Mb/s on the top row, tx at -4 Mb/s on the bottom one. */
    assert_string_equal(s,
        "   8 Mb/s+''''''''''''''''''''''''''''''\n"
        "         |\n"
        "3.09 Mb/s+\n"
        "         |\n"
        "         |\n"
        "  -4 Mb/s+..............................\n"
        "          00:00        00:30       01:00\n"
        "* rx                              8 Mb/s\n"
        "* tx                              4 Mb/s\n");
    assert_int_equal(canvas_cell(c, 10, 5)->role, ROLE_SERIES2);
    free(s);
    canvas_free(c);
}

/* Percent stacking: each series as its share of the column's total, the
 * axis in percent; the legend in the series' own unit. */
static void
test_percent_stacking(void **state)
{
    const double v[] = { 1, 1, 3, 3 };
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = matrix(2, ab, t2, v, 2) };
    struct panel p = graph_panel(&q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    char *s;

    (void)state;
    p.stack = true;
    p.stack_percent = true;
    s = ts_draw(graph_class.draw, &p, &ctx, 40, 9, true);
    /* a is 25% (pixel row 0.25 * 11, rounded to 3 of 12), b on top of
     * it reaches 100%. */
    assert_string_equal(s,
        " 100%+''''''''''''''''''''''''''''''''''\n"
        "     |\n"
        "59.1%+\n"
        "     |\n"
        "     |''''''''''''''''''''''''''''''''''\n"
        "   0%+\n"
        "      00:00          00:30         01:00\n"
        "* a                 last 1  min 1  max 1\n"
        "* b                 last 3  min 3  max 3\n");
    free(s);
}

/* Display names from a template, a colour, a unit and the right-hand
 * axis from overrides; a series hidden from the graph, another from the
 * legend. */
static void
test_names_colours_right_axis(void **state)
{
    static const char *const abc[] = { "a", "b", "c" };
    const double v[] = { 10, 10, 2048, 2048, 5, 5 };
    struct series_override o[] = {
        { .match = MATCH_ALL, .set = OVR_NAME,
          .display_name = "${__field.labels.name} disk" },
        { .match = MATCH_NAME, .pattern = "b", .set = OVR_AXIS | OVR_UNIT
          | OVR_COLOR, .right = true, .unit = UNIT_BYTES,
          .role = ROLE_CRIT },
        { .match = MATCH_QUERY, .pattern = "B", .set = OVR_HIDE,
          .hide = HIDE_GRAPH },
    };
    struct panel_query q[] = {
        { .expr = "x", .legend = "{{name}}", .ref_id = "A",
          .result = matrix(2, abc, t2, v, 2) },
        { .expr = "y", .legend = "{{name}}", .ref_id = "B",
          .result = matrix(1, abc + 2, t2, v + 4, 2) },
    };
    struct panel p = graph_panel(q);
    struct widget_ctx ctx = { 0, 3600000, 0 };
    struct canvas *c = canvas_new(40, 10, true);
    char *s;

    (void)state;
    p.nqueries = 2;
    p.overrides = o;
    p.noverrides = 3;
    s = ts_draw_on(c, graph_class.draw, &p, &ctx);
    /* a (10) on the left scale, b (2 KiB) on the right one, both flat
     * in the middle of their own; c (query B) not drawn but listed. */
    assert_string_equal(s,
        "  11+                          +2.2 KiB\n"
        "    |                          |\n"
        "10.2+..........................+2.04 KiB\n"
        "    |''''''''''''''''''''''''''|\n"
        "    |                          |\n"
        "   9+                          +1.8 KiB\n"
        "     00:00      00:30     01:00\n"
        "* a disk         last 10  min 10  max 10\n"
        "* b disk (right)                   2 KiB\n"
        "* c disk            last 5  min 5  max 5\n");
    assert_int_equal(canvas_cell(c, 5, 3)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 0, 8)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 5, 2)->role, ROLE_SERIES1);
    free(s);
    /* Hidden from the legend instead: c's line goes. */
    o[2].hide = HIDE_LEGEND;
    s = ts_draw_on(c, graph_class.draw, &p, &ctx);
    assert_null(strstr(s, "c disk"));
    free(s);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_flat_lines, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_gap_not_joined, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_block_fallback, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_sort_and_topn, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_stacking, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_axes_and_legend, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_flat_zero_axis, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_two_scalars, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_all_nan_legend, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_negative_y, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_percent_stacking, setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_names_colours_right_axis, setup,
                                        ts_arena_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
