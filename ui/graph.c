/*
 * Graphs: series are placed on a pixel grid (braille: 2 x 4 dots per
 * cell; half blocks or ASCII: 1 x 2) by time and value and joined with
 * Bresenham lines, so steep steps stay continuous. A cell takes the colour of the last
 * series that put a dot in it. Points further apart than two steps are
 * not joined: a gap in the data stays a gap on screen.
 */
#include "ui/graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/theme.h"

struct gseries {
    const struct panel_query *q;
    struct qseries s;
    struct widget_tmp scalar;   /* holds the point of a scalar result */
};

struct plot {
    struct rect r;          /* the plot area in cells */
    int cw, ch;             /* pixels per cell */
    int pw, ph;             /* pixels in all */
    double lo, hi;          /* values at the bottom and top pixel rows */
    int64_t t0, t1, step;
    bool stack;
    uint8_t *dots;          /* per cell: the dot bits set */
    uint8_t *role;          /* per cell: the role of the last dot */
    double *base;           /* per pixel column: the stack below */
};

/* Braille dot bits by [column][row from the top of the cell]. */
static const uint8_t braille_bit[2][4] = {
    { 0x01, 0x02, 0x04, 0x40 },
    { 0x08, 0x10, 0x20, 0x80 },
};

/* Every series of every query, in drawing order. */
static struct gseries *
collect(const struct panel *p, size_t *n)
{
    struct gseries *gs = NULL;

    *n = 0;
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        for (size_t j = 0; j < widget_nseries(r); j++) {
            gs = xreallocarray(gs, *n + 1, sizeof *gs);
            gs[*n].q = &p->queries[i];
            gs[*n].s = *widget_series(r, j, &gs[*n].scalar);
            (*n)++;
        }
    }
    /* The array moved while growing: point scalars at their new home. */
    for (size_t k = 0; k < *n; k++)
        if (gs[k].q->result->type == QV_SCALAR)
            gs[k].s.points = &gs[k].scalar.pt;
    return gs;
}

/* Largest last value first, NaN last (qsort_r is not C11: the panel's
 * direction goes through a file-scope variable, one sort at a time). */
static int sort_dir;

static int
gseries_cmp(const void *a, const void *b)
{
    double x = widget_last(&((const struct gseries *)a)->s);
    double y = widget_last(&((const struct gseries *)b)->s);

    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (isnan(x) || x == y)
        return 0;
    return (x > y ? -1 : 1) * sort_dir;
}

/* Orders the series as the panel asks and keeps its top N (the largest
 * last values); the legend and the colours follow the new order. */
static void
order_series(const struct panel *p, struct gseries *gs, size_t *n)
{
    if (p->sort == SORT_NONE && p->topn <= 0)
        return;
    sort_dir = p->sort == SORT_ASC && p->topn <= 0 ? -1 : 1;
    if (*n > 1)
        qsort(gs, *n, sizeof *gs, gseries_cmp);
    if (p->topn > 0 && (size_t)p->topn < *n)
        *n = (size_t)p->topn;
    /* Sorting moved the structs: point scalars at their new home. */
    for (size_t k = 0; k < *n; k++)
        if (gs[k].q->result->type == QV_SCALAR)
            gs[k].s.points = &gs[k].scalar.pt;
}

static int
px_of(const struct plot *pl, int64_t t)
{
    if (pl->t1 <= pl->t0)
        return pl->pw - 1;
    return (int)llround((double)(t - pl->t0) * (pl->pw - 1)
                        / (double)(pl->t1 - pl->t0));
}

static int
py_of(const struct plot *pl, double v)
{
    double y = (v - pl->lo) / (pl->hi - pl->lo) * (pl->ph - 1);

    if (y < 0)
        return 0;
    return y > pl->ph - 1 ? pl->ph - 1 : (int)lround(y);
}

/* The value drawn for point pt: stacked on the series below if asked. */
static double
drawn_value(const struct plot *pl, const struct qpoint *pt)
{
    int x = px_of(pl, pt->t);

    if (!pl->stack || x < 0 || x >= pl->pw)
        return pt->v;
    return pl->base[x] + pt->v;
}

static bool
in_range(const struct plot *pl, const struct qpoint *pt)
{
    return pt->t >= pl->t0 && pt->t <= pl->t1 && isfinite(pt->v);
}

/* Adds a finished series to the stack base. */
static void
stack_series(struct plot *pl, const struct qseries *s)
{
    for (size_t i = 0; pl->stack && i < s->npoints; i++)
        if (in_range(pl, &s->points[i]))
            pl->base[px_of(pl, s->points[i].t)] += s->points[i].v;
}

