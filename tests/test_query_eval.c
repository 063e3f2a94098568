/*
 * The evaluator against a real store: selection (lookback, staleness,
 * offset, @), rate and increase over a counter with a reset computed by
 * hand from Prometheus's extrapolation formula, operators and matching,
 * aggregations, histogram_quantile, subqueries, range queries, the
 * frame cache's shared results, and the runtime errors, worded as
 * Prometheus words them. Then what hostile queries must not break: long
 * operator chains, the deepest nesting on a small stack, times at the
 * ends of int64, and two Prometheus rules the evaluator follows (label
 * sets unique across a whole result, step invariance).
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "tests/support/query.h"

#define S 1000      /* ms per second */

static int
setup(void **state)
{
    struct store *st = store_new(365LL * 86400 * S, 0);
    /* A counter scraped every 15 s that resets between 30 s and 45 s. */
    static const char *const c[] = {"__name__", "reqs", "job", "api", NULL};
    static const double cv[] = {0, 0, 15, 10, 30, 20, 45, 5, 60, 15};
    static const char *const g1[] = {"__name__", "temp", "room", "a", NULL};
    static const char *const g2[] = {"__name__", "temp", "room", "b", NULL};
    static const char *const g3[] = {"__name__", "temp", "room", "c", NULL};
    static const double t1[] = {0, 20, 60, 21};
    static const double t2[] = {0, 10, 60, 12};
    static const double t3[] = {0, 30, 60, 33};
    static const char *const h[4][5] = {
        {"__name__", "lat_bucket", "le", "0.1", NULL},
        {"__name__", "lat_bucket", "le", "0.5", NULL},
        {"__name__", "lat_bucket", "le", "1", NULL},
        {"__name__", "lat_bucket", "le", "+Inf", NULL},
    };
    static const double hv[4][2] = {{60, 10}, {60, 30}, {60, 40}, {60, 50}};
    static const char *const s[] = {"__name__", "gone", NULL};
    double sv[] = {0, 1, 30, 0};
    size_t i;

    sv[3] = store_stale_nan();
    ts_store_add(st, c, cv, 5);
    ts_store_add(st, g1, t1, 2);
    ts_store_add(st, g2, t2, 2);
    ts_store_add(st, g3, t3, 2);
    for (i = 0; i < 4; i++)
        ts_store_add(st, h[i], hv[i], 1);
    ts_store_add(st, s, sv, 2);
    *state = st;
    return 0;
}

static double
scalar_of(const struct store *st, const char *text, double t)
{
    struct qresult *r = ts_query_run(st, text, t);
    double v;

    assert_int_equal(r->type, QV_SCALAR);
    v = r->scalar;
    qresult_free(r);
    return v;
}

/* The value of a one-element vector result. */
static double
single(const struct store *st, const char *text, double t)
{
    struct qresult *r = ts_query_run(st, text, t);
    double v;

    assert_int_equal(r->type, QV_VECTOR);
    if (r->nseries != 1)
        fail_msg("%s: %zu series", text, r->nseries);
    v = r->series[0].points[0].v;
    qresult_free(r);
    return v;
}

static size_t
count(const struct store *st, const char *text, double t)
{
    struct qresult *r = ts_query_run(st, text, t);
    size_t n = r->nseries;

    qresult_free(r);
    return n;
}

static void
test_literals(void **state)
{
    (void)state;
    assert_true(scalar_of(NULL, "2 ^ 3 ^ 2", 0) == 512);
    assert_true(scalar_of(NULL, "-2 ^ 2", 0) == -4);
    assert_true(scalar_of(NULL, "1 + 2 * 3 - 4 / 2", 0) == 5);
    assert_true(scalar_of(NULL, "7 % 4", 0) == 3);
    assert_true(scalar_of(NULL, "3 > bool 2", 0) == 1);
    assert_true(isnan(scalar_of(NULL, "NaN", 0)));
    assert_true(scalar_of(NULL, "time()", 90) == 90);
}

