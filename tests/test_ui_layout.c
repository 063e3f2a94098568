/*
 * Layout arithmetic: largest-remainder splitting, minimum sizes, the
 * screen's bars, and a page's panel rectangles with a titled row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ui/layout.h"

static void
test_split_equal(void **state)
{
    int w[] = { 1, 1, 1 }, out[3];

    (void)state;
    /* 10/3 = 3.33 each: floors 3 3 3, the spare cell to the first. */
    layout_split(10, w, 3, 0, out);
    assert_int_equal(out[0], 4);
    assert_int_equal(out[1], 3);
    assert_int_equal(out[2], 3);
}

static void
test_split_weights(void **state)
{
    int w[] = { 2, 1 }, z[] = { 0, 3 }, out[2];

    (void)state;
    /* 66.67 and 33.33: floors 66 and 33, the spare to .67. */
    layout_split(100, w, 2, 0, out);
    assert_int_equal(out[0], 67);
    assert_int_equal(out[1], 33);
    /* A weight below 1 counts as 1: 1/4 and 3/4 of 8. */
    layout_split(8, z, 2, 0, out);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 6);
}

static void
test_split_minimum(void **state)
{
    int w[] = { 10, 1 }, out[2];

    (void)state;
    /* 18.18 and 1.82 round to 18 and 2; the minimum 5 takes 3 cells
     * from the larger part. */
    layout_split(20, w, 2, 5, out);
    assert_int_equal(out[0], 15);
    assert_int_equal(out[1], 5);
    /* No room for two minimums of 15: proportional shares stay. */
    layout_split(20, w, 2, 15, out);
    assert_int_equal(out[0], 18);
    assert_int_equal(out[1], 2);
}

static void
test_screen(void **state)
{
    struct layout_screen s = layout_screen(80, 24);

    (void)state;
    assert_int_equal(s.title.y, 0);
    assert_int_equal(s.title.h, 1);
    assert_int_equal(s.body.y, 1);
    assert_int_equal(s.body.h, 22);
    assert_int_equal(s.status.y, 23);
    assert_int_equal(s.status.w, 80);
}

static void
test_page(void **state)
{
    struct panel top[2] = { { .width = 3 }, { .width = 1 } };
    struct panel bottom[1] = { { .width = 1 } };
    struct row rows[2] = {
        { .height = 2, .panels = top, .npanels = 2 },
        { .title = "Latency", .height = 1, .panels = bottom, .npanels = 1 },
    };
    struct page pg = { .title = "p", .rows = rows, .nrows = 2 };
    struct rect out[3], titles[2];

    (void)state;
    assert_int_equal(layout_npanels(&pg), 3);
    /* Body 80 x 30 from y 1: rows 20 and 10; the second row spends its
     * first line on its title. Widths 60 and 20. */
    layout_page(&pg, (struct rect){ 0, 1, 80, 30 }, NULL, out, titles);
    assert_int_equal(out[0].x, 0);
    assert_int_equal(out[0].w, 60);
    assert_int_equal(out[0].h, 20);
    assert_int_equal(out[1].x, 60);
    assert_int_equal(out[1].w, 20);
    assert_int_equal(titles[0].h, 0);
    assert_int_equal(titles[1].y, 21);
    assert_int_equal(titles[1].h, 1);
    assert_int_equal(out[2].y, 22);
    assert_int_equal(out[2].h, 9);
    assert_int_equal(out[2].w, 80);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_equal),
        cmocka_unit_test(test_split_weights),
        cmocka_unit_test(test_split_minimum),
        cmocka_unit_test(test_screen),
        cmocka_unit_test(test_page),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
