/*
 * Bar meters: sorting largest first, top N, eighth-cell fills worked out
 * by hand (frac * width * 8 eighths, the remainder as a partial block),
 * threshold colours and the ASCII fallback.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/bars.h"
#include "ui/theme.h"

/* An instant vector: series named names[i] with value v[i]. */
static struct qresult *
vector(const char *const *names, const double *v, size_t n)
{
    static const int64_t t0[] = { 0 };

    return ts_named_series(QV_VECTOR, n, names, t0, v, 1);
}

static const char *const abc[] = { "a", "b", "c" };
static const double vals[] = { 10, 40, 20 };

static struct panel
bars_panel(struct panel_query *q)
{
    struct panel p = {
        .title = "b", .kind = PANEL_BARS, .decimals = -1, .min = NAN,
        .max = NAN, .width = 1, .queries = q, .nqueries = 1,
    };

    return p;
}

static void
test_sorted_with_eighths(void **state)
{
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = vector(abc, vals, 3) };
    struct panel p = bars_panel(&q);
    struct canvas *c = canvas_new(30, 3, false);
    char *s;

    (void)state;
    /* Label 1 + gap, meter 30 - 1 - 2 - 2 = 25, gap, value 2. Scale 0-40:
     * 20 is 100 eighths = 12 full + 4/8 (U+258C); 10 is 50 = 6 + 2/8
     * (U+258E). The rest of a meter is U+2500. */
    s = ts_draw_on(c, bars_class.draw, &p, NULL);
    assert_string_equal(s,
        "b \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88 40\n"
        "c \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8c"
        "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
        "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
        "\xe2\x94\x80\xe2\x94\x80 20\n"
        "a \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x8e"
        "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
        "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
        "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
        "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80 10\n");
    /* Colours follow each series' place in the query: b is second. */
    assert_int_equal(canvas_cell(c, 2, 0)->role, ROLE_SERIES2);
    assert_int_equal(canvas_cell(c, 20, 0)->role, ROLE_SERIES2);
    assert_int_equal(canvas_cell(c, 20, 1)->role, ROLE_METER_BG);
    free(s);
    canvas_free(c);
}

static void
test_topn_ascii_thresholds(void **state)
{
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = vector(abc, vals, 3) };
    struct panel p = bars_panel(&q);
    struct threshold th[] = { { 30, ROLE_CRIT }, { 15, ROLE_WARN } };
    struct canvas *c = canvas_new(16, 3, true);
    char *s;

    (void)state;
    p.topn = 2;
    p.max = 80;
    p.thresholds = th;
    p.nthresholds = 2;
    /* Meter 16 - 1 - 2 - 2 = 11 wide, scale 0-80: 40 is 44 eighths (5
     * full cells), 20 is 22 eighths (2 full cells); ASCII shows no
     * partial cells. */
    s = ts_draw_on(c, bars_class.draw, &p, NULL);
    assert_string_equal(s, "b #####...... 40\nc ##......... 20\n\n");
    assert_int_equal(canvas_cell(c, 2, 0)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 2, 1)->role, ROLE_WARN);
    free(s);
    canvas_free(c);
}

static void
test_sort_ascending(void **state)
{
    struct panel_query q = { .expr = "x", .legend = "{{name}}",
                             .result = vector(abc, vals, 3) };
    struct panel p = bars_panel(&q);
    char *s;

    (void)state;
    /* Smallest first: a (10), c (20), b (40); each row starts with its
     * label. A top N is always of the largest, largest first. */
    p.sort = SORT_ASC;
    s = ts_draw(bars_class.draw, &p, NULL, 30, 3, true);
    assert_true(s[0] == 'a' && strstr(s, "\nc ") != NULL
                && strstr(s, "\nb ") > strstr(s, "\nc "));
    free(s);
    p.topn = 2;
    s = ts_draw(bars_class.draw, &p, NULL, 30, 3, true);
    assert_true(s[0] == 'b' && strstr(s, "\nc ") != NULL);
    assert_null(strstr(s, "\na "));
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sort_ascending, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_sorted_with_eighths,
                                        ts_arena_setup, ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_topn_ascii_thresholds,
                                        ts_arena_setup, ts_arena_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
