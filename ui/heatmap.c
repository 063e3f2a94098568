/*
 * Heatmaps: series with the same le are added up, buckets are sorted by
 * le (+Inf last) and differenced, so a row counts only its own bucket.
 * A column takes the last point that falls in it. Shades are quarters of
 * the largest count: ░▒▓█, or .:+# in ASCII. When there are more buckets
 * than rows, adjacent buckets share a row, labelled by the upper le.
 * Series without a numeric le are left out; they are not buckets.
 */
#include "ui/heatmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/theme.h"

struct bucket {
    double le;
    double *col;            /* per column: cumulative count, NaN: none */
};

struct heat {
    struct bucket *b;
    size_t nb;
    int w;                  /* columns */
    int64_t t0, t1;
};

/* The series' le as a number, or false when it has none. */
static bool
le_of(const struct qseries *s, double *le)
{
    char *end;

    for (size_t i = 0; i < s->labels.n; i++) {
        if (strcmp(s->labels.v[i].name, "le") != 0)
            continue;
        *le = strtod(s->labels.v[i].value, &end);
        return end != s->labels.v[i].value && *end == '\0' && !isnan(*le);
    }
    return false;
}

/* The bucket for le, added when new. */
static struct bucket *
bucket_for(struct heat *h, double le)
{
    for (size_t i = 0; i < h->nb; i++)
        if (h->b[i].le == le)
            return &h->b[i];
    h->b = xreallocarray(h->b, h->nb + 1, sizeof *h->b);
    h->b[h->nb].le = le;
    h->b[h->nb].col = xmalloc((size_t)h->w * sizeof(double));
    for (int x = 0; x < h->w; x++)
        h->b[h->nb].col[x] = NAN;
    return &h->b[h->nb++];
}

static int
column_of(const struct heat *h, int64_t t)
{
    if (h->t1 <= h->t0)
        return h->w - 1;
    return (int)llround((double)(t - h->t0) * (h->w - 1)
                        / (double)(h->t1 - h->t0));
}

/* Adds series s into its bucket's columns. */
static void
add_series(struct heat *h, const struct qseries *s)
{
    struct bucket *bk;
    double le;
    int *seen = NULL;

    if (!le_of(s, &le))
        return;
    bk = bucket_for(h, le);
    seen = xcalloc((size_t)h->w, sizeof *seen);
    /* The last point in a column wins for this series; series that share
     * an le add up. */
    for (size_t i = s->npoints; i-- > 0;) {
        const struct qpoint *pt = &s->points[i];
        int x;

        if (pt->t < h->t0 || pt->t > h->t1 || !isfinite(pt->v))
            continue;
        x = column_of(h, pt->t);
        if (seen[x]++)
            continue;
        bk->col[x] = isnan(bk->col[x]) ? pt->v : bk->col[x] + pt->v;
    }
    free(seen);
}

static int
bucket_cmp(const void *a, const void *b)
{
    double x = ((const struct bucket *)a)->le;
    double y = ((const struct bucket *)b)->le;

    return x < y ? -1 : x > y;
}

/* Sorts the buckets and turns cumulative counts into per-bucket ones
 * (a negative difference, from buckets scraped apart, counts as 0). */
static void
difference(struct heat *h)
{
    if (h->nb > 1)
        qsort(h->b, h->nb, sizeof *h->b, bucket_cmp);
    for (int x = 0; x < h->w; x++) {
        double below = 0;

        for (size_t i = 0; i < h->nb; i++) {
            double cum = h->b[i].col[x];

            if (isnan(cum))
                continue;
            h->b[i].col[x] = cum - below > 0 ? cum - below : 0;
            below = cum;
        }
    }
}

static void
heat_fini(struct heat *h)
{
    for (size_t i = 0; i < h->nb; i++)
        free(h->b[i].col);
    free(h->b);
}

/* Fills h from every query of p for w columns. */
static void
heat_build(struct heat *h, const struct panel *p,
           const struct widget_ctx *ctx, int w)
{
    struct widget_tmp tmp;

    *h = (struct heat){ NULL, 0, w, ctx->start_ms, ctx->end_ms };
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        for (size_t j = 0; j < widget_nseries(r); j++)
            add_series(h, widget_series(r, j, &tmp));
    }
    difference(h);
}

/* The label of the bucket group ending at bucket i: its le. */
static void
le_text(const struct panel *p, double le, char *out, size_t n)
{
    enum unit u = p->nqueries > 0 ? widget_unit(p, &p->queries[0])
                                  : p->unit;

    if (isinf(le))
        format_value(le, UNIT_AUTO, -1, out, n);
    else
        format_value(le, u, p->decimals, out, n);
}

/* The count of row `row` (0 at the bottom) of `rows` in column x: the
 * sum of its bucket group, NaN when none of them has a point there. */
