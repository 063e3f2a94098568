/*
 * Aggregations. Each step's input vector is split into groups by the
 * grouping labels, in order of first appearance (the order instant
 * results keep), and each group folds its samples the way Prometheus
 * 2.42's engine does. Grouping keys are label sets, hashed by the matrix
 * index of a scratch matrix. At a single step, the values of a range
 * function can be folded as the function makes them (agg.h), which
 * spares building and reading back its matrix: a dashboard's value at
 * now sums tens of thousands of rates that way every second.
 */
#include "query/agg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/budget.h"
#include "query/evalmat.h"
#include "query/gosort.h"
#include "query/parse.h"
#include "src/base/buf.h"

struct group {
    struct labels ls;       /* the output labels */
    double value, mean;
    double count;
    size_t *members;        /* indexes into the step's vector */
    size_t nmembers, cap;
    size_t stamp;           /* 1 + the step that last touched it */
    size_t out;             /* 1 + its series in the output, 0: none yet */
};

/*
 * Groups by input series, worked out once for all steps: gid[i] is the
 * group of the matrix's series i. Each step then lists the groups it
 * touches in order of first appearance. count_values cannot use it, as
 * its groups depend on the values.
 */
struct plan {
    size_t *gid;
    struct group *g;
    size_t *order;
    size_t norder;
    size_t *heap;           /* scratch for topk and bottomk's heap: a */
    double *vals;           /* group has at most one member per series */
};

/* Go's sort.Float64s order: NaN before everything. */
static int
cmp_float(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    if (isnan(x))
        return isnan(y) ? 0 : -1;
    if (isnan(y))
        return 1;
    return x < y ? -1 : x > y;
}

double
qeval_quantile(double q, double *v, size_t n)
{
    double rank, lo, hi, w;

    if (n == 0 || isnan(q))
        return NAN;
    if (q < 0)
        return -INFINITY;
    if (q > 1)
        return INFINITY;
    qsort(v, n, sizeof(*v), cmp_float);
    rank = q * (double)(n - 1);
    lo = fmax(0, floor(rank));
    hi = fmin((double)(n - 1), lo + 1);
    w = rank - floor(rank);
    return v[(size_t)lo] * (1 - w) + v[(size_t)hi] * w;
}

