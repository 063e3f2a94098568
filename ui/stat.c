/*
 * Stats: the value sits centred in the upper half, the sparkline fills
 * the lower half (one row when the panel is only two rows tall). With
 * several series only the first with points is shown; a bars or table
 * panel is the one to use for many.
 */
#include "ui/stat.h"

#include <math.h>

#include "ui/format.h"
#include "ui/sparkline.h"
#include "ui/theme.h"

/* The first series with a point, and its query. */
static const struct qseries *
first_series(const struct panel *p, const struct panel_query **qout,
             struct qseries *tmp)
{
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        for (size_t j = 0; j < widget_nseries(r); j++) {
            const struct qseries *s = widget_series(r, j, tmp);

            if (s->npoints > 0) {
                *qout = &p->queries[i];
                return s;
            }
        }
    }
    return NULL;
}

static void
stat_draw(const struct panel *p, const struct widget_ctx *ctx,
          struct canvas *c, struct rect r)
{
    const struct panel_query *q = NULL;
    struct qseries tmp;
    const struct qseries *s = first_series(p, &q, &tmp);
    char val[FORMAT_VALUE_MAX];
    int role, sh, vw;
    double v;

    (void)ctx;
    if (s == NULL || r.w <= 0 || r.h <= 0)
        return;
    v = widget_last(s);
    format_value(v, widget_unit(p, q), p->decimals, val, sizeof val);
    role = widget_threshold_role(p, v, ROLE_SERIES1);
    sh = r.h >= 3 ? r.h / 2 : r.h - 1;
    vw = canvas_text_width(val);
    canvas_text(c, r.x + (vw < r.w ? (r.w - vw) / 2 : 0),
                r.y + (r.h - sh - 1) / 2, r.w, val, role, ATTR_BOLD);
    if (sh > 0)
        spark_draw(c, (struct rect){ r.x, r.y + r.h - sh, r.w, sh }, s,
                   role, NAN, NAN);
}

static void
stat_measure(const struct panel *p, int w, int *minw, int *minh,
             int *want_h)
{
    (void)p;
    (void)w;
    *minw = 8;
    *minh = 1;
    *want_h = 4;
}

const struct widget_class stat_class = {
    .name = "stat",
    .measure = stat_measure,
    .draw = stat_draw,
    .key = NULL,
};
