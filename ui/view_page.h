/*
 * A dashboard page on the screen: which sections are folded, the page
 * laid out for the body (ui/layout.c) and scrolled so that the focus is
 * in sight, the focus moved by keys and the wheel, and the page drawn:
 * section headers, panels (those cut by the body's edges are drawn whole
 * off screen and clipped), a scroll bar. The page is always vs->view;
 * these functions do nothing on the other views.
 *
 * The focus is a panel (vs->focus, layout order) or a section header
 * (vs->on_header, vs->focus_row); a folded section's panels cannot have
 * it, so it moves to their header.
 *
 * Ownership: vs is changed in place; everything else is borrowed for the
 * call.
 */
#ifndef UI_VIEW_PAGE_H
#define UI_VIEW_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/canvas.h"
#include "ui/model.h"
#include "ui/view.h"

/* What a key or the wheel asks of the page. */
enum view_move {
    VIEW_MOVE_LEFT,
    VIEW_MOVE_RIGHT,
    VIEW_MOVE_UP,
    VIEW_MOVE_DOWN,
    VIEW_MOVE_PAGE_UP,
    VIEW_MOVE_PAGE_DOWN,
    VIEW_MOVE_HOME,
    VIEW_MOVE_END,
    VIEW_MOVE_WHEEL_UP,
    VIEW_MOVE_WHEEL_DOWN,
};

/* How many lines a turn of the wheel scrolls. */
#define VIEW_WHEEL_LINES 3

/* Whether the section row `row` of page `page` heads is shown folded:
 * the row's `collapsed`, unless the user flipped it. False for a row
 * without a title. */
bool view_page_folded(const struct view_state *vs, const struct dashboard *d,
                      size_t page, size_t row);
/* Folds an open section, opens a folded one; false (and nothing done)
 * when row has no title or lies beyond VIEW_MAX_TABS or VIEW_MAX_ROWS. */
bool view_page_toggle(struct view_state *vs, const struct dashboard *d,
                      size_t page, size_t row);
/*
 * Keeps the focus on something shown (a hidden panel's focus goes to
 * its section's header) and the scroll inside the page, with the focus
 * wholly in sight in body. The draw calls it; input calls it through the
 * functions below.
 */
void view_page_clamp(struct view_state *vs, const struct dashboard *d,
                     struct rect body);
/*
 * Applies m: the arrows move the focus to the nearest item wholly on
 * that side (a header spans the width), preferring the one that lines up
 * best; PgUp/PgDn scroll by a body's height and focus the first item
 * wholly in sight (at either end: the first or last item); Home/End go
 * to the first or last item; the wheel scrolls VIEW_WHEEL_LINES and
 * moves the focus only when it leaves the body. The page then scrolls
 * as little as it takes to show the focus. Returns whether the focus or
 * the scroll changed.
 */
bool view_page_move(struct view_state *vs, const struct dashboard *d,
                    struct rect body, enum view_move m);
/*
 * Space or Enter on a header folds or opens its section. With panel set
 * (Space), a focused panel's section is folded and its header takes the
 * focus. Returns whether anything was folded or opened.
 */
bool view_page_fold(struct view_state *vs, const struct dashboard *d,
                    struct rect body, bool panel);
/*
 * Draws the page into body after view_page_clamp: the headers (a ▾ or ▸
 * marker, the title, a folded section's panel count, a heavy rule after
 * the focused one), the panels in sight (focused one heavy), and a
 * scroll bar in the body's last column when the page scrolls. sig, when
 * not NULL, holds one fingerprint per panel (layout order) of what it
 * was last drawn from: only panels whose fingerprint changed, or that
 * are dirty, are drawn unless all is set. Records the hit boxes and the
 * panels in sight in vs.
 */
void view_page_draw(struct canvas *c, struct rect body,
                    struct view_state *vs, const struct dashboard *d,
                    uint64_t *sig, bool all);
/*
 * Whether panel (layout order) of page, the page shown, is in sight: the
 * zoomed panel alone while zoomed, else one of the panels the last draw
 * recorded (every panel when there are more than the hit boxes hold, or
 * nothing was drawn yet). The caller knows whether that draw was of this
 * page. src/ evaluates the panels in sight each frame.
 */
bool view_page_in_sight(const struct view_state *vs, size_t page,
                        size_t panel);
/* The focused panel alone over the whole body (no hit boxes). */
void view_page_draw_zoomed(struct canvas *c, struct rect body,
                           struct view_state *vs, const struct dashboard *d);
/* Draws every panel of page `page` into body as layout_page places them
 * with row_h (NULL: by weight), unfocused and unfiltered, folded or
 * not, with plain row titles: the --once text. */
void view_page_draw_text(struct canvas *c, struct rect body,
                         const struct dashboard *d, size_t page,
                         const int *row_h);

#endif
