/*
 * Tab completion for the explore prompt: what kind of name the word at
 * the cursor is (a metric, a label name, a label value), the names a
 * source offers for it (src/ reads them from the store), filtered by what
 * was typed, and the Tab and Shift-Tab steps that put them into the line.
 * It never parses PromQL: only quotes and brackets before the cursor count.
 *
 * Ownership: complete_new's result belongs to the caller
 * (complete_free). The source's context is borrowed for as long as it is
 * set. complete_at's string stays valid until the next complete_step or
 * complete_close.
 */
#ifndef UI_COMPLETE_H
#define UI_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/lineedit.h"

/*
 * A source of names. label NULL asks for label names, "__name__" for
 * metric names, anything else for the values of that label. Returns the
 * count and sets *out to a malloc'd array of strings that stay valid
 * until the next call; the completion frees the array (not the strings),
 * skips NULL entries and filters by what was typed.
 */
typedef size_t (*complete_fn)(void *ctx, const char *label,
                              const char ***out);

/* What the word at the cursor names, and so what Tab offers. */
enum complete_kind {
    COMPLETE_NONE,      /* nothing: a number, a duration, an operator */
    COMPLETE_METRIC,    /* a metric name */
    COMPLETE_LABEL,     /* a label name: in braces or a by (...) list */
    COMPLETE_VALUE,     /* a label value inside its quotes */
};

struct complete_place {
    enum complete_kind kind;
    size_t start;       /* byte offset where the word begins */
    char quote;         /* COMPLETE_VALUE: the opening quote */
    char label[128];    /* COMPLETE_VALUE: the label it is matched to */
};

/*
 * Fills *pl with what may be completed in text at byte offset cur: the
 * kind of name, where the word being typed starts and, for a value, its
 * quote and label. COMPLETE_NONE when nothing fits there.
 */
void complete_where(const char *text, size_t cur,
                    struct complete_place *pl);

struct complete;

/* No source and no list open. */
struct complete *complete_new(void);
/* Frees c; complete_free(NULL) does nothing. */
void complete_free(struct complete *c);
/* The source to ask (fn NULL: none, so Tab does nothing). */
void complete_set_source(struct complete *c, complete_fn fn, void *ctx);
/*
 * Tab (dir 1) or Shift-Tab (dir -1) on le. With a list open it puts the
 * next (previous) candidate in place of the last one inserted. Else it
 * asks the source for the word at the cursor: one match is inserted
 * whole (a value with its closing quote), several put in their common
 * prefix and open the list. Quotes and backslashes in a value are
 * escaped. Returns whether le changed. The caller closes the list
 * (complete_close) before any other change to le.
 */
bool complete_step(struct complete *c, struct lineedit *le, int dir);
/* Closes the list, keeping whatever it inserted. */
void complete_close(struct complete *c);
/* The open list's length: 0 when none is open, else 2 or more. */
size_t complete_count(const struct complete *c);
/* Candidate i of the open list (sorted, no repeats); i < count. */
const char *complete_at(const struct complete *c, size_t i);
/* The index of the candidate in the line, or -1 before the first step
 * through the list. */
long complete_selected(const struct complete *c);

#endif
