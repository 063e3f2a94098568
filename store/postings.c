/*
 * Postings in two levels of open-addressing tables keyed by interned
 * pointer: names, then the values of each name, each value holding a
 * growable ascending id array. Deletion shifts entries back (no
 * tombstones). It does not know what a series is beyond its id.
 */
#include "store/postings.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

struct plist {
    const char *value;      /* NULL: empty slot */
    uint32_t *ids;          /* ascending */
    uint32_t n;
    unsigned cap : 31;
    unsigned marked : 1;    /* on the sweep list */
};

struct pname {
    const char *name;       /* NULL: empty slot */
    struct plist *vals;     /* table of cap slots, a power of two */
    uint32_t nvals, cap;
};

struct pair {
    const char *name, *value;
};

struct postings {
    struct pname *names;
    size_t cap, n;
    struct pair *todo;      /* lists noted by postings_mark */
    size_t ntodo, todocap;
    size_t idbytes;         /* id arrays and value tables */
};

#define MIN_CAP 8

static size_t
ptr_home(const void *p, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL;

    return (size_t)(h >> 32) & (cap - 1);
}

/* True when slot j, whose home is home, may fill the hole at i. */
static bool
may_fill(size_t i, size_t j, size_t home)
{
    return i <= j ? (home <= i || home > j) : (home <= i && home > j);
}

struct postings *
postings_new(void)
{
    struct postings *p = xcalloc(1, sizeof(*p));

    p->cap = MIN_CAP;
    p->names = xcalloc(p->cap, sizeof(p->names[0]));
    return p;
}

void
postings_clear(struct postings *p)
{
    for (size_t i = 0; i < p->cap; i++) {
        struct pname *pn = &p->names[i];

        if (pn->name == NULL)
            continue;
        for (size_t j = 0; j < pn->cap; j++)
            free(pn->vals[j].ids);
        free(pn->vals);
        memset(pn, 0, sizeof(*pn));
    }
    p->n = 0;
    p->ntodo = 0;
    p->idbytes = 0;
}

void
postings_free(struct postings *p)
{
    if (p == NULL)
        return;
    postings_clear(p);
    free(p->names);
    free(p->todo);
    free(p);
}

static size_t
name_slot(const struct postings *p, const char *name)
{
    size_t i = ptr_home(name, p->cap);

    while (p->names[i].name != NULL && p->names[i].name != name)
        i = (i + 1) & (p->cap - 1);
    return i;
}

static size_t
value_slot(const struct pname *pn, const char *value)
{
    size_t i = ptr_home(value, pn->cap);

    while (pn->vals[i].value != NULL && pn->vals[i].value != value)
        i = (i + 1) & (pn->cap - 1);
    return i;
}

static const struct pname *
find_name(const struct postings *p, const char *name)
{
    const struct pname *pn = &p->names[name_slot(p, name)];

    return pn->name != NULL ? pn : NULL;
}

static void
grow_names(struct postings *p)
{
    struct pname *old = p->names;
    size_t oldcap = p->cap;

    p->cap *= 2;
    p->names = xcalloc(p->cap, sizeof(p->names[0]));
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].name != NULL)
            p->names[name_slot(p, old[i].name)] = old[i];
    }
    free(old);
}

static void
grow_values(struct postings *p, struct pname *pn)
{
    struct plist *old = pn->vals;
    size_t oldcap = pn->cap;

    pn->cap = oldcap ? oldcap * 2 : MIN_CAP;
    pn->vals = xcalloc(pn->cap, sizeof(pn->vals[0]));
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].value != NULL)
            pn->vals[value_slot(pn, old[i].value)] = old[i];
    }
    free(old);
    p->idbytes += (pn->cap - oldcap) * sizeof(pn->vals[0]);
}

/* The list of name=value, created empty when missing. */
static struct plist *
list_get(struct postings *p, const char *name, const char *value)
{
    struct pname *pn;
    struct plist *pl;

    if ((p->n + 1) * 2 > p->cap)
        grow_names(p);
    pn = &p->names[name_slot(p, name)];
    if (pn->name == NULL) {
        pn->name = name;
        p->n++;
    }
    if ((pn->nvals + 1) * 2 > pn->cap)
        grow_values(p, pn);
    pl = &pn->vals[value_slot(pn, value)];
    if (pl->value == NULL) {
        pl->value = value;
        pn->nvals++;
    }
    return pl;
}

/* The first index in ids[0..n) whose id is >= id. */
static size_t
lower_bound(const uint32_t *ids, size_t n, uint32_t id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void
postings_add(struct postings *p, const char *name, const char *value,
             uint32_t id)
{
    struct plist *pl = list_get(p, name, value);
    size_t at = pl->n;

    /* New ids are usually the largest; reused ones need a search. */
    if (pl->n > 0 && pl->ids[pl->n - 1] >= id) {
        at = lower_bound(pl->ids, pl->n, id);
        if (pl->ids[at] == id)
            return;
    }
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? (size_t)pl->cap * 2 : 1;

        pl->ids = xreallocarray(pl->ids, cap, sizeof(pl->ids[0]));
        p->idbytes += (cap - pl->cap) * sizeof(pl->ids[0]);
        pl->cap = (unsigned)cap;
    }
    memmove(pl->ids + at + 1, pl->ids + at,
            (pl->n - at) * sizeof(pl->ids[0]));
    pl->ids[at] = id;
    pl->n++;
}

const uint32_t *
postings_get(const struct postings *p, const char *name, const char *value,
             size_t *n)
{
    const struct pname *pn = find_name(p, name);
    const struct plist *pl;

    *n = 0;
    if (pn == NULL)
        return NULL;
    pl = &pn->vals[value_slot(pn, value)];
    if (pl->value == NULL)
        return NULL;
    *n = pl->n;
    return pl->ids;
}

