/*
 * A dashboard's read cache. A dashboard selects the same series in many
 * panels (the request counters in half of them, the latency buckets in
 * three), frame after frame, and the store only appends to a series
 * between frames. So the cache keeps, per series, its decoded samples
 * from the oldest time any panel read, and a store cursor at the newest:
 * reads are served from that copy after decoding only what was appended
 * since (not the whole newest chunk again, as store_read would). Samples
 * no panel read in the last frames are let go, so the cache holds the
 * windows a page reads, not its history. Selections are kept too, by
 * the selector's text, until a series is created or gc runs. Panels
 * also share whole aggregations (p50 and p95 of one histogram sum the
 * same rates): the evaluator keeps their results here too, by their
 * text and grid, until the next frame (query/eval.h); and how an
 * aggregation groups a kept selection, with the selection.
 *
 * Which evaluation may take which result. Scrapes land between the
 * panels of a frame, so the store changes between two evaluations of
 * one aggregation. A range evaluation takes only a result computed at
 * the store's version now: the incremental evaluator (query/incr.h)
 * records the version its kept result was computed at and recomputes
 * only the steps that samples appended since can reach, so a part built
 * on an older version would leave late samples out for good. The value
 * at now of a panel (qeval_frame_at) is shown for one frame and never
 * built on, so it takes a result computed at the same time in this
 * frame whatever the version: that panel would have read the same had
 * it been evaluated a few milliseconds earlier, and a frame is not one
 * instant anyway.
 *
 * Not thread-safe.
 *
 * Ownership: the caller owns the cache (qcache_new/qcache_free), calls
 * qcache_frame before each frame, and uses one cache with one store
 * (qcache_clear before another).
 */
#ifndef QUERY_CACHE_H
#define QUERY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct qcache;

/* A cache holding at most max_bytes of samples; past that it stops
 * keeping new series and reads go to the store. */
struct qcache *qcache_new(size_t max_bytes);
void qcache_free(struct qcache *c);
/* Forgets everything. */
void qcache_clear(struct qcache *c);
/*
 * Begins a frame against st: drops what the store's changes since the
 * last frame made wrong (dropped chunks, reused ids), and lets go of the
 * series no read asked for in the last frames, and of the older samples
 * of a series once they span as long as those still read.
 * Everything it keeps reads exactly as the store would.
 */
void qcache_frame(struct qcache *c, const struct store *st);
/* A selected series: its id and labels (pairs in the query's arena or
 * in the cache, strings borrowed from the store until its next gc), and
 * those labels without the metric name and their labels_hash, which a
 * range function's result takes. */
struct qcache_series {
    uint32_t id;
    struct labels ls;
    struct labels noname;
    uint64_t noname_hash;
};

/*
 * The series a selector (its text) chose in st, sorted by labels, as
 * a finished build (qcache_build_run, below) keeps them while st's
 * series generation has not moved (store_series_gen), and whether their
 * labels without the metric name are all distinct (no two hashes of them are equal, as the cache
 * finds when it keeps them); NULL when none is kept. The array stays
 * valid until the next qcache_frame or qcache_clear, or a call on c with
 * another store: an evaluation reads it in place while it runs.
 */
const struct qcache_series *qcache_selection(struct qcache *c,
                                             const struct store *st,
                                             const char *text, size_t len,
                                             size_t *n, bool *distinct);
/*
 * How an aggregation groups the series of a kept selection (its text),
 * for a grouping told apart by key (any bytes): group[i] is 1 + the
 * group of series i of the selection, or 0 when not known yet, for
 * i < n, and labels[g] the label set of group g. The pairs' strings are
 * borrowed as the selection's are.
 */
struct qcache_groups {
    const uint32_t *group;
    size_t n;
    const struct labels *labels;
    size_t ngroups;
};

/* The groups kept for text and key into *out, valid until the next
 * qcache_keep_groups, qcache_frame or qcache_clear on c, or a call with
 * another store; false when none are kept. */
bool qcache_groups(struct qcache *c, const struct store *st,
                   const char *text, size_t len, const char *key,
                   size_t keylen, struct qcache_groups *out);
/* Keeps a copy of g for the selection text and key, in place of what
 * was kept for them, unless the selection is not kept or the cache is
 * full. */
void qcache_keep_groups(struct qcache *c, const struct store *st,
                        const char *text, size_t len, const char *key,
                        size_t keylen, const struct qcache_groups *g);
/*
 * A selection built in steps. At a million series one selector picks
 * tens of thousands of series, and building their labels and sorting
 * them takes tens of milliseconds, while a key may be waiting. So the
 * cache builds a selection step by step, calling the caller's work
 * function after each (a safe point of the query, which may stop it);
 * the build stays in the cache, and the query, asked again, takes it up
 * where it stopped instead of starting over. A build belongs to one
 * series generation and goes as a kept selection goes; finished, it is
 * the kept selection qcache_selection returns.
 */
struct qcache_build;
/* How much work was done since the last call (about one unit per
 * series or pair of labels looked at); -1 stops the build. */
typedef int (*qcache_work_fn)(void *ctx, size_t units);
/*
 * The build of text's selection for st's series generation now, begun
 * if there is none (its series not yet chosen); NULL when the cache is
 * full. Valid until the next qcache_frame or qcache_clear, or a call on
 * c with another store.
 */
struct qcache_build *qcache_build_get(struct qcache *c,
                                      const struct store *st,
                                      const char *text, size_t len);
/* Whether b's series are still to be chosen (qcache_build_take_ids). */
bool qcache_build_wants_ids(const struct qcache_build *b);
/* Gives b its series: ids[0..n), ascending, malloc'd; b takes them. */
void qcache_build_take_ids(struct qcache_build *b, uint32_t *ids,
                           size_t n);
/*
 * Takes b on from where it stopped: each series' labels (and those
 * without the metric name, and their hash), then their order. Returns
 * the finished selection as qcache_selection does (b is then gone), or
 * NULL when work stopped it (b is kept, its steps done so far too).
 */
const struct qcache_series *qcache_build_run(struct qcache *c,
                                             struct qcache_build *b,
                                             const struct store *st,
                                             qcache_work_fn work,
                                             void *ctx, size_t *n,
                                             bool *distinct);
/*
 * Fills (*buf)[0..n) with the samples of id in [mint, maxt], exactly as
 * store_read does, decoding from the store only what the cache does not
 * hold; returns n.
 */
size_t qcache_read(struct qcache *c, const struct store *st, uint32_t id,
                   int64_t mint, int64_t maxt, struct sample **buf,
                   size_t *cap);
/*
 * How many samples the last qcache_read decoded from the store: 0 when
 * the cache held them all, a whole window when it held none (a series
 * not read lately). A reader counts them as work besides those it got.
 */
size_t qcache_decoded(const struct qcache *c);

#endif
