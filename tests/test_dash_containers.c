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

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "scrape/expo.h"
#include "src/collect/cgroup.h"
#include "src/dash/containers.h"
#include "src/dash/snapshot.h"
#include "store/store.h"
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
static int put_sample(void *ctx, const struct expo_sample *s)
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

static void ingest(struct store *st, const char *text, int64_t t)
{
    struct sink_ctx x = { st, t };
    struct expo_sink sink = { .ctx = &x, .sample = put_sample };
    struct expo *p = expo_new(EXPO_TEXT, &sink, 1 << 20);
    struct diag d;

    assert_int_equal(expo_feed(p, text, strlen(text), &d), 0);
    assert_int_equal(expo_finish(p, &d), 0);
    expo_free(p);
}

static void collect_into(struct store *st, const char *root, int64_t t)
{
    char err[256];
    struct buf out;
    void *c = cgroup_collector.open(root, err, sizeof err);

    assert_non_null(c);
    buf_init(&out, 0);
    assert_int_equal(cgroup_collector.collect(c, &out, err, sizeof err), 0);
    ingest(st, buf_str(&out), t);
    buf_fini(&out);
    cgroup_collector.close(c);
}

static void put(const char *dir, const char *rel, const char *text)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir, rel);
    ts_write_file(path, text);
}

#define DOCKER_DIR "sys/fs/cgroup/system.slice/docker-" A1 ".scope/"

/* A store with two scrapes of the v2 tree, 10 s apart: in between the
 * Docker container used 1 s of CPU, received 10 MB, sent 1 MB, read
 * 5 MB and wrote 2 MB. */
static struct store *two_scrapes(char *dir, size_t size)
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

static struct container_row *row(struct container_table *c, const char *part)
{
    for (size_t i = 0; i < c->n; i++)
        if (strstr(c->rows[i].id, part))
            return &c->rows[i];
    fail_msg("no row for %s", part);
    return NULL;
}

static void test_table(void **state)
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
static void test_gone(void **state)
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

static void test_snapshot(void **state)
{
    (void)state;
    char dir[256];
    struct store *st = two_scrapes(dir, sizeof dir);
    struct container_table c = { 0 };
    struct dashboard d = { .title = "host", .now_ms = T1 };
    struct buf out;

    containers_eval(&c, st, T1, 0, 0);
    buf_init(&out, 0);
    snapshot_json_containers(&d, NULL, 0, &c, &out);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_gone),
        cmocka_unit_test(test_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
