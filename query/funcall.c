/*
 * The instant-vector functions and the call dispatcher. Each walks its
 * argument step by step, reading the step back out of the argument
 * matrix as Prometheus's rangeEval does, and holds the step's samples
 * while it makes the step's outputs (query/budget.h). Range-vector
 * functions are in query/funcrange.c.
 */
#include "query/funcall.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/agg.h"
#include "query/budget.h"
#include "query/evalmat.h"
#include "query/funcrange.h"
#include "query/match.h"
#include "query/parse.h"
#include "query/select.h"
#include "src/base/buf.h"
#include "src/base/regex.h"

/* Evaluates the scalar argument i of n, or leaves m empty. */
static int
scalar_arg(struct qev *ev, const struct qnode *n, size_t i,
           const struct qsteps *ts, struct qmat *m)
{
    if (i < n->nargs)
        return qeval_node(ev, n->args[i], ts, m);
    return 0;
}

static double
arg_at(const struct qmat *m, size_t i, double dflt)
{
    return m->n ? qmat_scalar(m, i) : dflt;
}

/* What an element-wise function makes of one sample at step i; false
 * when it makes nothing. */
typedef bool (*elem_fn)(const struct qnode *n, const struct qelem *e,
                        int64_t t, size_t i, void *arg, double *out);

/*
 * Walks in step by step, as Prometheus's rangeEval does: each step's
 * samples (and nscalar scalar arguments) are held while its outputs are
 * made, and each sample's output goes to series map[its series] of out,
 * so two inputs that map to one label set at one step are caught.
 */
__attribute__((noinline)) static int
each_step(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
          const struct qmat *in, const size_t *map, int nscalar, elem_fn fn,
          void *arg, struct qmat *out)
{
    size_t *cur = arena_calloc(ev->a, in->n + 1, sizeof(*cur)), i, j;
    struct qvec v = {0};
    int64_t t;
    double val;

    for (i = 0; i < ts->n; i++) {
        t = qsteps_at(ts, i);
        qmat_at(ev, in, cur, t, &v);
        if (qeval_step_begin(ev, n, (int64_t)v.n + nscalar) < 0)
            return -1;
        for (j = 0; j < v.n; j++) {
            if (fn(n, &v.e[j], t, i, arg, &val) &&
                qmat_push(ev, out, map[v.e[j].src], t, val, n) < 0)
                return -1;
        }
        qeval_step_end(ev);
    }
    return 0;
}

/* Each series of in without its metric name, as a series of out. */
static size_t *
map_dropping_name(struct qev *ev, const struct qmat *in, struct qmat *out)
{
    size_t *map = arena_alloc(ev->a, (in->n + 1) * sizeof(*map)), i;
    struct labels ls;

    for (i = 0; i < in->n; i++) {
        qlabels_drop_name(ev, &in->s[i].ls, &ls);
        map[i] = qmat_series(ev, out, &ls);
    }
    return map;
}

/* The scalar arguments of a math function. */
struct math_args {
    struct qmat a, b;
};

static bool
math_value(const struct qnode *n, const struct qelem *e, int64_t t,
           size_t i, void *arg, double *out)
{
    struct math_args *m = arg;
    double x = arg_at(&m->a, i, 1), y = arg_at(&m->b, i, 0);

    (void)t;
    /* clamp with max below min gives an empty vector. */
    if (n->fn->id == QF_CLAMP && y < x)
        return false;
    *out = qfunc_math(n->fn->id, e->v, x, y);
    return true;
}

/* abs ... year over a vector argument: values mapped, name dropped. */
__attribute__((noinline)) static int
call_math(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
          struct qmat *out)
{
    struct qmat in = {0};
    struct math_args m = {{0}, {0}};

