/*
 * Tests for the scrape pool against real HTTP servers on 127.0.0.1: a
 * forked child serves the exposition fixtures and misbehaving endpoints
 * (HTTP 500, a bad body, a stalled body, an oversized body, a body that
 * changes between scrapes, fresh series then a syntax error) with
 * keep-alive, and the pool writes into a real store. The schedule is
 * checked against a model of the slots written from their description
 * (scrape/sched.h), on a clock the test moves, with targets whose every
 * scrape fails at once (a broken target_limit) so no timing enters.
 */
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "scrape/pool.h"
#include "scrape/target.h"
#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "store/store.h"
#include "tests/support/fs.h"
#include "tests/support/http.h"

/* What the test tells the server: the body /changing serves next. */
struct shared {
    volatile int phase;
    volatile int fresh;     /* bodies /fresh-bad has served */
    char last_req[2048];    /* the head of the newest request */
};

struct fixture {
    struct ts_http http;
    struct shared *sh;
    struct store *st;
    struct scrape_pool *pool;
};

/* ---- the server (runs in the child) ---- */

static void
respond(int fd, const char *status, const char *ctype, const char *body,
        size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n\r\n", status, ctype, len);

    ts_http_send(fd, head, (size_t)n);
    ts_http_send(fd, body, len);
}

static void
serve_file(int fd, const char *rel, const char *ctype)
{
    char path[512];
    struct buf b;
    char chunk[4096];
    size_t n;
    FILE *f;

    snprintf(path, sizeof(path), "%s/exposition/%s", ts_testdata(), rel);
    f = fopen(path, "rb");
    if (f == NULL) {
        respond(fd, "404 Not Found", "text/plain", "no\n", 3);
        return;
    }
    buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    respond(fd, "200 OK", ctype, b.data != NULL ? b.data : "", b.len);
    buf_fini(&b);
}

/* A body that starts, then stalls far past any scrape timeout. */
static void
serve_slow(int fd)
{
    static const char head[] =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
        "Content-Length: 40\r\n\r\n# TYPE slow gauge\n";

    ts_http_send(fd, head, sizeof(head) - 1);
    sleep(5);
    ts_http_send(fd, "slow 1\n", 7);
}

/* 1 MiB of valid lines: only the size cap can reject it. */
static void
serve_big(int fd)
{
    struct buf b;

    buf_init(&b, 0);
    for (int i = 0; b.len < ((size_t)1 << 20); i++)
        buf_printf(&b, "big_metric{i=\"%d\"} %d\n", i, i);
    respond(fd, "200 OK", "text/plain; version=0.0.4", b.data, b.len);
    buf_fini(&b);
}

/* 50,000 series no earlier body had, then a line that is not valid. */
static void
serve_fresh_bad(int fd, struct shared *sh)
{
    struct buf b;
    int round = sh->fresh++;

    buf_init(&b, 0);
    for (int i = 0; i < 50000; i++)
        buf_printf(&b, "fresh{round=\"%d\",i=\"%d\"} %d\n", round, i, i);
    buf_puts(&b, "fresh{round=\"x\" 1\n");
    respond(fd, "200 OK", "text/plain; version=0.0.4", b.data, b.len);
    buf_fini(&b);
}

static const char *const changing[] = {
    "# TYPE a gauge\na 1\nb 2\nc 3\n",
    "# TYPE a gauge\na 11\nc 13\n",
    "# TYPE a gauge\na 99\nc 99\nb{0bad=\"x\"} 1\n",
    "# TYPE a gauge\na 21\nb 22\nc 23\n",
};

static const char collide[] =
    "m{job=\"scraped\",instance=\"i2\",path=\"/\"} 1\n"
    "n{job=\"a\",exported_job=\"b\"} 2\n"
    "ts_metric 7 1700000000000\n";

/* "# TYPE gz_metric gauge\ngz_metric 42\n", gzipped. */
static const unsigned char gz_body[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x53, 0x56,
    0x08, 0x89, 0x0c, 0x70, 0x55, 0x48, 0xaf, 0x8a, 0xcf, 0x4d, 0x2d, 0x29,
    0xca, 0x4c, 0x56, 0x48, 0x4f, 0x2c, 0x4d, 0x4f, 0xe5, 0x42, 0xf0, 0x4d,
    0x8c, 0xb8, 0x00, 0xfa, 0x5f, 0x2b, 0x63, 0x24, 0x00, 0x00, 0x00,
};

static void
serve_gzip(int fd)
{
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain; "
                     "version=0.0.4\r\nContent-Encoding: gzip\r\n"
                     "Content-Length: %zu\r\n\r\n", sizeof(gz_body));

    ts_http_send(fd, head, (size_t)n);
    ts_http_send(fd, (const char *)gz_body, sizeof(gz_body));
}

static void
route(int fd, const char *path, struct shared *sh)
{
    const char *text = "text/plain; version=0.0.4; charset=utf-8";
    const char *body;

    if (strncmp(path, "/fixture/", 9) == 0 && strstr(path, ".openmetrics")) {
        serve_file(fd, path + 9,
                   "application/openmetrics-text; version=1.0.0; "
                   "charset=utf-8");
    } else if (strncmp(path, "/fixture/", 9) == 0) {
        serve_file(fd, path + 9, text);
    } else if (strcmp(path, "/gzip") == 0) {
        serve_gzip(fd);
    } else if (strcmp(path, "/500") == 0) {
        respond(fd, "500 Internal Server Error", "text/plain", "oops\n", 5);
    } else if (strcmp(path, "/slow") == 0) {
        serve_slow(fd);
    } else if (strcmp(path, "/big") == 0) {
        serve_big(fd);
    } else if (strcmp(path, "/fresh-bad") == 0) {
        serve_fresh_bad(fd, sh);
    } else if (strcmp(path, "/changing") == 0) {
        body = changing[sh->phase];
        respond(fd, "200 OK", text, body, strlen(body));
    } else if (strcmp(path, "/collide") == 0) {
        respond(fd, "200 OK", text, collide, sizeof(collide) - 1);
    } else {
        respond(fd, "404 Not Found", "text/plain", "no\n", 3);
    }
}

