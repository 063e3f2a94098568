/*
 * The PromQL parser: precedence climbing over the lexer's tokens into an
 * AST (query/ast.h) with static type checks. It is pure: text in, tree or
 * diag out, no I/O. qparse_query and friends are declared in
 * query/query.h; this header adds what the evaluator needs.
 *
 * Ownership: the tree belongs to the struct query (its arena) and lives
 * until qparse_free.
 */
#ifndef QUERY_PARSE_H
#define QUERY_PARSE_H

#include "query/ast.h"
#include "query/query.h"

/* The largest |t| of "@ t", in seconds: t * 1000 must fit in int64. */
#define QPARSE_MAX_AT_S 9.2e15

/* The root of the compiled expression. */
const struct qnode *qparse_root(const struct query *q);
/* Strips any number of enclosing parentheses. */
const struct qnode *qparse_unparen(const struct qnode *n);

#endif