    if (qeval_node(ev, n->args[0], ts, &in) < 0 ||
        scalar_arg(ev, n, 1, ts, &m.a) < 0 ||
        scalar_arg(ev, n, 2, ts, &m.b) < 0 ||
        each_step(ev, n, ts, &in, map_dropping_name(ev, &in, out),
                  (int)n->nargs - 1, math_value, &m, out) < 0)
        return -1;
    qmat_release(ev, &in);
    qmat_release(ev, &m.a);
    qmat_release(ev, &m.b);
    return 0;
}

/* One series without labels and a value at every step. */
__attribute__((noinline)) static int
constant_series(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
                const struct qmat *src, struct qmat *out)
{
    struct labels none = {NULL, 0};
    size_t si = qmat_series(ev, out, &none), i;
    double v;

    for (i = 0; i < ts->n; i++) {
        switch (n->fn->id) {
        case QF_PI:     v = M_PI; break;
        case QF_VECTOR: v = qmat_scalar(src, i); break;
        case QF_TIME:   v = (double)qsteps_at(ts, i) / 1000; break;
        default:
            v = qfunc_math(n->fn->id, (double)qsteps_at(ts, i) / 1000, 0, 0);
            break;
        }
        /* vector(s) takes s's one sample a step; the others nothing. */
        if (qeval_step_begin(ev, n, src != NULL) < 0 ||
            qmat_push(ev, out, si, qsteps_at(ts, i), v, n) < 0)
            return -1;
        qeval_step_end(ev);
    }
    return 0;
}

/* scalar(): the only element's value, else NaN. */
__attribute__((noinline)) static int
call_scalar(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            struct qmat *out)
{
    struct qmat in = {0};
    struct labels none = {NULL, 0};
    struct qvec v = {0};
    size_t *cur, i, si;

    if (qeval_node(ev, n->args[0], ts, &in) < 0)
        return -1;
    cur = arena_calloc(ev->a, in.n + 1, sizeof(*cur));
    si = qmat_series(ev, out, &none);
    for (i = 0; i < ts->n; i++) {
        qmat_at(ev, &in, cur, qsteps_at(ts, i), &v);
        if (qeval_step_begin(ev, n, (int64_t)v.n) < 0 ||
            qmat_push(ev, out, si, qsteps_at(ts, i),
                      v.n == 1 ? v.e[0].v : NAN, n) < 0)
            return -1;
        qeval_step_end(ev);
    }
    qmat_release(ev, &in);
    return 0;
}

/* absent(): 1 at the steps where the argument has no element. */
__attribute__((noinline)) static int
call_absent(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            struct qmat *out)
{
    struct qmat in = {0};
    struct labels ls;
    struct qvec v = {0};
    size_t *cur, i;

    if (qeval_node(ev, n->args[0], ts, &in) < 0)
        return -1;
    qfunc_absent_labels(ev, n->args[0], &ls);
    cur = arena_calloc(ev->a, in.n + 1, sizeof(*cur));
    for (i = 0; i < ts->n; i++) {
        qmat_at(ev, &in, cur, qsteps_at(ts, i), &v);
        if (qeval_step_begin(ev, n, (int64_t)v.n) < 0)
            return -1;
        if (v.n == 0 && qmat_push(ev, out, qmat_series(ev, out, &ls),
                                  qsteps_at(ts, i), 1, n) < 0)
            return -1;
        qeval_step_end(ev);
    }
    qmat_release(ev, &in);
    return 0;
}

/* sort ascending, sort_desc descending, NaN last in both. */
static int
cmp_nan_last(double x, double y, bool desc)
{
    if (isnan(x) || isnan(y))
        return isnan(x) ? (isnan(y) ? 0 : 1) : -1;
    if (x == y)
        return 0;
    return (x < y) != desc ? -1 : 1;
}

static int
cmp_asc(const void *a, const void *b)
{
    return cmp_nan_last(((const struct qelem *)a)->v,
                        ((const struct qelem *)b)->v, false);
}

static int
cmp_desc(const void *a, const void *b)
{
    return cmp_nan_last(((const struct qelem *)a)->v,
                        ((const struct qelem *)b)->v, true);
}

