/*
 * The range-vector functions: rate, increase, delta with Prometheus's
 * extrapolation, irate, idelta, deriv, predict_linear, changes, resets,
 * holt_winters and the *_over_time family. Each series of the argument is
 * read once and two cursors slide its window [T-d, T] along the steps.
 *
 * Where a window's answer can be had without visiting its samples, it
 * is: rate and friends look at the ends, changes and resets subtract
 * prefix counts, min and max keep a queue of candidates. The sums and
 * means (sum, avg, stddev, stdvar, deriv, predict_linear) and quantile
 * and holt_winters do visit every sample of every window: Prometheus
 * adds each window up from its first sample with compensated sums, and a
 * running sum that subtracts leaving samples would round differently.
 * An aggregation over a call at one step may take the values as they
 * are made, into its groups, instead of the matrix (query/agg.h).
 * The labels of absent() live here too, beside absent_over_time, so the
 * dispatcher in funcall.c calls in and nothing here calls back.
 */
#include "query/funcrange.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/agg.h"
#include "query/budget.h"
#include "query/evalmat.h"
#include "query/parse.h"
#include "query/select.h"
#include "src/base/xalloc.h"

/* What one window is evaluated with. */
struct window {
    const struct sample *s;
    size_t n;
    size_t counted;         /* drops (rate, increase, resets) or changes
                             * (changes) between samples of the window */
    double extreme;         /* min/max_over_time's answer */
    int64_t start, end;     /* the window's bounds, ms */
    double range_s;         /* end - start in seconds */
    int64_t t;              /* the step's evaluation time, ms */
    double a, b;            /* scalar arguments */
    double *scratch;        /* room for the window's values */
};

/* Neumaier's compensated sum, as Prometheus 2.42's kahanSumInc. */
static void
kahan_inc(double inc, double *sum, double *c)
{
    double t = *sum + inc;

    if (fabs(*sum) >= fabs(inc))
        *c += (*sum - t) + inc;
    else
        *c += (inc - t) + *sum;
    *sum = t;
}

/*
 * Milliseconds as seconds, rounded as float64(ms) / 1000 is. Whole
 * seconds, the usual case, skip the division: ms / 1000 is then exact.
 */
static double
seconds(int64_t ms)
{
    return ms % 1000 == 0 ? (double)(ms / 1000) : (double)ms / 1000;
}

/*
 * A range's length as Go's Duration.Seconds() gives it: whole seconds
 * plus the nanoseconds over 1e9, which can differ from ms / 1000 in the
 * last bit.
 */
static double
range_seconds(int64_t ms)
{
    return (double)(ms / 1000) + (double)(ms % 1000 * 1000000) / 1e9;
}

/*
 * rate, increase and delta: extrapolated towards the window's edges.
 * A gap to an edge shorter than 1.1 average intervals is extrapolated
 * in full, a longer one by half an interval only (the series may have
 * started or ended inside the window); counters are not extrapolated
 * below zero, and a drop in a counter is a reset, not a decrease.
 */
static bool
extrapolated(const struct window *w, bool counter, bool rate, double *out)
{
    const struct sample *s = w->s;
    size_t i, n = w->n;
    double res, last, to_start, to_end, sampled, avg, to_zero, thr, ext;
    double factor;

    if (n < 2)
        return false;
    res = s[n - 1].v - s[0].v;
    last = s[0].v;
    for (i = 1; counter && w->counted > 0 && i < n; i++) {
        if (s[i].v < last)
            res += last;        /* a reset: add what was lost */
        last = s[i].v;
    }
    /* Differences within [start, end], no longer than the range (a
     * duration, at most 292 years), cannot overflow. */
    to_start = seconds(s[0].t - w->start);
    to_end = seconds(w->end - s[n - 1].t);
    sampled = seconds(s[n - 1].t - s[0].t);
    avg = sampled / (double)(n - 1);
    if (counter && res > 0 && s[0].v >= 0) {
        /* A counter does not extrapolate below zero. */
        to_zero = sampled * (s[0].v / res);
        if (to_zero < to_start)
            to_start = to_zero;
    }
    thr = avg * 1.1;
    ext = sampled;
    ext += to_start < thr ? to_start : avg / 2;
    ext += to_end < thr ? to_end : avg / 2;
    /* One factor, divided by the range first, keeps Prometheus's
     * rounding (floor(rate(...)) depends on it). */
    factor = ext / sampled;
    if (rate)
        factor /= w->range_s;
    *out = res * factor;
    return true;
}