/* Each request: remember its head for the test, then answer it. */
static void
on_request(int fd, const char *path, const char *head, void *ctx)
{
    struct shared *sh = ctx;

    snprintf(sh->last_req, sizeof(sh->last_req), "%s\r\n", head);
    route(fd, path, sh);
}

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof(*fx));

    fx->sh = ts_shared_new(sizeof(*fx->sh));
    if (fx->sh == NULL ||
        ts_http_start(&fx->http, on_request, fx->sh) != 0)
        return -1;
    fx->st = store_new(3600 * 1000, 0);
    fx->pool = scrape_pool_new(fx->st);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    scrape_pool_free(fx->pool);
    store_free(fx->st);
    ts_http_stop(&fx->http);
    ts_shared_free(fx->sh, sizeof(*fx->sh));
    free(fx);
    return 0;
}

/* ---- helpers on the test side ---- */

/* A target definition; the caller frees it with def_free. */
struct tdef {
    struct scrape_target_def d;
    char addr[64];
    struct label lab[4];
};

static void
def_init(struct tdef *t, const struct fixture *fx, const char *job,
         const char *path, int64_t interval_ms, int64_t timeout_ms)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->addr, sizeof(t->addr), "127.0.0.1:%d", fx->http.port);
    t->lab[0] = (struct label){ "env", "test" };
    t->lab[1] = (struct label){ "instance", t->addr };
    t->lab[2] = (struct label){ "job", job };
    t->d = (struct scrape_target_def){
        .job = job, .scheme = "http", .address = t->addr,
        .metrics_path = path, .labels = { t->lab, 3 },
        .interval_ms = interval_ms, .timeout_ms = timeout_ms,
    };
}

static struct scrape_status
status(const struct fixture *fx, size_t i)
{
    struct scrape_status s;

    scrape_pool_status(fx->pool, i, &s);
    return s;
}

/* Runs the loop as the main loop does until target i finished n scrapes
 * (or max_ms passed); false on timeout. */
static bool
run_until(struct fixture *fx, size_t i, size_t n, int max_ms)
{
    int64_t deadline = time_now_ms() + max_ms;

    while (time_now_ms() < deadline) {
        int64_t now = time_now_ms(), due;
        int wait;

        if (status(fx, i).scrapes >= n)
            return true;
        scrape_pool_start_due(fx->pool, now);
        due = scrape_pool_next_due(fx->pool);
        wait = due - now > 20 ? 20 : (int)(due - now);
        scrape_pool_wait(fx->pool, -1, wait < 0 ? 0 : wait, NULL);
        scrape_pool_pump(fx->pool, time_now_ms());
    }
    return status(fx, i).scrapes >= n;
}

/* The labels of a series from "name", "value" pairs, NULL-ended; sorted. */
static struct labels
mk_labels(struct label *v, const char *first, va_list ap)
{
    struct labels ls = { v, 0 };
    const char *name = first;

    while (name != NULL) {
        v[ls.n].name = name;
        v[ls.n++].value = va_arg(ap, const char *);
        name = va_arg(ap, const char *);
    }
    labels_sort(&ls);
    return ls;
}

/* Every sample of a series, oldest first; returns the count (0: none). */
static size_t
series_read(const struct fixture *fx, struct sample **out, const char *first,
            ...)
{
    struct label v[16];
    struct labels ls;
    uint32_t id;
    size_t cap = 0;
    va_list ap;

    va_start(ap, first);
    ls = mk_labels(v, first, ap);
    va_end(ap);
    *out = NULL;
    if (!store_series_find(fx->st, &ls, &id))
        return 0;
    return store_read(fx->st, id, INT64_MIN, INT64_MAX, out, &cap);
}

/* The newest value of a series of the target at fx->http.port, job given. */
static bool
last_of(const struct fixture *fx, const char *job, const char *name,
        struct sample *out)
{
    struct sample *s;
    char inst[64];
    size_t n;

    snprintf(inst, sizeof(inst), "127.0.0.1:%d", fx->http.port);
    n = series_read(fx, &s, "__name__", name, "env", "test", "instance",
                    inst, "job", job, NULL);
    if (n > 0)
        *out = s[n - 1];
    free(s);
    return n > 0;
}

static double
last_value(const struct fixture *fx, const char *job, const char *name)
{
    struct sample s;

    if (!last_of(fx, job, name, &s))
        return -12345;
    return s.v;
}

/* ---- the tests ---- */

/* A real node_exporter body: every sample stored with the target labels,
 * the synthetic series right, the request headers as Prometheus sends. */