const char *
qeval_format_float(struct arena *a, double v)
{
    char tmp[400];
    int prec;

    if (isnan(v))
        return "NaN";
    if (isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    /* The fewest decimals that read back as the same double. */
    for (prec = 0; prec < 340; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*f", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    return arena_strdup(a, tmp);
}

/*
 * Running mean with Prometheus's guards for infinities: dividing each
 * term by the count keeps values near DBL_MAX from overflowing, and an
 * infinite mean stays put unless a NaN or the opposite infinity comes.
 */
static void
avg_add(struct group *g, double v)
{
    g->count++;
    if (isinf(g->mean)) {
        if (isinf(v) && (g->mean > 0) == (v > 0))
            return;
        if (!isinf(v) && !isnan(v))
            return;
    }
    g->mean += v / g->count - g->mean / g->count;
}

/* The first sample of a group sets its state. */
static void
fold_first(struct group *g, enum qtok op, double v)
{
    g->value = v;
    g->mean = v;
    g->count = 1;
    if (op == QT_STDDEV || op == QT_STDVAR)
        g->value = 0;
    else if (op == QT_GROUP)
        g->value = 1;
}

/*
 * Folds one more sample. max and min let a NaN be replaced by any
 * number; stddev and stdvar use Welford's update, so equal values give
 * exactly 0.
 */
static void
fold(struct group *g, enum qtok op, double v)
{
    double delta;

    switch (op) {
    case QT_SUM:
        g->value += v;
        break;
    case QT_AVG:
        avg_add(g, v);
        break;
    case QT_MAX:
        if (g->value < v || isnan(g->value))
            g->value = v;
        break;
    case QT_MIN:
        if (g->value > v || isnan(g->value))
            g->value = v;
        break;
    case QT_STDDEV:
    case QT_STDVAR:
        g->count++;
        delta = v - g->mean;
        g->mean += delta / g->count;
        g->value += delta * (v - g->mean);
        break;
    default:
        g->count++;
        break;
    }
}

static double
finish(const struct group *g, enum qtok op)
{
    switch (op) {
    case QT_AVG:          return g->mean;
    case QT_COUNT:
    case QT_COUNT_VALUES: return g->count;
    case QT_STDVAR:       return g->value / g->count;
    case QT_STDDEV:       return sqrt(g->value / g->count);
    default:              return g->value;
    }
}

/*
 * The output labels of a sample's group: by keeps only the listed
 * labels (the name too, if listed), without drops them and the name.
 * count_values groups by its value label too.
 */
static void
group_labels(struct qev *ev, const struct qnode *n, const struct labels *in,
             const char *value_label, struct labels *out)
{
    struct qlabel_list by = n->grouping;

    if (value_label != NULL && !n->without) {
        by.v = arena_alloc(ev->a, (by.n + 1) * sizeof(*by.v));
        if (by.n > 0)
            memcpy(by.v, n->grouping.v, by.n * sizeof(*by.v));
        by.v[by.n++] = value_label;
    }
    qlabels_filter(ev, in, &by, !n->without, n->without, out);
}

/*
 * topk and bottomk, as Prometheus 2.42's engine keeps them: per group a
 * binary heap (Go's container/heap) of at most k samples whose root is
 * the one to drop first, the smallest for topk and the largest for
 * bottomk, NaN before any number. A sample enters while the heap has
 * room or when it beats the root (strictly: a tie with the root stays
 * out), or when the root is NaN; a full heap first pops its root, or,
 * for k = 1, has it replaced in place. The group's samples are then
 * sorted best first with Go's unstable sort (query/gosort.h). So which
 * of several tied samples make the cut, and their order, follow from
 * the input order through the heap's moves, exactly as in Prometheus;
 * a stable sort by value would pick others (for topk(2) over 3, 3, 4
 * Prometheus keeps the second 3 and the 4, in the order 4, 3).
 */
struct kheap {
    const struct qvec *v;
    size_t *ix;             /* indexes into v, heap-ordered */
    int n;
    bool top;               /* topk: a min-heap; bottomk: a max-heap */
};

/* Whether element i goes nearer the root than j. */
static bool
kheap_less(void *ctx, int i, int j)
{
    const struct kheap *h = ctx;
    double a = h->v->e[h->ix[i]].v, b = h->v->e[h->ix[j]].v;

    if (isnan(a))
        return true;
    return h->top ? a < b : a > b;
}

/* sort.Reverse of the heap's order: best first. */
static bool
kheap_after(void *ctx, int i, int j)
{
    return kheap_less(ctx, j, i);
}

static void
kheap_swap(void *ctx, int i, int j)
{
    struct kheap *h = ctx;
    size_t t = h->ix[i];

    h->ix[i] = h->ix[j];
    h->ix[j] = t;
}

static void
kheap_up(struct kheap *h, int j)
{
    while (j > 0) {
        int i = (j - 1) / 2;

        if (!kheap_less(h, j, i))
            break;
        kheap_swap(h, i, j);
        j = i;
    }
}

static void
kheap_down(struct kheap *h, int i, int n)
{
    for (;;) {
        int j = 2 * i + 1;

        if (j >= n)
            return;
        if (j + 1 < n && kheap_less(h, j + 1, j))
            j++;
        if (!kheap_less(h, j, i))
            return;
        kheap_swap(h, i, j);
        i = j;
    }
}

/* Offers sample idx to a heap of at most k. */
static void
kheap_offer(struct kheap *h, size_t idx, int64_t k)
{
    double root = h->v->e[h->ix[0]].v, x = h->v->e[idx].v;

    if (!(h->n < k || (h->top ? root < x : root > x) || isnan(root)))
        return;
    if (h->n == k) {
        if (k == 1) {
            h->ix[0] = idx;
            return;
        }
        kheap_swap(h, 0, h->n - 1);
        kheap_down(h, 0, h->n - 1);
        h->n--;
    }
    h->ix[h->n++] = idx;
    kheap_up(h, h->n - 1);
}

/* topk and bottomk keep whole samples, the best k of each group. */
static int
emit_ranked(struct qev *ev, const struct qnode *n, const struct group *g,
            const struct qvec *v, double kf, int64_t t, struct plan *p,
            struct qmat *out)
{
    static const struct gosort_ops best_first = { kheap_after, kheap_swap };
    struct kheap h = { v, p->heap, 1, n->op == QT_TOPK };
    int64_t k = kf >= 9.2e18 ? INT64_MAX : (int64_t)kf;

    h.ix[0] = g->members[0];
    for (size_t i = 1; i < g->nmembers; i++)
        kheap_offer(&h, g->members[i], k);
    gosort_sort(&best_first, &h, h.n);
    for (int i = 0; i < h.n; i++) {
        const struct qelem *e = &v->e[h.ix[i]];

        if (qmat_push(ev, out, qmat_series(ev, out, e->ls), t, e->v, n) < 0)
            return -1;
    }
    return 0;
}

static void
add_member(struct qev *ev, struct group *g, size_t idx)
{
    if (g->nmembers == g->cap) {
        g->members = arena_realloc(ev->a, g->members,
                                   g->cap * sizeof(*g->members),
                                   (g->cap ? g->cap * 2 : 4) *
                                   sizeof(*g->members));
        g->cap = g->cap ? g->cap * 2 : 4;
    }
    g->members[g->nmembers++] = idx;
}

static int
emit_group(struct qev *ev, const struct qnode *n, struct group *g,
           const struct qvec *v, double param, int64_t t, struct plan *p,
           struct qmat *out)
{
    double *vals = p->vals;
    size_t i;

    if (n->op == QT_TOPK || n->op == QT_BOTTOMK)
        return emit_ranked(ev, n, g, v, param, t, p, out);
    if (n->op == QT_QUANTILE) {
        for (i = 0; i < g->nmembers; i++)
            vals[i] = v->e[g->members[i]].v;
        g->value = qeval_quantile(param, vals, g->nmembers);
    }
    if (g->out == 0)
        g->out = qmat_series(ev, out, &g->ls) + 1;
    return qmat_push(ev, out, g->out - 1, t, finish(g, n->op), n);
}

/* count_values: group each step's samples by labels and value. */
__attribute__((noinline)) static int
count_values_step(struct qev *ev, const struct qnode *n, const struct qvec *v,
                  const char *value_label, int64_t t, struct qmat *out)
{
    struct qmat keys = {0};
    struct group *g = arena_calloc(ev->a, v->n + 1, sizeof(*g));
    struct labels ls, tmp;
    size_t i, gi, ng = 0;

    for (i = 0; i < v->n; i++) {
        tmp = *v->e[i].ls;
        qlabels_set(ev, &tmp, value_label,
                    qeval_format_float(ev->a, v->e[i].v), &ls);
        group_labels(ev, n, &ls, value_label, &tmp);
        gi = qmat_series(ev, &keys, &tmp);
        if (gi == ng) {
            g[ng].ls = keys.s[gi].ls;
            fold_first(&g[ng++], n->op, v->e[i].v);
        } else {
            fold(&g[gi], n->op, v->e[i].v);
        }
    }
    for (gi = 0; gi < ng; gi++) {
        if (qmat_push(ev, out, qmat_series(ev, out, &g[gi].ls), t,
                      finish(&g[gi], n->op), n) < 0)
            return -1;
    }
    return 0;
}

__attribute__((noinline)) static void
make_plan(struct qev *ev, const struct qnode *n, const struct qmat *in,
          struct plan *p)
{
    struct qmat keys = {0};
    struct labels ls;
    size_t i;

    p->gid = arena_alloc(ev->a, (in->n + 1) * sizeof(*p->gid));
    for (i = 0; i < in->n; i++) {
        group_labels(ev, n, &in->s[i].ls, NULL, &ls);
        p->gid[i] = qmat_series(ev, &keys, &ls);
    }
    p->g = arena_calloc(ev->a, keys.n + 1, sizeof(*p->g));
    for (i = 0; i < keys.n; i++)
        p->g[i].ls = keys.s[i].ls;
    p->order = arena_alloc(ev->a, (keys.n + 1) * sizeof(*p->order));
    if (n->op == QT_TOPK || n->op == QT_BOTTOMK)
        p->heap = arena_alloc(ev->a, (in->n + 1) * sizeof(*p->heap));
    if (n->op == QT_QUANTILE)
        p->vals = arena_alloc(ev->a, (in->n + 1) * sizeof(*p->vals));
}

/* One step: fold the samples of v into their groups, push the results. */
__attribute__((noinline)) static int
agg_step(struct qev *ev, const struct qnode *n, const struct qvec *v,
         double param, size_t step, struct plan *p, int64_t t,
         struct qmat *out)
{
    struct group *g;
    size_t i;

    if ((n->op == QT_TOPK || n->op == QT_BOTTOMK) && !(param >= 1))
        return 0;
    p->norder = 0;
    for (i = 0; i < v->n; i++) {
        g = &p->g[p->gid[v->e[i].src]];
        if (g->stamp != step + 1) {
            g->stamp = step + 1;
            g->nmembers = 0;
            fold_first(g, n->op, v->e[i].v);
            p->order[p->norder++] = (size_t)(g - p->g);
        } else {
            fold(g, n->op, v->e[i].v);
        }
        if (n->op == QT_TOPK || n->op == QT_BOTTOMK || n->op == QT_QUANTILE)
            add_member(ev, g, i);
    }
    for (i = 0; i < p->norder; i++) {
        if (emit_group(ev, n, &p->g[p->order[i]], v, param, t, p, out) < 0)
            return -1;
    }
    return 0;
}

/*
 * Folding (agg.h). Groups have ids: those kept in the frame cache for
 * the selection and the grouping (the aggregation's by or without and
 * the function, which decides whether the name stays), and new ones for
 * series whose group is not known yet, found through keys, a hash of
 * every group's label set built the first time one is needed. The
 * groups of a step come out in order of first appearance, which is the
 * order agg_step finds them in, since the values arrive in the order of
 * the matrix it would read. Lives in the evaluation's arena, not in
 * qeval_agg's frame, which nested aggregations stack.
 */
struct qfold {
    const struct qnode *n;      /* the aggregation */
    const struct qnode *sel;    /* the selector under its function */
    char *key;                  /* the grouping, as the cache knows it */
    size_t keylen;
    bool looked;                /* the cache was asked for its groups */
    bool grew;                  /* groups were found: keep them */
    const uint32_t *group;      /* 1 + each selected series' group, */
    size_t ngroup;              /* 0: not known yet */
    uint32_t *own;              /* group once changed here (the cache's */
    size_t capown;              /* array is read only) */
    struct labels *labels;      /* each group's label set */
    size_t nlabels, caplabels;
    struct qmat keys;           /* labels, hashed, once needed */
    struct group *g;            /* each group's state at the step */
    size_t capg;
    size_t *order;              /* ids by first appearance */
    size_t norder, caporder;
    int64_t made;               /* values folded */
};

/* Grows a's room (*cap elements of size) to hold at least need. */
static void *
grow(struct qev *ev, void *a, size_t *cap, size_t need, size_t size)
{
    size_t want = *cap ? *cap : 8;

    if (need <= *cap)
        return a;
    while (want < need)
        want *= 2;
    a = arena_realloc(ev->a, a, *cap * size, want * size);
    memset((char *)a + *cap * size, 0, (want - *cap) * size);
    *cap = want;
    return a;
}

/* The groups the cache kept for f's selection and grouping, if any. */
static void
look_up(struct qev *ev, struct qfold *f)
{
    struct qcache_groups kept;

    f->looked = true;
    if (ev->cache == NULL ||
        !qcache_groups(ev->cache, ev->st, ev->text + f->sel->off,
                       f->sel->len, f->key, f->keylen, &kept))
        return;
    f->group = kept.group;
    f->ngroup = kept.n;
    f->labels = grow(ev, NULL, &f->caplabels, kept.ngroups,
                     sizeof(*f->labels));
    if (kept.ngroups > 0)
        memcpy(f->labels, kept.labels, kept.ngroups * sizeof(*f->labels));
    f->nlabels = kept.ngroups;
}

/* The group of series idx, whose values have labels ls, found by its
 * label set among the groups and remembered. */
static size_t
find_group(struct qev *ev, struct qfold *f, size_t idx,
           const struct labels *ls)
{
    struct labels gl;
    size_t gi;

    while (f->keys.n < f->nlabels)
        qmat_series(ev, &f->keys, &f->labels[f->keys.n]);
    group_labels(ev, f->n, ls, NULL, &gl);
    gi = qmat_series(ev, &f->keys, &gl);
    if (gi == f->nlabels) {
        f->labels = grow(ev, f->labels, &f->caplabels, gi + 1,
                         sizeof(*f->labels));
        f->labels[f->nlabels++] = f->keys.s[gi].ls;
    }
    if (ev->cache == NULL)
        return gi;
    if (f->own == NULL) {
        f->own = grow(ev, NULL, &f->capown, f->ngroup + 1,
                      sizeof(*f->own));
        if (f->ngroup > 0)
            memcpy(f->own, f->group, f->ngroup * sizeof(*f->own));
    }
    f->own = grow(ev, f->own, &f->capown, idx + 1, sizeof(*f->own));
    f->own[idx] = (uint32_t)gi + 1;
    f->group = f->own;
    if (idx >= f->ngroup)
        f->ngroup = idx + 1;
    f->grew = true;
    return gi;
}

void
qagg_fold(struct qev *ev, struct qfold *f, const struct qrange *r,
          const struct labels *ls, double v)
{
    struct group *g;
    size_t gi;

    if (!f->looked)
        look_up(ev, f);
    if (r->idx < f->ngroup && f->group[r->idx] != 0)
        gi = f->group[r->idx] - 1;
    else
        gi = find_group(ev, f, r->idx, ls);
    f->g = grow(ev, f->g, &f->capg, f->nlabels, sizeof(*f->g));
    g = &f->g[gi];
    if (g->stamp == 0) {
        g->stamp = 1;
        fold_first(g, f->n->op, v);
        f->order = grow(ev, f->order, &f->caporder, f->norder + 1,
                        sizeof(*f->order));
        f->order[f->norder++] = gi;
    } else {
        fold(g, f->n->op, v);
    }
    f->made++;
}

/*
 * The offer n over ts makes its operand (agg.h), or NULL: qfunc_call
 * hands such an operand straight to the range function. Its key tells
 * the grouping apart: the function's name, by or without, the labels.
 */
__attribute__((noinline)) static struct qfold *
offer(struct qev *ev, const struct qnode *n, const struct qsteps *ts)
{
    const struct qnode *arg = qparse_unparen(n->lhs);
    struct qfold *f;
    struct buf key;
    size_t i;

    if (ts->n != 1 || n->param != NULL || ev->ctl->no_fold ||
        arg->kind != QN_CALL)
        return NULL;
    switch (n->op) {
    case QT_SUM: case QT_AVG: case QT_COUNT: case QT_MIN: case QT_MAX:
    case QT_GROUP: case QT_STDDEV: case QT_STDVAR:
        break;
    default:
        return NULL;
    }
    if (arg->nargs > 0 && arg->fn->args[0] == QV_MATRIX)
        i = 0;
    else if (arg->nargs > 1 && arg->fn->args[1] == QV_MATRIX)
        i = 1;
    else
        return NULL;
    f = arena_calloc(ev->a, 1, sizeof(*f));
    f->n = n;
    f->sel = qparse_unparen(arg->args[i]);
    buf_init(&key, 0);
    buf_printf(&key, "%s %s", arg->fn->name, n->without ? "without" : "by");
    for (i = 0; i < n->grouping.n; i++) {
        buf_putc(&key, '\0');
        buf_puts(&key, n->grouping.v[i]);
    }
    f->keylen = key.len;
    f->key = arena_alloc(ev->a, key.len);
    memcpy(f->key, key.data, key.len);
    buf_fini(&key);
    return f;
}

/*
 * The step of folded groups, as agg_steps makes it: the values folded
 * held as the step's inputs while the groups' values are pushed. Groups
 * found in this evaluation are kept for the next.
 */
__attribute__((noinline)) static int
folded_step(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            const struct qfold *f, struct qmat *out)
{
    struct qcache_groups kept = { f->group, f->ngroup, f->labels,
                                  f->nlabels };
    size_t i, gi;

    if (qeval_step_begin(ev, n, f->made) < 0)
        return -1;
    for (i = 0; i < f->norder; i++) {
        gi = f->order[i];
        if (qmat_push(ev, out, qmat_series(ev, out, &f->labels[gi]),
                      ts->start, finish(&f->g[gi], n->op), n) < 0)
            return -1;
    }
    qeval_step_end(ev);
    ev->ctl->folds++;
    if (f->grew)
        qcache_keep_groups(ev->cache, ev->st, ev->text + f->sel->off,
                           f->sel->len, f->key, f->keylen, &kept);
    return 0;
}

static bool
valid_label_name(const char *s)
{
    size_t i;

    if (s[0] == '\0')
        return false;
    for (i = 0; s[i]; i++) {
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') || (i > 0 && s[i] >= '0' &&
                                                s[i] <= '9')))
            return false;
    }
    return true;
}

