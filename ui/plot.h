/*
 * A grid of dots over a rectangle of cells, for graphs: braille gives 2 x 4
 * dots per cell, half blocks and ASCII 1 x 2. Lines between dots are
 * Bresenham's, so steep steps stay continuous; a cell takes the colour of
 * the last dot put in it. It knows pixels and roles, not values or time.
 *
 * Ownership: the caller embeds a plot_grid and releases it with
 * plot_grid_fini; the canvas is borrowed for plot_grid_blit.
 */
#ifndef UI_PLOT_H
#define UI_PLOT_H

#include <stdint.h>

#include "ui/canvas.h"

/* Invariant: dots and role hold r.w * r.h cells (one more, never used,
 * so an empty grid still allocates). Pixel (0, 0) is the bottom left. */
struct plot_grid {
    struct rect r;          /* the cells it covers */
    int cw, ch;             /* dots per cell across and down */
    int pw, ph;             /* dots in all */
    uint8_t *dots;          /* per cell: the dot bits set */
    uint8_t *role;          /* per cell: the role of the last dot */
};

/* An empty grid over r with g's dots (braille, or 1 x 2 for the rest). */
void plot_grid_init(struct plot_grid *pg, struct rect r, enum glyphs g);
void plot_grid_fini(struct plot_grid *pg);
/* Sets the dot at (px, py) in role; outside the grid it does nothing. */
void plot_grid_dot(struct plot_grid *pg, int px, int py, int role);
/* Sets every dot on the line from (x0, y0) to (x1, y1). */
void plot_grid_line(struct plot_grid *pg, int x0, int y0, int x1, int y1,
                    int role);
/* Writes the cells with dots onto c as glyphs of c's level. */
void plot_grid_blit(const struct plot_grid *pg, struct canvas *c);

#endif
