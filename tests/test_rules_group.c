/*
 * Rule evaluation against timelines worked out by hand from Prometheus
 * 2.42's rules/alerting.go, recording.go and manager.go: pending to firing
 * after `for`, resolved alerts kept 15 minutes, ALERTS and
 * ALERTS_FOR_STATE, staleness markers, rule labels over series labels,
 * duplicate label sets, the group limit and keep_firing_for.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/rules/group.h"

#define MIN 60000

static struct rulefile *
load(const char *text)
{
    struct rulefile_err errs[4];
    size_t n;
    struct rulefile *rf = rulefile_load_buf("t.yml", text, strlen(text),
                                            MIN, errs, 4, &n);

    assert_non_null(rf);
    return rf;
}

/* A series from "name", then label pairs, NULL-terminated (sorted). */
static uint32_t
series(struct store *st, const char *name, ...)
{
    struct label l[8];
    struct labels ls = { l, 0 };
    va_list ap;
    const char *k;

    l[ls.n++] = (struct label){ LABEL_METRIC_NAME, name };
    va_start(ap, name);
    while ((k = va_arg(ap, const char *)) != NULL)
        l[ls.n++] = (struct label){ k, va_arg(ap, const char *) };
    va_end(ap);
    labels_sort(&ls);
    return store_series_id(st, &ls);
}

/* The value of the series at exactly t, asserting it exists. */
static double
value_at(struct store *st, uint32_t id, int64_t t)
{
    struct sample s;

    assert_true(store_last(st, id, t, &s));
    assert_int_equal(s.t, t);
    return s.v;
}

static void
test_group_alert_timeline(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  rules:\n"
        "  - alert: Down\n    expr: up == 0\n    for: 2m\n"
        "    labels: {severity: page, job: over}\n"
        "    annotations: {summary: down}\n");
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    uint32_t up = series(st, "up", "instance", "x", "job", "a", NULL);
    const struct rule_alert *a;
    uint32_t pend, fire, fst;

    (void)state;
    for (int i = 0; i < 3; i++)
        store_append(st, up, i * MIN, 0);
    store_append(st, up, 3 * MIN, 1);
    /* t=0: pending, active since 0; the rule's job label wins. */
    assert_int_equal(rule_group_eval(g, st, 0), 0);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    assert_int_equal(a->state, ALERT_PENDING);
    assert_int_equal(a->active_at, 0);
    assert_string_equal(labels_get(&a->labels, "job"), "over");
    assert_string_equal(labels_get(&a->labels, "alertname"), "Down");
    assert_null(labels_get(&a->labels, LABEL_METRIC_NAME));
    pend = series(st, "ALERTS", "alertname", "Down", "alertstate", "pending",
                  "instance", "x", "job", "over", "severity", "page", NULL);
    fire = series(st, "ALERTS", "alertname", "Down", "alertstate", "firing",
                  "instance", "x", "job", "over", "severity", "page", NULL);
    fst = series(st, "ALERTS_FOR_STATE", "alertname", "Down",
                 "instance", "x", "job", "over", "severity", "page", NULL);
    assert_true(value_at(st, pend, 0) == 1);
    assert_true(value_at(st, fst, 0) == 0);
    /* t=1m: still pending (1m < 2m). */
    rule_group_eval(g, st, MIN);
    rule_group_alerts(g, 0, &a);
    assert_int_equal(a->state, ALERT_PENDING);
    /* t=2m: fires; the pending series ends with a staleness marker. */
    rule_group_eval(g, st, 2 * MIN);
    rule_group_alerts(g, 0, &a);
    assert_int_equal(a->state, ALERT_FIRING);
    assert_int_equal(a->fired_at, 2 * MIN);
    assert_true(value_at(st, fire, 2 * MIN) == 1);
    assert_true(store_is_stale(value_at(st, pend, 2 * MIN)));
    assert_true(value_at(st, fst, 2 * MIN) == 0);
    /* t=3m: up is 1, the alert resolves and its series go stale. */
    rule_group_eval(g, st, 3 * MIN);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    assert_int_equal(a->state, ALERT_INACTIVE);
    assert_int_equal(a->resolved_at, 3 * MIN);
    assert_true(store_is_stale(value_at(st, fire, 3 * MIN)));
    assert_true(store_is_stale(value_at(st, fst, 3 * MIN)));
    /* Kept while resolved for at most 15m: 18m keeps it, 19m drops it. */
    rule_group_eval(g, st, 18 * MIN);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    rule_group_eval(g, st, 19 * MIN);
    assert_int_equal(rule_group_alerts(g, 0, &a), 0);
    rule_group_free(g);
    store_free(st);
    rulefile_free(rf);
}

