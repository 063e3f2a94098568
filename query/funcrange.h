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
/*
 * The labels absent() and absent_over_time() give for their argument:
 * the selector's equality matchers, less __name__ and any label matched
 * twice or another way; none when arg is not a selector. Built in ev's
 * arena. absent() (query/funcall.c) shares it from here so that calls
 * run one way, from the dispatcher to the range functions.
 */
void qfunc_absent_labels(struct qev *ev, const struct qnode *arg,
                         struct labels *out);

#endif