static void
test_fixture_scrape(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    struct scrape_status s;
    struct sample smp;
    int64_t t1, slot;

    def_init(&t, fx, "node", "/fixture/node_exporter-1.5.0.prom", 500, 400);
    scrape_pool_set_targets(fx->pool, &t.d, 1, time_now_ms());
    assert_int_equal(scrape_pool_count(fx->pool), 1);
    assert_true(run_until(fx, 0, 1, 30000));
    s = status(fx, 0);
    assert_int_equal(s.health, 1);
    assert_string_equal(s.last_error, "");
    assert_int_equal(s.samples, 507);          /* COUNTS.tsv */
    assert_string_equal(s.job, "node");
    assert_string_equal(s.instance, t.addr);
    assert_true(s.last_duration_s > 0 && s.last_duration_s < 1);
    t1 = s.last_scrape_ms;
    slot = scrape_pool_next_due(fx->pool);
    assert_float_equal(last_value(fx, "node", "up"), 1, 0);
    assert_float_equal(last_value(fx, "node", "scrape_samples_scraped"),
                       507, 0);
    assert_float_equal(last_value(fx, "node",
                                  "scrape_samples_post_metric_relabeling"),
                       507, 0);
    assert_float_equal(last_value(fx, "node", "scrape_series_added"), 507, 0);
    assert_true(last_of(fx, "node", "scrape_duration_seconds", &smp));
    assert_int_equal(smp.t, t1);
    assert_float_equal(smp.v, s.last_duration_s, 1e-9);
    /* go_gc_duration_seconds{quantile="0.25"} 2.9594e-05 in the file. */
    {
        struct sample *v;
        size_t n = series_read(fx, &v, "__name__", "go_gc_duration_seconds",
                               "quantile", "0.25", "env", "test",
                               "instance", t.addr, "job", "node", NULL);

        assert_int_equal(n, 1);
        assert_int_equal(v[0].t, t1);
        assert_float_equal(v[0].v, 2.9594e-05, 1e-15);
        free(v);
    }
    assert_non_null(strstr(fx->sh->last_req, "\r\nAccept: application/"
        "openmetrics-text;version=1.0.0,application/openmetrics-text;"
        "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n"));
    assert_non_null(strstr(fx->sh->last_req, "\r\nAccept-Encoding: gzip"));
    assert_non_null(strstr(fx->sh->last_req,
                           "\r\nUser-Agent: promdeck/0.1.0\r\n"));
    assert_non_null(strstr(fx->sh->last_req,
        "\r\nX-Prometheus-Scrape-Timeout-Seconds: 0.4\r\n"));
    assert_non_null(strstr(fx->sh->last_req,
        "GET /fixture/node_exporter-1.5.0.prom HTTP/1.1\r\n"));

    /* Later scrapes: the cache knows every series; they sit on the slot. */
    assert_true(run_until(fx, 0, 3, 30000));
    s = status(fx, 0);
    assert_int_equal(s.scrapes, 3);
    assert_float_equal(last_value(fx, "node", "scrape_series_added"), 0, 0);
    /* Keep-alive: all three scrapes went over one connection. */
    assert_int_equal(ts_http_accepts(&fx->http), 1);
    {
        struct sample *v;
        size_t n = series_read(fx, &v, "__name__", "up", "env", "test",
                               "instance", t.addr, "job", "node", NULL);

        /* One sample per scrape. How close each lands to its slot
         * depends on how late a loaded machine wakes up, so that is the
         * scale benchmark's to measure; what is certain is that the
         * schedule stays on its grid of slots, an interval apart. */
        assert_int_equal(n, 3);
        assert_int_equal(v[0].t, t1);
        assert_int_equal(v[2].t, s.last_scrape_ms);
        assert_true(scrape_pool_next_due(fx->pool) > slot);
        assert_int_equal((scrape_pool_next_due(fx->pool) - slot) % 500, 0);
        free(v);
    }
}

/* HTTP errors, bad bodies, oversized bodies and refused connections make
 * the target down with a clear error and store none of the body. */
static void
test_failures(void **state)
{
    struct fixture *fx = *state;
    struct tdef t[4];
    struct scrape_target_def d[4];
    struct scrape_status s;
    struct sample *v;
    int closed_port;
    int lfd = ts_http_listen(&closed_port);

    close(lfd);
    def_init(&t[0], fx, "e500", "/500", 10000, 5000);
    def_init(&t[1], fx, "garbage",
             "/fixture/malformed/bad-bad-label-name.prom", 10000, 5000);
    def_init(&t[2], fx, "big", "/big", 10000, 5000);
    t[2].d.body_size_limit = 64 * 1024;
    def_init(&t[3], fx, "refused", "/metrics", 10000, 5000);
    snprintf(t[3].addr, sizeof(t[3].addr), "127.0.0.1:%d", closed_port);
    for (int i = 0; i < 4; i++)
        d[i] = t[i].d;
    scrape_pool_set_targets(fx->pool, d, 4, time_now_ms());
    for (size_t i = 0; i < 4; i++)
        assert_true(run_until(fx, i, 1, 30000));

    s = status(fx, 0);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "HTTP 500 Internal Server Error");
    assert_int_equal(s.samples, 0);
    assert_float_equal(last_value(fx, "e500", "up"), 0, 0);
    assert_float_equal(last_value(fx, "e500", "scrape_samples_scraped"), 0,
                       0);

    /* VERDICTS.tsv: down, 3 samples scraped, the bad line is line 8. */
    s = status(fx, 1);
    assert_int_equal(s.health, 2);
    assert_true(strncmp(s.last_error, "parse error at line 8: ", 23) == 0);
    assert_int_equal(s.samples, 3);
    assert_float_equal(last_value(fx, "garbage", "up"), 0, 0);
    assert_float_equal(last_value(fx, "garbage", "scrape_samples_scraped"),
                       3, 0);
    assert_int_equal(series_read(fx, &v, "__name__", "go_goroutines",
                                 "env", "test", "instance", t[1].addr,
                                 "job", "garbage", NULL), 0);
    free(v);

    s = status(fx, 2);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "body size limit exceeded (64 KiB)");
    assert_int_equal(series_read(fx, &v, "__name__", "big_metric", "i", "0",
                                 "env", "test", "instance", t[2].addr,
                                 "job", "big", NULL), 0);
    free(v);
    assert_float_equal(last_value(fx, "big", "up"), 0, 0);

    s = status(fx, 3);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "connection refused");
    assert_int_equal(s.samples, 0);
}

