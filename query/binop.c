/*
 * Binary operators, evaluated step by step: each step's operands are read
 * back out of the operand matrices as instant vectors, matched by their
 * signatures (the labels named by on(), or all but those of ignoring()
 * and the metric name) and the results pushed into the output matrix,
 * which also catches two results with one label set.
 */
#include "query/binop.h"

#include <math.h>
#include <string.h>

#include "query/budget.h"
#include "query/evalmat.h"
#include "src/base/buf.h"

/*
 * One operand of a vector-vector operation. The signature of each series
 * of its matrix is computed once; each step then indexes its elements by
 * signature (first element wins). dup_a/dup_b name the first pair of
 * elements of the step that share a signature (or -1).
 */
struct side {
    struct qvec v;
    struct labels *msig;    /* per matrix series */
    uint64_t *mhash;
    uint32_t *slots;        /* 1 + element index, 0 for empty */
    size_t nslots;
    long dup_a, dup_b;
    bool *used;             /* per element: matched (one-to-one) */
};

static const struct labels *
sig_at(const struct side *s, size_t i)
{
    return &s->msig[s->v.e[i].src];
}

static uint64_t
hash_at(const struct side *s, size_t i)
{
    return s->mhash[s->v.e[i].src];
}

/*
 * Applies a scalar operator to l and r; *keep is false when a comparison
 * is false (the value is then l). fmod and pow follow C99, which agrees
 * with Go's math.Mod and math.Pow on NaN, infinities and zeros.
 */
static double
binop_value(enum qtok op, double l, double r, bool *keep)
{
    *keep = true;
    switch (op) {
    case QT_ADD:   return l + r;
    case QT_SUB:   return l - r;
    case QT_MUL:   return l * r;
    case QT_DIV:   return l / r;
    case QT_POW:   return pow(l, r);
    case QT_MOD:   return fmod(l, r);
    case QT_ATAN2: return atan2(l, r);
    case QT_EQLC:  *keep = l == r; return l;
    case QT_NEQ:   *keep = l != r; return l;
    case QT_GTR:   *keep = l > r; return l;
    case QT_LSS:   *keep = l < r; return l;
    case QT_GTE:   *keep = l >= r; return l;
    case QT_LTE:   *keep = l <= r; return l;
    default:       *keep = false; return l;
    }
}

static bool
is_comparison(enum qtok op)
{
    return op == QT_EQLC || op == QT_NEQ || op == QT_GTR || op == QT_LSS ||
           op == QT_GTE || op == QT_LTE;
}

/* Arithmetic drops the metric name; comparisons and atan2 keep it. */
static bool
drops_name(enum qtok op)
{
    return op == QT_ADD || op == QT_SUB || op == QT_MUL || op == QT_DIV ||
           op == QT_POW || op == QT_MOD;
}

static int
push(struct qev *ev, struct qmat *out, const struct labels *ls, int64_t t,
     double v, const struct qnode *n)
{
    return qmat_push(ev, out, qmat_series(ev, out, ls), t, v, n);
}

/* A vector and a scalar (swap: the scalar is on the left). */
static int
vector_scalar(struct qev *ev, const struct qnode *n, const struct qvec *v,
              double s, bool swap, int64_t t, struct qmat *out)
{
    size_t i;
    double l, r, val;
    bool keep;
    struct labels ls;

    for (i = 0; i < v->n; i++) {
        l = swap ? s : v->e[i].v;
        r = swap ? v->e[i].v : s;
        val = binop_value(n->op, l, r, &keep);
        /* A filter keeps the vector's own value, on either side. */
        if (is_comparison(n->op) && swap)
            val = r;
        if (n->return_bool) {
            val = keep ? 1 : 0;
            keep = true;
        }
        if (!keep)
            continue;
        if (drops_name(n->op) || n->return_bool)
            qlabels_drop_name(ev, v->e[i].ls, &ls);
        else
            ls = *v->e[i].ls;
        if (push(ev, out, &ls, t, val, n) < 0)
            return -1;
    }
    return 0;
}

