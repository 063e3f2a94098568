/*
 * The alert band: on the bottom edge of a panel's frame, the stretches of
 * the dashboard's time range during which an alert on one of the panel's
 * series was firing, in the crit role, with "firing" (still firing at
 * the end of the range) or "fired" at its right end. The marks come from
 * src/ (struct rule_view's marks); nothing is computed here.
 *
 * Ownership: everything is borrowed for the call.
 */
#ifndef UI_ALERTBAND_H
#define UI_ALERTBAND_H

#include "ui/canvas.h"
#include "ui/model.h"
#include "ui/widget.h"

/*
 * Draws p's band, if rv marks p, over the bottom line of its frame r;
 * times map linearly from ctx's start to its end across the inner width.
 * rv may be NULL. Returns whether anything was drawn.
 */
bool alertband_draw(struct canvas *c, struct rect r, const struct panel *p,
                    const struct rule_view *rv, const struct widget_ctx *ctx);

#endif
