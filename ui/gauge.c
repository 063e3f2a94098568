/*
 * Gauges: the last value of the first series with points, as a meter
 * from the panel's min to its max (0..100 for percent, 0..1 for percent
 * units, else from 0 to the highest threshold or the value). From five
 * rows up on UTF-8 the value is three rows tall; below that it is one
 * bold line. No arc: a meter reads as well and fits any width.
 */
#include "ui/gauge.h"

#include <math.h>

#include "ui/bars.h"
#include "ui/format.h"
#include "ui/stat.h"
#include "ui/theme.h"

/* The meter's ends: the panel's, else the unit's, else 0 up to the
 * highest threshold or v, whichever is larger. */
static void
gauge_range(const struct panel *p, enum unit u, double v, double *lo,
            double *hi)
{
    double top = isfinite(v) ? v : 0;

    for (size_t i = 0; i < p->nthresholds; i++)
        if (p->thresholds[i].value > top)
            top = p->thresholds[i].value;
    *lo = 0;
    *hi = u == UNIT_PERCENT ? 100 : u == UNIT_PERCENTUNIT ? 1 : top;
    if (!isnan(p->min))
        *lo = p->min;
    if (!isnan(p->max))
        *hi = p->max;
    if (isfinite(v) && v < *lo && isnan(p->min))
        *lo = v;
}

static double
fraction(double v, double lo, double hi)
{
    double f;

    if (!isfinite(v) || !(hi > lo))
        return isfinite(v) && v >= hi ? 1 : 0;
    f = (v - lo) / (hi - lo);
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* The range's ends under the meter: lo at the left, hi at the right. */
static void
draw_ends(struct canvas *c, struct rect r, int y,
          const struct widget_look *l, double lo, double hi)
{
    char a[FORMAT_VALUE_MAX], b[FORMAT_VALUE_MAX];

    widget_look_format(l, lo, a, sizeof a);
    widget_look_format(l, hi, b, sizeof b);
    if (canvas_text_width(a) + canvas_text_width(b) + 1 > r.w)
        return;
    canvas_text(c, r.x, y, r.w, a, ROLE_LABEL, 0);
    canvas_text_right(c, r.x, y, r.w, b, ROLE_LABEL, 0);
}

/* Value (1 or 3 rows), meter, ends: centred as a block in r. */
static void
draw_gauge(struct canvas *c, struct rect r, const struct widget_look *l,
           double v, int role, const struct panel *p)
{
    char val[FORMAT_VALUE_MAX];
    int big = r.h >= 5 && !canvas_ascii(c) ? 3 : 1, vw, y;
    double lo, hi;

    gauge_range(p, l->unit, v, &lo, &hi);
    widget_look_format(l, v, val, sizeof val);
    y = r.y + (r.h - big - 2 > 0 ? (r.h - big - 2) / 2 : 0);
    vw = canvas_text_width(val);
    if (r.h == 1) {
        bars_draw_meter(c, r.x, r.y, r.w, fraction(v, lo, hi), role);
        return;
    }
    if (big == 1 || !stat_draw_big(c, r.x, y, r.w, val, role)) {
        y += big - 1;
        canvas_text(c, r.x + (vw < r.w ? (r.w - vw) / 2 : 0), y, r.w, val,
                    role, ATTR_BOLD);
    } else {
        y += 2;
    }
    bars_draw_meter(c, r.x, y + 1, r.w, fraction(v, lo, hi), role);
    if (y + 2 < r.y + r.h)
        draw_ends(c, r, y + 2, l, lo, hi);
}

static void
gauge_draw(const struct panel *p, const struct widget_ctx *ctx,
           struct canvas *c, struct rect r)
{
    const struct panel_query *q = NULL;
    struct widget_tmp tmp;
    const struct qseries *s = widget_first_series(p, &q, &tmp);
    struct widget_look look;
    double v;

    (void)ctx;
    if (s == NULL || r.w <= 0 || r.h <= 0)
        return;
    if (widget_no_data(s)) {
        widget_draw_no_data(c, r);
        return;
    }
    v = widget_last(s);
    widget_look_of(p, q, s, ROLE_SERIES1, &look);
    draw_gauge(c, r, &look, v, widget_look_role(p, &look, v), p);
    widget_look_fini(&look);
}

static void
gauge_measure(const struct panel *p, int w, int *minw, int *minh,
              int *want_h)
{
    (void)p;
    (void)w;
    *minw = 8;
    *minh = 2;
    *want_h = 5;
}

const struct widget_class gauge_class = {
    .measure = gauge_measure,
    .draw = gauge_draw,
};
