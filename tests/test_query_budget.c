/*
 * One budget per query, as Prometheus 2.42's engine keeps it. The peak
 * sample counts are Prometheus's own, from its engine tests
 * (TestMaxQuerySamples and the PeakSamples of TestQueryStatistics, same
 * data, same queries): each query must pass with the peak as its budget
 * and fail, with Prometheus's error, with one sample less. Then the
 * timeout, the cancellation flag, the bounds on built label values and
 * the cases that used to take gigabytes.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <cmocka.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "tests/support/query.h"

#define S 1000      /* ms per second */

static const char too_many[] = "query processing would load too many "
                               "samples into memory in query execution";

/* name{labels} 1+1x100 every 10 s, as Prometheus's test scripts load. */
static void
load_counter(struct store *st, const char *const *kv)
{
    double tv[2 * 101];
    size_t i;

    for (i = 0; i < 101; i++) {
        tv[2 * i] = (double)(i * 10);
        tv[2 * i + 1] = (double)(i + 1);
    }
    ts_store_add(st, kv, tv, 101);
}

static int
setup(void **state)
{
    static const char *const series[][7] = {
        {"__name__", "metric", NULL},
        {"__name__", "bigmetric", "a", "1", NULL},
        {"__name__", "bigmetric", "a", "2", NULL},
        {"__name__", "metricWith1SampleEvery10Seconds", NULL},
        {"__name__", "metricWith3SampleEvery10Seconds", "a", "1", "b", "1",
         NULL},
        {"__name__", "metricWith3SampleEvery10Seconds", "a", "2", "b", "2",
         NULL},
        {"__name__", "metricWith3SampleEvery10Seconds", "a", "3", "b", "2",
         NULL},
    };
    struct store *st = store_new(365LL * 86400 * S, 0);
    size_t i;

    for (i = 0; i < sizeof(series) / sizeof(series[0]); i++)
        load_counter(st, series[i]);
    *state = st;
    return 0;
}

/* A query run within ctl: instant when step is 0. */
static struct qresult *
run(const struct store *st, const char *text, int64_t start, int64_t end,
    int64_t step, struct qeval_ctl *ctl, struct diag *d)
{
    struct query *q;
    struct qresult *r;

    diag_clear(d);
    q = qparse_query(text, strlen(text), d);
    if (q == NULL)
        fail_msg("%s: %s", text, d->msg);
    r = step == 0 ? qeval_instant_ctl(q, st, start, ctl, d)
                  : qeval_range_ctl(q, st, NULL, start, end, step, ctl, d);
    qparse_free(q);
    return r;
}

/* text passes with a budget of peak samples and fails with peak - 1. */
static void
check_peak(const struct store *st, const char *text, int peak,
           double start, double end, double step)
{
    struct qeval_ctl ctl;
    struct qresult *r;
    struct diag d;

    qeval_ctl_init(&ctl);
    ctl.max_samples = peak;
    r = run(st, text, (int64_t)(start * S), (int64_t)(end * S),
            (int64_t)(step * S), &ctl, &d);
    if (r == NULL)
        fail_msg("%s: refused with %d samples: %s", text, peak, d.msg);
    qresult_free(r);
    ctl.max_samples = peak - 1;
    r = run(st, text, (int64_t)(start * S), (int64_t)(end * S),
            (int64_t)(step * S), &ctl, &d);
    if (r != NULL)
        fail_msg("%s: passed with %d samples", text, peak - 1);
    assert_string_equal(d.msg, too_many);
    assert_int_equal(ctl.stopped, QEVAL_TOO_MANY_SAMPLES);
}

