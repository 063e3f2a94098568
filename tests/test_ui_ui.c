/*
 * ui_render_text on a small hand-built dashboard: one page with a stat
 * and a panel kind that has no widget yet, then the targets table; the
 * expected text is worked out from the layout rules (equal weights split
 * 40 cells 20/20, a stat row is 4 + 2 frame lines tall). Then the live UI
 * on a pseudo-terminal: keys and a mouse click written to the master end
 * must change the view state as the help screen says.
 */
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/arena.h"
#include "ui/ui.h"

static struct qpoint pts[] = { { 0, 0 }, { 60000, 42 } };
static struct qseries ser = { { NULL, 0 }, pts, 2 };
static struct qresult res = { .type = QV_MATRIX, .series = &ser,
                              .nseries = 1 };

static void
build(struct dashboard *d, struct page *pg, struct row *row,
      struct panel *p, struct panel_query *q)
{
    memset(q, 0, sizeof *q);
    q->expr = "x";
    q->result = &res;
    for (int i = 0; i < 2; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].kind = i == 0 ? PANEL_STAT : PANEL_GAUGE;
        p[i].title = i == 0 ? "Up" : "G";
        p[i].decimals = -1;
        p[i].min = p[i].max = NAN;
        p[i].width = 1;
        p[i].queries = q;
        p[i].nqueries = 1;
    }
    *row = (struct row){ .height = 1, .panels = p, .npanels = 2 };
    *pg = (struct page){ .title = "Main", .rows = row, .nrows = 1 };
    *d = (struct dashboard){ .title = "Demo", .pages = pg, .npages = 1,
                             .range_ms = 3600000, .step_ms = 60000,
                             .now_ms = 1700000000000LL };
}

static void
test_render_text(void **state)
{
    struct dashboard d;
    struct page pg;
    struct row row;
    struct panel p[2];
    struct panel_query q;
    struct target_row t = {
        .job = "node", .instance = "localhost:9100",
        .url = "http://localhost:9100/metrics", .labels = "{}",
        .health = HEALTH_UP, .last_scrape_ms = 1700000000000LL - 3200,
        .last_duration_s = 0.01, .samples = 10, .last_error = "",
        .discovered = "{__address__=\"localhost:9100\"}",
    };
    struct target_view tv = { .rows = &t, .n = 1 };
    struct buf b;

    (void)state;
    build(&d, &pg, &row, p, &q);
    buf_init(&b, 0);
    /* The gauge wants 5 inner rows: value, meter (0 to 42, full) and
     * ends, centred from row 1. The stat's value sits at (5 - 2 - 1) / 2
     * = 1 over a 2-row sparkline. Every target shows both label sets,
     * values from column 20 wrapped to 20 cells. */
    ui_render_text(&d, &tv, 40, GLYPHS_ASCII, &b);
    assert_string_equal(buf_str(&b),
        "Demo | Main | last 1h\n"
        "+ Up --------------++ G ---------------+\n"
        "|                  ||                  |\n"
        "|        42        ||        42        |\n"
        "|                  ||##################|\n"
        "|                 #||0               42|\n"
        "|                _#||                  |\n"
        "+------------------++------------------+\n"
        "\n"
        "Demo | targets | last 1h\n"
        "STATE   JOB  ENDPOINT       LAST SCRAPE\n"
        "up      node localhost:9100 3.2s ago\n"
        "  discovered labels {__address__=\"localh\n"
        "                    ost:9100\"}\n"
        "  target labels     {}\n");
    buf_fini(&b);
}

static void
test_render_text_utf8_has_no_escapes(void **state)
{
    struct dashboard d;
    struct page pg;
    struct row row;
    struct panel p[2];
    struct panel_query q;
    struct buf b;

    (void)state;
    build(&d, &pg, &row, p, &q);
    buf_init(&b, 0);
    ui_render_text(&d, NULL, 60, GLYPHS_BRAILLE, &b);
    assert_null(strchr(buf_str(&b), '\x1b'));
    /* Box corners and the sparkline's full block are UTF-8. */
    assert_non_null(strstr(buf_str(&b), "\xe2\x94\x8c Up "));
    assert_non_null(strstr(buf_str(&b), "\xe2\x96\x88"));
    assert_non_null(strstr(buf_str(&b), "no targets"));
    buf_fini(&b);
}

