/*
 * Incremental range evaluation (the reasoning is in query/incr.h): how
 * far from its step each point reads, which steps of the kept result the
 * store's changes cannot reach, and the merge of the kept points with the
 * steps evaluated afresh. The evaluation itself is qeval_range_ctl's;
 * nothing here computes a point.
 */
#include "query/incr.h"

#include <stdlib.h>
#include <string.h>

#include "query/ast.h"
#include "query/eval.h"
#include "query/evalmat.h"
#include "query/parse.h"
#include "src/base/arena.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"

/* query/eval.c refuses grids of this many points or more; such a grid
 * goes to the full evaluation, which reports it. */
#define MAX_POINTS 11000

/* Where the samples a step reads lie, relative to the step. */
struct reach {
    bool data;          /* it reads samples at all */
    bool pinned;        /* an @ modifier somewhere */
    int64_t back, fwd;  /* step t reads [t - back, t + fwd] */
};

struct qincr {
    struct qresult *kept;       /* one hold on it, or NULL */
    char *text;                 /* the query it is a result of */
    const struct store *st;
    uint64_t version;           /* the store's, when it was computed */
    int64_t start, end, step;   /* its grid */
    struct reach reach;         /* of the query */
    struct qincr_stats last;
};

/* The steps kept from the old result, [lo, hi], on the new grid. */
struct plan {
    int64_t lo, hi;
};

/* The budget of one refresh, which its parts share (see the header). */
struct budget {
    struct qeval_ctl *ctl;      /* the caller's, or NULL */
    double begun;               /* time_mono_s() when the refresh began */
    int64_t kept;               /* points the refresh keeps */
};

