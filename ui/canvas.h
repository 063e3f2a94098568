/*
 * A plain character canvas: a grid of cells, each a Unicode code point
 * with a theme role and attributes. Every widget draws onto one; the screen
 * copies it to the terminal and canvas_to_text turns it into plain text for
 * snapshots and tests. It knows nothing about curses or colours.
 *
 * Ownership: canvas_new's result belongs to the caller (canvas_free). Text
 * arguments are borrowed for the call only.
 */
#ifndef UI_CANVAS_H
#define UI_CANVAS_H

#include <stdbool.h>
#include <stdint.h>

#include "src/base/buf.h"

struct cell {
    uint32_t ch;        /* code point; ' ' when blank */
    uint8_t role;       /* enum theme_role */
    uint8_t attr;       /* ATTR_* bits */
};

/* How fine a graph may draw: braille dots (2 x 4 per cell), half blocks
 * (1 x 2 per cell, for fonts without braille), or plain ASCII. */
enum glyphs { GLYPHS_BRAILLE, GLYPHS_BLOCK, GLYPHS_ASCII };

/* A rectangle in cells; w or h <= 0 is empty. */
struct rect {
    int x, y, w, h;
};

/*
 * Invariant: cells holds w * h cells; in ASCII mode every stored code
 * point is below 128 (anything else is stored as '?').
 */
struct canvas;

/* A blank w x h canvas (negative sizes count as 0). */
struct canvas *canvas_new(int w, int h, bool ascii);
void canvas_free(struct canvas *c);
/* Changes the size and blanks every cell. */
void canvas_resize(struct canvas *c, int w, int h);
int canvas_width(const struct canvas *c);
int canvas_height(const struct canvas *c);
bool canvas_ascii(const struct canvas *c);
/* The glyph level graphs use: GLYPHS_ASCII on an ASCII canvas, else what
 * canvas_set_glyphs chose (GLYPHS_BRAILLE by default). */
enum glyphs canvas_glyphs(const struct canvas *c);
void canvas_set_glyphs(struct canvas *c, enum glyphs g);
/* Sets every cell to a blank in the default role. */
void canvas_clear(struct canvas *c);
/* The cell at (x, y), or NULL outside the canvas. */
const struct cell *canvas_cell(const struct canvas *c, int x, int y);
/* Whether two canvases have the same size and the same cells. */
bool canvas_equal(const struct canvas *a, const struct canvas *b);
/* Copies src (same size or not) into dst, resizing dst. */
void canvas_copy(struct canvas *dst, const struct canvas *src);

/* Sets one cell; outside the canvas it does nothing. */
void canvas_put(struct canvas *c, int x, int y, uint32_t ch, int role,
                int attr);
/*
 * Writes UTF-8 text from (x, y), at most maxw cells (maxw < 0: to the
 * right edge), one cell per code point; control characters show as '?'.
 * Returns the number of cells written.
 */
int canvas_text(struct canvas *c, int x, int y, int maxw, const char *s,
                int role, int attr);
/* Like canvas_text but right-aligned so the text ends at x + w - 1. */
int canvas_text_right(struct canvas *c, int x, int y, int w, const char *s,
                      int role, int attr);
/* Fills r (clipped to the canvas) with ch. */
void canvas_fill(struct canvas *c, struct rect r, uint32_t ch, int role,
                 int attr);
/* Draws a box frame on the edge of r: light box lines, or +-| in ASCII. */
void canvas_box(struct canvas *c, struct rect r, int role);
/* The whole canvas as lines of UTF-8, trailing blanks trimmed, each
 * ending in '\n'. Trailing blank lines are kept, so the height shows. */
void canvas_to_text(const struct canvas *c, struct buf *out);

/* Decodes one UTF-8 code point at *s and advances *s; malformed bytes
 * decode as U+FFFD one byte at a time. */
uint32_t canvas_utf8_next(const char **s);
/* The width of s in cells: its number of code points. */
int canvas_text_width(const char *s);

#endif
