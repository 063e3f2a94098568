/*
 * The screen frame on a canvas: tabs and their hit boxes, PAUSED, the
 * status bar, help, view clamping, and the "terminal too small" message
 * below 40x10 (never a partial dashboard); the focused panel's frame,
 * zoom, spatial focus moves, the series filter, the variable in the
 * title bar and the filter prompt.
 */
#include <math.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/dash/dashmodel.h"
#include "src/dash/grafana.h"
#include "tests/support/fs.h"
#include "tests/support/ui.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/view.h"
#include "ui/view_page.h"

static struct page pages[2] = { { .title = "Overview" }, { .title = "Mem" } };
static struct dashboard dash = { .title = "D", .pages = pages, .npages = 2,
                                 .range_ms = 3600000 };

static void
test_title_tabs_status(void **state)
{
    struct canvas *c = canvas_new(60, 10, true);
    struct view_state vs = { 0 };
    char *s, l[128];

    (void)state;
    view_draw(c, &vs, &dash, NULL, "2/2 targets up", 0);
    s = ts_canvas_text(c);
    ts_line(s, 0, l, sizeof l);
    /* " D" then two spaces, then " 1 Overview " (x 4-15), " 2 Mem "
     * (17-23), " 3 targets " (25-35), " 4 alerts " (37-46), one apart;
     * " 5 rules " does not fit whole and is left out; the range
     * right-aligned with a space after it. The status and the range are
     * 24 + 8 (PAUSED) wide, more than half of 60: the status goes to
     * the key bar. */
    assert_string_equal(l, " D   1 Overview   2 Mem   3 targets "
                           "  4 alerts      last 1h");
    ts_line(s, 9, l, sizeof l);
    /* The 43-wide key list ends one cell before the edge: x 16-58. */
    assert_string_equal(l, " 2/2 targets up q quit  tab view  / filter"
                           "  p pause  ? help");
    assert_int_equal(vs.ntabs, 4);
    assert_int_equal(view_tab_at(&vs, 5, 0), 0);
    assert_int_equal(view_tab_at(&vs, 20, 0), 1);
    assert_int_equal(view_tab_at(&vs, 30, 0), 2);
    assert_int_equal(view_tab_at(&vs, 3, 0), -1);
    assert_int_equal(view_tab_at(&vs, 5, 1), -1);
    assert_int_equal(canvas_cell(c, 5, 0)->role, ROLE_TAB_ACTIVE);
    assert_int_equal(canvas_cell(c, 20, 0)->role, ROLE_TAB);
    free(s);
    canvas_free(c);
}

static void
test_status_in_title_bar(void **state)
{
    struct canvas *c = canvas_new(80, 10, true);
    struct view_state vs = { 0 };
    char *s, l[128];

    (void)state;
    /* "2/2 up  last 1h " is 16 wide, within half of 80 with room for
     * PAUSED: the status goes up, the key bar keeps only the keys. */
    view_draw(c, &vs, &dash, NULL, "2/2 up", 0);
    s = ts_canvas_text(c);
    ts_line(s, 0, l, sizeof l);
    assert_non_null(strstr(l, " 3 targets "));
    assert_int_equal(strlen(l), 79);
    assert_string_equal(l + 64, "2/2 up  last 1h");
    ts_line(s, 9, l, sizeof l);
    assert_null(strstr(l, "2/2 up"));
    assert_non_null(strstr(l, "q quit"));
    free(s);
    canvas_free(c);
}

