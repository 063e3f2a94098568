/*
 * Tests for the containers table and its --once JSON: the "cadvisor"
 * collector reads a v2 fixture tree twice, ten seconds apart with known
 * changes to the files in between, its exposition goes into a store as a
 * scrape would put it, and the table must show the rates those changes
 * imply (CPU 0.1 core, 1 MB/s received, ...), the limits, Docker's
 * exited container as gone, and sort by any column.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "scrape/expo.h"
#include "query/query.h"
#include "src/collect/cgroup.h"
#include "src/dash/dash.h"
#include "src/dash/dashfile.h"
#include "src/dash/containers.h"
#include "src/dash/snapshot.h"
#include "store/store.h"
#include "tests/support/docker.h"
#include "tests/support/fs.h"

#define A1 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define T0 1700000000000
#define T1 (T0 + 10000)

struct sink_ctx {
    struct store *st;
    int64_t t;
};

/* Stores one sample with job and instance, as a scrape of the built-in
 * source would. */
static int
put_sample(void *ctx, const struct expo_sample *s)
{
    struct sink_ctx *x = ctx;
    struct labels ls = { 0 };
    char name[256];

    snprintf(name, sizeof name, "%.*s", (int)s->name_len, s->name);
    labels_put(&ls, "__name__", name);
    labels_put(&ls, "job", "cadvisor");
    labels_put(&ls, "instance", "testhost");
    for (size_t i = 0; i < s->nlabels; i++) {
        char n[256], v[1024];
        snprintf(n, sizeof n, "%.*s", (int)s->labels[i].name_len,
                 s->labels[i].name);
        snprintf(v, sizeof v, "%.*s", (int)s->labels[i].value_len,
                 s->labels[i].value);
        if (v[0])
            labels_put(&ls, n, v);
    }
    labels_sort(&ls);
    assert_int_equal(store_append(x->st, store_series_id(x->st, &ls), x->t,
                                  s->value), 0);
    labels_release(&ls);
    return 0;
}

static void
ingest(struct store *st, const char *text, int64_t t)
{
    struct sink_ctx x = { st, t };
    struct expo_sink sink = { .ctx = &x, .sample = put_sample };
    struct expo *p = expo_new(EXPO_TEXT, &sink, 1 << 20);
    struct diag d;

    assert_int_equal(expo_feed(p, text, strlen(text), &d), 0);
    assert_int_equal(expo_finish(p, &d), 0);
    expo_free(p);
}

/* One scrape of the collector c into st at t. With names set, collects
 * (20 ms apart, for at most 30 s: a loaded machine answers slowly)
 * until Docker's names have arrived. */
static void
scrape(void *c, struct store *st, int64_t t, bool names)
{
    char err[256];
    struct buf out;

    buf_init(&out, 0);
    for (int i = 0; i < 1500; i++) {
        buf_reset(&out);
        assert_int_equal(cgroup_collector.collect(c, &out, err, sizeof err),
                         0);
        if (!names || strstr(buf_str(&out), "container_restarts{"))
            break;
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
    }
    ingest(st, buf_str(&out), t);
    buf_fini(&out);
}

static void
collect_into(struct store *st, const char *root, int64_t t)
{
    char err[256];
    void *c = cgroup_collector.open(root, err, sizeof err);

    assert_non_null(c);
    scrape(c, st, t, false);
    cgroup_collector.close(c);
}

static void
put(const char *dir, const char *rel, const char *text)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir, rel);
    ts_write_file(path, text);
}

#define DOCKER_DIR "sys/fs/cgroup/system.slice/docker-" A1 ".scope/"

/* A store with two scrapes of the v2 tree, 10 s apart: in between the
 * Docker container used 1 s of CPU, received 10 MB, sent 1 MB, read
 * 5 MB and wrote 2 MB. */
