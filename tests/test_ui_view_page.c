/*
 * A long dashboard page on an 80x24 ASCII canvas, as a user sees it: a
 * "Top" row of four stats, then sections S1 to S6 of two rows of two
 * graphs each (S3 collapsed, as Grafana saves it), 28 panels, too many
 * for one screen. The page must scroll with readable panels, the focus
 * must stay in sight whatever moves it, sections fold and open, panels
 * cut by the body's edges are drawn clipped, and the key bar says which
 * panels are in sight.
 *
 * The page by the layout rules: stats are 3 lines (minimum 3, weight 4
 * at 0.75 lines a unit), graphs 6, each section header one line. In page
 * lines: 0 "Top", 1-3 stats P01-P04, 4 "S1", 5-10 P05 P06, 11-16 P07
 * P08, 17 "S2", 18-23 P09 P10, 24-29 P11 P12, 30 "S3" folded (P13-P16
 * hidden), 31 "S4", 32-37 P17 P18, 38-43 P19 P20, 44 "S5", 45-50 P21
 * P22, 51-56 P23 P24, 57 "S6", 58-63 P25 P26, 64-69 P27 P28: 70 lines.
 * The body is lines 1-22 of the screen, so screen line = page line + 1
 * - scroll.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/layout.h"
#include "ui/view.h"
#include "ui/view_page.h"

static char titles[28][16];
static char *heads[] = { "Top", "S1", "S2", "S3", "S4", "S5", "S6" };
static struct panel panels[28];
static struct row rows[13];
static struct page page = { .title = "Long", .rows = rows, .nrows = 13 };
static struct dashboard dash = { .title = "D", .pages = &page, .npages = 1,
                                 .range_ms = 3600000 };
static const struct rect body = { 0, 1, 80, 22 };

static int
setup(void **state)
{
    (void)state;
    for (int i = 0; i < 28; i++) {
        snprintf(titles[i], sizeof titles[i], "P%02d", i + 1);
        panels[i] = (struct panel){ .title = titles[i],
                                    .kind = i < 4 ? PANEL_STAT
                                                  : PANEL_GRAPH,
                                    .decimals = -1, .min = NAN, .max = NAN,
                                    .width = i < 4 ? 4 : 12 };
    }
    rows[0] = (struct row){ .title = heads[0], .height = 4,
                            .panels = panels, .npanels = 4 };
    for (int r = 0; r < 12; r++)
        rows[r + 1] = (struct row){
            .title = r % 2 == 0 ? heads[1 + r / 2] : NULL, .height = 8,
            .panels = panels + 4 + 2 * r, .npanels = 2,
            .collapsed = r == 4 };
    return 0;
}

/* Draws the screen; the text is the caller's. */
static char *
draw(struct canvas *c, struct view_state *vs)
{
    view_draw(c, vs, &dash, NULL, NULL, 0);
    return ts_canvas_text(c);
}

/*
 * Whether the focus can be seen whole inside the body (lines 1-22): a
 * panel's heavy top edge "# Pnn =" and, below it in the same column,
 * its heavy bottom corner '#'; or a header with the heavy rule.
 */
static bool
focus_in_sight(const char *s, const struct view_state *vs)
{
    char l[128], want[32];

    if (vs->on_header) {
        snprintf(want, sizeof want, " %s %s", view_page_folded(vs, &dash,
                 0, (size_t)vs->focus_row) ? ">" : "v",
                 rows[vs->focus_row].title);
        for (int y = 1; y <= 22; y++) {
            ts_line(s, y, l, sizeof l);
            if (strncmp(l, want, strlen(want)) == 0 && strstr(l, " ==="))
                return true;
        }
        return false;
    }
    snprintf(want, sizeof want, "# %s =", titles[vs->focus]);
    for (int y = 1; y <= 22; y++) {
        char *top;

        ts_line(s, y, l, sizeof l);
        top = strstr(l, want);
        if (top == NULL)
            continue;
        for (int y2 = y + 2; y2 <= 22; y2++) {
            char b[128];

            ts_line(s, y2, b, sizeof b);
            if ((size_t)(top - l) < strlen(b) && b[top - l] == '#'
                && b[top - l + 1] == '=')
                return true;
        }
    }
    return false;
}