static void
test_paused_and_help(void **state)
{
    struct canvas *c = canvas_new(60, 24, true);
    struct view_state vs = { .paused = true, .help = true, .view = 7 };
    char *s, l[128];

    (void)state;
    view_draw(c, &vs, &dash, NULL, NULL, 0);
    /* An out-of-range view falls back to the first. */
    assert_int_equal(vs.view, 0);
    s = ts_canvas_text(c);
    ts_line(s, 0, l, sizeof l);
    assert_non_null(strstr(l, "PAUSED  last 1h"));
    assert_int_equal(canvas_cell(c, 46, 0)->role, ROLE_WARN);
    ts_line(s, 1, l, sizeof l);
    assert_string_equal(l, " Keys");
    ts_line(s, 3, l, sizeof l);
    assert_string_equal(l, "  q                     quit");
    /* All 20 keys fit a 24-line terminal: the last is on line 22, its
     * text clipped to the 60 - 22 - 2 = 36 cells after the key column. */
    assert_non_null(strstr(s, "Ctrl-R"));
    ts_line(s, 22, l, sizeof l);
    assert_string_equal(l, "  mouse                 click a tab, panel or row; double cl");
    ts_line(s, 23, l, sizeof l);
    assert_non_null(strstr(l, "? close help"));
    /* With help up no tab is active. */
    assert_int_equal(canvas_cell(c, 5, 0)->role, ROLE_TAB);
    free(s);
    canvas_free(c);
}

static void
test_too_small(void **state)
{
    struct canvas *c = canvas_new(39, 10, true);
    struct canvas *t = canvas_new(30, 8, true);
    struct view_state vs = { 0 };
    char *s;

    (void)state;
    view_draw(c, &vs, &dash, NULL, "x", 0);
    s = ts_canvas_text(c);
    /* 38 wide fits 39: one line, at (39 - 38) / 2 = 0, row 5. */
    assert_string_equal(s, "\n\n\n\n\n"
                           "terminal too small (39x10), need 40x10\n"
                           "\n\n\n\n");
    assert_int_equal(vs.ntabs, 0);
    free(s);
    view_draw(t, &vs, &dash, NULL, "x", 0);
    s = ts_canvas_text(t);
    /* 30 wide: two lines from row (8 - 1) / 2 = 3. */
    assert_string_equal(s, "\n\n\n"
                           "  terminal too small (30x8),\n"
                           "          need 40x10\n"
                           "\n\n\n");
    free(s);
    canvas_free(c);
    canvas_free(t);
}

/* 20x5, the smallest the brief names: whole words only. */
static void
test_tiny_terminal(void **state)
{
    struct canvas *c = canvas_new(20, 5, false);
    struct view_state vs = { 0 };
    char *s;

    (void)state;
    view_draw(c, &vs, &dash, NULL, "x", 0);
    s = ts_canvas_text(c);
    /* "terminal too small" and "(20x5), need 40x10" (18 cells each)
     * from column 1, rows (5 - 2 + 1) / 2 = 2 and 3. */
    assert_string_equal(s, "\n\n"
                           " terminal too small\n"
                           " (20x5), need 40x10\n"
                           "\n");
    free(s);
    canvas_free(c);
}

static char alpha[] = "alpha", beta[] = "beta";

/* One page, one row: two text panels A and B side by side. */
static void
two_panels(struct panel *p, struct row *row, struct page *pg,
           struct dashboard *d)
{
    for (int i = 0; i < 2; i++)
        p[i] = (struct panel){ .title = i == 0 ? "A" : "B",
                               .kind = PANEL_TEXT, .decimals = -1,
                               .min = NAN, .max = NAN, .width = 1,
                               .text = i == 0 ? alpha : beta };
    *row = (struct row){ .height = 1, .panels = p, .npanels = 2 };
    *pg = (struct page){ .title = "one", .rows = row, .nrows = 1 };
    *d = (struct dashboard){ .title = "D", .pages = pg, .npages = 1,
                             .range_ms = 60000 };
}

