/*
 * Built-in sources end to end inside the library: the set of collectors
 * opened on the fixture tree, each as a scrape pool target whose scrape
 * is a call, its text parsed, labelled (job, instance) and committed with
 * the synthetic series like an HTTP body; a collect that fails makes the
 * scrape fail (up 0, its error shown); a note from one that succeeded is
 * shown while the target stays up. Also the helpers collectors share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "scrape/pool.h"
#include "src/base/duration.h"
#include "src/collect/collect.h"
#include "store/store.h"
#include "tests/support/fs.h"
#include "tests/support/query.h"

static const char *
fixture(void)
{
    static char path[1024];

    snprintf(path, sizeof(path), "%s/collect/vm-debian12", ts_testdata());
    return path;
}

/* A target of job on instance "vm" scraped from b. */
static struct scrape_target_def
builtin_def(const char *job, const struct scrape_builtin *b,
            struct label *lv)
{
    struct scrape_target_def d;

    memset(&d, 0, sizeof(d));
    lv[0].name = "instance";
    lv[0].value = "vm";
    lv[1].name = "job";
    lv[1].value = job;
    d.job = job;
    d.scheme = "http";
    d.address = "vm:80";
    d.metrics_path = "/metrics";
    d.labels.v = lv;
    d.labels.n = 2;
    d.interval_ms = 1000;
    d.timeout_ms = 1000;
    d.builtin = b;
    return d;
}

/* One scrape of every target, now. */
static void
scrape_once(struct scrape_pool *p)
{
    int64_t now = time_now_ms();

    scrape_pool_start_all(p, now);
    assert_int_equal(scrape_pool_pump(p, now), scrape_pool_count(p));
}

/* The single value of expr at the time of the last scrape. */
static double
value_of(const struct store *st, const char *expr)
{
    struct qresult *r = ts_query_run(st, expr, time_now_ms() / 1000.0);
    double v;

    if (r->type != QV_VECTOR || r->nseries != 1)
        fail_msg("%s: %zu series", expr, r->nseries);
    v = r->series[0].points[0].v;
    qresult_free(r);
    return v;
}

static void
test_node_target_through_pool(void **state)
{
    struct collect_set *set = collect_set_open(fixture());
    struct store *st = store_new(3600 * 1000, 0);
    struct scrape_pool *p = scrape_pool_new(st);
    struct scrape_status s;
    struct scrape_target_def d;
    struct label lv[2];
    size_t node = SIZE_MAX;

    (void)state;
    for (size_t i = 0; i < collect_set_count(set); i++)
        if (strcmp(collect_set_job(set, i), "node") == 0)
            node = i;
    assert_true(node != SIZE_MAX);
    assert_non_null(collect_set_builtin(set, node));
    assert_string_equal(collect_set_error(set, node), "");
    d = builtin_def("node", collect_set_builtin(set, node), lv);
    scrape_pool_set_targets(p, &d, 1, time_now_ms());
    scrape_once(p);
    scrape_pool_status(p, 0, &s);
    assert_int_equal(s.health, 1);
    assert_string_equal(s.url, "builtin:node");
    assert_string_equal(s.last_error, "");
    assert_true(s.samples > 150);
    assert_true(value_of(st, "up{job=\"node\",instance=\"vm\"}") == 1);
    /* The fixture's /proc/loadavg says 1.79 1.75 2.32. */
    assert_true(value_of(st, "node_load1{job=\"node\",instance=\"vm\"}")
                == 1.79);
    assert_true(value_of(st, "node_load15") == 2.32);
    assert_true(value_of(st, "scrape_samples_scraped{job=\"node\"}")
                == (double)s.samples);
    assert_true(value_of(st, "count(node_cpu_seconds_total{mode=\"idle\"})")
                == 2);
    scrape_pool_free(p);
    store_free(st);
    collect_set_free(set);
}