static void
test_group_pending_dropped(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  rules:\n"
        "  - alert: Hi\n    expr: x > 5\n    for: 10m\n");
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    uint32_t x = series(st, "x", NULL);
    const struct rule_alert *a;

    (void)state;
    store_append(st, x, 0, 9);
    store_append(st, x, MIN, 1);
    store_append(st, x, 2 * MIN, 9);
    rule_group_eval(g, st, 0);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    /* Gone while pending: forgotten at once, not resolved. */
    rule_group_eval(g, st, MIN);
    assert_int_equal(rule_group_alerts(g, 0, &a), 0);
    /* Back: a new pending alert, active from now. */
    rule_group_eval(g, st, 2 * MIN);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    assert_int_equal(a->active_at, 2 * MIN);
    assert_true(a->value == 9);
    rule_group_free(g);
    store_free(st);
    rulefile_free(rf);
}

/*
 * keep_firing_for 3m, evaluated each minute, x above 5 at 0-1m, 4m and
 * 10m: the alert fires at 0, its condition clears at 2m and it keeps
 * firing (ALERTS firing stays 1, not resolved); back at 4m the clock is
 * reset; cleared again at 5m it fires through 7m and resolves at 8m, 3m
 * after the evaluation it first went missing from. A pending alert is not
 * kept: the second rule's alert (for 10m) is forgotten at 2m.
 */
static void
test_group_keep_firing(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  rules:\n"
        "  - alert: Hi\n    expr: x > 5\n    keep_firing_for: 3m\n"
        "  - alert: Slow\n    expr: x > 5\n    for: 10m\n"
        "    keep_firing_for: 3m\n");
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    uint32_t x = series(st, "x", NULL);
    uint32_t fire = series(st, "ALERTS", "alertname", "Hi",
                           "alertstate", "firing", NULL);
    const struct rule_alert *a;
    static const int up[] = { 9, 9, 1, 1, 9, 1, 1, 1, 1, 1, 9 };

    (void)state;
    for (int i = 0; i < 11; i++)
        store_append(st, x, i * MIN, up[i]);
    for (int i = 0; i <= 7; i++) {
        rule_group_eval(g, st, i * MIN);
        assert_int_equal(rule_group_alerts(g, 0, &a), 1);
        assert_int_equal(a->state, ALERT_FIRING);
        assert_int_equal(a->fired_at, 0);
        assert_int_equal(a->active_at, 0);
        assert_int_equal(a->resolved_at, 0);
        assert_true(value_at(st, fire, i * MIN) == 1);
        /* kept from the first evaluation the condition was gone at */
        assert_int_equal(a->keeping, up[i] < 5);
        if (a->keeping)
            assert_int_equal(a->keep_firing_since, i < 4 ? 2 * MIN : 5 * MIN);
        /* the value is the last one the expression gave */
        assert_true(a->value == 9);
        assert_int_equal(rule_group_alerts(g, 1, &a), i < 2 || i == 4);
    }
    rule_group_eval(g, st, 8 * MIN);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    assert_int_equal(a->state, ALERT_INACTIVE);
    assert_int_equal(a->resolved_at, 8 * MIN);
    assert_false(a->keeping);
    assert_true(store_is_stale(value_at(st, fire, 8 * MIN)));
    /* Back after resolving: a new alert, firing at once, not kept. */
    rule_group_eval(g, st, 10 * MIN);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    assert_int_equal(a->state, ALERT_FIRING);
    assert_int_equal(a->fired_at, 10 * MIN);
    assert_false(a->keeping);
    rule_group_free(g);
    store_free(st);
    rulefile_free(rf);
}

static void
test_group_recording(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  rules:\n"
        "  - record: job:x:sum\n    expr: sum by (job) (x)\n"
        "    labels: {team: t}\n"
        "  - record: one\n    expr: '1'\n");
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    uint32_t xa = series(st, "x", "job", "a", "i", "1", NULL);
    uint32_t xa2 = series(st, "x", "job", "a", "i", "2", NULL);
    uint32_t xb = series(st, "x", "job", "b", NULL);
    uint32_t ra, rb, one;

    (void)state;
    store_append(st, xa, 0, 1);
    store_append(st, xa2, 0, 2);
    store_append(st, xb, 0, 10);
    store_append(st, xa, MIN, 5);
    store_append(st, xb, MIN, store_stale_nan());
    assert_int_equal(rule_group_eval(g, st, 0), 0);
    ra = series(st, "job:x:sum", "job", "a", "team", "t", NULL);
    rb = series(st, "job:x:sum", "job", "b", "team", "t", NULL);
    one = series(st, "one", NULL);
    assert_true(value_at(st, ra, 0) == 3);
    assert_true(value_at(st, rb, 0) == 10);
    assert_true(value_at(st, one, 0) == 1);
    /* x{job="b"} ended: its sum is no longer written and goes stale. */
    rule_group_eval(g, st, MIN);
    assert_true(value_at(st, ra, MIN) == 7);
    assert_true(store_is_stale(value_at(st, rb, MIN)));
    assert_true(value_at(st, one, MIN) == 1);
    rule_group_free(g);
    store_free(st);
    rulefile_free(rf);
}

