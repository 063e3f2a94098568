/*
 * The Alertmanager notifier against Prometheus 2.42's notifier.go and
 * rules/alerting.go, worked out by hand: the queue (batches of 64, the
 * oldest dropped past the capacity and counted, an oversized push keeping
 * its newest), which alerts are due (pending never, firing at once and
 * then every resend delay, resolved at once), endsAt (now + 4 * max(resend
 * delay, interval) while firing, the resolve time after), external labels
 * and alert relabelling, the JSON body as Alertmanager's v2 OpenAPI
 * schema defines PostableAlerts, and requests to a local HTTP server that
 * accepts, refuses or is not there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/config/relabel_config.h"
#include "src/rules/notify.h"
#include "tests/support/http.h"

#define SEC 1000
#define MIN 60000

/* An alert named name with one more label, started at t. */
static struct notifier_alert
alert(const char *name, const char *k, const char *v, int64_t t)
{
    struct notifier_alert a;

    memset(&a, 0, sizeof(a));
    labels_put(&a.labels, "alertname", name);
    if (k != NULL)
        labels_put(&a.labels, k, v);
    labels_sort(&a.labels);
    a.starts_at = t;
    a.ends_at = t + 4 * MIN;
    a.generator_url = xstrdup("/graph?g0.expr=up&g0.tab=1");
    return a;
}

static struct notifier *
plain_notifier(size_t cap)
{
    struct notifier_config c = { .queue_capacity = cap };

    return notifier_new(&c);
}

/* Pushes count alerts named "A0".."An" (index from first). */
static void
push_named(struct notifier *n, size_t first, size_t count)
{
    struct notifier_alert *v = xcalloc(count + 1, sizeof(*v));
    char name[32];

    for (size_t i = 0; i < count; i++) {
        snprintf(name, sizeof(name), "A%zu", first + i);
        v[i] = alert(name, NULL, NULL, 0);
    }
    notifier_push(n, v, count);
    free(v);
}

/* Takes up to max alerts, checks their names run from first, frees. */
static size_t
take_check(struct notifier *n, size_t max, size_t first)
{
    struct notifier_alert v[NOTIFIER_BATCH];
    size_t got = notifier_take(n, v, max);
    char name[32];

    for (size_t i = 0; i < got; i++) {
        snprintf(name, sizeof(name), "A%zu", first + i);
        assert_string_equal(labels_get(&v[i].labels, "alertname"), name);
        notifier_alert_fini(&v[i]);
    }
    return got;
}

/* nextBatch: 150 queued alerts go out as 64, 64 and 22, in order. */
static void
test_batches(void **state)
{
    struct notifier *n = plain_notifier(0);
    struct notifier_status st;

    (void)state;
    push_named(n, 0, 150);
    notifier_status(n, &st);
    assert_int_equal(st.queue_len, 150);
    assert_int_equal(st.queue_capacity, 10000);
    assert_int_equal(take_check(n, NOTIFIER_BATCH, 0), 64);
    assert_int_equal(take_check(n, NOTIFIER_BATCH, 64), 64);
    assert_int_equal(take_check(n, NOTIFIER_BATCH, 128), 22);
    assert_int_equal(take_check(n, NOTIFIER_BATCH, 0), 0);
    notifier_status(n, &st);
    assert_int_equal(st.dropped, 0);
    notifier_free(n);
}

/*
 * Send(): past the capacity the oldest queued alerts go; a push larger
 * than the whole queue keeps only its newest, and both count as dropped.
 */
static void
test_queue_drops_oldest(void **state)
{
    struct notifier *n = plain_notifier(5);
    struct notifier_status st;

    (void)state;
    push_named(n, 0, 3);                /* A0 A1 A2 */
    push_named(n, 3, 4);                /* A2..A6 stay: A0 A1 dropped */
    notifier_status(n, &st);
    assert_int_equal(st.queue_len, 5);
    assert_int_equal(st.dropped, 2);
    assert_int_equal(take_check(n, 2, 2), 2);   /* A2 A3 */
    push_named(n, 10, 7);               /* 7 > 5: A10 A11 dropped, then
                                         * the 3 queued (A4..A6) */
    notifier_status(n, &st);
    assert_int_equal(st.queue_len, 5);
    assert_int_equal(st.dropped, 2 + 2 + 3);
    assert_int_equal(take_check(n, NOTIFIER_BATCH, 12), 5);
    /* the ring wraps around cleanly */
    push_named(n, 20, 4);
    assert_int_equal(take_check(n, 3, 20), 3);
    push_named(n, 24, 3);
    assert_int_equal(take_check(n, NOTIFIER_BATCH, 23), 4);
    notifier_free(n);
}