/* irate and idelta: the last two samples only. */
static bool
instant_value(const struct window *w, bool rate, double *out)
{
    const struct sample *last, *prev;
    double res;

    if (w->n < 2)
        return false;
    last = &w->s[w->n - 1];
    prev = &w->s[w->n - 2];
    res = last->v - prev->v;
    if (rate && last->v < prev->v)
        res = last->v;          /* a counter reset */
    if (last->t == prev->t)
        return false;
    if (rate)
        res /= (double)(last->t - prev->t) / 1000;
    *out = res;
    return true;
}

/*
 * Least squares over (seconds since x0, value), with compensated sums
 * as 2.42 has them; a constant series gives slope 0 exactly (or NaN
 * when the constant is infinite).
 */
static void
linear_regression(const struct window *w, int64_t x0, double *slope,
                  double *icept)
{
    double n = 0, sx = 0, cx = 0, sy = 0, cy = 0, sxy = 0, cxy = 0;
    double sx2 = 0, cx2 = 0, x, cov, var;
    bool const_y = true;
    size_t i;

    for (i = 0; i < w->n; i++) {
        if (const_y && i > 0 && w->s[i].v != w->s[0].v)
            const_y = false;
        n += 1;
        x = (double)qtime_sub(w->s[i].t, x0) / 1e3;
        kahan_inc(x, &sx, &cx);
        kahan_inc(w->s[i].v, &sy, &cy);
        kahan_inc(x * w->s[i].v, &sxy, &cxy);
        kahan_inc(x * x, &sx2, &cx2);
    }
    if (const_y) {
        *slope = isinf(w->s[0].v) ? NAN : 0;
        *icept = isinf(w->s[0].v) ? NAN : w->s[0].v;
        return;
    }
    sx += cx;
    sy += cy;
    sxy += cxy;
    sx2 += cx2;
    cov = sxy - sx * sy / n;
    var = sx2 - sx * sx / n;
    *slope = cov / var;
    *icept = sy / n - *slope * sx / n;
}

/* Holt-Winters double exponential smoothing; the caller checks sf, tf. */
static double
holt_winters(const struct window *w)
{
    double sf = w->a, tf = w->b, s0 = 0, s1 = w->s[0].v;
    double b = w->s[1].v - w->s[0].v, x, y;
    size_t i;

    for (i = 1; i < w->n; i++) {
        x = sf * w->s[i].v;
        if (i > 1)
            b = tf * (s1 - s0) + (1 - tf) * b;
        y = (1 - sf) * (s1 + b);
        s0 = s1;
        s1 = x + y;
    }
    return s1;
}

static double
avg_over_time(const struct window *w)
{
    double mean = 0, count = 0, c = 0, v;
    size_t i;

    for (i = 0; i < w->n; i++) {
        v = w->s[i].v;
        count++;
        if (isinf(mean)) {
            if (isinf(v) && (mean > 0) == (v > 0))
                continue;
            if (!isinf(v) && !isnan(v))
                continue;
        }
        kahan_inc(v / count - mean / count, &mean, &c);
    }
    return isinf(mean) ? mean : mean + c;
}

static double
sum_over_time(const struct window *w)
{
    double sum = 0, c = 0;
    size_t i;

    for (i = 0; i < w->n; i++)
        kahan_inc(w->s[i].v, &sum, &c);
    return isinf(sum) ? sum : sum + c;
}

/* The variance, compensated as Prometheus 2.42 computes it. */
static double
var_over_time(const struct window *w)
{
    double count = 0, mean = 0, cm = 0, aux = 0, ca = 0, delta, v;
    size_t i;

    for (i = 0; i < w->n; i++) {
        v = w->s[i].v;
        count++;
        delta = v - (mean + cm);
        kahan_inc(delta / count, &mean, &cm);
        kahan_inc(delta * (v - (mean + cm)), &aux, &ca);
    }
    return (aux + ca) / count;
}