__attribute__((noinline)) static int
call_sort(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
          struct qmat *out)
{
    struct qmat in = {0};
    struct qvec v = {0};
    size_t *cur, i, j;

    if (qeval_node(ev, n->args[0], ts, &in) < 0)
        return -1;
    cur = arena_calloc(ev->a, in.n + 1, sizeof(*cur));
    for (i = 0; i < ts->n; i++) {
        qmat_at(ev, &in, cur, qsteps_at(ts, i), &v);
        if (qeval_step_begin(ev, n, (int64_t)v.n) < 0)
            return -1;
        qsort(v.e, v.n, sizeof(*v.e),
              n->fn->id == QF_SORT_DESC ? cmp_desc : cmp_asc);
        for (j = 0; j < v.n; j++) {
            if (qmat_push(ev, out, qmat_series(ev, out, v.e[j].ls),
                          qsteps_at(ts, i), v.e[j].v, n) < 0)
                return -1;
        }
        qeval_step_end(ev);
    }
    qmat_release(ev, &in);
    return 0;
}

static bool
timestamp_value(const struct qnode *n, const struct qelem *e, int64_t t,
                size_t i, void *arg, double *out)
{
    bool *sel = arg;

    (void)n;
    (void)i;
    *out = *sel ? e->v : (double)t / 1000;
    return true;
}

/*
 * timestamp(): of a plain selector, the time of each sample it picked;
 * of anything else, the evaluation time (as Prometheus 2.42 does). The
 * selector is read step by step in Prometheus, so its samples are held
 * only as each step's inputs.
 */
__attribute__((noinline)) static int
call_timestamp(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
               struct qmat *out)
{
    const struct qnode *arg = qparse_unparen(n->args[0]);
    struct qmat in = {0};
    bool sel = arg->kind == QN_SELECTOR;
    int rc;

    rc = sel ? qeval_selector(ev, arg, ts, true, &in)
             : qeval_node(ev, n->args[0], ts, &in);
    if (rc < 0)
        return -1;
    if (sel)
        qeval_hold(ev, n, -qmat_points(&in));
    if (each_step(ev, n, ts, &in, map_dropping_name(ev, &in, out), 0,
                  timestamp_value, &sel, out) < 0)
        return -1;
    qmat_release(ev, &in);
    return 0;
}

static bool
valid_label_name(const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++) {
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') ||
              (i > 0 && s[i] >= '0' && s[i] <= '9')))
            return false;
    }
    return i > 0;
}

static const char *
str_arg(const struct qnode *n, size_t i)
{
    return qparse_unparen(n->args[i])->str;
}

/*
 * The label set one series gets from label_replace (re) or label_join
 * (re NULL): ls itself when the regex does not match. -1 when the regex
 * could not decide the match or its groups (an answer either way could
 * be wrong), when the value would pass QEVAL_MAX_LABEL_VALUE, or when
 * the values built by the query would take more memory than its sample
 * budget stands for (16 bytes a sample): bounds of promdeck's,
 * Prometheus has none.
 */
