/*
 * Folding (query/agg.h): an aggregation of a range function at one step
 * folds the function's values straight into its groups. Each shape it
 * takes, and each it leaves to the general way, is evaluated both ways
 * (folded, and through the function's matrix with the no_fold switch)
 * over a store of request counters, latency buckets and a gauge with
 * counter resets, staleness markers, series that start late, end early
 * or pause, NaN and infinities, and two metrics whose series clash once
 * their names go, whole and as scrapes bring it (so selections change
 * between frames). Each is run as an instant query, as a one-step range
 * through a frame cache and as a dashboard's value at now, and the two
 * ways must agree bit for bit: series, labels, order and values, or the
 * same error at the same place; then again under every sample budget up
 * to past the peak and with every point at which an interrupt can stop
 * the query.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "store/store.h"

#define SEC     1000LL
#define MIN     (60 * SEC)
#define MAXFAIL 12          /* differences described per test */

static const char clash[] = "vector cannot contain metrics with the same "
                            "labelset";

/* ---- the data ---- */

static unsigned
rnd(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* How one series is scraped: from..to minutes, every 15 s at its own
 * offset, a staleness marker after its last sample, and a pause (marker,
 * then nothing) over [gap, gap + 3) minutes when gap > 0. */
struct life {
    int from, to, gap;
    int64_t offset;
};

enum kind { COUNTER, GAUGE };

static void
add(struct store *st, const char *const *kv, const struct life *l,
    enum kind kind, unsigned *seed)
{
    struct label v[8];
    struct labels ls = { v, 0 };
    double val = rnd(seed) % 100;
    uint32_t id;
    int64_t t;

    for (; kv[0] != NULL; kv += 2)
        v[ls.n++] = (struct label){ kv[0], kv[1] };
    id = store_series_id(st, &ls);
    for (t = l->from * MIN + l->offset; t <= l->to * MIN; t += 15 * SEC) {
        if (l->gap > 0 && t >= l->gap * MIN && t < (l->gap + 3) * MIN) {
            if (t < l->gap * MIN + 15 * SEC)
                assert_int_equal(store_append(st, id, t,
                                              store_stale_nan()), 0);
            continue;
        }
        if (kind == COUNTER) {
            /* Mostly growing, sometimes flat, now and then a reset. */
            val += rnd(seed) % 4 == 0 ? 0 : rnd(seed) % 10;
            if (rnd(seed) % 40 == 0)
                val = rnd(seed) % 3;
        } else {
            unsigned r = rnd(seed) % 60;

            val = r == 0 ? NAN : r == 1 ? INFINITY : r == 2 ? -INFINITY
                                                            : r % 20;
        }
        assert_int_equal(store_append(st, id, t, val), 0);
    }
    if (l->to < 40)
        assert_int_equal(store_append(st, id, t, store_stale_nan()), 0);
}

/* The series, their label pairs sorted by name. */
static struct store *
make_store(void)
{
    static const char *const jobs[] = { "api", "web" };
    static const char *const insts[] = { "a:80", "b:80", "c:80" };
    static const char *const codes[] = { "200", "500" };
    static const char *const les[] = { "0.1", "0.5", "1", "+Inf" };
    struct store *st = store_new(0, 0);
    unsigned seed = 7, k = 0;

    for (size_t j = 0; j < 2; j++) {
        for (size_t i = 0; i < 3; i++, k++) {
            struct life l = { 0, 40, 0, (int64_t)(k * 137 % 15000) };
            const char *g[] = { "__name__", "app_in_flight", "instance",
                                insts[i], "job", jobs[j], NULL };

            add(st, g, &l, GAUGE, &seed);
            for (size_t c = 0; c < 2; c++) {
                for (size_t h = 0; h < 3; h++, k++) {
                    /* other_requests_total has handlers of its own, so
                     * the two metrics stay apart without their names. */
                    const char *kv[] = {
                        "__name__", h == 2 ? "other_requests_total"
                                           : "app_requests_total",
                        "code", codes[c], "handler",
                        h == 0 ? "/" : h == 1 ? "/x" : "/y",
                        "instance", insts[i], "job", jobs[j], NULL };

                    l.from = k % 5 == 0 ? 10 : 0;
                    l.to = k % 7 == 3 ? 25 : 40;
                    l.gap = k % 11 == 4 ? 18 : 0;
                    l.offset = (int64_t)(k * 137 % 15000);
                    add(st, kv, &l, COUNTER, &seed);
                }
            }
            for (size_t b = 0; b < 4; b++, k++) {
                const char *kv[] = {
                    "__name__", "app_request_duration_seconds_bucket",
                    "instance", insts[i], "job", jobs[j], "le", les[b],
                    NULL };

                l.from = 0;
                l.to = k % 9 == 2 ? 30 : 40;
                l.gap = 0;
                add(st, kv, &l, COUNTER, &seed);
            }
        }
    }
    /* One label set under two names, overlapping over [10, 20] min. */
    {
        const char *a[] = { "__name__", "dup_a_total", "instance", "a:80",
                            "job", "api", NULL };
        const char *b[] = { "__name__", "dup_b_total", "instance", "a:80",
                            "job", "api", NULL };
        struct life la = { 10, 40, 0, 2000 }, lb = { 0, 20, 0, 9000 };

        add(st, a, &la, COUNTER, &seed);
        add(st, b, &lb, COUNTER, &seed);
    }
    return st;
}

/*
 * The same data arriving as scrapes bring it: a live store fed from the
 * whole one up to a time, each series made when its first sample comes,
 * so selections change (and with them what the frame cache keeps).
 */
struct feed {
    struct store *st;
    size_t n;
    struct labels *ls;
    struct sample **s;
    size_t *ns, *pos;
};

static void
feed_init(struct feed *f, const struct store *whole)
{
    uint32_t *ids = NULL;
    struct labels ls = { NULL, 0 };
    size_t cap = 0, scap;

    f->st = store_new(0, 0);
    f->n = store_select(whole, NULL, 0, &ids);
    f->ls = xcalloc(f->n + 1, sizeof(*f->ls));
    f->s = xcalloc(f->n + 1, sizeof(*f->s));
    f->ns = xcalloc(f->n + 1, sizeof(*f->ns));
    f->pos = xcalloc(f->n + 1, sizeof(*f->pos));
    for (size_t i = 0; i < f->n; i++) {
        ls.n = store_series_labels(whole, ids[i], &ls.v, &cap, 0);
        labels_dup(&f->ls[i], &ls);
        scap = 0;
        f->ns[i] = store_read(whole, ids[i], INT64_MIN, INT64_MAX, &f->s[i],
                              &scap);
    }
    free(ls.v);
    free(ids);
}

static void
feed_upto(struct feed *f, int64_t t)
{
    for (size_t i = 0; i < f->n; i++) {
        uint32_t id;

        if (f->pos[i] >= f->ns[i] || f->s[i][f->pos[i]].t > t)
            continue;
        id = store_series_id(f->st, &f->ls[i]);
        for (; f->pos[i] < f->ns[i] && f->s[i][f->pos[i]].t <= t;
             f->pos[i]++)
            assert_int_equal(store_append(f->st, id, f->s[i][f->pos[i]].t,
                                          f->s[i][f->pos[i]].v), 0);
    }
}

static void
feed_fini(struct feed *f)
{
    for (size_t i = 0; i < f->n; i++) {
        labels_release(&f->ls[i]);
        free(f->s[i]);
    }
    free(f->ls);
    free(f->s);
    free(f->ns);
    free(f->pos);
    store_free(f->st);
}

/* ---- the expressions ---- */

static const char *const aggs[] = { "sum", "avg", "count", "min", "max",
                                    "group", "stddev", "stdvar",
                                    /* left to the general way */
                                    "topk(2,", "quantile(0.5,",
                                    "count_values(\"v\"," };
static const char *const groupings[] = { "", " by (code)",
                                         " by (job, instance)",
                                         " without (instance)",
                                         " by (__name__)", " by (le)",
                                         " without ()" };
static const char *const calls[] = {
    "rate(%s[1m])", "increase(%s[2m])", "irate(%s[1m])", "delta(%s[1m])",
    "idelta(%s[1m])", "deriv(%s[2m])", "changes(%s[5m])", "resets(%s[5m])",
    "avg_over_time(%s[2m])", "sum_over_time(%s[2m])",
    "count_over_time(%s[1m])", "min_over_time(%s[2m])",
    "max_over_time(%s[2m])", "last_over_time(%s[1m])",
    "present_over_time(%s[1m])", "stddev_over_time(%s[2m])",
    "stdvar_over_time(%s[2m])", "quantile_over_time(0.9, %s[5m])",
    "predict_linear(%s[5m], 60)", "holt_winters(%s[5m], 0.5, 0.5)",
    "rate(%s[1m] offset 1m)", "rate(%s[1m] @ 1200)",
    /* left to the general way */
    "absent_over_time(%s[1m])", "rate(%s[5m:1m])",
};
static const char *const selectors[] = {
    "app_requests_total", "{__name__=~\".+_requests_total\",code!=\"\"}",
    "app_request_duration_seconds_bucket", "{__name__=~\".+_bucket\"}",
    "app_in_flight", "{__name__=~\"dup_.+\"}",
};
/* Folded shapes inside others, and aggregations a frame shares. */
static const char *const composite[] = {
    "histogram_quantile(0.5, sum by (le) "
    "(rate(app_request_duration_seconds_bucket[1m])))",
    "histogram_quantile(0.9, sum by (le) "
    "(rate(app_request_duration_seconds_bucket[1m])))",
    "histogram_quantile(0.99, sum by (le, job) "
    "(rate({__name__=~\".+_bucket\"}[1m])))",
    "(sum(rate({__name__=~\".+_requests_total\",code=~\"5..\"}[1m])) or "
    "vector(0)) / sum(rate({__name__=~\".+_requests_total\"}[1m]))",
    "sum by (job) (rate(app_requests_total{code=~\"5..\"}[1m])) / "
    "sum by (job) (rate(app_requests_total[1m]))",
    "max(sum by (job) (rate(app_requests_total[1m])))",
    "sum(rate(app_requests_total[1m])) by (job)",
    "sum((rate(app_requests_total[1m])))",
    "-sum(rate(app_requests_total[1m]))",
    "sum(rate(app_requests_total[1m]) * 2)",
    "sum(rate(app_requests_total[1m] @ end()))",
    "sum(quantile_over_time(scalar(sum(rate(app_requests_total[1m]))) / "
    "100, app_in_flight[5m]))",
    "count(rate(nothing_total[1m]))",
    "sum(rate(app_requests_total{job=\"none\"}[1m]))",
};

/* Every expression: each aggregation over each call and selector, with
 * one grouping in turn, and for rate every grouping. */
static size_t
expressions(char ***out)
{
    size_t na = sizeof(aggs) / sizeof(aggs[0]);
    size_t ng = sizeof(groupings) / sizeof(groupings[0]);
    size_t nc = sizeof(calls) / sizeof(calls[0]);
    size_t ns = sizeof(selectors) / sizeof(selectors[0]);
    size_t nx = sizeof(composite) / sizeof(composite[0]), n = 0;
    char call[300], text[400];

    *out = xcalloc(na * nc * ns * ng + nx, sizeof(**out));
    for (size_t c = 0; c < nc; c++) {
        for (size_t s = 0; s < ns; s++) {
            snprintf(call, sizeof(call), calls[c], selectors[s]);
            for (size_t a = 0; a < na; a++) {
                for (size_t g = 0; g < ng; g++) {
                    if (c != 0 && g != (a + c + s) % ng)
                        continue;
                    snprintf(text, sizeof(text), "%s%s%s%s)", aggs[a],
                             strchr(aggs[a], '(') ? "" : groupings[g],
                             strchr(aggs[a], '(') ? " " : " (", call);
                    (*out)[n++] = xstrdup(text);
                }
            }
        }
    }
    for (size_t i = 0; i < nx; i++)
        (*out)[n++] = xstrdup(composite[i]);
    return n;
}

/* ---- two ways, compared ---- */

/* What one evaluation gave. */
struct outcome {
    struct qresult *r;
    struct diag d;
    enum qeval_stop stopped;
    size_t folds;
};

enum path { INSTANT, RANGE_ONE, AT_NOW };

/* The interrupt hook of the interrupt test: true at its stop'th call. */
struct stopper {
    unsigned calls, stop;
};

static bool
stop_at(void *ctx)
{
    struct stopper *s = ctx;

    return ++s->calls == s->stop;
}

static void
run(struct outcome *o, const struct query *q, const struct store *st,
    struct qcache *cache, enum path p, int64_t t, bool fold,
    int64_t max_samples, struct stopper *stop)
{
    struct qeval_ctl ctl;

    qeval_ctl_init(&ctl);
    ctl.timeout_ms = 0;
    ctl.no_fold = !fold;
    if (max_samples >= 0)
        ctl.max_samples = max_samples;
    if (stop != NULL) {
        ctl.interrupt = stop_at;
        ctl.interrupt_ctx = stop;
    }
    diag_clear(&o->d);
    if (p == INSTANT)
        o->r = qeval_instant_ctl(q, st, t, &ctl, &o->d);
    else if (p == RANGE_ONE)
        o->r = qeval_range_ctl(q, st, cache, t, t, 1, &ctl, &o->d);
    else
        o->r = qeval_frame_at(q, st, cache, t, &ctl, &o->d);
    o->stopped = ctl.stopped;
    o->folds = ctl.folds;
}

/* The first difference of a and b into out; false when they agree. */
static bool
differs(const struct outcome *a, const struct outcome *b, struct buf *out)
{
    if (a->r == NULL || b->r == NULL) {
        if (a->r == NULL && b->r == NULL && a->stopped == b->stopped &&
            strcmp(a->d.msg, b->d.msg) == 0 && a->d.line == b->d.line &&
            a->d.col == b->d.col && a->d.span == b->d.span)
            return false;
        buf_printf(out, "folded %s at %d:%d, general %s at %d:%d",
                   a->r ? "ok" : a->d.msg, a->d.line, a->d.col,
                   b->r ? "ok" : b->d.msg, b->d.line, b->d.col);
        return true;
    }
    if (a->r->type != b->r->type || a->r->nseries != b->r->nseries ||
        memcmp(&a->r->scalar, &b->r->scalar, sizeof(double)) != 0) {
        buf_printf(out, "%zu series, general %zu", a->r->nseries,
                   b->r->nseries);
        return true;
    }
    for (size_t i = 0; i < a->r->nseries; i++) {
        const struct qseries *x = &a->r->series[i], *y = &b->r->series[i];

        if (!labels_equal(&x->labels, &y->labels) ||
            x->npoints != y->npoints) {
            buf_printf(out, "series %zu: ", i);
            labels_format(&x->labels, out);
            buf_puts(out, ", general ");
            labels_format(&y->labels, out);
            return true;
        }
        for (size_t k = 0; k < x->npoints; k++) {
            if (x->points[k].t != y->points[k].t ||
                memcmp(&x->points[k].v, &y->points[k].v,
                       sizeof(double)) != 0) {
                buf_printf(out, "series %zu: %.17g, general %.17g", i,
                           x->points[k].v, y->points[k].v);
                return true;
            }
        }
    }
    return false;
}

/* What a group of comparisons found. */
struct tally {
    size_t compared, folded, errors;
    int failed;
    struct buf out;
};

static void
compare(struct tally *t, const char *expr, enum path p, int64_t at,
        int64_t max_samples, struct outcome *a, struct outcome *b)
{
    struct buf what;

    buf_init(&what, 0);
    if (differs(a, b, &what) && t->failed++ < MAXFAIL)
        buf_printf(&t->out, "  %s (path %d, t %lld, budget %lld): %s\n",
                   expr, (int)p, (long long)at, (long long)max_samples,
                   buf_str(&what));
    buf_fini(&what);
    /* The general way never folds; the folded one did when it could. */
    if (b->folds != 0 && t->failed++ < MAXFAIL)
        buf_printf(&t->out, "  %s: folded with the switch off\n", expr);
    t->compared++;
    t->folded += a->folds > 0;
    t->errors += a->r == NULL;
    qresult_free(a->r);
    qresult_free(b->r);
}

static void
finish(struct tally *t, const char *what)
{
    print_message("%s: %zu compared, %zu folded, %zu errors\n", what,
                  t->compared, t->folded, t->errors);
    if (t->failed > 0) {
        print_error("%d differences:\n%s", t->failed, buf_str(&t->out));
        buf_fini(&t->out);
        fail();
    }
    buf_fini(&t->out);
}

static struct query *
parse(const char *text)
{
    struct diag d;
    struct query *q = qparse_query(text, strlen(text), &d);

    if (q == NULL)
        fail_msg("%s: %s", text, d.msg);
    return q;
}

/*
 * Every expression at times around the series' starts, pauses and ends,
 * through all three paths, over the whole store and over one fed up to
 * each time; each way keeps its own frame cache, begun anew at each
 * time, so that what a frame shares and keeps is compared too.
 */
static void
test_both_ways(void **state)
{
    static const int64_t times[] = {
        30 * SEC, 5 * MIN, 10 * MIN, 10 * MIN + 20 * SEC, 15 * MIN,
        18 * MIN + 40 * SEC, 20 * MIN + 15 * SEC, 21 * MIN,
        25 * MIN + 30 * SEC, 30 * MIN + 7 * SEC, 40 * MIN, 46 * MIN,
    };
    struct store *whole = make_store(), *st;
    struct qcache *ca = qcache_new(64u << 20), *cb = qcache_new(64u << 20);
    struct tally t = {0};
    struct outcome a, b;
    struct feed live;
    char **exprs;
    size_t n = expressions(&exprs);

    (void)state;
    buf_init(&t.out, 0);
    feed_init(&live, whole);
    for (size_t ti = 0; ti < 2 * sizeof(times) / sizeof(times[0]); ti++) {
        size_t k = ti % (sizeof(times) / sizeof(times[0]));

        st = ti == k ? whole : live.st;
        if (st == live.st)
            feed_upto(&live, times[k]);
        qcache_frame(ca, st);
        qcache_frame(cb, st);
        for (size_t i = 0; i < n; i++) {
            struct query *q = parse(exprs[i]);

            for (enum path p = INSTANT; p <= AT_NOW; p++) {
                run(&a, q, st, ca, p, times[k], true, -1, NULL);
                run(&b, q, st, cb, p, times[k], false, -1, NULL);
                compare(&t, exprs[i], p, times[k], -1, &a, &b);
            }
            qparse_free(q);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(exprs[i]);
    free(exprs);
    qcache_free(ca);
    qcache_free(cb);
    feed_fini(&live);
    store_free(whole);
    finish(&t, "both ways");
    /* Most shapes fold, and some fail: the comparison means something. */
    assert_true(t.folded * 4 > t.compared);
    assert_true(t.errors > 0);
}

/* Which evaluations fold, and the clash Prometheus reports for series
 * that differ only in their names. */
static void
test_what_folds(void **state)
{
    static const struct {
        const char *expr;
        enum path p;
        int64_t t;
        size_t folds;
        const char *error;
    } cases[] = {
        { "sum(rate(app_requests_total[1m]))", INSTANT, 15 * MIN, 1, NULL },
        /* A name matched by a regex: distinct only as far as a frame
         * cache has looked. */
        { "sum(rate({__name__=~\".+_requests_total\"}[1m]))", INSTANT,
          15 * MIN, 0, NULL },
        { "sum(rate({__name__=~\".+_requests_total\"}[1m]))", RANGE_ONE,
          15 * MIN, 1, NULL },
        { "sum by (le) (rate(app_request_duration_seconds_bucket[1m]))",
          AT_NOW, 15 * MIN, 1, NULL },
        { "sum(rate({__name__=~\"dup_.+\"}[1m]))", RANGE_ONE, 15 * MIN, 0,
          clash },
        { "sum(rate({__name__=~\"dup_.+\"}[1m]))", RANGE_ONE, 30 * MIN, 0,
          NULL },
        { "sum(last_over_time({__name__=~\"dup_.+\"}[1m]))", RANGE_ONE,
          15 * MIN, 0, NULL },
        { "sum(absent_over_time(app_requests_total[1m]))", INSTANT,
          15 * MIN, 0, NULL },
        { "sum(rate(app_requests_total[5m:1m]))", INSTANT, 15 * MIN, 0,
          NULL },
        { "topk(1, rate(app_requests_total[1m]))", INSTANT, 15 * MIN, 0,
          NULL },
        /* Nothing in the window: nothing folded. */
        { "sum(rate(app_requests_total[1m]))", INSTANT, 50 * MIN, 0, NULL },
    };
    struct store *st = make_store();
    struct qcache *cache = qcache_new(64u << 20);
    struct outcome o;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct query *q = parse(cases[i].expr);

        qcache_frame(cache, st);
        run(&o, q, st, cache, cases[i].p, cases[i].t, true, -1, NULL);
        if (o.folds != cases[i].folds)
            fail_msg("%s: %zu folded, expected %zu", cases[i].expr, o.folds,
                     cases[i].folds);
        if (cases[i].error != NULL && (o.r != NULL ||
                                       strcmp(o.d.msg, cases[i].error)))
            fail_msg("%s: %s, expected %s", cases[i].expr,
                     o.r ? "a result" : o.d.msg, cases[i].error);
        if (cases[i].error == NULL && o.r == NULL)
            fail_msg("%s: %s", cases[i].expr, o.d.msg);
        qresult_free(o.r);
        qparse_free(q);
    }
    qcache_free(cache);
    store_free(st);
}

/* The shapes of the overview and a few others, under every budget from
 * none to past the peak: the same budgets fail, with the same error. */
static void
test_budgets(void **state)
{
    static const char *const exprs[] = {
        "sum by (le) (rate(app_request_duration_seconds_bucket[1m]))",
        "sum(rate({__name__=~\".+_requests_total\",code!=\"\"}[1m]))",
        "sum by (code) (rate(app_requests_total[5m]))",
        "avg without (instance) (quantile_over_time(0.5, app_in_flight[5m]))",
        "histogram_quantile(0.9, sum by (le) "
        "(rate(app_request_duration_seconds_bucket[1m])))",
        "sum(rate({__name__=~\"dup_.+\"}[1m]))",
    };
    struct store *st = make_store();
    struct qcache *ca = qcache_new(64u << 20), *cb = qcache_new(64u << 20);
    struct tally t = {0};
    struct outcome a, b;

    (void)state;
    buf_init(&t.out, 0);
    for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
        struct query *q = parse(exprs[i]);

        for (enum path p = INSTANT; p <= AT_NOW; p++) {
            for (int64_t max = 0; max <= 400; max++) {
                qcache_frame(ca, st);
                qcache_frame(cb, st);
                run(&a, q, st, ca, p, 15 * MIN, true, max, NULL);
                run(&b, q, st, cb, p, 15 * MIN, false, max, NULL);
                compare(&t, exprs[i], p, 15 * MIN, max, &a, &b);
            }
        }
        qparse_free(q);
    }
    qcache_free(ca);
    qcache_free(cb);
    store_free(st);
    finish(&t, "budgets");
    assert_true(t.errors > 0 && t.errors < t.compared);
}

/*
 * The interrupt hook is asked whenever the clock would be read, which
 * follows the work done: stopping at each of its calls in turn, the two
 * ways stop at the same calls, with the same error, and ask as often.
 */
static void
test_interrupts(void **state)
{
    static const char *const exprs[] = {
        "sum by (job) (rate({__name__=~\".+_requests_total\"}[40m]))",
        "max(max_over_time({__name__=~\"app_.+\"}[40m]))",
    };
    struct store *st = make_store();
    struct qcache *ca = qcache_new(64u << 20), *cb = qcache_new(64u << 20);
    struct tally t = {0};
    struct outcome a, b;

    (void)state;
    buf_init(&t.out, 0);
    for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
        struct query *q = parse(exprs[i]);

        for (enum path p = INSTANT; p <= AT_NOW; p++) {
            for (unsigned k = 1; k < 100; k++) {
                struct stopper sa = { 0, k }, sb = { 0, k };

                qcache_frame(ca, st);
                qcache_frame(cb, st);
                run(&a, q, st, ca, p, 40 * MIN, true, -1, &sa);
                run(&b, q, st, cb, p, 40 * MIN, false, -1, &sb);
                if (sa.calls != sb.calls && t.failed++ < MAXFAIL)
                    buf_printf(&t.out, "  %s: asked %u times, general %u\n",
                               exprs[i], sa.calls, sb.calls);
                compare(&t, exprs[i], p, 40 * MIN, k, &a, &b);
                if (sa.calls < k)
                    break;      /* it finished before call k */
            }
        }
        qparse_free(q);
    }
    qcache_free(ca);
    qcache_free(cb);
    store_free(st);
    finish(&t, "interrupts");
    /* Some were interrupted, and some finished. */
    assert_true(t.errors > 0 && t.errors < t.compared);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_ways),
        cmocka_unit_test(test_what_folds),
        cmocka_unit_test(test_budgets),
        cmocka_unit_test(test_interrupts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
