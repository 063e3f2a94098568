/*
 * Graphs: series are placed on a dot grid (ui/plot.h) by time and value
 * and joined with lines; points further apart than two steps are not
 * joined, so a gap in the data stays a gap on screen. Each series is
 * drawn as its look says (ui/widget.h): its colour and name, hidden from
 * the graph or the legend, below zero (negative-Y), on the right-hand
 * axis, stacked in its group (each group, axis and side apart, as Grafana
 * stacks them) or as its share of the group's total. Each axis has its own
 * scale and labels; the legend marks series on the right one.
 */
#include "ui/graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/plot.h"
#include "ui/theme.h"

enum { LEFT, RIGHT };

struct gseries {
    const struct panel_query *q;
    struct qseries s;
    struct widget_tmp scalar;   /* holds the point of a scalar result */
    struct widget_look look;
    int stack;                  /* its stack, or -1 */
};

/* Series that stack together: one group, axis and side of zero. */
struct stack {
    const char *group;
    int axis;
    bool negative;
    bool percent;
    double *base;               /* per dot column: the stack so far */
    double *total;              /* per dot column: all of it (percent) */
};

/* One value axis: its scale and how its labels are written. */
struct axis {
    bool used;
    double lo, hi;              /* values at the bottom and top dot rows */
    const struct widget_look *look; /* its first series: unit, decimals */
    bool percent;               /* labels as percentunit */
    int width;                  /* labels and line, in cells; 0: none */
};

struct graph {
    const struct panel *p;
    struct plot_grid grid;
    int64_t t0, t1, step;
    struct gseries *gs;
    size_t n;
    struct stack *stacks;
    size_t nstacks;
    struct axis axis[2];
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
            memset(&gs[*n], 0, sizeof gs[*n]);
            gs[*n].q = &p->queries[i];
            gs[*n].s = *widget_series(r, j, &gs[*n].scalar);
            (*n)++;
        }
    }
    return gs;
}

/* Points scalars at their copy inside gs, which moved while growing or
 * sorting. */
static void
home_scalars(struct gseries *gs, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (gs[k].q->result->type == QV_SCALAR)
            gs[k].s.points = &gs[k].scalar.pt;
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
 * last values); then gives each its look, coloured by its place. */
static void
order_series(const struct panel *p, struct gseries *gs, size_t *n)
{
    if (p->sort != SORT_NONE || p->topn > 0) {
        sort_dir = p->sort == SORT_ASC && p->topn <= 0 ? -1 : 1;
        if (*n > 1)
            qsort(gs, *n, sizeof *gs, gseries_cmp);
        if (p->topn > 0 && (size_t)p->topn < *n)
            *n = (size_t)p->topn;
    }
    home_scalars(gs, *n);
    for (size_t k = 0; k < *n; k++)
        widget_look_of(p, gs[k].q, &gs[k].s, theme_series_role(k),
                       &gs[k].look);
}

static bool
drawn(const struct gseries *g)
{
    return !(g->look.hide & HIDE_GRAPH);
}

/* Puts each stacked series in the stack of its group, axis and side. */
static void
assign_stacks(struct graph *g)
{
    for (size_t k = 0; k < g->n; k++) {
        const struct widget_look *l = &g->gs[k].look;
        size_t i = 0;

        g->gs[k].stack = -1;
        if (l->stack == STACK_NONE || !drawn(&g->gs[k]))
            continue;
        while (i < g->nstacks && !(g->stacks[i].axis == l->right
                                   && g->stacks[i].negative == l->negative
                                   && strcmp(g->stacks[i].group,
                                             l->stack_group) == 0))
            i++;
        if (i == g->nstacks) {
            g->stacks = xreallocarray(g->stacks, i + 1, sizeof *g->stacks);
            g->stacks[i] = (struct stack){ l->stack_group, l->right,
                                           l->negative,
                                           l->stack == STACK_PERCENT,
                                           NULL, NULL };
            g->nstacks++;
        }
        g->gs[k].stack = (int)i;
    }
}

static int
px_of(const struct graph *g, int64_t t)
{
    if (g->t1 <= g->t0)
        return g->grid.pw - 1;
    return (int)llround((double)(t - g->t0) * (g->grid.pw - 1)
                        / (double)(g->t1 - g->t0));
}

static bool
in_range(const struct graph *g, const struct qpoint *pt)
{
    return pt->t >= g->t0 && pt->t <= g->t1 && isfinite(pt->v);
}

