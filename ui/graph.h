/*
 * Time-series graphs: every series of every query as a line of braille
 * dots (2 x 4 per cell) in its own series colour, with a y axis labelled
 * at max, mid and min in the panel's unit, HH:MM times under the x axis
 * and a legend of last/min/max per series. Series stack when the panel
 * says so. In ASCII mode each cell holds two dots: ' . and :.
 *
 * Ownership: the class is static; draws borrow their arguments.
 */
#ifndef UI_GRAPH_H
#define UI_GRAPH_H

#include "ui/widget.h"

extern const struct widget_class graph_class;

#endif