static void
test_selection(void **state)
{
    const struct store *st = *state;

    (void)state;
    /* temp{room="a"} has samples at 0 s and 60 s: lookback is 5 m. */
    assert_true(single(st, "temp{room=\"a\"}", 59) == 20);
    assert_true(single(st, "temp{room=\"a\"}", 360) == 21);
    assert_int_equal(count(st, "temp{room=\"a\"}", 361), 0);
    assert_true(single(st, "temp{room=\"a\"} offset 1m", 90) == 20);
    assert_true(single(st, "temp{room=\"a\"} @ 0", 100) == 20);
    assert_int_equal(count(st, "temp", 60), 3);
    assert_int_equal(count(st, "temp{room=~\"a|b\"}", 60), 2);
    assert_int_equal(count(st, "temp{room!=\"a\"}", 60), 2);
    /* A staleness marker hides the series although 1 s is recent. */
    assert_true(single(st, "gone", 29) == 1);
    assert_int_equal(count(st, "gone", 30), 0);
    assert_true(single(st, "count_over_time(gone[1m])", 40) == 1);
}

static void
test_rate(void **state)
{
    const struct store *st = *state;

    /*
     * Window [10 s, 70 s]: samples 10, 20, 5, 15 at 15..60 s. Increase
     * 15 - 10 plus the 20 lost at the reset = 25 over 45 s sampled; the
     * gaps to the edges (5 s, 10 s) are under 1.1 x 15 s, so it
     * extrapolates to 60 s: 25 * 60 / 45.
     */
    assert_true(fabs(single(st, "increase(reqs[1m])", 70) - 25.0 * 60 / 45)
                < 1e-9);
    assert_true(fabs(single(st, "rate(reqs[1m])", 70) - 25.0 / 45) < 1e-12);
    /* Window [0, 60]: all five samples, no extrapolation: 35 / 60. */
    assert_true(fabs(single(st, "rate(reqs[1m])", 60) - 35.0 / 60) < 1e-12);
    /* irate: the last two samples 5 -> 15 over 15 s. */
    assert_true(fabs(single(st, "irate(reqs[1m])", 60) - 10.0 / 15) < 1e-12);
    assert_true(single(st, "resets(reqs[5m])", 60) == 1);
    assert_true(single(st, "changes(reqs[5m])", 60) == 4);
    assert_true(single(st, "delta(temp{room=\"a\"}[1m])", 60) == 1);
    assert_true(fabs(single(st, "deriv(temp{room=\"a\"}[1m])", 60) -
                     1.0 / 60) < 1e-12);
    /* Fitted line at 60 s is 21, slope 1/60 per second: 60 s on. */
    assert_true(fabs(single(st, "predict_linear(temp{room=\"a\"}[1m], 60)",
                            60) - 22) < 1e-9);
    assert_true(single(st, "sum_over_time(reqs[1m])", 60) == 50);
    assert_true(single(st, "avg_over_time(reqs[1m])", 60) == 10);
    assert_true(single(st, "max_over_time(reqs[1m])", 60) == 20);
    assert_true(single(st, "quantile_over_time(0.5, reqs[1m])", 60) == 10);
}

static void
test_operators(void **state)
{
    const struct store *st = *state;
    struct qresult *r;

    r = ts_query_run(st, "temp > 12", 60);
    assert_int_equal(r->nseries, 2);
    assert_string_equal(labels_get(&r->series[0].labels, "__name__"),
                        "temp");
    qresult_free(r);
    r = ts_query_run(st, "temp * 2", 60);
    assert_null(labels_get(&r->series[0].labels, "__name__"));
    assert_true(r->series[0].points[0].v == 42);
    qresult_free(r);
    assert_true(single(st, "temp{room=\"a\"} - ignoring(room) "
                       "temp{room=\"b\"}", 60) == 9);
    assert_true(single(st, "temp{room=\"a\"} / on() group_left "
                       "sum(temp)", 60) == 21.0 / 66);
    assert_int_equal(count(st, "temp and temp{room=\"b\"}", 60), 1);
    assert_int_equal(count(st, "temp unless temp{room=\"b\"}", 60), 2);
    assert_int_equal(count(st, "temp{room=\"a\"} or temp", 60), 3);
    assert_true(single(st, "-temp{room=\"c\"}", 60) == -33);
}

