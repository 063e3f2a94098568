/*
 * ncursesw behind a canvas. Each frame writes only the cells that differ
 * from the previous canvas into stdscr, then one wnoutrefresh + doupdate
 * lets ncurses send the minimal update, so an idle dashboard costs almost
 * no bytes. Colour pairs are set up once per theme, one per role.
 */
#include "ui/screen.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "src/base/xalloc.h"
#include "ui/theme_path.h"

/* The wheel arrives as presses of buttons 4 (up) and 5 (down); ncurses
 * before mouse version 2 has no button 5. */
#ifdef BUTTON5_PRESSED
#define WHEEL_DOWN BUTTON5_PRESSED
#else
#define WHEEL_DOWN 0
#endif
#define WHEEL_MASK (BUTTON4_PRESSED | WHEEL_DOWN)

/* Whether curses owns the terminal: read on fatal paths, so a plain flag. */
static volatile bool curses_active;

/*
 * What screen_crash_restore writes and sets, worked out while curses is
 * up, because a signal handler may not call into curses (endwin takes
 * locks and allocates): the terminal's own reset sequences from terminfo,
 * and its modes from before curses changed them.
 */
static struct {
    char seq[512];
    size_t len;
    int fd;                     /* the terminal curses writes to */
    pid_t pid;                  /* the process whose screen it is */
    bool have_modes;
    struct termios modes;       /* the modes before newterm */
    volatile sig_atomic_t armed;    /* set while curses is active */
} crash;

/*
 * Resizes: ncurses's own SIGWINCH handler makes the next read return
 * KEY_RESIZE. This one runs before it, to note that a read is due even
 * though the terminal has nothing to read (screen_resize_pending), so
 * the loop need not ask ncurses for keys on every pass.
 */
static volatile sig_atomic_t winched;
static struct sigaction curses_winch;
static bool winch_chained;

struct screen {
    SCREEN *term;
    bool ascii;
    enum color_depth depth;
    const struct theme *theme;
    struct theme *owned;        /* the theme -t named, freed at close */
    struct canvas *last;        /* what the terminal shows now */
    unsigned short rows, cols;  /* the size screen_input_waiting last saw */
};

/* A theme colour as this depth names it; -1 is the terminal default. */
static int
color_for(int32_t rgb, enum color_depth depth, bool fg)
{
    int c = theme_color_at_depth(rgb, depth);

    /* Dark greys come out black at 8 colours: keep foregrounds readable. */
    if (fg && depth == DEPTH_8 && c == COLOR_BLACK)
        return COLOR_WHITE;
    return c;
}

static void
setup_colors(struct screen *s)
{
    if (s->depth == DEPTH_MONO)
        return;
    start_color();
    use_default_colors();
    if (COLOR_PAIRS <= ROLE_COUNT) {
        s->depth = DEPTH_MONO;
        s->theme = theme_mono();
        return;
    }
    for (int i = 0; i < ROLE_COUNT; i++) {
        const struct theme_style *st = &s->theme->style[i];

        init_extended_pair(i + 1, color_for(st->fg, s->depth, true),
                           color_for(st->bg, s->depth, false));
    }
}

static enum color_depth
detect_depth(bool no_color)
{
    bool direct = tigetflag("RGB") > 0;

    if (no_color)
        return DEPTH_MONO;
    return theme_detect_depth(getenv("NO_COLOR"), getenv("COLORTERM"),
                              has_colors(), tigetnum("colors"), direct);
}

/* Appends terminfo string s to the crash sequence, without its "$<5>"
 * padding delays (tputs would turn them into waits). */
static void
crash_add(const char *s)
{
    if (s == NULL || s == (const char *)-1)
        return;
    while (*s != '\0' && crash.len < sizeof crash.seq) {
        const char *end = s[0] == '$' && s[1] == '<' ? strchr(s, '>') : NULL;

        if (end != NULL) {
            s = end + 1;
            continue;
        }
        crash.seq[crash.len++] = *s++;
    }
}

/*
 * Prepares the crash sequence, in the order endwin sends it: a CAN first
 * (it ends any escape sequence a crash cut off half-written), attributes
 * off, mouse reporting off (terminfo's XM, or the xterm sequence ncurses
 * uses without one), keypad mode off, the cursor shown, the alternate
 * screen left. mouse says whether mousemask turned reporting on.
 */
static void
crash_prepare(bool mouse)
{
    const char *xm = tigetstr("XM");

    crash.len = 0;
    crash_add("\030");
    crash_add(tigetstr("sgr0"));
    if (mouse)
        crash_add(xm != NULL && xm != (const char *)-1 ? tiparm(xm, 0)
                                                       : "\033[?1000l");
    crash_add(tigetstr("rmkx"));
    crash_add(tigetstr("cnorm"));
    crash_add(tigetstr("rmcup"));
    crash.fd = fileno(stdout);
    crash.pid = getpid();
    crash.armed = 1;
}

