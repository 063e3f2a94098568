/*
 * Layout: where things go on a screen or a snapshot. The screen has a
 * title bar, a body and a status bar; a page's rows share the body's
 * height by their relative weights and a row's panels share its width
 * the same way, each kept to a minimum size while there is room.
 * Pure arithmetic on rectangles: it draws nothing.
 *
 * Ownership: callers provide every output array.
 */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include <stddef.h>

#include "ui/canvas.h"
#include "ui/model.h"

/* The smallest screen anything but a "too small" message is drawn on. */
#define LAYOUT_MIN_W 40
#define LAYOUT_MIN_H 10
/* The smallest panel worth a frame, a title and a line of content. */
#define LAYOUT_PANEL_MIN_W 12
#define LAYOUT_PANEL_MIN_H 3

struct layout_screen {
    struct rect title;      /* top line */
    struct rect body;
    struct rect status;     /* bottom line */
};

/*
 * Splits total cells into n parts proportional to weights (a weight
 * below 1 counts as 1), remainders going to the largest fractions first.
 * Every part gets at least min when total allows; out[i] sums to total.
 */
void layout_split(int total, const int *weights, size_t n, int min,
                  int *out);
/* The title bar, body and status bar of a w x h screen. */
struct layout_screen layout_screen(int w, int h);
/* The number of panels on page pg. */
size_t layout_npanels(const struct page *pg);
/*
 * The rectangle of every panel of pg inside body, rows top to bottom and
 * panels left to right; out holds layout_npanels(pg) rectangles. row_h
 * gives each row's height, or is NULL to share body.h by the rows'
 * weights. A row with a title spends its first line on it; row_title, if
 * not NULL, receives that line per row (h 0 when untitled).
 */
void layout_page(const struct page *pg, struct rect body, const int *row_h,
                 struct rect *out, struct rect *row_title);

#endif
