/*
 * The series cache of a target: raw series text ("name{labels}" as the
 * body wrote it) to series id, so a series seen before skips relabelling
 * and the label limits. Compact: the keys sit back to back in one
 * buffer, front-coded (each as what it adds to the one before), the
 * entries (16 bytes) in the order their series came, and the hash
 * table holds 4-byte entry indexes. A body lists its series in
 * the same order every scrape, so a lookup first tries the entry after
 * the last one found, with no hashing, and the parser may ask for that
 * entry's key before it scans a line (cache_peek, cache_take). Each
 * entry remembers the scrape that last saw it, so series a scrape no
 * longer reports leave with a sweep.
 *
 * Private to scrape/commit.c (tests may include it).
 *
 * Ownership: the cache owns its keys; an entry pointer stays valid until
 * the next cache_insert, cache_sweep or cache_clear.
 */
#ifndef SCRAPE_CACHE_H
#define SCRAPE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/target.h"

/* The id of a series metric_relabel_configs drops. */
#define CACHE_DROPPED UINT32_MAX

/* The entry for key (len bytes), or NULL when there is none. */
struct cache_entry *cache_find(struct series_cache *c, const char *key,
                               size_t len);
/* Adds key (copied), which must not be in c yet, with id and scrape iter. */
void cache_insert(struct series_cache *c, const char *key, size_t len,
                  uint32_t id, uint32_t iter);
/*
 * The key of the entry a lookup in body order expects next (the one
 * after the last found), into *len, or NULL at the end. It stays valid
 * until the next call on c.
 */
const char *cache_peek(struct series_cache *c, size_t *len);
/* The entry whose key cache_peek just returned, found without comparing
 * it again: the caller saw that key in the body. */
struct cache_entry *cache_take(struct series_cache *c);
/* A new scrape starts: lookups expect the first entry first again. */
void cache_rewind(struct series_cache *c);
/* Drops the entries scrape iter did not see. */
void cache_sweep(struct series_cache *c, uint32_t iter);
/* Drops every entry, the keys and the table. */
void cache_clear(struct series_cache *c);
/*
 * Replaces each provisional id (STAGE_NEW plus an index, see
 * scrape/target.h) by fresh[index], the store id of the series a
 * successful scrape created.
 */
void cache_settle(struct series_cache *c, const uint32_t *fresh);
/* Bytes the cache holds. */
size_t cache_bytes(const struct series_cache *c);

#endif
