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

#include "src/arena.h"
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
    };
    struct buf b;

    (void)state;
    build(&d, &pg, &row, p, &q);
    buf_init(&b, 0);
    ui_render_text(&d, &t, 1, 40, true, &b);
    assert_string_equal(buf_str(&b),
        "Demo | Main | last 1h\n"
        "+ Up --------------++ G ---------------+\n"
        "|        42        ||panel type not    |\n"
        "|                  ||supported yet     |\n"
        "|                 #||(gauge)           |\n"
        "|                _#||                  |\n"
        "+------------------++------------------+\n"
        "\n"
        "Demo | targets | last 1h\n"
        "STATE   JOB  ENDPOINT       LAST SCRAPE\n"
        "up      node localhost:9100 3.2s ago\n");
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
    ui_render_text(&d, NULL, 0, 60, false, &b);
    assert_null(strchr(buf_str(&b), '\x1b'));
    /* Box corners and the sparkline's full block are UTF-8. */
    assert_non_null(strstr(buf_str(&b), "\xe2\x94\x8c Up "));
    assert_non_null(strstr(buf_str(&b), "\xe2\x96\x88"));
    assert_non_null(strstr(buf_str(&b), "no targets"));
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
static enum ui_action
type(struct pty *p, struct ui *ui, struct dashboard *d, const char *s)
{
    struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

    assert_int_equal(write(p->master, s, strlen(s)), (ssize_t)strlen(s));
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    usleep(20000);
    return ui_handle_input(ui, d, 0);
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

    (void)state;
    build(&d, &pg[0], &row, p, &q);
    pg[1] = (struct page){ .title = "Two" };
    d.npages = 2;
    setenv("TERM", "xterm-256color", 1);
    if (!pty_open(&pt))
        skip();
    ui = ui_open(&o, &dg);
    if (ui == NULL) {
        pty_close(&pt);
        fail_msg("ui_open: %s", dg.msg);
    }
    assert_int_equal(ui_input_fd(ui), STDIN_FILENO);
    ui_draw(ui, &d, NULL, 0, "ok");
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
    assert_false(ui_paused(ui));
    assert_int_equal(type(&pt, ui, &d, "p"), UI_REDRAW);
    assert_true(ui_paused(ui));
    assert_int_equal(type(&pt, ui, &d, "\x0c"), UI_REDRAW);
    assert_int_equal(type(&pt, ui, &d, "r"), UI_RELOAD);
    assert_int_equal(type(&pt, ui, &d, "rq"), UI_QUIT);
    /* A press of button 1 on the second tab (" 2 Two " from x 16 on
     * the top line), in the SGR encoding xterm-256color's terminfo
     * declares (kmous=CSI <): CSI < button ; column ; row M, 1-based. */
    ui_draw(ui, &d, NULL, 0, "ok");
    pty_drain(&pt);
    assert_int_equal(type(&pt, ui, &d, "\x1b[<0;21;1M"), UI_REDRAW);
    assert_int_equal(ui_current_page(ui), 1);
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
        cmocka_unit_test(test_keys_on_a_pty),
        cmocka_unit_test(test_not_a_terminal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
