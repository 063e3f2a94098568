/*
 * The evaluator: walks the AST over a grid of steps (an instant query is
 * a grid of one), reading each selected series from the store once for
 * the whole grid and sliding over it, as Prometheus 2.42 selects: 5 m
 * lookback, staleness markers, closed [T-d, T] windows, offset and @.
 * Operators, aggregations and functions live in their own files.
 */
#include "query/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/agg.h"
#include "query/binop.h"
#include "query/evalmat.h"
#include "query/funcall.h"
#include "query/parse.h"
#include "src/base/xalloc.h"

/*
 * @ pins a selector or subquery to one time (start() and end() being the
 * query's own range), then offset moves it back; both apply to every
 * step alike, which is why an @-pinned node is step-invariant.
 */
int64_t
qeval_effective(const struct qev *ev, const struct qnode *n, int64_t t)
{
    switch (n->at) {
    case QAT_TIME:  t = n->at_t; break;
    case QAT_START: t = ev->qstart; break;
    case QAT_END:   t = ev->qend; break;
    default:        break;
    }
    return t - n->offset;
}

/* The smallest and largest effective time of n over the grid. */
static void
effective_span(const struct qev *ev, const struct qnode *n,
               const struct qsteps *ts, int64_t *lo, int64_t *hi)
{
    *lo = qeval_effective(ev, n, qsteps_at(ts, 0));
    *hi = qeval_effective(ev, n, qsteps_at(ts, ts->n - 1));
}

/* A selected series and its labels, for sorting the selection. */
struct selected {
    uint32_t id;
    struct labels ls;
};

static int
cmp_selected(const void *a, const void *b)
{
    return labels_cmp(&((const struct selected *)a)->ls,
                      &((const struct selected *)b)->ls);
}

/*
 * The series n selects, ordered by their labels as Prometheus's storage
 * returns them (instant results keep that order).
 */
static size_t
select_series(struct qev *ev, const struct qnode *n, struct selected **out)
{
    uint32_t *ids = NULL;
    size_t nids = store_select(ev->st, n->m, n->nm, &ids), i;

    *out = arena_alloc(ev->a, (nids ? nids : 1) * sizeof(**out));
    for (i = 0; i < nids; i++) {
        (*out)[i].id = ids[i];
        store_series_labels(ev->st, ids[i], &(*out)[i].ls);
    }
    free(ids);
    qsort(*out, nids, sizeof(**out), cmp_selected);
    return nids;
}

/*
 * Reads one series' samples in [mint, maxt] into ev->buf; -1 with the
 * diag set (at n) once the evaluation has loaded too many samples.
 */
static long
read_series(struct qev *ev, const struct qnode *n, uint32_t id,
            int64_t mint, int64_t maxt)
{
    size_t got = ev->cache != NULL
                 ? qcache_read(ev->cache, ev->st, id, mint, maxt, &ev->buf,
                               &ev->bufcap)
                 : store_read(ev->st, id, mint, maxt, &ev->buf, &ev->bufcap);

    ev->loaded += got;
    if (ev->loaded > QEVAL_MAX_SAMPLES)
        return qeval_fail(ev, n, "query processing would load too many "
                          "samples into memory in query execution");
    return (long)got;
}

/*
 * An instant selector: per step, the newest sample at or before the
 * effective time, if it lies within the lookback window and is no
 * staleness marker. Each series is read once and scanned forward.
 */