/* quantile_over_time sorts a copy of the window, in scratch kept by the
 * call (one window at a time). */
static double
quantile_over_time(const struct window *w)
{
    size_t i;

    for (i = 0; i < w->n; i++)
        w->scratch[i] = w->s[i].v;
    return qeval_quantile(w->a, w->scratch, w->n);
}

/*
 * One window of one series; false when the function gives no value (no
 * samples, or fewer than two for the functions that need a pair).
 */
static bool
apply(enum qfunc_id id, const struct window *w, double *out)
{
    double slope, icept;

    if (w->n == 0)
        return false;
    switch (id) {
    case QF_RATE:     return extrapolated(w, true, true, out);
    case QF_INCREASE: return extrapolated(w, true, false, out);
    case QF_DELTA:    return extrapolated(w, false, false, out);
    case QF_IRATE:    return instant_value(w, true, out);
    case QF_IDELTA:   return instant_value(w, false, out);
    case QF_DERIV:
    case QF_PREDICT_LINEAR:
        if (w->n < 2)
            return false;
        linear_regression(w, id == QF_DERIV ? w->s[0].t : w->t, &slope,
                          &icept);
        *out = id == QF_DERIV ? slope : slope * w->a + icept;
        return true;
    case QF_HOLT_WINTERS:
        if (w->n < 2)
            return false;
        *out = holt_winters(w);
        return true;
    case QF_CHANGES:
    case QF_RESETS:              *out = (double)w->counted; break;
    case QF_AVG_OVER_TIME:       *out = avg_over_time(w); break;
    case QF_SUM_OVER_TIME:       *out = sum_over_time(w); break;
    case QF_COUNT_OVER_TIME:     *out = (double)w->n; break;
    case QF_MIN_OVER_TIME:
    case QF_MAX_OVER_TIME:       *out = w->extreme; break;
    case QF_LAST_OVER_TIME:      *out = w->s[w->n - 1].v; break;
    case QF_PRESENT_OVER_TIME:   *out = 1; break;
    case QF_STDVAR_OVER_TIME:    *out = var_over_time(w); break;
    case QF_STDDEV_OVER_TIME:    *out = sqrt(var_over_time(w)); break;
    case QF_QUANTILE_OVER_TIME:  *out = quantile_over_time(w); break;
    default:                     return false;
    }
    return true;
}

/* holt_winters refuses smoothing and trend factors outside (0, 1). */
static int
check_factors(struct qev *ev, const struct qnode *n, const struct window *w)
{
    if (!(w->a > 0 && w->a < 1))
        return qeval_fail(ev, n, "invalid smoothing factor. Expected: "
                          "0 < sf < 1, got: %f", w->a);
    if (!(w->b > 0 && w->b < 1))
        return qeval_fail(ev, n, "invalid trend factor. Expected: "
                          "0 < tf < 1, got: %f", w->b);
    return 0;
}

/*
 * What changes(), resets() and rate's reset handling count, cumulatively:
 * pc[i] is the number of j <= i where s[j] differs from s[j-1] (changes;
 * two NaNs are no change) or drops below it (the others). A window's
 * count is then one subtraction.
 */
static size_t *
prefix_counts(struct qev *ev, const struct qrange *r, bool changes)
{
    size_t *pc = arena_alloc(ev->a, (r->n + 1) * sizeof(*pc)), i;
    double prev, cur;

    pc[0] = 0;
    for (i = 1; i < r->n; i++) {
        prev = r->s[i - 1].v;
        cur = r->s[i].v;
        pc[i] = pc[i - 1] + (changes ? !(cur == prev ||
                                         (isnan(cur) && isnan(prev)))
                                     : cur < prev);
    }
    return pc;
}

/*
 * min_over_time and max_over_time over sliding windows: a queue of the
 * indexes that can still be a window's extreme, best first. A sample
 * entering the window removes the queued ones it beats; among equals the
 * older stays in front, as Prometheus keeps the first of equal values
 * (-0 and +0). NaN is never queued: Prometheus's loop lets any number
 * replace a NaN, so a window is NaN only when all of it is.
 */