static void
test_focus_and_zoom(void **state)
{
    struct panel p[2];
    struct row row;
    struct page pg;
    struct dashboard d;
    struct canvas *c = canvas_new(40, 10, true);
    struct view_state vs = { .focus = 1 };
    char *s, l[64];

    (void)state;
    two_panels(p, &row, &pg, &d);
    view_draw(c, &vs, &d, NULL, NULL, 0);
    s = ts_canvas_text(c);
    /* Body rows 1-8, panels 20 wide; B has the focus: its frame is
     * heavy, '=' and '#' in ASCII (the title's spaces stay). */
    ts_line(s, 1, l, sizeof l);
    assert_string_equal(l, "+ A ---------------+# B ===============#");
    ts_line(s, 2, l, sizeof l);
    assert_string_equal(l, "|alpha             ||beta              |");
    ts_line(s, 5, l, sizeof l);
    assert_string_equal(l, "|                  ||                  |");
    ts_line(s, 8, l, sizeof l);
    assert_string_equal(l, "+------------------+#==================#");
    assert_int_equal(canvas_cell(c, 20, 1)->role, ROLE_HI);
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_BORDER);
    assert_int_equal(vs.npanels, 2);
    assert_int_equal(view_panel_at(&vs, 25, 3), 1);
    assert_int_equal(view_panel_at(&vs, 3, 8), 0);
    assert_int_equal(view_panel_at(&vs, 3, 9), -1);
    free(s);
    /* Zoomed: B alone over the whole body. */
    vs.zoom = true;
    view_draw(c, &vs, &d, NULL, NULL, 0);
    s = ts_canvas_text(c);
    ts_line(s, 1, l, sizeof l);
    assert_string_equal(l, "# B ===================================#");
    ts_line(s, 2, l, sizeof l);
    assert_string_equal(l, "|beta                                  |");
    ts_line(s, 8, l, sizeof l);
    assert_string_equal(l, "#======================================#");
    assert_null(strstr(s, "alpha"));
    assert_int_equal(vs.npanels, 0);
    free(s);
    /* The focus is clamped to the page's panels. */
    vs.zoom = false;
    vs.focus = 9;
    view_draw(c, &vs, &d, NULL, NULL, 0);
    assert_int_equal(vs.focus, 1);
    canvas_free(c);
}

/* Where the focus goes from panel `from` of pg after m, in body. */
static int
moved(struct page *pg, struct rect body, int from, enum view_move m)
{
    struct dashboard d = { .title = "D", .pages = pg, .npages = 1 };
    struct view_state vs = { .focus = from };

    view_page_move(&vs, &d, body, m);
    return vs.focus;
}

static void
test_focus_moves_spatially(void **state)
{
    struct panel p[3];
    struct row rows[2];
    struct page pg;
    struct rect body = { 0, 1, 40, 16 };

    (void)state;
    memset(p, 0, sizeof p);
    for (int i = 0; i < 3; i++)
        p[i].width = 1;
    /* Row 1: A B; row 2: C across the whole width. */
    rows[0] = (struct row){ .height = 1, .panels = p, .npanels = 2 };
    rows[1] = (struct row){ .height = 1, .panels = p + 2, .npanels = 1 };
    pg = (struct page){ .rows = rows, .nrows = 2 };
    assert_int_equal(moved(&pg, body, 0, VIEW_MOVE_RIGHT), 1);
    assert_int_equal(moved(&pg, body, 1, VIEW_MOVE_LEFT), 0);
    assert_int_equal(moved(&pg, body, 0, VIEW_MOVE_LEFT), 0);
    assert_int_equal(moved(&pg, body, 1, VIEW_MOVE_DOWN), 2);
    assert_int_equal(moved(&pg, body, 0, VIEW_MOVE_DOWN), 2);
    /* Up from C: A and B line up equally; the first wins. */
    assert_int_equal(moved(&pg, body, 2, VIEW_MOVE_UP), 0);
    assert_int_equal(moved(&pg, body, 2, VIEW_MOVE_DOWN), 2);
}

