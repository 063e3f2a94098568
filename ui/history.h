/*
 * The explore prompt's history: the expressions run, oldest first, kept
 * in a file between runs (one per line, at most HISTORY_MAX, a repeat of
 * the newest entry kept once), and the Up/Down walk through them that
 * comes back to the line being typed. It edits no line itself: the walk
 * says which text the prompt should show.
 *
 * Ownership: history_new's result belongs to the caller (history_free).
 * Strings passed in are copied. A string returned stays valid until the
 * next call that changes the history (history_add, history_free) or, for
 * the line being typed, the next history_prev.
 */
#ifndef UI_HISTORY_H
#define UI_HISTORY_H

#include <stddef.h>

#define HISTORY_MAX 500

struct history;

/*
 * Reads the history file at path (may be NULL: memory only). A missing
 * or unreadable file is an empty history; blank lines are skipped and
 * line ends (LF or CRLF) dropped. The walk starts past the newest entry.
 */
struct history *history_new(const char *path);
/* Frees h without writing it; history_free(NULL) does nothing. */
void history_free(struct history *h);
size_t history_count(const struct history *h);
/* Entry i, 0 the oldest; i < history_count. */
const char *history_at(const struct history *h, size_t i);
/*
 * Appends s unless it is empty or repeats the newest entry, dropping the
 * oldest past HISTORY_MAX; then the walk starts over past the newest.
 */
void history_add(struct history *h, const char *s);
/*
 * Writes the file, creating its directory (mode 0700) as needed, through
 * a temporary file and a rename, mode 0600 as shells keep theirs.
 * Returns 0 when written or when there is no file; -1 when it could not
 * be, and the history is then kept in memory only.
 */
int history_save(const struct history *h);
/*
 * Up: the entry before the one shown, or NULL at the oldest. Leaving the
 * line being typed (line) keeps a copy for history_next to come back to.
 */
const char *history_prev(struct history *h, const char *line);
/*
 * Down: the entry after the one shown, past the newest the line kept by
 * history_prev ("" when none); NULL when the walk is already past the
 * newest.
 */
const char *history_next(struct history *h);
/* Starts the walk over past the newest entry (the prompt was cleared). */
void history_rewind(struct history *h);

#endif