int
qeval_selector(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
               bool timestamps, struct qmat *out)
{
    struct selected *sel;
    size_t nsel = select_series(ev, n, &sel), k, i, ns, hi, si;
    int64_t lo_t, hi_t, t;
    long got;
    int rc = 0;

    effective_span(ev, n, ts, &lo_t, &hi_t);
    for (k = 0; k < nsel && rc == 0; k++) {
        /* One read covers every step: from the first step's lookback
         * window to the last step. */
        got = read_series(ev, n, sel[k].id, lo_t - QEVAL_LOOKBACK_MS, hi_t);
        if (got < 0)
            return -1;
        if ((ns = (size_t)got) == 0)
            continue;
        si = qmat_series(ev, out, &sel[k].ls);
        for (i = 0, hi = 0; i < ts->n; i++) {
            t = qeval_effective(ev, n, qsteps_at(ts, i));
            while (hi < ns && ev->buf[hi].t <= t)
                hi++;
            /* The window is closed at both ends in 2.42: a sample exactly
             * 5 m old still counts. A marker as the newest sample ends
             * the series even if older samples are recent. */
            if (hi == 0 || ev->buf[hi - 1].t < t - QEVAL_LOOKBACK_MS ||
                store_is_stale(ev->buf[hi - 1].v))
                continue;
            /* Effective times only grow with @ unset, so hi never moves
             * back; with @ set every step sees the same sample. */
            rc = qmat_push(ev, out, si, qsteps_at(ts, i), timestamps ?
                           (double)ev->buf[hi - 1].t / 1000 :
                           ev->buf[hi - 1].v, n);
            if (rc < 0)
                break;
        }
    }
    return rc;
}

/* Drops staleness markers from ev->buf[0..n) in place. */
static size_t
drop_markers(struct qev *ev, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (!store_is_stale(ev->buf[i].v))
            ev->buf[k++] = ev->buf[i];
    }
    return k;
}

/*
 * A range selector streams: each series is read once, for all windows
 * [first start, last end], and handed to fn straight from the scratch
 * buffer, so no series' samples outlive its turn.
 */
static int
each_of_selector(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, qeval_range_fn fn, void *arg)
{
    struct selected *sel;
    size_t nsel = select_series(ev, n, &sel), k;
    int64_t lo_t, hi_t;
    struct qrange r;
    long got;

    effective_span(ev, n, ts, &lo_t, &hi_t);
    for (k = 0; k < nsel; k++) {
        if ((got = read_series(ev, n, sel[k].id, lo_t - n->range,
                               hi_t)) < 0)
            return -1;
        r.ls = sel[k].ls;
        r.s = ev->buf;
        r.n = drop_markers(ev, (size_t)got);
        if (fn(ev, &r, arg) < 0)
            return -1;
    }
    return 0;
}

/* Floor division for possibly negative times. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/*
 * A subquery: its expression evaluated on the absolute multiples of its
 * step that cover every window [T-o-r, T-o] of the outer grid.
 */
static int
each_of_subquery(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, qeval_range_fn fn, void *arg)
{
    int64_t step = n->step ? n->step : QEVAL_SUBQUERY_STEP;
    int64_t lo_t, hi_t, first;
    struct qsteps inner;
    struct qmat m = {0};
    struct qrange r;
    size_t i, j;

    effective_span(ev, n, ts, &lo_t, &hi_t);
    /* The first multiple of step at or after the earliest window start:
     * subquery steps are aligned to the epoch, not to the query. */
    first = -floor_div(-(lo_t - n->range), step) * step;
    if (first > hi_t)
        return 0;
    inner.start = first;
    inner.step = step;
    if ((hi_t - first) / step >= QEVAL_MAX_SAMPLES)
        return qeval_fail(ev, n, "query processing would load too many "
                          "samples into memory in query execution");
    inner.n = (size_t)((hi_t - first) / step) + 1;
    if (qeval_node(ev, n->lhs, &inner, &m) < 0)
        return -1;
    for (i = 0; i < m.n; i++) {
        r.ls = m.s[i].ls;
        r.s = arena_alloc(ev->a, (m.s[i].n + 1) * sizeof(struct sample));
        for (j = 0; j < m.s[i].n; j++) {
            r.s[j].t = m.s[i].pts[j].t;
            r.s[j].v = m.s[i].pts[j].v;
        }
        r.n = m.s[i].n;
        if (fn(ev, &r, arg) < 0)
            return -1;
    }
    return 0;
}

int
qeval_range_each(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, qeval_range_fn fn, void *arg)
{
    n = qparse_unparen(n);
    if (n->kind == QN_SUBQUERY)
        return each_of_subquery(ev, n, ts, fn, arg);
    return each_of_selector(ev, n, ts, fn, arg);
}

