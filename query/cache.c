/*
 * The frame cache. Series: an open-addressing table from series id to
 * the samples of the widest window read so far. A read inside that
 * window is a binary search and a copy; a read that reaches outside it
 * decodes the union of both windows once and replaces the entry.
 * Results: a short list of node results, each copied whole (label
 * strings too, as they may live in another query) into one arena.
 */
#include "query/cache.h"

#include <stdlib.h>
#include <string.h>

#include "query/eval.h"
#include "query/evalmat.h"
#include "src/base/xalloc.h"

struct entry {
    uint32_t id1;           /* series id + 1; 0: empty slot */
    int64_t mint, maxt;     /* the window the samples cover */
    struct sample *s;
    size_t n;
};

/* A node's result over one grid of one query range. */
struct kept {
    const char *text;       /* the node's text */
    size_t len;
    struct qsteps ts;
    int64_t qstart, qend;   /* what start() and end() mean */
    struct qser *s;
    size_t n;
};

struct qcache {
    struct entry *slots;
    size_t nslots, used;
    size_t bytes, max_bytes;    /* samples and kept results */
    int64_t reach;              /* reads end at or before it; or
                                   INT64_MIN: unknown */
    struct arena *results;      /* every kept result */
    struct kept *kept;
    size_t nkept, capkept;
};

struct qcache *
qcache_new(size_t max_bytes)
{
    struct qcache *c = xcalloc(1, sizeof(*c));

    c->max_bytes = max_bytes;
    c->reach = INT64_MIN;
    c->results = arena_new();
    return c;
}

void
qcache_clear(struct qcache *c)
{
    for (size_t i = 0; i < c->nslots; i++)
        free(c->slots[i].s);
    free(c->slots);
    c->slots = NULL;
    c->nslots = c->used = c->bytes = 0;
    arena_reset(c->results);
    c->nkept = 0;
    c->reach = INT64_MIN;
}

void
qcache_reach(struct qcache *c, int64_t maxt)
{
    c->reach = maxt;
}

void
qcache_free(struct qcache *c)
{
    if (c == NULL)
        return;
    qcache_clear(c);
    arena_free(c->results);
    free(c->kept);
    free(c);
}

/* The slot of id, or the empty slot where it would go. */
static struct entry *
find(struct qcache *c, uint32_t id)
{
    size_t i = (id * 2654435761u) & (c->nslots - 1);

    while (c->slots[i].id1 != 0 && c->slots[i].id1 != id + 1)
        i = (i + 1) & (c->nslots - 1);
    return &c->slots[i];
}

/* Keeps the table at most half full. */
static void
grow(struct qcache *c)
{
    struct entry *old = c->slots;
    size_t n = c->nslots;

    c->nslots = n ? n * 2 : 64;
    c->slots = xcalloc(c->nslots, sizeof(*c->slots));
    for (size_t i = 0; i < n; i++)
        if (old[i].id1 != 0)
            *find(c, old[i].id1 - 1) = old[i];
    free(old);
}

/* The index of the first sample with t >= mint. */
static size_t
lower_bound(const struct sample *s, size_t n, int64_t mint)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (s[mid].t < mint)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Decodes [mint, maxt] of id into e, replacing what it held. */
static void
fill(struct qcache *c, struct entry *e, const struct store *st, uint32_t id,
     int64_t mint, int64_t maxt)
{
    size_t cap = e->n;

    /* The frame's later reads reach this far: one decoding serves all. */
    if (maxt < c->reach)
        maxt = c->reach;
    c->bytes -= e->n * sizeof(*e->s);
    e->n = store_read(st, id, mint, maxt, &e->s, &cap);
    e->id1 = id + 1;
    e->mint = mint;
    e->maxt = maxt;
    c->bytes += e->n * sizeof(*e->s);
}