static void
test_first_screen(void **state)
{
    struct canvas *c = canvas_new(80, 24, true);
    struct view_state vs = { 0 };
    char *s, l[128];

    (void)state;
    s = draw(c, &vs);
    /* Headers: a marker, the title; the focus is on the first panel.
     * The last column is the scroll bar: a thumb ('#') 22 * 22 / 70 = 6
     * lines long at the top, then the track (':'). */
    ts_line(s, 1, l, sizeof l);
    assert_int_equal(strlen(l), 80);
    assert_int_equal(strncmp(l, " v Top ", 7), 0);
    assert_int_equal(l[79], '#');
    ts_line(s, 2, l, sizeof l);
    assert_int_equal(strncmp(l, "# P01 ====", 10), 0);
    assert_non_null(strstr(l, "#+ P02 ---"));
    ts_line(s, 5, l, sizeof l);
    assert_int_equal(strncmp(l, " v S1 ", 6), 0);
    assert_null(strstr(l, "="));
    ts_line(s, 6, l, sizeof l);
    assert_int_equal(strncmp(l, "+ P05 ---", 9), 0);
    assert_int_equal(l[79], '#');
    ts_line(s, 7, l, sizeof l);
    assert_int_equal(l[79], ':');
    /* Graphs keep their 6 lines: P05's bottom edge on line 11. */
    ts_line(s, 11, l, sizeof l);
    assert_int_equal(strncmp(l, "+-----", 6), 0);
    /* P09 and P10 are cut by the body's bottom edge: lines 19 to 22 of
     * them show, their frame's sides but not its bottom. */
    ts_line(s, 19, l, sizeof l);
    assert_int_equal(strncmp(l, "+ P09 ---", 9), 0);
    ts_line(s, 22, l, sizeof l);
    assert_int_equal(l[0], '|');
    assert_null(strstr(s, "P11"));
    /* The key bar says what is in sight. */
    ts_line(s, 23, l, sizeof l);
    assert_int_equal(strncmp(l, " panels 1-10 of 28", 18), 0);
    assert_int_equal(vs.page_height, 70);
    assert_int_equal(vs.scroll, 0);
    free(s);
    canvas_free(c);
}

/* j all the way down and k all the way up: every item gets the focus in
 * turn (a header spans the width, so it is the one below or above), and
 * the page scrolls so that the focus is always in sight. */
static void
test_focus_follows(void **state)
{
    static const char *const down[] = {
        "Top", "P01", "S1", "P05", "P07", "S2", "P09", "P11", "S3", "S4",
        "P17", "P19", "S5", "P21", "P23", "S6", "P25", "P27", "P27",
    };
    struct canvas *c = canvas_new(80, 24, true);
    struct view_state vs = { .on_header = true, .focus_row = 0 };
    char *s;

    (void)state;
    for (size_t i = 0; i < sizeof down / sizeof down[0]; i++) {
        const char *at = vs.on_header ? rows[vs.focus_row].title
                                      : titles[vs.focus];

        s = draw(c, &vs);
        assert_string_equal(at, down[i]);
        assert_true(focus_in_sight(s, &vs));
        free(s);
        view_page_move(&vs, &dash, body, VIEW_MOVE_DOWN);
    }
    /* At the bottom: the page's last line (69) is the body's last. */
    assert_int_equal(vs.scroll, 70 - 22);
    for (int i = 0; i < 18; i++)
        view_page_move(&vs, &dash, body, VIEW_MOVE_UP);
    assert_true(vs.on_header);
    assert_int_equal(vs.focus_row, 0);
    assert_int_equal(vs.scroll, 0);
    /* Right and left stay within a row; right of P27 is P28. */
    vs = (struct view_state){ .focus = 26 };
    view_page_move(&vs, &dash, body, VIEW_MOVE_RIGHT);
    assert_int_equal(vs.focus, 27);
    s = draw(c, &vs);
    assert_true(focus_in_sight(s, &vs));
    free(s);
    canvas_free(c);
}

