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

#endif
