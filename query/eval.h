/*
 * The evaluator's shared machinery, used by query/eval.c and the operator,
 * aggregation and function files: a step grid, matrices being built (one
 * series per label set, one point per step at most) and the instant vector
 * of one step. Everything lives in the evaluation's arena; nothing here
 * reaches the store except through query/eval.c.
 *
 * Internal to query/: not part of the query API; other folders include
 * query/query.h (tests may include this header).
 *
 * Ownership: a struct qev borrows the store and the diag for one
 * evaluation and owns its arena, freed when the evaluation ends.
 */
#ifndef QUERY_EVAL_H
#define QUERY_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/ast.h"
#include "query/cache.h"
#include "src/base/arena.h"
#include "src/base/diag.h"
#include "store/store.h"

#define QEVAL_LOOKBACK_MS   (5 * 60 * 1000)
#define QEVAL_SUBQUERY_STEP (60 * 1000)
/* Prometheus's default --query.max-samples: a query that would load more
 * samples fails instead of eating the machine. */
#define QEVAL_MAX_SAMPLES   50000000

struct qev {
    const struct store *st;
    struct qcache *cache;       /* the frame's cache, or NULL */
    const char *text;           /* the query's text (nodes' spans) */
    struct arena *a;            /* temporaries of this evaluation */
    struct diag *d;
    int64_t qstart, qend;       /* the query's range, for start()/end() */
    struct sample *buf;         /* scratch for store_read (xrealloc'd) */
    size_t bufcap;
    size_t loaded;              /* samples read so far */
};

/* The evaluation times start, start + step, ... (n of them). */
struct qsteps {
    int64_t start;
    int64_t step;
    size_t n;
};

/* One output series: points ascending by time, at most one per time. */
struct qser {
    struct labels ls;
    uint64_t hash;
    struct qpoint *pts;
    size_t n, cap;
};

/* A matrix under construction, with a hash index by label set. */
struct qmat {
    struct qser *s;
    size_t n, cap;
    uint32_t *slots;            /* 1 + series index, 0 for empty */
    size_t nslots;
};

/* One element of an instant vector: labels borrowed from a matrix. */
struct qelem {
    const struct labels *ls;
    double v;
    size_t src;                 /* index of the series in its matrix */
};

/* Zero-initialise before first use; qmat_at reuses its array. */
struct qvec {
    struct qelem *e;
    size_t n, cap;
};

/* A series of raw samples with its label set (range-vector arguments). */
struct qrange {
    struct labels ls;
    struct sample *s;
    size_t n;
};

static inline int64_t
qsteps_at(const struct qsteps *ts, size_t i)
{
    return ts->start + (int64_t)i * ts->step;
}

/*
 * Evaluates a scalar or instant-vector node over ts into *out (zeroed by
 * the caller). The caller reads the points but never changes them: they
 * may be shared with the frame cache.
 */
int qeval_node(struct qev *ev, const struct qnode *n,
               const struct qsteps *ts, struct qmat *out);
/*
 * Results of whole nodes in the frame cache (query/cache.c), keyed by the
 * node's text, the grid and the query's range (start() and end()).
 * qcache_result fills out with a kept result and returns true;
 * qcache_keep copies m into the cache, unless it is full.
 */
bool qcache_result(struct qev *ev, const struct qnode *n,
                   const struct qsteps *ts, struct qmat *out);
void qcache_keep(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, const struct qmat *m);
/*
 * An instant selector over ts: per step the newest sample within the
 * lookback window, or with timestamps that sample's time in seconds.
 */
int qeval_selector(struct qev *ev, const struct qnode *n,
                   const struct qsteps *ts, bool timestamps,
                   struct qmat *out);
/* The time an @-pinned or offset node looks at for evaluation time t. */
int64_t qeval_effective(const struct qev *ev, const struct qnode *n,
                        int64_t t);
/* Called for each series of a range-vector argument; see below. */
typedef int (*qeval_range_fn)(struct qev *ev, const struct qrange *r,
                              void *arg);
/*
 * Calls fn with each series of a range-vector node (range selector or
 * subquery), its samples covering every window of ts with staleness
 * markers removed. The samples are valid during the call only (selector
 * series stream through one scratch buffer). Stops at the first -1.
 */
int qeval_range_each(struct qev *ev, const struct qnode *n,
                     const struct qsteps *ts, qeval_range_fn fn, void *arg);

#endif
