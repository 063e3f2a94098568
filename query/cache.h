/*
 * A cache for one dashboard frame. A dashboard selects the same series in
 * many panels (the request counters in half of them, the latency buckets
 * in three); within a frame the store does not change, so each series is
 * decoded once, over the widest window any query asked for, and later
 * reads are served from that copy. Panels also share whole
 * aggregations (p50 and p95 of one histogram sum the same rates): the
 * evaluator keeps their results here too, by their text and grid
 * (query/eval.h).
 * Not thread-safe.
 *
 * Ownership: the caller owns the cache (qcache_new/qcache_free) and must
 * qcache_clear it whenever the store may have changed.
 */
#ifndef QUERY_CACHE_H
#define QUERY_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct qcache;

/* A cache holding at most max_bytes of samples; past that it stops
 * keeping new series and reads go to the store. */
struct qcache *qcache_new(size_t max_bytes);
void qcache_free(struct qcache *c);
/* Forgets everything (the store changed), the reach too. */
void qcache_clear(struct qcache *c);
/*
 * Says that this frame's reads end at or before maxt (a dashboard's now,
 * past its grid's end): the first read of a series then decodes up to
 * maxt, so that the reads that reach further later in the frame are
 * served from the cache instead of decoding the series again.
 */
void qcache_reach(struct qcache *c, int64_t maxt);
/*
 * Fills (*buf)[0..n) with the samples of id in [mint, maxt], exactly as
 * store_read does, decoding from the store only what the cache does not
 * hold; returns n.
 */
size_t qcache_read(struct qcache *c, const struct store *st, uint32_t id,
                   int64_t mint, int64_t maxt, struct sample **buf,
                   size_t *cap);

#endif
