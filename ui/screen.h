/*
 * The terminal, through ncursesw: start and stop curses, turn theme roles
 * into colour pairs for the depth the terminal has, copy a canvas to the
 * screen sending only the cells that changed, and read keys, clicks and
 * resizes as one event stream. The only file that includes curses.
 *
 * Ownership: screen_open's result belongs to the caller (screen_close).
 * The screen keeps a copy of the last canvas it showed, nothing else.
 */
#ifndef UI_SCREEN_H
#define UI_SCREEN_H

#include <stdbool.h>

#include "src/base/diag.h"
#include "ui/canvas.h"
#include "ui/theme.h"

/* Keys beyond Unicode, so one int carries either. */
enum {
    SCREEN_KEY_UP = 0x110000,
    SCREEN_KEY_DOWN,
    SCREEN_KEY_LEFT,
    SCREEN_KEY_RIGHT,
    SCREEN_KEY_PGUP,
    SCREEN_KEY_PGDN,
    SCREEN_KEY_HOME,
    SCREEN_KEY_END,
    SCREEN_KEY_BTAB,        /* Shift-Tab */
    SCREEN_KEY_RESIZE,
    SCREEN_KEY_CLICK,       /* x, y say where */
    SCREEN_KEY_DELETE,      /* Delete (Backspace arrives as 0x7f) */
    SCREEN_KEY_WHEEL_UP,    /* the mouse wheel; x, y say where */
    SCREEN_KEY_WHEEL_DOWN,
};

struct screen_event {
    int key;                /* a code point, a control code or SCREEN_KEY_ */
    int x, y;               /* SCREEN_KEY_CLICK and the wheel only */
};

struct screen;

/*
 * Starts curses on the controlling terminal. NULL with d set when stdin or
 * stdout is not a terminal or terminfo does not know the terminal. ascii
 * forces ASCII glyphs (otherwise chosen when the locale is not UTF-8);
 * no_color or NO_COLOR forces the monochrome theme; theme is what -t
 * names, resolved by theme_resolve (ui/theme_path.h; NULL: default); an
 * unknown name or a bad theme file is an error.
 */
struct screen *screen_open(bool ascii, bool no_color, const char *theme,
                           struct diag *d);
/* Ends curses and frees s; screen_close(NULL) does nothing. */
void screen_close(struct screen *s);
/* endwin() when curses is active; idempotent, safe on fatal paths. */
void screen_restore(void);
/*
 * Puts the terminal back from a fatal signal's handler, where endwin may
 * not be called: writes the sequences screen_open read from terminfo
 * (attributes, mouse reporting and keypad mode off, cursor shown,
 * alternate screen left) straight to the terminal's fd and restores the
 * modes it had before curses started. Async-signal-safe; does nothing
 * unless curses is active in this process, and only once.
 */
void screen_crash_restore(void);
/* The terminal's size now. */
void screen_size(const struct screen *s, int *w, int *h);
/* Whether screen_open was asked for ASCII glyphs. */
bool screen_ascii(const struct screen *s);
/* The fd input arrives on. */
int screen_fd(const struct screen *s);
/*
 * Whether a key or a resize waits to be read: the input fd is readable,
 * or the terminal's size changed since this was last asked (each change
 * is told once). Two system calls, no ncurses input: cheap enough to ask
 * between units of work.
 */
bool screen_input_waiting(struct screen *s);
/*
 * Whether a resize signal came since this was last asked (each is told
 * once): then screen_read has a KEY_RESIZE to give although the input fd
 * may have nothing to read. No system call.
 */
bool screen_resize_pending(struct screen *s);
/*
 * Shows c: writes the cells that differ from the last canvas shown (all
 * of them, after clearing the terminal, when full is set), then one
 * doupdate.
 */
void screen_present(struct screen *s, const struct canvas *c, bool full);
/* The next pending event without blocking; false when there is none. */
bool screen_read(struct screen *s, struct screen_event *ev);

#endif
