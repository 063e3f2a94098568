/*
 * The series cache: raw series text to series id, swept after each
 * successful scrape. It knows nothing of the store or of relabelling;
 * scrape/commit.c decides what goes in. The hash reads the key eight
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

static bool
entry_is(const struct series_cache *c, const struct cache_entry *e,
         const char *key, size_t len)
{
    return e->len == len && memcmp(c->keys + e->off, key, len) == 0;
}

/* The table slot holding key, or the empty slot where it would go. */
static uint64_t *
slot_for(const struct series_cache *c, const char *key, size_t len,
         uint64_t h)
{
    size_t mask = c->cap - 1;
    uint64_t tag = h >> 32;

    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t s = c->slots[i];

        if (s == 0 || ((s >> 32) == tag &&
                       entry_is(c, &c->v[(uint32_t)s - 1], key, len)))
            return &c->slots[i];
    }
}

struct cache_entry *
cache_find(struct series_cache *c, const char *key, size_t len)
{
    uint64_t *s;
    size_t i = c->next;

    /* The body's order: the entry after the last one found. */
    if (i < c->n && entry_is(c, &c->v[i], key, len)) {
        c->next = i + 1;
        return &c->v[i];
    }
    if (c->cap == 0)
        return NULL;
    s = slot_for(c, key, len, key_hash(key, len));
    if (*s == 0)
        return NULL;
    i = (uint32_t)*s - 1;
    c->next = i + 1;
    return &c->v[i];
}

/* A table of cap slots for the entries there are. */
static void
rehash(struct series_cache *c, size_t cap)
{
    free(c->slots);
    c->slots = xcalloc(cap, sizeof(*c->slots));
    c->cap = cap;
    for (size_t i = 0; i < c->n; i++) {
        const struct cache_entry *e = &c->v[i];
        uint64_t h = key_hash(c->keys + e->off, e->len);

        *slot_for(c, c->keys + e->off, e->len, h) =
            (h >> 32) << 32 | (uint64_t)(i + 1);
    }
}

void
cache_insert(struct series_cache *c, const char *key, size_t len,
             uint32_t id, uint32_t iter)
{
    uint64_t h = key_hash(key, len), *s;
    struct cache_entry *e;

    assert(len <= UINT32_MAX && c->klen + len <= UINT32_MAX);
    if ((c->n + 1) * 4 > c->cap * 3)
        rehash(c, c->cap != 0 ? c->cap * 2 : 64);
    if (c->n == c->vcap) {
        c->vcap = c->vcap ? c->vcap * 2 : 64;
        c->v = xreallocarray(c->v, c->vcap, sizeof(*c->v));
    }
    if (c->klen + len > c->kcap) {
        c->kcap = c->kcap ? c->kcap * 2 : 4096;
        while (c->klen + len > c->kcap)
            c->kcap *= 2;
        c->keys = xrealloc(c->keys, c->kcap);
    }
    s = slot_for(c, key, len, h);
    assert(*s == 0);
    e = &c->v[c->n];
    e->off = (uint32_t)c->klen;
    e->len = (uint32_t)len;
    e->id = id;
    e->iter = iter;
    memcpy(c->keys + c->klen, key, len);
    c->klen += len;
    *s = (h >> 32) << 32 | (uint64_t)(c->n + 1);
    c->n++;
    c->next = c->n;
}

void
cache_rewind(struct series_cache *c)
{
    c->next = 0;
}

/*
 * The entries and keys left are packed again, in their order, so the
 * cache shrinks with what it drops and keeps the body's order; when
 * nothing is dropped, only the slack of growing goes.
 */
void
cache_sweep(struct series_cache *c, uint32_t iter)
{
    size_t live = 0, klen = 0, cap = 64;
    char *keys;

    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].iter == iter)
            live++;
    if (live == c->n) {
        /* Grown by doubling while the first scrape came in: a target's
         * series hardly change after it, so the slack goes. */
        if (c->vcap > c->n + c->n / 4 || c->kcap > c->klen + c->klen / 4) {
            c->v = xreallocarray(c->v, c->n ? c->n : 1, sizeof(*c->v));
            c->vcap = c->n;
            c->keys = xrealloc(c->keys, c->klen ? c->klen : 1);
            c->kcap = c->klen;
        }
        return;
    }
    if (live == 0) {
        cache_clear(c);
        return;
    }
    keys = xmalloc(c->klen);
    for (size_t i = 0, k = 0; i < c->n; i++) {
        struct cache_entry e = c->v[i];

        if (e.iter != iter)
            continue;
        memcpy(keys + klen, c->keys + e.off, e.len);
        e.off = (uint32_t)klen;
        klen += e.len;
        c->v[k++] = e;
    }
    free(c->keys);
    c->keys = xrealloc(keys, klen);
    c->klen = c->kcap = klen;
    c->n = c->vcap = live;
    c->v = xreallocarray(c->v, live, sizeof(*c->v));
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
    return c->kcap + c->vcap * sizeof(*c->v) + c->cap * sizeof(*c->slots);
}