__attribute__((noinline)) static int
relabel_one(struct qev *ev, const struct qnode *n, struct regex *re,
            const struct labels *ls, struct buf *b, struct labels *out)
{
    const char *v;
    size_t k;
    int rc = 0;

    buf_reset(b);
    *out = *ls;
    if (re != NULL) {
        v = labels_get(ls, str_arg(n, 3));
        v = v ? v : "";
        if ((rc = labels_regex_expand(re, v, str_arg(n, 2), b)) == 0)
            return 0;
    } else {
        for (k = 3; k < n->nargs && rc == 0; k++) {
            v = labels_get(ls, str_arg(n, k));
            if (k > 3)
                rc = buf_puts(b, str_arg(n, 2));
            if (rc == 0)
                rc = buf_puts(b, v ? v : "");
        }
    }
    if (rc < 0 && re != NULL && regex_error(re) != NULL)
        return qeval_fail(ev, n, "label_replace(): %s=~\"%s\": %s",
                          str_arg(n, 3), str_arg(n, 4), QMATCH_UNDECIDED_MSG);
    if (rc < 0)
        return qeval_fail(ev, n, "%s(): label value too long (more than %d "
                          "bytes)", n->fn->name, QEVAL_MAX_LABEL_VALUE);
    ev->label_bytes += (int64_t)b->len;
    if (ev->label_bytes / (int64_t)sizeof(struct sample) > ev->max)
        return qeval_fail(ev, n, "%s(): the label values built would take "
                          "more than %lld bytes", n->fn->name,
                          (long long)ev->max * (long long)sizeof(
                              struct sample));
    qlabels_set(ev, ls, str_arg(n, 1), arena_strdup(ev->a, buf_str(b)),
                out);
    return 0;
}

static bool
same_value(const struct qnode *n, const struct qelem *e, int64_t t,
           size_t i, void *arg, double *out)
{
    (void)n;
    (void)t;
    (void)i;
    (void)arg;
    *out = e->v;
    return true;
}

/*
 * Re-labels every series of the first argument: with re, label_replace
 * (only when the regex matches the whole source value); without,
 * label_join. The metric name stays. Two series that end up with one
 * label set at one step are caught by qmat_push.
 */
__attribute__((noinline)) static int
relabel_all(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            struct qmat *out, struct regex *re)
{
    struct qmat in = {0};
    struct labels ls;
    struct buf b;
    size_t i, *map;
    int rc = 0;

    if (qeval_node(ev, n->args[0], ts, &in) < 0)
        return -1;
    map = arena_alloc(ev->a, (in.n + 1) * sizeof(*map));
    buf_init(&b, QEVAL_MAX_LABEL_VALUE);
    for (i = 0; i < in.n && rc == 0; i++) {
        if ((rc = relabel_one(ev, n, re, &in.s[i].ls, &b, &ls)) == 0)
            map[i] = qmat_series(ev, out, &ls);
    }
    buf_fini(&b);
    if (rc < 0 || each_step(ev, n, ts, &in, map, 0, same_value, NULL,
                            out) < 0)
        return -1;
    qmat_release(ev, &in);
    return 0;
}

__attribute__((noinline)) static int
call_label(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
           struct qmat *out)
{
    const char *fname = n->fn->name;
    struct regex *re = NULL;
    struct diag *rd;
    size_t k;
    int rc;

    if (!valid_label_name(str_arg(n, 1)))
        return qeval_fail(ev, n->args[1], "invalid destination label name "
                          "in %s(): %s", fname, str_arg(n, 1));
    if (n->fn->id == QF_LABEL_REPLACE) {
        /* Not on the stack: this frame is on the path of nested
         * label_replace calls, and a diag is most of a kilobyte. */
        rd = arena_alloc(ev->a, sizeof(*rd));
        diag_clear(rd);
        if ((re = regex_new(str_arg(n, 4), rd)) == NULL)
            return qeval_fail(ev, n->args[4], "invalid regular expression "
                              "in label_replace(): %s", rd->msg);
    }
    for (k = 3; re == NULL && k < n->nargs; k++) {
        if (!valid_label_name(str_arg(n, k)))
            return qeval_fail(ev, n->args[k], "invalid source label name "
                              "in label_join(): %s", str_arg(n, k));
    }
    rc = relabel_all(ev, n, ts, out, re);
    regex_free(re);
    return rc;
}

struct bucket {
    double upper, count;
};

static int
cmp_bucket(const void *a, const void *b)
{
    double x = ((const struct bucket *)a)->upper;
    double y = ((const struct bucket *)b)->upper;

    return x < y ? -1 : x > y;
}