static void
test_filter_variable_prompt(void **state)
{
    struct label ls[3] = { { "job", "a" }, { "job", "b" }, { "job", "c" } };
    struct qpoint pts[3] = { { 0, 10 }, { 0, 40 }, { 0, 20 } };
    struct qseries se[3];
    struct qresult r = { .type = QV_VECTOR, .series = se, .nseries = 3 };
    struct panel_query q = { .expr = "x", .legend = "{{job}}", .result = &r };
    struct panel p = { .title = "P", .kind = PANEL_BARS, .decimals = -1,
                       .min = NAN, .max = NAN, .width = 1, .queries = &q,
                       .nqueries = 1 };
    struct row row = { .height = 1, .panels = &p, .npanels = 1 };
    struct page pg = { .title = "one", .rows = &row, .nrows = 1 };
    char *vals[] = { "api", "web" };
    struct variable var = { .name = "job", .values = vals, .nvalues = 2,
                            .current = 1 };
    struct dashboard d = { .title = "D", .pages = &pg, .npages = 1,
                           .range_ms = 60000, .variables = &var,
                           .nvariables = 1 };
    struct canvas *c = canvas_new(40, 10, true);
    struct view_state vs = { 0 };
    char *s, l[64];

    (void)state;
    for (int i = 0; i < 3; i++)
        se[i] = (struct qseries){ { &ls[i], 1 }, &pts[i], 1 };
    vs.filter = filter_new("job=~a|c");
    vs.filter_text = "job=~a|c";
    view_draw(c, &vs, &d, NULL, "ok", 0);
    s = ts_canvas_text(c);
    /* Title bar: the variable as name=value before the range, the
     * whole "job=web  last 1m " right-aligned from column 23. */
    ts_line(s, 0, l, sizeof l);
    assert_string_equal(l, " D   1 one   2 targets job=web  last 1m");
    /* Only a and c are drawn; b (the largest) is filtered out. Meters
     * are 38 - 1 - 2 - 2 = 33 cells on a 0-20 scale: c fills them, a
     * takes 132 eighths, 16 whole cells (ASCII has no partial ones). */
    ts_line(s, 2, l, sizeof l);
    assert_string_equal(l, "|c ################################# 20|");
    ts_line(s, 3, l, sizeof l);
    assert_string_equal(l, "|a ################................. 10|");
    assert_null(strstr(s, "|b "));
    /* The status bar says a filter is on, then the status; the 42-cell
     * key list does not fit 40 and is left out whole. */
    ts_line(s, 9, l, sizeof l);
    assert_string_equal(l, " filter: job=~a|c  ok");
    assert_int_equal(canvas_cell(c, 1, 9)->role, ROLE_WARN);
    free(s);
    /* The open prompt takes the status bar, with a cursor. */
    vs.prompt = "job=a";
    view_draw(c, &vs, &d, NULL, "ok", 0);
    s = ts_canvas_text(c);
    ts_line(s, 9, l, sizeof l);
    assert_string_equal(l, "/job=a_           Enter keep  Esc clear");
    free(s);
    filter_free(vs.filter);
    canvas_free(c);
}

/*
 * The chapter-9 Grafana dashboard (diamol, exercises), imported with
 * grafana_load and drawn at 120x40 with a hand-built result per query:
 * every graph and stat gets one series rising from 1 to 7 over the last
 * hour, every gauge one at 42. Grafana's grid is 24 columns wide and
 * these rows use 18 of them (the Docker row, its stacked stats set side
 * by side, 27), so a panel at gridPos x should start at column
 * x * 120 / 18 (x * 120 / 27) give or take the cell rounding puts
 * there; the four rows share the 38 body lines, about 9.5 each.
 */