static struct store *
two_scrapes(char *dir, size_t size)
{
    char src[512], cmd[1200];
    struct store *st = store_new(3600 * 1000, 0);

    assert_int_equal(ts_tmpdir_new(dir, size, "containers"), 0);
    snprintf(src, sizeof src, "%s/cgroup/v2-systemd", ts_testdata());
    snprintf(cmd, sizeof cmd, "cp -a '%s/.' '%s/'", src, dir);
    assert_int_equal(system(cmd), 0);
    collect_into(st, dir, T0);
    put(dir, DOCKER_DIR "cpu.stat", "usage_usec 3500000\nuser_usec 2000000\n"
        "system_usec 1500000\nnr_periods 50\nnr_throttled 4\n"
        "throttled_usec 2500\n");
    put(dir, DOCKER_DIR "io.stat", "8:0 rbytes=6459200 wbytes=316773504 "
        "rios=200 wios=360 dbytes=0 dios=0\n");
    put(dir, "proc/101/net/dev", "Inter-|\n face |\n"
        "  eth0: 35000000 0 0 0 0 0 0 0 3500000 0 0 0 0 0 0 0\n");
    collect_into(st, dir, T1);
    return st;
}

static struct container_row *
row(struct container_table *c, const char *part)
{
    for (size_t i = 0; i < c->n; i++)
        if (strstr(c->rows[i].id, part))
            return &c->rows[i];
    fail_msg("no row for %s", part);
    return NULL;
}

static void
test_table(void **state)
{
    (void)state;
    char dir[256];
    struct store *st = two_scrapes(dir, sizeof dir);
    struct container_table c = { 0 };

    assert_int_equal(containers_eval(&c, st, T1, 60000, 6), 3);
    assert_true(c.present);
    assert_string_equal(c.error, "");
    struct container_row *r = row(&c, "docker-" A1);
    assert_false(r->gone);
    assert_float_equal(r->cpu_cores, 0.1, 1e-9);
    assert_float_equal(r->quota_cores, 0.5, 1e-9);
    assert_float_equal(r->memory_bytes, 91750400, 1e-3);
    assert_float_equal(r->memory_limit_bytes, 268435456, 1e-3);
    assert_float_equal(r->rx_bps, 1000000, 1e-6);
    assert_float_equal(r->tx_bps, 100000, 1e-6);
    assert_float_equal(r->read_bps, 500000, 1e-6);
    assert_float_equal(r->write_bps, 200000, 1e-6);
    assert_true(isnan(r->restarts));
    assert_int_equal(r->nhistory, 6);
    assert_float_equal(r->history[CHIST_CPU][5], 0.1, 1e-9);
    assert_float_equal(r->history[CHIST_NET][5], 1100000, 1e-6);
    assert_float_equal(r->history[CHIST_MEM][5], 91750400, 1e-3);
    /* No quota: 0; the Podman one's CPU did not move: 0 cores. */
    struct container_row *p = row(&c, "libpod-");
    assert_float_equal(p->quota_cores, 0, 0);
    assert_float_equal(p->cpu_cores, 0, 1e-12);
    assert_float_equal(p->memory_limit_bytes, 0, 0);

    size_t order[3];
    containers_order(&c, CCOL_CPU, true, order);
    assert_non_null(strstr(c.rows[order[0]].id, A1));
    containers_order(&c, CCOL_MEM, false, order);
    assert_non_null(strstr(c.rows[order[0]].id, "cri-containerd"));
    assert_non_null(strstr(c.rows[order[2]].id, A1));
    containers_fini(&c);
    store_free(st);
    ts_tmpdir_remove(dir);
}

/* Rows last as long as their newest sample is inside the 5-minute
 * look-back, and then leave. */
static void
test_gone(void **state)
{
    (void)state;
    char dir[256];
    struct store *st = two_scrapes(dir, sizeof dir);
    struct container_table c = { 0 };

    /* Two minutes after the last scrape: still inside the look-back. */
    containers_eval(&c, st, T1 + 120000, 0, 0);
    assert_int_equal(c.n, 3);
    containers_eval(&c, st, T1 + 10 * 60000, 0, 0);
    assert_int_equal(c.n, 0);
    assert_true(!c.present);
    containers_fini(&c);
    store_free(st);
    ts_tmpdir_remove(dir);
}