/*
 * Prometheus's bucketQuantile over classic cumulative buckets: the
 * +Inf bucket is required, equal bounds are merged, counts are forced
 * monotonic (float noise in rates can break that), and the rank is
 * interpolated linearly inside its bucket; the lowest bucket starts at
 * 0 unless its bound is not positive.
 */
static double
bucket_quantile(double q, struct bucket *b, size_t n)
{
    size_t i, k = 0, idx;
    double max, rank, start = 0, count;

    if (isnan(q))
        return NAN;
    if (q < 0 || q > 1)
        return q < 0 ? -INFINITY : INFINITY;
    qsort(b, n, sizeof(*b), cmp_bucket);
    if (!(isinf(b[n - 1].upper) && b[n - 1].upper > 0))
        return NAN;
    for (i = 1; i < n; i++) {       /* merge equal bounds */
        if (b[i].upper == b[k].upper)
            b[k].count += b[i].count;
        else
            b[++k] = b[i];
    }
    n = k + 1;
    for (i = 1, max = b[0].count; i < n; i++) {     /* force monotony */
        if (b[i].count > max)
            max = b[i].count;
        else if (b[i].count < max)
            b[i].count = max;
    }
    if (n < 2 || b[n - 1].count == 0)
        return NAN;
    rank = q * b[n - 1].count;
    for (idx = 0; idx < n - 1 && !(b[idx].count >= rank); idx++)
        ;
    if (idx == n - 1)
        return b[n - 2].upper;
    if (idx == 0 && b[0].upper <= 0)
        return b[0].upper;
    count = b[idx].count;
    if (idx > 0) {
        start = b[idx - 1].upper;
        count -= b[idx - 1].count;
        rank -= b[idx - 1].count;
    }
    return start + (b[idx].upper - start) * (rank / count);
}

/*
 * The buckets of histogram_quantile, worked out once per input series:
 * its upper bound (NaN when le is missing or no number) and its group,
 * the series' labels without le.
 */
struct hplan {
    double *upper;
    size_t *gid;
    struct labels *gls;     /* per group: output labels, name dropped */
    size_t ngroups;
    struct bucket *b;       /* scratch: one step's buckets by group */
    size_t *nb;
    size_t *start;          /* scratch: where each group's buckets start */
};

__attribute__((noinline)) static void
histogram_plan(struct qev *ev, const struct qmat *in, struct hplan *p)
{
    static const char *const le[] = {"le"};
    static const struct qlabel_list le_list = {(const char **)le, 1};
    struct qmat keys = {0};
    struct labels sig;
    const char *s;
    char *end;
    size_t i;

    p->upper = arena_alloc(ev->a, (in->n + 1) * sizeof(*p->upper));
    p->gid = arena_alloc(ev->a, (in->n + 1) * sizeof(*p->gid));
    for (i = 0; i < in->n; i++) {
        s = labels_get(&in->s[i].ls, "le");
        p->upper[i] = s ? strtod(s, &end) : NAN;
        if (s == NULL || end == s || *end != '\0')
            p->upper[i] = NAN;
        qlabels_filter(ev, &in->s[i].ls, &le_list, false, false, &sig);
        p->gid[i] = qmat_series(ev, &keys, &sig);
    }
    p->ngroups = keys.n;
    p->gls = arena_alloc(ev->a, (keys.n + 1) * sizeof(*p->gls));
    for (i = 0; i < keys.n; i++)
        qlabels_drop_name(ev, &keys.s[i].ls, &p->gls[i]);
    p->b = arena_alloc(ev->a, (in->n + 1) * sizeof(*p->b));
    p->nb = arena_alloc(ev->a, (keys.n + 1) * sizeof(*p->nb));
    p->start = arena_alloc(ev->a, (keys.n + 1) * sizeof(*p->start));
}

/* One step: each group's buckets into bucket_quantile. */
__attribute__((noinline)) static int
histogram_step(struct qev *ev, const struct qnode *n, const struct qvec *v,
               struct hplan *p, double q, int64_t t, struct qmat *out)
{
    size_t i, g, k, *start;

