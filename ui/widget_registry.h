/*
 * The widget registry: which class draws each panel kind. The classes
 * live one per file (ui/graph.c, ui/stat.c, ...) and the panel frame that
 * calls them is ui/widget.c; this only connects a kind to its class.
 *
 * Ownership: the classes are static and live as long as the program.
 */
#ifndef UI_WIDGET_REGISTRY_H
#define UI_WIDGET_REGISTRY_H

#include "ui/model.h"
#include "ui/widget.h"

/* The class drawing kind k, or NULL for a kind out of range. */
const struct widget_class *widget_class_for(enum panel_kind k);

#endif
