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
#include "query/query.h"
#include "src/base/arena.h"
#include "src/base/diag.h"
#include "store/store.h"

#define QEVAL_LOOKBACK_MS   (5 * 60 * 1000)
#define QEVAL_SUBQUERY_STEP (60 * 1000)
/*
 * How deeply qeval_node may recurse. The parser already bounds nesting
 * (QPARSE_MAX_DEPTH) and chains of binary operators are evaluated
 * without recursing, so this is a second line that parsed queries do not
 * reach.
 */
#define QEVAL_MAX_DEPTH     (QPARSE_MAX_DEPTH + 8)

struct qfold;

struct qev {
    const struct store *st;
    struct qcache *cache;       /* the frame's cache, or NULL */
    bool frame_only;            /* the result is not kept past the
                                   frame (qeval_frame_at) */
    const char *text;           /* the query's text (nodes' spans) */
    struct arena *a;            /* temporaries of this evaluation */
    struct diag *d;
    int64_t qstart, qend;       /* the query's range, for start()/end() */
    struct sample *buf;         /* scratch for store_read (xrealloc'd) */
    size_t bufcap;
    /* The budget (query/budget.c). */
    struct qeval_ctl *ctl;      /* never NULL during an evaluation */
    int64_t max;                /* samples that may be held at once */
    int64_t held;               /* samples held now, as Prometheus counts */
    int64_t step_in;            /* inputs of the step being evaluated */
    int64_t extra;              /* held past a node's own result */
    double deadline;            /* time_mono_s() bound, or 0: none */
    size_t work;                /* done since the clock was last read */
    unsigned pushes;            /* points pushed (a safe point per 1024) */
    int64_t label_bytes;        /* label values built by functions */
    int depth;                  /* qeval_node calls under way */
    /* An aggregation's offer to the range function that is its operand,
     * taken by that call alone (query/agg.h); NULL otherwise. */
    struct qfold *fold;
    /* Point arrays too big for the arena, freed as soon as done with. */
    void **heap;
    size_t nheap, capheap;
};

/* The evaluation times start, start + step, ... (n of them). */
struct qsteps {
    int64_t start;
    int64_t step;
    size_t n;
    int64_t end;    /* the evaluation's end: the last step, or up to a
                     * step past it (a range query's own end); a
                     * subquery's grid reaches it, as in Prometheus */
};

/*
 * One output series: points ascending by time, at most one per time.
 * Points are samples, so a subquery's series serve as range-vector
 * input without a copy. heap is 1 + the slot of pts in ev->heap when
 * the array was malloc'd, 0 when it lives in an arena or in the cache.
 */
struct qser {
    struct labels ls;
    uint64_t hash;
    struct sample *pts;
    size_t n, cap;
    size_t heap;
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

/* A series of raw samples with its label set (range-vector arguments);
 * s is never NULL, even when n is 0. A selected series may come with
 * its labels without the metric name and their labels_hash, worked out
 * once per selection (query/cache.h); noname is NULL otherwise.
 * distinct says that no series of its selection has the same labels
 * without the name: every series of a selection says the same. idx is
 * the series' place in its selection. */
struct qrange {
    struct labels ls;
    struct sample *s;
    size_t n;
    const struct labels *noname;
    uint64_t noname_hash;
    bool distinct;
    size_t idx;
};

/* Step i's time. It lies between start and end, but i * step alone may
 * not fit in int64 (a grid across the whole range), hence unsigned. */
static inline int64_t
qsteps_at(const struct qsteps *ts, size_t i)
{
    return (int64_t)((uint64_t)ts->start + (uint64_t)i * (uint64_t)ts->step);
}

/*
 * Time arithmetic that cannot overflow: results saturate at the ends of
 * int64, some 292 million years away, where every window is empty
 * anyway. Times come from the command line, @ and offset, and samples.
 */
static inline int64_t
qtime_sub(int64_t a, int64_t b)
{
    int64_t r;

    if (__builtin_sub_overflow(a, b, &r))
        return b < 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static inline int64_t
qtime_add(int64_t a, int64_t b)
{
    int64_t r;

    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

/*
 * Evaluates a scalar or instant-vector node over ts into *out (zeroed by
 * the caller). The caller reads the points but never changes them: they
 * may be shared with the frame cache. On return the points of *out are
 * counted as held and what the node held while it ran is not (budget.h);
 * -1 with ev->d set on an error, past the budget or the depth limit.
 */
int qeval_node(struct qev *ev, const struct qnode *n,
               const struct qsteps *ts, struct qmat *out);
/*
 * Results of whole nodes in the frame cache (query/cache.c), keyed by the
 * node's text, the grid and the query's range (start() and end()), each
 * for the store version it was computed at. qcache_result fills out with
 * a kept result of the store's version now, or, for an evaluation
 * ev->frame_only, of any version (query/cache.h says why), and returns
 * true; qcache_keep copies m into the cache, unless it is full.
 */
bool qcache_result(struct qev *ev, const struct qnode *n,
                   const struct qsteps *ts, struct qmat *out);
void qcache_keep(struct qev *ev, const struct qnode *n,
                 const struct qsteps *ts, const struct qmat *m);

#endif
