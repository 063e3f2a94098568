/*
 * The evaluator: walks the AST over a grid of steps (an instant query is
 * a grid of one) and keeps the query's budget as it goes (query/budget.h).
 * Step-invariant nodes (those whose answer cannot change from step to
 * step, such as anything pinned with @) are evaluated at the first step
 * and copied along the grid, as Prometheus 2.42 does. Selection is in
 * query/select.c; operators, aggregations and functions in their own
 * files.
 */
#include "query/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/agg.h"
#include "query/binop.h"
#include "query/budget.h"
#include "query/evalmat.h"
#include "query/funcall.h"
#include "query/parse.h"
#include "query/select.h"
#include "src/base/xalloc.h"

/* A scalar: one series without labels, a point at every step. */
__attribute__((noinline)) static int
eval_number(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            struct qmat *out)
{
    struct labels none = {NULL, 0};
    size_t si = qmat_series(ev, out, &none), i;

    for (i = 0; i < ts->n; i++) {
        if (qmat_push(ev, out, si, qsteps_at(ts, i), n->num, n) < 0)
            return -1;
    }
    return 0;
}

/*
 * Unary minus negates and drops the metric name; plus changes nothing.
 * Prometheus negates in place, so the operand's points stop counting as
 * this node's take their place; two series that lose their names to one
 * label set are Prometheus's error.
 */
__attribute__((noinline)) static int
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
    qeval_hold(ev, n, -qmat_points(&in));
    for (i = 0; i < in.n; i++) {
        if (in.s[i].n == 0)
            continue;
        qlabels_drop_name(ev, &in.s[i].ls, &ls);
        si = qmat_series(ev, out, &ls);
        if (out->s[si].n > 0)
            return qeval_fail(ev, n, "vector cannot contain metrics with "
                              "the same labelset");
        for (j = 0; j < in.s[i].n; j++) {
            if (qmat_push(ev, out, si, in.s[i].pts[j].t, -in.s[i].pts[j].v,
                          n) < 0)
                return -1;
        }
    }
    qmat_release(ev, &in);
    return 0;
}

/*
 * A dashboard's panels share aggregations (p50 and p95 of one histogram
 * both sum the same rates by le); with a frame cache each is evaluated
 * once per frame and grid, and later panels take its result. Their
 * results are small, so keeping them costs little. (Keeping the rates
 * under them as well cost more in copies than it saved.)
 */
__attribute__((noinline)) static int
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

