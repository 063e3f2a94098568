/*
 * PromQL: compile an expression once, evaluate it many times against the
 * store, as an instant query or a range query, with Prometheus 2.42's
 * semantics (5 m lookback, staleness markers, closed [T-d, T] windows,
 * extrapolated rate/increase). It never prints: errors come back as a diag
 * with the span of the offending token or AST node.
 *
 * Ownership: a struct query owns its AST (in its own arena). A result is
 * owned by the caller and freed with qresult_free (query/value.h).
 */
#ifndef QUERY_QUERY_H
#define QUERY_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "query/cache.h"
#include "query/value.h"
#include "src/base/diag.h"
#include "store/store.h"

struct query;

/*
 * How deeply an expression may nest (parentheses, signs, function and
 * aggregation arguments, chains of ^), the outermost expression counting
 * as one level: deeper text is a parse error, so no input can exhaust
 * the parser's stack. Chains of left-associative operators (a + b + c
 * ...) do not nest and have no limit.
 */
#define QPARSE_MAX_DEPTH 1024

/* Compiles text; NULL with d set (line, column, span) on a syntax or type
 * error. d->source is left as the caller set it. */
struct query *qparse_query(const char *text, size_t len, struct diag *d);
void qparse_free(struct query *q);
/* The static type of the expression (QV_SCALAR, QV_VECTOR, ...). */
enum qvalue_type qparse_type(const struct query *q);
/* The expression's text as given to qparse_query. */
const char *qparse_text(const struct query *q);

/* Evaluates at t (ms). NULL with d set when evaluation fails. */
struct qresult *qeval_instant(const struct query *q, const struct store *st,
                              int64_t t, struct diag *d);
/*
 * Evaluates at start, start+step, ... up to end (ms, inclusive). The result
 * is a matrix (a scalar expression gives one series with no labels), or
 * NULL with d set.
 */
struct qresult *qeval_range(const struct query *q, const struct store *st,
                            int64_t start, int64_t end, int64_t step,
                            struct diag *d);

/*
 * qeval_range reading through a frame read cache (query/cache.h), for a
 * dashboard whose panels select the same series: same result, each
 * series decoded once per frame. cache may be NULL.
 */
struct qresult *qeval_range_cached(const struct query *q,
                                   const struct store *st,
                                   struct qcache *cache, int64_t start,
                                   int64_t end, int64_t step,
                                   struct diag *d);

#endif
