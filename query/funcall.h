/*
 * Function calls: dispatches a QN_CALL node to its implementation. The
 * instant-vector functions (math, labels, sorting, absent, scalar,
 * vector, time, timestamp, histogram_quantile) live in query/funcall.c,
 * the range-vector ones in query/funcrange.c.
 *
 * Ownership: results go into the evaluation's arena through *out.
 */
#ifndef QUERY_FUNCALL_H
#define QUERY_FUNCALL_H

#include "query/eval.h"

/* Evaluates the QN_CALL node n over ts; -1 with ev->d set on error. */
int qfunc_call(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
               struct qmat *out);

#endif
