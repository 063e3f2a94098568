/*
 * The series cache of a target: raw series text ("name{labels}" as the
 * body wrote it) to series id, so a series seen before skips relabelling
 * and the label limits. Open addressing with linear probing; each entry
 * remembers the scrape that last saw it, so series a scrape no longer
 * reports leave with a sweep.
 *
 * Private to scrape/commit.c (tests may include it).
 *
 * Ownership: the cache owns a copy of every key; cache_clear frees them
 * all.
 */
#ifndef SCRAPE_CACHE_H
#define SCRAPE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/target.h"

/* The id of a series metric_relabel_configs drops. */
#define CACHE_DROPPED UINT32_MAX

/* The entry for key (len bytes, hash h), or NULL when there is none. */
struct cache_entry *cache_find(struct series_cache *c, const char *key,
                               size_t len, uint64_t h);
/* Adds key (copied), which must not be in c yet, with id and scrape iter. */
void cache_insert(struct series_cache *c, const char *key, size_t len,
                  uint64_t h, uint32_t id, uint32_t iter);
/* Drops the entries scrape iter did not see, freeing their keys. */
void cache_sweep(struct series_cache *c, uint32_t iter);
/* Drops every entry and the table. */
void cache_clear(struct series_cache *c);
/*
 * Replaces each provisional id (STAGE_NEW plus an index, see
 * scrape/target.h) by fresh[index], the store id of the series a
 * successful scrape created.
 */
void cache_settle(struct series_cache *c, const uint32_t *fresh);

#endif