static int
dispatch(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
         struct qmat *out)
{
    if (n->kind == QN_AGG && ev->cache != NULL)
        return eval_shared_agg(ev, n, ts, out);
    switch (n->kind) {
    case QN_NUMBER:   return eval_number(ev, n, ts, out);
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

/*
 * A step-invariant node over a grid of many steps: evaluated at the
 * first step, then each series' one point copied to every step. The
 * copies are held as Prometheus holds them, and counted before the
 * memory for them is taken.
 */
__attribute__((noinline)) static int
eval_invariant(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
               struct qmat *out)
{
    struct qsteps one = {ts->start, ts->step, 1, ts->start};
    struct qmat m = {0};
    size_t i, j, si;
    int64_t series, before = ev->held, extra;

    if (dispatch(ev, n, &one, &m) < 0)
        return -1;
    /* The node is done at its one step: its result stays held. */
    series = qmat_points(&m);
    extra = ev->extra;
    ev->held = before + series + extra;
    if (series > 0 && (int64_t)ts->n - 1 > (ev->max - ev->held) / series)
        return qeval_stop(ev, n, QEVAL_TOO_MANY_SAMPLES);
    qeval_hold(ev, n, series * ((int64_t)ts->n - 1));
    for (i = 0; i < m.n; i++) {
        if (m.s[i].n == 0)
            continue;
        si = qmat_series(ev, out, &m.s[i].ls);
        qmat_reserve(ev, out, si, ts->n);
        for (j = 0; j < ts->n; j++) {
            if (qmat_put(ev, out, si, qsteps_at(ts, j), m.s[i].pts[0].v,
                         n) < 0)
                return -1;
        }
        if (qeval_check(ev, n) < 0)
            return -1;
    }
    qmat_release(ev, &m);
    ev->extra = extra;
    return 0;
}

/*
 * The entry of every node: parentheses are looked through without
 * recursing, the depth is bounded, and when the node is done what it
 * held while it ran is let go: only its result stays held (plus what
 * Prometheus keeps counting past a range function, ev->extra).
 */
int
qeval_node(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
           struct qmat *out)
{
    int64_t before = ev->held;
    bool wrap = n->wrap;
    int rc;

    while (n->kind == QN_PAREN) {
        n = n->lhs;
        wrap = wrap || n->wrap;
    }
    if (qeval_check(ev, n) < 0)
        return -1;
    if (ev->depth >= QEVAL_MAX_DEPTH)
        return qeval_fail(ev, n, "expression nests too deeply (more than "
                          "%d levels)", QEVAL_MAX_DEPTH);
    ev->depth++;
    ev->extra = 0;
    if (wrap && ts->n > 1)
        rc = eval_invariant(ev, n, ts, out);
    else
        rc = dispatch(ev, n, ts, out);
    ev->depth--;
    if (rc == 0 && ev->ctl->stopped != QEVAL_DONE)
        rc = -1;
    if (rc == 0)
        ev->held = before + qmat_points(out) + ev->extra;
    ev->extra = 0;
    return rc;
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

/* Moves a matrix into a result: every series that has points. */
static void
result_series(struct qresult *r, const struct qmat *m)
{
    size_t i, j, k = 0;
    struct qseries *s;

    r->series = arena_calloc(r->arena, m->n ? m->n : 1, sizeof(*r->series));
    for (i = 0; i < m->n; i++) {
        if (m->s[i].n == 0)
            continue;
        s = &r->series[k++];
        qlabels_copy(r->arena, &m->s[i].ls, &s->labels);
        s->npoints = m->s[i].n;
        s->points = arena_alloc(r->arena, s->npoints * sizeof(*s->points));
        for (j = 0; j < s->npoints; j++) {
            s->points[j].t = m->s[i].pts[j].t;
            s->points[j].v = m->s[i].pts[j].v;
        }
    }
    r->nseries = k;
}

/* An instant query of a range selector: the raw samples of its window. */
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

/* An instant query of a range vector; a subquery's result is its own. */
static int
instant_matrix(struct qev *ev, const struct qnode *n, int64_t t,
               struct qresult *r)
{
    struct qsteps ts = {t, 1, 1, t};
    const struct qnode *u = qparse_unparen(n);
    struct window_out w = {0};

    w.n = n;
    if (u->kind == QN_SUBQUERY) {
        if (qeval_subquery(ev, u, &ts, &w.m) < 0)
            return -1;
    } else {
        w.end = qeval_effective(ev, u, t);
        w.start = qtime_sub(w.end, u->range);
        if (qeval_range_each(ev, n, &ts, add_window, &w) < 0)
            return -1;
    }
    qmat_sort(&w.m);
    result_series(r, &w.m);
    return 0;
}

static void
ev_init(struct qev *ev, const struct query *q, const struct store *st,
        struct qeval_ctl *ctl, struct diag *d)
{
    memset(ev, 0, sizeof(*ev));
    ev->st = st;
    ev->text = qparse_text(q);
    ev->a = arena_new();
    ev->d = d;
    qeval_budget_start(ev, ctl);
}

static void
ev_fini(struct qev *ev)
{
    size_t i;

    for (i = 0; i < ev->nheap; i++)
        free(ev->heap[i]);
    free(ev->heap);
    free(ev->buf);
    arena_free(ev->a);
}

void
qeval_ctl_init(struct qeval_ctl *c)
{
    memset(c, 0, sizeof(*c));
    c->max_samples = QEVAL_MAX_SAMPLES;
    c->timeout_ms = QEVAL_TIMEOUT_MS;
}

struct qresult *
qeval_instant_ctl(const struct query *q, const struct store *st, int64_t t,
                  struct qeval_ctl *ctl, struct diag *d)
{
    const struct qnode *root = qparse_root(q);
    struct qsteps ts = {t, 1, 1, t};
    struct qresult *r = new_result(root->type, t);
    struct qeval_ctl none;
    struct qmat m = {0};
    struct qev ev;
    int rc = 0;

    if (ctl == NULL) {
        qeval_ctl_init(&none);
        none.timeout_ms = 0;
        ctl = &none;
    }
    ev_init(&ev, q, st, ctl, d);
    /* For an instant query start() and end() are both the query time. */
    ev.qstart = ev.qend = t;
    if (root->type == QV_STRING) {
        r->string = arena_strdup(r->arena, qparse_unparen(root)->str);
    } else if (root->type == QV_MATRIX) {
        rc = instant_matrix(&ev, root, t, r);
    } else if ((rc = qeval_node(&ev, root, &ts, &m)) == 0) {
        if (root->type == QV_SCALAR)
            r->scalar = qmat_scalar(&m, 0);
        else
            result_series(r, &m);
    }
    ev_fini(&ev);
    if (rc < 0) {
        qresult_free(r);
        return NULL;
    }
    return r;
}

struct qresult *
qeval_instant(const struct query *q, const struct store *st, int64_t t,
              struct diag *d)
{
    return qeval_instant_ctl(q, st, t, NULL, d);
}

/* The checks Prometheus's API makes of a range query. */
static int
check_range(const struct qnode *root, int64_t start, int64_t end,
            int64_t step, struct diag *d)
{
    if (step <= 0 || end < start)
        return diag_set(d, 0, 0, 0, "invalid range query: start %lld, end "
                        "%lld, step %lld", (long long)start, (long long)end,
                        (long long)step);
    if (root->type != QV_SCALAR && root->type != QV_VECTOR)
        return diag_set(d, 1, 1, (int)root->len, "invalid expression type "
                        "\"%s\" for range query, must be Scalar or instant "
                        "Vector", qfunc_type_name(root->type));
    /* Prometheus's own ceiling: no series may have more points. */
    if (((uint64_t)end - (uint64_t)start) / (uint64_t)step >= 11000)
        return diag_set(d, 0, 0, 0, "exceeded maximum resolution of 11,000 "
                        "points per timeseries. Try decreasing the query "
                        "resolution (?step=XX)");
    return 0;
}

/* qeval_range_ctl, and with frame_only qeval_frame_at. */
static struct qresult *
eval_range(const struct query *q, const struct store *st,
           struct qcache *cache, int64_t start, int64_t end, int64_t step,
           bool frame_only, struct qeval_ctl *ctl, struct diag *d)
{
    const struct qnode *root = qparse_root(q);
    struct qeval_ctl none;
    struct qsteps ts;
    struct qresult *r;
    struct qmat m = {0};
    struct qev ev;
    int rc;

    if (check_range(root, start, end, step, d) < 0)
        return NULL;
    ts.start = start;
    ts.step = step;
    ts.n = (size_t)(((uint64_t)end - (uint64_t)start) / (uint64_t)step) + 1;
    ts.end = end;
    if (ctl == NULL) {
        qeval_ctl_init(&none);
        none.timeout_ms = 0;
        ctl = &none;
    }
    ev_init(&ev, q, st, ctl, d);
    ev.cache = cache;
    ev.frame_only = frame_only;
    ev.qstart = start;
    ev.qend = end;
    r = new_result(QV_MATRIX, end);
    if ((rc = qeval_node(&ev, root, &ts, &m)) == 0) {
        /* Range results come ordered by labels, as the HTTP API's. */
        qmat_sort(&m);
        result_series(r, &m);
    }
    ev_fini(&ev);
    if (rc < 0) {
        qresult_free(r);
        return NULL;
    }
    return r;
}

struct qresult *
qeval_range_ctl(const struct query *q, const struct store *st,
                struct qcache *cache, int64_t start, int64_t end,
                int64_t step, struct qeval_ctl *ctl, struct diag *d)
{
    return eval_range(q, st, cache, start, end, step, false, ctl, d);
}

struct qresult *
qeval_frame_at(const struct query *q, const struct store *st,
               struct qcache *cache, int64_t t, struct qeval_ctl *ctl,
               struct diag *d)
{
    /* A grid of one step reads no step (query/cache.c). */
    return eval_range(q, st, cache, t, t, 1, true, ctl, d);
}

struct qresult *
qeval_range(const struct query *q, const struct store *st, int64_t start,
            int64_t end, int64_t step, struct diag *d)
{
    return qeval_range_ctl(q, st, NULL, start, end, step, NULL, d);
}

struct qresult *
qeval_range_cached(const struct query *q, const struct store *st,
                   struct qcache *cache, int64_t start, int64_t end,
                   int64_t step, struct diag *d)
{
    return qeval_range_ctl(q, st, cache, start, end, step, NULL, d);
}