static const struct {
    const char *title;
    int gx, sum;            /* gridPos x, and the row's width in units */
    enum panel_kind kind;
} ch09[] = {
    { "HTTP 200 Responses", 0, 18, PANEL_GRAPH },
    { "In-Flight Requests", 5, 18, PANEL_GRAPH },
    { "Memory In Use", 10, 18, PANEL_GRAPH },
    { "Active Goroutines", 14, 18, PANEL_GRAPH },
    { "Get Image Requests", 0, 18, PANEL_GRAPH },
    { "Image Loads from NASA", 4, 18, PANEL_GAUGE },
    { "Image Loads from Cache", 7, 18, PANEL_GAUGE },
    { "JVM Memory Use", 10, 18, PANEL_GRAPH },
    { "Active Threads", 14, 18, PANEL_GRAPH },
    { "Logs by Container", 0, 18, PANEL_GRAPH },
    { "Current Client IPs", 5, 18, PANEL_GRAPH },
    { "Memory Use by Container", 10, 18, PANEL_GRAPH },
    { "Active Sockets", 14, 18, PANEL_GRAPH },
    { "Container Status", 0, 27, PANEL_GRAPH },
    { "Health Checks", 4, 27, PANEL_STAT },
    { "Failed Health Checks", 7, 27, PANEL_STAT },
    { "Version", 10, 27, PANEL_STAT },
    { "Architecture", 13, 27, PANEL_STAT },
    { "OS Type", 16, 27, PANEL_STAT },
    { "Memory In Use", 19, 27, PANEL_GRAPH },
    { "Active Goroutines", 23, 27, PANEL_GRAPH },
};
static const char *const ch09_rows[] = {
    "Image Gallery", "Image of the Day API", "Access Log", "Docker",
};

/* Whether line y of s has the first n bytes of t (all of it for n < 0)
 * at column x give or take one. */
static bool
text_near_n(const char *s, int y, int x, const char *t, int n)
{
    size_t len = n < 0 || (size_t)n > strlen(t) ? strlen(t) : (size_t)n;
    char l[256];

    ts_line(s, y, l, sizeof l);
    for (int dx = -1; dx <= 1; dx++)
        if (x + dx >= 0 && (size_t)(x + dx) < strlen(l)
            && strncmp(l + x + dx, t, len) == 0)
            return true;
    return false;
}

static bool
text_near(const char *s, int y, int x, const char *t)
{
    return text_near_n(s, y, x, t, -1);
}

/* The line within one of y where the header of row t is: its marker
 * at column 1 ('v', an open section in ASCII), the title from column 3.
 * Grafana's rows fold, so their titles are section headers. */
static int
row_line(const char *s, int y, const char *t)
{
    char want[64];

    snprintf(want, sizeof want, " v %s", t);
    for (int dy = -1; dy <= 1; dy++) {
        char l[256];

        ts_line(s, y + dy, l, sizeof l);
        if (strcmp(l, want) == 0)
            return y + dy;
    }
    return -1;
}

/* What each kind leaves in the panel's inner lines: a graph its y axis
 * ('|' beside the plot) and a time under it (the range is 16:13 to
 * 22:13 UTC; narrow plots show only the start), a gauge its value 42 over a meter ('#' then '.') across the
 * panel, a stat its value 7. */
static bool
looks_like(const char *s, int y0, int h, int x, int w, enum panel_kind k)
{
    char l[256];
    bool a = false, b = false;

    for (int y = y0 + 1; y < y0 + h - 1; y++) {
        ts_line(s, y, l, sizeof l);
        if ((size_t)x >= strlen(l))
            continue;
        l[x + w < (int)strlen(l) ? x + w : (int)strlen(l)] = '\0';
        if (k == PANEL_GRAPH) {
            a = a || strchr(l + x + 1, '|') != NULL;
            b = b || strstr(l + x, ":13") != NULL;
        } else if (k == PANEL_GAUGE) {
            a = a || (l[x + 1] == '#'
                      && strspn(l + x + 1, "#.") >= (size_t)(w - 3));
            b = b || strstr(l + x, "42") != NULL;
        } else {
            a = b = a || strstr(l + x, "7") != NULL;
        }
    }
    return a && b;
}

