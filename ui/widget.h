/*
 * Widget classes: one per panel kind, each a const table of functions
 * (measure, draw) in its own file, found through ui/widget_registry.h
 * and called inside a panel's frame (ui/frame.h). Below them are the
 * helpers the classes share. Widgets draw from evaluated results only:
 * they never fetch, evaluate or keep history.
 *
 * Ownership: everything is borrowed for the call; classes are static. A
 * widget_look owns its name (widget_look_fini releases it) and borrows
 * the rest from its panel.
 */
#ifndef UI_WIDGET_H
#define UI_WIDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/value.h"
#include "src/base/buf.h"
#include "ui/canvas.h"
#include "ui/model.h"

/* What a draw may know besides its panel: the time range shown. */
struct widget_ctx {
    int64_t start_ms;       /* left edge of graphs */
    int64_t end_ms;         /* right edge: the last evaluation */
    int64_t step_ms;        /* resolution; 0: unknown (always connect) */
};

/* A kind's class; its name is model_kind_name(kind). */
struct widget_class {
    /* The smallest inner size worth drawing and the height the widget
     * wants at inner width w (used by text snapshots). */
    void (*measure)(const struct panel *p, int w, int *minw, int *minh,
                    int *want_h);
    /* Draws into r (inside the frame); must not write outside it. */
    void (*draw)(const struct panel *p, const struct widget_ctx *ctx,
                 struct canvas *c, struct rect r);
};

/* Helpers shared by the widget classes. */

/* The unit for query q of panel p: the query's unless UNIT_AUTO. */
enum unit widget_unit(const struct panel *p, const struct panel_query *q);

/*
 * How one series is shown: its display name, colour, unit and place, from
 * the panel's settings with its overrides applied in order (a later one
 * wins). Every widget names, colours and writes a series through one.
 */
struct widget_look {
    struct buf name;        /* the display name */
    int role;               /* colour: the override's, or the default */
    bool colored;           /* an override chose role */
    enum unit unit;
    const char *unit_text;  /* UNIT_CUSTOM's text, borrowed from p */
    int decimals;
    bool right;             /* on the right-hand axis */
    bool negative;          /* drawn below zero */
    unsigned hide;          /* HIDE_* */
    enum stack_mode stack;
    const char *stack_group; /* borrowed from p; "A" when none is named */
    double min, max;        /* ends an override gives its axis; NaN: none */
};

/*
 * Fills *l (which the caller then releases with widget_look_fini) for
 * series s of query q in panel p; role is its colour when no override
 * gives one (theme_series_role of its place, say).
 */
void widget_look_of(const struct panel *p, const struct panel_query *q,
                    const struct qseries *s, int role,
                    struct widget_look *l);
void widget_look_fini(struct widget_look *l);
/*
 * Appends to out (after a newline when out is not empty) a note for each
 * regex override of p whose match on some series name could not be
 * decided: that series kept the look it had without the override.
 * Returns how many.
 */
size_t widget_override_notes(const struct panel *p, struct buf *out);
/* Writes v in the look's unit and decimals (format_value_as). */
void widget_look_format(const struct widget_look *l, double v, char *out,
                        size_t n);
/* The colour for v: the look's own when an override chose it, else the
 * panel's threshold role for v, else the look's default. */
int widget_look_role(const struct panel *p, const struct widget_look *l,
                     double v);
/* Room to present a scalar result as a one-point series. */
struct widget_tmp {
    struct qseries s;
    struct qpoint pt;
};

/* The number of series in r (0 for NULL, 1 for a scalar). */
size_t widget_nseries(const struct qresult *r);
/* Series i of r; a scalar is presented through *tmp as one point, valid
 * while tmp is. */
const struct qseries *widget_series(const struct qresult *r, size_t i,
                                    struct widget_tmp *tmp);
/* The value of the series' last point, NaN when it has none. */
double widget_last(const struct qseries *s);
/* What a widget writes for a series without a number to show. */
#define WIDGET_NO_DATA "no data"
/* Whether s has no point that is a number: none at all, or all NaN. */
bool widget_no_data(const struct qseries *s);
/* Writes WIDGET_NO_DATA centred in r, in the inactive role. */
void widget_draw_no_data(struct canvas *c, struct rect r);
/*
 * The first series of p with a number, else the first with a point (all
 * NaN: widget_no_data), and its query in *q; NULL when no series has a
 * point. A scalar is presented through *tmp, valid while tmp is.
 */
const struct qseries *widget_first_series(const struct panel *p,
                                          const struct panel_query **q,
                                          struct widget_tmp *tmp);
/* The role for v: the highest threshold at or below v, else dflt. */
int widget_threshold_role(const struct panel *p, double v, int dflt);
/* One line of a graph's legend: a series and how it looks. */
struct widget_legend_item {
    const struct qseries *s;
    const struct widget_look *look;
};
/* The lines a legend of items[0..n) takes: those not HIDE_LEGEND. */
size_t widget_legend_lines(const struct widget_legend_item *items, size_t n);
/*
 * Draws the legend into r, one line per item not hidden from it: a mark
 * in its colour, its name ("(right)" after a series on the right-hand
 * axis), and "last .. min .. max .." in its unit, or only the last value
 * when that is too wide, or "no data". When the lines do not fit, the
 * last one says how many more there are.
 */
void widget_legend_draw(const struct widget_legend_item *items, size_t n,
                        struct canvas *c, struct rect r);
/* Writes text word-wrapped into r; returns the lines used. */
int widget_wrap(struct canvas *c, struct rect r, const char *text, int role);
/* Like widget_wrap, with attributes (ATTR_*) on every cell. */
int widget_wrap_attr(struct canvas *c, struct rect r, const char *text,
                     int role, int attr);
/* The lines widget_wrap would take for text at width w, unbounded. */
int widget_wrap_lines(const char *text, int w);

#endif
