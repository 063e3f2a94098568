/*
 * Sparklines on a text canvas. The expected cells are worked out by hand
 * from the scaling rule in ui/sparkline.h: with lo = 0 and hi = 23 on a
 * 3-row canvas (24 levels), level = 1 + v; row k from the bottom shows
 * min(8, level - 8k) eighths.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ui/sparkline.h"
#include "ui/theme.h"

static struct qpoint pts[64];

static struct qseries
series(const double *v, size_t n)
{
    struct qseries s = { { NULL, 0 }, pts, n };

    for (size_t i = 0; i < n; i++) {
        pts[i].t = 1000 * (int64_t)i;
        pts[i].v = v[i];
    }
    return s;
}

static void
expect_text(const struct canvas *c, const char *want)
{
    struct buf b;

    buf_init(&b, 0);
    canvas_to_text(c, &b);
    assert_string_equal(buf_str(&b), want);
    buf_fini(&b);
}

static const double known[] = { 0, 23, 7, 8, 15, 16, 11, 3, 4, 12, 20, 23 };

static void
test_known_series_20x3(void **state)
{
    struct canvas *c = canvas_new(20, 3, false);
    struct qseries s = series(known, 12);

    (void)state;
    spark_draw(c, (struct rect){ 0, 0, 20, 3 }, &s, ROLE_SERIES1, NAN, NAN);
    /* Twelve points, right-aligned: columns 8-19. Levels 1 24 8 9 16 17
     * 12 4 5 13 21 24. */
    expect_text(c,
        "         \xe2\x96\x88   \xe2\x96\x81    \xe2\x96\x85\xe2\x96\x88\n"
        "         \xe2\x96\x88 \xe2\x96\x81\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x84  \xe2\x96\x85\xe2\x96\x88\xe2\x96\x88\n"
        "        \xe2\x96\x81\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x84\xe2\x96\x85"
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\n");
    assert_int_equal(canvas_cell(c, 9, 0)->role, ROLE_SERIES1);
    canvas_free(c);
}

static void
test_known_series_ascii(void **state)
{
    struct canvas *c = canvas_new(20, 3, true);
    struct qseries s = series(known, 12);

    (void)state;
    spark_draw(c, (struct rect){ 0, 0, 20, 3 }, &s, ROLE_SERIES1, NAN, NAN);
    /* Eighths 1-2 '_', 3-4 '.', 5-6 '-', 7 '\'', 8 '#'. */
    expect_text(c,
        "         #   _    -#\n"
        "         # _##.  -##\n"
        "        _######.-###\n");
    canvas_free(c);
}

static void
test_flat_and_nan(void **state)
{
    const double v[] = { 5, NAN, 5, 5 };
    struct canvas *c = canvas_new(4, 2, true);
    struct qseries s = series(v, 4);

    (void)state;
    /* A flat series sits at level 4 * h = 8: a full bottom row. */
    spark_draw(c, (struct rect){ 0, 0, 4, 2 }, &s, ROLE_SERIES1, NAN, NAN);
    expect_text(c, "\n# ##\n");
    canvas_free(c);
}

static void
test_fixed_range_clamps(void **state)
{
    const double v[] = { -10, 50, 100, 200 };
    struct canvas *c = canvas_new(4, 1, true);
    struct qseries s = series(v, 4);

    (void)state;
    /* lo 0, hi 100: -10 clamps to level 1, 50 is 1 + round(3.5) = 5,
     * 200 clamps to 8. */
    spark_draw(c, (struct rect){ 0, 0, 4, 1 }, &s, ROLE_SERIES1, 0, 100);
    expect_text(c, "_-##\n");
    canvas_free(c);
}

static void
test_more_points_than_columns(void **state)
{
    double v[40];
    struct canvas *c = canvas_new(20, 1, false);
    struct qseries s;

    (void)state;
    for (int i = 0; i < 40; i++)
        v[i] = i;
    s = series(v, 40);
    spark_draw(c, (struct rect){ 0, 0, 20, 1 }, &s, ROLE_SERIES1, NAN, NAN);
    /* Column k holds max(2k, 2k + 1) = 2k + 1: 1 .. 39, so column 0 is
     * level 1, column 10 (21) is 1 + round(20 / 38 * 7) = 5, column 19
     * is level 8. */
    assert_int_equal(canvas_cell(c, 0, 0)->ch, 0x2581);
    assert_int_equal(canvas_cell(c, 10, 0)->ch, 0x2585);
    assert_int_equal(canvas_cell(c, 19, 0)->ch, 0x2588);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_series_20x3),
        cmocka_unit_test(test_known_series_ascii),
        cmocka_unit_test(test_flat_and_nan),
        cmocka_unit_test(test_fixed_range_clamps),
        cmocka_unit_test(test_more_points_than_columns),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