static void
test_group_errors(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  limit: 1\n  rules:\n"
        "  - record: r\n    expr: x\n"
        "  - alert: A\n    expr: x\n"
        "- name: h\n  rules:\n"
        "  - record: r2\n    expr: x\n    labels: {job: z}\n"
        "  - record: r3\n    expr: sum(x)\n");
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    struct rule_group *h = rule_group_new(&rf->groups[1]);
    const struct rule_alert *a;
    uint32_t r3, id;

    (void)state;
    store_append(st, series(st, "x", "job", "a", NULL), 0, 1);
    store_append(st, series(st, "x", "job", "b", NULL), 0, 2);
    assert_int_equal(rule_group_eval(g, st, 0), 2);
    assert_string_equal(rule_group_error(g, 0),
                        "exceeded limit 1 with 2 series");
    assert_string_equal(rule_group_error(g, 1),
                        "exceeded limit of 1 with 2 alerts");
    assert_int_equal(rule_group_alerts(g, 0, &a), 0);
    assert_int_equal(rule_group_alerts(g, 1, &a), 0);
    /* The rule after a failing one still runs. */
    assert_int_equal(rule_group_eval(h, st, 0), 1);
    assert_string_equal(rule_group_error(h, 0),
                        "vector contains metrics with the same labelset "
                        "after applying rule labels");
    assert_null(rule_group_error(h, 1));
    r3 = series(st, "r3", NULL);
    assert_true(value_at(st, r3, 0) == 3);
    {
        struct label l[2] = { { LABEL_METRIC_NAME, "r2" }, { "job", "z" } };
        struct labels ls = { l, 2 };

        assert_false(store_series_find(st, &ls, &id));
    }
    rule_group_free(g);
    rule_group_free(h);
    store_free(st);
    rulefile_free(rf);
}

/*
 * Each rule query runs within the group's budget: a cancel flag already
 * set stops the expression and a template's query() alike, a sample
 * limit below what the query needs gives Prometheus's error, and a rule
 * that failed writes nothing. (The timeout shares the same ctl and is
 * checked end to end in tests/e2e/test_serve_rules.sh.)
 */
static void
test_group_budget(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  rules:\n"
        "  - record: r\n    expr: sum_over_time(up[10m])\n"
        "  - alert: A\n    expr: vector(1)\n"
        "    annotations: {q: '{{ query \"up\" | first | value }}'}\n");
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    uint32_t up = series(st, "up", "job", "a", NULL);
    volatile sig_atomic_t stop = 0;
    struct qeval_ctl ctl;
    struct rule_group_opts o = { NULL, NULL, &ctl };
    const struct rule_alert *a;
    struct labels rec = { NULL, 0 };
    uint32_t id;

    (void)state;
    for (int i = 0; i <= 10; i++)
        store_append(st, up, i * MIN, i);
    qeval_ctl_init(&ctl);
    ctl.max_samples = 5;
    rule_group_set_opts(g, &o);
    assert_int_equal(rule_group_eval(g, st, 10 * MIN), 1);
    assert_string_equal(rule_group_error(g, 0), "query processing would "
                        "load too many samples into memory in query "
                        "execution");
    labels_put(&rec, LABEL_METRIC_NAME, "r");
    labels_put(&rec, "job", "a");
    assert_false(store_series_find(st, &rec, &id));
    /* The alert's template query() fits in the same budget. */
    assert_int_equal(rule_group_alerts(g, 1, &a), 1);
    assert_string_equal(labels_get(&a->annotations, "q"), "10");
    /* Cancelled: both expressions fail; the alert keeps its state, as
     * a failed evaluation changes none in Prometheus. */
    qeval_ctl_init(&ctl);
    stop = 1;
    ctl.cancel = &stop;
    rule_group_set_opts(g, &o);
    assert_int_equal(rule_group_eval(g, st, 11 * MIN), 2);
    assert_non_null(rule_group_error(g, 0));
    assert_non_null(rule_group_error(g, 1));
    assert_int_equal(rule_group_alerts(g, 1, &a), 1);
    assert_int_equal(a->active_at, 10 * MIN);
    /* Back to the defaults: both run. */
    rule_group_set_opts(g, &(struct rule_group_opts){ NULL, NULL, NULL });
    assert_int_equal(rule_group_eval(g, st, 10 * MIN + 1), 0);
    assert_true(store_series_find(st, &rec, &id));
    assert_true(value_at(st, id, 10 * MIN + 1) == 55);
    labels_release(&rec);
    rule_group_free(g);
    rulefile_free(rf);
    store_free(st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_alert_timeline),
        cmocka_unit_test(test_group_pending_dropped),
        cmocka_unit_test(test_group_keep_firing),
        cmocka_unit_test(test_group_recording),
        cmocka_unit_test(test_group_errors),
        cmocka_unit_test(test_group_budget),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