/* The samples of one series of job "chg". */
static size_t
chg_read(const struct fixture *fx, const char *addr, const char *name,
         struct sample **v)
{
    return series_read(fx, v, "__name__", name, "env", "test", "instance",
                       addr, "job", "chg", NULL);
}

/* A series that vanishes gets a staleness marker at the next scrape's
 * time; a rejected scrape stores nothing, marks every series stale and
 * leaves the history alone. */
static void
test_staleness(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    struct sample *v;
    int64_t ts[4];

    def_init(&t, fx, "chg", "/changing", 300, 250);
    fx->sh->phase = 0;
    scrape_pool_set_targets(fx->pool, &t.d, 1, time_now_ms());
    for (int i = 0; i < 4; i++) {
        fx->sh->phase = i;
        assert_true(run_until(fx, 0, (size_t)i + 1, 30000));
        ts[i] = status(fx, 0).last_scrape_ms;
    }
    /* b: 2 at scrape 1, stale at 2, nothing at 3 (marked already), 22. */
    assert_int_equal(chg_read(fx, t.addr, "b", &v), 3);
    assert_int_equal(v[0].t, ts[0]);
    assert_float_equal(v[0].v, 2, 0);
    assert_int_equal(v[1].t, ts[1]);
    assert_true(store_is_stale(v[1].v));
    assert_int_equal(v[2].t, ts[3]);
    assert_float_equal(v[2].v, 22, 0);
    free(v);
    /* a: 1, 11, stale when scrape 3 was rejected (99 never stored), 21. */
    assert_int_equal(chg_read(fx, t.addr, "a", &v), 4);
    assert_float_equal(v[0].v, 1, 0);
    assert_float_equal(v[1].v, 11, 0);
    assert_int_equal(v[2].t, ts[2]);
    assert_true(store_is_stale(v[2].v));
    assert_int_equal(v[3].t, ts[3]);
    assert_float_equal(v[3].v, 21, 0);
    free(v);
    /* up: 1, 1, 0, 1 at the scrape times; scraped 3, 2, 2, 3. */
    assert_int_equal(chg_read(fx, t.addr, "up", &v), 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(v[i].t, ts[i]);
        assert_float_equal(v[i].v, i == 2 ? 0 : 1, 0);
    }
    free(v);
    assert_int_equal(chg_read(fx, t.addr, "scrape_samples_scraped", &v), 4);
    assert_float_equal(v[0].v, 3, 0);
    assert_float_equal(v[1].v, 2, 0);
    assert_float_equal(v[2].v, 2, 0);
    assert_float_equal(v[3].v, 3, 0);
    free(v);
    assert_int_equal(chg_read(fx, t.addr, "scrape_series_added", &v), 4);
    assert_float_equal(v[0].v, 3, 0);
    assert_float_equal(v[1].v, 0, 0);
    free(v);
}

/* honor_labels false: scraped labels that collide with target labels
 * become exported_<name>; empty label values are dropped; an exposed
 * timestamp is kept. */
static void
test_exported_labels(void **state)
{
    struct fixture *fx = *state;
    struct tdef t[2];
    struct scrape_target_def d[2];
    struct sample *v;

    def_init(&t[0], fx, "pushgateway", "/fixture/pushgateway-1.5.1.prom",
             1000, 500);
    def_init(&t[1], fx, "col", "/collide", 1000, 500);
    d[0] = t[0].d;
    d[1] = t[1].d;
    scrape_pool_set_targets(fx->pool, d, 2, time_now_ms());
    assert_true(run_until(fx, 0, 1, 30000));
    assert_true(run_until(fx, 1, 1, 30000));
    /* Either target may have been scraped again while the other was
     * awaited; the bodies do not change, so each series holds one or
     * more samples of the same value. */
    assert_int_equal(status(fx, 0).samples, 67);    /* COUNTS.tsv */
    assert_true(series_read(fx, &v, "__name__", "backup_bytes_total",
                            "env", "test", "exported_instance", "db01",
                            "exported_job", "nightly_backup",
                            "instance", t[0].addr, "job", "pushgateway",
                            "target", "s3", NULL) >= 1);
    assert_float_equal(v[0].v, 1.2345678e+08, 0);
    free(v);
    /* instance="" in the body: no conflict, the label just goes away. */
    assert_true(series_read(fx, &v, "__name__",
                            "batch_images_processed_total", "env",
                            "test", "exported_job", "image_resize_batch",
                            "instance", t[0].addr, "job", "pushgateway",
                            "status", "ok", NULL) >= 1);
    assert_float_equal(v[0].v, 1532, 0);
    free(v);
    assert_true(series_read(fx, &v, "__name__", "m", "env", "test",
                            "exported_instance", "i2", "exported_job",
                            "scraped", "instance", t[1].addr, "job",
                            "col", "path", "/", NULL) >= 1);
    assert_float_equal(v[0].v, 1, 0);
    free(v);
    /* exported_job is taken by the body itself: one more prefix. */
    assert_true(series_read(fx, &v, "__name__", "n", "env", "test",
                            "exported_exported_job", "a",
                            "exported_job", "b", "instance", t[1].addr,
                            "job", "col", NULL) >= 1);
    assert_float_equal(v[0].v, 2, 0);
    free(v);
    assert_int_equal(series_read(fx, &v, "__name__", "ts_metric", "env",
                                 "test", "instance", t[1].addr, "job", "col",
                                 NULL), 1);
    assert_int_equal(v[0].t, 1700000000000);
    assert_float_equal(v[0].v, 7, 0);
    free(v);
}

