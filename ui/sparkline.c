/*
 * Sparklines: block characters ▁▂▃▄▅▆▇█ in eighths of a cell, stacked
 * over several rows when the rectangle is taller than one. The panel class
 * gives each series a legend line with its last value above its line.
 */
#include "ui/sparkline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/theme.h"

/* The glyph for a cell filled to fill eighths (1..8). */
static uint32_t
block(int fill, bool ascii)
{
    static const char partial[] = "__..--'";

    if (!ascii)
        return 0x2580 + (uint32_t)fill;
    return fill >= 8 ? '#' : (uint32_t)partial[fill - 1];
}

/* Fills cols[0..w) with the value per column; returns the first used. */
static int
resample(const struct qseries *s, int w, double *cols)
{
    size_t n = s->npoints;

    for (int i = 0; i < w; i++)
        cols[i] = NAN;
    if ((size_t)w >= n) {
        for (size_t i = 0; i < n; i++)
            cols[(size_t)w - n + i] = s->points[i].v;
        return w - (int)n;
    }
    for (size_t i = 0; i < n; i++) {
        int col = (int)(i * (size_t)w / n);
        double v = s->points[i].v;

        if (!isnan(v) && (isnan(cols[col]) || v > cols[col]))
            cols[col] = v;
    }
    return 0;
}

static void
range_of(const double *cols, int w, double *lo, double *hi)
{
    double mn = INFINITY, mx = -INFINITY;

    for (int i = 0; i < w; i++) {
        if (isnan(cols[i]) || isinf(cols[i]))
            continue;
        mn = cols[i] < mn ? cols[i] : mn;
        mx = cols[i] > mx ? cols[i] : mx;
    }
    if (isnan(*lo))
        *lo = mn;
    if (isnan(*hi))
        *hi = mx;
}

/* The level (1 .. 8 * h) of v between lo and hi. */
static int
level_of(double v, double lo, double hi, int h)
{
    int top = 8 * h;
    double l;

    if (!(hi > lo))
        return 4 * h;
    l = 1 + round((v - lo) / (hi - lo) * (top - 1));
    if (l < 1)
        return 1;
    return l > top ? top : (int)l;
}

void
spark_draw(struct canvas *c, struct rect r, const struct qseries *s,
           int role, double lo, double hi)
{
    double *cols;
    bool ascii = canvas_ascii(c);

    if (r.w <= 0 || r.h <= 0)
        return;
    cols = xmalloc((size_t)r.w * sizeof *cols);
    resample(s, r.w, cols);
    range_of(cols, r.w, &lo, &hi);
    for (int x = 0; x < r.w; x++) {
        int level;

        if (isnan(cols[x]))
            continue;
        level = level_of(cols[x], lo, hi, r.h);
        for (int row = 0; row < r.h; row++) {
            int fill = level - 8 * row;

            if (fill <= 0)
                break;
            canvas_put(c, r.x + x, r.y + r.h - 1 - row,
                       block(fill > 8 ? 8 : fill, ascii), role, 0);
        }
    }
    free(cols);
}

/* Series s of query q, the k-th: its name and last value on the first
 * row when there are two or more, its sparkline below. */
static void
draw_one(const struct panel *p, const struct panel_query *q,
         const struct qseries *s, size_t k, struct canvas *c,
         struct rect sr)
{
    struct widget_look look;
    double last = widget_last(s);
    char val[FORMAT_VALUE_MAX];
    int role, vw;

    widget_look_of(p, q, s, theme_series_role(k), &look);
    role = widget_look_role(p, &look, last);
    if (widget_no_data(s))
        snprintf(val, sizeof val, "%s", WIDGET_NO_DATA);
    else
        widget_look_format(&look, last, val, sizeof val);
    if (sr.h >= 2) {
        vw = canvas_text_width(val);
        canvas_text(c, sr.x, sr.y, sr.w - vw - 1, buf_str(&look.name),
                    ROLE_LABEL, 0);
        canvas_text_right(c, sr.x, sr.y, sr.w, val, role, ATTR_BOLD);
        sr.y++;
        sr.h--;
    }
    spark_draw(c, sr, s, role, p->min, p->max);
    widget_look_fini(&look);
}

/* Every series of every query, in order: legend line, then its line. */
static void
spark_panel_draw(const struct panel *p, const struct widget_ctx *ctx,
                 struct canvas *c, struct rect r)
{
    size_t total = 0, k = 0;
    struct widget_tmp tmp;
    int bh;

    (void)ctx;
    for (size_t i = 0; i < p->nqueries; i++)
        total += widget_nseries(p->queries[i].result);
    if (total == 0 || r.h <= 0)
        return;
    bh = r.h / (int)total > 0 ? r.h / (int)total : 1;
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct panel_query *q = &p->queries[i];

        for (size_t j = 0; j < widget_nseries(q->result); j++, k++) {
            struct rect sr = { r.x, r.y + (int)k * bh, r.w, bh };

            if (sr.y + sr.h > r.y + r.h)
                break;
            draw_one(p, q, widget_series(q->result, j, &tmp), k, c, sr);
        }
    }
}

static void
spark_measure(const struct panel *p, int w, int *minw, int *minh,
              int *want_h)
{
    size_t total = 0;

    (void)w;
    for (size_t i = 0; i < p->nqueries; i++)
        total += widget_nseries(p->queries[i].result);
    *minw = 8;
    *minh = 1;
    *want_h = (int)(total > 0 ? total : 1) * 3;
}

const struct widget_class spark_class = {
    .measure = spark_measure,
    .draw = spark_panel_draw,
};