struct extremes {
    size_t *q;              /* malloc'd, reused from series to series */
    size_t head, tail, cap;
    bool max;
};

/* Makes room at the tail: the live part moves to the front, and the
 * array doubles only when at least half of it is live, so it stays
 * within four times the longest window, not the length of the series. */
static void
extremes_room(struct extremes *e)
{
    size_t live = e->tail - e->head;

    if (live * 2 >= e->cap) {
        e->cap = e->cap ? e->cap * 2 : 64;
        e->q = xreallocarray(e->q, e->cap, sizeof(*e->q));
    }
    memmove(e->q, e->q + e->head, live * sizeof(*e->q));
    e->head = 0;
    e->tail = live;
}

static void
extremes_enter(struct extremes *e, const struct sample *s, size_t i)
{
    double v = s[i].v;

    if (isnan(v))
        return;
    while (e->tail > e->head &&
           (e->max ? s[e->q[e->tail - 1]].v < v : s[e->q[e->tail - 1]].v > v))
        e->tail--;
    if (e->tail == e->cap)
        extremes_room(e);
    e->q[e->tail++] = i;
}

/* The extreme of the window starting at index lo. */
static double
extremes_of(struct extremes *e, const struct sample *s, size_t lo)
{
    while (e->head < e->tail && e->q[e->head] < lo)
        e->head++;
    return e->head < e->tail ? s[e->q[e->head]].v : NAN;
}

/* What every series of one call shares. */
struct call {
    const struct qnode *n, *marg;
    const struct qsteps *ts;
    struct qmat sa, sb;         /* scalar arguments */
    bool *present;              /* absent_over_time: steps with data */
    struct qmat *out;
    int64_t made;               /* points made (absent_over_time's too) */
    bool quantile;              /* quantile_over_time: needs scratch */
    size_t work;                /* samples looked at since a safe point */
    double *scratch;            /* quantile_over_time's, malloc'd */
    size_t scratch_cap;
    size_t *pc;                 /* the series' prefix counts, or NULL */
    bool extreme;               /* min/max_over_time: ex is used */
    struct extremes ex;
    struct qfold *fold;         /* the aggregation's offer, or NULL */
};

/*
 * The window w is held as Prometheus's matrixIterSlice holds it, on top
 * of what was held before the series (room is what the budget has left
 * beyond that). Also room for quantile_over_time's copy of the window,
 * and a safe point once a few thousand samples were looked at (a call
 * per window would cost more than the windows).
 */
static int
hold_window(struct qev *ev, struct call *c, struct window *w, int64_t room)
{
    if ((int64_t)w->n > room)
        return qeval_stop(ev, c->n, QEVAL_TOO_MANY_SAMPLES);
    if (c->quantile && w->n > c->scratch_cap) {
        c->scratch_cap = w->n;
        c->scratch = xreallocarray(c->scratch, c->scratch_cap,
                                   sizeof(*c->scratch));
    }
    w->scratch = c->scratch;
    c->work += w->n + 1;
    if (c->work < 4096)
        return 0;
    c->work = 0;
    return qeval_work(ev, c->n, 4096);
}

/* The labels of r's values: without the metric name, but for
 * last_over_time's. tmp holds them when they are worked out here. */
static const struct labels *
result_labels(struct qev *ev, const struct call *c, const struct qrange *r,
              struct labels *tmp)
{
    if (c->n->fn->id == QF_LAST_OVER_TIME)
        return &r->ls;
    if (r->noname != NULL)
        return r->noname;
    qlabels_drop_name(ev, &r->ls, tmp);
    return tmp;
}

/*
 * The output series of a series, found at its first value: it must be
 * its own (Prometheus's "same labelset" check over the whole result).
 * -1 when another series already gave it values.
 */
static int
output_series(struct qev *ev, struct call *c, const struct qrange *r,
              size_t *si)
{
    struct labels ls;

    if (c->n->fn->id != QF_LAST_OVER_TIME && r->noname != NULL)
        /* Worked out once per selection (query/select.c). */
        *si = qmat_series_hashed(ev, c->out, r->noname, r->noname_hash);
    else
        *si = qmat_series(ev, c->out, result_labels(ev, c, r, &ls));
    if (c->out->s[*si].n > 0)
        return qeval_fail(ev, c->n, "vector cannot contain metrics with "
                          "the same labelset");
    return 0;
}