/* A scalar: one series without labels, a point at every step. */
static int
eval_number(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            struct qmat *out)
{
    struct labels none = {NULL, 0};
    size_t si = qmat_series(ev, out, &none), i;

    for (i = 0; i < ts->n; i++)
        qmat_push(ev, out, si, qsteps_at(ts, i), n->num, n);
    return 0;
}

/* Unary minus negates and drops the metric name; plus changes nothing. */
static int
eval_unary(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
           struct qmat *out)
{
    struct qmat in = {0};
    struct labels ls;
    size_t i, j, si;

    if (qeval_node(ev, n->lhs, ts, &in) < 0)
        return -1;
    if (n->op == QT_ADD) {
        *out = in;
        return 0;
    }
    for (i = 0; i < in.n; i++) {
        qlabels_drop_name(ev, &in.s[i].ls, &ls);
        si = qmat_series(ev, out, &ls);
        for (j = 0; j < in.s[i].n; j++) {
            if (qmat_push(ev, out, si, in.s[i].pts[j].t, -in.s[i].pts[j].v,
                          n) < 0)
                return -1;
        }
    }
    return 0;
}

/*
 * A dashboard's panels share aggregations (p50 and p95 of one histogram
 * both sum the same rates by le); with a frame cache each is evaluated
 * once per frame and grid, and later panels take its result. Their
 * results are small, so keeping them costs little. (Keeping the rates
 * under them as well cost more in copies than it saved.)
 */
static int
eval_shared_agg(struct qev *ev, const struct qnode *n,
                const struct qsteps *ts, struct qmat *out)
{
    if (qcache_result(ev, n, ts, out))
        return 0;
    if (qeval_agg(ev, n, ts, out) < 0)
        return -1;
    qcache_keep(ev, n, ts, out);
    return 0;
}

int
qeval_node(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
           struct qmat *out)
{
    if (n->kind == QN_AGG && ev->cache != NULL)
        return eval_shared_agg(ev, n, ts, out);
    switch (n->kind) {
    case QN_NUMBER:   return eval_number(ev, n, ts, out);
    case QN_PAREN:    return qeval_node(ev, n->lhs, ts, out);
    case QN_SELECTOR: return qeval_selector(ev, n, ts, false, out);
    case QN_UNARY:    return eval_unary(ev, n, ts, out);
    case QN_BINARY:   return qeval_binary(ev, n, ts, out);
    case QN_AGG:      return qeval_agg(ev, n, ts, out);
    case QN_CALL:     return qfunc_call(ev, n, ts, out);
    default:
        return qeval_fail(ev, n, "unexpected %s in evaluation",
                          qfunc_type_name(n->type));
    }
}

/* A result and its arena, the result struct itself allocated in it. */
static struct qresult *
new_result(enum qvalue_type type, int64_t t)
{
    struct arena *a = arena_new();
    struct qresult *r = arena_calloc(a, 1, sizeof(*r));

    r->arena = a;
    r->type = type;
    r->t = t;
    return r;
}

/* Moves a matrix into a result: every series with its points. */
static void
result_series(struct qresult *r, const struct qmat *m, bool keep_empty)
{
    size_t i, k = 0;
    struct qseries *s;

    r->series = arena_calloc(r->arena, m->n ? m->n : 1, sizeof(*r->series));
    for (i = 0; i < m->n; i++) {
        if (m->s[i].n == 0 && !keep_empty)
            continue;
        s = &r->series[k++];
        qlabels_copy(r->arena, &m->s[i].ls, &s->labels);
        s->npoints = m->s[i].n;
        s->points = arena_alloc(r->arena, (s->npoints ? s->npoints : 1) *
                                sizeof(*s->points));
        if (s->npoints)
            memcpy(s->points, m->s[i].pts, s->npoints * sizeof(*s->points));
    }
    r->nseries = k;
}

/* An instant query of a range vector: the raw samples of its window. */
struct window_out {
    const struct qnode *n;
    int64_t start, end;
    struct qmat m;
};

static int
add_window(struct qev *ev, const struct qrange *r, void *arg)
{
    struct window_out *w = arg;
    size_t si = qmat_series(ev, &w->m, &r->ls), j;

    for (j = 0; j < r->n; j++) {
        if (r->s[j].t >= w->start && r->s[j].t <= w->end &&
            qmat_push(ev, &w->m, si, r->s[j].t, r->s[j].v, w->n) < 0)
            return -1;
    }
    return 0;
}

