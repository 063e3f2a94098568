/*
 * Matrices under construction and label-set helpers for the evaluator:
 * a hash index from label set to series, per-step instant vectors read
 * back out of a matrix, and the label edits operators and functions make.
 * It knows nothing of the AST beyond the node used to place an error.
 */
#include "query/evalmat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/budget.h"
#include "src/base/xalloc.h"

/*
 * Grows the open-addressing index of m (power of two, linear probing,
 * kept at most half full) and re-inserts every series. The old slot
 * array stays in the arena: it is freed with the evaluation.
 */
static void
rehash(struct qev *ev, struct qmat *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 16, i, j;

    m->slots = arena_calloc(ev->a, ns, sizeof(*m->slots));
    m->nslots = ns;
    for (i = 0; i < m->n; i++) {
        j = m->s[i].hash & (ns - 1);
        while (m->slots[j])
            j = (j + 1) & (ns - 1);
        m->slots[j] = (uint32_t)(i + 1);
    }
}

/* Copies a label set into the arena, so results outlive their inputs. */
static void
copy_labels(struct qev *ev, const struct labels *in, struct labels *out)
{
    out->n = in->n;
    out->v = NULL;
    if (in->n == 0)
        return;
    out->v = arena_alloc(ev->a, in->n * sizeof(*in->v));
    memcpy(out->v, in->v, in->n * sizeof(*in->v));
}

size_t
qmat_series(struct qev *ev, struct qmat *m, const struct labels *ls)
{
    return qmat_series_hashed(ev, m, ls, labels_hash(ls));
}

size_t
qmat_series_hashed(struct qev *ev, struct qmat *m, const struct labels *ls,
                   uint64_t h)
{
    size_t j;
    struct qser *s;

    if (m->n * 2 >= m->nslots)
        rehash(ev, m);
    for (j = h & (m->nslots - 1); m->slots[j]; j = (j + 1) & (m->nslots - 1)) {
        s = &m->s[m->slots[j] - 1];
        if (s->hash == h && labels_equal(&s->ls, ls))
            return m->slots[j] - 1;
    }
    if (m->n == m->cap) {
        m->s = arena_realloc(ev->a, m->s, m->cap * sizeof(*m->s),
                             (m->cap ? m->cap * 2 : 8) * sizeof(*m->s));
        m->cap = m->cap ? m->cap * 2 : 8;
    }
    s = &m->s[m->n];
    memset(s, 0, sizeof(*s));
    copy_labels(ev, ls, &s->ls);
    s->hash = h;
    m->slots[j] = (uint32_t)(++m->n);
    return m->n - 1;
}

/* Up to this many bytes a series' points live in the arena; beyond, a
 * malloc'd array grows in place and is freed once done with. */
#define ARENA_POINTS_MAX 4096

/* Remembers p as series s's malloc'd array (slot reused when it has one). */
static void
keep_heap(struct qev *ev, struct qser *s, void *p)
{
    if (s->heap == 0) {
        if (ev->nheap == ev->capheap) {
            ev->capheap = ev->capheap ? ev->capheap * 2 : 16;
            ev->heap = xreallocarray(ev->heap, ev->capheap,
                                     sizeof(*ev->heap));
        }
        ev->heap[ev->nheap++] = p;
        s->heap = ev->nheap;
    }
    ev->heap[s->heap - 1] = p;
    s->pts = p;
}

void
qmat_reserve(struct qev *ev, struct qmat *m, size_t i, size_t cap)
{
    struct qser *s = &m->s[i];
    size_t size = cap * sizeof(*s->pts);
    void *p;

    if (cap <= s->cap)
        return;
    if (size <= ARENA_POINTS_MAX) {
        s->pts = arena_realloc(ev->a, s->pts, s->cap * sizeof(*s->pts),
                               size);
    } else if (s->heap != 0) {
        keep_heap(ev, s, xreallocarray(s->pts, cap, sizeof(*s->pts)));
    } else {
        /* From the arena or the frame cache: copied, never freed here. */
        p = xreallocarray(NULL, cap, sizeof(*s->pts));
        if (s->n > 0)
            memcpy(p, s->pts, s->n * sizeof(*s->pts));
        keep_heap(ev, s, p);
    }
    s->cap = cap;
}

