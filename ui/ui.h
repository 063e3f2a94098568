/*
 * The terminal UI as src/ sees it: open and close the screen, feed it
 * input, draw the dashboard and the targets, and render the same views
 * as plain text for --once and tests. src/ owns the model and the main
 * loop; the UI only reads the model and keeps its own view state.
 *
 * Ownership: ui_open's result belongs to the caller (ui_close). The
 * dashboard and targets are borrowed for each call.
 */
#ifndef UI_UI_H
#define UI_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "src/buf.h"
#include "src/diag.h"
#include "ui/model.h"

struct ui_options {
    bool ascii;             /* force ASCII glyphs */
    bool no_color;          /* force the monochrome theme */
    const char *theme;      /* a built-in theme name; NULL: default */
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

enum ui_action { UI_NONE, UI_QUIT, UI_REDRAW, UI_RELOAD };

/*
 * Reads every pending key, click and resize without blocking and applies
 * it to the view state; returns the strongest action seen
 * (QUIT > RELOAD > REDRAW > NONE).
 */
enum ui_action ui_handle_input(struct ui *ui, struct dashboard *d,
                               size_t ntargets);
/* Whether p paused updates (src/ keeps scraping, stops replacing). */
bool ui_paused(const struct ui *ui);
/* The page shown, an index into d->pages, or -1 for targets or help. */
int ui_current_page(const struct ui *ui);
/*
 * Draws the current view. Only panels that changed are redrawn: those
 * with panel->dirty set (the UI reads it, src/ clears it after the draw)
 * or whose results, errors or time range differ from the last frame.
 * Only cells that changed reach the terminal, with one doupdate per
 * frame; everything is repainted after a resize, Ctrl-L or a view change.
 * status (may be NULL) goes in the title bar, or the key bar when the
 * title bar has no room.
 */
void ui_draw(struct ui *ui, const struct dashboard *d,
             const struct target_row *t, size_t nt, const char *status);
/*
 * Appends every page of d, one after another, then the targets table, as
 * plain text width cells wide (at least 20); each row of panels is as tall
 * as its panels want. No escape codes; UTF-8 box and braille characters
 * unless ascii. Target ages are relative to d->now_ms.
 */
void ui_render_text(const struct dashboard *d, const struct target_row *t,
                    size_t nt, int width, bool ascii, struct buf *out);

#endif