/* Sizes the stacks for the grid and adds up each percent stack. */
static void
stacks_reset(struct graph *g)
{
    size_t w = (size_t)g->grid.pw + 1;

    for (size_t i = 0; i < g->nstacks; i++) {
        free(g->stacks[i].base);
        free(g->stacks[i].total);
        g->stacks[i].base = xcalloc(w, sizeof(double));
        g->stacks[i].total = xcalloc(w, sizeof(double));
    }
    for (size_t k = 0; k < g->n; k++) {
        const struct gseries *s = &g->gs[k];

        if (s->stack < 0 || !g->stacks[s->stack].percent)
            continue;
        for (size_t i = 0; i < s->s.npoints; i++)
            if (in_range(g, &s->s.points[i]))
                g->stacks[s->stack].total[px_of(g, s->s.points[i].t)] +=
                    fabs(s->s.points[i].v);
    }
}

/* The value series s draws for point pt: below zero when negative, as a
 * share of its stack's total when percent, on top of the stack so far. */
static double
drawn_value(const struct graph *g, const struct gseries *s,
            const struct qpoint *pt)
{
    double v = s->look.negative ? -pt->v : pt->v;
    const struct stack *st;
    int x;

    if (s->stack < 0)
        return v;
    st = &g->stacks[s->stack];
    x = px_of(g, pt->t);
    if (x < 0 || x > g->grid.pw)
        return v;
    if (st->percent)
        v = st->total[x] > 0 ? v / st->total[x] : 0;
    return st->base[x] + v;
}

/* Adds a finished series to its stack. */
static void
stack_series(struct graph *g, const struct gseries *s)
{
    struct stack *st = s->stack >= 0 ? &g->stacks[s->stack] : NULL;

    for (size_t i = 0; st != NULL && i < s->s.npoints; i++) {
        const struct qpoint *pt = &s->s.points[i];
        int x;

        if (!in_range(g, pt))
            continue;
        x = px_of(g, pt->t);
        st->base[x] = drawn_value(g, s, pt);
    }
}

/* A scale's lo and hi from its data, unless fixed; a flat range is
 * widened so the line sits in the middle, except a flat zero, drawn at
 * the bottom of 0..1 as Grafana does (an error rate of 0 is not the
 * middle of -100%..100%). */
static void
finish_scale(struct axis *a, double mn, double mx, double fix_lo,
             double fix_hi)
{
    a->lo = isnan(fix_lo) ? mn : fix_lo;
    a->hi = isnan(fix_hi) ? mx : fix_hi;
    if (!isfinite(a->lo) || !isfinite(a->hi)) {
        a->lo = 0;
        a->hi = 1;
    }
    if (!(a->hi > a->lo) && a->lo == 0) {
        a->hi = 1;
    } else if (!(a->hi > a->lo)) {
        double d = fabs(a->lo) * 0.1;

        a->lo -= d;
        a->hi += d;
    }
}

/* Works out both axes' scales from the drawn values. Stacked axes take
 * in zero; an axis takes the min and max its first series' overrides
 * give, else (the left one) the panel's. */
static void
scale_axes(struct graph *g)
{
    double mn[2] = { INFINITY, INFINITY }, mx[2] = { -INFINITY, -INFINITY };
    bool stacked[2] = { false, false };

    stacks_reset(g);
    for (size_t k = 0; k < g->n; k++) {
        const struct gseries *s = &g->gs[k];
        int a = s->look.right;

        if (!drawn(s))
            continue;
        stacked[a] = stacked[a] || s->stack >= 0;
        for (size_t i = 0; i < s->s.npoints; i++) {
            double v;

            if (!in_range(g, &s->s.points[i]))
                continue;
            v = drawn_value(g, s, &s->s.points[i]);
            mn[a] = v < mn[a] ? v : mn[a];
            mx[a] = v > mx[a] ? v : mx[a];
        }
        stack_series(g, s);
    }
    for (int a = LEFT; a <= RIGHT; a++) {
        const struct widget_look *l = g->axis[a].look;

        if (stacked[a] && mn[a] > 0)
            mn[a] = 0;
        if (stacked[a] && mx[a] < 0)
            mx[a] = 0;
        finish_scale(&g->axis[a], mn[a], mx[a],
                     l != NULL && !isnan(l->min) ? l->min
                     : a == LEFT ? g->p->min : NAN,
                     l != NULL && !isnan(l->max) ? l->max
                     : a == LEFT ? g->p->max : NAN);
    }
}

