/*
 * Selection, as Prometheus 2.42 selects: each series is read from the
 * store once for the whole grid and slid over (5 m lookback, staleness
 * markers, closed [T-d, T] windows, offset and @). Subqueries evaluate
 * their expression on their own grid and hand its series over as they
 * are. Times are computed with saturating arithmetic, so no @, offset or
 * range can overflow them.
 */
#include "query/select.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "query/budget.h"
#include "query/evalmat.h"
#include "query/match.h"
#include "query/parse.h"
#include "src/base/regex.h"

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
    return qtime_sub(t, n->offset);
}

/* The smallest and largest effective time of n over the grid. */
static void
effective_span(const struct qev *ev, const struct qnode *n,
               const struct qsteps *ts, int64_t *lo, int64_t *hi)
{
    *lo = qeval_effective(ev, n, qsteps_at(ts, 0));
    *hi = qeval_effective(ev, n, qsteps_at(ts, ts->n - 1));
}

/* What a series without samples points at (see struct qrange). */
static struct sample no_sample;

static int
cmp_selected(const void *a, const void *b)
{
    return labels_cmp(&((const struct qcache_series *)a)->ls,
                      &((const struct qcache_series *)b)->ls);
}

/*
 * A dashboard selects with the same selectors frame after frame: its
 * cache keeps each selection, sorted, until a series is created or gc
 * runs (query/cache.h), and the evaluation reads it there: a copy of
 * one of 36,000 series took a millisecond, once per query and part of a
 * refresh that used it. False when it holds none.
 */
static bool
kept_selection(struct qev *ev, const struct qnode *n,
               const struct qcache_series **out, size_t *count,
               bool *distinct)
{
    if (ev->cache == NULL)
        return false;
    *out = qcache_selection(ev->cache, ev->st, ev->text + n->off, n->len,
                            count, distinct);
    return *out != NULL;
}

/* Each series' labels without the metric name, and their hash, for the
 * results of range functions: once per selection kept. The name sorts
 * first in nearly every set, so the rest is the tail of its pairs. */
static void
name_dropped(struct qev *ev, struct qcache_series *sel, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct labels *ls = &sel[i].ls;

        if (ls->n > 0 && strcmp(ls->v[0].name, LABEL_METRIC_NAME) == 0)
            sel[i].noname = (struct labels){ ls->v + 1, ls->n - 1 };
        else
            qlabels_drop_name(ev, ls, &sel[i].noname);
        sel[i].noname_hash = labels_hash(&sel[i].noname);
    }
}

/*
 * Whether n's series all have one metric name (an equality matcher on
 * it), so that their labels without it are as distinct as with it: the
 * store holds one series per label set.
 */
static bool
name_pinned(const struct qnode *n)
{
    for (size_t i = 0; i < n->nm; i++)
        if (n->m[i].op == STORE_EQ &&
            strcmp(n->m[i].name, LABEL_METRIC_NAME) == 0)
            return true;
    return false;
}

/*
 * The ids and labels of the series ids[0..n) into sel: the store builds
 * the pairs (it keeps sets as string ids), all into one buffer, which
 * then goes into the query's arena in one piece.
 */
static void
selected_labels(struct qev *ev, const uint32_t *ids, size_t n,
                struct qcache_series *sel)
{
    struct label *pairs = NULL, *v;
    size_t cap = 0, len = 0;

    for (size_t i = 0; i < n; i++) {
        sel[i].id = ids[i];
        sel[i].ls.n = store_series_labels(ev->st, ids[i], &pairs, &cap,
                                          len);
        len += sel[i].ls.n;
    }
    v = arena_alloc(ev->a, (len ? len : 1) * sizeof(*v));
    if (len > 0)
        memcpy(v, pairs, len * sizeof(*v));
    free(pairs);
    for (size_t i = 0; i < n; i++) {
        sel[i].ls.v = v;
        v += sel[i].ls.n;
    }
}

/*
 * The ids of the series n selects, ascending (malloc'd, *ids NULL when
 * none): how many, or -1 when a regex matcher could not decide a match
 * on some label value. Such a selection could lack series or hold extra
 * ones, so the query fails, naming the matcher, rather than give a wrong
 * answer. The regexes look at the query's deadline and stop flag while
 * they match, so a slow one ends the query with the timeout or
 * cancellation like any other work.
 */
