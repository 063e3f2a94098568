/*
 * Step invariance, as Prometheus 2.42's PreprocessExpr works it out: a
 * node whose value is the same at every step (numbers, strings, anything
 * pinned with @, and what is computed only from those) is evaluated once
 * and copied along the grid. The parser marks the tree as it builds it;
 * the evaluator reads the marks. This matters for the answer (Prometheus
 * takes e.g. topk's k of an invariant aggregation at the first step) and
 * for the samples a query holds.
 *
 * Internal to query/: not part of the query API.
 *
 * Ownership: marks are written into the nodes; nothing is allocated.
 */
#ifndef QUERY_INVARIANT_H
#define QUERY_INVARIANT_H

#include "query/ast.h"

/*
 * Sets n->invariant from n and its children (marked before it) and the
 * wrap mark of each child that Prometheus evaluates once: an invariant
 * operand of a varying operator or function, and a subquery's invariant
 * expression. Marking again after n changed (an @ added) is harmless.
 */
void qparse_mark_invariant(struct qnode *n);
/* Marks the root of a whole expression for evaluation once. */
void qparse_mark_root(struct qnode *root);

#endif