/* A target that stalls past its timeout fails with a timeout while the
 * other target keeps being scraped on time. */
static void
test_slow_target(void **state)
{
    struct fixture *fx = *state;
    struct tdef t[2];
    struct scrape_target_def d[2];
    struct scrape_status s;
    int64_t done_at[64];
    size_t nfast = 0, seen = 0, during = 0;
    int64_t deadline;

    def_init(&t[0], fx, "slow", "/slow", 5000, 1000);
    def_init(&t[1], fx, "fast", "/fixture/node_exporter-1.5.0.prom", 200,
             200);
    d[0] = t[0].d;
    d[1] = t[1].d;
    scrape_pool_set_targets(fx->pool, d, 2, time_now_ms());
    deadline = time_now_ms() + 30000;
    while (status(fx, 0).scrapes == 0 && time_now_ms() < deadline) {
        int64_t now = time_now_ms();

        scrape_pool_start_due(fx->pool, now);
        scrape_pool_wait(fx->pool, -1, 10, NULL);
        scrape_pool_pump(fx->pool, time_now_ms());
        s = status(fx, 1);
        if (s.scrapes > seen && nfast < 64) {
            seen = s.scrapes;
            done_at[nfast++] = time_now_ms();
        }
    }
    s = status(fx, 0);
    assert_int_equal(s.scrapes, 1);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "timeout after 1s");
    assert_true(s.last_duration_s >= 0.9);
    for (size_t i = 0; i < nfast; i++)
        if (done_at[i] > s.last_scrape_ms &&
            done_at[i] < s.last_scrape_ms + s.last_duration_s * 1000)
            during++;
    /* Fast scrapes ended while the slow one was still waiting: about
     * five on a quiet machine, but how many is the scheduler's business,
     * so only that some did is checked. */
    assert_true(during >= 1);
    assert_int_equal(status(fx, 1).health, 1);
}

/* Removed targets end their series (and up) with markers at that time;
 * kept ones keep their state. */
static void
test_remove_target(void **state)
{
    struct fixture *fx = *state;
    struct tdef t[2];
    struct scrape_target_def d[2];
    struct sample *v;
    size_t n, kept;
    int64_t now;

    fx->sh->phase = 0;
    def_init(&t[0], fx, "chg", "/changing", 1000, 500);
    def_init(&t[1], fx, "pushgateway", "/fixture/pushgateway-1.5.1.prom",
             1000, 500);
    d[0] = t[0].d;
    d[1] = t[1].d;
    scrape_pool_set_targets(fx->pool, d, 2, time_now_ms());
    assert_true(run_until(fx, 0, 1, 30000));
    assert_true(run_until(fx, 1, 1, 30000));
    /* The target that remains keeps its state: its scrape count (1, or 2
     * when its next slot came while the other was awaited) goes on. */
    kept = status(fx, 1).scrapes;
    assert_true(kept >= 1);
    now = time_now_ms() + 1;
    scrape_pool_set_targets(fx->pool, &d[1], 1, now);
    assert_int_equal(scrape_pool_count(fx->pool), 1);
    assert_int_equal(status(fx, 0).scrapes, kept);
    assert_string_equal(status(fx, 0).job, "pushgateway");
    /* The removed target's series end with a staleness marker at the
     * removal, after its one or two scrapes' samples. */
    n = chg_read(fx, t[0].addr, "c", &v);
    assert_true(n >= 2);
    assert_int_equal(v[n - 1].t, now);
    assert_true(store_is_stale(v[n - 1].v));
    assert_false(store_is_stale(v[n - 2].v));
    free(v);
    n = chg_read(fx, t[0].addr, "up", &v);
    assert_true(n >= 2);
    assert_int_equal(v[n - 1].t, now);
    assert_true(store_is_stale(v[n - 1].v));
    assert_float_equal(v[n - 2].v, 1, 0);
    free(v);
    assert_true(scrape_pool_next_due(fx->pool) != INT64_MAX);
    scrape_pool_set_targets(fx->pool, NULL, 0, now + 1);
    assert_int_equal(scrape_pool_next_due(fx->pool), INT64_MAX);
}

/* A series repeated in one body: the first sample is kept, the rest are
 * counted as duplicates and the scrape still succeeds (VERDICTS.tsv). */
