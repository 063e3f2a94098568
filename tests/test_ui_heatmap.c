/*
 * Heatmaps: rate()d bucket counters by le become a matrix of columns
 * over time and rows per bucket, each cell the count of its own bucket
 * (the difference of adjacent le), shaded in quarters of the largest
 * count. Expected screens are worked out by hand below.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/heatmap.h"
#include "ui/theme.h"

/* Four series at t = 0, 1, 2, 3 s: le 0.1, le 0.5 twice (instances a
 * and b, which add up) and le +Inf. */
static const char *const les[] = { "0.1", "0.5", "0.5", "+Inf" };
static const char *const insts[] = { "a", "a", "b", "a" };
static const double vals[4][4] = {
    { 1, 0, 2, 4 },
    { 1, 0, 1, 4 },
    { 2, 0, 1, 4 },
    { 4, 0, 6, 8 },
};

static struct qresult *
buckets(void)
{
    struct qresult *r = ts_qresult(QV_MATRIX, 4);

    for (size_t i = 0; i < 4; i++) {
        struct qseries *s = &r->series[i];

        ts_qseries_alloc(s, 2, 4);
        s->labels.v[0] = (struct label){ "instance", insts[i] };
        s->labels.v[1] = (struct label){ "le", les[i] };
        for (size_t j = 0; j < 4; j++)
            s->points[j] = (struct qpoint){ (int64_t)j * 1000,
                                            vals[i][j] };
    }
    return r;
}

static struct panel
heat_panel(struct panel_query *q)
{
    struct panel p = {
        .title = "Latency", .kind = PANEL_HEATMAP, .unit = UNIT_SECONDS,
        .decimals = -1, .min = NAN, .max = NAN, .width = 1, .queries = q,
        .nqueries = 1,
    };

    return p;
}

/*
 * Cumulative per time (le 0.1, 0.5, +Inf): (1, 3, 4), (0, 0, 0),
 * (2, 2, 6), (4, 8, 8); per bucket: (1, 2, 1), (0, 0, 0), (2, 0, 4),
 * (4, 4, 0). The largest is 4, so 1 is the first quarter (.), 2 the
 * second (:) and 4 the fourth (#); 0 stays blank. Labels "100 ms",
 * "500 ms", "+Inf" take 6 cells, then a space, then 4 columns.
 */
static void
test_ascii_matrix(void **state)
{
    struct panel_query q = { .expr = "sum by (le) (rate(x[5m]))",
                             .result = buckets() };
    struct panel p = heat_panel(&q);
    struct widget_ctx ctx = { 0, 3000, 1000 };
    struct canvas *c = canvas_new(11, 4, true);
    char *s;

    (void)state;
    s = ts_draw_on(c, heatmap_class.draw, &p, &ctx);
    assert_string_equal(s,
        "  +Inf . #\n"
        "500 ms :  #\n"
        "100 ms . :#\n"
        "\n");
    assert_int_equal(canvas_cell(c, 10, 1)->role, ROLE_SERIES1);
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_LABEL);
    free(s);
    canvas_free(c);
}

static void
test_utf8_shades_and_times(void **state)
{
    struct panel_query q = { .expr = "x", .result = buckets() };
    struct panel p = heat_panel(&q);
    struct widget_ctx ctx = { 0, 3000, 1000 };
    char *s;

    (void)state;
    setenv("TZ", "UTC", 1);
    /* 12 columns: t = 0..3 s land on columns 0, 4 (11/3 rounds up), 7
     * and 11; the times fit under them. */
    s = ts_draw(heatmap_class.draw, &p, &ctx, 19, 4, false);
    assert_string_equal(s,
        "  +Inf \u2591      \u2588\n"
        "500 ms \u2592          \u2588\n"
        "100 ms \u2591      \u2592   \u2588\n"
        "       00:00  00:00\n");
    free(s);
}

static void
test_buckets_share_rows(void **state)
{
    struct panel_query q = { .expr = "x", .result = buckets() };
    struct panel p = heat_panel(&q);
    struct widget_ctx ctx = { 0, 3000, 1000 };
    char *s;

    (void)state;
    /* Two rows, no time axis: row 0 holds bucket 0.1 alone (counts 1,
     * 0, 2, 4), row 1 buckets 0.5 and +Inf (3, 0, 4, 4), labelled by
     * the upper le. The largest is 4: 1 is '.', 2 ':', 3 (the third
     * quarter) '+', 4 '#'. */
    s = ts_draw(heatmap_class.draw, &p, &ctx, 11, 2, true);
    assert_string_equal(s,
        "  +Inf + ##\n"
        "100 ms . :#\n");
    free(s);
}

static void
test_no_buckets(void **state)
{
    struct qresult *r = buckets();
    struct panel_query q = { .expr = "x", .result = r };
    struct panel p = heat_panel(&q);
    struct widget_ctx ctx = { 0, 3000, 1000 };
    char *s;

    (void)state;
    for (size_t i = 0; i < r->nseries; i++)
        r->series[i].labels.n = 1;      /* only "instance" remains */
    s = ts_draw(heatmap_class.draw, &p, &ctx, 16, 3, true);
    assert_string_equal(s, "no le buckets\n\n\n");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_matrix),
        cmocka_unit_test(test_utf8_shades_and_times),
        cmocka_unit_test(test_buckets_share_rows),
        cmocka_unit_test(test_no_buckets),
    };

    return cmocka_run_group_tests(tests, ts_arena_setup,
                                  ts_arena_teardown);
}
