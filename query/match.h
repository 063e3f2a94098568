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
/* True when value (NULL or "" for an absent label) satisfies m. */
bool qmatch_matches(const struct store_matcher *m, const char *value);

#endif