static void
test_duplicates(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    struct scrape_status s;

    def_init(&t, fx, "dup", "/fixture/malformed/edge-duplicate-series.prom",
             1000, 500);
    scrape_pool_set_targets(fx->pool, &t.d, 1, time_now_ms());
    /* start_all does not wait for the target's first slot. */
    scrape_pool_start_all(fx->pool, time_now_ms());
    assert_int_equal(scrape_pool_running(fx->pool), 1);
    scrape_pool_start_all(fx->pool, time_now_ms());     /* not twice */
    assert_int_equal(scrape_pool_running(fx->pool), 1);
    assert_true(run_until(fx, 0, 1, 30000));
    s = status(fx, 0);
    assert_int_equal(s.health, 1);
    assert_int_equal(s.samples, 4);
    assert_int_equal(s.duplicates, 1);
    assert_float_equal(last_value(fx, "dup", "go_goroutines"), 8, 0);
}

/* A gzipped body is decoded on the way in; an OpenMetrics Content-Type
 * picks the OpenMetrics parser (# EOF and all). */
static void
test_encodings(void **state)
{
    struct fixture *fx = *state;
    struct tdef t[2];
    struct scrape_target_def d[2];

    def_init(&t[0], fx, "gz", "/gzip", 1000, 500);
    def_init(&t[1], fx, "om",
             "/fixture/python-client-0.16.0-alltypes.openmetrics", 1000, 500);
    d[0] = t[0].d;
    d[1] = t[1].d;
    scrape_pool_set_targets(fx->pool, d, 2, time_now_ms());
    scrape_pool_start_all(fx->pool, time_now_ms());
    assert_true(run_until(fx, 0, 1, 30000));
    assert_true(run_until(fx, 1, 1, 30000));
    assert_string_equal(status(fx, 0).last_error, "");
    assert_float_equal(last_value(fx, "gz", "gz_metric"), 42, 0);
    assert_string_equal(status(fx, 1).last_error, "");
    assert_int_equal(status(fx, 1).health, 1);
    assert_int_equal(status(fx, 1).samples, 45);    /* COUNTS.tsv */
}

/* A thousand new targets start spread over their first second rather
 * than all at once, and each is started exactly once. */
/*
 * A target whose every body brings 50,000 new series and then a syntax
 * error adds nothing but its synthetic series, scrape after scrape:
 * Prometheus rolls a failed scrape back whole.
 */
static void
test_failing_target_adds_nothing(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    struct store_stats st;
    size_t strings = 0;

    def_init(&t, fx, "fresh", "/fresh-bad", 100, 30000);
    scrape_pool_set_targets(fx->pool, &t.d, 1, time_now_ms());
    for (size_t n = 1; n <= 4; n++) {
        const char *err;

        assert_true(run_until(fx, 0, n, 60000));
        assert_int_equal(status(fx, 0).health, 2);
        err = status(fx, 0).last_error;
        if (strncmp(err, "parse error at line 50001: ", 27) != 0)
            fail_msg("scrape %zu: %s", n, err);
        store_get_stats(fx->st, &st);
        assert_int_equal(st.series, 5);
        if (n > 1)
            assert_int_equal(st.strings, strings);
        strings = st.strings;
        assert_float_equal(last_value(fx, "fresh", "scrape_samples_scraped"),
                           50000, 0);
    }
    assert_true(fx->sh->fresh >= 4);
}

static void
test_spread(void **state)
{
    struct fixture *fx = *state;
    enum { N = 1000 };
    struct tdef *t = xcalloc(N, sizeof(*t));
    struct scrape_target_def *d = xcalloc(N, sizeof(*d));
    char (*inst)[32] = xcalloc(N, sizeof(*inst));
    size_t bucket[10] = { 0 };
    int64_t t0 = time_now_ms();
    int port, lfd = ts_http_listen(&port);

    close(lfd);     /* nothing listens: every scrape is refused at once */
    for (size_t i = 0; i < N; i++) {
        def_init(&t[i], fx, "many", "/metrics", 15000, 10000);
        snprintf(t[i].addr, sizeof(t[i].addr), "127.0.0.1:%d", port);
        snprintf(inst[i], sizeof(inst[i]), "target-%zu", i);
        t[i].lab[1].value = inst[i];
        d[i] = t[i].d;
    }
    scrape_pool_set_targets(fx->pool, d, N, t0);
    scrape_pool_start_due(fx->pool, t0);
    assert_true(scrape_pool_running(fx->pool) < 20);
    /*
     * The clock the pool is given moves 5 ms at a time, and each step
     * waits for its refused connections to finish, so where a scrape
     * starts depends on the schedule alone, not on how busy the machine
     * running the test is.
     */
    for (int64_t now = t0; now < t0 + 1500; now += 5) {
        int64_t give_up = time_now_ms() + 10000;

        scrape_pool_start_due(fx->pool, now);
        while (scrape_pool_running(fx->pool) > 0 && time_now_ms() < give_up) {
            scrape_pool_wait(fx->pool, -1, 10, NULL);
            scrape_pool_pump(fx->pool, now);
        }
    }
    for (size_t i = 0; i < N; i++) {
        struct scrape_status s = status(fx, i);
        int64_t off = s.last_scrape_ms - t0;

        assert_int_equal(s.scrapes, 1);
        assert_string_equal(s.last_error, "connection refused");
        assert_true(off >= 0 && off < 1100);
        bucket[off >= 1000 ? 9 : off / 100]++;
    }
    /* About a hundred in each tenth of the second. */
    for (int b = 0; b < 10; b++)
        assert_true(bucket[b] >= 40 && bucket[b] <= 170);
    /* The next scrapes sit on their slots, half an interval or more on. */
    assert_true(scrape_pool_next_due(fx->pool) >= t0 + 7500);
    free(inst);
    free(d);
    free(t);
}

/* ---- the schedule, against a model of it ---- */

