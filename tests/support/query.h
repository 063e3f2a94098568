/*
 * Test support for evaluator tests: a store filled from literal samples,
 * and one PromQL text parsed and evaluated at an instant with any error
 * failing the test. It makes no assertion about the result itself.
 *
 * Ownership: ts_query_run's result belongs to the caller (qresult_free).
 * The store passed to ts_store_add stays the caller's.
 */
#ifndef TESTS_SUPPORT_QUERY_H
#define TESTS_SUPPORT_QUERY_H

#include <stddef.h>

#include "query/query.h"
#include "store/store.h"

/* Adds to st the series with the label pairs kv (name, value, name,
 * value, ..., NULL; at most 8 pairs) and n samples given as (t seconds,
 * value) pairs in tv. A failed append fails the test. */
void ts_store_add(struct store *st, const char *const *kv, const double *tv,
                  size_t n);

/* cmocka teardown for a group whose setup left a store in *state. */
int ts_store_teardown(void **state);

/* Parses text and evaluates it at t seconds against st (NULL for none).
 * A parse or evaluation error fails the test with the text and message. */
struct qresult *ts_query_run(const struct store *st, const char *text,
                             double t);

#endif