static int
failing(void *ctx, struct buf *out, char *err, size_t errsz)
{
    (void)ctx;
    buf_puts(out, "half_written 1\n");
    snprintf(err, errsz, "cannot read anything");
    return -1;
}

static int
with_note(void *ctx, struct buf *out, char *err, size_t errsz)
{
    (void)ctx;
    buf_puts(out, "# TYPE thing gauge\nthing{a=\"x\\\"y\"} 7\n");
    snprintf(err, errsz, "meminfo: Permission denied");
    return 0;
}

static void
test_failing_and_noted(void **state)
{
    const struct scrape_builtin bad = { "bad", failing, NULL, NULL };
    const struct scrape_builtin noted = { "noted", with_note, NULL, NULL };
    struct store *st = store_new(3600 * 1000, 0);
    struct scrape_pool *p = scrape_pool_new(st);
    struct scrape_target_def d[2];
    struct label lv[2][2];
    struct scrape_status s;

    (void)state;
    d[0] = builtin_def("bad", &bad, lv[0]);
    d[1] = builtin_def("noted", &noted, lv[1]);
    scrape_pool_set_targets(p, d, 2, time_now_ms());
    scrape_once(p);
    scrape_pool_status(p, 0, &s);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "cannot read anything");
    assert_true(value_of(st, "up{job=\"bad\"}") == 0);
    assert_true(value_of(st, "absent(half_written)") == 1);
    scrape_pool_status(p, 1, &s);
    assert_int_equal(s.health, 1);
    assert_string_equal(s.last_error, "meminfo: Permission denied");
    assert_true(value_of(st, "up{job=\"noted\"}") == 1);
    assert_true(value_of(st, "thing{a=\"x\\\"y\",job=\"noted\"}") == 7);
    scrape_pool_free(p);
    store_free(st);
}

static void
test_helpers(void **state)
{
    char line[] = "  a\tbb  ccc dd\nnext", *p = line, *f[3], host[64];
    char err[32] = "";
    struct buf out;
    double v;
    const char *lv[] = { "k", "a\"b\\c\nd", NULL };
    /* UTF-8 kept, a byte that is not UTF-8 replaced. */
    const char *bytes[] = { "mountpoint", "/mnt/caf\xc3\xa9-\xff", NULL };

    (void)state;
    assert_int_equal(collect_fields(&p, f, 3), 3);
    assert_string_equal(f[0], "a");
    assert_string_equal(f[1], "bb");
    assert_string_equal(f[2], "ccc dd");     /* the rest in the last */
    assert_int_equal(collect_fields(&p, f, 3), 1);
    assert_string_equal(f[0], "next");
    assert_int_equal(collect_fields(&p, f, 3), -1);
    assert_int_equal(collect_number("12.5", &v), 0);
    assert_true(v == 12.5);
    assert_int_equal(collect_number("12kB", &v), -1);
    assert_int_equal(collect_number("", &v), -1);
    buf_init(&out, 0);
    collect_sample(&out, "m", lv, 0.25);
    collect_sample(&out, "n", NULL, 1e21);
    collect_sample(&out, "o", bytes, 2);
    assert_string_equal(buf_str(&out), "m{k=\"a\\\"b\\\\c\\nd\"} 0.25\n"
                        "n 1000000000000000000000\n"
                        "o{mountpoint=\"/mnt/caf\xc3\xa9-\xef\xbf\xbd\"} 2\n");
    buf_fini(&out);
    collect_hostname(fixture(), host, sizeof(host));
    assert_string_equal(host, "vm");
    collect_note(err, sizeof(err), "a", "one");
    collect_note(err, sizeof(err), "b", "two");
    assert_string_equal(err, "a: one; b: two");
    buf_init(&out, 0);
    assert_int_equal(collect_read(fixture(), "/proc/nothing", &out, err,
                                  sizeof(err)), -1);
    assert_non_null(strstr(err, "/proc/nothing: No such"));
    buf_fini(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_target_through_pool),
        cmocka_unit_test(test_failing_and_noted),
        cmocka_unit_test(test_helpers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