/* relabelAlerts: external labels only where the alert has none of that
 * name, then alert_relabel_configs, which may drop an alert. */
static void
test_relabel(void **state)
{
    const char *rules = "- {action: drop, source_labels: [severity],"
                        " regex: none}\n"
                        "- {action: labeldrop, regex: replica}\n";
    struct diag d, errs[2];
    size_t nerrs = 0;
    struct yaml_node *doc = yaml_load_buf("r.yml", rules, strlen(rules), &d);
    struct relabel_rules *rr = NULL;
    struct labels ext = { NULL, 0 };
    struct notifier_alert v[3], out[4];
    struct notifier *n;
    struct notifier_config c = { 0 };

    (void)state;
    assert_non_null(doc);
    assert_int_equal(config_relabel_parse(doc, "alert relabeling rule", &rr,
                                          errs, 2, &nerrs), 0);
    labels_put(&ext, "cluster", "eu1");
    labels_put(&ext, "replica", "a");
    labels_put(&ext, "severity", "ext");
    labels_sort(&ext);
    c.external_labels = &ext;
    c.alert_relabel = rr;
    n = notifier_new(&c);
    v[0] = alert("Kept", "severity", "page", 0);
    v[1] = alert("Dropped", "severity", "none", 0);
    v[2] = alert("Plain", "cluster", "own", 0);
    notifier_push(n, v, 3);
    assert_int_equal(notifier_take(n, out, 4), 2);
    assert_int_equal(out[0].labels.n, 3);
    assert_string_equal(labels_get(&out[0].labels, "cluster"), "eu1");
    assert_string_equal(labels_get(&out[0].labels, "severity"), "page");
    assert_null(labels_get(&out[0].labels, "replica"));
    assert_string_equal(labels_get(&out[1].labels, "alertname"), "Plain");
    assert_string_equal(labels_get(&out[1].labels, "cluster"), "own");
    assert_string_equal(labels_get(&out[1].labels, "severity"), "ext");
    notifier_alert_fini(&out[0]);
    notifier_alert_fini(&out[1]);
    notifier_free(n);
    relabel_rules_free(rr);
    labels_release(&ext);
    yaml_tree_free(doc);
}

/*
 * The body of POST /api/v2/alerts: a JSON array of PostableAlert
 * (Alertmanager's api/v2/openapi.yaml: labels required, annotations,
 * startsAt and endsAt as date-time, generatorURL as uri), in the key
 * order Go's encoder writes the generated model, empty ones omitted.
 */
static void
test_json(void **state)
{
    struct notifier_alert v[2];
    struct buf b;

    (void)state;
    memset(v, 0, sizeof(v));
    labels_put(&v[0].labels, "alertname", "Down");
    labels_put(&v[0].labels, "instance", "h:9100");
    labels_put(&v[0].annotations, "summary", "\"h\" is down\n");
    v[0].starts_at = 1700000000123;     /* 2023-11-14T22:13:20.123Z */
    v[0].ends_at = 1700000240000;
    v[0].generator_url = xstrdup("http://prom:9090/graph?g0.expr=up+%3D%3D"
                                 "+0&g0.tab=1");
    labels_put(&v[1].labels, "alertname", "Bare");
    v[1].starts_at = 0;
    v[1].ends_at = 86400000 + 1;
    buf_init(&b, 0);
    notifier_json(v, 2, &b);
    assert_string_equal(buf_str(&b),
        "[{\"annotations\":{\"summary\":\"\\\"h\\\" is down\\n\"},"
        "\"endsAt\":\"2023-11-14T22:17:20.000Z\","
        "\"startsAt\":\"2023-11-14T22:13:20.123Z\","
        "\"generatorURL\":\"http://prom:9090/graph?g0.expr=up+%3D%3D+0"
        "&g0.tab=1\","
        "\"labels\":{\"alertname\":\"Down\",\"instance\":\"h:9100\"}},"
        "{\"endsAt\":\"1970-01-02T00:00:00.001Z\","
        "\"startsAt\":\"1970-01-01T00:00:00.000Z\","
        "\"labels\":{\"alertname\":\"Bare\"}}]");
    buf_fini(&b);
    notifier_alert_fini(&v[0]);
    notifier_alert_fini(&v[1]);
}