static double
row_count(const struct heat *h, int rows, int row, int x)
{
    size_t from = (size_t)row * h->nb / (size_t)rows;
    size_t to = (size_t)(row + 1) * h->nb / (size_t)rows;
    double sum = NAN;

    for (size_t i = from; i < to; i++) {
        double v = h->b[i].col[x];

        if (!isnan(v))
            sum = isnan(sum) ? v : sum + v;
    }
    return sum;
}

static uint32_t
shade(double v, double max, bool ascii)
{
    static const uint32_t block[] = { 0x2591, 0x2592, 0x2593, 0x2588 };
    static const char plain[] = ".:+#";
    int q;

    if (isnan(v) || !(v > 0) || !(max > 0))
        return ' ';
    q = (int)ceil(v / max * 4) - 1;
    q = q < 0 ? 0 : q > 3 ? 3 : q;
    return ascii ? (uint32_t)plain[q] : block[q];
}

/* Draws the matrix of `rows` rows right of the labels at (x0, y0). */
static void
draw_cells(const struct heat *h, struct canvas *c, int x0, int y0,
           int rows)
{
    double max = 0;

    for (int row = 0; row < rows; row++)
        for (int x = 0; x < h->w; x++) {
            double v = row_count(h, rows, row, x);

            max = v > max ? v : max;
        }
    for (int row = 0; row < rows; row++)
        for (int x = 0; x < h->w; x++) {
            double v = row_count(h, rows, row, x);
            uint32_t g = shade(v, max, canvas_ascii(c));

            if (g != ' ')
                canvas_put(c, x0 + x, y0 + rows - 1 - row, g, ROLE_SERIES1,
                           0);
        }
}

/* The width of the widest le label of the row groups. */
static int
label_width(const struct panel *p, const struct heat *h, int rows)
{
    char s[FORMAT_VALUE_MAX];
    int lw = 0;

    for (int row = 0; row < rows; row++) {
        size_t last = (size_t)(row + 1) * h->nb / (size_t)rows - 1;
        int n;

        le_text(p, h->b[last].le, s, sizeof s);
        n = canvas_text_width(s);
        lw = n > lw ? n : lw;
    }
    return lw;
}

static void
draw_labels(const struct panel *p, const struct heat *h, struct canvas *c,
            struct rect r, int rows, int lw)
{
    char s[FORMAT_VALUE_MAX];

    for (int row = 0; row < rows; row++) {
        size_t last = (size_t)(row + 1) * h->nb / (size_t)rows - 1;

        le_text(p, h->b[last].le, s, sizeof s);
        canvas_text_right(c, r.x, r.y + rows - 1 - row, lw, s, ROLE_LABEL,
                          0);
    }
}

/* HH:MM under the first and the last column. */
static void
draw_times(const struct heat *h, struct canvas *c, int x, int y)
{
    char s[16];

    if (h->w < 12)
        return;
    format_hhmm(h->t0, s, sizeof s);
    canvas_text(c, x, y, h->w, s, ROLE_LABEL, 0);
    format_hhmm(h->t1, s, sizeof s);
    canvas_text_right(c, x, y, h->w, s, ROLE_LABEL, 0);
}

static void
heatmap_draw(const struct panel *p, const struct widget_ctx *ctx,
             struct canvas *c, struct rect r)
{
    struct heat h;
    int xax = r.h >= 3 ? 1 : 0, rows, lw;

    if (r.w <= 0 || r.h <= 0)
        return;
    /* Measure the labels on a first pass at full width. */
    heat_build(&h, p, ctx, r.w);
    rows = (size_t)(r.h - xax) < h.nb ? r.h - xax : (int)h.nb;
    if (rows == 0) {
        canvas_text(c, r.x, r.y, r.w, "no le buckets", ROLE_INACTIVE, 0);
        heat_fini(&h);
        return;
    }
    lw = label_width(p, &h, rows);
    heat_fini(&h);
    if (r.w - lw - 1 < 4)
        lw = -1;
    heat_build(&h, p, ctx, r.w - lw - 1);
    if (lw > 0)
        draw_labels(p, &h, c, r, rows, lw);
    draw_cells(&h, c, r.x + lw + 1, r.y, rows);
    if (xax && rows < r.h)
        draw_times(&h, c, r.x + lw + 1, r.y + rows);
    heat_fini(&h);
}

static void
heatmap_measure(const struct panel *p, int w, int *minw, int *minh,
                int *want_h)
{
    struct widget_tmp tmp;
    size_t n = 0;

    (void)w;
    for (size_t i = 0; i < p->nqueries; i++)
        for (size_t j = 0; j < widget_nseries(p->queries[i].result); j++) {
            double le;

            n += le_of(widget_series(p->queries[i].result, j, &tmp), &le);
        }
    *minw = 12;
    *minh = 2;
    /* A row per bucket (distinct or not) up to twelve, and the times. */
    *want_h = 1 + (int)(n < 12 ? n : 12);
}

const struct widget_class heatmap_class = {
    .measure = heatmap_measure,
    .draw = heatmap_draw,
};
