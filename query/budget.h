/*
 * One query's budget, as Prometheus's engine keeps it: how many samples
 * the evaluation holds at once (--query.max-samples), how long it may
 * run (--query.timeout), and a cancellation flag. The evaluator calls in
 * at its safe points; nothing here allocates.
 *
 * Internal to query/: not part of the query API; other folders include
 * query/query.h (tests may include this header).
 *
 * Ownership: a struct qev borrows its struct qeval_ctl for the length of
 * one evaluation and writes the reason it stopped into it.
 */
#ifndef QUERY_BUDGET_H
#define QUERY_BUDGET_H

#include <stdint.h>

#include "query/eval.h"

/* Starts ev's budget from ctl. */
void qeval_budget_start(struct qev *ev, struct qeval_ctl *ctl);
/*
 * Counts k more samples as held (k may be negative); -1 with the error
 * set at n once more than the budget would be held.
 */
int qeval_hold(struct qev *ev, const struct qnode *n, int64_t k);
/*
 * The inputs of one step (k samples) are held while the step's outputs
 * are made, as in Prometheus's rangeEval; -1 past the budget.
 * qeval_step_end forgets them again.
 */
int qeval_step_begin(struct qev *ev, const struct qnode *n, int64_t k);
void qeval_step_end(struct qev *ev);
/*
 * A safe point after units of work (about one per sample looked at): -1
 * with the error set once the query timed out or its cancellation flag
 * is up. Cheap enough to call at every step; qeval_check is one unit.
 */
int qeval_work(struct qev *ev, const struct qnode *n, size_t units);
int qeval_check(struct qev *ev, const struct qnode *n);
/* Ends the evaluation for why, with Prometheus's message at n; -1. */
int qeval_stop(struct qev *ev, const struct qnode *n, enum qeval_stop why);

#endif
