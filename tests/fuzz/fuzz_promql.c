/*
 * libFuzzer harness for PromQL: the input is a query. It is parsed, and
 * when it parses it is evaluated as an instant query and as a range query
 * over a small fixed store (13 series, 30 minutes of samples, with a
 * counter reset, histogram buckets, NaN, infinities and a staleness
 * marker). The range query's last step is the instant query's time, and
 * Prometheus's answer there is the same either way, so the harness aborts
 * when the two disagree: a wrong answer counts as a crash. Work is capped
 * by skipping evaluation of subqueries with too many steps; make fuzz-run
 * keeps inputs short (tests/fuzz/run.sh).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query/ast.h"
#include "query/parse.h"
#include "query/query.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 INT64_C(1700000000000)       /* the first sample, ms */
#define SCRAPE_MS 15000
#define NSAMPLES 121                    /* T0 to T0 + 30 m */
#define END (T0 + 30 * 60000)
#define START (T0 + 10 * 60000)
#define STEP (2 * 60000)                /* 11 steps from START to END */
/* More subquery steps than this, over all subqueries, is not evaluated:
 * each step evaluates the subquery's expression once more. */
#define MAX_SUBQUERY_STEPS 20000.0

/*
 * The value of series k at sample i: counters (one with a reset), gauges,
 * histogram buckets and the special values.
 */
static double
value_at(size_t k, size_t i)
{
    double x = (double)i;

    switch (k) {
    case 0: return 1;
    case 1: return 3 * x;
    case 2: return i < 60 ? 5 * x : 5 * (x - 60);
    case 3: return 10 * x;
    case 4: return x;
    case 5: return 2 * x;
    case 6: return 3 * x;
    case 7: return (double)(i * 37 % 11) * 1e6;
    case 8: return i == 80 ? store_stale_nan() : (double)(i % 5);
    case 9: return i % 7 == 3 ? NAN : i % 13 == 5 ? INFINITY : -0.5 * x;
    case 10: return i % 2 ? -INFINITY : 1e308;
    case 11: return 100 * x;
    default: return (double)(i % 17) - 8;
    }
}

/* Label pairs of each series, NULL-ended; ORDER value_at. The names are
 * those of the seeds (conformance tests, queries.txt). */
static const char *const series_labels[][11] = {
    { "__name__", "up", "job", "api-server", "instance", "0", NULL },
    { "__name__", "http_requests", "job", "api-server", "instance", "0",
      "group", "production", NULL },
    { "__name__", "http_requests", "job", "api-server", "instance", "1",
      "group", "canary", NULL },
    { "__name__", "http_requests", "job", "app-server", "instance", "0",
      "group", "production", NULL },
    { "__name__", "app_request_duration_seconds_bucket", "job", "app",
      "le", "0.1", NULL },
    { "__name__", "app_request_duration_seconds_bucket", "job", "app",
      "le", "1", NULL },
    { "__name__", "app_request_duration_seconds_bucket", "job", "app",
      "le", "+Inf", NULL },
    { "__name__", "go_goroutines", "job", "app", "instance", "a:80", NULL },
    { "__name__", "app_in_flight_requests", "instance", "c:80", NULL },
    { "__name__", "x", "a", "1", NULL },
    { "__name__", "x", "a", "2", "b", "y", NULL },
    { "__name__", "app_requests_total", "code", "200", "job", "app",
      "instance", "a:80", NULL },
    { "__name__", "node_cpu", "cpu", "0", "mode", "idle", NULL },
};

/* The store, built once: evaluation only reads it. */
static const struct store *
fixed_store(void)
{
    static struct store *st;
    size_t nseries = sizeof(series_labels) / sizeof(series_labels[0]);

    if (st != NULL)
        return st;
    st = store_new(0, 0);
    for (size_t k = 0; k < nseries; k++) {
        struct label l[5];
        struct labels ls = { l, 0 };
        uint32_t id;

        for (size_t j = 0; series_labels[k][j] != NULL; j += 2) {
            l[ls.n].name = series_labels[k][j];
            l[ls.n++].value = series_labels[k][j + 1];
        }
        labels_sort(&ls);
        id = store_series_id(st, &ls);
        for (size_t i = 0; i < NSAMPLES; i++)
            store_append(st, id, T0 + (int64_t)i * SCRAPE_MS, value_at(k, i));
    }
    return st;
}