/* Prometheus's TestMaxQuerySamples: each at exactly its peak. */
static void
test_max_query_samples(void **state)
{
    const struct store *st = *state;

    check_peak(st, "1", 1, 1, 0, 0);
    check_peak(st, "metric", 1, 1, 0, 0);
    check_peak(st, "metric[20s]", 2, 10, 0, 0);
    check_peak(st, "rate(metric[20s])", 3, 10, 0, 0);
    check_peak(st, "metric[20s:5s]", 3, 10, 0, 0);
    check_peak(st, "metric[20s] @ 10", 2, 0, 0, 0);
    check_peak(st, "1", 3, 0, 2, 1);
    check_peak(st, "metric", 3, 0, 2, 1);
    check_peak(st, "metric", 3, 0, 10, 5);
    check_peak(st, "rate(bigmetric[1s])", 1, 0, 10, 5);
    check_peak(st, "metric @ 10", 3, 0, 10, 5);
    check_peak(st, "rate(bigmetric[10s:1s] @ 10)", 35, 0, 10, 5);
    check_peak(st, "rate(bigmetric[10s:1s] @ 10) + "
               "rate(bigmetric[10s:1s] @ 30)", 37, 0, 10, 5);
    check_peak(st, "rate(bigmetric[10s:1s]) + "
               "rate(bigmetric[10s:1s] @ 30)", 59, 10, 20, 5);
    check_peak(st, "rate(rate(bigmetric[10s:1s] @ 10)[100s:25s] @ 1000)"
               "[100s:20s] @ 2000", 35, 10, 0, 0);
    check_peak(st, "rate(rate(bigmetric[10s:1s] @ 10)[100s:25s] @ 1000)"
               "[17s:1s] @ 2000", 36, 10, 0, 0);
}

#define M1 "metricWith1SampleEvery10Seconds"
#define M3 "metricWith3SampleEvery10Seconds"

/* The PeakSamples of Prometheus's TestQueryStatistics. */
static void
test_query_statistics(void **state)
{
    const struct store *st = *state;

    check_peak(st, "1", 1, 21, 0, 0);
    check_peak(st, M1, 1, 21, 0, 0);
    check_peak(st, "timestamp(" M1 ")", 2, 21, 0, 0);
    check_peak(st, M1 " offset 10s", 1, 21, 0, 0);
    check_peak(st, M1 " @ 15", 1, 21, 0, 0);
    check_peak(st, M3 "{a=\"1\"}[20s] @ 19", 2, 21, 0, 0);
    check_peak(st, M3, 3, 21, 0, 0);
    check_peak(st, M1 "[60s]", 6, 201, 0, 0);
    check_peak(st, "max_over_time(" M1 "[59s])[20s:5s]", 10, 201, 0, 0);
    check_peak(st, "max_over_time(" M1 "[60s])[20s:5s]", 11, 201, 0, 0);
    check_peak(st, M1 "[60s] @ 30", 4, 201, 0, 0);
    check_peak(st, "sum(max_over_time(" M3 "[60s] @ 30))", 7, 201, 0, 0);
    check_peak(st, "sum by (b) (max_over_time(" M3 "[60s] @ 30))", 8, 201,
               0, 0);
    check_peak(st, M3 "[60s]", 18, 201, 0, 0);
    check_peak(st, "max_over_time(" M1 "[60s])", 7, 201, 0, 0);
    check_peak(st, "absent_over_time(" M1 "[60s])", 7, 201, 0, 0);
    check_peak(st, "max_over_time(" M3 "[60s])", 9, 201, 0, 0);
    check_peak(st, M1 "[60s:5s]", 12, 201, 0, 0);
    check_peak(st, "max_over_time(" M3 "[60s:5s])", 51, 201, 0, 0);
    check_peak(st, "sum(max_over_time(" M3 "[60s:5s])) + "
               "sum(max_over_time(" M3 "[60s:5s]))", 52, 201, 0, 0);
    check_peak(st, M3 "{a=\"1\"}", 4, 201, 220, 5);
    check_peak(st, "timestamp(" M1 ")", 5, 201, 220, 5);
    check_peak(st, "max_over_time(" M3 "{a=\"1\"}[10s])", 2, 991, 1021, 10);
    check_peak(st, "max_over_time(" M3 "[60s] @ 30)", 12, 201, 220, 5);
    check_peak(st, M3, 12, 201, 220, 5);
    check_peak(st, "max_over_time(" M3 "[60s])", 18, 201, 220, 5);
    check_peak(st, "max_over_time(" M3 "[60s:5s])", 72, 201, 220, 5);
    check_peak(st, "max_over_time(" M1 "[60s:5s])", 32, 201, 220, 5);
    check_peak(st, "sum by (b) (max_over_time(" M1 "[60s:5s]))", 32, 201,
               220, 5);
    check_peak(st, "sum(max_over_time(" M3 "[60s:5s])) + "
               "sum(max_over_time(" M3 "[60s:5s]))", 76, 201, 220, 5);
    check_peak(st, "sum(max_over_time(" M3 "[60s:5s])) + "
               "sum(max_over_time(" M1 "[60s:5s]))", 72, 201, 220, 5);
}