/* The signatures of every series of m, once for all steps. */
static void
prepare_side(struct qev *ev, const struct qnode *n, const struct qmat *m,
             struct side *s)
{
    size_t i;

    s->msig = arena_alloc(ev->a, (m->n + 1) * sizeof(*s->msig));
    s->mhash = arena_alloc(ev->a, (m->n + 1) * sizeof(*s->mhash));
    for (i = 0; i < m->n; i++) {
        /* on(): only the listed labels; ignoring(): all but those and
         * the metric name. */
        qlabels_filter(ev, &m->s[i].ls, &n->matching, n->on, !n->on,
                       &s->msig[i]);
        s->mhash[i] = labels_hash(&s->msig[i]);
    }
    for (s->nslots = 16; s->nslots < 2 * m->n; s->nslots *= 2)
        ;
    s->slots = arena_alloc(ev->a, s->nslots * sizeof(*s->slots));
    s->used = arena_alloc(ev->a, (m->n + 1) * sizeof(*s->used));
}

/* Indexes the elements of this step by signature. */
static void
index_side(struct side *s)
{
    size_t i, j, mask = s->nslots - 1;
    uint32_t e;

    memset(s->slots, 0, s->nslots * sizeof(*s->slots));
    s->dup_a = s->dup_b = -1;
    for (i = 0; i < s->v.n; i++) {
        for (j = hash_at(s, i) & mask; (e = s->slots[j]) != 0;
             j = (j + 1) & mask) {
            if (hash_at(s, e - 1) == hash_at(s, i) &&
                labels_equal(sig_at(s, e - 1), sig_at(s, i)))
                break;
        }
        if (e == 0) {
            s->slots[j] = (uint32_t)(i + 1);
        } else if (s->dup_a < 0) {
            s->dup_a = (long)(e - 1);
            s->dup_b = (long)i;
        }
    }
}

/* The first element of s with signature (h, sig), or -1. */
static long
find_sig(const struct side *s, uint64_t h, const struct labels *sig)
{
    size_t j, mask = s->nslots - 1;
    uint32_t e;

    for (j = h & mask; (e = s->slots[j]) != 0; j = (j + 1) & mask) {
        if (hash_at(s, e - 1) == h && labels_equal(sig_at(s, e - 1), sig))
            return (long)(e - 1);
    }
    return -1;
}

/* and, or, unless: samples keep their own labels. */
static int
set_op(struct qev *ev, const struct qnode *n, struct side *l,
       struct side *r, int64_t t, struct qmat *out)
{
    size_t i;
    bool in_r;

    /* and keeps matches, unless keeps the rest, or keeps all of the
     * left side and adds the right-side samples it has no match for. */
    for (i = 0; i < l->v.n; i++) {
        in_r = find_sig(r, hash_at(l, i), sig_at(l, i)) >= 0;
        if (n->op == QT_LOR || (n->op == QT_LAND) == in_r) {
            if (push(ev, out, l->v.e[i].ls, t, l->v.e[i].v, n) < 0)
                return -1;
        }
    }
    for (i = 0; n->op == QT_LOR && i < r->v.n; i++) {
        if (find_sig(l, hash_at(r, i), sig_at(r, i)) < 0 &&
            push(ev, out, r->v.e[i].ls, t, r->v.e[i].v, n) < 0)
            return -1;
    }
    return 0;
}

/*
 * The labels of a matched pair (many: the "many" side). One-to-one
 * results keep only the on() labels, or lose the ignoring() ones;
 * group_x results keep the many side's labels plus the included labels
 * copied from the one side.
 */
static void
result_labels(struct qev *ev, const struct qnode *n, const struct labels *many,
              const struct labels *one, struct labels *out)
{
    struct labels tmp;
    size_t i;

    if (drops_name(n->op))
        qlabels_drop_name(ev, many, &tmp);
    else
        tmp = *many;
    if (n->card == 0) {
        if (n->on)
            qlabels_filter(ev, &tmp, &n->matching, true, false, out);
        else
            qlabels_filter(ev, &tmp, &n->matching, false, false, out);
    } else {
        *out = tmp;
    }
    for (i = 0; i < n->include.n; i++) {
        tmp = *out;
        qlabels_set(ev, &tmp, n->include.v[i],
                    labels_get(one, n->include.v[i]), out);
    }
    if (n->return_bool) {
        tmp = *out;
        qlabels_drop_name(ev, &tmp, out);
    }
}

