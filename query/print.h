/*
 * A compiled query written back as text the way Prometheus 2.42's
 * parser.Expr String() writes it: `sum by (job) (rate(x[5m]))`, matchers
 * sorted, durations as "1h30m", numbers as Go's shortest form, strings
 * in Go's quoting. The rules API shows a rule's query in this form, so
 * tools comparing it with Prometheus's answer see the same text.
 *
 * Ownership: the query is borrowed for the call; the text is appended
 * to the caller's buffer.
 */
#ifndef QUERY_PRINT_H
#define QUERY_PRINT_H

#include "query/query.h"
#include "src/base/buf.h"

/* Appends q's expression in Prometheus's canonical form to out. */
void qprint_query(const struct query *q, struct buf *out);

#endif