/* A snapshot is for scripts: a collapsed row is printed open, with its
 * plain title, like any other. */
static void
test_render_text_prints_collapsed_rows(void **state)
{
    struct dashboard d;
    struct page pg;
    struct row row;
    struct panel p[2];
    struct panel_query q;
    struct buf b;

    (void)state;
    build(&d, &pg, &row, p, &q);
    row.title = "Hidden";
    row.collapsed = true;
    buf_init(&b, 0);
    ui_render_text(&d, NULL, 40, GLYPHS_ASCII, &b);
    assert_non_null(strstr(buf_str(&b), "Demo | Main | last 1h\n"
                                        " Hidden\n"
                                        "+ Up --------------++ G -----"));
    assert_non_null(strstr(buf_str(&b), "|        42        ||        42"));
    buf_fini(&b);
}

/* The process's stdin and stdout moved onto a pty slave, and back. */
struct pty {
    int master, slave, saved_in, saved_out;
};

static bool
pty_open(struct pty *p)
{
    struct winsize ws = { .ws_row = 12, .ws_col = 60 };

    p->master = posix_openpt(O_RDWR | O_NOCTTY);
    if (p->master < 0 || grantpt(p->master) < 0 || unlockpt(p->master) < 0)
        return false;
    p->slave = open(ptsname(p->master), O_RDWR | O_NOCTTY);
    if (p->slave < 0)
        return false;
    ioctl(p->slave, TIOCSWINSZ, &ws);
    fflush(stdout);
    p->saved_in = dup(STDIN_FILENO);
    p->saved_out = dup(STDOUT_FILENO);
    dup2(p->slave, STDIN_FILENO);
    dup2(p->slave, STDOUT_FILENO);
    fcntl(p->master, F_SETFL, O_NONBLOCK);
    return true;
}

static void
pty_close(struct pty *p)
{
    dup2(p->saved_in, STDIN_FILENO);
    dup2(p->saved_out, STDOUT_FILENO);
    close(p->saved_in);
    close(p->saved_out);
    close(p->slave);
    close(p->master);
}

/* Reads and drops what the UI wrote to the terminal. */
static void
pty_drain(struct pty *p)
{
    char b[4096];

    while (read(p->master, b, sizeof b) > 0)
        continue;
}

/* Types s into the terminal, waits until it is readable, then lets the
 * UI handle it. */
static unsigned
type(struct pty *p, struct ui *ui, struct dashboard *d, const char *s)
{
    struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

    assert_int_equal(write(p->master, s, strlen(s)), (ssize_t)strlen(s));
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    usleep(20000);
    return ui_handle_input(ui, d, 0, true);
}