/* The window of step i: its bounds and scalar arguments. */
static void
window_at(struct qev *ev, const struct call *c, size_t i, struct window *w)
{
    w->t = qsteps_at(c->ts, i);
    w->end = qeval_effective(ev, c->marg, w->t);
    w->start = qtime_sub(w->end, c->marg->range);
    w->a = qmat_scalar(&c->sa, i);
    w->b = qmat_scalar(&c->sb, i);
}

/*
 * Moves the window [*lo, *hi) of series r on to w's bounds, filling in
 * w. It stops filling as soon as the window would pass the budget, as
 * Prometheus stops appending to it: a window as long as the budget is
 * then the most that was taken.
 */
static int
fill_window(struct qev *ev, struct call *c, const struct qrange *r,
            struct window *w, size_t *lo, size_t *hi, int64_t room)
{
    for (; *hi < r->n && r->s[*hi].t <= w->end; (*hi)++) {
        if ((int64_t)(*hi - *lo) >= room && r->s[*hi].t >= w->start) {
            while (*lo < *hi && r->s[*lo].t < w->start)
                (*lo)++;
            if ((int64_t)(*hi - *lo) >= room)
                return qeval_stop(ev, c->n, QEVAL_TOO_MANY_SAMPLES);
        }
        if (c->extreme)
            extremes_enter(&c->ex, r->s, *hi);
    }
    while (*lo < *hi && r->s[*lo].t < w->start)
        (*lo)++;
    /* A series with no samples has no array: NULL + 0 is undefined. */
    w->s = r->n > 0 ? r->s + *lo : r->s;
    w->n = *hi - *lo;
    w->counted = c->pc != NULL && w->n > 0 ? c->pc[*hi - 1] - c->pc[*lo]
                                           : 0;
    if (c->extreme)
        w->extreme = extremes_of(&c->ex, r->s, *lo);
    return hold_window(ev, c, w, room);
}

/*
 * Slides one series' window along the steps and puts each value. The
 * window [end - range, end] is closed at both ends; both cursors only
 * move forward because window ends never decrease from step to step.
 */
static int
slide(struct qev *ev, const struct qrange *r, void *arg)
{
    struct call *c = arg;
    enum qfunc_id id = c->n->fn->id;
    size_t i, lo = 0, hi = 0, si = (size_t)-1;
    struct window w;
    struct labels ls;
    int64_t made = 0, room = ev->max - ev->held;
    double v;

    /* Values fold into the aggregation only when they could not clash
     * (query/select.c): then no series can fail the check output_series
     * makes. Every series of a selection says the same. */
    if (c->fold != NULL && !r->distinct) {
        assert(c->made == 0);
        c->fold = NULL;
    }
    c->pc = NULL;
    if (id == QF_RATE || id == QF_INCREASE || id == QF_RESETS ||
        id == QF_CHANGES)
        c->pc = prefix_counts(ev, r, id == QF_CHANGES);
    c->ex.head = c->ex.tail = 0;
    w.range_s = range_seconds(c->marg->range);
    for (i = 0; i < c->ts->n; i++) {
        window_at(ev, c, i, &w);
        if (fill_window(ev, c, r, &w, &lo, &hi, room) < 0)
            return -1;
        if (id == QF_ABSENT_OVER_TIME) {
            c->present[i] = c->present[i] || w.n > 0;
            made += w.n > 0;
            continue;
        }
        if (id == QF_HOLT_WINTERS && w.n >= 1 &&
            check_factors(ev, c->n, &w) < 0)
            return -1;
        if (!apply(id, &w, &v))
            continue;
        /* Values are counted when the series is done, as Prometheus
         * counts them. */
        if (c->fold != NULL)
            qagg_fold(ev, c->fold, r, result_labels(ev, c, r, &ls), v);
        else if ((si == (size_t)-1 && output_series(ev, c, r, &si) < 0) ||
                 qmat_put(ev, c->out, si, w.t, v, c->n) < 0)
            return -1;
        made++;
    }
    /* The series' values are held once it is done, checked while its
     * last window is still held; then the window goes. */
    c->made += made;
    if (made > 0 && (int64_t)(hi - lo) + made > room)
        return qeval_stop(ev, c->n, QEVAL_TOO_MANY_SAMPLES);
    ev->held += made;
    return 0;
}

