/*
 * Reading the store for the evaluator: instant selectors (lookback and
 * staleness), range selectors and subqueries handed series by series to
 * the range-vector functions, and the times @ and offset point at.
 *
 * Internal to query/: not part of the query API; other folders include
 * query/query.h (tests may include this header).
 *
 * Ownership: samples handed to a callback are valid during the call only;
 * matrices are built in the evaluation's arena (query/eval.h).
 */
#ifndef QUERY_SELECT_H
#define QUERY_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include "query/eval.h"

/* The time an @-pinned or offset node looks at for evaluation time t. */
int64_t qeval_effective(const struct qev *ev, const struct qnode *n,
                        int64_t t);
/*
 * An instant selector over ts: per step the newest sample within the
 * lookback window, or with timestamps that sample's time in seconds.
 */
int qeval_selector(struct qev *ev, const struct qnode *n,
                   const struct qsteps *ts, bool timestamps,
                   struct qmat *out);
/*
 * A subquery's inner expression, evaluated on the multiples of its step
 * that cover every window of ts, into *out (zeroed by the caller).
 */
int qeval_subquery(struct qev *ev, const struct qnode *n,
                   const struct qsteps *ts, struct qmat *out);
/* Called for each series of a range-vector argument; see below. */
typedef int (*qeval_range_fn)(struct qev *ev, const struct qrange *r,
                              void *arg);
/*
 * Calls fn with each series of a range-vector node (range selector or
 * subquery), its samples covering every window of ts with staleness
 * markers removed. The samples are valid during the call only (selector
 * series stream through one scratch buffer; a subquery's result is freed
 * once every series was handed over). Stops at the first -1.
 */
int qeval_range_each(struct qev *ev, const struct qnode *n,
                     const struct qsteps *ts, qeval_range_fn fn, void *arg);

#endif
