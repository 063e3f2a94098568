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

#include <signal.h>
#include <stdbool.h>
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
 * as one level: deeper text is a parse error, so no input can exhaust the
 * stack. Chains of left-associative operators (a + b + c ...) do not
 * nest and have no limit. Measured at this depth, the most stack any
 * shape takes to parse and evaluate is 472 KiB built with -O2 (nested
 * histogram_quantile; a parenthesis costs about 190 bytes a level) and
 * 930 KiB with AddressSanitizer (nested rate(sum(...)[5m:])): within a
 * 1 MiB thread stack, far within the 8 MiB main one.
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

/*
 * Prometheus's --query.max-samples default: the samples one query may
 * hold in memory at once, counted as Prometheus's engine counts them.
 */
#define QEVAL_MAX_SAMPLES 50000000
/* Prometheus's --query.timeout default, in ms. */
#define QEVAL_TIMEOUT_MS (2 * 60 * 1000)
/*
 * The longest label value label_replace and label_join may build.
 * Prometheus has no such bound; without one a query of a few bytes can
 * build a gigabyte ("$1$1$1..." on a long value).
 */
#define QEVAL_MAX_LABEL_VALUE (1 << 20)

/* Why an evaluation stopped before its end (struct qeval_ctl). */
enum qeval_stop {
    QEVAL_DONE,             /* finished, or failed for another reason */
    QEVAL_TOO_MANY_SAMPLES, /* "query processing would load too many ..." */
    QEVAL_TIMEOUT,          /* "query timed out in expression evaluation" */
    QEVAL_CANCELED,         /* *cancel became non-zero */
    QEVAL_INTERRUPTED,      /* interrupt said so: wanted later, not now */
};

/*
 * The budget of one evaluation: the samples it may hold at once, how
 * long it may run, and a flag (set by a signal handler) that stops it.
 * The evaluator looks at the clock and the flag at safe points (every
 * step, every series, every few thousand samples), so it stops within a
 * fraction of a second. stopped is written by each evaluation.
 *
 * interrupt, where set, is asked whenever the clock is read: true stops
 * the evaluation with QEVAL_INTERRUPTED, meaning that something more
 * urgent waits (the dashboard's key presses) and the caller will ask
 * again later; the incremental evaluator (query/incr.h) then keeps what
 * it had.
 */
struct qeval_ctl {
    int64_t max_samples;    /* samples that may be held at once */
    int64_t timeout_ms;     /* <= 0: no time limit */
    const volatile sig_atomic_t *cancel;    /* NULL: never canceled */
    bool (*interrupt)(void *ctx);           /* NULL: never interrupted */
    void *interrupt_ctx;
    enum qeval_stop stopped;                /* out: why it stopped */
    /* Tests compare the two ways an aggregation of a range function is
     * evaluated at one step (query/agg.h): true takes the general one. */
    bool no_fold;
    size_t folds;           /* out: aggregations that folded */
};

/* Prometheus's defaults: QEVAL_MAX_SAMPLES, QEVAL_TIMEOUT_MS, no flag. */
void qeval_ctl_init(struct qeval_ctl *c);

/*
 * Evaluates at t (ms) within ctl's budget (NULL: QEVAL_MAX_SAMPLES and
 * no time limit). NULL with d set when evaluation fails; ctl->stopped
 * then says whether the budget ended it.
 */
struct qresult *qeval_instant_ctl(const struct query *q,
                                  const struct store *st, int64_t t,
                                  struct qeval_ctl *ctl, struct diag *d);
/*
 * Evaluates at start, start+step, ... up to end (ms, inclusive), reading
 * through the frame read cache (query/cache.h; NULL for none), within
 * ctl's budget as qeval_instant_ctl. The result is a matrix (a scalar
 * expression gives one series with no labels), or NULL with d set.
 */
struct qresult *qeval_range_ctl(const struct query *q, const struct store *st,
                                struct qcache *cache, int64_t start,
                                int64_t end, int64_t step,
                                struct qeval_ctl *ctl, struct diag *d);

/*
 * The value at t of a dashboard's panel for this frame: qeval_range_ctl
 * over the one-step grid at t through the frame cache, except that it
 * may take an aggregation another evaluation computed at t in this
 * frame, at an older store version: scrapes land between a frame's
 * panels, and sharing must not stop at each (query/cache.h). So its
 * result may leave out samples appended during the frame, as an
 * evaluation a few milliseconds earlier would have: show it, never keep
 * it as a base to build on (query/incr.h's kept result is
 * qeval_range_ctl's for that reason).
 */
struct qresult *qeval_frame_at(const struct query *q, const struct store *st,
                               struct qcache *cache, int64_t t,
                               struct qeval_ctl *ctl, struct diag *d);

/* qeval_instant_ctl without a ctl. */
struct qresult *qeval_instant(const struct query *q, const struct store *st,
                              int64_t t, struct diag *d);
/* qeval_range_ctl without a cache or a ctl. */
struct qresult *qeval_range(const struct query *q, const struct store *st,
                            int64_t start, int64_t end, int64_t step,
                            struct diag *d);
/*
 * qeval_range_ctl without a ctl, for a dashboard whose panels select the
 * same series: same result, each series decoded once per frame.
 */
struct qresult *qeval_range_cached(const struct query *q,
                                   const struct store *st,
                                   struct qcache *cache, int64_t start,
                                   int64_t end, int64_t step,
                                   struct diag *d);

#endif