/* One target as the model sees it, and its definition. */
struct slot_model {
    struct tdef def;
    char inst[32];
    uint64_t hash;
    int64_t iv;
    int64_t next;       /* when the model says it is due */
    int64_t last;       /* the time its last scrape carries */
    size_t scrapes;
};

/* Target i of interval iv, whose every scrape fails at once. */
static void
model_init(struct slot_model *m, const struct fixture *fx, size_t i,
           int64_t iv)
{
    struct label v[3];
    struct labels ls = { v, 3 };
    char url[128];

    memset(m, 0, sizeof(*m));
    def_init(&m->def, fx, "sched", "/metrics", iv, iv / 2);
    snprintf(m->inst, sizeof(m->inst), "slot-%zu", i);
    m->def.lab[1].value = m->inst;
    m->def.d.forced_error = "exceeded target_limit";
    memcpy(v, m->def.lab, sizeof(v));
    labels_sort(&ls);
    snprintf(url, sizeof(url), "http://%s/metrics", m->def.addr);
    m->hash = target_hash_bytes(url, strlen(url), labels_hash(&ls));
    m->iv = iv;
}

/* The target's offset in its interval. */
static int64_t
model_offset(const struct slot_model *m)
{
    return (int64_t)(m->hash % (uint64_t)m->iv);
}

/* The first time after x on the target's slot. */
static int64_t
model_slot_after(const struct slot_model *m, int64_t x)
{
    int64_t t = x + 1;

    while ((t - model_offset(m)) % m->iv != 0)
        t++;
    return t;
}

/* Made live at now: first due within a second (or its interval). */
static void
model_activate(struct slot_model *m, int64_t now)
{
    int64_t spread = m->iv < 1000 ? m->iv : 1000;

    m->next = now + (int64_t)(m->hash % (uint64_t)spread);
}

/* A pass of the loop at now: a due target scrapes, stamped with its slot
 * when at most 10 ms late (intervals over a second), and waits for the
 * first slot half an interval on. */
static void
model_pass(struct slot_model *m, size_t n, int64_t now)
{
    for (size_t i = 0; i < n; i++) {
        if (m[i].next > now)
            continue;
        m[i].last = m[i].iv > 1000 && now - m[i].next <= 10 ? m[i].next
                                                            : now;
        m[i].scrapes++;
        m[i].next = model_slot_after(&m[i], now + m[i].iv / 2);
    }
}

/* The pool holds the model's targets m[0..n) in that order. */
static void
model_set(struct fixture *fx, struct slot_model *m, size_t n, int64_t now)
{
    struct scrape_target_def *d = xcalloc(n + 1, sizeof(*d));

    for (size_t i = 0; i < n; i++)
        d[i] = m[i].def.d;
    scrape_pool_set_targets(fx->pool, d, n, now);
    free(d);
    assert_int_equal(scrape_pool_count(fx->pool), n);
}

/* The pool agrees with the model: every target's scrapes and their
 * time, and the next due time is the earliest of the model's. */
static void
model_check(const struct fixture *fx, const struct slot_model *m, size_t n,
            int64_t now)
{
    int64_t due = INT64_MAX;

    for (size_t i = 0; i < n; i++) {
        struct scrape_status s = status(fx, i);

        if (s.scrapes != m[i].scrapes || s.last_scrape_ms != m[i].last)
            fail_msg("at %lld, target %zu: %zu scrapes, last %lld; the "
                     "model: %zu, %lld", (long long)now, i, s.scrapes,
                     (long long)s.last_scrape_ms, m[i].scrapes,
                     (long long)m[i].last);
        if (m[i].next < due)
            due = m[i].next;
    }
    assert_int_equal(scrape_pool_next_due(fx->pool), due);
    assert_true(due > now);
}

/*
 * Drives the pool and the model from now to end, waking as a loop does:
 * mostly on time or a little late, sometimes too late for the slot's
 * stamp, sometimes early. Returns the clock at the end.
 */
static int64_t
model_run(struct fixture *fx, struct slot_model *m, size_t n, int64_t now,
          int64_t end)
{
    for (unsigned k = 0; now < end; k++) {
        int64_t due = scrape_pool_next_due(fx->pool);

        if (k % 5 == 0)
            now = due + 11 + k % 9;
        else if (k % 5 == 1)
            now = due - 1;
        else
            now = due + k % 3;
        scrape_pool_start_due(fx->pool, now);
        model_pass(m, n, now);
        model_check(fx, m, n, now);
    }
    return now;
}

/* Targets of several intervals scrape on their slots, each slot once,
 * whatever order their due times come in and however late the loop
 * wakes. */
static void
test_schedule_grid(void **state)
{
    struct fixture *fx = *state;
    static const int64_t ivs[] = { 700, 1000, 2000, 5000, 15000 };
    enum { N = 60 };
    struct slot_model *m = xcalloc(N, sizeof(*m));
    int64_t t0 = 1700000000123;

    for (size_t i = 0; i < N; i++) {
        model_init(&m[i], fx, i, ivs[i % 5]);
        model_activate(&m[i], t0);
    }
    model_set(fx, m, N, t0);
    model_check(fx, m, N, t0 - 1);
    model_run(fx, m, N, t0, t0 + 60000);
    for (size_t i = 0; i < N; i++) {
        /* 60 s of an interval: about 60 s / interval scrapes. */
        assert_true(m[i].scrapes + 1 >= (size_t)(60000 / m[i].iv));
        assert_true(m[i].scrapes <= (size_t)(60000 / m[i].iv) + 1);
    }
    free(m);
}

