/*
 * Bar meters in the manner of btop: one horizontal bar per series, with
 * its legend on the left and its last value on the right, sorted largest
 * first and cut to the panel's top N. Bars are filled in eighths of a
 * cell (▏▎▍▌▋▊▉█), or with '#' in ASCII mode.
 *
 * Ownership: the class is static; draws borrow their arguments.
 */
#ifndef UI_BARS_H
#define UI_BARS_H

#include "ui/widget.h"

extern const struct widget_class bars_class;

/* Draws one meter of w cells at (x, y) filled to frac (0..1): full and
 * eighth blocks in role over a METER_BG track ('#' over '.' in ASCII). */
void bars_draw_meter(struct canvas *c, int x, int y, int w, double frac,
                     int role);

#endif