/* A node and the time span its values are asked for beyond one step. */
struct pending {
    const struct qnode *n;
    double span;
};

static void
push(struct pending **v, size_t *n, size_t *cap, const struct qnode *node,
     double span)
{
    if (node == NULL)
        return;
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *v = realloc(*v, *cap * sizeof(**v));
        if (*v == NULL)
            abort();
    }
    (*v)[(*n)++] = (struct pending){ node, span };
}

/*
 * Walks the tree without recursion (the tree may be as deep as the parser
 * allows) and says whether it is cheap enough to evaluate, and whether it
 * uses @ start() or @ end(), which mean different times in the two
 * queries. A subquery evaluates its expression once per step over its
 * range plus the span it is asked for.
 */
static bool
affordable(const struct qnode *root, bool *at_start_end)
{
    struct pending *v = NULL;
    size_t n = 0, cap = 0;
    double steps = 0;

    *at_start_end = false;
    push(&v, &n, &cap, root, (double)(END - START));
    while (n > 0 && steps <= MAX_SUBQUERY_STEPS) {
        struct pending p = v[--n];
        double span = p.span;

        if (p.n->at == QAT_START || p.n->at == QAT_END)
            *at_start_end = true;
        if (p.n->kind == QN_SUBQUERY) {
            double step = p.n->step > 0 ? (double)p.n->step : 60000.0;

            span += fabs((double)p.n->range);
            steps += span / step + 1;
        }
        push(&v, &n, &cap, p.n->lhs, span);
        push(&v, &n, &cap, p.n->rhs, span);
        push(&v, &n, &cap, p.n->param, span);
        for (size_t i = 0; i < p.n->nargs; i++)
            push(&v, &n, &cap, p.n->args[i], span);
    }
    free(v);
    return steps <= MAX_SUBQUERY_STEPS;
}

static bool
same_value(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    if (a == b)
        return true;
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* The range result's point at END for the series labelled ls, if any. */
static const struct qpoint *
last_point(const struct qresult *r, const struct labels *ls)
{
    for (size_t i = 0; i < r->nseries; i++) {
        const struct qseries *s = &r->series[i];

        if (labels_equal(&s->labels, ls) && s->npoints > 0
            && s->points[s->npoints - 1].t == END)
            return &s->points[s->npoints - 1];
    }
    return NULL;
}

/*
 * Aborts unless the range result is well formed (points on the step grid,
 * in order) and agrees at END with the instant result: the same series
 * with the same values.
 */
static void
compare(const struct qresult *in, const struct qresult *rg)
{
    size_t with_end = 0;

    for (size_t i = 0; i < rg->nseries; i++) {
        const struct qseries *s = &rg->series[i];

        for (size_t j = 0; j < s->npoints; j++)
            if (s->points[j].t < START || s->points[j].t > END
                || (s->points[j].t - START) % STEP != 0
                || (j > 0 && s->points[j].t <= s->points[j - 1].t))
                abort();
        with_end += s->npoints > 0 && s->points[s->npoints - 1].t == END;
    }
    if (in->type == QV_SCALAR) {
        struct labels none = { NULL, 0 };
        const struct qpoint *p = last_point(rg, &none);

        if (p == NULL || !same_value(p->v, in->scalar))
            abort();
        return;
    }
    if (in->type != QV_VECTOR || with_end != in->nseries)
        abort();
    for (size_t i = 0; i < in->nseries; i++) {
        const struct qpoint *p = last_point(rg, &in->series[i].labels);

        if (p == NULL || in->series[i].npoints != 1
            || !same_value(p->v, in->series[i].points[0].v))
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct store *st = fixed_store();
    struct qresult *in, *rg;
    struct query *q;
    struct diag d;
    bool at_start_end;

    diag_clear(&d);
    q = qparse_query((const char *)data, size, &d);
    if (q == NULL)
        return 0;
    if (!affordable(qparse_root(q), &at_start_end)) {
        qparse_free(q);
        return 0;
    }
    in = qeval_instant(q, st, END, &d);
    rg = qeval_range(q, st, START, END, STEP, &d);
    /* A string or a range vector is no range query's result, and either
     * query may fail alone (sample limits count differently). */
    if (in != NULL && rg != NULL && !at_start_end
        && (in->type == QV_SCALAR || in->type == QV_VECTOR))
        compare(in, rg);
    qresult_free(in);
    qresult_free(rg);
    qparse_free(q);
    return 0;
}
