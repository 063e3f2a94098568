/*
 * Layout arithmetic: largest-remainder splitting, minimum sizes, the
 * screen's bars, and a page's panel rectangles with a titled row; then
 * pages laid out for the screen: a page that fits as before, a long one
 * that scrolls with readable heights, folded sections and sections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>

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

/* The built-in overview's shape: five stats (weight 1), then three rows
 * of two graphs (weight 2). */
static struct panel ov_stats[5], ov_graphs[6];
static struct row ov_rows[4];
static struct page ov_page = { .rows = ov_rows, .nrows = 4 };

static void
overview(void)
{
    for (int i = 0; i < 5; i++)
        ov_stats[i] = (struct panel){ .kind = PANEL_STAT, .width = 1 };
    for (int i = 0; i < 6; i++)
        ov_graphs[i] = (struct panel){ .kind = PANEL_GRAPH,
                                       .width = i == 0 ? 2 : 1 };
    ov_rows[0] = (struct row){ .height = 1, .panels = ov_stats,
                               .npanels = 5 };
    for (int r = 0; r < 3; r++)
        ov_rows[r + 1] = (struct row){ .height = 2,
                                       .panels = ov_graphs + 2 * r,
                                       .npanels = 2 };
}

static void
test_plan_fits_as_before(void **state)
{
    struct layout_item it[16];
    struct rect rs[11];
    int height;
    size_t n;

    (void)state;
    overview();
    assert_int_equal(layout_nitems(&ov_page), 4 + 11);
    /* 80x24: 22 lines for weights 1 2 2 2, 3.14 and 6.29 each: floors
     * 3 6 6 6, the spare line to the first graph row. That leaves the
     * stats their 3 lines and the graphs their 6: it fits, as today. */
    n = layout_plan(&ov_page, 80, 22, NULL, it, &height);
    assert_int_equal(n, 11);
    assert_int_equal(height, 22);
    layout_page(&ov_page, (struct rect){ 0, 1, 80, 22 }, NULL, rs, NULL);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(it[k].panel, (int)k);
        assert_int_equal(it[k].r.x, rs[k].x);
        assert_int_equal(it[k].r.y + 1, rs[k].y);
        assert_int_equal(it[k].r.w, rs[k].w);
        assert_int_equal(it[k].r.h, rs[k].h);
    }
    assert_int_equal(it[0].r.h, 3);
    assert_int_equal(it[5].r.y, 3);
    assert_int_equal(it[5].r.h, 7);
    assert_int_equal(it[5].r.w, 53);
    assert_int_equal(it[7].r.y, 10);
    assert_int_equal(it[9].r.y, 16);
}

/* A Grafana-like page: "Overview" (weight 4, five stats), then sections
 * S0 S1 S2 of two rows of two graphs each (weight 8, gridPos h 8). */
static struct panel lp_stats[5], lp_graphs[12];
static struct row lp_rows[7];
static struct page lp_page = { .rows = lp_rows, .nrows = 7 };

static void
long_page(void)
{
    static char *titles[] = { "Overview", "S0", "S1", "S2" };

    for (int i = 0; i < 5; i++)
        lp_stats[i] = (struct panel){ .kind = PANEL_STAT, .width = 4 };
    for (int i = 0; i < 12; i++)
        lp_graphs[i] = (struct panel){ .kind = PANEL_GRAPH, .width = 12 };
    lp_rows[0] = (struct row){ .title = titles[0], .height = 4,
                               .panels = lp_stats, .npanels = 5 };
    for (int r = 0; r < 6; r++)
        lp_rows[r + 1] = (struct row){
            .title = r % 2 == 0 ? titles[1 + r / 2] : NULL, .height = 8,
            .panels = lp_graphs + 2 * r, .npanels = 2 };
}

static void
test_plan_scrolls_with_minimum_heights(void **state)
{
    struct layout_item it[24];
    int height;
    size_t n;

    (void)state;
    long_page();
    /* 22 lines for weights 4 and 6 x 8: about 3.4 lines a graph row,
     * below its 6: the page scrolls. Minimum per weight is 3/4 for the
     * stats and 6/8 for the graphs: 0.75 lines a unit, so stats get 3
     * lines and graphs 6, each titled row one more for its header. */
    n = layout_plan(&lp_page, 80, 22, NULL, it, &height);
    assert_int_equal(n, 4 + 5 + 12);
    assert_int_equal(height, 4 + 3 * (7 + 6));
    assert_int_equal(it[0].panel, -1);
    assert_int_equal(it[0].row, 0);
    assert_int_equal(it[0].r.y, 0);
    assert_int_equal(it[0].r.h, 1);
    assert_int_equal(it[0].r.w, 80);
    assert_int_equal(it[1].panel, 0);
    assert_int_equal(it[1].r.y, 1);
    assert_int_equal(it[1].r.h, 3);
    assert_int_equal(it[1].r.w, 16);
    /* S0's header, then its graphs side by side, 40 wide. */
    assert_int_equal(it[6].panel, -1);
    assert_int_equal(it[6].row, 1);
    assert_int_equal(it[6].r.y, 4);
    assert_int_equal(it[7].panel, 5);
    assert_int_equal(it[7].r.y, 5);
    assert_int_equal(it[7].r.h, 6);
    assert_int_equal(it[8].r.x, 40);
    assert_int_equal(it[9].r.y, 11);
    /* The last item is S2's last graph, at the page's bottom. */
    assert_int_equal(it[n - 1].panel, 16);
    assert_int_equal(it[n - 1].r.y + it[n - 1].r.h, height);
    /* At 200x50 it fits: 48 lines by weight are 3.7 and 7.4, floors 3
     * and 7 with the spare lines to the stats and the first two graph
     * rows, so each header leaves the stats 3 and the graphs 6 or 7. */
    n = layout_plan(&lp_page, 200, 48, NULL, it, &height);
    assert_int_equal(height, 48);
    assert_int_equal(it[1].r.h, 3);
    assert_int_equal(it[7].r.y, 5);
    assert_int_equal(it[7].r.h, 7);
    assert_int_equal(it[7].r.w, 100);
}

