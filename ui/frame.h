/*
 * The frame around a panel and what goes in it when the widget cannot
 * draw: query errors, "no data", an unsupported kind.
 *
 * Ownership: everything is borrowed for the call.
 */
#ifndef UI_FRAME_H
#define UI_FRAME_H

#include "ui/canvas.h"
#include "ui/model.h"
#include "ui/widget.h"

/*
 * Draws panel p with its frame and title into r: the widget, query errors
 * (wrapped, in the crit role), "no data" when no query has points, or
 * "panel type not supported yet" for kinds without a class.
 */
void frame_draw_panel(const struct panel *p, const struct widget_ctx *ctx,
                      struct canvas *c, struct rect r);
/* The height (frame included) panel p wants at outer width w. */
int frame_want_height(const struct panel *p, int w);

#endif