static void
test_aggregations(void **state)
{
    const struct store *st = *state;
    struct qresult *r;

    assert_true(single(st, "sum(temp)", 60) == 66);
    assert_true(single(st, "avg(temp)", 60) == 22);
    assert_true(single(st, "count(temp)", 60) == 3);
    assert_true(single(st, "max(temp)", 60) == 33);
    assert_true(single(st, "stdvar(temp)", 60) == 74);
    assert_true(single(st, "quantile(0.5, temp)", 60) == 21);
    assert_int_equal(count(st, "sum by (room) (temp)", 60), 3);
    /* topk keeps whole series, largest first. */
    r = ts_query_run(st, "topk(2, temp)", 60);
    assert_int_equal(r->nseries, 2);
    assert_string_equal(labels_get(&r->series[0].labels, "room"), "c");
    assert_string_equal(labels_get(&r->series[1].labels, "room"), "a");
    assert_string_equal(labels_get(&r->series[0].labels, "__name__"),
                        "temp");
    qresult_free(r);
    r = ts_query_run(st, "count_values(\"v\", temp)", 60);
    assert_int_equal(r->nseries, 3);
    assert_string_equal(labels_get(&r->series[0].labels, "v"), "21");
    qresult_free(r);
}

static void
test_histogram(void **state)
{
    const struct store *st = *state;

    /* rank 25 falls in (0.1, 0.5] holding 20 of it: 0.1 + 0.4 * 15/20. */
    assert_true(fabs(single(st, "histogram_quantile(0.5, lat_bucket)", 60)
                     - 0.4) < 1e-12);
    /* rank 49.5 lies in the +Inf bucket: the highest finite bound. */
    assert_true(single(st, "histogram_quantile(0.99, lat_bucket)", 60) == 1);
}

static void
test_subquery_and_range(void **state)
{
    const struct store *st = *state;
    struct diag d;
    struct query *q;
    struct qresult *r;
    const char *text = "temp{room=\"b\"}";

    /* Steps at 0 s and 60 s, both in [T-2m, T] at T = 60 s. */
    assert_true(single(st, "max_over_time(temp{room=\"b\"}[2m:1m])", 60)
                == 12);
    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    r = qeval_range(q, st, 0, 120 * S, 30 * S, &d);
    assert_non_null(r);
    assert_int_equal(r->type, QV_MATRIX);
    assert_int_equal(r->nseries, 1);
    assert_int_equal(r->series[0].npoints, 5);
    assert_true(r->series[0].points[1].v == 10);
    assert_true(r->series[0].points[2].v == 12);
    assert_int_equal(r->series[0].points[4].t, 120 * S);
    qresult_free(r);
    qparse_free(q);
}

