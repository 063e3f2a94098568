/*
 * Bars: the scale runs from the panel's min (default 0, or the smallest
 * value when that is negative) to its max (default the largest value).
 * Each bar is coloured by the panel's thresholds, else by its series
 * colour. Label and value columns are as wide as their longest entry,
 * up to a third of the width for labels.
 */
#include "ui/bars.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/theme.h"

struct bar {
    char *label;
    char value[FORMAT_VALUE_MAX];
    double v;
    size_t order;           /* position before sorting: colour, ties */
    int role;               /* an override's colour, or -1 */
};

/* Largest first; NaN last; ties keep their query order. */
static int
bar_cmp(const void *a, const void *b)
{
    const struct bar *x = a, *y = b;

    if (isnan(x->v) != isnan(y->v))
        return isnan(x->v) ? 1 : -1;
    if (!isnan(x->v) && x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Smallest first (SORT_ASC); NaN still last. */
static int
bar_cmp_asc(const void *a, const void *b)
{
    const struct bar *x = a, *y = b;

    if (isnan(x->v) != isnan(y->v) || isnan(x->v) || x->v == y->v)
        return bar_cmp(a, b);
    return x->v < y->v ? -1 : 1;
}

static struct bar *
collect_bars(const struct panel *p, size_t *n)
{
    struct bar *bars = NULL;
    struct widget_tmp tmp;
    struct widget_look look;

    *n = 0;
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct panel_query *q = &p->queries[i];

        for (size_t j = 0; j < widget_nseries(q->result); j++) {
            const struct qseries *s = widget_series(q->result, j, &tmp);
            struct bar *br;

            bars = xreallocarray(bars, *n + 1, sizeof *bars);
            br = &bars[*n];
            widget_look_of(p, q, s, theme_series_role(*n), &look);
            br->label = xstrdup(buf_str(&look.name));
            br->v = widget_last(s);
            br->order = (*n)++;
            br->role = look.colored ? look.role : -1;
            if (widget_no_data(s))
                snprintf(br->value, sizeof br->value, "%s", WIDGET_NO_DATA);
            else
                widget_look_format(&look, br->v, br->value,
                                   sizeof br->value);
            widget_look_fini(&look);
        }
    }
    /* Bars read best largest first, so that is also what SORT_NONE
     * means here; a top N is always of the largest. */
    qsort(bars, *n, sizeof *bars,
          p->sort == SORT_ASC && p->topn <= 0 ? bar_cmp_asc : bar_cmp);
    return bars;
}

static void
scale_of(const struct panel *p, const struct bar *bars, size_t n,
         double *lo, double *hi)
{
    double mn = 0, mx = 0;

    for (size_t i = 0; i < n; i++) {
        if (!isfinite(bars[i].v))
            continue;
        mn = bars[i].v < mn ? bars[i].v : mn;
        mx = bars[i].v > mx ? bars[i].v : mx;
    }
    *lo = isnan(p->min) ? mn : p->min;
    *hi = isnan(p->max) ? mx : p->max;
}

void
bars_draw_meter(struct canvas *c, int x, int y, int w, double frac,
                int role)
{
    bool ascii = canvas_ascii(c);
    int eighths = (int)lround(frac * w * 8), full = eighths / 8;

    for (int i = 0; i < w; i++) {
        if (i < full)
            canvas_put(c, x + i, y, ascii ? '#' : 0x2588, role, 0);
        else if (i == full && eighths % 8 != 0 && !ascii)
            /* ▏ (U+258F) is one eighth, ▉ (U+2589) seven. */
            canvas_put(c, x + i, y, 0x2590 - (uint32_t)(eighths % 8),
                       role, 0);
        else
            canvas_put(c, x + i, y, ascii ? '.' : 0x2500, ROLE_METER_BG, 0);
    }
}

static void
bars_draw(const struct panel *p, const struct widget_ctx *ctx,
          struct canvas *c, struct rect r)
{
    size_t n, shown;
    struct bar *bars = collect_bars(p, &n);
    int lw = 0, vw = 0, mw;
    double lo, hi;

    (void)ctx;
    shown = p->topn > 0 && (size_t)p->topn < n ? (size_t)p->topn : n;
    shown = shown < (size_t)r.h ? shown : (size_t)(r.h > 0 ? r.h : 0);
    for (size_t i = 0; i < shown; i++) {
        int a = canvas_text_width(bars[i].label);
        int b = canvas_text_width(bars[i].value);

        lw = a > lw ? a : lw;
        vw = b > vw ? b : vw;
    }
    lw = lw < r.w / 3 ? lw : r.w / 3;
    mw = r.w - lw - vw - 2;
    scale_of(p, bars, n, &lo, &hi);
    for (size_t i = 0; i < shown; i++) {
        int y = r.y + (int)i;
        double f = hi > lo && isfinite(bars[i].v)
                   ? (bars[i].v - lo) / (hi - lo) : 0;
        int role = bars[i].role >= 0 ? bars[i].role
                   : widget_threshold_role(p, bars[i].v,
                                           theme_series_role(bars[i].order));

        f = f < 0 ? 0 : f > 1 ? 1 : f;
        canvas_text(c, r.x, y, lw, bars[i].label, ROLE_LABEL, 0);
        if (mw > 0)
            bars_draw_meter(c, r.x + lw + 1, y, mw, f, role);
        canvas_text_right(c, r.x + r.w - vw, y, vw, bars[i].value, role,
                          ATTR_BOLD);
    }
    for (size_t i = 0; i < n; i++)
        free(bars[i].label);
    free(bars);
}

static void
bars_measure(const struct panel *p, int w, int *minw, int *minh,
             int *want_h)
{
    size_t n = 0;

    (void)w;
    for (size_t i = 0; i < p->nqueries; i++)
        n += widget_nseries(p->queries[i].result);
    if (p->topn > 0 && (size_t)p->topn < n)
        n = (size_t)p->topn;
    *minw = 16;
    *minh = 1;
    *want_h = n > 0 ? (int)n : 1;
}

const struct widget_class bars_class = {
    .measure = bars_measure,
    .draw = bars_draw,
};
