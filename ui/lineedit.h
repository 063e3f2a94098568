/*
 * One line of text being edited: UTF-8 bytes, a cursor on a code point
 * boundary, and the editing keys of a shell prompt (cursor moves,
 * Backspace and Delete, Ctrl-A/E/K/U/W). It knows nothing of PromQL,
 * history or completion, and it draws nothing: lineedit_view only says
 * which part of the line a row of cells should show.
 *
 * Ownership: lineedit_new's result belongs to the caller (lineedit_free).
 * lineedit_text's string stays valid until the next call that changes
 * the line. Strings passed in are copied.
 */
#ifndef UI_LINEEDIT_H
#define UI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

struct lineedit;

/* An empty line with the cursor at 0. */
struct lineedit *lineedit_new(void);
/* Frees le; lineedit_free(NULL) does nothing. */
void lineedit_free(struct lineedit *le);
/* The line, NUL-terminated (its length is lineedit_len). */
const char *lineedit_text(const struct lineedit *le);
size_t lineedit_len(const struct lineedit *le);
/* The cursor as a byte offset, 0 to lineedit_len. */
size_t lineedit_cursor(const struct lineedit *le);
/* Replaces the whole line with s and puts the cursor at its end. */
void lineedit_set(struct lineedit *le, const char *s);
/*
 * Replaces bytes [a, b) with s and leaves the cursor just after s. The
 * caller keeps a <= b <= lineedit_len on code point boundaries.
 */
void lineedit_splice(struct lineedit *le, size_t a, size_t b,
                     const char *s);
/*
 * Applies one key: a printable code point is inserted at the cursor;
 * Left, Right, Home (or Ctrl-A) and End (or Ctrl-E) move; Backspace
 * (0x7f, 0x08) and Delete (or Ctrl-D) delete one code point; Ctrl-K
 * kills to the end, Ctrl-U to the start, Ctrl-W the blank-separated word
 * before the cursor. Returns whether the line or the cursor changed:
 * false for any other key, and for a move or a deletion with nothing to
 * move over.
 */
bool lineedit_key(struct lineedit *le, int key);
/*
 * For a row of w cells (w >= 1), one per code point: the byte offset to
 * show the line from so that the cursor stays inside the row (dropping
 * code points on the left), and in *cell the cursor's cell from there.
 */
size_t lineedit_view(const struct lineedit *le, int w, int *cell);
/* The cells the first n bytes of s take: one per code point. */
int lineedit_cells(const char *s, size_t n);

#endif