/* A range query through the cache; it must equal the plain result. */
static double
cached_range(const struct store *st, struct qcache *cache, const char *text,
             int64_t start, int64_t end, int64_t step)
{
    struct diag d;
    struct query *q;
    struct qresult *plain, *got;
    double first;
    size_t i, j;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    assert_non_null(q);
    plain = qeval_range(q, st, start, end, step, &d);
    got = qeval_range_cached(q, st, cache, start, end, step, &d);
    assert_non_null(plain);
    assert_non_null(got);
    if (got->nseries != plain->nseries)
        fail_msg("%s: %zu series, expected %zu", text, got->nseries,
                 plain->nseries);
    for (i = 0; i < got->nseries; i++) {
        const struct qseries *a = &got->series[i], *b = &plain->series[i];

        assert_true(labels_equal(&a->labels, &b->labels));
        assert_int_equal(a->npoints, b->npoints);
        for (j = 0; j < a->npoints; j++) {
            if (a->points[j].t != b->points[j].t ||
                memcmp(&a->points[j].v, &b->points[j].v, sizeof(double)))
                fail_msg("%s: point %zu is %g at %lld, expected %g at %lld",
                         text, j, a->points[j].v, (long long)a->points[j].t,
                         b->points[j].v, (long long)b->points[j].t);
        }
    }
    first = got->nseries > 0 ? got->series[0].points[0].v : NAN;
    qresult_free(plain);
    qresult_free(got);
    qparse_free(q);
    return first;
}

/*
 * Queries sharing one frame cache: a subexpression already evaluated for
 * an earlier query is taken over only on the same grid and query range.
 */
static void
test_frame_cache(void **state)
{
    const struct store *st = *state;
    struct qcache *cache = qcache_new(1u << 20);
    double v;

    v = cached_range(st, cache, "sum(rate(reqs[1m]))", 60 * S, 120 * S,
                     15 * S);
    assert_true(cached_range(st, cache, "sum(rate(reqs[1m])) * 2", 60 * S,
                             120 * S, 15 * S) == 2 * v);
    /* The same text on another grid, and inside a subquery's grid. */
    cached_range(st, cache, "sum(rate(reqs[1m]))", 60 * S, 120 * S, 30 * S);
    cached_range(st, cache, "count_over_time(sum(rate(reqs[1m]))[1m:15s])",
                 60 * S, 120 * S, 15 * S);
    /* Steps 0 s and 30 s either way, but end() is 30 s, then 59 s. */
    assert_true(cached_range(st, cache, "sum(reqs @ end())", 0, 30 * S,
                             30 * S) == 20);
    assert_true(cached_range(st, cache, "sum(reqs @ end())", 0, 59 * S,
                             30 * S) == 5);
    /* Labels made by one query stay valid after it is freed. */
    cached_range(st, cache, "sum by (x) (label_replace(temp, \"x\", \"$1\", "
                 "\"room\", \"(.*)\"))", 0, 60 * S, 30 * S);
    cached_range(st, cache, "sum by (x) (label_replace(temp, \"x\", \"$1\", "
                 "\"room\", \"(.*)\")) + 1", 0, 60 * S, 30 * S);
    qcache_free(cache);
}

static void
expect_fail(const struct store *st, const char *text, const char *msg)
{
    struct diag d;
    struct query *q;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    assert_non_null(q);
    if (qeval_instant(q, st, 60 * S, &d) != NULL)
        fail_msg("%s: evaluated, expected an error", text);
    if (strncmp(d.msg, msg, strlen(msg)) != 0)
        fail_msg("%s: got %s", text, d.msg);
    qparse_free(q);
}

static void
test_errors(void **state)
{
    const struct store *st = *state;

    expect_fail(st, "temp * on() temp",
                "found duplicate series for the match group {} on the "
                "right hand-side of the operation");
    expect_fail(st, "label_replace(temp, \"room\", \"x\", \"\", \"\")",
                "vector cannot contain metrics with the same labelset");
    expect_fail(st, "label_replace(temp, \"x\", \"$1\", \"room\", \"(\")",
                "invalid regular expression in label_replace()");
    expect_fail(st, "max_over_time(temp[1y:1ms])", "query processing would "
                "load too many samples into memory in query execution");
    expect_fail(st, "label_replace(temp, \"1x\", \"\", \"room\", \".*\")",
                "invalid destination label name in label_replace(): 1x");
}

