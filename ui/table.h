/*
 * Tables: one row per distinct value of the panel's join labels, one
 * column per join label, then one per query: its last value in the
 * query's unit, a sparkline of its points, or up/down health. Cells with
 * no matching series stay blank. Rows sort by their key, or by the first
 * value column, largest first, when the panel asks for a top N.
 *
 * Ownership: the class is static; draws borrow their arguments.
 */
#ifndef UI_TABLE_H
#define UI_TABLE_H

#include "ui/widget.h"

extern const struct widget_class table_class;

#endif
