/*
 * The terminal UI as src/ sees it: open and close the screen, feed it
 * input, draw the dashboard and the targets, and render the same views
 * as plain text for --once and tests. src/ owns the model and the main
 * loop; the UI only reads the model and keeps its own view state.
 *
 * Ownership: ui_open's result belongs to the caller (ui_close). The
 * dashboard and targets are borrowed for each call; the UI never
 * changes the dashboard: ranges and variables go back through flags.
 */
#ifndef UI_UI_H
#define UI_UI_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "query/value.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "ui/canvas.h"
#include "ui/containers_table.h"
#include "ui/explore.h"
#include "ui/model.h"

struct ui_options {
    bool ascii;             /* force ASCII glyphs */
    bool no_color;          /* force the monochrome theme */
    const char *theme;      /* a built-in theme name; NULL: default */
    enum glyphs glyphs;     /* graphs: braille (default), half blocks or
                             * plain characters (as ascii) */
    const char *explore_history;    /* explore's history file, or NULL */
};

struct ui;

/*
 * Starts curses (calling setlocale(LC_ALL, "") first when the locale is
 * still "C"); ASCII mode follows when the codeset is not UTF-8. NULL with
 * d set when stdin or stdout is not a terminal, the terminal type is
 * unusable or the theme is unknown.
 */
struct ui *ui_open(const struct ui_options *o, struct diag *d);
/* Restores the terminal and frees ui; ui_close(NULL) does nothing. */
void ui_close(struct ui *ui);
/* endwin() only if curses is active; idempotent; for signal handlers'
 * paths and the out-of-memory hook. */
void ui_restore_terminal(void);
/* The fd the main loop polls for input (stdin). */
int ui_input_fd(const struct ui *ui);
/* Whether a key or a resize waits (screen_input_waiting). */
bool ui_input_waiting(struct ui *ui);

/* What input asks of src/; ui_handle_input ORs them together. */
enum ui_flag {
    UI_NONE = 0,
    UI_QUIT = 1 << 0,       /* q */
    UI_REDRAW = 1 << 1,     /* the view state changed */
    UI_RELOAD = 1 << 2,     /* Ctrl-R: reload --config, rule and -d
                             * files */
    UI_RANGE = 1 << 3,      /* +, - or r: use ui_range_ms() from now on */
    UI_VARIABLE = 1 << 4,   /* [ or ]: see ui_variable_choice() */
    UI_EXPLORE = 1 << 5,    /* Enter in explore: evaluate ui_explore_expr()
                             * and answer with ui_explore_result() */
};

/*
 * Reads every pending key, click, wheel turn and resize without blocking
 * and applies it to the view state: views, focus (arrows, h/j/k/l,
 * click) with a long page scrolling after it, scrolling (PgUp/PgDn,
 * Home/End, the wheel), zoom (Enter, double click; Esc), folding a row
 * (Enter or Space on its header, a click on it; Space on a panel), the
 * series filter (/), pause (p), reset (r), help (?), the targets list
 * (selection, Enter, d), the alerts and rules views (scrolling; F, P
 * and I show or hide rules by state), the explore view (e; there every
 * key but a
 * click goes to its prompt, Esc on an empty prompt goes back). Returns
 * the UI_* flags of everything seen. ntargets is the length of the
 * targets list shown, for moving its selection. readable says that the
 * caller's wait saw ui_input_fd readable (or hung up); without it, and
 * without a resize signal since the last call, nothing is read, as
 * nothing can be waiting.
 */
unsigned ui_handle_input(struct ui *ui, struct dashboard *d,
                         size_t ntargets, bool readable);
/* The time range the user chose (after UI_RANGE): one of 5m 15m 30m 1h
 * 3h 6h 12h 24h 2d 7d, or the dashboard's own after a reset. */
int64_t ui_range_ms(const struct ui *ui);
/*
 * The variable choice of the last UI_VARIABLE: the variable (index into
 * d->variables) and its new value index (nvalues stands for All). src/
 * sets variables[var].current and re-evaluates. false when there is none.
 */
