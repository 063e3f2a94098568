/*
 * The series cache: a hash table from raw series text to series id,
 * swept after each successful scrape. It knows nothing of the store or
 * of relabelling; scrape/commit.c decides what goes in.
 */
#include "scrape/cache.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

static struct cache_entry *
cache_slot(struct series_cache *c, const char *key, size_t len, uint64_t h)
{
    size_t mask = c->cap - 1;

    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct cache_entry *e = &c->v[i];

        if (e->key == NULL || (e->hash == h && e->len == len &&
                               memcmp(e->key, key, len) == 0))
            return e;
    }
}

struct cache_entry *
cache_find(struct series_cache *c, const char *key, size_t len, uint64_t h)
{
    struct cache_entry *e;

    if (c->cap == 0)
        return NULL;
    e = cache_slot(c, key, len, h);
    return e->key != NULL ? e : NULL;
}

/* Re-inserts the entries (seen in scrape keep_iter, or all when keep_all)
 * into a table of new_cap slots, freeing the others' keys. */
static void
cache_rebuild(struct series_cache *c, size_t new_cap, bool keep_all,
              uint32_t keep_iter)
{
    struct cache_entry *old = c->v;
    size_t old_cap = c->cap;

    c->v = xcalloc(new_cap, sizeof(*c->v));
    c->cap = new_cap;
    c->n = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key == NULL)
            continue;
        if (!keep_all && old[i].iter != keep_iter) {
            free(old[i].key);
            continue;
        }
        *cache_slot(c, old[i].key, old[i].len, old[i].hash) = old[i];
        c->n++;
    }
    free(old);
}

void
cache_insert(struct series_cache *c, const char *key, size_t len,
             uint64_t h, uint32_t id, uint32_t iter)
{
    struct cache_entry *e;

    if ((c->n + 1) * 4 > c->cap * 3)
        cache_rebuild(c, c->cap != 0 ? c->cap * 2 : 64, true, 0);
    e = cache_slot(c, key, len, h);
    assert(e->key == NULL);
    e->key = xstrndup(key, len);
    assert(len <= UINT32_MAX);
    e->len = (uint32_t)len;
    e->hash = h;
    e->id = id;
    e->iter = iter;
    c->n++;
}

/* The table shrinks with the entries it drops. */
void
cache_sweep(struct series_cache *c, uint32_t iter)
{
    size_t live = 0, cap = 64;

    for (size_t i = 0; i < c->cap; i++)
        if (c->v[i].key != NULL && c->v[i].iter == iter)
            live++;
    if (live == c->n)
        return;
    while (live * 4 > cap * 3 / 2)
        cap *= 2;
    cache_rebuild(c, cap, false, iter);
}

void
cache_clear(struct series_cache *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->v[i].key);
    free(c->v);
    memset(c, 0, sizeof(*c));
}

void
cache_settle(struct series_cache *c, const uint32_t *fresh)
{
    for (size_t i = 0; i < c->cap; i++) {
        struct cache_entry *e = &c->v[i];

        if (e->key != NULL && e->id != CACHE_DROPPED && (e->id & STAGE_NEW))
            e->id = fresh[e->id & ~STAGE_NEW];
    }
}