/*
 * The slot grid itself, not the model: at a loop that wakes on time,
 * every scrape after the first carries a time on the target's slot, and
 * from the third on one interval after the one before.
 */
static void
test_schedule_slots(void **state)
{
    struct fixture *fx = *state;
    enum { N = 40 };
    struct slot_model *m = xcalloc(N, sizeof(*m));
    int64_t t0 = 1700000000000, now = t0, prev[N] = { 0 };
    size_t seen[N] = { 0 };

    for (size_t i = 0; i < N; i++)
        model_init(&m[i], fx, i, i % 2 ? 2000 : 5000);
    model_set(fx, m, N, t0);
    while (now < t0 + 30000) {
        now = scrape_pool_next_due(fx->pool);
        scrape_pool_start_due(fx->pool, now);
        for (size_t i = 0; i < N; i++) {
            struct scrape_status s = status(fx, i);

            if (s.scrapes == seen[i])
                continue;
            assert_int_equal(s.scrapes, seen[i] + 1);
            assert_int_equal(s.last_scrape_ms, now);
            if (seen[i] == 0) {
                assert_true(now - t0 < 1000);
            } else {
                assert_int_equal((now - model_offset(&m[i])) % m[i].iv, 0);
                /* The first slot at least half an interval on, then
                 * one interval apart. */
                assert_true(now - prev[i] > m[i].iv / 2);
                assert_true(now - prev[i] <= m[i].iv * 3 / 2);
                if (seen[i] >= 2)
                    assert_int_equal(now - prev[i], m[i].iv);
            }
            seen[i] = s.scrapes;
            prev[i] = now;
        }
    }
    for (size_t i = 0; i < N; i++)
        assert_true(seen[i] >= (size_t)(30000 / m[i].iv) - 1);
    free(m);
}

/*
 * Reloads mid-schedule: removed targets are scraped no more, kept ones
 * keep their slot (a new interval moves one to its new grid at once),
 * new ones start within a second, and the status order follows the new
 * list.
 */
static void
test_schedule_reload(void **state)
{
    struct fixture *fx = *state;
    enum { N = 60 };
    struct slot_model *m = xcalloc(N, sizeof(*m)), *cur;
    int64_t now = 1700000000000;

    for (size_t i = 0; i < N; i++)
        model_init(&m[i], fx, i, i % 3 ? 2000 : 3000);
    /* First m[0..40). */
    for (size_t i = 0; i < 40; i++)
        model_activate(&m[i], now);
    model_set(fx, m, 40, now);
    now = model_run(fx, m, 40, now, now + 7000);
    /* Then m[10..60): 0-9 go, 10-29 stay, 30-39 stay at 1 s, 40-59 come;
     * a moment later, but not past a scrape that falls due (the slots
     * move with the server's port, which is in every target's hash). */
    now = scrape_pool_next_due(fx->pool) < now + 3
          ? scrape_pool_next_due(fx->pool) : now + 3;
    for (size_t i = 30; i < 40; i++) {
        m[i].iv = 1000;
        m[i].def.d.interval_ms = 1000;
        m[i].def.d.timeout_ms = 500;
        m[i].next = model_slot_after(&m[i], now);
    }
    for (size_t i = 40; i < 60; i++)
        model_activate(&m[i], now);
    cur = m + 10;
    model_set(fx, cur, 50, now);
    assert_string_equal(status(fx, 0).instance, "slot-10");
    assert_string_equal(status(fx, 49).instance, "slot-59");
    /* Something may be due now: a target staying, or a new one
     * (sched_first: hash % 1000 == 0). */
    model_check(fx, cur, 50, now - 1);
    now = model_run(fx, cur, 50, now, now + 9000);
    /* Back to m[0..20) in reverse: 0-9 are new again, 10-19 stay. */
    {
        struct slot_model back[20];

        for (size_t i = 0; i < 20; i++) {
            back[i] = m[19 - i];
            back[i].def.d.labels.v = back[i].def.lab;
            back[i].def.d.address = back[i].def.addr;
            back[i].def.lab[1].value = back[i].inst;
            if (19 - i < 10) {
                back[i].scrapes = 0;
                back[i].last = 0;
                model_activate(&back[i], now);
            }
        }
        model_set(fx, back, 20, now);
        assert_string_equal(status(fx, 0).instance, "slot-19");
        model_check(fx, back, 20, now - 1);
        model_run(fx, back, 20, now, now + 9000);
        model_set(fx, back, 0, now + 9000);
        assert_int_equal(scrape_pool_next_due(fx->pool), INT64_MAX);
    }
    free(m);
}

/* Many targets on one interval: each on its own slot, each slot once. */
static void
test_schedule_many(void **state)
{
    struct fixture *fx = *state;
    enum { N = 2000 };
    struct slot_model *m = xcalloc(N, sizeof(*m));
    int64_t t0 = 1700000000000;

    for (size_t i = 0; i < N; i++) {
        model_init(&m[i], fx, i, 10000);
        model_activate(&m[i], t0);
    }
    model_set(fx, m, N, t0);
    model_run(fx, m, N, t0, t0 + 25000);
    for (size_t i = 0; i < N; i++)
        assert_true(m[i].scrapes >= 2 && m[i].scrapes <= 3);
    free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fixture_scrape, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staleness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exported_labels, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_slow_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_target, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encodings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_target_adds_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_spread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_grid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_slots, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_schedule_reload, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_schedule_many, setup,
                                        teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
