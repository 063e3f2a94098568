/*
 * What a query evaluates to, as the widgets and the snapshot writer see
 * it: a scalar, a string, an instant vector (one point per series at the
 * evaluation time) or a matrix (range queries: points per step). A result
 * owns everything it points to, label strings included, in its own arena,
 * so it stays valid while the store changes underneath it. A result may
 * have several owners (qresult_ref); it is freed when the last lets go.
 */
#ifndef QUERY_VALUE_H
#define QUERY_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "src/base/arena.h"
#include "store/labels.h"

enum qvalue_type {
    QV_NONE,
    QV_SCALAR,
    QV_VECTOR,
    QV_MATRIX,
    QV_STRING,
};

struct qpoint {
    int64_t t;      /* ms */
    double v;
};

struct qseries {
    struct labels labels;
    struct qpoint *points;
    size_t npoints;
};

struct qresult {
    enum qvalue_type type;
    int64_t t;              /* evaluation time (instant) or end (range), ms */
    double scalar;          /* QV_SCALAR */
    const char *string;     /* QV_STRING */
    struct qseries *series; /* QV_VECTOR (npoints 1) and QV_MATRIX */
    size_t nseries;
    struct arena *arena;    /* owns all of the above */
    unsigned refs;          /* owners besides the first (qresult_ref) */
};

/*
 * Releases one owner's hold on a result: the last one frees it and its
 * arena. qresult_free(NULL) does nothing.
 */
void qresult_free(struct qresult *r);
/*
 * Adds an owner to r and returns r: a result kept between frames
 * (query/incr.h) is shared with the caller, not copied. Each owner calls
 * qresult_free once; nobody changes a shared result.
 */
struct qresult *qresult_ref(struct qresult *r);

#endif
