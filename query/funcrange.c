/*
 * The range-vector functions: rate, increase, delta with Prometheus's
 * extrapolation, irate, idelta, deriv, predict_linear, changes, resets,
 * holt_winters and the *_over_time family. Each series of the argument is
 * read once and two cursors slide its window [T-d, T] along the steps.
 */
#include "query/funcrange.h"

#include <math.h>
#include <string.h>

#include "query/agg.h"
#include "query/evalmat.h"
#include "query/funcall.h"
#include "query/parse.h"

/* What one window is evaluated with. */
struct window {
    const struct sample *s;
    size_t n;
    size_t resets;          /* drops between samples of the window */
    int64_t start, end;     /* the window's bounds, ms */
    double range_s;         /* end - start in seconds */
    int64_t t;              /* the step's evaluation time, ms */
    double a, b;            /* scalar arguments */
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
    for (i = 1; counter && w->resets > 0 && i < n; i++) {
        if (s[i].v < last)
            res += last;        /* a reset: add what was lost */
        last = s[i].v;
    }
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
        x = (double)(w->s[i].t - x0) / 1e3;
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

static double
min_max(const struct window *w, bool max)
{
    double m = w->s[0].v, v;
    size_t i;

    for (i = 0; i < w->n; i++) {
        v = w->s[i].v;
        if ((max ? v > m : v < m) || isnan(m))
            m = v;
    }
    return m;
}

static double
count_changes(const struct window *w, bool resets)
{
    double n = 0, prev = w->s[0].v, cur;
    size_t i;

    for (i = 1; i < w->n; i++) {
        cur = w->s[i].v;
        if (resets ? cur < prev : (cur != prev &&
                                   !(isnan(cur) && isnan(prev))))
            n++;
        prev = cur;
    }
    return n;
}

static double
quantile_over_time(struct qev *ev, const struct window *w)
{
    double *v = arena_alloc(ev->a, w->n * sizeof(*v));
    size_t i;

    for (i = 0; i < w->n; i++)
        v[i] = w->s[i].v;
    return qeval_quantile(w->a, v, w->n);
}

/*
 * One window of one series; false when the function gives no value (no
 * samples, or fewer than two for the functions that need a pair).
 */
static bool
apply(struct qev *ev, enum qfunc_id id, const struct window *w, double *out)
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
    case QF_CHANGES:             *out = count_changes(w, false); break;
    case QF_RESETS:              *out = count_changes(w, true); break;
    case QF_AVG_OVER_TIME:       *out = avg_over_time(w); break;
    case QF_SUM_OVER_TIME:       *out = sum_over_time(w); break;
    case QF_COUNT_OVER_TIME:     *out = (double)w->n; break;
    case QF_MIN_OVER_TIME:       *out = min_max(w, false); break;
    case QF_MAX_OVER_TIME:       *out = min_max(w, true); break;
    case QF_LAST_OVER_TIME:      *out = w->s[w->n - 1].v; break;
    case QF_PRESENT_OVER_TIME:   *out = 1; break;
    case QF_STDVAR_OVER_TIME:    *out = var_over_time(w); break;
    case QF_STDDEV_OVER_TIME:    *out = sqrt(var_over_time(w)); break;
    case QF_QUANTILE_OVER_TIME:  *out = quantile_over_time(ev, w); break;
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
 * Slides one series' window along the steps and pushes each value. The
 * window [end - range, end] is closed at both ends; both cursors only
 * move forward because window ends never decrease from step to step.
 */
/* What every series of one call shares. */
struct call {
    const struct qnode *n, *marg;
    const struct qsteps *ts;
    struct qmat sa, sb;         /* scalar arguments */
    bool *present;              /* absent_over_time: steps with data */
    struct qmat *out;
};

/*
 * Counts the drops of r cumulatively: rc[i] is the number of j <= i with
 * s[j] < s[j-1]. A window without one skips rate's reset loop.
 */
static size_t *
count_resets(struct qev *ev, const struct qrange *r)
{
    size_t *rc = arena_alloc(ev->a, (r->n + 1) * sizeof(*rc)), i;

    rc[0] = 0;
    for (i = 1; i < r->n; i++)
        rc[i] = rc[i - 1] + (r->s[i].v < r->s[i - 1].v);
    return rc;
}

static int
slide(struct qev *ev, const struct qrange *r, void *arg)
{
    struct call *c = arg;
    enum qfunc_id id = c->n->fn->id;
    size_t *rc = id == QF_RATE || id == QF_INCREASE ?
                 count_resets(ev, r) : NULL;
    struct window w;
    struct labels ls;
    size_t i, lo = 0, hi = 0, si = (size_t)-1;
    double v;

    w.range_s = range_seconds(c->marg->range);
    for (i = 0; i < c->ts->n; i++) {
        w.t = qsteps_at(c->ts, i);
        w.end = qeval_effective(ev, c->marg, w.t);
        w.start = w.end - c->marg->range;
        while (hi < r->n && r->s[hi].t <= w.end)
            hi++;
        while (lo < hi && r->s[lo].t < w.start)
            lo++;
        w.s = r->s + lo;
        w.n = hi - lo;
        w.resets = rc != NULL && w.n > 0 ? rc[hi - 1] - rc[lo] : 0;
        if (id == QF_ABSENT_OVER_TIME) {
            c->present[i] = c->present[i] || w.n > 0;
            continue;
        }
        w.a = qmat_scalar(&c->sa, i);
        w.b = qmat_scalar(&c->sb, i);
        if (id == QF_HOLT_WINTERS && w.n >= 1 &&
            check_factors(ev, c->n, &w) < 0)
            return -1;
        if (!apply(ev, id, &w, &v))
            continue;
        if (si == (size_t)-1) {
            if (id == QF_LAST_OVER_TIME)
                ls = r->ls;
            else
                qlabels_drop_name(ev, &r->ls, &ls);
            si = qmat_series(ev, c->out, &ls);
        }
        if (qmat_push(ev, c->out, si, w.t, v, c->n) < 0)
            return -1;
    }
    return 0;
}

int
qfunc_range_call(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, struct qmat *out)
{
    size_t mi = n->fn->args[0] == QV_MATRIX ? 0 : 1, i;
    struct call c = {0};
    struct labels ls;

    c.n = n;
    c.marg = qparse_unparen(n->args[mi]);
    c.ts = ts;
    c.out = out;
    c.present = arena_calloc(ev->a, ts->n, sizeof(bool));
    if ((n->nargs > 1 && qeval_node(ev, n->args[mi == 0 ? 1 : 0], ts,
                                    &c.sa) < 0) ||
        (n->nargs > 2 && qeval_node(ev, n->args[2], ts, &c.sb) < 0))
        return -1;
    if (qeval_range_each(ev, c.marg, ts, slide, &c) < 0)
        return -1;
    /* absent_over_time: 1 where no series had a sample in its window. */
    if (n->fn->id != QF_ABSENT_OVER_TIME)
        return 0;
    qfunc_absent_labels(ev, c.marg, &ls);
    for (i = 0; i < ts->n; i++) {
        if (!c.present[i])
            qmat_push(ev, out, qmat_series(ev, out, &ls), qsteps_at(ts, i),
                      1, n);
    }
    return 0;
}