static void
test_grafana_ch09(void **state)
{
    const char *dir = ts_testdata();
    char path[512], *s;
    struct dashboard d;
    struct grafana_notes notes = { 0 };
    struct diag dg;
    struct qpoint pts[2] = { { 1700000000000LL - 3600000, 1 },
                             { 1700000000000LL, 7 } };
    struct qpoint gpt[1] = { { 1700000000000LL, 42 } };
    struct label lb = { "job", "image-gallery" };
    struct qseries ser = { { &lb, 1 }, pts, 2 }, gser = { { &lb, 1 }, gpt, 1 };
    struct qresult res = { .type = QV_MATRIX, .series = &ser, .nseries = 1 };
    struct qresult gres = { .type = QV_MATRIX, .series = &gser,
                            .nseries = 1 };
    struct canvas *c = canvas_new(120, 40, true);
    struct view_state vs = { .focus = -1 };
    size_t k = 0;
    int y = 1;

    (void)state;
    setenv("TZ", "UTC", 1);
    snprintf(path, sizeof path, "%s/diamol-ch09/exercises-grafana-dashboard"
             ".json", dir);
    assert_int_equal(grafana_load(path, &d, &notes, &dg), 0);
    assert_int_equal(d.npages, 1);
    assert_int_equal(d.pages[0].nrows, 4);
    d.now_ms = 1700000000000LL;
    for (size_t r = 0; r < d.pages[0].nrows; r++)
        for (size_t i = 0; i < d.pages[0].rows[r].npanels; i++) {
            struct panel *p = &d.pages[0].rows[r].panels[i];

            assert_true(k < sizeof ch09 / sizeof ch09[0]);
            assert_string_equal(p->title, ch09[k].title);
            assert_int_equal(p->kind, ch09[k++].kind);
            p->queries[0].result = p->kind == PANEL_GAUGE ? &gres : &res;
        }
    assert_int_equal(k, sizeof ch09 / sizeof ch09[0]);
    view_draw(c, &vs, &d, NULL, NULL, d.now_ms);
    s = ts_canvas_text(c);
    /* Title bar: the dashboard, its one page, Grafana's "now-6h". The
     * row titles are header lines of their own. The page fits 120x40
     * (rows of about 9.5 lines, graphs at least 6 high without their
     * header): no scrolling, no indicator in the key bar. */
    assert_true(text_near(s, 0, 1, "Image Gallery"));
    assert_non_null(strstr(s, " 1 Image Gallery "));
    assert_non_null(strstr(s, "last 6h"));
    k = 0;
    for (int r = 0; r < 4; r++) {
        int ry = row_line(s, 1 + (r * 38 + 1) / 4, ch09_rows[r]);
        int next = r < 3 ? row_line(s, 1 + ((r + 1) * 38 + 1) / 4,
                                    ch09_rows[r + 1]) : 39;

        assert_true(ry > 0);
        assert_true(next > ry);
        for (size_t i = 0; i < d.pages[0].rows[r].npanels; i++, k++) {
            int x = (ch09[k].gx * 120 + ch09[k].sum / 2) / ch09[k].sum;
            int w = (d.pages[0].rows[r].panels[i].width * 120)
                    / ch09[k].sum;

            /* " title " set into the frame's top edge, cut to the
             * w - 5 cells a frame leaves it (w give or take one). */
            assert_true(text_near_n(s, ry + 1, x + 2, ch09[k].title,
                                    w - 6));
            assert_true(looks_like(s, ry + 1, next - ry - 1, x, w,
                                   ch09[k].kind));
        }
        y = next;
    }
    assert_int_equal(y, 39);
    assert_null(strstr(s, "panels "));
    free(s);
    canvas_free(c);
    for (size_t r = 0; r < d.pages[0].nrows; r++)
        for (size_t i = 0; i < d.pages[0].rows[r].npanels; i++)
            d.pages[0].rows[r].panels[i].queries[0].result = NULL;
    grafana_notes_fini(&notes);
    dashmodel_fini(&d);
}

/* A one-panel page drawn through a memo: untouched panels keep their
 * cells, dirty or changed ones are repainted. */
