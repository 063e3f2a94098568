/*
 * The explore view: a PromQL prompt like Prometheus's expression browser.
 * One line of input (ui/lineedit.h) with completion of metric names,
 * label names and label values (Tab, ui/complete.h), a history (Up/Down,
 * kept in a file between runs, ui/history.h), and the last result as a
 * table and a graph, or the parse error with a caret under its place. It
 * evaluates nothing itself: Enter hands the expression to src/, which
 * evaluates it and gives the result back with explore_set_result.
 *
 * Ownership: explore_new's result belongs to the caller (explore_free).
 * explore_set_result adopts the result it is given.
 */
#ifndef UI_EXPLORE_H
#define UI_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>

#include "query/value.h"
#include "src/base/diag.h"
#include "ui/canvas.h"
#include "ui/complete.h"
#include "ui/layout.h"
#include "ui/screen.h"
#include "ui/theme.h"

struct explore;

/* Where completions come from: src/ fills it from the store. complete
 * says what it answers and how (see complete_fn). pending, when set,
 * says whether names complete asked for are still on their way (a
 * server answers later): a Tab that finds nothing meanwhile waits for
 * them (explore_names_arrived). */
struct explore_completer {
    void *ctx;
    complete_fn complete;
    bool (*pending)(void *ctx);
};

enum explore_outcome {
    EXPLORE_NONE,       /* nothing to do */
    EXPLORE_CHANGED,    /* redraw */
    EXPLORE_RUN,        /* Enter: evaluate explore_expr() */
    EXPLORE_LEAVE,      /* Esc on an empty prompt: back to the views */
};

/* history_path may be NULL (no file); a missing file is an empty history
 * (see ui/history.h for the file). */
struct explore *explore_new(const char *history_path);
/* Writes the history file (its newest 500 entries) and frees
 * everything; explore_free(NULL) does nothing. */
void explore_free(struct explore *ex);
/* Where Tab's names come from; c is copied, its ctx borrowed while set.
 * NULL (or no function) turns completion off. */
void explore_set_completer(struct explore *ex,
                           const struct explore_completer *c);
/* Applies one key: the line editor's (ui/lineedit.h), Tab and Shift-Tab,
 * Up, Down, PgUp, PgDn, Enter and Esc. */
enum explore_outcome explore_key(struct explore *ex,
                                 const struct screen_event *ev);
/*
 * Names the completer was waiting for have arrived: a Tab that found
 * nothing while they were on their way, with no key since, is taken
 * again now. Returns whether the line changed (redraw).
 */
bool explore_names_arrived(struct explore *ex);
/* The expression Enter ran; valid until the next key. */
const char *explore_expr(const struct explore *ex);
/*
 * The answer to the last EXPLORE_RUN: a result (adopted; may be NULL) or
 * an error diag (line, column and span inside the expression).
 */
void explore_set_result(struct explore *ex, struct qresult *res,
                        const struct diag *err);
/* Draws prompt, completions, and result (table above graph) in r. */
void explore_draw(struct explore *ex, struct canvas *c, struct rect r,
                  const struct theme *th);

#endif
