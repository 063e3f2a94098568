/*
 * Incremental range evaluation: a dashboard panel re-evaluates its range
 * query every frame over a grid that slides with the clock, and most of
 * its points cannot have changed. A struct qincr keeps the panel's last
 * result and, per refresh, evaluates only the steps that are new or that
 * the store's changes since then can reach; the rest is copied. The
 * result is identical to a full qeval_range_cached over the same grid:
 * same series, labels, order and point bits.
 *
 * Why kept points hold. A point at step t reads only samples with
 * timestamps in [t - back, t + fwd], where, from the query's tree:
 *   - an instant selector reads [t - o - 5m, t - o] (o its offset, which
 *     may be negative: then fwd > 0), a range selector [t - o - r, t - o];
 *   - a subquery x[r:s] offset o reads its inner expression at the
 *     multiples of s (aligned to the epoch, not to the grid) within
 *     [t - o - r, t - o], so back = o + r + back(x), fwd = fwd(x) - o;
 *   - every other node reads what its operands read (the widest of them);
 *     numbers, strings and time() read nothing.
 * Everything else a point depends on is the step time itself: no PromQL
 * function but start() and end() sees the grid's ends, and no error but
 * the sample budget depends on more than one step.
 *
 * What is recomputed when. The store reports, since the version the kept
 * result was computed at (store_changes_since), the oldest timestamp
 * appended, A, and the newest timestamp of a dropped chunk, D. A step t
 * of the new grid keeps its old point when the old grid had it and
 * t + fwd < A (no appended sample reaches it: this covers samples that
 * come late with their own timestamps, older than other series' newest,
 * and staleness markers written at scrape time) and t - back > D (its
 * window never reached data that retention, the byte budget or a dropped
 * series took away). These steps form one run; the steps before it (a
 * drop) and after it (new steps, late samples) are evaluated as grids of
 * their own, and the three are merged by label set: a series keeps the
 * points it has at the kept steps plus those of the new grids, a series
 * found only in a new grid is added, and one left with no point goes, as
 * a full evaluation would drop it. When nothing reaches the grid and it
 * has not moved, the kept result itself is returned. The parts read
 * through the frame cache as qeval_range_ctl does, taking only the
 * results computed at the store's version now (query/cache.h), since
 * the version recorded is the one every part has seen.
 *
 * What falls back to a full evaluation: the first refresh; a new query
 * text (template variables and $__interval are expanded into it), step,
 * store, or a start off the old grid's multiples of the step; a store
 * that no longer knows what changed since (store_clear, or too many
 * changes since: a page not shown for a while); a query with @ anywhere
 * (@ start() and @ end() depend on the grid's ends, and an @-pinned
 * selector reads the same samples for every step); a grid past the
 * 11,000-point limit (the full evaluation reports it); no kept step
 * left; and a partial evaluation that fails, so that the error is the
 * one a full evaluation gives.
 *
 * The budget (struct qeval_ctl): a refresh is one query. Its parts share
 * the timeout, and each part may hold the samples the budget leaves
 * after the kept points, which a full evaluation holds too by its last
 * step (Prometheus counts a range query's result as held). A part
 * stopped by the budget (too many samples, the timeout, the flag) ends
 * the refresh with that error; no full evaluation follows it. One
 * interrupted (QEVAL_INTERRUPTED) keeps the state as it was, so the next
 * refresh takes up the same new steps. What a
 * refresh cannot reproduce is a peak the full evaluation reaches in the
 * kept steps alone: a query so close to the budget may fail only at its
 * next full evaluation.
 *
 * Memory: the state keeps one result, which it shares with the caller
 * (qresult_ref) rather than copying. Not thread-safe.
 *
 * Ownership: the caller owns the state (qincr_new/qincr_free) and each
 * result qincr_range returns (qresult_free), and must not change it.
 * q, st and cache are borrowed for the call. The state tells stores
 * apart by address: after freeing a store, free its states too.
 */
#ifndef QUERY_INCR_H
#define QUERY_INCR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/cache.h"
#include "query/query.h"
#include "query/value.h"
#include "src/base/diag.h"
#include "store/store.h"

struct qincr;

/* What the last qincr_range did, for tests and benchmarks. */
struct qincr_stats {
    bool full;          /* the whole grid was evaluated */
    size_t steps;       /* steps in the grid */
    size_t evaluated;   /* steps evaluated (all of them when full) */
};

/* A state with no kept result; the first refresh evaluates in full. */
struct qincr *qincr_new(void);
/* Releases the state and its hold on the kept result; NULL does
 * nothing. */
void qincr_free(struct qincr *s);

/*
 * Evaluates q over start, start + step, ... end (ms) against st, reading
 * through cache (which may be NULL), like qeval_range_ctl, with the same
 * result and the same errors (NULL with d set), within ctl's budget
 * (NULL: as qeval_range_ctl takes NULL); ctl->stopped says whether the
 * budget ended it. The result is the caller's and may be the very result
 * the previous call returned, when nothing changed.
 */
struct qresult *qincr_range(struct qincr *s, const struct query *q,
                            const struct store *st, struct qcache *cache,
                            int64_t start, int64_t end, int64_t step,
                            struct qeval_ctl *ctl, struct diag *d);

/* What the last qincr_range did. */
void qincr_last(const struct qincr *s, struct qincr_stats *out);

#endif