bool ui_variable_choice(const struct ui *ui, size_t *var, size_t *value);
/* The expression of the last UI_EXPLORE; valid until the next input. */
const char *ui_explore_expr(const struct ui *ui);
/* The answer to it: a result (adopted; may be NULL) or an error diag
 * (line, column and span inside the expression; copied). */
void ui_explore_result(struct ui *ui, struct qresult *res,
                       const struct diag *err);
/* What the alerts and rules views and the title bar's counts show;
 * borrowed until the next call (NULL: no rules). */
void ui_set_rules(struct ui *ui, const struct rule_view *rv);
/* Where explore's Tab completion gets names from; copied. */
void ui_set_completer(struct ui *ui, const struct explore_completer *c);
/* The completer's names arrived: explore_names_arrived; true when the
 * screen must be drawn again. */
bool ui_explore_names_arrived(struct ui *ui);
/* The focused panel of the page shown (layout order: rows top to
 * bottom, panels left to right; while a row header has the focus, the
 * panel that had it last), whether it is zoomed, and the series filter
 * typed at `/` (NULL when none; valid until the next input). */
int ui_focus(const struct ui *ui);
bool ui_zoomed(const struct ui *ui);
const char *ui_filter(const struct ui *ui);
/* Whether p paused updates (src/ keeps scraping, stops replacing). */
bool ui_paused(const struct ui *ui);
/* The page shown, an index into d->pages, or -1 for targets, alerts,
 * rules, explore or help. A
 * zoomed panel and the filter do not change it: they are view state the
 * draw applies. */
int ui_current_page(const struct ui *ui);
/* The containers table the containers view draws (borrowed: it must stay
 * valid until the next call or ui_close; NULL hides the view). */
void ui_set_containers(struct ui *ui, const struct container_table *t);
/* Makes the containers view the one shown, sorted by CPU. */
void ui_show_containers(struct ui *ui, const struct dashboard *d);

/*
 * The width in cells inside its frame of panel slot (layout order) of
 * page: as last drawn when it is the page shown (the body's when it is
 * zoomed; 0 for the others then, hidden), else as the screen would lay
 * it out now. 0 when there is no such panel.
 */
int ui_panel_width(const struct ui *ui, const struct dashboard *d, int page,
                   size_t slot);
/* The width of explore's graph: the body's, inside a frame. */
int ui_explore_width(const struct ui *ui);
/* The same in ui_render_text's text, width cells wide. */
int ui_text_panel_width(const struct dashboard *d, int page, size_t slot,
                        int width);
/* Whether panel (layout order) of the page shown was in sight in the
 * last draw (ui/view_page.h); false on other views. */
bool ui_in_sight(const struct ui *ui, size_t panel);
/*
 * Draws the current view. Only panels that changed are redrawn: those
 * with panel->dirty set (the UI reads it, src/ clears it after the draw)
 * or whose results, errors or time range differ from the last frame.
 * Only cells that changed reach the terminal, with one doupdate per
 * frame; everything is repainted after a resize, Ctrl-L or a view change.
 * status (may be NULL) goes in the title bar, or the key bar when the
 * title bar has no room. tv may be NULL (no targets).
 */
void ui_draw(struct ui *ui, const struct dashboard *d,
             const struct target_view *tv, const char *status);
/*
 * Appends every page of d, one after another, then the targets (each
 * with its labels before and after relabelling, then the dropped ones
 * and the discovery errors), as plain text width cells wide (at least
 * 20); each row of panels is as tall as its panels want, and collapsed
 * rows are printed open (a snapshot shows everything). No escape
 * codes; UTF-8 box characters and the graph glyphs asked for, or ASCII
 * only with GLYPHS_ASCII. tv may be NULL. Target ages are relative to
 * d->now_ms.
 */
void ui_render_text(const struct dashboard *d, const struct target_view *tv,
                    int width, enum glyphs glyphs, struct buf *out);

#endif