static void
test_pages_home_end(void **state)
{
    struct canvas *c = canvas_new(80, 24, true);
    struct view_state vs = { 0 };
    char *s, l[128];

    (void)state;
    /* PgDn: 22 lines on, then the first item wholly in sight: P11 on
     * page line 24 (P09 and P10, from line 18, are cut). */
    assert_true(view_page_move(&vs, &dash, body, VIEW_MOVE_PAGE_DOWN));
    assert_int_equal(vs.scroll, 22);
    assert_int_equal(vs.focus, 10);
    s = draw(c, &vs);
    assert_true(focus_in_sight(s, &vs));
    ts_line(s, 3, l, sizeof l);
    assert_int_equal(strncmp(l, "# P11 ===", 9), 0);
    ts_line(s, 23, l, sizeof l);
    assert_int_equal(strncmp(l, " panels 9-20 of 28", 18), 0);
    free(s);
    /* Again: line 44, the S5 header; then the end of the page (48),
     * where P23 (line 51) is the first wholly in sight. */
    view_page_move(&vs, &dash, body, VIEW_MOVE_PAGE_DOWN);
    assert_int_equal(vs.scroll, 44);
    assert_true(vs.on_header);
    assert_int_equal(vs.focus_row, 9);
    view_page_move(&vs, &dash, body, VIEW_MOVE_PAGE_DOWN);
    assert_int_equal(vs.scroll, 48);
    assert_false(vs.on_header);
    assert_int_equal(vs.focus, 22);
    /* At the end PgDn goes to the last panel. */
    view_page_move(&vs, &dash, body, VIEW_MOVE_PAGE_DOWN);
    assert_int_equal(vs.focus, 27);
    assert_int_equal(vs.scroll, 48);
    /* PgUp: line 26; the first item wholly in sight is S3's header. */
    view_page_move(&vs, &dash, body, VIEW_MOVE_PAGE_UP);
    assert_int_equal(vs.scroll, 26);
    assert_true(vs.on_header);
    assert_int_equal(vs.focus_row, 5);
    /* Home and End. */
    view_page_move(&vs, &dash, body, VIEW_MOVE_END);
    s = draw(c, &vs);
    assert_false(vs.on_header);
    assert_int_equal(vs.focus, 27);
    ts_line(s, 22, l, sizeof l);
    assert_int_equal(strncmp(l, "+-----", 6), 0);
    assert_non_null(strstr(l, "+#====="));
    assert_non_null(strstr(s, "# P28 ="));
    ts_line(s, 23, l, sizeof l);
    assert_int_equal(strncmp(l, " panels 21-28 of 28", 19), 0);
    free(s);
    view_page_move(&vs, &dash, body, VIEW_MOVE_HOME);
    s = draw(c, &vs);
    assert_int_equal(vs.scroll, 0);
    ts_line(s, 1, l, sizeof l);
    assert_int_equal(strncmp(l, " v Top ===", 10), 0);
    free(s);
    canvas_free(c);
}

static void
test_folds(void **state)
{
    struct canvas *c = canvas_new(80, 24, true);
    struct view_state vs = { .on_header = true, .focus_row = 5 };
    char *s, l[128];

    (void)state;
    /* S3 is collapsed in the dashboard: its header says how many panels
     * it holds, and they are nowhere. */
    s = draw(c, &vs);
    assert_true(view_page_folded(&vs, &dash, 0, 5));
    ts_line(s, 1 + 30 - vs.scroll, l, sizeof l);
    assert_int_equal(strncmp(l, " > S3 (4 panels) ===", 20), 0);
    assert_null(strstr(s, "P13"));
    free(s);
    /* Enter on it opens it: its panels follow the header, and the page
     * scrolls to show them (all 13 lines of the section fit). */
    assert_true(view_page_fold(&vs, &dash, body, false));
    s = draw(c, &vs);
    assert_false(view_page_folded(&vs, &dash, 0, 5));
    assert_int_equal(vs.page_height, 70 + 12);
    ts_line(s, 1 + 30 - vs.scroll, l, sizeof l);
    assert_int_equal(strncmp(l, " v S3 ===", 9), 0);
    ts_line(s, 2 + 30 - vs.scroll, l, sizeof l);
    assert_int_equal(strncmp(l, "+ P13 ---", 9), 0);
    free(s);
    /* Space on a panel folds its section; the header takes the focus. */
    vs = (struct view_state){ .focus = 10 };
    assert_true(view_page_fold(&vs, &dash, body, true));
    assert_true(vs.on_header);
    assert_int_equal(vs.focus_row, 3);
    s = draw(c, &vs);
    assert_true(focus_in_sight(s, &vs));
    assert_non_null(strstr(s, " > S2 (4 panels) ==="));
    assert_null(strstr(s, "P09"));
    free(s);
    /* Enter on a panel does not fold (it zooms); a panel before any
     * header has no section to fold. */
    vs = (struct view_state){ .focus = 10 };
    assert_false(view_page_fold(&vs, &dash, body, false));
    /* A hidden panel's focus goes to its section's header. */
    vs = (struct view_state){ .focus = 13 };
    view_page_clamp(&vs, &dash, body);
    assert_true(vs.on_header);
    assert_int_equal(vs.focus_row, 5);
    /* Rows without a title do not fold. */
    assert_false(view_page_toggle(&vs, &dash, 0, 2));
    canvas_free(c);
}