/* text fails within ctl with msg (and, for the budget, the reason). */
static void
expect_stop(const struct store *st, const char *text, struct qeval_ctl *ctl,
            enum qeval_stop why, const char *msg)
{
    struct qresult *r;
    struct diag d;

    r = run(st, text, 1000 * S, 0, 0, ctl, &d);
    if (r != NULL)
        fail_msg("%s: evaluated, expected an error", text);
    if (strncmp(d.msg, msg, strlen(msg)) != 0)
        fail_msg("%s: got %s", text, d.msg);
    assert_int_equal(ctl->stopped, why);
}

/*
 * The shapes that took gigabytes, at a budget of a million samples: a
 * subquery result bigger than the budget, one that fits but whose window
 * does not (Prometheus holds both), and three of them summed.
 */
static void
test_one_budget_per_query(void **state)
{
    const struct store *st = *state;
    struct qeval_ctl ctl;
    struct qresult *r;
    struct diag d;

    qeval_ctl_init(&ctl);
    ctl.max_samples = 1000000;
    expect_stop(st, "max_over_time(vector(1)[1h:1ms])", &ctl,
                QEVAL_TOO_MANY_SAMPLES, too_many);
    expect_stop(st, "max_over_time(vector(1)[10m:1ms])", &ctl,
                QEVAL_TOO_MANY_SAMPLES, too_many);
    expect_stop(st, "max_over_time(vector(1)[10m:1ms]) + "
                "max_over_time(vector(1)[10m:1ms]) + "
                "max_over_time(vector(1)[10m:1ms])", &ctl,
                QEVAL_TOO_MANY_SAMPLES, too_many);
    /* What fits, passes: 400,001 held, then a window as long. */
    r = run(st, "count_over_time(vector(1)[400s:1ms])", 1000 * S, 0, 0,
            &ctl, &d);
    assert_non_null(r);
    assert_true(r->nseries == 1 && r->series[0].points[0].v == 400001);
    qresult_free(r);
    /* The budget is the query's: one operand (400,001 samples, and as
     * many more while vector() copies time()) fits, two held at once do
     * not. (time() is not step-invariant, so it is evaluated at every
     * step of the subquery.) */
    r = run(st, "count_over_time(vector(time())[400s:1ms])", 1000 * S, 0,
            0, &ctl, &d);
    assert_non_null(r);
    qresult_free(r);
    expect_stop(st, "count_over_time((vector(time()) + vector(time()))"
                "[400s:1ms])", &ctl, QEVAL_TOO_MANY_SAMPLES, too_many);
}

/*
 * A query slower than its timeout ends with Prometheus's error. The
 * clock is read every few thousand samples, so a 1 ms timeout stops a
 * query of millions of samples early, however loaded the machine.
 */
static void
test_timeout(void **state)
{
    const struct store *st = *state;
    struct qeval_ctl ctl;

    qeval_ctl_init(&ctl);
    ctl.timeout_ms = 1;
    expect_stop(st, "sum_over_time(vector(1)[30m:1ms])", &ctl,
                QEVAL_TIMEOUT, "query timed out in expression evaluation");
}

static volatile sig_atomic_t stop_flag;