/* Works out lo and hi from the data (stacked) unless the panel fixes
 * them; a flat range is widened so the line sits in the middle, except
 * a flat zero, drawn at the bottom of 0..1 as Grafana does (an error
 * rate of 0 is not the middle of -100%..100%). */
static void
value_range(struct plot *pl, const struct panel *p,
            const struct gseries *gs, size_t n)
{
    double mn = INFINITY, mx = -INFINITY;

    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < gs[k].s.npoints; i++) {
            const struct qpoint *pt = &gs[k].s.points[i];
            double v;

            if (!in_range(pl, pt))
                continue;
            v = drawn_value(pl, pt);
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        stack_series(pl, &gs[k].s);
    }
    memset(pl->base, 0, (size_t)pl->pw * sizeof *pl->base);
    if (pl->stack && mn > 0)
        mn = 0;
    pl->lo = isnan(p->min) ? mn : p->min;
    pl->hi = isnan(p->max) ? mx : p->max;
    if (!isfinite(pl->lo) || !isfinite(pl->hi)) {
        pl->lo = 0;
        pl->hi = 1;
    }
    if (!(pl->hi > pl->lo) && pl->lo == 0) {
        pl->hi = 1;
    } else if (!(pl->hi > pl->lo)) {
        double d = fabs(pl->lo) * 0.1;

        pl->lo -= d;
        pl->hi += d;
    }
}

static void
plot_dot(struct plot *pl, int px, int py, int role)
{
    int top, cx, cy, sx, sy;
    size_t i;

    if (px < 0 || py < 0 || px >= pl->pw || py >= pl->ph)
        return;
    top = pl->ph - 1 - py;
    cx = px / pl->cw;
    cy = top / pl->ch;
    sx = px % pl->cw;
    sy = top % pl->ch;
    i = (size_t)cy * (size_t)pl->r.w + (size_t)cx;
    pl->dots[i] |= pl->cw == 2 ? braille_bit[sx][sy] : (uint8_t)(1 << sy);
    pl->role[i] = (uint8_t)role;
}

