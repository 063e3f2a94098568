/*
 * Test support: reads Prometheus's PromQL test scripts (the 2.42 format
 * of tests/data/conformance: load, clear, eval, eval_ordered, eval_fail)
 * as data sets, for tests that compare two evaluations of the same
 * expressions rather than check the scripts' expected results (that is
 * promql-conformance's job). A set is the series a script has loaded
 * since its last clear, with the expressions evaluated against them.
 *
 * Ownership: ptest_read's sets belong to the caller (ptest_free); their
 * label strings and samples are heap copies.
 */
#ifndef TESTS_SUPPORT_PROMQLTEST_H
#define TESTS_SUPPORT_PROMQLTEST_H

#include <stddef.h>
#include <stdint.h>

#include "store/labels.h"
#include "store/store.h"

/* One series of a set: an owned label set and its samples, ascending by
 * time (staleness markers as the stale NaN). */
struct ptest_series {
    struct labels ls;
    struct sample *s;
    size_t n, cap;
};

/* What the expressions of a set are evaluated against. */
struct ptest_set {
    struct ptest_series *series;
    size_t nseries;
    int64_t interval;   /* the smallest load interval, ms */
    char **exprs;       /* distinct, in file order */
    size_t nexprs;
};

/*
 * Reads the script at path into sets (one per state of the data that
 * some eval sees). Returns the number of sets, or -1 with err set to the
 * line and what was wrong there.
 */
long ptest_read(const char *path, struct ptest_set **sets, char *err,
                size_t errlen);
void ptest_free(struct ptest_set *sets, size_t n);

#endif