static struct rulefile *
load(const char *text, int64_t interval)
{
    struct rulefile_err errs[4];
    size_t n;
    struct rulefile *rf = rulefile_load_buf("t.yml", text, strlen(text),
                                            interval, errs, 4, &n);

    assert_non_null(rf);
    return rf;
}

/* Takes the one queued alert and checks its times; 0 when none. */
static size_t
take_one(struct notifier *n, int64_t starts, int64_t ends)
{
    struct notifier_alert a[2];
    size_t got = notifier_take(n, a, 2);

    assert_true(got <= 1);
    if (got == 1) {
        assert_int_equal(a[0].starts_at, starts);
        assert_int_equal(a[0].ends_at, ends);
        notifier_alert_fini(&a[0]);
    }
    return got;
}

/*
 * needsSending and endsAt through a rule group (interval 2m, resend 1m;
 * the expression a YAML block, linked without its final newline):
 * pending is never sent; firing goes at once with endsAt = t + 4 * 2m,
 * again only after the resend delay; resolved goes at once with endsAt
 * the resolve time, then every resend delay while it is remembered.
 */
static void
test_due_alerts(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  rules:\n"
        "  - alert: Down\n    expr: |\n      up == 0\n    for: 2m\n"
        "    annotations: {summary: '{{ $labels.instance }} down'}\n",
        2 * MIN);
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    struct labels ls = { NULL, 0 };
    struct notifier_config c = { .external_url = "http://prom:9090" };
    struct notifier *n = notifier_new(&c);
    struct notifier_alert a[2];
    uint32_t up;

    (void)state;
    labels_put(&ls, LABEL_METRIC_NAME, "up");
    labels_put(&ls, "instance", "h:9100");
    labels_sort(&ls);
    up = store_series_id(st, &ls);
    for (int i = 0; i <= 6; i++)
        store_append(st, up, i * MIN, i < 5 ? 0 : 1);
    rule_group_eval(g, st, 0);                  /* pending */
    notifier_send(n, g, 0);
    assert_int_equal(take_one(n, 0, 0), 0);
    rule_group_eval(g, st, 2 * MIN);            /* firing */
    notifier_send(n, g, 2 * MIN);
    assert_int_equal(notifier_take(n, a, 2), 1);
    assert_int_equal(a[0].starts_at, 2 * MIN);
    assert_int_equal(a[0].ends_at, 2 * MIN + 4 * 2 * MIN);
    assert_string_equal(labels_get(&a[0].annotations, "summary"),
                        "h:9100 down");
    assert_string_equal(labels_get(&a[0].labels, "alertname"), "Down");
    assert_string_equal(a[0].generator_url, "http://prom:9090/graph?"
                        "g0.expr=up+%3D%3D+0&g0.tab=1");
    notifier_alert_fini(&a[0]);
    /* 1m later: not more than the resend delay since, so not due */
    rule_group_eval(g, st, 3 * MIN);
    notifier_send(n, g, 3 * MIN);
    assert_int_equal(take_one(n, 0, 0), 0);
    /* 4m: 2m since the last send */
    rule_group_eval(g, st, 4 * MIN);
    notifier_send(n, g, 4 * MIN);
    assert_int_equal(take_one(n, 2 * MIN, 4 * MIN + 8 * MIN), 1);
    /* 5m: up is 1, resolved now, sent at once with endsAt = 5m */
    rule_group_eval(g, st, 5 * MIN);
    notifier_send(n, g, 5 * MIN);
    assert_int_equal(take_one(n, 2 * MIN, 5 * MIN), 1);
    notifier_send(n, g, 5 * MIN + 30 * SEC);
    assert_int_equal(take_one(n, 0, 0), 0);
    /* resent after the delay, still ending at the resolve time */
    rule_group_eval(g, st, 6 * MIN + SEC);
    notifier_send(n, g, 6 * MIN + SEC);
    assert_int_equal(take_one(n, 2 * MIN, 5 * MIN), 1);
    notifier_free(n);
    rule_group_free(g);
    labels_release(&ls);
    store_free(st);
    rulefile_free(rf);
}