static int
py_of(const struct graph *g, const struct axis *a, double v)
{
    double y = (v - a->lo) / (a->hi - a->lo) * (g->grid.ph - 1);

    if (y < 0)
        return 0;
    return y > g->grid.ph - 1 ? g->grid.ph - 1 : (int)lround(y);
}

static void
plot_series(struct graph *g, const struct gseries *s)
{
    const struct axis *a = &g->axis[s->look.right];
    int px = 0, py = 0;
    int64_t pt_prev = 0;
    bool have = false;

    for (size_t i = 0; i < s->s.npoints; i++) {
        const struct qpoint *pt = &s->s.points[i];
        int x, y;

        if (!in_range(g, pt)) {
            have = false;
            continue;
        }
        x = px_of(g, pt->t);
        y = py_of(g, a, drawn_value(g, s, pt));
        if (have && (g->step <= 0 || pt->t - pt_prev <= 2 * g->step))
            plot_grid_line(&g->grid, px, py, x, y, s->look.role);
        else
            plot_grid_dot(&g->grid, x, y, s->look.role);
        px = x;
        py = y;
        pt_prev = pt->t;
        have = true;
    }
    stack_series(g, s);
}

/* The value at the centre of cell row `row` (0 at the top). */
static double
row_value(const struct graph *g, const struct axis *a, int row)
{
    int j = g->grid.r.h - 1 - row;
    double py = j * g->grid.ch + (g->grid.ch - 1) / 2.0;

    if (row == 0)
        return a->hi;
    if (row == g->grid.r.h - 1)
        return a->lo;
    return a->lo + (a->hi - a->lo) * py / (g->grid.ph - 1);
}

/* The rows the y axis labels: top, middle, bottom. */
static int
label_row(int h, int i)
{
    return i == 0 ? 0 : i == 1 ? (h - 1) / 2 : h - 1;
}

/* The label of axis a at row, in its first series' unit, without the
 * trailing zeros of automatic decimals; percent stacks as shares. */
static void
axis_label(const struct graph *g, const struct axis *a, int row, char *s,
           size_t n)
{
    const struct widget_look *l = a->look;
    double v = row_value(g, a, row);

    if (a->percent)
        format_value(v, UNIT_PERCENTUNIT, -1, s, n);
    else if (l != NULL)
        widget_look_format(l, v, s, n);
    else
        format_value_as(v, g->p->unit, g->p->unit_text, g->p->decimals, s,
                        n);
    /* Grafana's ticks drop the zeros its decimals would pad with. */
    if (a->percent || (l != NULL ? l->decimals : g->p->decimals) < 0)
        format_trim_zeros(s);
}

/* The width axis a takes (labels and its line), or 0 when the area is
 * too narrow to keep ten cells of plot beside it. */
static int
axis_width(const struct graph *g, const struct axis *a, int w)
{
    char s[FORMAT_VALUE_MAX];
    int lw = 0;

    if (!a->used)
        return 0;
    for (int i = 0; i < 3; i++) {
        int n;

        axis_label(g, a, label_row(g->grid.r.h, i), s, sizeof s);
        n = canvas_text_width(s);
        lw = n > lw ? n : lw;
    }
    return w - lw - 1 >= 10 ? lw + 1 : 0;
}

/* The axis line beside the plot and its three labels, outside it. */
static void
draw_axis(const struct graph *g, const struct axis *a, bool right,
          struct canvas *c)
{
    const struct rect *r = &g->grid.r;
    bool ascii = canvas_ascii(c);
    int ax = right ? r->x + r->w : r->x - 1;
    uint32_t tick = ascii ? '+' : right ? 0x251c : 0x2524;
    char s[FORMAT_VALUE_MAX];

    for (int y = 0; y < r->h; y++)
        canvas_put(c, ax, r->y + y, ascii ? '|' : 0x2502, ROLE_AXIS, 0);
    for (int i = 0; i < 3; i++) {
        int row = label_row(r->h, i);

        if (i == 1 && r->h < 3)
            continue;
        axis_label(g, a, row, s, sizeof s);
        if (right)
            canvas_text(c, ax + 1, r->y + row, a->width - 1, s, ROLE_LABEL,
                        0);
        else
            canvas_text_right(c, r->x - a->width, r->y + row, a->width - 1,
                              s, ROLE_LABEL, 0);
        canvas_put(c, ax, r->y + row, tick, ROLE_AXIS, 0);
    }
}

