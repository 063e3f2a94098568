/*
 * The notifier against the real Alertmanager (Debian's
 * prometheus-alertmanager, clustering off, on 127.0.0.1, skipped when it
 * is not installed): an alert from a rule group reaches its
 * /api/v2/alerts with expanded labels and annotations and the external
 * labels, over API v2 and v1 alike, and the resolve makes it leave the
 * active alerts at once. The loop's own path is tests/e2e/
 * test_alertmanager.sh; this one needs no screen and checks the v1 path
 * too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/duration.h"
#include "src/base/yaml.h"
#include "src/rules/notify.h"
#include "tests/support/fs.h"
#include "tests/support/http.h"

#define AM_BIN "/usr/bin/prometheus-alertmanager"

struct am_proc {
    pid_t pid;
    int port;
    char dir[256];
};

/* Starts Alertmanager on a free port of 127.0.0.1 in a temp folder. */
static int
am_start(struct am_proc *am)
{
    char cfg[300], store[300], listen[64], cfgarg[320], storearg[320];
    int fd = ts_http_listen(&am->port);

    am->pid = 0;
    if (fd < 0 || ts_tmpdir_new(am->dir, sizeof(am->dir), "am") < 0)
        return -1;
    close(fd);                  /* the port is Alertmanager's from here */
    snprintf(cfg, sizeof(cfg), "%s/am.yml", am->dir);
    snprintf(store, sizeof(store), "%s/data", am->dir);
    ts_write_file(cfg, "route: {receiver: nowhere}\n"
                  "receivers: [{name: nowhere}]\n");
    snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%d",
             am->port);
    snprintf(cfgarg, sizeof(cfgarg), "--config.file=%s", cfg);
    snprintf(storearg, sizeof(storearg), "--storage.path=%s", store);
    am->pid = fork();
    if (am->pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(AM_BIN, AM_BIN, cfgarg, storearg, listen,
              "--cluster.listen-address=", (char *)NULL);
        _exit(127);
    }
    return am->pid > 0 ? 0 : -1;
}

static void
am_stop(struct am_proc *am)
{
    kill(am->pid, SIGTERM);
    waitpid(am->pid, NULL, 0);
    ts_tmpdir_remove(am->dir);
}

/* One GET through the fetcher; the body, or NULL when it failed. */
struct get {
    struct buf body;
    bool done, ok;
};

static int
on_data(void *ctx, const char *p, size_t n)
{
    return buf_append(&((struct get *)ctx)->body, p, n);
}

static void
on_done(void *ctx, const char *err)
{
    ((struct get *)ctx)->done = true;
    ((struct get *)ctx)->ok = err == NULL;
}

static char *
get(struct fetch *f, const char *url)
{
    struct fetch_conn *c = fetch_conn_new(f);
    struct get g = { .done = false };
    struct fetch_request req = { .url = url, .timeout_ms = 2000,
                                 .accept = "application/json" };
    struct fetch_callbacks cb = { .ctx = &g, .data = on_data,
                                  .done = on_done };
    bool ready;

    buf_init(&g.body, 0);
    fetch_start(c, &req, &cb);
    for (int i = 0; i < 300 && !g.done; i++) {
        fetch_wait(f, -1, 20, &ready);
        fetch_pump(f);
    }
    fetch_conn_free(c);
    if (!g.ok) {
        buf_fini(&g.body);
        return NULL;
    }
    return buf_steal(&g.body);
}

/* Moves the notifier along until nothing is in flight or queued. */
static void
drain(struct notifier *n, struct fetch *f)
{
    struct notifier_status st;
    bool ready;

    for (int i = 0; i < 500; i++) {
        notifier_tick(n, time_now_ms());
        notifier_status(n, &st);
        if (fetch_running(f) == 0 && st.queue_len == 0 && i > 0)
            return;
        fetch_wait(f, -1, 20, &ready);
        fetch_pump(f);
    }
    fail_msg("the notifier did not finish its batch");
}

/* The active alert named name in Alertmanager, as a parsed JSON tree
 * (*root to free), or NULL when there is none. */
static const struct yaml_node *
find_alert(struct fetch *f, int port, const char *name,
           struct yaml_node **root)
{
    char url[100], *body;
    struct diag d;

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v2/alerts", port);
    body = get(f, url);
    assert_non_null(body);
    *root = yaml_load_buf("alerts", body, strlen(body), &d);
    free(body);
    assert_non_null(*root);
    for (size_t i = 0; i < yaml_seq_size(*root); i++) {
        const struct yaml_node *a = yaml_seq_at(*root, i);
        const char *an = yaml_scalar(yaml_get(yaml_get(a, "labels"),
                                              "alertname"));

        if (an != NULL && strcmp(an, name) == 0)
            return a;
    }
    return NULL;
}

