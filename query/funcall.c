/*
 * The instant-vector functions and the call dispatcher. Element-wise
 * functions walk each series once; the ones that look at a whole step
 * (scalar, absent, sort, histogram_quantile) read the step back out of
 * the argument matrix. Range-vector functions are in query/funcrange.c.
 */
#include "query/funcall.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/agg.h"
#include "query/evalmat.h"
#include "query/funcrange.h"
#include "query/parse.h"
#include "src/base/buf.h"
#include "src/base/regex.h"

/* Which step a point of an evaluated matrix belongs to. */
static size_t
step_index(const struct qsteps *ts, int64_t t)
{
    return (size_t)((t - ts->start) / ts->step);
}

/* Evaluates the scalar argument i of n, or fills with dflt. */
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

/* abs ... year over a vector argument: values mapped, name dropped. */
static int
call_math(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
          struct qmat *out)
{
    struct qmat in = {0}, a = {0}, b = {0};
    struct labels ls;
    size_t i, j, si, k;
    double x, y;

    if (qeval_node(ev, n->args[0], ts, &in) < 0 ||
        scalar_arg(ev, n, 1, ts, &a) < 0 || scalar_arg(ev, n, 2, ts, &b) < 0)
        return -1;
    for (i = 0; i < in.n; i++) {
        qlabels_drop_name(ev, &in.s[i].ls, &ls);
        si = qmat_series(ev, out, &ls);
        for (j = 0; j < in.s[i].n; j++) {
            k = step_index(ts, in.s[i].pts[j].t);
            x = arg_at(&a, k, 1);
            y = arg_at(&b, k, 0);
            /* clamp with max below min gives an empty vector. */
            if (n->fn->id == QF_CLAMP && y < x)
                continue;
            if (qmat_push(ev, out, si, in.s[i].pts[j].t,
                          qfunc_math(n->fn->id, in.s[i].pts[j].v, x, y),
                          n) < 0)
                return -1;
        }
    }
    return 0;
}

/* One series without labels and a value at every step. */
static int
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
        qmat_push(ev, out, si, qsteps_at(ts, i), v, n);
    }
    return 0;
}

/* scalar(): the only element's value, else NaN. */
static int
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
        qmat_push(ev, out, si, qsteps_at(ts, i), v.n == 1 ? v.e[0].v : NAN,
                  n);
    }
    return 0;
}

/* absent(): 1 at the steps where the argument has no element. */
static int
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
        if (v.n == 0)
            qmat_push(ev, out, qmat_series(ev, out, &ls), qsteps_at(ts, i),
                      1, n);
    }
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

static int
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
        qsort(v.e, v.n, sizeof(*v.e),
              n->fn->id == QF_SORT_DESC ? cmp_desc : cmp_asc);
        for (j = 0; j < v.n; j++) {
            if (qmat_push(ev, out, qmat_series(ev, out, v.e[j].ls),
                          qsteps_at(ts, i), v.e[j].v, n) < 0)
                return -1;
        }
    }
    return 0;
}

/*
 * timestamp(): of a plain selector, the time of each sample it picked;
 * of anything else, the evaluation time (as Prometheus 2.42 does).
 */
static int
call_timestamp(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
               struct qmat *out)
{
    const struct qnode *arg = qparse_unparen(n->args[0]);
    struct qmat in = {0};
    struct labels ls;
    size_t i, j, si;
    bool sel = arg->kind == QN_SELECTOR;
    int rc;

    rc = sel ? qeval_selector(ev, arg, ts, true, &in)
             : qeval_node(ev, n->args[0], ts, &in);
    if (rc < 0)
        return -1;
    for (i = 0; i < in.n; i++) {
        qlabels_drop_name(ev, &in.s[i].ls, &ls);
        si = qmat_series(ev, out, &ls);
        for (j = 0; j < in.s[i].n; j++) {
            if (qmat_push(ev, out, si, in.s[i].pts[j].t, sel ?
                          in.s[i].pts[j].v :
                          (double)in.s[i].pts[j].t / 1000, n) < 0)
                return -1;
        }
    }
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
 * Re-labels every series of the first argument: with re, label_replace
 * (only when the regex matches the whole source value); without,
 * label_join. The metric name stays. Two series that end up with one
 * label set are caught by qmat_push.
 */
static int
relabel_all(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            struct qmat *out, struct regex *re)
{
    struct qmat in = {0};
    struct labels ls;
    struct buf b;
    size_t i, j, k, si;
    const char *v;

    if (qeval_node(ev, n->args[0], ts, &in) < 0)
        return -1;
    buf_init(&b, 0);
    for (i = 0; i < in.n; i++) {
        buf_reset(&b);
        ls = in.s[i].ls;
        if (re != NULL) {
            v = labels_get(&ls, str_arg(n, 3));
            v = v ? v : "";
            if (labels_regex_expand(re, v, str_arg(n, 2), &b) == 1)
                qlabels_set(ev, &in.s[i].ls, str_arg(n, 1),
                            arena_strdup(ev->a, buf_str(&b)), &ls);
        } else {
            for (k = 3; k < n->nargs; k++) {
                v = labels_get(&in.s[i].ls, str_arg(n, k));
                if (k > 3)
                    buf_puts(&b, str_arg(n, 2));
                buf_puts(&b, v ? v : "");
            }
            qlabels_set(ev, &in.s[i].ls, str_arg(n, 1),
                        arena_strdup(ev->a, buf_str(&b)), &ls);
        }
        si = qmat_series(ev, out, &ls);
        for (j = 0; j < in.s[i].n; j++) {
            if (qmat_push(ev, out, si, in.s[i].pts[j].t, in.s[i].pts[j].v,
                          n) < 0) {
                buf_fini(&b);
                return -1;
            }
        }
    }
    buf_fini(&b);
    return 0;
}

static int
call_label(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
           struct qmat *out)
{
    const char *fname = n->fn->name;
    struct regex *re = NULL;
    struct diag rd;
    size_t k;
    int rc;

    if (!valid_label_name(str_arg(n, 1)))
        return qeval_fail(ev, n->args[1], "invalid destination label name "
                          "in %s(): %s", fname, str_arg(n, 1));
    if (n->fn->id == QF_LABEL_REPLACE) {
        diag_clear(&rd);
        if ((re = regex_new(str_arg(n, 4), &rd)) == NULL)
            return qeval_fail(ev, n->args[4], "invalid regular expression "
                              "in label_replace(): %s", rd.msg);
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
};

static void
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
}

/* One step: each group's buckets into bucket_quantile. */
static int
histogram_step(struct qev *ev, const struct qnode *n, const struct qvec *v,
               struct hplan *p, double q, int64_t t, struct qmat *out)
{
    size_t i, g, k, *start;

    /* Counting sort of the step's buckets by group, in first-seen order
     * of groups as the input has them. */
    start = arena_calloc(ev->a, p->ngroups + 1, sizeof(*start));
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

static int
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
        if (histogram_step(ev, n, &v, &plan, qmat_scalar(&qm, i),
                           qsteps_at(ts, i), out) < 0)
            return -1;
    }
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
        if (qeval_node(ev, n->args[0], ts, &src) < 0)
            return -1;
        return constant_series(ev, n, ts, &src, out);
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