static void
test_memo_redraws_only_changed_panels(void **state)
{
    struct qpoint pt = { 0, 1 };
    struct qseries se = { { NULL, 0 }, &pt, 1 };
    struct qresult r1 = { .type = QV_VECTOR, .series = &se, .nseries = 1 };
    struct qresult r2 = r1;
    struct panel_query q = { .expr = "x", .result = &r1 };
    struct panel p = { .title = "P", .kind = PANEL_STAT, .decimals = -1,
                       .min = NAN, .max = NAN, .width = 1, .queries = &q,
                       .nqueries = 1 };
    struct row row = { .height = 1, .panels = &p, .npanels = 1 };
    struct page pg = { .title = "one", .rows = &row, .nrows = 1 };
    struct dashboard d = { .title = "D", .pages = &pg, .npages = 1,
                           .range_ms = 60000 };
    struct canvas *c = canvas_new(40, 10, true);
    struct view_memo *m = view_memo_new();
    struct view_state vs = { 0 };

    (void)state;
    view_draw_memo(c, &vs, &d, NULL, NULL, 0, m);
    /* The only panel has the focus: its corner is heavy ('#'). */
    assert_int_equal(canvas_cell(c, 0, 1)->ch, '#');
    /* Scribble inside the panel: an unchanged panel is not repainted. */
    canvas_put(c, 5, 3, 'Z', ROLE_DEFAULT, 0);
    view_draw_memo(c, &vs, &d, NULL, "status", 0, m);
    assert_int_equal(canvas_cell(c, 5, 3)->ch, 'Z');
    /* Marked dirty: repainted. */
    p.dirty = true;
    view_draw_memo(c, &vs, &d, NULL, NULL, 0, m);
    assert_int_equal(canvas_cell(c, 5, 3)->ch, ' ');
    p.dirty = false;
    canvas_put(c, 5, 3, 'Z', ROLE_DEFAULT, 0);
    /* A new result: repainted. */
    q.result = &r2;
    view_draw_memo(c, &vs, &d, NULL, NULL, 0, m);
    assert_int_equal(canvas_cell(c, 5, 3)->ch, ' ');
    canvas_put(c, 5, 3, 'Z', ROLE_DEFAULT, 0);
    /* Invalidated (a resize, Ctrl-L): everything is repainted. */
    view_memo_invalidate(m);
    view_draw_memo(c, &vs, &d, NULL, NULL, 0, m);
    assert_int_equal(canvas_cell(c, 5, 3)->ch, ' ');
    canvas_put(c, 5, 3, 'Z', ROLE_DEFAULT, 0);
    /* Another view (help) repaints the body too. */
    vs.help = true;
    view_draw_memo(c, &vs, &d, NULL, NULL, 0, m);
    assert_int_equal(canvas_cell(c, 5, 3)->ch, ' ');
    view_memo_free(m);
    view_memo_free(NULL);
    canvas_free(c);
}

static void
test_range_text(void **state)
{
    char s[16];

    (void)state;
    view_range_text(3600000, s, sizeof s);
    assert_string_equal(s, "1h");
    view_range_text(900000, s, sizeof s);
    assert_string_equal(s, "15m");
    view_range_text(45000, s, sizeof s);
    assert_string_equal(s, "45s");
    view_range_text(2 * 86400000LL, s, sizeof s);
    assert_string_equal(s, "2d");
    /* Two pages, then the targets, alerts, rules, the containers, then
     * explore. */
    assert_int_equal(view_count(&dash), 7);
    assert_int_equal(view_targets(&dash), 2);
    assert_int_equal(view_alerts(&dash), 3);
    assert_int_equal(view_rules(&dash), 4);
    assert_int_equal(view_containers(&dash), 5);
    assert_int_equal(view_explore(&dash), 6);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_tabs_status),
        cmocka_unit_test(test_status_in_title_bar),
        cmocka_unit_test(test_paused_and_help),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_tiny_terminal),
        cmocka_unit_test(test_focus_and_zoom),
        cmocka_unit_test(test_focus_moves_spatially),
        cmocka_unit_test(test_filter_variable_prompt),
        cmocka_unit_test(test_grafana_ch09),
        cmocka_unit_test(test_memo_redraws_only_changed_panels),
        cmocka_unit_test(test_range_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