/* Sets up keys and the mouse; returns whether mouse reporting is on. */
static bool
setup_input(void)
{
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    mouseinterval(0);
    /* Clicks and the wheel only: motion reports would cost bytes for
     * nothing. */
    return mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | WHEEL_MASK,
                     NULL) != 0;
}

/* SIGWINCH: notes the resize, then runs ncurses's handler as before. */
static void
on_winch(int sig, siginfo_t *info, void *uctx)
{
    winched = 1;
    if (curses_winch.sa_flags & SA_SIGINFO)
        curses_winch.sa_sigaction(sig, info, uctx);
    else if (curses_winch.sa_handler != SIG_DFL
             && curses_winch.sa_handler != SIG_IGN)
        curses_winch.sa_handler(sig);
}

/* Puts on_winch in front of whatever handler newterm installed. */
static void
chain_winch(void)
{
    struct sigaction sa;

    if (winch_chained)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_winch;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGWINCH, &sa, &curses_winch) == 0)
        winch_chained = true;
}

/* Gives SIGWINCH back to the handler chain_winch found. */
static void
unchain_winch(void)
{
    if (!winch_chained)
        return;
    sigaction(SIGWINCH, &curses_winch, NULL);
    winch_chained = false;
}

/* Reads the terminal's size into s->rows and s->cols; true when it is
 * not what they held. */
static bool
size_changed(struct screen *s)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0
        || (ws.ws_row == s->rows && ws.ws_col == s->cols))
        return false;
    s->rows = ws.ws_row;
    s->cols = ws.ws_col;
    return true;
}

struct screen *
screen_open(bool ascii, bool no_color, const char *theme, struct diag *d)
{
    struct theme *th;
    struct screen *s;
    SCREEN *term;

    /* Theme files are read before curses takes the terminal. */
    th = theme_resolve(theme, d);
    if (th == NULL)
        return NULL;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        diag_set(d, 0, 0, 0, "stdin and stdout must be a terminal");
        diag_hint(d, "use --once for output to a pipe or a file");
        theme_free(th);
        return NULL;
    }
    crash.have_modes = tcgetattr(fileno(stdout), &crash.modes) == 0;
    term = newterm(NULL, stdout, stdin);
    if (term == NULL) {
        const char *t = getenv("TERM");

        diag_set(d, 0, 0, 0, "cannot use terminal type '%s'",
                 t != NULL ? t : "(unset)");
        theme_free(th);
        return NULL;
    }
    set_term(term);
    curses_active = true;
    s = xcalloc(1, sizeof *s);
    size_changed(s);
    s->term = term;
    s->ascii = ascii;
    s->depth = detect_depth(no_color);
    s->owned = th;
    s->theme = theme_for_depth(th, s->depth);
    s->last = canvas_new(0, 0, ascii);
    crash_prepare(setup_input());
    setup_colors(s);
    chain_winch();
    return s;
}

void
screen_restore(void)
{
    if (!curses_active)
        return;
    curses_active = false;
    endwin();
    crash.armed = 0;
}