static void
test_plan_folds_sections(void **state)
{
    bool folded[7] = { false };
    struct layout_item it[24];
    int height;
    size_t n;

    (void)state;
    long_page();
    assert_int_equal(layout_section_head(&lp_page, 4), 3);
    assert_int_equal(layout_section_head(&lp_page, 3), 3);
    assert_int_equal(layout_section_end(&lp_page, 3), 5);
    assert_int_equal(layout_section_end(&lp_page, 5), 7);
    assert_int_equal(layout_section_panels(&lp_page, 3), 4);
    assert_int_equal(layout_section_panels(&lp_page, 0), 5);
    /* S1 folded: its header alone; rows 3 and 4 take 1 line, not 13.
     * A flag on a row that heads nothing (row 4) is ignored. */
    folded[3] = true;
    folded[4] = true;
    n = layout_plan(&lp_page, 80, 22, folded, it, &height);
    assert_int_equal(n, 4 + 5 + 8);
    assert_int_equal(height, 4 + 13 + 1 + 13);
    assert_int_equal(it[10].panel, 8);
    assert_int_equal(it[11].panel, -1);
    assert_int_equal(it[11].row, 3);
    assert_int_equal(it[11].r.y, 17);
    assert_int_equal(it[11].r.h, 1);
    assert_int_equal(it[12].row, 5);
    assert_int_equal(it[12].r.y, 18);
    /* Panels keep their layout index across the hidden ones. */
    assert_int_equal(it[13].panel, 13);
    assert_int_equal(it[13].r.y, 19);
    /* Everything folded: four headers, nothing else. */
    for (int i = 0; i < 7; i++)
        folded[i] = true;
    n = layout_plan(&lp_page, 80, 22, folded, it, &height);
    assert_int_equal(n, 4);
    assert_int_equal(height, 4);
    assert_int_equal(it[3].r.y, 3);
    assert_int_equal(it[3].row, 5);
}

static void
test_plan_fold_fits(void **state)
{
    static char *t[] = { "A", "B", "C" };
    struct panel p[3];
    struct row rows[3];
    struct page pg = { .rows = rows, .nrows = 3 };
    bool folded[3] = { false, true, false };
    struct layout_item it[6];
    int height;
    size_t n;

    (void)state;
    for (int i = 0; i < 3; i++) {
        p[i] = (struct panel){ .kind = PANEL_GRAPH, .width = 1 };
        rows[i] = (struct row){ .title = t[i], .height = 1,
                                .panels = p + i, .npanels = 1 };
    }
    /* 22 / 3: 8 7 7, a header line each, graphs 7 6 6: it fits. */
    n = layout_plan(&pg, 80, 22, NULL, it, &height);
    assert_int_equal(n, 6);
    assert_int_equal(height, 22);
    assert_int_equal(it[1].r.h, 7);
    assert_int_equal(it[2].r.y, 8);
    assert_int_equal(it[5].r.y, 16);
    assert_int_equal(it[5].r.h, 6);
    /* B folded: its line, the other 21 for A and C (11 and 10). */
    n = layout_plan(&pg, 80, 22, folded, it, &height);
    assert_int_equal(n, 5);
    assert_int_equal(height, 22);
    assert_int_equal(it[1].r.h, 10);
    assert_int_equal(it[2].row, 1);
    assert_int_equal(it[2].r.y, 11);
    assert_int_equal(it[3].r.y, 12);
    assert_int_equal(it[4].r.y, 13);
    assert_int_equal(it[4].r.h, 9);
}

static void
test_plan_caps_at_the_body(void **state)
{
    struct panel p[5];
    struct row rows[5];
    struct page pg = { .rows = rows, .nrows = 5 };
    struct layout_item it[10];
    int height;

    (void)state;
    for (int i = 0; i < 5; i++) {
        p[i] = (struct panel){ .kind = i < 4 ? PANEL_STAT : PANEL_GRAPH,
                               .width = 1 };
        rows[i] = (struct row){ .height = i < 4 ? 1 : 40, .panels = p + i,
                                .npanels = 1 };
    }
    /* 12 lines: no room for five minimums, the stats get none from the
     * split, so the page scrolls. 3 lines a unit is the middle ratio,
     * which would make the graph 120 lines; it stops at the body's 12,
     * so it fits on one screen. */
    assert_int_equal(layout_plan(&pg, 80, 12, NULL, it, &height), 5);
    assert_int_equal(it[0].r.h, 3);
    assert_int_equal(it[4].r.y, 12);
    assert_int_equal(it[4].r.h, 12);
    assert_int_equal(height, 24);
    /* With 22 lines the split raises the stats to 3 from the graph's
     * share (3 3 3 3 10): everything fits. */
    layout_plan(&pg, 80, 22, NULL, it, &height);
    assert_int_equal(height, 22);
    assert_int_equal(it[4].r.h, 10);
    assert_int_equal(layout_min_height(PANEL_GRAPH), 6);
    assert_int_equal(layout_min_height(PANEL_STAT), 3);
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
        cmocka_unit_test(test_plan_fits_as_before),
        cmocka_unit_test(test_plan_scrolls_with_minimum_heights),
        cmocka_unit_test(test_plan_folds_sections),
        cmocka_unit_test(test_plan_fold_fits),
        cmocka_unit_test(test_plan_caps_at_the_body),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
