/*
 * Layout: where things go on a screen or a snapshot. The screen has a
 * title bar, a body and a status bar; a page's rows share the body's
 * height by their relative weights and a row's panels share its width
 * the same way, each kept to a minimum size while there is room. A page
 * whose rows do not fit at a readable height becomes taller than the
 * body (the view scrolls it), and folded sections take one line.
 * Pure arithmetic on rectangles: it draws nothing.
 *
 * Ownership: callers provide every output array.
 */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include <stdbool.h>
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

/*
 * Sections (see struct row): the row that heads the section row i is in,
 * or -1 when no titled row comes at or before i; the index just past the
 * last row of the section headed by `head`; and how many panels it has.
 */
int layout_section_head(const struct page *pg, size_t i);
size_t layout_section_end(const struct page *pg, size_t head);
size_t layout_section_panels(const struct page *pg, size_t head);
/* The height, frame included, below which a panel of kind k makes the
 * page scroll rather than shrink: 6 for a graph, 3 for a stat. */
int layout_min_height(enum panel_kind k);

/* One thing on a laid-out page: a section's header line or a panel. */
struct layout_item {
    int row;            /* index into pg->rows */
    int panel;          /* the panel's layout index; -1: the row's header */
    struct rect r;      /* in page cells: x from 0, y from the page top */
};

/* The most items layout_plan can return: a header per row and every
 * panel. */
size_t layout_nitems(const struct page *pg);
/*
 * Lays pg out for a body w cells wide and h lines high; folded, if not
 * NULL, says per row whether the section that row heads is folded (it
 * is then its header line alone; other rows' flags are ignored). Every
 * titled row gets a header line; items come top to bottom, left to
 * right, hidden panels left out. When every open row gets at least its
 * panels' layout_min_height from the proportional split, the page fits
 * in h lines and, with nothing folded, the panels are where layout_page
 * puts them. Otherwise the page scrolls: each row is as
 * tall as its weight says at the scale where the middle row (by minimum
 * per weight) just meets its minimum, never below its minimum nor
 * above h. Returns the number of items written to out (which holds
 * layout_nitems(pg)); *height receives the page's height in lines.
 */
size_t layout_plan(const struct page *pg, int w, int h, const bool *folded,
                   struct layout_item *out, int *height);

#endif
