/*
 * Stats: one number, large. The last value of the first series that has
 * one, in the panel's unit, bold and coloured by the panel's thresholds,
 * centred over a sparkline of the same series.
 *
 * Ownership: the class is static; draws borrow their arguments.
 */
#ifndef UI_STAT_H
#define UI_STAT_H

#include "ui/widget.h"

extern const struct widget_class stat_class;

/*
 * Draws the number part of val three rows tall in half blocks, centred in
 * w cells from (x, y), and the rest (the unit) after it on the bottom
 * row; false, drawing nothing, when the value has no number part or does
 * not fit in w. UTF-8 canvases only.
 */
bool stat_draw_big(struct canvas *c, int x, int y, int w, const char *val,
                   int role);

#endif