/* The index of the first point of s at or after t. */
static size_t
point_at(const struct qser *s, int64_t t)
{
    size_t lo = 0, hi = s->n, mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (s->pts[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Points mostly arrive in time order. A function that drops or sets
 * labels can map two input series onto one output series, whose points
 * then arrive one input after the other: they are merged in time order,
 * as Prometheus merges the steps of a range query, and a second point at
 * one time means two results of one step share a label set, Prometheus's
 * error. So the outcome is the same whatever the order of the inputs,
 * and a step's point depends on that step alone.
 */
int
qmat_put(struct qev *ev, struct qmat *m, size_t i, int64_t t, double v,
         const struct qnode *n)
{
    struct qser *s = &m->s[i];
    size_t at = s->n;

    if (s->n > 0 && s->pts[s->n - 1].t >= t) {
        at = point_at(s, t);
        if (s->pts[at].t == t)
            return qeval_fail(ev, n, "vector cannot contain metrics with "
                              "the same labelset");
    }
    if (s->n == s->cap)
        qmat_reserve(ev, m, i, s->cap ? s->cap * 2 : 4);
    /* Only after the copy above: the points may be the frame cache's. */
    if (at < s->n)
        memmove(s->pts + at + 1, s->pts + at,
                (s->n - at) * sizeof(*s->pts));
    s->pts[at].t = t;
    s->pts[at].v = v;
    s->n++;
    return 0;
}

/*
 * qmat_put, counting the point as held: every point is held until the
 * node that made it is done with (query/eval.c).
 */
int
qmat_push(struct qev *ev, struct qmat *m, size_t i, int64_t t, double v,
          const struct qnode *n)
{
    if (qmat_put(ev, m, i, t, v, n) < 0)
        return -1;
    if (++ev->held > ev->max)
        return qeval_stop(ev, n, QEVAL_TOO_MANY_SAMPLES);
    if (++ev->pushes % 1024 == 0 && qeval_work(ev, n, 1024) < 0)
        return -1;
    return 0;
}

int64_t
qmat_points(const struct qmat *m)
{
    int64_t total = 0;
    size_t i;

    for (i = 0; i < m->n; i++)
        total += (int64_t)m->s[i].n;
    return total;
}

void
qmat_release(struct qev *ev, struct qmat *m)
{
    size_t i;

    for (i = 0; i < m->n; i++) {
        if (m->s[i].heap == 0)
            continue;
        free(ev->heap[m->s[i].heap - 1]);
        ev->heap[m->s[i].heap - 1] = NULL;
        m->s[i].heap = 0;
        m->s[i].pts = NULL;
        m->s[i].n = m->s[i].cap = 0;
    }
}

static int
cmp_series(const void *a, const void *b)
{
    return labels_cmp(&((const struct qser *)a)->ls,
                      &((const struct qser *)b)->ls);
}

void
qmat_sort(struct qmat *m)
{
    if (m->n > 1)
        qsort(m->s, m->n, sizeof(*m->s), cmp_series);
    m->slots = NULL;
    m->nslots = 0;
}

void
qmat_at(struct qev *ev, const struct qmat *m, size_t *cur, int64_t t,
        struct qvec *out)
{
    size_t i;
    const struct qser *s;

    out->n = 0;
    /* The element array is reused from step to step. */
    if (out->cap < m->n || out->e == NULL) {
        out->cap = m->n ? m->n : 1;
        out->e = arena_alloc(ev->a, out->cap * sizeof(*out->e));
    }
    for (i = 0; i < m->n; i++) {
        s = &m->s[i];
        /* Points are at step times, so a cursor only ever moves on. */
        while (cur[i] < s->n && s->pts[cur[i]].t < t)
            cur[i]++;
        if (cur[i] < s->n && s->pts[cur[i]].t == t) {
            out->e[out->n].ls = &s->ls;
            out->e[out->n].v = s->pts[cur[i]].v;
            out->e[out->n].src = i;
            out->n++;
        }
    }
}

/* A scalar matrix has one series with a point at every step. */
double
qmat_scalar(const struct qmat *m, size_t i)
{
    return m->n && i < m->s[0].n ? m->s[0].pts[i].v : 0;
}

void
qlabels_copy(struct arena *a, const struct labels *in, struct labels *out)
{
    size_t i;

    out->n = in->n;
    out->v = arena_alloc(a, (in->n ? in->n : 1) * sizeof(*out->v));
    for (i = 0; i < in->n; i++) {
        out->v[i].name = arena_strdup(a, in->v[i].name);
        out->v[i].value = arena_strdup(a, in->v[i].value);
    }
}

static bool
listed(const struct qlabel_list *l, const char *name)
{
    size_t i;

    for (i = 0; l != NULL && i < l->n; i++) {
        if (strcmp(l->v[i], name) == 0)
            return true;
    }
    return false;
}

void
qlabels_filter(struct qev *ev, const struct labels *in,
               const struct qlabel_list *names, bool keep, bool drop_name,
               struct labels *out)
{
    size_t i;
    bool is_name;

    out->v = arena_alloc(ev->a, (in->n ? in->n : 1) * sizeof(*out->v));
    out->n = 0;
    for (i = 0; i < in->n; i++) {
        /* Most names do not start with '_': no strcmp for them. */
        is_name = in->v[i].name[0] == '_' &&
                  strcmp(in->v[i].name, LABEL_METRIC_NAME) == 0;
        if (drop_name && is_name)
            continue;
        if (listed(names, in->v[i].name) != keep)
            continue;
        out->v[out->n++] = in->v[i];
    }
}

void
qlabels_drop_name(struct qev *ev, const struct labels *in,
                  struct labels *out)
{
    qlabels_filter(ev, in, NULL, false, true, out);
}

/*
 * Sets name to value keeping the set sorted; an empty or NULL value
 * removes the label, as an empty label value means an absent label.
 */
void
qlabels_set(struct qev *ev, const struct labels *in, const char *name,
            const char *value, struct labels *out)
{
    size_t i, j = 0;
    bool done = false;
    int c;

    out->v = arena_alloc(ev->a, (in->n + 1) * sizeof(*out->v));
    for (i = 0; i < in->n; i++) {
        c = strcmp(in->v[i].name, name);
        if (c >= 0 && !done) {
            done = true;
            if (value != NULL && value[0] != '\0') {
                out->v[j].name = name;
                out->v[j++].value = value;
            }
            if (c == 0)
                continue;
        }
        out->v[j++] = in->v[i];
    }
    if (!done && value != NULL && value[0] != '\0') {
        out->v[j].name = name;
        out->v[j++].value = value;
    }
    out->n = j;
}

int
qeval_fail(struct qev *ev, const struct qnode *n, const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof(ev->d->msg)];

    /* The reason the budget stopped the evaluation stays. */
    if (ev->ctl != NULL && ev->ctl->stopped != QEVAL_DONE)
        return -1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n != NULL)
        diag_set(ev->d, n->line, n->col, n->len ? (int)n->len : 1, "%s",
                 msg);
    else
        diag_set(ev->d, 0, 0, 0, "%s", msg);
    return -1;
}
