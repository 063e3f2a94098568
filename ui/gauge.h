/*
 * Gauges: one value against its range, as a horizontal meter with the
 * value written large above it and the range's ends below, coloured by
 * the panel's thresholds.
 *
 * Ownership: the class is static; draws borrow their arguments.
 */
#ifndef UI_GAUGE_H
#define UI_GAUGE_H

#include "ui/widget.h"

extern const struct widget_class gauge_class;

#endif
