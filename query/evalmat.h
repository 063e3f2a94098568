/*
 * Matrices under construction (one series per label set, points by time)
 * and the label edits of operators and functions, for the evaluator.
 *
 * Internal to query/: not part of the query API; other folders include
 * query/query.h (tests may include this header).
 *
 * Ownership: everything is allocated in the evaluation's arena (ev->a);
 * label strings are borrowed from the store or the query and copied only
 * when the final result is built.
 */
#ifndef QUERY_EVALMAT_H
#define QUERY_EVALMAT_H

#include "query/eval.h"

/* Sets ev->d at node n (its span); returns -1. */
int qeval_fail(struct qev *ev, const struct qnode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The series with labels ls in m (ls copied into the arena when new). */
size_t qmat_series(struct qev *ev, struct qmat *m, const struct labels *ls);
/* The same, with h = labels_hash(ls) known. */
size_t qmat_series_hashed(struct qev *ev, struct qmat *m,
                          const struct labels *ls, uint64_t h);
/*
 * Adds (t, v) to series i, in time order, and counts it as held
 * (query/budget.h); -1 with ev->d set when the series already has a
 * point at t (two results with one label set) or past the budget.
 */
int qmat_push(struct qev *ev, struct qmat *m, size_t i, int64_t t,
              double v, const struct qnode *n);
/* qmat_push for callers that count what they hold themselves. */
int qmat_put(struct qev *ev, struct qmat *m, size_t i, int64_t t,
             double v, const struct qnode *n);
/* Makes room for cap points in series i (for a count known ahead). */
void qmat_reserve(struct qev *ev, struct qmat *m, size_t i, size_t cap);
/* The number of points in m. */
int64_t qmat_points(const struct qmat *m);
/*
 * Frees m's malloc'd point arrays (not its arena memory) once nothing
 * reads them; its series are then empty. The held count is the caller's.
 */
void qmat_release(struct qev *ev, struct qmat *m);
/* Sorts m's series by labels (the order of range results). */
void qmat_sort(struct qmat *m);
/*
 * The instant vector of m at time t. cur holds one cursor per series,
 * zeroed before the first step; times must not go backwards.
 */
void qmat_at(struct qev *ev, const struct qmat *m, size_t *cur, int64_t t,
             struct qvec *out);
/* The value of a scalar matrix at step i. */
double qmat_scalar(const struct qmat *m, size_t i);

/* Copies a label set, strings included, into a: the copy outlives the
 * store's and the query's strings. */
void qlabels_copy(struct arena *a, const struct labels *in,
                  struct labels *out);
/* Label-set helpers; results are built in ev's arena. */
void qlabels_drop_name(struct qev *ev, const struct labels *in,
                       struct labels *out);
void qlabels_set(struct qev *ev, const struct labels *in, const char *name,
                 const char *value, struct labels *out);
/* Keeps only (keep) or drops (!keep) the listed names (and __name__ too
 * when drop_name). */
void qlabels_filter(struct qev *ev, const struct labels *in,
                    const struct qlabel_list *names, bool keep,
                    bool drop_name, struct labels *out);

#endif
