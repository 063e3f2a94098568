/*
 * The help view: every key and what it does, drawn onto a canvas.
 *
 * Ownership: nothing is kept.
 */
#ifndef UI_VIEW_HELP_H
#define UI_VIEW_HELP_H

#include "ui/canvas.h"

/* Draws the key list into r. */
void view_draw_help(struct canvas *c, struct rect r);

#endif
