/*
 * Label matchers: compiles a PromQL matcher (name, op, value) into the
 * store's matcher type, regexes included, and tests values against it the
 * way the store does. It does not select series; store_select does.
 *
 * Ownership: qmatch_compile borrows name and value (they must outlive the
 * matcher: the query's arena holds them); the regex it creates is freed
 * with qmatch_fini.
 */
#ifndef QUERY_MATCH_H
#define QUERY_MATCH_H

#include <stdbool.h>

#include "src/base/diag.h"
#include "store/store.h"

/* Fills *m; -1 with d set (message only) when the regex does not compile. */
int qmatch_compile(struct store_matcher *m, enum store_match_op op,
                   const char *name, const char *value, struct diag *d);
/* Frees the regex of *m, if any. */
void qmatch_fini(struct store_matcher *m);
/*
 * True when value (NULL or "" for an absent label) satisfies m. A regex
 * match that could not be decided reads as false here: callers that must
 * not take that for an answer compare qmatch_undecided before and after.
 */
bool qmatch_matches(const struct store_matcher *m, const char *value);
/*
 * How many regex matches of the n matchers m could not be decided since
 * they were compiled (src/base/regex.h regex_undecided); it only grows.
 * A selection during which it grew is no answer: the caller fails with
 * QMATCH_UNDECIDED_MSG rather than return a selection that may lack
 * series (or hold some) a decided match would have given.
 */
size_t qmatch_undecided(const struct store_matcher *m, size_t n);
/* The error text for an undecided match, after the matcher's text. */
#define QMATCH_UNDECIDED_MSG \
    "a regular expression match could not be decided (too complex for " \
    "this input)"

#endif