/*
 * keep_firing_for 3m (interval 1m, resend 1m): the alert fires at 0; its
 * condition clears at 2m but it stays firing, so Alertmanager keeps
 * getting it as firing (endsAt = t + 4 * 1m, never the clear time) at
 * the resend delay, until it resolves at 5m and goes at once with endsAt
 * 5m (rules.SendAlerts: ResolvedAt when set, else ValidUntil).
 */
static void
test_due_alerts_keep_firing(void **state)
{
    struct rulefile *rf = load(
        "groups:\n- name: g\n  rules:\n"
        "  - alert: Down\n    expr: up == 0\n    keep_firing_for: 3m\n",
        MIN);
    struct store *st = store_new(0, 0);
    struct rule_group *g = rule_group_new(&rf->groups[0]);
    struct labels ls = { NULL, 0 };
    struct notifier_config c = { .external_url = "" };
    struct notifier *n = notifier_new(&c);
    static const int64_t ends[] = { 4, 0, 6, 0, 8, 5 };   /* minutes */
    uint32_t up;

    (void)state;
    labels_put(&ls, LABEL_METRIC_NAME, "up");
    labels_sort(&ls);
    up = store_series_id(st, &ls);
    for (int i = 0; i <= 5; i++)
        store_append(st, up, i * MIN, i < 2 ? 0 : 1);
    for (int i = 0; i <= 5; i++) {
        rule_group_eval(g, st, i * MIN);
        notifier_send(n, g, i * MIN);
        assert_int_equal(take_one(n, 0, ends[i] * MIN), ends[i] != 0);
    }
    notifier_free(n);
    rule_group_free(g);
    labels_release(&ls);
    store_free(st);
    rulefile_free(rf);
}

/* What the test server saw and answers, in shared memory. */
struct seen {
    int status;                 /* to answer */
    int requests;
    char path[128];
    char ctype[64];
    char body[4096];
};

static void
route(int fd, const char *path, const char *head, void *ctx)
{
    struct seen *s = ctx;
    const char *ct = strstr(head, "Content-Type: ");
    const char *msg = s->status == 200 ? "" : "{\"code\":400,\"message\":"
                      "\"bad alert\"}";
    char resp[256];
    int len;

    s->requests++;
    snprintf(s->path, sizeof(s->path), "%s", path);
    if (ct != NULL)
        snprintf(s->ctype, sizeof(s->ctype), "%.*s",
                 (int)strcspn(ct + 14, "\r\n"), ct + 14);
    snprintf(s->body, sizeof(s->body), "%s", ts_http_body(head));
    len = snprintf(resp, sizeof(resp), "HTTP/1.1 %d X\r\nContent-Length: "
                   "%zu\r\n\r\n%s", s->status, strlen(msg), msg);
    ts_http_send(fd, resp, (size_t)len);
}

/* Ticks and pumps until the batch in flight is answered (bounded). */
static void
run_batch(struct notifier *n, struct fetch *f)
{
    bool ready;

    notifier_tick(n, 0);
    for (int i = 0; i < 500 && fetch_running(f) > 0; i++) {
        fetch_wait(f, -1, 20, &ready);
        fetch_pump(f);
    }
    assert_int_equal(fetch_running(f), 0);
}

/* A notifier for one static Alertmanager at 127.0.0.1:port. */
static struct notifier *
am_notifier(struct fetch *f, int port, const char *prefix)
{
    char addr[32];
    const char *targets[] = { addr };
    struct discovery *d = discovery_new();
    struct notifier_am_config am = {
        .scheme = "http", .path_prefix = prefix, .api_version = 2,
        .timeout_ms = 5000,
    };
    struct notifier_config c = {
        .ams = &am, .nams = 1, .discovery = d, .fetch = f,
    };

    snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
    discovery_add_static(d, 0, targets, 1, NULL, 0);
    return notifier_new(&c);
}

