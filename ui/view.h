/*
 * Views: what fills the screen. One view per dashboard page, then the
 * scrape targets, the alerts, the rules and explore, with help shown
 * over any of them. This module draws
 * the title bar (tabs, range, PAUSED), the body and the status bar onto a
 * canvas, and keeps the view state input changes. It does not read keys
 * or talk to the terminal.
 *
 * Ownership: struct view_state is a plain value owned by the caller, a
 * view_memo is the caller's from view_memo_new to view_memo_free; the
 * draw functions borrow everything else for the call.
 */
#ifndef UI_VIEW_H
#define UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "ui/canvas.h"
#include "ui/explore.h"
#include "ui/filter.h"
#include "ui/model.h"
#include "ui/view_rules.h"
#include "ui/view_targets.h"

#define VIEW_MAX_TABS 16     /* also the pages whose folds are kept */
#define VIEW_MAX_PANELS 256  /* panel hit boxes: panels in sight at once */
#define VIEW_MAX_HEADERS 64  /* section header hit boxes */
#define VIEW_MAX_ROWS 1024   /* rows per page whose folding can change */

struct view_state {
    int view;           /* 0 .. npages-1: a page; npages: the targets;
                         * npages + 1: alerts; npages + 2: rules;
                         * npages + 3: explore (when vs->explore is set) */
    bool help;          /* help is shown instead of the view */
    bool paused;        /* shown as PAUSED in the title bar */
    int ntabs;          /* tab hit boxes of the last draw */
    struct rect tabs[VIEW_MAX_TABS];
    int tab_view[VIEW_MAX_TABS];
    int focus;          /* focused panel of the page, in layout order */
    bool on_header;     /* the focus is on the header of focus_row's
                         * section instead of a panel */
    int focus_row;
    int scroll;         /* the page line at the top of the body */
    bool zoom;          /* the focused panel fills the body */
    struct series_filter *filter;   /* borrowed; NULL: every series */
    const char *filter_text;        /* shown in the status bar, or NULL */
    const char *prompt; /* the `/` prompt's text while it is open */
    size_t var;         /* the template variable shown in the title bar */
    struct targets_state targets;
    const struct rule_view *rules;  /* borrowed; NULL: no rules */
    struct rules_state rulesv;      /* the alerts and rules views */
    struct explore *explore;        /* borrowed; the explore view */
    int npanels;        /* panel hit boxes of the last draw */
    struct rect panels[VIEW_MAX_PANELS];
    int panel_of[VIEW_MAX_PANELS];  /* their panels, in layout order */
    int nheaders;       /* section header hit boxes of the last draw */
    struct rect headers[VIEW_MAX_HEADERS];
    int header_row[VIEW_MAX_HEADERS];
    int page_height;    /* lines of the page last drawn; more than the
                         * body's when it scrolls */
    int shown_first;    /* panels (1-based, layout order) in sight in */
    int shown_last;     /* the last draw, 0 when none; of shown_total */
    int shown_total;
    /* Per page, the rows whose folding the user flipped from the
     * dashboard's `collapsed`, one bit each. */
    uint8_t flipped[VIEW_MAX_TABS][VIEW_MAX_ROWS / 8];
};

/* The number of views: the pages, the targets, alerts, rules and
 * explore (always the last). */
int view_count(const struct dashboard *d);
/* The index of the targets, alerts, rules and explore views. */
int view_targets(const struct dashboard *d);
int view_alerts(const struct dashboard *d);
int view_rules(const struct dashboard *d);
int view_explore(const struct dashboard *d);
/* The time range as "1h", "30m", "45s". */
void view_range_text(int64_t ms, char *out, size_t n);
/*
 * Draws the whole screen onto c (its size is the screen's): title bar
 * (tabs, the alerts firing and pending when rules are loaded, the
 * selected variable as name=value, PAUSED, range), the
 * current view or help, status bar (or the `/` prompt); a canvas under
 * LAYOUT_MIN_W x LAYOUT_MIN_H gets a centred "terminal too small"
 * message instead. A page is drawn by ui/view_page.c (its focused panel
 * with a heavy frame, or only that panel over the whole body when
 * zoomed; scrolled so the focus is in sight); every panel shows only the
 * series vs->filter passes. When the page scrolls, the status bar says
 * which panels are in sight ("panels 12-20 of 125"). Records the tab,
 * panel and header hit boxes in vs; clamps vs->view, the focus, the
 * scroll, vs->var and the targets' state.
 */
void view_draw(struct canvas *c, struct view_state *vs,
               const struct dashboard *d, const struct target_view *tv,
               const char *status, int64_t now_ms);
/*
 * What the last frame showed, so that the next one redraws only the
 * panels whose results changed (or that src/ marked dirty) and leaves the
 * cells of the others as they are. Owned by the caller.
 */
struct view_memo;

struct view_memo *view_memo_new(void);
void view_memo_free(struct view_memo *m);
/* Forgets the last frame: the next draw repaints everything. */
void view_memo_invalidate(struct view_memo *m);
/*
 * Like view_draw, but onto the canvas of the previous frame: a panel is
 * redrawn when its panel->dirty is set or its results, errors or the
 * dashboard's time range changed; everything is redrawn when the view,
 * the size, the scroll, the folds or the dashboard changed, or after
 * view_memo_invalidate.
 */
void view_draw_memo(struct canvas *c, struct view_state *vs,
                    const struct dashboard *d, const struct target_view *tv,
                    const char *status, int64_t now_ms,
                    struct view_memo *m);
/* The view whose tab covers (x, y), or -1. */
int view_tab_at(const struct view_state *vs, int x, int y);
/* The panel (layout order) whose box covered (x, y) in the last draw,
 * or -1. */
int view_panel_at(const struct view_state *vs, int x, int y);
/* The row whose section header covered (x, y) in the last draw, or -1. */
int view_header_at(const struct view_state *vs, int x, int y);

#endif