    /* Counting sort of the step's buckets by group, in first-seen order
     * of groups as the input has them. */
    start = p->start;
    memset(start, 0, (p->ngroups + 1) * sizeof(*start));
    memset(p->nb, 0, p->ngroups * sizeof(*p->nb));
    for (i = 0; i < v->n; i++) {
        if (!isnan(p->upper[v->e[i].src]))
            p->nb[p->gid[v->e[i].src]]++;
    }
    for (g = 1; g <= p->ngroups; g++)
        start[g] = start[g - 1] + p->nb[g - 1];
    memset(p->nb, 0, p->ngroups * sizeof(*p->nb));
    for (i = 0; i < v->n; i++) {
        k = v->e[i].src;
        if (isnan(p->upper[k]))
            continue;
        g = p->gid[k];
        p->b[start[g] + p->nb[g]].upper = p->upper[k];
        p->b[start[g] + p->nb[g]++].count = v->e[i].v;
    }
    for (g = 0; g < p->ngroups; g++) {
        if (p->nb[g] == 0)
            continue;
        if (qmat_push(ev, out, qmat_series(ev, out, &p->gls[g]), t,
                      bucket_quantile(q, p->b + start[g], p->nb[g]), n) < 0)
            return -1;
    }
    return 0;
}

__attribute__((noinline)) static int
call_histogram(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
               struct qmat *out)
{
    struct qmat qm = {0}, in = {0};
    struct qvec v = {0};
    struct hplan plan;
    size_t *cur, i;

    if (qeval_node(ev, n->args[0], ts, &qm) < 0 ||
        qeval_node(ev, n->args[1], ts, &in) < 0)
        return -1;
    histogram_plan(ev, &in, &plan);
    cur = arena_calloc(ev->a, in.n + 1, sizeof(*cur));
    for (i = 0; i < ts->n; i++) {
        qmat_at(ev, &in, cur, qsteps_at(ts, i), &v);
        if (qeval_step_begin(ev, n, (int64_t)v.n + 1) < 0 ||
            histogram_step(ev, n, &v, &plan, qmat_scalar(&qm, i),
                           qsteps_at(ts, i), out) < 0)
            return -1;
        qeval_step_end(ev);
    }
    qmat_release(ev, &qm);
    qmat_release(ev, &in);
    return 0;
}

/* Dispatches on the argument types first, then on the function. */
int
qfunc_call(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
           struct qmat *out)
{
    struct qmat src = {0};
    enum qfunc_id id = n->fn->id;

    if (n->nargs > 0 && n->fn->args[0] == QV_MATRIX)
        return qfunc_range_call(ev, n, ts, out);
    if (n->nargs > 1 && n->fn->args[1] == QV_MATRIX)
        return qfunc_range_call(ev, n, ts, out);
    switch (id) {
    case QF_PI: case QF_TIME:
        return constant_series(ev, n, ts, NULL, out);
    case QF_VECTOR:
        if (qeval_node(ev, n->args[0], ts, &src) < 0 ||
            constant_series(ev, n, ts, &src, out) < 0)
            return -1;
        qmat_release(ev, &src);
        return 0;
    case QF_SCALAR:     return call_scalar(ev, n, ts, out);
    case QF_ABSENT:     return call_absent(ev, n, ts, out);
    case QF_SORT: case QF_SORT_DESC:
        return call_sort(ev, n, ts, out);
    case QF_TIMESTAMP:  return call_timestamp(ev, n, ts, out);
    case QF_LABEL_JOIN: case QF_LABEL_REPLACE:
        return call_label(ev, n, ts, out);
    case QF_HISTOGRAM_QUANTILE:
        return call_histogram(ev, n, ts, out);
    default:
        if (n->nargs == 0)      /* hour() and the like: of time() */
            return constant_series(ev, n, ts, NULL, out);
        return call_math(ev, n, ts, out);
    }
}
