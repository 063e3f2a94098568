/*
 * The helpers the widget classes share: series access, thresholds,
 * legends, wrapping. The frame around a panel is ui/frame.c's; which
 * class draws a kind is the registry's (ui/widget_registry.c).
 */
#include "ui/widget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/theme.h"

enum unit
widget_unit(const struct panel *p, const struct panel_query *q)
{
    return q->unit != UNIT_AUTO ? q->unit : p->unit;
}

size_t
widget_nseries(const struct qresult *r)
{
    if (r == NULL)
        return 0;
    if (r->type == QV_SCALAR)
        return 1;
    if (r->type == QV_VECTOR || r->type == QV_MATRIX)
        return r->nseries;
    return 0;
}

const struct qseries *
widget_series(const struct qresult *r, size_t i, struct widget_tmp *tmp)
{
    if (r->type != QV_SCALAR)
        return &r->series[i];
    tmp->pt.t = r->t;
    tmp->pt.v = r->scalar;
    tmp->s.labels.v = NULL;
    tmp->s.labels.n = 0;
    tmp->s.points = &tmp->pt;
    tmp->s.npoints = 1;
    return &tmp->s;
}

double
widget_last(const struct qseries *s)
{
    if (s->npoints == 0)
        return NAN;
    return s->points[s->npoints - 1].v;
}

bool
widget_no_data(const struct qseries *s)
{
    for (size_t i = 0; i < s->npoints; i++)
        if (!isnan(s->points[i].v))
            return false;
    return true;
}

void
widget_draw_no_data(struct canvas *c, struct rect r)
{
    int w = canvas_text_width(WIDGET_NO_DATA);

    if (r.w <= 0 || r.h <= 0)
        return;
    canvas_text(c, r.x + (w < r.w ? (r.w - w) / 2 : 0), r.y + (r.h - 1) / 2,
                r.w, WIDGET_NO_DATA, ROLE_INACTIVE, 0);
}

/* The first series of p with a point, and a number too if want_number. */
static const struct qseries *
first_with(const struct panel *p, bool want_number,
           const struct panel_query **q, struct widget_tmp *tmp)
{
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        for (size_t j = 0; j < widget_nseries(r); j++) {
            const struct qseries *s = widget_series(r, j, tmp);

            if (s->npoints > 0 && (!want_number || !widget_no_data(s))) {
                *q = &p->queries[i];
                return s;
            }
        }
    }
    return NULL;
}

const struct qseries *
widget_first_series(const struct panel *p, const struct panel_query **q,
                    struct widget_tmp *tmp)
{
    const struct qseries *s = first_with(p, true, q, tmp);

    return s != NULL ? s : first_with(p, false, q, tmp);
}

int
widget_threshold_role(const struct panel *p, double v, int dflt)
{
    int role = dflt;
    double best = -INFINITY;

    /* Thresholds need not be sorted: take the highest one reached. */
    for (size_t i = 0; i < p->nthresholds; i++) {
        const struct threshold *t = &p->thresholds[i];

        if (!isnan(v) && v >= t->value && t->value >= best) {
            best = t->value;
            role = t->role;
        }
    }
    return role;
}

void
widget_legend(const struct panel_query *q, const struct qseries *s,
              struct buf *out)
{
    format_legend(q->legend, &s->labels, out);
}

/* The length of the next line of cps[0..n) at width w: up to a hard
 * break, else the last space that fits, else w code points. */
static size_t
wrap_line(const uint32_t *cps, size_t n, int w, size_t *skip)
{
    size_t i, space = 0;

    *skip = 0;
    for (i = 0; i < n && i < (size_t)w; i++) {
        if (cps[i] == '\n') {
            *skip = 1;
            return i;
        }
        if (cps[i] == ' ')
            space = i;
    }
    if (i == n)
        return n;
    if (cps[i] == ' ' || cps[i] == '\n') {
        *skip = 1;
        return i;
    }
    if (space > 0) {
        *skip = 1;
        return space;
    }
    return i;
}

/* Wraps text into r (c NULL: only counts, with no limit on lines). */
static int
wrap(struct canvas *c, struct rect r, const char *text, int role, int attr)
{
    size_t n = 0, len = strlen(text), pos = 0, take, skip;
    uint32_t *cps = xmalloc((len + 1) * sizeof *cps);
    const char *s = text;
    int line = 0;

    while (*s != '\0')
        cps[n++] = canvas_utf8_next(&s);
    while (pos < n && (c == NULL || line < r.h) && r.w > 0) {
        take = wrap_line(cps + pos, n - pos, r.w, &skip);
        for (size_t i = 0; c != NULL && i < take; i++)
            canvas_put(c, r.x + (int)i, r.y + line, cps[pos + i], role,
                       attr);
        pos += take + skip;
        line++;
    }
    free(cps);
    return line;
}

int
widget_wrap(struct canvas *c, struct rect r, const char *text, int role)
{
    return wrap(c, r, text, role, 0);
}

int
widget_wrap_attr(struct canvas *c, struct rect r, const char *text,
                 int role, int attr)
{
    return wrap(c, r, text, role, attr);
}

int
widget_wrap_lines(const char *text, int w)
{
    return wrap(NULL, (struct rect){ 0, 0, w, 0 }, text, 0, 0);
}