void
screen_crash_restore(void)
{
    size_t off = 0;
    ssize_t k;

    /* A forked child (a DNS lookup) inherits the handler, not the
     * screen. */
    if (!crash.armed || getpid() != crash.pid)
        return;
    crash.armed = 0;
    while (off < crash.len) {
        k = write(crash.fd, crash.seq + off, crash.len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    /* TCSANOW: draining could wait on a terminal that stopped reading. */
    if (crash.have_modes)
        tcsetattr(crash.fd, TCSANOW, &crash.modes);
}

void
screen_close(struct screen *s)
{
    if (s == NULL)
        return;
    screen_restore();
    unchain_winch();
    delscreen(s->term);
    canvas_free(s->last);
    theme_free(s->owned);
    free(s);
}

void
screen_size(const struct screen *s, int *w, int *h)
{
    (void)s;
    *w = COLS;
    *h = LINES;
}

bool
screen_ascii(const struct screen *s)
{
    return s->ascii;
}

int
screen_fd(const struct screen *s)
{
    (void)s;
    return STDIN_FILENO;
}

bool
screen_input_waiting(struct screen *s)
{
    struct pollfd p = { .fd = screen_fd(s), .events = POLLIN };

    return poll(&p, 1, 0) > 0 || size_changed(s);
}

bool
screen_resize_pending(struct screen *s)
{
    (void)s;
    if (!winched)
        return false;
    winched = 0;
    return true;
}

static attr_t
attrs_for(const struct screen *s, const struct cell *cell)
{
    int a = cell->attr | s->theme->style[cell->role].attr;
    attr_t r = A_NORMAL;

    if (a & ATTR_BOLD)
        r |= A_BOLD;
    if (a & ATTR_REVERSE)
        r |= A_REVERSE;
    if (a & ATTR_DIM)
        r |= A_DIM;
    if (a & ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    return r;
}

/*
 * The colour pair a cell is drawn with. A plain blank shows only its
 * background, so when its background is that of the cell drawn before
 * it, it takes that cell's pair: the terminal is then not switched to
 * another colour and back, which was a third of every byte sent around
 * graphs.
 */
static int
pair_for(const struct screen *s, const struct cell *cell, attr_t attrs,
         int prev_role)
{
    const struct theme_style *st = s->theme->style;

    if (s->depth == DEPTH_MONO)
        return 0;
    if (cell->ch == ' ' && prev_role >= 0
        && (attrs & (A_REVERSE | A_UNDERLINE)) == 0
        && st[prev_role].bg == st[cell->role].bg)
        return prev_role + 1;
    return cell->role + 1;
}

/* Draws one cell; returns the role whose colours it was drawn in. */
static int
put_cell(const struct screen *s, int x, int y, const struct cell *cell,
         int prev_role)
{
    wchar_t wc[2] = { (wchar_t)cell->ch, L'\0' };
    attr_t attrs = attrs_for(s, cell);
    int pair = pair_for(s, cell, attrs, prev_role);
    cchar_t cc;

    setcchar(&cc, wc, attrs, 0, &pair);
    /* The bottom-right cell reports ERR (the cursor cannot advance past
     * it) but is drawn all the same. */
    mvwadd_wch(stdscr, y, x, &cc);
    return pair - 1;
}

void
screen_present(struct screen *s, const struct canvas *c, bool full)
{
    int w = canvas_width(c), h = canvas_height(c);

    if (w != canvas_width(s->last) || h != canvas_height(s->last))
        full = true;
    if (full)
        clearok(curscr, TRUE);
    for (int y = 0; y < h; y++) {
        int prev = -1;      /* the role the cell to the left was drawn in */

        for (int x = 0; x < w; x++) {
            const struct cell *cell = canvas_cell(c, x, y);
            const struct cell *old = full ? NULL : canvas_cell(s->last, x, y);

            if (old != NULL && memcmp(old, cell, sizeof *cell) == 0) {
                prev = -1;
                continue;
            }
            prev = put_cell(s, x, y, cell, prev);
        }
    }
    canvas_copy(s->last, c);
    wnoutrefresh(stdscr);
    doupdate();
}

/* Maps a curses function key; 0 for keys promdeck has no use for. */
static int
map_key(struct screen_event *ev, wint_t k)
{
    MEVENT me;

    switch (k) {
    case KEY_UP: return SCREEN_KEY_UP;
    case KEY_DOWN: return SCREEN_KEY_DOWN;
    case KEY_LEFT: return SCREEN_KEY_LEFT;
    case KEY_RIGHT: return SCREEN_KEY_RIGHT;
    case KEY_PPAGE: return SCREEN_KEY_PGUP;
    case KEY_NPAGE: return SCREEN_KEY_PGDN;
    case KEY_HOME: return SCREEN_KEY_HOME;
    case KEY_END: return SCREEN_KEY_END;
    case KEY_BTAB: return SCREEN_KEY_BTAB;
    case KEY_RESIZE: return SCREEN_KEY_RESIZE;
    case KEY_DC: return SCREEN_KEY_DELETE;
    case KEY_BACKSPACE: return 0x7f;
    case KEY_ENTER: return '\r';
    case KEY_MOUSE:
        if (getmouse(&me) != OK)
            return 0;
        ev->x = me.x;
        ev->y = me.y;
        if (me.bstate & BUTTON4_PRESSED)
            return SCREEN_KEY_WHEEL_UP;
        if (me.bstate & WHEEL_DOWN)
            return SCREEN_KEY_WHEEL_DOWN;
        return me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)
               ? SCREEN_KEY_CLICK : 0;
    default: return 0;
    }
}

bool
screen_read(struct screen *s, struct screen_event *ev)
{
    wint_t wch;
    int rc;

    (void)s;
    for (;;) {
        rc = wget_wch(stdscr, &wch);
        if (rc == ERR)
            return false;
        memset(ev, 0, sizeof *ev);
        if (rc == KEY_CODE_YES)
            ev->key = map_key(ev, wch);
        else
            ev->key = (int)wch;
        if (ev->key != 0)
            return true;
    }
}