/* Bresenham's line from (x0, y0) to (x1, y1), every pixel on it. */
static void
plot_line(struct plot *pl, int x0, int y0, int x1, int y1, int role)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;

    for (;;) {
        int e2 = 2 * err;

        plot_dot(pl, x0, y0, role);
        if (x0 == x1 && y0 == y1)
            break;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

static void
plot_series(struct plot *pl, const struct qseries *s, int role)
{
    int px = 0, py = 0;
    int64_t pt_prev = 0;
    bool have = false;

    for (size_t i = 0; i < s->npoints; i++) {
        const struct qpoint *pt = &s->points[i];
        int x, y;

        if (!in_range(pl, pt)) {
            have = false;
            continue;
        }
        x = px_of(pl, pt->t);
        y = py_of(pl, drawn_value(pl, pt));
        if (have && (pl->step <= 0 || pt->t - pt_prev <= 2 * pl->step))
            plot_line(pl, px, py, x, y, role);
        else
            plot_dot(pl, x, y, role);
        px = x;
        py = y;
        pt_prev = pt->t;
        have = true;
    }
    stack_series(pl, s);
}

/* The glyph for a cell's dots; with 1 x 2 pixels, bit 1 is the upper
 * half and bit 2 the lower. */
static uint32_t
dot_glyph(uint8_t bits, enum glyphs g)
{
    static const char ascii[] = " '.:";
    static const uint32_t half[] = { ' ', 0x2580, 0x2584, 0x2588 };

    if (g == GLYPHS_BRAILLE)
        return 0x2800 + bits;
    if (g == GLYPHS_BLOCK)
        return half[bits & 3];
    return (uint32_t)ascii[bits & 3];
}

/* Copies the dot grid onto the canvas. */
static void
plot_blit(const struct plot *pl, struct canvas *c)
{
    for (int y = 0; y < pl->r.h; y++) {
        for (int x = 0; x < pl->r.w; x++) {
            size_t i = (size_t)y * (size_t)pl->r.w + (size_t)x;

            if (pl->dots[i] != 0)
                canvas_put(c, pl->r.x + x, pl->r.y + y,
                           dot_glyph(pl->dots[i], canvas_glyphs(c)),
                           pl->role[i], 0);
        }
    }
}

static void
plot_init(struct plot *pl, struct rect r, bool braille)
{
    size_t cells = (size_t)(r.w > 0 ? r.w : 0) * (size_t)(r.h > 0 ? r.h : 0);

    pl->r = r;
    pl->cw = braille ? 2 : 1;
    pl->ch = braille ? 4 : 2;
    pl->pw = r.w * pl->cw;
    pl->ph = r.h * pl->ch;
    pl->dots = xcalloc(cells + 1, 1);
    pl->role = xcalloc(cells + 1, 1);
    pl->base = xcalloc((size_t)pl->pw + 1, sizeof *pl->base);
}

static void
plot_fini(struct plot *pl)
{
    free(pl->dots);
    free(pl->role);
    free(pl->base);
}

/* The value at the centre of cell row `row` (0 at the top). */
static double
row_value(const struct plot *pl, int row)
{
    int j = pl->r.h - 1 - row;
    double py = j * pl->ch + (pl->ch - 1) / 2.0;

    if (row == 0)
        return pl->hi;
    if (row == pl->r.h - 1)
        return pl->lo;
    return pl->lo + (pl->hi - pl->lo) * py / (pl->ph - 1);
}

/* The rows the y axis labels: top, middle, bottom. */
static int
label_row(int h, int i)
{
    return i == 0 ? 0 : i == 1 ? (h - 1) / 2 : h - 1;
}

/* Labels the y axis; returns the width it takes (labels and the axis
 * line), or 0 when the area is too narrow for one. */
static int
y_axis_width(const struct plot *pl, enum unit u, int decimals, int w)
{
    char s[FORMAT_VALUE_MAX];
    int lw = 0;

    for (int i = 0; i < 3; i++) {
        format_value(row_value(pl, label_row(pl->r.h, i)), u, decimals, s,
                     sizeof s);
        int n = canvas_text_width(s);
        lw = n > lw ? n : lw;
    }
    return w - lw - 1 >= 10 ? lw + 1 : 0;
}

static void
draw_y_axis(const struct plot *pl, struct canvas *c, int yw, enum unit u,
            int decimals)
{
    bool ascii = canvas_ascii(c);
    int ax = pl->r.x - 1;
    char s[FORMAT_VALUE_MAX];

    for (int y = 0; y < pl->r.h; y++)
        canvas_put(c, ax, pl->r.y + y, ascii ? '|' : 0x2502, ROLE_AXIS, 0);
    for (int i = 0; i < 3; i++) {
        int row = label_row(pl->r.h, i);

        if (i == 1 && pl->r.h < 3)
            continue;
        format_value(row_value(pl, row), u, decimals, s, sizeof s);
        canvas_text_right(c, pl->r.x - yw, pl->r.y + row, yw - 1, s,
                          ROLE_LABEL, 0);
        canvas_put(c, ax, pl->r.y + row, ascii ? '+' : 0x2524, ROLE_AXIS, 0);
    }
}

/* HH:MM under the start, the middle and the end of the plot. */
static void
draw_x_axis(const struct plot *pl, struct canvas *c, int y)
{
    char s[16];

    format_hhmm(pl->t0, s, sizeof s);
    canvas_text(c, pl->r.x, y, pl->r.w, s, ROLE_LABEL, 0);
    if (pl->r.w >= 24) {
        format_hhmm(pl->t0 + (pl->t1 - pl->t0) / 2, s, sizeof s);
        canvas_text(c, pl->r.x + pl->r.w / 2 - 2, y, 5, s, ROLE_LABEL, 0);
    }
    if (pl->r.w >= 12) {
        format_hhmm(pl->t1, s, sizeof s);
        canvas_text_right(c, pl->r.x, y, pl->r.w, s, ROLE_LABEL, 0);
    }
}

/* "last 1.5k min 3 max 2k" for one series, or just the last value. */
static void
legend_stats(const struct panel *p, const struct gseries *g, bool full,
             struct buf *out)
{
    double mn = INFINITY, mx = -INFINITY;
    char a[FORMAT_VALUE_MAX], b[FORMAT_VALUE_MAX], d[FORMAT_VALUE_MAX];
    enum unit u = widget_unit(p, g->q);

    if (widget_no_data(&g->s)) {
        buf_puts(out, WIDGET_NO_DATA);
        return;
    }
    for (size_t i = 0; i < g->s.npoints; i++) {
        double v = g->s.points[i].v;

        if (isnan(v))
            continue;
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
    }
    format_value(widget_last(&g->s), u, p->decimals, a, sizeof a);
    if (!full) {
        buf_puts(out, a);
        return;
    }
    format_value(mn, u, p->decimals, b, sizeof b);
    format_value(mx, u, p->decimals, d, sizeof d);
    buf_printf(out, "last %s  min %s  max %s", a, b, d);
}

static void
draw_legend(const struct panel *p, const struct gseries *gs, size_t n,
            struct canvas *c, struct rect r)
{
    struct buf name, stats;

    buf_init(&name, 0);
    buf_init(&stats, 0);
    for (int i = 0; i < r.h && (size_t)i < n; i++) {
        int y = r.y + i, sw;

        if (i == r.h - 1 && (size_t)r.h < n) {
            buf_reset(&name);
            buf_printf(&name, "+%zu more series", n - (size_t)i);
            canvas_text(c, r.x + 2, y, r.w - 2, buf_str(&name),
                        ROLE_INACTIVE, 0);
            break;
        }
        buf_reset(&name);
        buf_reset(&stats);
        widget_legend(gs[i].q, &gs[i].s, &name);
        legend_stats(p, &gs[i], true, &stats);
        if (canvas_text_width(buf_str(&stats)) > r.w * 2 / 3) {
            buf_reset(&stats);
            legend_stats(p, &gs[i], false, &stats);
        }
        canvas_put(c, r.x, y, canvas_ascii(c) ? '*' : 0x25a0,
                   theme_series_role((size_t)i), 0);
        sw = canvas_text_right(c, r.x, y, r.w, buf_str(&stats),
                               ROLE_DEFAULT, 0);
        canvas_text(c, r.x + 2, y, r.w - sw - 3, buf_str(&name),
                    ROLE_LABEL, 0);
    }
    buf_fini(&name);
    buf_fini(&stats);
}

static void
graph_draw(const struct panel *p, const struct widget_ctx *ctx,
           struct canvas *c, struct rect r)
{
    struct plot pl = { .t0 = ctx->start_ms, .t1 = ctx->end_ms,
                       .step = ctx->step_ms, .stack = p->stack };
    size_t n;
    struct gseries *gs = collect(p, &n);
    int room = r.h / 3 > r.h - 10 ? r.h / 3 : r.h - 10;
    int leg = r.h >= 6 ? ((size_t)room < n ? room : (int)n) : 0;
    int xax = r.h - leg >= 4 ? 1 : 0, yw;
    enum unit u = p->nqueries > 0 ? widget_unit(p, &p->queries[0])
                                  : p->unit;
    double lo, hi;

    order_series(p, gs, &n);
    leg = r.h >= 6 ? ((size_t)room < n ? room : (int)n) : 0;
    xax = r.h - leg >= 4 ? 1 : 0;
    /* The axis width depends on the labels, which depend on the range:
     * measure at full width first, then lay out the narrower plot. */
    plot_init(&pl, (struct rect){ r.x, r.y, r.w, r.h - leg - xax },
              canvas_glyphs(c) == GLYPHS_BRAILLE);
    value_range(&pl, p, gs, n);
    yw = y_axis_width(&pl, u, p->decimals, r.w);
    lo = pl.lo;
    hi = pl.hi;
    plot_fini(&pl);
    plot_init(&pl, (struct rect){ r.x + yw, r.y, r.w - yw, r.h - leg - xax },
              canvas_glyphs(c) == GLYPHS_BRAILLE);
    pl.lo = lo;
    pl.hi = hi;
    for (size_t k = 0; k < n; k++)
        plot_series(&pl, &gs[k].s, theme_series_role(k));
    plot_blit(&pl, c);
    if (yw > 0)
        draw_y_axis(&pl, c, yw, u, p->decimals);
    if (xax)
        draw_x_axis(&pl, c, pl.r.y + pl.r.h);
    draw_legend(p, gs, n, c,
                (struct rect){ r.x, r.y + r.h - leg, r.w, leg });
    plot_fini(&pl);
    free(gs);
}

static void
graph_measure(const struct panel *p, int w, int *minw, int *minh,
              int *want_h)
{
    size_t n = 0;

    (void)w;
    for (size_t i = 0; i < p->nqueries; i++)
        n += widget_nseries(p->queries[i].result);
    if (p->topn > 0 && (size_t)p->topn < n)
        n = (size_t)p->topn;
    *minw = 20;
    *minh = 4;
    /* Ten rows of plot and axis, then up to six legend lines. */
    *want_h = 10 + (int)(n < 6 ? n : 6);
}

const struct widget_class graph_class = {
    .measure = graph_measure,
    .draw = graph_draw,
};
