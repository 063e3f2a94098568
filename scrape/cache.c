/*
 * The series cache: raw series text to series id, swept after each
 * successful scrape. It knows nothing of the store or of relabelling;
 * scrape/commit.c decides what goes in. Keys are front-coded: a body's
 * series come sorted by family and mostly differ in their last label
 * values, so each key keeps only what it adds to the one before (about
 * a third of it), and every RESTART-th key is whole so that any key can
 * be rebuilt in a few steps. Lookups in body order rebuild each key from
 * the one before by copying its own bytes. The hash reads the key eight
 * bytes at a time; a target that crafts colliding names only slows down
 * its own cache.
 */
#include "scrape/cache.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

#define MIX 0xff51afd7ed558ccdULL
/* Every RESTART-th key is stored whole. */
#define RESTART 16

static uint64_t
key_hash(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * MIX;
        h ^= h >> 29;
    }
    if (n > 0) {
        w = 0;
        memcpy(&w, p, n);
        h = (h ^ w) * MIX;
        h ^= h >> 29;
    }
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 32);
}

/* The bytes entry i keeps of its own. */
static size_t
own_len(const struct series_cache *c, size_t i)
{
    return (i + 1 < c->n ? c->v[i + 1].off : c->klen) - c->v[i].off;
}

static size_t
key_len(const struct series_cache *c, size_t i)
{
    return c->v[i].shared + own_len(c, i);
}

static void
cur_reserve(struct series_cache *c, size_t len)
{
    if (len <= c->curcap)
        return;
    c->curcap = c->curcap ? c->curcap : 64;
    while (c->curcap < len)
        c->curcap *= 2;
    c->cur = xrealloc(c->cur, c->curcap);
}

/*
 * Rebuilds the key of entry i in c->cur: on from the key cur holds when
 * that one lies before i since the last whole key, else from that whole
 * key.
 */
static void
rebuild(struct series_cache *c, size_t i)
{
    size_t from = i - i % RESTART;

    if (c->cur1 == i + 1)
        return;
    if (c->cur1 > from && c->cur1 <= i)
        from = c->cur1;
    for (size_t k = from; k <= i; k++) {
        const struct cache_entry *e = &c->v[k];
        size_t own = own_len(c, k);

        cur_reserve(c, e->shared + own);
        memcpy(c->cur + e->shared, c->keys + e->off, own);
    }
    c->cur1 = i + 1;
}

/*
 * Whether entry i's key is key; its own bytes are compared first, so
 * most other keys are told apart without rebuilding them. In body order
 * cur holds the previous key, and on a match it becomes this one by
 * taking key's own bytes.
 */
static bool
entry_is(struct series_cache *c, size_t i, const char *key, size_t len)
{
    const struct cache_entry *e = &c->v[i];
    size_t own = own_len(c, i);

    if (e->shared + own != len
        || memcmp(c->keys + e->off, key + e->shared, own) != 0)
        return false;
    if (c->cur1 != i) {
        rebuild(c, i);
        return memcmp(c->cur, key, e->shared) == 0;
    }
    if (memcmp(c->cur, key, e->shared) != 0)
        return false;
    cur_reserve(c, len);
    memcpy(c->cur + e->shared, key + e->shared, own);
    c->cur1 = i + 1;
    return true;
}

/*
 * The table slot holding key, or the empty slot where it would go. A
 * slot holds no hash: entry_is tells most other keys apart by length and
 * own bytes, and lookups by hash are the rare ones (a body that changed
 * its order).
 */
static uint32_t *
slot_for(struct series_cache *c, const char *key, size_t len, uint64_t h)
{
    size_t mask = c->cap - 1;

    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = c->slots[i];

        if (s == 0 || entry_is(c, s - 1, key, len))
            return &c->slots[i];
    }
}

struct cache_entry *
cache_find(struct series_cache *c, const char *key, size_t len)
{
    uint32_t *s;
    size_t i = c->next;

    /* The body's order: the entry after the last one found. */
    if (i < c->n && entry_is(c, i, key, len)) {
        c->next = i + 1;
        return &c->v[i];
    }
    if (c->cap == 0)
        return NULL;
    s = slot_for(c, key, len, key_hash(key, len));
    if (*s == 0)
        return NULL;
    i = *s - 1;
    c->next = i + 1;
    return &c->v[i];
}

/* The next entry's key is rebuilt in cur, in body order from the one
 * before it by copying its own bytes. */
const char *
cache_peek(struct series_cache *c, size_t *len)
{
    if (c->next >= c->n)
        return NULL;
    rebuild(c, c->next);
    *len = key_len(c, c->next);
    return c->cur;
}

struct cache_entry *
cache_take(struct series_cache *c)
{
    assert(c->next < c->n && c->cur1 == c->next + 1);
    return &c->v[c->next++];
}

/* A table of cap slots for the entries there are. */
static void
rehash(struct series_cache *c, size_t cap)
{
    free(c->slots);
    c->slots = xcalloc(cap, sizeof(*c->slots));
    c->cap = cap;
    for (size_t i = 0; i < c->n; i++) {
        size_t len = key_len(c, i), j;
        uint64_t h;

        rebuild(c, i);
        h = key_hash(c->cur, len);
        /* Keys in the cache are distinct: the first empty slot. */
        for (j = h & (cap - 1); c->slots[j] != 0; j = (j + 1) & (cap - 1))
            ;
        c->slots[j] = (uint32_t)(i + 1);
    }
}

