/*
 * The range-vector functions (rate, increase, delta, irate, idelta,
 * deriv, predict_linear, changes, resets, holt_winters, *_over_time and
 * absent_over_time), each over a window sliding along the steps.
 *
 * Ownership: results go into the evaluation's arena through *out.
 */
#ifndef QUERY_FUNCRANGE_H
#define QUERY_FUNCRANGE_H

#include "query/eval.h"

/* Evaluates a QN_CALL whose function takes a range vector; -1 with
 * ev->d set on error (holt_winters' factors out of range). */
int qfunc_range_call(struct qev *ev, const struct qnode *n,
                     const struct qsteps *ts, struct qmat *out);

#endif