static void
test_wheel_clips_and_hits(void **state)
{
    struct canvas *c = canvas_new(80, 24, true);
    struct view_state vs = { 0 };
    char *s, l[128];

    (void)state;
    s = draw(c, &vs);
    /* Hit boxes: the S1 header on line 5, P05 and P06 (79 / 2: 40 and
     * 39 wide) from line 6. */
    assert_int_equal(view_header_at(&vs, 10, 5), 1);
    assert_int_equal(view_panel_at(&vs, 10, 5), -1);
    assert_int_equal(view_panel_at(&vs, 30, 7), 4);
    assert_int_equal(view_panel_at(&vs, 50, 7), 5);
    free(s);
    /* The wheel: 3 lines. P01 (page lines 1-3) leaves the body, so the
     * focus goes to the first item wholly in sight, S1's header; the
     * stats' bottom edge is all that is left of them. */
    assert_true(view_page_move(&vs, &dash, body, VIEW_MOVE_WHEEL_DOWN));
    s = draw(c, &vs);
    assert_int_equal(vs.scroll, 3);
    assert_true(vs.on_header);
    ts_line(s, 1, l, sizeof l);
    assert_int_equal(strncmp(l, "+------------------++", 21), 0);
    ts_line(s, 2, l, sizeof l);
    assert_int_equal(strncmp(l, " v S1 ===", 9), 0);
    /* The cut stats can still be clicked, on what shows of them. */
    assert_int_equal(view_panel_at(&vs, 5, 1), 0);
    free(s);
    /* Three more: P05 and P06 (lines 5-10) are cut at the top, their
     * sides showing from their second line; the focus goes to P07. */
    view_page_move(&vs, &dash, body, VIEW_MOVE_WHEEL_DOWN);
    s = draw(c, &vs);
    assert_int_equal(vs.scroll, 6);
    assert_int_equal(vs.focus, 6);
    ts_line(s, 1, l, sizeof l);
    assert_int_equal(l[0], '|');
    assert_null(strstr(s, "P05"));
    assert_true(focus_in_sight(s, &vs));
    free(s);
    /* Up again: P07 (lines 11-16) stays in sight and keeps the focus. */
    view_page_move(&vs, &dash, body, VIEW_MOVE_WHEEL_UP);
    assert_int_equal(vs.scroll, 3);
    assert_int_equal(vs.focus, 6);
    assert_false(vs.on_header);
    canvas_free(c);
}

static void
test_zoom_keeps_the_place(void **state)
{
    struct canvas *c = canvas_new(80, 24, true);
    struct view_state vs = { 0 };
    char *s, l[128];

    (void)state;
    view_page_move(&vs, &dash, body, VIEW_MOVE_PAGE_DOWN);
    vs.zoom = true;
    s = draw(c, &vs);
    /* P11 alone over the body; no scroll bar, no panel count. */
    ts_line(s, 1, l, sizeof l);
    assert_int_equal(strncmp(l, "# P11 ===", 9), 0);
    assert_int_equal(l[79], '#');
    ts_line(s, 22, l, sizeof l);
    assert_int_equal(strncmp(l, "#=====", 6), 0);
    assert_null(strstr(s, "panels "));
    free(s);
    vs.zoom = false;
    s = draw(c, &vs);
    assert_int_equal(vs.scroll, 22);
    assert_true(focus_in_sight(s, &vs));
    free(s);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_first_screen, setup),
        cmocka_unit_test_setup(test_focus_follows, setup),
        cmocka_unit_test_setup(test_pages_home_end, setup),
        cmocka_unit_test_setup(test_folds, setup),
        cmocka_unit_test_setup(test_wheel_clips_and_hits, setup),
        cmocka_unit_test_setup(test_zoom_keeps_the_place, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
