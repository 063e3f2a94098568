/*
 * src/alerting.c: the notifier built from a prometheus.yml's alerting
 * section (its Alertmanagers found through static_configs and relabelled
 * into URLs as Prometheus builds them, external labels attached), a
 * reload that keeps the queue, and the status line's words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/alerting.h"
#include "src/base/xalloc.h"
#include "tests/support/config.h"

/* Two entries: a plain one, and one whose relabelling moves the port
 * and drops a target, with a path prefix; no alerting section: none. */
static void
test_from_config(void **state)
{
    struct ts_config l;
    struct fetch *f = fetch_new();
    struct notifier *n;
    struct notifier_status st;

    (void)state;
    ts_config_load(&l, "alerting:\n"
                  "  alertmanagers:\n"
                  "    - static_configs: [{targets: ['a:9093']}]\n"
                  "    - path_prefix: /am/\n"
                  "      scheme: https\n"
                  "      static_configs: [{targets: ['b:1', 'drop:1']}]\n"
                  "      relabel_configs:\n"
                  "        - {source_labels: [__address__], regex: 'drop.*',"
                  " action: drop}\n"
                  "        - {source_labels: [__address__], regex: '(.*):1',"
                  " target_label: __address__, replacement: '$1:9443'}\n");
    assert_int_equal(l.rc, 0);
    n = alerting_notifier_new(&l.cfg, f, NULL);
    assert_non_null(n);
    notifier_tick(n, 0);
    notifier_status(n, &st);
    assert_int_equal(st.nams, 2);
    assert_string_equal(st.ams[0].url, "http://a:9093/api/v2/alerts");
    assert_string_equal(st.ams[1].url, "https://b:9443/am/api/v2/alerts");
    notifier_free(n);
    ts_config_unload(&l);
    ts_config_load(&l, "global: {scrape_interval: 5s}\n");
    assert_null(alerting_notifier_new(&l.cfg, f, NULL));
    ts_config_unload(&l);
    fetch_free(f);
}

/* A reload keeps what is queued; one without Alertmanagers ends it. */
static void
test_apply(void **state)
{
    struct ts_config a, b;
    struct config empty;
    struct fetch *f = fetch_new();
    struct notifier *n;
    struct notifier_alert v[1];
    struct notifier_status st;

    (void)state;
    ts_config_load(&a, "alerting: {alertmanagers: [{api_version: v1,"
                  " static_configs: [{targets: ['x:9093']}]}]}\n");
    n = alerting_notifier_new(&a.cfg, f, "http://p");
    memset(v, 0, sizeof(v));
    labels_put(&v[0].labels, "alertname", "A");
    notifier_push(n, v, 1);
    ts_config_load(&b, "alerting: {alertmanagers: [{static_configs:"
                  " [{targets: ['y:9093']}]}]}\n");
    assert_ptr_equal(alerting_notifier_apply(n, &b.cfg, f, "http://p"), n);
    ts_config_unload(&a);
    notifier_status(n, &st);
    assert_int_equal(st.queue_len, 1);
    assert_int_equal(st.nams, 0);           /* found at the next tick */
    config_init(&empty);
    assert_null(alerting_notifier_apply(n, &empty, f, NULL));
    config_fini(&empty);
    ts_config_unload(&b);
    fetch_free(f);
}

/* The status line: the first failing Alertmanager by host, how many
 * more fail, the drop count; nothing when all is well. */
static void
test_status_text(void **state)
{
    struct notifier_am_status ams[3] = {
        { .url = "http://ok:9093/api/v2/alerts" },
        { .url = "https://am1:9093/p/api/v2/alerts",
          .error = "connection refused" },
        { .url = "http://am2:9093/api/v2/alerts", .error = "timeout" },
    };
    struct notifier_status st = { .ams = ams, .nams = 3, .dropped = 64 };
    char out[200];

    (void)state;
    alerting_status_text(&st, out, sizeof(out));
    assert_string_equal(out, "Alertmanager am1:9093: connection refused "
                        "(and 1 more) · 64 alerts dropped");
    st.nams = 1;
    st.dropped = 0;
    alerting_status_text(&st, out, sizeof(out));
    assert_string_equal(out, "");
    st.nams = 0;
    st.discovery_error = "lookup am.example: no such host";
    alerting_status_text(&st, out, sizeof(out));
    assert_string_equal(out, "Alertmanager discovery: lookup am.example: "
                        "no such host");
    st.dropped = 1;
    alerting_status_text(&st, out, sizeof(out));
    assert_string_equal(out, "Alertmanager discovery: lookup am.example: "
                        "no such host · 1 alert dropped");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_config),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_status_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