static void
test_keys_on_a_pty(void **state)
{
    struct dashboard d;
    struct page pg[2];
    struct row row;
    struct panel p[2];
    struct panel_query q;
    struct ui_options o = { .ascii = false, .no_color = false };
    struct diag dg;
    struct pty pt;
    struct ui *ui;
    char *vals[] = { "api", "web" };
    struct variable v = { .name = "job", .values = vals, .nvalues = 2,
                          .all = true };
    size_t var, val;

    (void)state;
    build(&d, &pg[0], &row, p, &q);
    pg[1] = (struct page){ .title = "Two" };
    d.npages = 2;
    d.variables = &v;
    d.nvariables = 1;
    setenv("TERM", "xterm-256color", 1);
    if (!pty_open(&pt))
        skip();
    ui = ui_open(&o, &dg);
    if (ui == NULL) {
        pty_close(&pt);
        fail_msg("ui_open: %s", dg.msg);
    }
    assert_int_equal(ui_input_fd(ui), STDIN_FILENO);
    ui_draw(ui, &d, NULL, "ok");
    pty_drain(&pt);
    assert_int_equal(ui_current_page(ui), 0);
    assert_int_equal(type(&pt, ui, &d, "\t"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), 1);
    /* Shift-Tab (CSI Z) goes back; 3 is the targets view. */
    assert_int_equal(type(&pt, ui, &d, "\x1b[Z"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), 0);
    assert_int_equal(type(&pt, ui, &d, "3"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), -1);
    assert_int_equal(type(&pt, ui, &d, "9"), UI_NONE);
    assert_int_equal(type(&pt, ui, &d, "1?"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), -1);
    assert_int_equal(type(&pt, ui, &d, "?"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), 0);
    /* Esc closes the help too, without leaving the page. */
    type(&pt, ui, &d, "?");
    assert_int_equal(ui_current_page(ui), -1);
    assert_int_equal(type(&pt, ui, &d, "\x1b"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), 0);
    assert_false(ui_paused(ui));
    assert_int_equal(type(&pt, ui, &d, "p"), UI_REDRAW);
    assert_true(ui_paused(ui));
    assert_int_equal(type(&pt, ui, &d, "\x0c"), UI_REDRAW);
    /* Ctrl-R asks for a reload; q quits whatever came with it. */
    assert_int_equal(type(&pt, ui, &d, "\x12"), UI_RELOAD);
    assert_true(type(&pt, ui, &d, "\x12q") & UI_QUIT);
    assert_int_equal(type(&pt, ui, &d, "p"), UI_REDRAW);
    /* Focus: the page is one row, Up then G; l and Right go right, h
     * left, and there is nothing further either way. */
    assert_int_equal(ui_focus(ui), 0);
    assert_int_equal(type(&pt, ui, &d, "l"), UI_REDRAW);
    assert_int_equal(ui_focus(ui), 1);
    type(&pt, ui, &d, "l");
    assert_int_equal(ui_focus(ui), 1);
    type(&pt, ui, &d, "h");
    assert_int_equal(ui_focus(ui), 0);
    /* Right, as keypad mode sends it (kcuf1=ESC O C). */
    type(&pt, ui, &d, "\x1bOC");
    assert_int_equal(ui_focus(ui), 1);
    /* Enter zooms the focused panel, Esc returns. */
    assert_int_equal(type(&pt, ui, &d, "\r"), UI_REDRAW);
    assert_true(ui_zoomed(ui));
    assert_int_equal(ui_current_page(ui), 0);
    assert_int_equal(type(&pt, ui, &d, "\x1b"), UI_REDRAW);
    assert_false(ui_zoomed(ui));
    /* + and - step through 5m 15m 30m 1h 3h ...; src/ applies them. */
    assert_int_equal(type(&pt, ui, &d, "+"), UI_RANGE | UI_REDRAW);
    assert_int_equal(ui_range_ms(ui), 3 * 3600000);
    assert_int_equal(type(&pt, ui, &d, "--"), UI_RANGE | UI_REDRAW);
    assert_int_equal(ui_range_ms(ui), 30 * 60000);
    d.range_ms = ui_range_ms(ui);
    /* [ and ] cycle the variable's values, All after the last. */
    assert_int_equal(type(&pt, ui, &d, "]"), UI_VARIABLE | UI_REDRAW);
    assert_true(ui_variable_choice(ui, &var, &val));
    assert_int_equal(var, 0);
    assert_int_equal(val, 1);
    v.current = val;
    type(&pt, ui, &d, "]");
    assert_true(ui_variable_choice(ui, &var, &val));
    assert_int_equal(val, 2);
    v.current = val;
    /* Two steps back from All in one read: web, then api. */
    assert_int_equal(type(&pt, ui, &d, "[["), UI_VARIABLE | UI_REDRAW);
    assert_true(ui_variable_choice(ui, &var, &val));
    assert_int_equal(val, 0);
    type(&pt, ui, &d, "p");
    assert_false(ui_variable_choice(ui, &var, &val));
    /* / opens the filter prompt; typed text filters, Enter keeps it. */
    assert_int_equal(type(&pt, ui, &d, "/job=ax\x7f"), UI_REDRAW);
    assert_string_equal(ui_filter(ui), "job=a");
    assert_int_equal(type(&pt, ui, &d, "q\r"), UI_REDRAW);
    assert_string_equal(ui_filter(ui), "job=aq");
    assert_int_equal(type(&pt, ui, &d, "/\x1b"), UI_REDRAW);
    assert_null(ui_filter(ui));
    type(&pt, ui, &d, "/up\r");
    /* r resets focus, zoom, filter and the range (as src/ had it, 30m,
     * back to the dashboard's 1h). */
    type(&pt, ui, &d, "l\r");
    assert_true(ui_zoomed(ui));
    assert_int_equal(type(&pt, ui, &d, "r"), UI_RANGE | UI_REDRAW);
    assert_int_equal(ui_range_ms(ui), 3600000);
    assert_int_equal(ui_focus(ui), 0);
    assert_false(ui_zoomed(ui));
    assert_null(ui_filter(ui));
    d.range_ms = ui_range_ms(ui);
    /* Clicks: the second panel (x 30-59, body rows 1-10) takes the
     * focus; a second click soon after zooms it. SGR encoding, as
     * xterm-256color's terminfo declares (kmous=CSI <): CSI < button ;
     * column ; row M, 1-based; m is the release. */
    ui_draw(ui, &d, NULL, "ok");
    pty_drain(&pt);
    assert_int_equal(type(&pt, ui, &d, "\x1b[<0;41;5M\x1b[<0;41;5m"),
                     UI_REDRAW);
    assert_int_equal(ui_focus(ui), 1);
    assert_false(ui_zoomed(ui));
    assert_int_equal(type(&pt, ui, &d, "\x1b[<0;41;5M\x1b[<0;41;5m"),
                     UI_REDRAW);
    assert_true(ui_zoomed(ui));
    type(&pt, ui, &d, "\x1b");
    /* A press of button 1 on the second tab (" 2 Two " from x 16 on
     * the top line). */
    ui_draw(ui, &d, NULL, "ok");
    pty_drain(&pt);
    assert_int_equal(type(&pt, ui, &d, "\x1b[<0;21;1M"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), 1);
    /* The targets view: Enter expands, d shows the dropped ones. */
    assert_int_equal(type(&pt, ui, &d, "3\rd"), UI_REDRAW);
    assert_int_equal(type(&pt, ui, &d, "j"), UI_REDRAW);
    /* e opens explore: every key goes to its prompt (q too), Enter asks
     * src/ to evaluate, Esc clears the prompt, then goes back. */
    assert_int_equal(type(&pt, ui, &d, "e"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), -1);
    assert_int_equal(type(&pt, ui, &d, "upq\x7f"), UI_REDRAW);
    assert_int_equal(type(&pt, ui, &d, "\r"), UI_EXPLORE | UI_REDRAW);
    assert_string_equal(ui_explore_expr(ui), "up");
    ui_explore_result(ui, NULL, NULL);
    ui_draw(ui, &d, NULL, "ok");
    pty_drain(&pt);
    assert_int_equal(type(&pt, ui, &d, "\x1b"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), -1);
    assert_int_equal(type(&pt, ui, &d, "\x1b"), UI_REDRAW);
    assert_int_equal(type(&pt, ui, &d, "1"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), 0);
    ui_close(ui);
    ui_restore_terminal();
    pty_drain(&pt);
    pty_close(&pt);
}