void
qfunc_absent_labels(struct qev *ev, const struct qnode *arg,
                    struct labels *out)
{
    const struct qnode *s = qparse_unparen(arg);
    struct labels tmp;
    size_t i, j;

    out->v = NULL;
    out->n = 0;
    if (s->kind != QN_SELECTOR)
        return;
    for (i = 0; i < s->nm; i++) {
        if (strcmp(s->m[i].name, LABEL_METRIC_NAME) == 0 ||
            s->m[i].op != STORE_EQ || labels_get(out, s->m[i].name))
            continue;
        tmp = *out;
        qlabels_set(ev, &tmp, s->m[i].name, s->m[i].value, out);
    }
    /* A label matched any other way, or twice, is left out. */
    for (i = 0; i < s->nm; i++) {
        for (j = 0; j < i; j++) {
            if (strcmp(s->m[i].name, s->m[j].name) == 0 &&
                strcmp(s->m[i].name, LABEL_METRIC_NAME) != 0) {
                tmp = *out;
                qlabels_set(ev, &tmp, s->m[i].name, NULL, out);
            }
        }
        if (s->m[i].op != STORE_EQ &&
            strcmp(s->m[i].name, LABEL_METRIC_NAME) != 0) {
            tmp = *out;
            qlabels_set(ev, &tmp, s->m[i].name, NULL, out);
        }
    }
}

/* absent_over_time: 1 where no series had a sample in its window. */
__attribute__((noinline)) static int
absent_steps(struct qev *ev, const struct call *c, struct qmat *out)
{
    struct labels ls;
    size_t i;

    qfunc_absent_labels(ev, c->marg, &ls);
    for (i = 0; i < c->ts->n; i++) {
        if (!c->present[i] &&
            qmat_put(ev, out, qmat_series(ev, out, &ls),
                     qsteps_at(c->ts, i), 1, c->n) < 0)
            return -1;
    }
    return 0;
}

/*
 * A range-vector function, series by series. What stays held after it,
 * as in Prometheus, is its scalar arguments and the values it made
 * (absent_over_time's per-series values, not its answer): ev->extra.
 */
int
qfunc_range_call(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, struct qmat *out)
{
    size_t mi = n->fn->args[0] == QV_MATRIX ? 0 : 1;
    struct call c = {0};
    int rc;

    /* The offer is for this call: the arguments evaluated below do not
     * see it. absent_over_time's answer is not its values. */
    if (n->fn->id != QF_ABSENT_OVER_TIME)
        c.fold = ev->fold;
    ev->fold = NULL;
    c.n = n;
    c.marg = qparse_unparen(n->args[mi]);
    c.ts = ts;
    c.out = out;
    c.quantile = n->fn->id == QF_QUANTILE_OVER_TIME;
    c.extreme = n->fn->id == QF_MIN_OVER_TIME ||
                n->fn->id == QF_MAX_OVER_TIME;
    c.ex.max = n->fn->id == QF_MAX_OVER_TIME;
    if (n->fn->id == QF_ABSENT_OVER_TIME)
        c.present = arena_calloc(ev->a, ts->n, sizeof(bool));
    if ((n->nargs > 1 && qeval_node(ev, n->args[mi == 0 ? 1 : 0], ts,
                                    &c.sa) < 0) ||
        (n->nargs > 2 && qeval_node(ev, n->args[2], ts, &c.sb) < 0))
        return -1;
    rc = qeval_range_each(ev, c.marg, ts, slide, &c);
    free(c.scratch);
    free(c.ex.q);
    if (rc == 0 && n->fn->id == QF_ABSENT_OVER_TIME)
        rc = absent_steps(ev, &c, out);
    if (rc < 0)
        return -1;
    ev->extra = qmat_points(&c.sa) + qmat_points(&c.sb) + c.made -
                qmat_points(out);
    return 0;
}