static void
on_alarm(int sig)
{
    stop_flag = sig;
}

/*
 * A flag raised before the query cancels it at once; raised by a signal
 * while it runs (a query of minutes), it stops it within a moment.
 */
static void
test_cancel(void **state)
{
    const struct store *st = *state;
    struct itimerval it = {{0, 0}, {0, 50000}};
    struct sigaction sa;
    struct qeval_ctl ctl;

    qeval_ctl_init(&ctl);
    ctl.cancel = &stop_flag;
    stop_flag = SIGTERM;
    expect_stop(st, "metric", &ctl, QEVAL_CANCELED,
                "query was canceled in expression evaluation");
    stop_flag = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    expect_stop(st, "quantile_over_time(0.5, vector(1)[1h:1ms])[20m:1s]",
                &ctl, QEVAL_CANCELED, "query was canceled");
    signal(SIGALRM, SIG_DFL);
}

/*
 * label_replace and label_join build no value longer than 1 MiB, and no
 * more values in all than the sample budget stands for (16 bytes a
 * sample): both are bounds of promdeck's, Prometheus has none.
 */
static void
test_label_values(void **state)
{
    static const char *const kv[] = {"__name__", "big", "v", NULL, NULL};
    static const double one[] = {1000, 1};
    struct store *st = store_new(365LL * 86400 * S, 0);
    char *value = malloc(QEVAL_MAX_LABEL_VALUE + 1), text[200];
    const char *keys[5];
    struct qeval_ctl ctl;
    struct qresult *r;
    struct diag d;

    (void)state;
    memset(value, 'a', QEVAL_MAX_LABEL_VALUE / 2);
    value[QEVAL_MAX_LABEL_VALUE / 2] = '\0';
    memcpy(keys, kv, sizeof(kv));
    keys[3] = value;
    ts_store_add(st, keys, one, 1);
    qeval_ctl_init(&ctl);
    /* Twice half a MiB is exactly the most a value may be. */
    r = run(st, "label_replace(big, \"w\", \"$1$1\", \"v\", \"(.*)\")",
            1000 * S, 0, 0, &ctl, &d);
    assert_non_null(r);
    qresult_free(r);
    expect_stop(st, "label_replace(big, \"w\", \"$1$1$1\", \"v\", "
                "\"(.*)\")", &ctl, QEVAL_DONE, "label_replace(): label "
                "value too long (more than 1048576 bytes)");
    expect_stop(st, "label_join(big, \"w\", \"\", \"v\", \"v\", \"v\")",
                &ctl, QEVAL_DONE, "label_join(): label value too long "
                "(more than 1048576 bytes)");
    /* A value with a NUL byte (stored as C0 80) keeps the same bound. */
    memcpy(value, "\xC0\x80", 2);
    keys[1] = "nul";
    ts_store_add(st, keys, one, 1);
    expect_stop(st, "label_replace(nul, \"w\", \"$1$1$1\", \"v\", "
                "\"(.*)\")", &ctl, QEVAL_DONE, "label_replace(): label "
                "value too long (more than 1048576 bytes)");
    r = run(st, "label_replace(nul, \"w\", \"$1\", \"v\", \"(.*)\")",
            1000 * S, 0, 0, &ctl, &d);
    assert_non_null(r);
    assert_int_equal(strlen(labels_get(&r->series[0].labels, "w")),
                     QEVAL_MAX_LABEL_VALUE / 2);
    qresult_free(r);
    ctl.max_samples = 1000;
    snprintf(text, sizeof(text), "label_replace(big, \"w\", \"$1\", "
             "\"v\", \"(.*)\")");
    expect_stop(st, text, &ctl, QEVAL_DONE, "label_replace(): the label "
                "values built would take more than 16000 bytes");
    store_free(st);
    free(value);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_query_samples),
        cmocka_unit_test(test_query_statistics),
        cmocka_unit_test(test_one_budget_per_query),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_label_values),
    };

    return cmocka_run_group_tests(tests, setup, ts_store_teardown);
}