static int
dup_one_side(struct qev *ev, const struct qnode *n, const struct side *one,
             size_t a, size_t b)
{
    struct buf sig, x, y;
    int rc;

    buf_init(&sig, 0);
    buf_init(&x, 0);
    buf_init(&y, 0);
    labels_format(sig_at(one, a), &sig);
    labels_format(one->v.e[a].ls, &x);
    labels_format(one->v.e[b].ls, &y);
    rc = qeval_fail(ev, n, "found duplicate series for the match group %s "
                    "on the %s hand-side of the operation: [%s, %s];"
                    "many-to-many matching not allowed: matching labels "
                    "must be unique on one side", buf_str(&sig),
                    n->card == 2 ? "left" : "right", buf_str(&x),
                    buf_str(&y));
    buf_fini(&sig);
    buf_fini(&x);
    buf_fini(&y);
    return rc;
}

/*
 * Arithmetic and comparisons between vectors. With group_right the sides
 * swap so that `one` is always the side whose signatures must be unique;
 * values keep their written order.
 */
static int
match_op(struct qev *ev, const struct qnode *n, struct side *l,
         struct side *r, int64_t t, struct qmat *out)
{
    struct side *many = n->card == 2 ? r : l, *one = n->card == 2 ? l : r;
    bool *used = one->used, keep;
    size_t i;
    long j;
    double val, lv, rv;
    struct labels ls;

    if (one->dup_a >= 0)
        return dup_one_side(ev, n, one, (size_t)one->dup_b,
                            (size_t)one->dup_a);
    memset(used, 0, one->v.n * sizeof(*used));
    for (i = 0; i < many->v.n; i++) {
        if ((j = find_sig(one, hash_at(many, i), sig_at(many, i))) < 0)
            continue;
        lv = n->card == 2 ? one->v.e[j].v : many->v.e[i].v;
        rv = n->card == 2 ? many->v.e[i].v : one->v.e[j].v;
        val = binop_value(n->op, lv, rv, &keep);
        if (n->return_bool)
            val = keep ? 1 : 0;
        else if (!keep)
            continue;
        /* One-to-one: each right-side sample may match only once. */
        if (n->card == 0 && used[j])
            return qeval_fail(ev, n, "multiple matches for labels: "
                              "many-to-one matching must be explicit "
                              "(group_left/group_right)");
        used[j] = true;
        result_labels(ev, n, many->v.e[i].ls, one->v.e[j].ls, &ls);
        if (qmat_push(ev, out, qmat_series(ev, out, &ls), t, val, n) < 0) {
            if (n->card != 0)
                qeval_fail(ev, n, "multiple matches for labels: grouping "
                           "labels must ensure unique matches");
            return -1;
        }
    }
    return 0;
}

static double
scalar_at(const struct qmat *m, size_t i)
{
    return qmat_scalar(m, i);
}

/*
 * One step of a binary operation with at least one vector operand. The
 * step's input vectors (a scalar is one sample) are held while its
 * outputs are made, as in Prometheus's rangeEval.
 */
static int
vector_step(struct qev *ev, const struct qnode *n, const struct qmat *lm,
            const struct qmat *rm, struct side *l, struct side *r,
            size_t *lc, size_t *rc, size_t i, int64_t t, struct qmat *out)
{
    bool ls = n->lhs->type == QV_SCALAR, rs = n->rhs->type == QV_SCALAR;

    if (!ls)
        qmat_at(ev, lm, lc, t, &l->v);
    if (!rs)
        qmat_at(ev, rm, rc, t, &r->v);
    if (qeval_step_begin(ev, n, (int64_t)((ls ? 1 : l->v.n) +
                                          (rs ? 1 : r->v.n))) < 0)
        return -1;
    if (ls)
        return vector_scalar(ev, n, &r->v, scalar_at(lm, i), true, t, out);
    if (rs)
        return vector_scalar(ev, n, &l->v, scalar_at(rm, i), false, t, out);
    index_side(l);
    index_side(r);
    if (n->op == QT_LAND || n->op == QT_LOR || n->op == QT_LUNLESS)
        return set_op(ev, n, l, r, t, out);
    return match_op(ev, n, l, r, t, out);
}