static int
instant_matrix(struct qev *ev, const struct qnode *n, int64_t t,
               struct qresult *r)
{
    struct qsteps ts = {t, 1, 1};
    const struct qnode *u = qparse_unparen(n);
    struct window_out w = {0};

    w.n = n;
    w.end = qeval_effective(ev, u, t);
    w.start = w.end - u->range;
    if (qeval_range_each(ev, n, &ts, add_window, &w) < 0)
        return -1;
    qmat_sort(&w.m);
    result_series(r, &w.m, false);
    return 0;
}

static void
ev_init(struct qev *ev, const struct store *st, struct diag *d,
        int64_t start, int64_t end)
{
    memset(ev, 0, sizeof(*ev));
    ev->st = st;
    ev->a = arena_new();
    ev->d = d;
    ev->qstart = start;
    ev->qend = end;
}

static void
ev_fini(struct qev *ev)
{
    free(ev->buf);
    arena_free(ev->a);
}

struct qresult *
qeval_instant(const struct query *q, const struct store *st, int64_t t,
              struct diag *d)
{
    const struct qnode *root = qparse_root(q);
    struct qsteps ts = {t, 1, 1};
    struct qresult *r = new_result(root->type, t);
    struct qmat m = {0};
    struct qev ev;
    int rc = 0;

    /* For an instant query start() and end() are both the query time. */
    ev_init(&ev, st, d, t, t);
    if (root->type == QV_STRING) {
        r->string = arena_strdup(r->arena, qparse_unparen(root)->str);
    } else if (root->type == QV_MATRIX) {
        rc = instant_matrix(&ev, root, t, r);
    } else if ((rc = qeval_node(&ev, root, &ts, &m)) == 0) {
        if (root->type == QV_SCALAR)
            r->scalar = qmat_scalar(&m, 0);
        else
            result_series(r, &m, false);
    }
    ev_fini(&ev);
    if (rc < 0) {
        qresult_free(r);
        return NULL;
    }
    return r;
}

struct qresult *
qeval_range(const struct query *q, const struct store *st, int64_t start,
            int64_t end, int64_t step, struct diag *d)
{
    return qeval_range_cached(q, st, NULL, start, end, step, d);
}

struct qresult *
qeval_range_cached(const struct query *q, const struct store *st,
                   struct qcache *cache, int64_t start, int64_t end,
                   int64_t step, struct diag *d)
{
    const struct qnode *root = qparse_root(q);
    struct qsteps ts;
    struct qresult *r;
    struct qmat m = {0};
    struct qev ev;
    int rc;

    if (step <= 0 || end < start) {
        diag_set(d, 0, 0, 0, "invalid range query: start %lld, end %lld, "
                 "step %lld", (long long)start, (long long)end,
                 (long long)step);
        return NULL;
    }
    if (root->type != QV_SCALAR && root->type != QV_VECTOR) {
        diag_set(d, 1, 1, (int)root->len, "invalid expression type \"%s\" "
                 "for range query, must be Scalar or instant Vector",
                 qfunc_type_name(root->type));
        return NULL;
    }
    /* Prometheus's own ceiling: no series may have more points. */
    if ((end - start) / step >= 11000) {
        diag_set(d, 0, 0, 0, "exceeded maximum resolution of 11,000 points "
                 "per timeseries. Try decreasing the query resolution "
                 "(?step=XX)");
        return NULL;
    }
    ts.start = start;
    ts.step = step;
    ts.n = (size_t)((end - start) / step) + 1;
    ev_init(&ev, st, d, start, end);
    ev.cache = cache;
    ev.text = qparse_text(q);
    r = new_result(QV_MATRIX, end);
    if ((rc = qeval_node(&ev, root, &ts, &m)) == 0) {
        /* Range results come ordered by labels, as the HTTP API's. */
        qmat_sort(&m);
        result_series(r, &m, false);
    }
    ev_fini(&ev);
    if (rc < 0) {
        qresult_free(r);
        return NULL;
    }
    return r;
}