/*
 * Eight rows of one graph each: 48 lines at the graphs' minimum of 6,
 * more than the 10 lines of a 60x12 body, so the page scrolls. Then a
 * second page of two sections, A (open) and B (collapsed), of one stat
 * each.
 */
static void
test_long_page_on_a_pty(void **state)
{
    struct panel p[10];
    struct row rows[10];
    struct page pg[2];
    struct dashboard d;
    struct ui_options o = { 0 };
    struct diag dg;
    struct pty pt;
    struct ui *ui;

    (void)state;
    for (int i = 0; i < 10; i++) {
        p[i] = (struct panel){ .title = "P", .kind = i < 8 ? PANEL_GRAPH
                                                           : PANEL_STAT,
                               .decimals = -1, .min = NAN, .max = NAN,
                               .width = 1 };
        rows[i] = (struct row){ .height = 1, .panels = p + i, .npanels = 1 };
    }
    rows[8].title = "A";
    rows[9].title = "B";
    rows[9].collapsed = true;
    pg[0] = (struct page){ .title = "Long", .rows = rows, .nrows = 8 };
    pg[1] = (struct page){ .title = "Rows", .rows = rows + 8, .nrows = 2 };
    d = (struct dashboard){ .title = "Demo", .pages = pg, .npages = 2,
                            .range_ms = 3600000 };
    setenv("TERM", "xterm-256color", 1);
    if (!pty_open(&pt))
        skip();
    ui = ui_open(&o, &dg);
    if (ui == NULL) {
        pty_close(&pt);
        fail_msg("ui_open: %s", dg.msg);
    }
    ui_draw(ui, &d, NULL, "ok");
    pty_drain(&pt);
    /* j goes down a graph at a time; End (kend, ESC O F) to the last,
     * Home (ESC O H) back. */
    assert_int_equal(type(&pt, ui, &d, "jj"), UI_REDRAW);
    assert_int_equal(ui_focus(ui), 2);
    assert_int_equal(type(&pt, ui, &d, "\x1bOF"), UI_REDRAW);
    assert_int_equal(ui_focus(ui), 7);
    assert_int_equal(type(&pt, ui, &d, "\x1bOH"), UI_REDRAW);
    assert_int_equal(ui_focus(ui), 0);
    /* PgDn (CSI 6 ~): 10 lines on; graph 2 (lines 12-17) is the first
     * wholly in sight. */
    assert_int_equal(type(&pt, ui, &d, "\x1b[6~"), UI_REDRAW);
    assert_int_equal(ui_focus(ui), 2);
    assert_int_equal(type(&pt, ui, &d, "\x1b[5~"), UI_REDRAW);
    assert_int_equal(ui_focus(ui), 0);
    /* The wheel (SGR button 65, down): 3 lines; graph 0 (lines 0-5)
     * leaves the body, so graph 1 (6-11) takes the focus. */
    assert_int_equal(type(&pt, ui, &d, "\x1b[<65;5;5M"), UI_REDRAW);
    assert_int_equal(ui_focus(ui), 1);
    /* Enter still zooms a panel; Esc returns. */
    type(&pt, ui, &d, "\r");
    assert_true(ui_zoomed(ui));
    type(&pt, ui, &d, "\x1b");
    /* Page 2: Home focuses A's header, where Enter folds the row and
     * opens it again instead of zooming; j reaches A's stat (panel 0),
     * then B's header, where Space opens B, so j reaches its stat. */
    type(&pt, ui, &d, "2");
    assert_int_equal(ui_current_page(ui), 1);
    type(&pt, ui, &d, "\x1bOH\r");
    assert_false(ui_zoomed(ui));
    type(&pt, ui, &d, "\rj");
    assert_false(ui_zoomed(ui));
    assert_int_equal(ui_focus(ui), 0);
    type(&pt, ui, &d, "j \x1bOB");
    assert_int_equal(ui_focus(ui), 1);
    /* Space on it folds B again and its header takes the focus: Enter
     * there opens B rather than zooming. */
    type(&pt, ui, &d, " \r");
    assert_false(ui_zoomed(ui));
    type(&pt, ui, &d, "j");
    assert_int_equal(ui_focus(ui), 1);
    ui_close(ui);
    ui_restore_terminal();
    pty_drain(&pt);
    pty_close(&pt);
}

static void
test_not_a_terminal(void **state)
{
    struct ui_options o = { 0 };
    struct diag dg;
    int saved = dup(STDIN_FILENO), null = open("/dev/null", O_RDONLY);

    (void)state;
    dup2(null, STDIN_FILENO);
    diag_clear(&dg);
    assert_null(ui_open(&o, &dg));
    dup2(saved, STDIN_FILENO);
    close(saved);
    close(null);
    assert_non_null(strstr(dg.msg, "terminal"));
    o.theme = "no-such-theme";
    assert_null(ui_open(&o, &dg));
    assert_non_null(strstr(dg.msg, "no-such-theme"));
    /* Nothing is active: both are harmless. */
    ui_close(NULL);
    ui_restore_terminal();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_text),
        cmocka_unit_test(test_render_text_utf8_has_no_escapes),
        cmocka_unit_test(test_render_text_prints_collapsed_rows),
        cmocka_unit_test(test_keys_on_a_pty),
        cmocka_unit_test(test_long_page_on_a_pty),
        cmocka_unit_test(test_not_a_terminal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
