/*
 * Binary operators: arithmetic, comparisons (filtering or bool), atan2 and
 * the set operators, between scalars and instant vectors, with on/ignoring
 * matching and group_left/group_right, worded and named as Prometheus 2.42
 * does. Operands are evaluated through qeval_node, except that a chain
 * of operators (a + b + c ...) is walked with a loop rather than by
 * recursion, so its length is not bounded by the stack.
 *
 * Ownership: results go into the evaluation's arena through *out.
 */
#ifndef QUERY_BINOP_H
#define QUERY_BINOP_H

#include "query/eval.h"

/* Evaluates the QN_BINARY node n over ts; -1 with ev->d set on error. */
int qeval_binary(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, struct qmat *out);

#endif