/* n copies of pre, then core, then n copies of post (malloc'd). */
static char *
nest(const char *pre, size_t n, const char *core, const char *post)
{
    struct buf b;
    size_t i;

    buf_init(&b, 0);
    for (i = 0; i < n; i++)
        buf_puts(&b, pre);
    buf_puts(&b, core);
    for (i = 0; i < n; i++)
        buf_puts(&b, post);
    return buf_steal(&b);
}

/*
 * Chains of 20,000 operators (Prometheus accepts them) are evaluated
 * with a loop, not by recursion: right answers, no deep stack.
 */
static void
test_long_chains(void **state)
{
    const struct store *st = *state;
    struct qresult *r;
    struct diag d;
    struct query *q;
    char *t;

    assert_true(scalar_of(NULL, t = nest("1+", 19999, "1", ""), 0) == 20000);
    free(t);
    assert_true(scalar_of(NULL, t = nest("1-", 19999, "1", ""), 0) ==
                -19998);
    free(t);
    r = ts_query_run(st, t = nest("temp+", 19999, "temp", ""), 60);
    free(t);
    assert_int_equal(r->nseries, 3);
    assert_true(r->series[0].points[0].v == 20000.0 * 21);
    qresult_free(r);
    assert_int_equal(count(st, t = nest("temp or ", 19999, "temp", ""), 60),
                     3);
    free(t);
    t = nest("temp*", 19999, "1", "");
    diag_clear(&d);
    q = qparse_query(t, strlen(t), &d);
    r = qeval_range(q, st, 0, 120 * S, 60 * S, &d);
    assert_non_null(r);
    assert_int_equal(r->nseries, 3);
    assert_int_equal(r->series[0].npoints, 3);
    qresult_free(r);
    qparse_free(q);
    free(t);
}

/* The deepest nestings the parser accepts, parsed and evaluated. */
static void *
run_deepest(void *arg)
{
    static const char *const shapes[][3] = {
        {"(", "temp", ")"},
        {"-", "temp", ""},
        {"temp ^ ", "temp", ""},
        {"abs(", "temp", ")"},
        {"sum(", "temp", ")"},
        {"histogram_quantile(0.5, ", "lat_bucket", ")"},
        {"label_replace(", "temp", ", \"a\", \"$1\", \"room\", \"(.*)\")"},
        {"timestamp(", "temp", ")"},
        {"max_over_time((", "temp", ")[1m:])"},
        {"rate(sum(", "reqs", ")[1m:])"},
    };
    const struct store *st = arg;
    size_t i, n;
    char *t;

    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        /* The outermost expression is one level; the shapes that nest
         * two levels at a time (an argument and its parentheses, or a
         * subquery's) go half as many times. */
        n = QPARSE_MAX_DEPTH - 1;
        if (strstr(shapes[i][2], "[1m:]") != NULL)
            n /= 2;
        t = nest(shapes[i][0], n, shapes[i][1], shapes[i][2]);
        qresult_free(ts_query_run(st, t, 60));
        free(t);
    }
    return NULL;
}

/*
 * At the deepest nesting the parser accepts, parsing and evaluating fit
 * in a 1 MiB thread stack (about half of it is used), so an evaluation
 * could move to a worker thread; AddressSanitizer's frames are about
 * twice as big.
 */
static void
test_deepest_on_small_stack(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
    size_t size = 2u << 20;
#else
    size_t size = 1u << 20;
#endif
    pthread_attr_t attr;
    pthread_t th;

    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, size), 0);
    assert_int_equal(pthread_create(&th, &attr, run_deepest, *state), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    pthread_attr_destroy(&attr);
}

/*
 * Times as far as @, offset and the query range reach: saturating
 * arithmetic, no overflow (UBSan in make asan would stop here), windows
 * that select nothing.
 */