static void
test_snapshot(void **state)
{
    (void)state;
    char dir[256];
    struct store *st = two_scrapes(dir, sizeof dir);
    struct container_table c = { 0 };
    struct dashboard d = { .title = "host", .now_ms = T1 };
    struct buf out;

    containers_eval(&c, st, T1, 0, 0);
    buf_init(&out, 0);
    struct snapshot_more more = { .containers = &c };

    snapshot_json(&d, NULL, 0, &more, &out);
    const char *j = buf_str(&out);
    assert_non_null(strstr(j, "\"containers\":[{"));
    assert_non_null(strstr(j, "{\"id\":\"" A1 "\",\"cgroup\":\"/system."
                           "slice/docker-" A1 ".scope\",\"name\":\"\","
                           "\"image\":\"\",\"state\":\"running\","
                           "\"cpu_cores_used\":0.1,\"cpu_quota_cores\":0.5,"
                           "\"memory_bytes\":91750400,"
                           "\"memory_limit_bytes\":268435456,"
                           "\"network_rx_bytes_per_second\":1000000,"
                           "\"network_tx_bytes_per_second\":100000,"
                           "\"block_read_bytes_per_second\":500000,"
                           "\"block_write_bytes_per_second\":200000,"
                           "\"restarts\":null}"));
    buf_fini(&out);
    containers_fini(&c);
    store_free(st);
    ts_tmpdir_remove(dir);
}

/* The shipped cAdvisor dashboard and the container alerting rules work
 * on the collector's series, named from (the fake) Docker: every panel
 * query answers with series and no error. */
static void
test_cadvisor_dashboard(void **state)
{
    (void)state;
    char dir[256], sock[512], host[600], data[512], path[512], err[256];
    struct store *st = store_new(3600 * 1000, 0);

    assert_int_equal(ts_tmpdir_new(dir, sizeof dir, "cadvisor"), 0);
    snprintf(sock, sizeof sock, "%s/docker.sock", dir);
    snprintf(host, sizeof host, "unix://%s", sock);
    snprintf(data, sizeof data, "%s/docker", ts_testdata());
    ts_docker_start(sock, data, TS_DOCKER_ANSWER);
    setenv("DOCKER_HOST", host, 1);
    snprintf(path, sizeof path, "%s/cgroup/v2-systemd", ts_testdata());
    void *c = cgroup_collector.open(path, err, sizeof err);
    unsetenv("DOCKER_HOST");
    assert_non_null(c);
    scrape(c, st, T0, true);
    scrape(c, st, T1, true);
    cgroup_collector.close(c);

    struct dashboard model;
    struct diag errs[4];
    size_t nerrs;
    snprintf(path, sizeof path, "%s/../../dashboards/cadvisor.yaml",
             ts_testdata());
    assert_int_equal(dashfile_load(path, &model, errs, 4, &nerrs), 0);
    struct dash *d = dash_adopt(&model);
    dash_refresh_variables_at(d, st, T1);
    assert_int_equal(dash_evaluate(d, st, T1, -1), 0);
    const struct dashboard *m = dash_model(d);
    size_t checked = 0;
    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++)
            for (size_t i = 0; i < m->pages[pg].rows[r].npanels; i++) {
                const struct panel *p = &m->pages[pg].rows[r].panels[i];
                for (size_t q = 0; q < p->nqueries; q++, checked++) {
                    const struct panel_query *pq = &p->queries[q];
                    if (pq->error || !pq->result || pq->result->nseries == 0)
                        fail_msg("%s: %s", pq->expr,
                                 pq->error ? pq->error : "no series");
                }
            }
    assert_true(checked >= 15);
    dash_free(d);

    /* The seed's container rules: their expressions, without the
     * thresholds, answer for the named container. */
    static const char *const rules[] = {
        "rate(container_cpu_usage_seconds_total{name=\"web\"}[5m])",
        "container_memory_usage_bytes{name=\"web\"} / "
        "container_spec_memory_limit_bytes",
    };
    for (size_t i = 0; i < 2; i++) {
        struct diag dg;
        struct query *q = qparse_query(rules[i], strlen(rules[i]), &dg);
        assert_non_null(q);
        struct qresult *r = qeval_instant(q, st, T1, &dg);
        assert_non_null(r);
        assert_int_equal(r->nseries, 1);
        qresult_free(r);
        qparse_free(q);
    }
    store_free(st);
    ts_tmpdir_remove(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_gone),
        cmocka_unit_test(test_snapshot),
        cmocka_unit_test_teardown(test_cadvisor_dashboard,
                                  ts_docker_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