/*
 * sendAll/sendOne: the batch is POSTed as JSON to path_prefix +
 * /api/v2/alerts; a 2xx takes it, another status is an error with
 * Alertmanager's message and, with no other Alertmanager, the batch
 * counts as dropped; a refused connection likewise.
 */
static void
test_send(void **state)
{
    struct seen *s = ts_shared_new(sizeof(*s));
    struct ts_http h;
    struct fetch *f = fetch_new();
    struct notifier *n;
    struct notifier_status st;
    struct notifier_alert v[1];

    (void)state;
    s->status = 200;
    assert_int_equal(ts_http_start(&h, route, s), 0);
    n = am_notifier(f, h.port, "/am/");
    v[0] = alert("Down", "job", "node", 0);
    notifier_push(n, v, 1);
    run_batch(n, f);
    assert_int_equal(s->requests, 1);
    assert_string_equal(s->path, "/am/api/v2/alerts");
    assert_string_equal(s->ctype, "application/json");
    assert_string_equal(s->body, "[{\"endsAt\":\"1970-01-01T00:04:00.000Z\","
                        "\"startsAt\":\"1970-01-01T00:00:00.000Z\","
                        "\"generatorURL\":\"/graph?g0.expr=up&g0.tab=1\","
                        "\"labels\":{\"alertname\":\"Down\",\"job\":"
                        "\"node\"}}]");
    notifier_status(n, &st);
    assert_int_equal(st.nams, 1);
    assert_null(st.ams[0].error);
    assert_int_equal(st.ams[0].sent, 1);
    assert_true(st.ams[0].last_ok_ms > 0);
    assert_int_equal(st.dropped, 0);
    /* refused with 400: the message is kept, the batch dropped */
    s->status = 400;
    v[0] = alert("Down", "job", "node", 0);
    notifier_push(n, v, 1);
    run_batch(n, f);
    notifier_status(n, &st);
    assert_string_equal(st.ams[0].error, "bad response status 400: "
                        "{\"code\":400,\"message\":\"bad alert\"}");
    assert_int_equal(st.ams[0].errors, 1);
    assert_int_equal(st.dropped, 1);
    notifier_free(n);
    /* nothing listening: connection refused, dropped, nothing waits */
    ts_http_stop(&h);
    n = am_notifier(f, h.port, "");
    v[0] = alert("Down", NULL, NULL, 0);
    notifier_push(n, v, 1);
    run_batch(n, f);
    notifier_status(n, &st);
    assert_non_null(st.ams[0].error);
    assert_non_null(strstr(st.ams[0].error, "refused"));
    assert_int_equal(st.dropped, 1);
    assert_int_equal(st.queue_len, 0);
    notifier_free(n);
    fetch_free(f);
    ts_shared_free(s, sizeof(*s));
}

/* ApplyConfig: a reloaded config keeps the queue; alerts pushed after
 * it get the new external labels. */
static void
test_apply(void **state)
{
    struct notifier *n = plain_notifier(0);
    struct labels ext = { NULL, 0 };
    struct notifier_config c = { .external_labels = &ext };
    struct notifier_status st;
    struct notifier_alert v[1], out[3];

    (void)state;
    push_named(n, 0, 2);
    labels_put(&ext, "cluster", "new");
    notifier_apply(n, &c);
    notifier_status(n, &st);
    assert_int_equal(st.queue_len, 2);
    v[0] = alert("After", NULL, NULL, 0);
    notifier_push(n, v, 1);
    assert_int_equal(notifier_take(n, out, 3), 3);
    assert_null(labels_get(&out[0].labels, "cluster"));
    assert_string_equal(labels_get(&out[2].labels, "cluster"), "new");
    for (size_t i = 0; i < 3; i++)
        notifier_alert_fini(&out[i]);
    labels_release(&ext);
    notifier_free(n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batches),
        cmocka_unit_test(test_queue_drops_oldest),
        cmocka_unit_test(test_relabel),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_due_alerts),
        cmocka_unit_test(test_due_alerts_keep_firing),
        cmocka_unit_test(test_send),
        cmocka_unit_test(test_apply),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