static void
test_extreme_times(void **state)
{
    static const char *const texts[] = {
        "temp", "rate(reqs[5m])", "temp offset -292y", "temp offset 292y",
        "timestamp(temp)", "time()", "count_over_time(temp[292y])",
        "temp @ -9.2e15 offset 292y", "temp @ 9.2e15 offset -292y",
        "max_over_time(temp[10m:5m] @ 9.2e15 offset -292y)",
    };
    const struct store *st = *state;
    struct qresult *r;
    struct diag d;
    struct query *q;
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        diag_clear(&d);
        q = qparse_query(texts[i], strlen(texts[i]), &d);
        assert_non_null(q);
        if (qparse_type(q) != QV_STRING) {
            r = qeval_range(q, st, INT64_MIN + 1, INT64_MAX,
                            INT64_MAX / 4, &d);
            qresult_free(r);
        }
        qresult_free(qeval_instant(q, st, INT64_MAX, &d));
        qresult_free(qeval_instant(q, st, INT64_MIN, &d));
        qparse_free(q);
    }
    assert_int_equal(count(st, "temp @ -9.2e15 offset 292y", 60), 0);
}

/*
 * Two series that one operation gives the same labels are an error in
 * Prometheus even when they never meet at one step, for unary minus and
 * range-vector functions (Matrix.ContainsSameLabelset over the whole
 * result); element-wise functions only check each step.
 */
static void
test_same_labelset(void **state)
{
    static const char *const m1[] = {"__name__", "m1", "k", "a", NULL};
    static const char *const m2[] = {"__name__", "m2", "k", "a", NULL};
    static const double v1[] = {0, 1}, v2[] = {400, 2};
    struct store *st = store_new(365LL * 86400 * S, 0);
    struct qresult *r;
    struct diag d;
    struct query *q;
    static const char *const texts[] = {
        "-{__name__=~\"m.\"}", "count_over_time({__name__=~\"m.\"}[1m])",
        "abs({__name__=~\"m.\"})",
    };
    size_t i;

    (void)state;
    ts_store_add(st, m1, v1, 1);
    ts_store_add(st, m2, v2, 1);
    for (i = 0; i < 3; i++) {
        diag_clear(&d);
        q = qparse_query(texts[i], strlen(texts[i]), &d);
        r = qeval_range(q, st, 0, 400 * S, 400 * S, &d);
        if (i < 2) {
            assert_null(r);
            assert_string_equal(d.msg, "vector cannot contain metrics "
                                "with the same labelset");
        } else {
            assert_non_null(r);
            assert_int_equal(r->nseries, 1);
            assert_int_equal(r->series[0].npoints, 2);
        }
        qresult_free(r);
        qparse_free(q);
    }
    store_free(st);
}

/*
 * A step-invariant expression is evaluated at the first step and its
 * value copied along, as Prometheus 2.42's PreprocessExpr arranges. An
 * aggregation is invariant when its argument is, whatever its parameter,
 * so topk's k is the first step's: 1 here, although time() / 60 + 1
 * grows to 3.
 */
static void
test_step_invariance(void **state)
{
    const struct store *st = *state;
    const char *text = "topk(time() / 60 + 1, temp @ 60)";
    struct qresult *r;
    struct diag d;
    struct query *q;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    r = qeval_range(q, st, 0, 120 * S, 60 * S, &d);
    assert_non_null(r);
    assert_int_equal(r->nseries, 1);
    assert_string_equal(labels_get(&r->series[0].labels, "room"), "c");
    assert_int_equal(r->series[0].npoints, 3);
    qresult_free(r);
    qparse_free(q);
    /* 010 is octal, as Prometheus's strconv.ParseInt(s, 0, 64) reads. */
    assert_true(scalar_of(NULL, "010 + 0x10", 0) == 24);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_aggregations),
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_subquery_and_range),
        cmocka_unit_test(test_frame_cache),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_long_chains),
        cmocka_unit_test(test_deepest_on_small_stack),
        cmocka_unit_test(test_extreme_times),
        cmocka_unit_test(test_same_labelset),
        cmocka_unit_test(test_step_invariance),
    };

    return cmocka_run_group_tests(tests, setup, ts_store_teardown);
}