/* Scalar and scalar: folded point by point, two inputs a step. */
static int
scalar_scalar(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
              const struct qmat *lm, const struct qmat *rm, struct qmat *out)
{
    struct labels none = {NULL, 0};
    size_t i, si = qmat_series(ev, out, &none);
    double v;
    bool keep;

    for (i = 0; i < ts->n; i++) {
        v = binop_value(n->op, qmat_scalar(lm, i), qmat_scalar(rm, i),
                        &keep);
        if (n->return_bool)
            v = keep ? 1 : 0;
        if (qeval_step_begin(ev, n, 2) < 0 ||
            qmat_push(ev, out, si, qsteps_at(ts, i), v, n) < 0)
            return -1;
        qeval_step_end(ev);
    }
    return 0;
}

/* n applied to its evaluated operands lm and rm, step by step. */
__attribute__((noinline)) static int
combine(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
        const struct qmat *lm, const struct qmat *rm, struct qmat *out)
{
    struct side l = {0}, r = {0};
    size_t *lc, *rc, i;

    if (n->type == QV_SCALAR)
        return scalar_scalar(ev, n, ts, lm, rm, out);
    lc = arena_calloc(ev->a, lm->n + 1, sizeof(*lc));
    rc = arena_calloc(ev->a, rm->n + 1, sizeof(*rc));
    if (n->lhs->type == QV_VECTOR && n->rhs->type == QV_VECTOR) {
        prepare_side(ev, n, lm, &l);
        prepare_side(ev, n, rm, &r);
    }
    for (i = 0; i < ts->n; i++) {
        if (vector_step(ev, n, lm, rm, &l, &r, lc, rc, i, qsteps_at(ts, i),
                        out) < 0)
            return -1;
        qeval_step_end(ev);
    }
    return 0;
}

/*
 * The left spine of a chain a + b + c + ... (the parser builds it
 * left-deep, as many terms long as written): the binary nodes from n
 * down, stopping at one that must pass through qeval_node (a
 * step-invariant node). Returns how many; *out[0] is n.
 */
__attribute__((noinline)) static size_t
left_spine(struct qev *ev, const struct qnode *n, const struct qnode ***out)
{
    const struct qnode *m;
    size_t k = 1, i;

    for (m = n->lhs; m->kind == QN_BINARY && !m->wrap; m = m->lhs)
        k++;
    *out = arena_alloc(ev->a, k * sizeof(**out));
    for (i = 0, m = n; i < k; i++, m = m->lhs)
        (*out)[i] = m;
    return k;
}

/*
 * A chain of binary operators, evaluated from its innermost left operand
 * outwards with a loop, so that a chain of any length takes no more
 * stack than one operator. Each operator holds its operands while it
 * runs and only its result once done, as when evaluated recursively.
 */
int
qeval_binary(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
             struct qmat *out)
{
    const struct qnode **spine;
    size_t k = left_spine(ev, n, &spine);
    int64_t before = ev->held;
    struct qmat acc = {0}, rm, res;

    if (qeval_node(ev, spine[k - 1]->lhs, ts, &acc) < 0)
        return -1;
    while (k-- > 0) {
        memset(&rm, 0, sizeof(rm));
        memset(&res, 0, sizeof(res));
        if (qeval_check(ev, spine[k]) < 0 ||
            qeval_node(ev, spine[k]->rhs, ts, &rm) < 0 ||
            combine(ev, spine[k], ts, &acc, &rm, k == 0 ? out : &res) < 0)
            return -1;
        qmat_release(ev, &acc);
        qmat_release(ev, &rm);
        ev->held = before + qmat_points(k == 0 ? out : &res);
        acc = res;
    }
    return 0;
}