static ptrdiff_t
select_ids(struct qev *ev, const struct qnode *n, uint32_t **ids)
{
    struct qeval_regex_stop stop = { ev, n };
    size_t *before, nids, i;

    *ids = NULL;
    before = arena_alloc(ev->a, (n->nm + 1) * sizeof(*before));
    for (i = 0; i < n->nm; i++) {
        before[i] = qmatch_undecided(&n->m[i], 1);
        if (n->m[i].re != NULL)
            regex_set_stop(n->m[i].re, qeval_regex_stop, &stop);
    }
    nids = store_select(ev->st, n->m, n->nm, ids);
    for (i = 0; i < n->nm; i++)
        if (n->m[i].re != NULL)
            regex_set_stop(n->m[i].re, NULL, NULL);
    if (ev->ctl->stopped != QEVAL_DONE) {
        free(*ids);
        return -1;
    }
    for (i = 0; i < n->nm; i++) {
        if (qmatch_undecided(&n->m[i], 1) != before[i]) {
            free(*ids);
            return qeval_fail(ev, n, "%s%s\"%s\": %s", n->m[i].name,
                              n->m[i].op == STORE_RE ? "=~" : "!~",
                              n->m[i].value, QMATCH_UNDECIDED_MSG);
        }
    }
    return (ptrdiff_t)nids;
}

/* The cache's build calls in at the query's safe points. */
struct build_work {
    struct qev *ev;
    const struct qnode *n;
};

static int
build_work(void *ctx, size_t units)
{
    struct build_work *w = ctx;

    return qeval_work(w->ev, w->n, units);
}

/*
 * A selection built in the frame cache (query/cache.h): a query stopped
 * while it is built (a key waits) leaves it there, and takes it up where
 * it stopped when asked again. False when the cache is full.
 */
static bool
built_selection(struct qev *ev, const struct qnode *n,
                const struct qcache_series **out, size_t *count,
                bool *distinct, int *rc)
{
    struct build_work w = { ev, n };
    struct qcache_build *b;
    uint32_t *ids;
    ptrdiff_t nids;

    b = qcache_build_get(ev->cache, ev->st, ev->text + n->off, n->len);
    if (b == NULL)
        return false;
    *rc = -1;
    if (qcache_build_wants_ids(b)) {
        if ((nids = select_ids(ev, n, &ids)) < 0)
            return true;
        qcache_build_take_ids(b, ids, (size_t)nids);
    }
    *out = qcache_build_run(ev->cache, b, ev->st, build_work, &w, count,
                            distinct);
    if (*out != NULL)
        *rc = 0;
    return true;
}

/*
 * A selection the cache does not keep (there is none, or it is full),
 * in the query's arena: 0, or -1 (select_ids says when).
 */
static int
select_unkept(struct qev *ev, const struct qnode *n,
              const struct qcache_series **out, size_t *count)
{
    struct qcache_series *sel;
    uint32_t *ids;
    ptrdiff_t nids;

    if ((nids = select_ids(ev, n, &ids)) < 0)
        return -1;
    *count = (size_t)nids;
    sel = arena_alloc(ev->a, (*count ? *count : 1) * sizeof(*sel));
    selected_labels(ev, ids, *count, sel);
    free(ids);
    qsort(sel, *count, sizeof(*sel), cmp_selected);
    if (ev->cache != NULL)
        name_dropped(ev, sel, *count);
    *out = sel;
    return 0;
}

/*
 * The series n selects into *out, ordered by their labels as Prometheus's
 * storage returns them (instant results keep that order), and whether
 * their labels without the metric name are known to be distinct: 0, or
 * -1 (select_ids says when).
 */
static int
select_series(struct qev *ev, const struct qnode *n,
              const struct qcache_series **out, size_t *count,
              bool *distinct)
{
    int rc = 0;

    *distinct = false;
    if (!kept_selection(ev, n, out, count, distinct) &&
        (ev->cache == NULL ||
         !built_selection(ev, n, out, count, distinct, &rc)))
        rc = select_unkept(ev, n, out, count);
    *distinct = *distinct || name_pinned(n);
    return rc;
}
static size_t
read_series(struct qev *ev, uint32_t id, int64_t mint, int64_t maxt,
            size_t *work)
{
    size_t n;

    if (ev->cache == NULL) {
        n = store_read(ev->st, id, mint, maxt, &ev->buf, &ev->bufcap);
        *work = n;
        return n;
    }
    n = qcache_read(ev->cache, ev->st, id, mint, maxt, &ev->buf,
                    &ev->bufcap);
    *work = n + qcache_decoded(ev->cache);
    return n;
}