size_t
postings_nvalues(const struct postings *p, const char *name)
{
    const struct pname *pn = find_name(p, name);

    return pn != NULL ? pn->nvals : 0;
}

void
postings_each_value(const struct postings *p, const char *name,
                    postings_visit_fn fn, void *ctx)
{
    const struct pname *pn = find_name(p, name);

    if (pn == NULL)
        return;
    for (size_t i = 0; i < pn->cap; i++) {
        const struct plist *pl = &pn->vals[i];

        if (pl->value != NULL)
            fn(pl->value, pl->ids, pl->n, ctx);
    }
}

size_t
postings_names(const struct postings *p, const char ***out)
{
    size_t k = 0;

    *out = NULL;
    if (p->n == 0)
        return 0;
    *out = xreallocarray(NULL, p->n, sizeof(**out));
    for (size_t i = 0; i < p->cap; i++) {
        if (p->names[i].name != NULL)
            (*out)[k++] = p->names[i].name;
    }
    return k;
}

void
postings_mark(struct postings *p, const char *name, const char *value)
{
    struct pname *pn = &p->names[name_slot(p, name)];
    struct plist *pl;

    if (pn->name == NULL)
        return;
    pl = &pn->vals[value_slot(pn, value)];
    if (pl->value == NULL || pl->marked)
        return;
    pl->marked = 1;
    if (p->ntodo == p->todocap) {
        p->todocap = p->todocap ? p->todocap * 2 : 16;
        p->todo = xreallocarray(p->todo, p->todocap, sizeof(p->todo[0]));
    }
    p->todo[p->ntodo++] = (struct pair){ name, value };
}

/* Empties slot i of the values of pn, shifting its cluster back. */
static void
remove_value(struct pname *pn, size_t i)
{
    size_t j = i, mask = pn->cap - 1;

    memset(&pn->vals[i], 0, sizeof(pn->vals[i]));
    for (j = (j + 1) & mask; pn->vals[j].value != NULL; j = (j + 1) & mask) {
        if (!may_fill(i, j, ptr_home(pn->vals[j].value, pn->cap)))
            continue;
        pn->vals[i] = pn->vals[j];
        memset(&pn->vals[j], 0, sizeof(pn->vals[j]));
        i = j;
    }
    pn->nvals--;
}

static void
remove_name(struct postings *p, size_t i)
{
    size_t j = i, mask = p->cap - 1;

    p->idbytes -= p->names[i].cap * sizeof(struct plist);
    free(p->names[i].vals);
    memset(&p->names[i], 0, sizeof(p->names[i]));
    for (j = (j + 1) & mask; p->names[j].name != NULL; j = (j + 1) & mask) {
        if (!may_fill(i, j, ptr_home(p->names[j].name, p->cap)))
            continue;
        p->names[i] = p->names[j];
        memset(&p->names[j], 0, sizeof(p->names[j]));
        i = j;
    }
    p->n--;
}

/* Rewrites one noted list without its dead ids; drops it when empty. */
static void
sweep_one(struct postings *p, const struct pair *pr, postings_dead_fn dead,
          void *ctx)
{
    size_t ni = name_slot(p, pr->name), vi, k = 0;
    struct pname *pn = &p->names[ni];
    struct plist *pl;

    vi = value_slot(pn, pr->value);
    pl = &pn->vals[vi];
    for (size_t i = 0; i < pl->n; i++) {
        if (!dead(pl->ids[i], ctx))
            pl->ids[k++] = pl->ids[i];
    }
    pl->n = (uint32_t)k;
    pl->marked = 0;
    if (k > 0)
        return;
    p->idbytes -= pl->cap * sizeof(pl->ids[0]);
    free(pl->ids);
    remove_value(pn, vi);
    if (pn->nvals == 0)
        remove_name(p, ni);
}

void
postings_sweep(struct postings *p, postings_dead_fn dead, void *ctx)
{
    for (size_t i = 0; i < p->ntodo; i++)
        sweep_one(p, &p->todo[i], dead, ctx);
    p->ntodo = 0;
}

void
postings_trim(struct postings *p)
{
    for (size_t i = 0; i < p->cap; i++) {
        struct pname *pn = &p->names[i];

        for (size_t j = 0; pn->name != NULL && j < pn->cap; j++) {
            struct plist *pl = &pn->vals[j];

            if (pl->value == NULL || pl->n == 0
                || (size_t)pl->n * 8 >= (size_t)pl->cap * 7)
                continue;
            p->idbytes -= (pl->cap - pl->n) * sizeof(pl->ids[0]);
            pl->ids = xreallocarray(pl->ids, pl->n, sizeof(pl->ids[0]));
            pl->cap = pl->n;
        }
    }
}

size_t
postings_bytes(const struct postings *p)
{
    return p->idbytes + p->cap * sizeof(p->names[0])
           + p->todocap * sizeof(p->todo[0]);
}

/* The first index >= from in b[0..nb) whose id is >= id (galloping). */
static size_t
gallop(const uint32_t *b, size_t from, size_t nb, uint32_t id)
{
    size_t step = 1, hi = from;

    while (hi < nb && b[hi] < id) {
        from = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > nb)
        hi = nb;
    return from + lower_bound(b + from, hi - from, id);
}

size_t
postings_intersect(uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t k = 0, j = 0;

    for (size_t i = 0; i < na && j < nb; i++) {
        j = gallop(b, j, nb, a[i]);
        if (j < nb && b[j] == a[i])
            a[k++] = a[i];
    }
    return k;
}
