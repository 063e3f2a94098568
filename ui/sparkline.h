/*
 * Sparklines: one series as a row (or rows) of block characters scaled to
 * its min and max. Used as a panel kind and inside tables and stats.
 * Falls back to ASCII ("_.-'#") when the canvas is in ASCII mode. Keeps no
 * history: it draws the points it is given.
 *
 * Ownership: everything is borrowed for the call.
 */
#ifndef UI_SPARKLINE_H
#define UI_SPARKLINE_H

#include "query/value.h"
#include "ui/canvas.h"
#include "ui/widget.h"

extern const struct widget_class spark_class;

/*
 * Draws s into r, newest point in the rightmost column. With at most r.w
 * points, one point per column, right-aligned; with more, column i shows
 * the largest of its share of the points (so spikes stay visible).
 * Scaling: lo and hi (NaN: the min and max of what is drawn) map to
 * levels 1 and 8 * r.h, each cell holding eight levels:
 * level = 1 + round((v - lo) / (hi - lo) * (8 * r.h - 1)), clamped; a flat
 * series (hi == lo) sits at level 4 * r.h. NaN points leave the column
 * blank.
 */
void spark_draw(struct canvas *c, struct rect r, const struct qseries *s,
                int role, double lo, double hi);

#endif