size_t
qcache_read(struct qcache *c, const struct store *st, uint32_t id,
            int64_t mint, int64_t maxt, struct sample **buf, size_t *cap)
{
    struct entry *e;
    size_t lo, hi;

    if (mint > maxt || c->bytes >= c->max_bytes)
        return store_read(st, id, mint, maxt, buf, cap);
    if ((c->used + 1) * 2 > c->nslots)
        grow(c);
    e = find(c, id);
    if (e->id1 == 0) {
        c->used++;
        fill(c, e, st, id, mint, maxt);
    } else if (mint < e->mint || maxt > e->maxt) {
        fill(c, e, st, id, mint < e->mint ? mint : e->mint,
             maxt > e->maxt ? maxt : e->maxt);
    }
    lo = lower_bound(e->s, e->n, mint);
    hi = maxt == INT64_MAX ? e->n : lower_bound(e->s, e->n, maxt + 1);
    if (*cap < hi - lo + 1) {
        *cap = hi - lo + 1;
        *buf = xreallocarray(*buf, *cap, sizeof(**buf));
    }
    if (hi > lo)
        memcpy(*buf, e->s + lo, (hi - lo) * sizeof(**buf));
    return hi - lo;
}

/* A dashboard has tens of aggregations at most: a list does. */
static struct kept *
find_result(struct qcache *c, const char *text, size_t len,
            const struct qev *ev, const struct qsteps *ts)
{
    size_t i;
    struct kept *k;

    for (i = 0; i < c->nkept; i++) {
        k = &c->kept[i];
        if (k->len == len && k->ts.start == ts->start &&
            k->ts.step == ts->step && k->ts.n == ts->n &&
            k->ts.end == ts->end &&
            k->qstart == ev->qstart && k->qend == ev->qend &&
            memcmp(k->text, text, len) == 0)
            return k;
    }
    return NULL;
}

bool
qcache_result(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
              struct qmat *out)
{
    const char *text = ev->text + n->off;
    struct kept *k = find_result(ev->cache, text, n->len, ev, ts);

    if (k == NULL)
        return false;
    /* The series array is the caller's to sort; the points stay the
     * cache's (a push past their end copies them into the arena). */
    memset(out, 0, sizeof(*out));
    out->n = out->cap = k->n;
    out->s = arena_alloc(ev->a, (k->n ? k->n : 1) * sizeof(*out->s));
    if (k->n > 0)
        memcpy(out->s, k->s, k->n * sizeof(*out->s));
    return true;
}

void
qcache_keep(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            const struct qmat *m)
{
    struct qcache *c = ev->cache;
    struct arena *a = c->results;
    const char *text = ev->text + n->off;
    size_t i, before = arena_used(a);
    struct kept *k;

    if (c->bytes >= c->max_bytes)
        return;
    if (c->nkept == c->capkept) {
        c->capkept = c->capkept ? c->capkept * 2 : 16;
        c->kept = xreallocarray(c->kept, c->capkept, sizeof(*c->kept));
    }
    k = &c->kept[c->nkept++];
    k->text = arena_strndup(a, text, n->len);
    k->len = n->len;
    k->ts = *ts;
    k->qstart = ev->qstart;
    k->qend = ev->qend;
    k->n = m->n;
    k->s = arena_alloc(a, (m->n ? m->n : 1) * sizeof(*k->s));
    for (i = 0; i < m->n; i++) {
        k->s[i] = m->s[i];
        qlabels_copy(a, &m->s[i].ls, &k->s[i].ls);
        k->s[i].cap = m->s[i].n;
        k->s[i].heap = 0;       /* the cache's points are never freed */
        k->s[i].pts = arena_alloc(a, (m->s[i].n ? m->s[i].n : 1) *
                                  sizeof(*k->s[i].pts));
        if (m->s[i].n > 0)
            memcpy(k->s[i].pts, m->s[i].pts,
                   m->s[i].n * sizeof(*k->s[i].pts));
    }
    c->bytes += arena_used(a) - before;
}