/* HH:MM under the start, the middle and the end of the plot. */
static void
draw_x_axis(const struct graph *g, struct canvas *c, int y)
{
    const struct rect *r = &g->grid.r;
    char s[16];

    format_hhmm(g->t0, s, sizeof s);
    canvas_text(c, r->x, y, r->w, s, ROLE_LABEL, 0);
    if (r->w >= 24) {
        format_hhmm(g->t0 + (g->t1 - g->t0) / 2, s, sizeof s);
        canvas_text(c, r->x + r->w / 2 - 2, y, 5, s, ROLE_LABEL, 0);
    }
    if (r->w >= 12) {
        format_hhmm(g->t1, s, sizeof s);
        canvas_text_right(c, r->x, y, r->w, s, ROLE_LABEL, 0);
    }
}

/* Which axes have series, whose look labels each, and whether an axis
 * shows shares of 100%. */
static void
find_axes(struct graph *g)
{
    for (size_t k = 0; k < g->n; k++) {
        const struct gseries *s = &g->gs[k];
        struct axis *a = &g->axis[s->look.right];

        if (!drawn(s) || a->used)
            continue;
        a->used = true;
        a->look = &s->look;
        a->percent = s->stack >= 0 && g->stacks[s->stack].percent;
    }
    /* A graph with nothing to draw keeps its left axis. */
    if (!g->axis[RIGHT].used)
        g->axis[LEFT].used = true;
}

/* Lays out the plot in r beside its axes, scaled from the data. */
static void
layout(struct graph *g, struct rect r, enum glyphs gl)
{
    /* Label widths depend on the scale, the scale on the width: measure
     * at full width first, then lay out the narrower plot. */
    plot_grid_init(&g->grid, r, gl);
    scale_axes(g);
    g->axis[LEFT].width = axis_width(g, &g->axis[LEFT], r.w);
    g->axis[RIGHT].width = axis_width(g, &g->axis[RIGHT],
                                      r.w - g->axis[LEFT].width);
    plot_grid_fini(&g->grid);
    r.x += g->axis[LEFT].width;
    r.w -= g->axis[LEFT].width + g->axis[RIGHT].width;
    plot_grid_init(&g->grid, r, gl);
    stacks_reset(g);
}

static void
graph_free(struct graph *g)
{
    for (size_t k = 0; k < g->n; k++)
        widget_look_fini(&g->gs[k].look);
    for (size_t i = 0; i < g->nstacks; i++) {
        free(g->stacks[i].base);
        free(g->stacks[i].total);
    }
    free(g->stacks);
    free(g->gs);
    plot_grid_fini(&g->grid);
}

static void
graph_draw(const struct panel *p, const struct widget_ctx *ctx,
           struct canvas *c, struct rect r)
{
    struct graph g = { .p = p, .t0 = ctx->start_ms, .t1 = ctx->end_ms,
                       .step = ctx->step_ms };
    int room = r.h / 3 > r.h - 10 ? r.h / 3 : r.h - 10, leg, xax;
    struct widget_legend_item *items;
    size_t nleg;

    g.gs = collect(p, &g.n);
    order_series(p, g.gs, &g.n);
    assign_stacks(&g);
    find_axes(&g);
    items = xcalloc(g.n + 1, sizeof *items);
    for (size_t k = 0; k < g.n; k++)
        items[k] = (struct widget_legend_item){ &g.gs[k].s, &g.gs[k].look };
    nleg = widget_legend_lines(items, g.n);
    leg = r.h >= 6 ? ((size_t)room < nleg ? room : (int)nleg) : 0;
    xax = r.h - leg >= 4 ? 1 : 0;
    layout(&g, (struct rect){ r.x, r.y, r.w, r.h - leg - xax },
           canvas_glyphs(c));
    for (size_t k = 0; k < g.n; k++)
        if (drawn(&g.gs[k]))
            plot_series(&g, &g.gs[k]);
    plot_grid_blit(&g.grid, c);
    for (int a = LEFT; a <= RIGHT; a++)
        if (g.axis[a].width > 0)
            draw_axis(&g, &g.axis[a], a == RIGHT, c);
    if (xax)
        draw_x_axis(&g, c, g.grid.r.y + g.grid.r.h);
    widget_legend_draw(items, g.n, c, (struct rect){ r.x, r.y + r.h - leg,
                                                     r.w, leg });
    free(items);
    graph_free(&g);
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