/* One series of an instant selector: per step its newest live sample. */
static int
select_steps(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
             size_t ns, size_t si, bool timestamps, struct qmat *out)
{
    size_t i, hi;
    int64_t t;

    for (i = 0, hi = 0; i < ts->n; i++) {
        t = qeval_effective(ev, n, qsteps_at(ts, i));
        while (hi < ns && ev->buf[hi].t <= t)
            hi++;
        /* The window is closed at both ends in 2.42: a sample exactly
         * 5 m old still counts. A marker as the newest sample ends the
         * series even if older samples are recent. */
        if (hi == 0 ||
            ev->buf[hi - 1].t < qtime_sub(t, QEVAL_LOOKBACK_MS) ||
            store_is_stale(ev->buf[hi - 1].v))
            continue;
        /* Effective times only grow with @ unset, so hi never moves
         * back; with @ set every step sees the same sample. */
        if (qmat_push(ev, out, si, qsteps_at(ts, i), timestamps ?
                      (double)ev->buf[hi - 1].t / 1000 :
                      ev->buf[hi - 1].v, n) < 0)
            return -1;
    }
    return 0;
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
    const struct qcache_series *sel;
    size_t nsel, k, ns, work;
    int64_t lo_t, hi_t;
    bool distinct;

    if (select_series(ev, n, &sel, &nsel, &distinct) < 0)
        return -1;
    effective_span(ev, n, ts, &lo_t, &hi_t);
    for (k = 0; k < nsel; k++) {
        if (qeval_check(ev, n) < 0)
            return -1;
        /* One read covers every step: from the first step's lookback
         * window to the last step. */
        ns = read_series(ev, sel[k].id, qtime_sub(lo_t, QEVAL_LOOKBACK_MS),
                         hi_t, &work);
        if (qeval_work(ev, n, work + ts->n) < 0)
            return -1;
        if (ns > 0 && select_steps(ev, n, ts, ns,
                                   qmat_series(ev, out, &sel[k].ls),
                                   timestamps, out) < 0)
            return -1;
    }
    return 0;
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
__attribute__((noinline)) static int
each_of_selector(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, qeval_range_fn fn, void *arg)
{
    const struct qcache_series *sel;
    size_t nsel, k, got, work;
    int64_t lo_t, hi_t;
    struct qrange r;

    if (select_series(ev, n, &sel, &nsel, &r.distinct) < 0)
        return -1;
    effective_span(ev, n, ts, &lo_t, &hi_t);
    for (k = 0; k < nsel; k++) {
        if (qeval_check(ev, n) < 0)
            return -1;
        got = read_series(ev, sel[k].id, qtime_sub(lo_t, n->range), hi_t,
                          &work);
        if (qeval_work(ev, n, work) < 0)
            return -1;
        r.ls = sel[k].ls;
        r.idx = k;
        r.noname = ev->cache != NULL ? &sel[k].noname : NULL;
        r.noname_hash = sel[k].noname_hash;
        /* Never NULL, so that windows may offset it even when empty. */
        r.s = ev->buf != NULL ? ev->buf : &no_sample;
        r.n = drop_markers(ev, got);
        if (fn(ev, &r, arg) < 0)
            return -1;
    }
    return 0;
}

/*
 * The first multiple of step at or after t, or false when it would pass
 * int64: subquery steps are aligned to the epoch, not to the query.
 */
static bool
align_up(int64_t t, int64_t step, int64_t *out)
{
    int64_t q = t / step;

    if (t % step != 0 && t > 0)
        q++;
    if (q > INT64_MAX / step)
        return false;
    *out = q * step;
    return true;
}

int
qeval_subquery(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
               struct qmat *out)
{
    int64_t step = n->step ? n->step : QEVAL_SUBQUERY_STEP;
    int64_t lo_t, hi_t, first;
    uint64_t span;
    struct qsteps inner;

    lo_t = qeval_effective(ev, n, ts->start);
    hi_t = qeval_effective(ev, n, ts->end);
    /* The grid covers every window [T-o-r, T-o] of the outer grid, and
     * runs on to the outer end as Prometheus's does. */
    if (!align_up(qtime_sub(lo_t, n->range), step, &first) || first > hi_t)
        return 0;
    span = (uint64_t)hi_t - (uint64_t)first;
    /* A grid with more steps than Prometheus's default budget has
     * samples is refused at once: a series in it would pass the budget,
     * and walking it empty would take until the timeout. */
    if (span / (uint64_t)step >= QEVAL_MAX_SAMPLES)
        return qeval_stop(ev, n, QEVAL_TOO_MANY_SAMPLES);
    inner.start = first;
    inner.step = step;
    inner.n = (size_t)(span / (uint64_t)step) + 1;
    inner.end = hi_t;
    return qeval_node(ev, n->lhs, &inner, out);
}

/*
 * A subquery's series go to fn as they are (its points are samples). Its
 * result stays held until the function using it is done, as in
 * Prometheus; its memory goes as soon as every series was handed over.
 */
__attribute__((noinline)) static int
each_of_subquery(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, qeval_range_fn fn, void *arg)
{
    struct qmat m = {0};
    struct qrange r;
    size_t i;
    int rc = 0;

    if (qeval_subquery(ev, n, ts, &m) < 0)
        return -1;
    for (i = 0; i < m.n && rc == 0; i++) {
        r.ls = m.s[i].ls;
        r.noname = NULL;
        r.distinct = false;
        r.idx = i;
        r.s = m.s[i].pts != NULL ? m.s[i].pts : &no_sample;
        r.n = m.s[i].n;
        if (qeval_check(ev, n) < 0 || fn(ev, &r, arg) < 0)
            rc = -1;
    }
    qmat_release(ev, &m);
    return rc;
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