static const char *
field(const struct yaml_node *a, const char *map, const char *key)
{
    return yaml_scalar(yaml_get(yaml_get(a, map), key));
}

/* A store with flag{disk="sda"} at t. */
static void
flag(struct store *st, int64_t t, double v)
{
    struct labels ls = { NULL, 0 };

    labels_put(&ls, LABEL_METRIC_NAME, "flag");
    labels_put(&ls, "disk", "sda");
    labels_sort(&ls);
    store_append(st, store_series_id(st, &ls), t, v);
    labels_release(&ls);
}

/* Fires and resolves one alert through an entry of API version v. */
static void
round_trip(struct am_proc *am, int version, const char *name)
{
    char rules[600], addr[32];
    const char *targets[] = { addr };
    struct rulefile_err errs[2];
    size_t nerr;
    struct rulefile *rf;
    struct store *st = store_new(0, 0);
    struct rule_group *g;
    struct fetch *f = fetch_new();
    struct discovery *disc = discovery_new();
    struct labels ext = { NULL, 0 };
    struct notifier_am_config amc = {
        .scheme = "http", .path_prefix = "", .api_version = version,
        .timeout_ms = 2000,
    };
    struct notifier_config c = {
        .ams = &amc, .nams = 1, .discovery = disc, .fetch = f,
        .external_labels = &ext, .external_url = "http://promdeck:9090",
    };
    struct notifier *n;
    struct yaml_node *root;
    const struct yaml_node *a;
    int64_t t0 = time_now_ms(), t1;

    snprintf(rules, sizeof(rules), "groups:\n- name: g\n  rules:\n"
             "  - alert: %s\n    expr: flag == 1\n"
             "    labels: {severity: '{{ if eq $labels.disk \"sda\" }}page"
             "{{ end }}'}\n"
             "    annotations: {summary: 'flag on {{ $labels.disk }} is "
             "{{ $value }}'}\n", name);
    rf = rulefile_load_buf("r.yml", rules, strlen(rules), 1000, errs, 2,
                           &nerr);
    assert_non_null(rf);
    g = rule_group_new(&rf->groups[0]);
    snprintf(addr, sizeof(addr), "127.0.0.1:%d", am->port);
    discovery_add_static(disc, 0, targets, 1, NULL, 0);
    labels_put(&ext, "cluster", "unit");
    n = notifier_new(&c);
    flag(st, t0, 1);
    rule_group_eval(g, st, t0);
    notifier_send(n, g, t0);
    drain(n, f);
    a = find_alert(f, am->port, name, &root);
    assert_non_null(a);
    assert_string_equal(field(a, "labels", "severity"), "page");
    assert_string_equal(field(a, "labels", "cluster"), "unit");
    assert_string_equal(field(a, "labels", "disk"), "sda");
    assert_string_equal(field(a, "annotations", "summary"),
                        "flag on sda is 1");
    assert_string_equal(yaml_scalar(yaml_get(a, "generatorURL")),
                        "http://promdeck:9090/graph?g0.expr=flag+%3D%3D+1"
                        "&g0.tab=1");
    assert_string_equal(field(a, "status", "state"), "active");
    yaml_tree_free(root);
    /* resolved: gone from the active alerts at once */
    usleep(20000);
    t1 = time_now_ms();
    flag(st, t1, 0);
    rule_group_eval(g, st, t1);
    notifier_send(n, g, t1);
    drain(n, f);
    usleep(20000);
    assert_null(find_alert(f, am->port, name, &root));
    yaml_tree_free(root);
    notifier_free(n);
    fetch_free(f);
    labels_release(&ext);
    rule_group_free(g);
    rulefile_free(rf);
    store_free(st);
}

/* The Alertmanager of this run; the teardown stops it even after a
 * failed check. */
static struct am_proc the_am;

static void
test_real_alertmanager(void **state)
{
    struct fetch *f;
    char url[100], *body = NULL;

    (void)state;
    if (access(AM_BIN, X_OK) != 0)
        skip();
    assert_int_equal(am_start(&the_am), 0);
    f = fetch_new();
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/-/ready", the_am.port);
    for (int i = 0; i < 100 && body == NULL; i++) {
        body = get(f, url);
        if (body == NULL)
            usleep(100000);
    }
    fetch_free(f);
    if (body == NULL)
        fail_msg("Alertmanager did not become ready");
    free(body);
    round_trip(&the_am, 2, "ViaV2");
    round_trip(&the_am, 1, "ViaV1");
}

static int
stop_am(void **state)
{
    (void)state;
    if (the_am.pid > 0)
        am_stop(&the_am);
    the_am.pid = 0;
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_real_alertmanager, stop_am),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