static int64_t
sat_add(int64_t a, int64_t b)
{
    int64_t r;

    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static int64_t
sat_neg(int64_t a)
{
    return a == INT64_MIN ? INT64_MAX : -a;
}

/* Widens r to cover what x reads too. */
static void
widen(struct reach *r, const struct reach *x)
{
    r->pinned = r->pinned || x->pinned;
    if (!x->data)
        return;
    if (!r->data) {
        r->data = true;
        r->back = x->back;
        r->fwd = x->fwd;
        return;
    }
    r->back = x->back > r->back ? x->back : r->back;
    r->fwd = x->fwd > r->fwd ? x->fwd : r->fwd;
}

/* What a node reads, from its selectors and subqueries up. */
static struct reach
reach_of(const struct qnode *n)
{
    struct reach r = {0}, x;
    size_t i;

    switch (n->kind) {
    case QN_SELECTOR:
        r.data = true;
        r.pinned = n->at != QAT_NONE;
        /* An instant selector looks back 5 m, a range selector r. */
        r.back = sat_add(n->offset, n->range ? n->range : QEVAL_LOOKBACK_MS);
        r.fwd = sat_neg(n->offset);
        return r;
    case QN_SUBQUERY:
        x = reach_of(n->lhs);
        r.pinned = x.pinned || n->at != QAT_NONE;
        if (x.data) {
            r.data = true;
            r.back = sat_add(sat_add(n->offset, n->range), x.back);
            r.fwd = sat_add(sat_neg(n->offset), x.fwd);
        }
        return r;
    case QN_CALL:
        for (i = 0; i < n->nargs; i++) {
            x = reach_of(n->args[i]);
            widen(&r, &x);
        }
        return r;
    case QN_AGG:
    case QN_BINARY:
    case QN_UNARY:
    case QN_PAREN:
        if (n->param != NULL) {
            x = reach_of(n->param);
            widen(&r, &x);
        }
        if (n->lhs != NULL) {
            x = reach_of(n->lhs);
            widen(&r, &x);
        }
        if (n->rhs != NULL) {
            x = reach_of(n->rhs);
            widen(&r, &x);
        }
        return r;
    default:
        return r;   /* numbers and strings read nothing */
    }
}

struct qincr *
qincr_new(void)
{
    return xcalloc(1, sizeof(struct qincr));
}

/* Lets go of the kept result. */
static void
forget(struct qincr *s)
{
    qresult_free(s->kept);
    s->kept = NULL;
    free(s->text);
    s->text = NULL;
}

void
qincr_free(struct qincr *s)
{
    if (s == NULL)
        return;
    forget(s);
    free(s);
}

void
qincr_last(const struct qincr *s, struct qincr_stats *out)
{
    *out = s->last;
}

/* Keeps r as the result of q over the grid; returns r with a hold for
 * the caller. */
static struct qresult *
keep(struct qincr *s, struct qresult *r, const struct query *q,
     const struct store *st, int64_t start, int64_t end, int64_t step)
{
    const char *text = qparse_text(q);

    if (s->text == NULL || strcmp(s->text, text) != 0) {
        forget(s);
        s->text = xstrdup(text);
        s->reach = reach_of(qparse_root(q));
    }
    if (r != s->kept) {
        qresult_free(s->kept);
        s->kept = qresult_ref(r);
    } else {
        qresult_ref(r);
    }
    s->st = st;
    s->version = store_version(st);
    s->start = start;
    s->end = end;
    s->step = step;
    return r;
}

/*
 * Evaluates one part of a refresh (the whole grid when b->kept is 0)
 * with what is left of the refresh's time, and the samples the budget
 * leaves after the kept points.
 */
static struct qresult *
run_part(const struct budget *b, const struct query *q,
         const struct store *st, struct qcache *cache, int64_t start,
         int64_t end, int64_t step, struct diag *d)
{
    struct qeval_ctl c;
    struct qresult *r;
    int64_t spent;

    if (b->ctl == NULL) {
        qeval_ctl_init(&c);
        c.timeout_ms = 0;       /* as qeval_range_ctl takes NULL */
    } else {
        c = *b->ctl;
    }
    c.max_samples -= b->kept;
    if (c.timeout_ms > 0) {
        spent = (int64_t)((time_mono_s() - b->begun) * 1000);
        c.timeout_ms = spent < c.timeout_ms ? c.timeout_ms - spent : 1;
    }
    r = qeval_range_ctl(q, st, cache, start, end, step, &c, d);
    if (b->ctl != NULL)
        b->ctl->stopped = c.stopped;
    return r;
}

/* The whole grid, as qeval_range_ctl evaluates it. */
static struct qresult *
full(struct qincr *s, const struct query *q, const struct store *st,
     struct qcache *cache, int64_t start, int64_t end, int64_t step,
     struct budget *b, struct diag *d)
{
    struct qresult *r;

    b->kept = 0;
    r = run_part(b, q, st, cache, start, end, step, d);
    s->last.full = true;
    s->last.evaluated = s->last.steps;
    if (r == NULL) {
        forget(s);
        return NULL;
    }
    return keep(s, r, q, st, start, end, step);
}

/* Whether the new grid is the kept one's, slid by whole steps, for the
 * same query and store. */
static bool
same_lattice(const struct qincr *s, const struct query *q,
             const struct store *st, int64_t start, int64_t step)
{
    int64_t diff;

    if (s->kept == NULL || s->st != st || s->step != step ||
        strcmp(s->text, qparse_text(q)) != 0 || s->reach.pinned)
        return false;
    if (__builtin_sub_overflow(start, s->start, &diff))
        return false;
    return diff % step == 0;
}

/*
 * The run of steps of the new grid whose kept points still hold (see
 * the header); false when there is none or the store cannot say.
 */
static bool
plan_keep(const struct qincr *s, int64_t start, int64_t end, int64_t step,
          struct plan *p)
{
    struct store_changes c;
    int64_t lo = start > s->start ? start : s->start;
    int64_t hi = end < s->end ? end : s->end, t;

    if (!store_changes_since(s->st, s->version, &c))
        return false;
    if (s->reach.data && c.min_added != INT64_MAX) {
        /* Kept: t + fwd < min_added. */
        t = sat_add(sat_add(c.min_added, sat_neg(s->reach.fwd)), -1);
        hi = t < hi ? t : hi;
    }
    if (s->reach.data && c.max_dropped != INT64_MIN) {
        /* Kept: t - back > max_dropped. */
        t = sat_add(sat_add(c.max_dropped, s->reach.back), 1);
        lo = t > lo ? t : lo;
    }
    if (lo > hi)
        return false;
    /* Onto the grid: lo up, hi down (both lie within [start, end]). */
    p->lo = start + ((lo - start) / step + ((lo - start) % step != 0)) * step;
    p->hi = start + (hi - start) / step * step;
    return p->lo <= p->hi;
}

/* A cursor over one result's series, taking the points in [lo, hi]. */
struct part {
    const struct qresult *r;
    size_t i;
    int64_t lo, hi;
};

/* The points of s within [lo, hi]: the index of the first, and how
 * many. Points ascend by time. */
static size_t
within(const struct qseries *s, int64_t lo, int64_t hi, size_t *first)
{
    size_t a = 0, b = s->npoints, m, e;

    while (a < b) {
        m = a + (b - a) / 2;
        if (s->points[m].t < lo)
            a = m + 1;
        else
            b = m;
    }
    *first = a;
    for (b = s->npoints, e = a; e < b;) {
        m = e + (b - e) / 2;
        if (s->points[m].t <= hi)
            e = m + 1;
        else
            b = m;
    }
    return e - a;
}

/*
 * The smallest label set at the parts' cursors, or NULL when all are
 * done; hit[k] says whether part k's cursor is at it. Two comparisons
 * at most: the parts' series lists are each in label order.
 */
static const struct labels *
next_labels(const struct part *parts, size_t n, bool *hit)
{
    const struct labels *min = NULL, *ls;
    int c;

    for (size_t k = 0; k < n; k++) {
        hit[k] = false;
        if (parts[k].r == NULL || parts[k].i >= parts[k].r->nseries)
            continue;
        ls = &parts[k].r->series[parts[k].i].labels;
        c = min == NULL ? -1 : labels_cmp(ls, min);
        if (c < 0) {
            for (size_t j = 0; j < k; j++)
                hit[j] = false;
            min = ls;
        }
        hit[k] = c <= 0;
    }
    return min;
}

/*
 * Appends to r the series with labels ls made of the points of the
 * parts whose cursors are at it (hit; parts in time order), unless it
 * has none; moves those cursors on.
 */
static void
merge_one(struct qresult *r, struct part *parts, size_t n,
          const struct labels *ls, const bool *hit)
{
    size_t total = 0, first[3], count[3], k, at = 0;
    struct qseries *out = &r->series[r->nseries];
    const struct qseries *in;

    for (k = 0; k < n; k++) {
        count[k] = 0;
        if (hit[k]) {
            in = &parts[k].r->series[parts[k].i];
            count[k] = within(in, parts[k].lo, parts[k].hi, &first[k]);
            total += count[k];
        }
    }
    if (total > 0) {
        qlabels_copy(r->arena, ls, &out->labels);
        out->npoints = total;
        out->points = arena_alloc(r->arena, total * sizeof(*out->points));
        for (k = 0; k < n; k++) {
            in = count[k] ? &parts[k].r->series[parts[k].i] : NULL;
            if (in != NULL)
                memcpy(out->points + at, in->points + first[k],
                       count[k] * sizeof(*out->points));
            at += count[k];
        }
        r->nseries++;
    }
    for (k = 0; k < n; k++)
        parts[k].i += hit[k];
}

/*
 * The result over the new grid: the fresh points before the kept run
 * (pre), the kept points within [p->lo, p->hi], the fresh points after
 * it (post); series in label order, as qeval_range_ctl sorts them.
 */
static struct qresult *
merge(const struct qresult *pre, const struct qresult *kept,
      const struct qresult *post, const struct plan *p, int64_t end)
{
    struct part parts[3] = {
        { pre, 0, INT64_MIN, INT64_MAX },
        { kept, 0, p->lo, p->hi },
        { post, 0, INT64_MIN, INT64_MAX },
    };
    struct arena *a = arena_new();
    struct qresult *r = arena_calloc(a, 1, sizeof(*r));
    size_t cap = kept->nseries + (pre ? pre->nseries : 0) +
                 (post ? post->nseries : 0);
    const struct labels *ls;
    bool hit[3];

    r->arena = a;
    r->type = QV_MATRIX;
    r->t = end;
    r->series = arena_calloc(a, cap ? cap : 1, sizeof(*r->series));
    while ((ls = next_labels(parts, 3, hit)) != NULL)
        merge_one(r, parts, 3, ls, hit);
    return r;
}

/* Evaluates [from, to] of the grid alone; NULL (and *failed) on error,
 * NULL when the run is empty. */
static struct qresult *
evaluate_run(const struct query *q, const struct store *st,
             struct qcache *cache, int64_t from, int64_t to, int64_t step,
             const struct budget *b, struct diag *d, bool *failed)
{
    struct qresult *r;

    if (from > to || *failed)
        return NULL;
    r = run_part(b, q, st, cache, from, to, step, d);
    *failed = r == NULL;
    return r;
}

/* How many points of r lie within the kept run. */
static int64_t
kept_points(const struct qresult *r, const struct plan *p)
{
    int64_t total = 0;
    size_t first;

    for (size_t i = 0; i < r->nseries; i++)
        total += (int64_t)within(&r->series[i], p->lo, p->hi, &first);
    return total;
}

/* Whether the budget stopped the last part: its error is the refresh's. */
static bool
budget_stopped(const struct budget *b)
{
    return b->ctl != NULL && b->ctl->stopped != QEVAL_DONE;
}

struct qresult *
qincr_range(struct qincr *s, const struct query *q, const struct store *st,
            struct qcache *cache, int64_t start, int64_t end, int64_t step,
            struct qeval_ctl *ctl, struct diag *d)
{
    struct budget b = { ctl, time_mono_s(), 0 };
    struct qresult *pre, *post, *r;
    bool failed = false;
    struct plan p;

    if (ctl != NULL)
        ctl->stopped = QEVAL_DONE;
    s->last.full = false;
    s->last.steps = step > 0 && end >= start
                    ? (size_t)((end - start) / step) + 1 : 0;
    if (step <= 0 || end < start || (end - start) / step >= MAX_POINTS ||
        !same_lattice(s, q, st, start, step) ||
        !plan_keep(s, start, end, step, &p))
        return full(s, q, st, cache, start, end, step, &b, d);
    s->last.evaluated = (size_t)((p.lo - start) / step) +
                        (size_t)((end - p.hi) / step);
    /* Nothing moved and nothing reached the grid: the same result. */
    if (start == s->start && end == s->end && s->last.evaluated == 0)
        return keep(s, s->kept, q, st, start, end, step);
    /* Kept points at or past the budget: the full evaluation fails. */
    b.kept = kept_points(s->kept, &p);
    if (b.kept >= (ctl != NULL ? ctl->max_samples : QEVAL_MAX_SAMPLES))
        return full(s, q, st, cache, start, end, step, &b, d);
    pre = evaluate_run(q, st, cache, start, p.lo - step, step, &b, d,
                       &failed);
    post = evaluate_run(q, st, cache, p.hi + step, end, step, &b, d,
                        &failed);
    if (failed) {
        qresult_free(pre);
        qresult_free(post);
        /* Interrupted: the kept points are still right; asked again,
         * only the same new steps are evaluated. */
        if (budget_stopped(&b)) {
            if (ctl->stopped != QEVAL_INTERRUPTED)
                forget(s);
            return NULL;
        }
        /* The full evaluation says which error, as it would alone. */
        return full(s, q, st, cache, start, end, step, &b, d);
    }
    r = merge(pre, s->kept, post, &p, end);
    qresult_free(pre);
    qresult_free(post);
    return keep(s, r, q, st, start, end, step);
}