/*
 * The steps of an aggregation over its evaluated argument (in) and
 * parameter (pm); each step's inputs are held while its outputs are
 * made. Kept out of qeval_agg, whose frame nested aggregations stack.
 */
__attribute__((noinline)) static int
agg_steps(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
          const struct qmat *in, const struct qmat *pm,
          const char *value_label, struct qmat *out)
{
    struct qvec v = {0};
    struct plan plan = {0};
    size_t *cur = arena_calloc(ev->a, in->n + 1, sizeof(*cur)), i;
    int rc;

    if (value_label == NULL)
        make_plan(ev, n, in, &plan);
    for (i = 0; i < ts->n; i++) {
        qmat_at(ev, in, cur, qsteps_at(ts, i), &v);
        /* The step's inputs: the samples and the parameter's one. */
        rc = qeval_step_begin(ev, n, (int64_t)v.n + (pm->n > 0));
        if (rc == 0 && value_label != NULL)
            rc = count_values_step(ev, n, &v, value_label,
                                   qsteps_at(ts, i), out);
        else if (rc == 0)
            rc = agg_step(ev, n, &v, qmat_scalar(pm, i), i, &plan,
                          qsteps_at(ts, i), out);
        if (rc < 0)
            return -1;
        qeval_step_end(ev);
    }
    return 0;
}

int
qeval_agg(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
          struct qmat *out)
{
    struct qmat in = {0}, pm = {0};
    const char *value_label = NULL;
    struct qfold *f;
    int rc;

    if (n->op == QT_COUNT_VALUES) {
        value_label = qparse_unparen(n->param)->str;
        if (!valid_label_name(value_label))
            return qeval_fail(ev, n->param, "invalid label name \"%s\"",
                              value_label);
    } else if (n->param != NULL && qeval_node(ev, n->param, ts, &pm) < 0) {
        return -1;
    }
    f = offer(ev, n, ts);
    ev->fold = f;
    rc = qeval_node(ev, n->lhs, ts, &in);
    ev->fold = NULL;
    if (rc < 0)
        return -1;
    /* Nothing folded (the offer declined, or no values): the general
     * way, over what the operand made. */
    if (f != NULL && f->made > 0)
        rc = folded_step(ev, n, ts, f, out);
    else
        rc = agg_steps(ev, n, ts, &in, &pm, value_label, out);
    if (rc < 0)
        return -1;
    qmat_release(ev, &in);
    qmat_release(ev, &pm);
    return 0;
}
