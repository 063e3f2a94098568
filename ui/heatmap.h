/*
 * Heatmaps: a histogram over time. The series of the panel's queries
 * carry an `le` label (rate()d bucket counters, summed by le); each
 * column is a moment, each row a bucket, shaded by how many observations
 * fell in that bucket alone (the difference of adjacent le).
 *
 * Ownership: the class is static; draws borrow their arguments.
 */
#ifndef UI_HEATMAP_H
#define UI_HEATMAP_H

#include "ui/widget.h"

extern const struct widget_class heatmap_class;

#endif