/* How many first bytes a and b (of lengths na, nb) have in common. */
static size_t
common_prefix(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = na < nb ? na : nb, k = 0;

    while (k < n && a[k] == b[k])
        k++;
    return k;
}

/* Appends key as entry c->n's bytes, sharing what it can with prev. */
static void
append_key(struct series_cache *c, const char *key, size_t len,
           const char *prev, size_t prevlen)
{
    size_t shared = 0, own;

    if (c->n % RESTART != 0)
        shared = common_prefix(prev, prevlen, key, len);
    own = len - shared;
    if (c->klen + own > c->kcap) {
        c->kcap = c->kcap ? c->kcap * 2 : 4096;
        while (c->klen + own > c->kcap)
            c->kcap *= 2;
        c->keys = xrealloc(c->keys, c->kcap);
    }
    memcpy(c->keys + c->klen, key + shared, own);
    c->v[c->n].off = (uint32_t)c->klen;
    c->v[c->n].shared = (uint32_t)shared;
    c->klen += own;
}

void
cache_insert(struct series_cache *c, const char *key, size_t len,
             uint32_t id, uint32_t iter)
{
    uint64_t h = key_hash(key, len);
    uint32_t *s;
    size_t prevlen = 0;
    struct cache_entry *e;

    assert(len <= UINT32_MAX && c->klen + len <= UINT32_MAX
           && c->n < UINT32_MAX);
    if ((c->n + 1) * 4 > c->cap * 3)
        rehash(c, c->cap != 0 ? c->cap * 2 : 64);
    if (c->n == c->vcap) {
        c->vcap = c->vcap ? c->vcap * 2 : 64;
        c->v = xreallocarray(c->v, c->vcap, sizeof(*c->v));
    }
    s = slot_for(c, key, len, h);
    assert(*s == 0);
    if (c->n > 0) {
        rebuild(c, c->n - 1);
        prevlen = key_len(c, c->n - 1);
    }
    append_key(c, key, len, c->cur, prevlen);
    e = &c->v[c->n];
    e->id = id;
    e->iter = iter;
    *s = (uint32_t)(c->n + 1);
    c->n++;
    c->next = c->n;
    /* cur held the previous key: the shared bytes are there already. */
    cur_reserve(c, len);
    memcpy(c->cur + e->shared, key + e->shared, len - e->shared);
    c->cur1 = c->n;
}

void
cache_rewind(struct series_cache *c)
{
    c->next = 0;
}

/* Gives back the room left from growing by doubling. */
static void
trim(struct series_cache *c)
{
    if (c->vcap > c->n + c->n / 4 || c->kcap > c->klen + c->klen / 4) {
        c->v = xreallocarray(c->v, c->n ? c->n : 1, sizeof(*c->v));
        c->vcap = c->n;
        c->keys = xrealloc(c->keys, c->klen ? c->klen : 1);
        c->kcap = c->klen;
    }
}

/*
 * The entries and keys left are packed again, in their order and coded
 * afresh, so the cache shrinks with what it drops and keeps the body's
 * order; when nothing is dropped, only the slack of growing goes.
 */
void
cache_sweep(struct series_cache *c, uint32_t iter)
{
    struct series_cache out = { 0 };
    size_t live = 0, cap = 64, prevlen = 0, prevcap = 0;
    char *prev = NULL;

    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].iter == iter)
            live++;
    if (live == c->n) {
        /* Grown by doubling while the first scrape came in: a target's
         * series hardly change after it, so the slack goes. */
        trim(c);
        return;
    }
    if (live == 0) {
        cache_clear(c);
        return;
    }
    out.v = xreallocarray(NULL, live, sizeof(*out.v));
    out.vcap = live;
    for (size_t i = 0; i < c->n; i++) {
        size_t len = key_len(c, i);

        if (c->v[i].iter != iter)
            continue;
        rebuild(c, i);
        append_key(&out, c->cur, len, prev, prevlen);
        out.v[out.n].id = c->v[i].id;
        out.v[out.n].iter = iter;
        out.n++;
        if (len > prevcap) {
            prevcap = len;
            prev = xrealloc(prev, prevcap);
        }
        if (len > 0)
            memcpy(prev, c->cur, len);
        prevlen = len;
    }
    free(prev);
    free(c->keys);
    free(c->v);
    c->keys = out.keys;
    c->klen = out.klen;
    c->kcap = out.kcap;
    c->v = out.v;
    c->n = out.n;
    c->vcap = out.vcap;
    c->cur1 = 0;
    trim(c);
    while (live * 4 > cap * 3 / 2)
        cap *= 2;
    rehash(c, cap);
    c->next = 0;
}

void
cache_clear(struct series_cache *c)
{
    free(c->keys);
    free(c->v);
    free(c->slots);
    free(c->cur);
    memset(c, 0, sizeof(*c));
}

void
cache_settle(struct series_cache *c, const uint32_t *fresh)
{
    for (size_t i = 0; i < c->n; i++) {
        struct cache_entry *e = &c->v[i];

        if (e->id != CACHE_DROPPED && (e->id & STAGE_NEW))
            e->id = fresh[e->id & ~STAGE_NEW];
    }
}

size_t
cache_bytes(const struct series_cache *c)
{
    return c->kcap + c->vcap * sizeof(*c->v) + c->cap * sizeof(*c->slots)
           + c->curcap;
}
