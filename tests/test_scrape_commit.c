/*
 * The scrape commit on its own, without HTTP: a target built by hand
 * scrapes exposition text through the real parser into commit_stage, and
 * each test reads the store back. It covers all-or-nothing commits (a
 * failed scrape creates no series), staleness for vanished and retired
 * series, the synthetic series, the limits, the bound on what a scrape
 * stages, the series cache, and a NUL byte in a label value from the
 * body through the store to PromQL and JSON.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "query/query.h"
#include "scrape/commit.h"
#include "scrape/expo.h"
#include "scrape/relabel.h"
#include "scrape/target.h"
#include "src/base/arena.h"
#include "src/base/buf.h"
#include "store/labels.h"
#include "store/store.h"
#include "tests/support/fs.h"

struct fixture {
    struct store *st;
    struct scrape_pool pool;
    struct target t;
    struct label tl[3];
    size_t staged, fresh;       /* what the last scrape staged */
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    f->st = store_new(0, 0);
    f->pool.st = f->st;
    f->pool.scratch = arena_new();
    f->pool.lb = relabel_builder_new();
    f->t.pool = &f->pool;
    /* Sorted; the empty label must not reach the synthetic series. */
    f->tl[0] = (struct label){ "empty", "" };
    f->tl[1] = (struct label){ "instance", "h:1" };
    f->tl[2] = (struct label){ "job", "j" };
    f->t.ident.labels.v = f->tl;
    f->t.ident.labels.n = 3;
    commit_synth_ids(&f->t);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    commit_forget(&f->t);
    free(f->t.series.prev);
    arena_free(f->pool.scratch);
    relabel_builder_free(f->pool.lb);
    store_free(f->st);
    free(f);
    return 0;
}

/*
 * One scrape at ms, as scrape/pool.c runs it: reset the stage, parse
 * body into commit_stage, judge, commit. transport is the fetcher's
 * error (NULL: the body arrived whole). Returns whether it succeeded.
 */
static bool
scrape_as(struct fixture *f, int64_t ms, enum expo_format fmt,
          const char *body, size_t len, const char *transport)
{
    struct target *t = &f->t;
    struct target_stage *g = &t->stage;
    struct expo_sink sink = { .ctx = t, .sample = commit_stage,
                              .skip_labels = true,
                              .expect = commit_expect };
    bool ok;

    commit_begin(t);
    t->xfer.start_ms = ms;
    g->parser = expo_new(fmt, &sink, 1 << 20);
    if (expo_feed(g->parser, body, len, &g->pdiag) != 0)
        g->parse_failed = true;
    else if (transport == NULL && expo_finish(g->parser, &g->pdiag) != 0)
        g->parse_failed = true;
    commit_error(t, transport);
    ok = t->status.last_error[0] == '\0';
    f->staged = g->nstaged;
    f->fresh = g->nfresh;
    commit_scrape(t, ok, (transport == NULL || g->parse_failed)
                         && !g->too_big, 0.25);
    commit_end(t);
    t->status.scrapes++;
    return ok;
}

/* A text body without NUL bytes. */
static bool
scrape(struct fixture *f, int64_t ms, const char *body, const char *transport)
{
    return scrape_as(f, ms, EXPO_TEXT, body, strlen(body), transport);
}

/* The newest sample at or before maxt of name{instance, job}, and more
 * labels (name, value pairs, NULL-terminated). */
static bool
last(struct fixture *f, int64_t maxt, struct sample *out, const char *name,
     ...)
{
    struct label v[8];
    struct labels ls = { .v = v };
    const char *n;
    uint32_t id;
    va_list ap;

    v[ls.n++] = (struct label){ LABEL_METRIC_NAME, name };
    v[ls.n++] = f->tl[1];
    v[ls.n++] = f->tl[2];
    va_start(ap, name);
    while ((n = va_arg(ap, const char *)) != NULL) {
        v[ls.n].name = n;
        v[ls.n++].value = va_arg(ap, const char *);
    }
    va_end(ap);
    labels_sort(&ls);
    if (!store_series_find(f->st, &ls, &id))
        return false;
    return store_last(f->st, id, maxt, out);
}

/* The value of name{instance, job} at exactly ms. */
static double
value_at(struct fixture *f, int64_t ms, const char *name)
{
    struct sample s;

    assert_true(last(f, ms, &s, name, NULL));
    assert_int_equal(s.t, ms);
    return s.v;
}

static void
test_synth_ids(void **state)
{
    struct fixture *f = *state;
    struct label v[] = {
        { LABEL_METRIC_NAME, "up" }, { "instance", "h:1" }, { "job", "j" },
    };
    struct labels ls = { v, 3 };
    uint32_t id;

    assert_true(store_series_find(f->st, &ls, &id));
    assert_int_equal(id, f->t.series.synth[SYN_UP]);
    v[0].value = "scrape_series_added";
    assert_true(store_series_find(f->st, &ls, &id));
    assert_int_equal(id, f->t.series.synth[SYN_SERIES_ADDED]);
}

static void
test_success_and_synthetic_series(void **state)
{
    struct fixture *f = *state;
    struct sample s;

    assert_true(scrape(f, 1000, "a 1\nb{x=\"1\"} 2\na 5\n", NULL));
    assert_string_equal(f->t.status.last_error, "");
    /* The first of a repeated series wins; the repeat is counted. */
    assert_float_equal(value_at(f, 1000, "a"), 1, 0);
    assert_int_equal(f->t.status.duplicates, 1);
    assert_true(last(f, 1000, &s, "b", "x", "1", NULL));
    assert_float_equal(s.v, 2, 0);
    assert_float_equal(value_at(f, 1000, "up"), 1, 0);
    assert_float_equal(value_at(f, 1000, "scrape_duration_seconds"), 0.25,
                       0);
    assert_float_equal(value_at(f, 1000, "scrape_samples_scraped"), 3, 0);
    assert_float_equal(value_at(f, 1000,
                                "scrape_samples_post_metric_relabeling"),
                       3, 0);
    assert_float_equal(value_at(f, 1000, "scrape_series_added"), 2, 0);
    assert_int_equal(f->t.status.samples, 3);
    assert_int_equal(f->t.series.nprev, 2);
}

static void
test_vanished_series_go_stale(void **state)
{
    struct fixture *f = *state;
    struct sample s;

    assert_true(scrape(f, 1000, "a 1\nb 2\n", NULL));
    assert_true(scrape(f, 2000, "a 3\n", NULL));
    assert_float_equal(value_at(f, 2000, "a"), 3, 0);
    assert_true(store_is_stale(value_at(f, 2000, "b")));
    /* Known series are not new: only a was added, in the first scrape. */
    assert_float_equal(value_at(f, 2000, "scrape_series_added"), 0, 0);
    /* A vanished series is marked once, not at every later scrape. */
    assert_true(scrape(f, 3000, "a 4\n", NULL));
    assert_true(last(f, 3000, &s, "b", NULL));
    assert_int_equal(s.t, 2000);
}

static void
test_failure_stores_nothing_staged(void **state)
{
    struct fixture *f = *state;

    assert_true(scrape(f, 1000, "a 1\n", NULL));
    assert_false(scrape(f, 2000, "a 7\nbad line here\n", NULL));
    assert_string_equal(f->t.status.last_error,
                        "parse error at line 2: expected a float as "
                        "value, found \"line\"");
    /* a's staged 7 never lands: the series of the last success end. */
    assert_true(store_is_stale(value_at(f, 2000, "a")));
    assert_float_equal(value_at(f, 2000, "up"), 0, 0);
    /* A parse error keeps its counts: the body was read. */
    assert_float_equal(value_at(f, 2000, "scrape_samples_scraped"), 1, 0);
    assert_int_equal(f->t.series.nprev, 0);
    assert_int_equal(f->t.series.cache.n, 0);
}

static void
test_transport_error_counts_nothing(void **state)
{
    struct fixture *f = *state;

    assert_false(scrape(f, 1000, "a 1\n", "connection refused"));
    assert_string_equal(f->t.status.last_error, "connection refused");
    assert_float_equal(value_at(f, 1000, "up"), 0, 0);
    assert_float_equal(value_at(f, 1000, "scrape_samples_scraped"), 0, 0);
    assert_float_equal(value_at(f, 1000,
                                "scrape_samples_post_metric_relabeling"),
                       0, 0);
}

static void
test_explicit_timestamps_are_not_tracked(void **state)
{
    struct fixture *f = *state;
    struct sample s;

    assert_true(scrape(f, 1000, "c 1 500\na 1\n", NULL));
    assert_true(last(f, 1000, &s, "c", NULL));
    assert_int_equal(s.t, 500);
    assert_int_equal(f->t.series.nprev, 1);
    assert_true(scrape(f, 2000, "a 2\n", NULL));
    assert_true(last(f, 2000, &s, "c", NULL));
    assert_int_equal(s.t, 500);
    assert_float_equal(s.v, 1, 0);
}

static void
test_retire_marks_everything_stale(void **state)
{
    struct fixture *f = *state;

    assert_true(scrape(f, 1000, "a 1\n", NULL));
    commit_retire(&f->t, 1500);
    assert_true(store_is_stale(value_at(f, 1500, "a")));
    assert_true(store_is_stale(value_at(f, 1500, "up")));
    assert_true(store_is_stale(value_at(f, 1500, "scrape_series_added")));
}

static void
test_retire_before_any_scrape(void **state)
{
    struct fixture *f = *state;
    struct sample s;

    commit_retire(&f->t, 1500);
    assert_false(last(f, 1500, &s, "up", NULL));
}

static void
test_label_limit_fails_the_scrape(void **state)
{
    struct fixture *f = *state;

    /* __name__, instance, job and x: four labels against a limit of 3. */
    f->t.conf.label_limit = 3;
    assert_true(scrape(f, 1000, "a 1\n", NULL));
    assert_false(scrape(f, 2000, "a 2\nb{x=\"1\"} 1\n", NULL));
    assert_string_equal(f->t.status.last_error,
                        "label_limit exceeded (metric: b{x=\"1\"}, number "
                        "of labels: 4, limit: 3)");
    assert_true(store_is_stale(value_at(f, 2000, "a")));
}

static void
test_sample_limit_fails_the_scrape(void **state)
{
    struct fixture *f = *state;

    f->t.conf.sample_limit = 1;
    assert_false(scrape(f, 1000, "a 1\nb 2\n", NULL));
    assert_string_equal(f->t.status.last_error, "sample limit exceeded");
    assert_float_equal(value_at(f, 1000, "up"), 0, 0);
    f->t.conf.sample_limit = 2;
    assert_true(scrape(f, 2000, "a 1\nb 2\n", NULL));
}

static void
test_cache_sweep_and_forget(void **state)
{
    struct fixture *f = *state;

    assert_true(scrape(f, 1000, "a 1\nb 2\nc 3\n", NULL));
    assert_int_equal(f->t.series.cache.n, 3);
    /* Series a scrape no longer reports leave the cache with it. */
    assert_true(scrape(f, 2000, "a 1\n", NULL));
    assert_int_equal(f->t.series.cache.n, 1);
    commit_forget(&f->t);
    assert_int_equal(f->t.series.cache.n, 0);
    assert_null(f->t.series.cache.v);
    assert_null(f->t.series.cache.keys);
    /* The next scrape finds its series again, as new to the cache but
     * not to the store. */
    assert_true(scrape(f, 3000, "a 2\n", NULL));
    assert_float_equal(value_at(f, 3000, "a"), 2, 0);
    assert_int_equal(f->t.series.cache.n, 1);
}

/* The number of series in the store. */
static size_t
nseries(const struct fixture *f)
{
    struct store_stats st;

    store_get_stats(f->st, &st);
    return st.series;
}

/* n fresh series (named by round) and, when bad, a line that breaks. */
static char *
fresh_body(int round, int n, bool bad)
{
    struct buf b;

    buf_init(&b, 0);
    for (int i = 0; i < n; i++)
        buf_printf(&b, "fresh{round=\"%d\",i=\"%d\"} %d\n", round, i, i);
    if (bad)
        buf_puts(&b, "fresh{round=\"x\" 1\n");
    return buf_steal(&b);
}

/*
 * A failed scrape creates no series, as Prometheus rolls its appender
 * back: a target sending 50,000 fresh series and then a syntax error,
 * scrape after scrape, leaves the store at its five synthetic series and
 * the same interned strings.
 */
static void
test_failed_scrape_creates_no_series(void **state)
{
    struct fixture *f = *state;
    struct store_stats st;
    size_t strings = 0;

    assert_int_equal(nseries(f), SYN_COUNT);
    for (int round = 0; round < 4; round++) {
        char *body = fresh_body(round, 50000, true);

        assert_false(scrape(f, 1000 * (round + 1), body, NULL));
        free(body);
        assert_true(strncmp(f->t.status.last_error,
                            "parse error at line 50001: ", 27) == 0);
        assert_int_equal(f->fresh, 50000);
        assert_int_equal(nseries(f), SYN_COUNT);
        store_get_stats(f->st, &st);
        if (round > 0)
            assert_int_equal(st.strings, strings);
        strings = st.strings;
        assert_float_equal(value_at(f, 1000 * (round + 1), "up"), 0, 0);
        assert_float_equal(value_at(f, 1000 * (round + 1),
                                    "scrape_samples_scraped"), 50000, 0);
    }
    /* The same series without the bad line: now they are created. */
    {
        char *body = fresh_body(9, 50000, false);

        assert_true(scrape(f, 9000, body, NULL));
        free(body);
    }
    assert_int_equal(nseries(f), SYN_COUNT + 50000);
    assert_float_equal(value_at(f, 9000, "scrape_series_added"), 50000, 0);
}

/* Two texts of one label set are one series: the first sample wins. */
static void
test_one_series_two_texts(void **state)
{
    struct fixture *f = *state;
    struct sample s;

    assert_true(scrape(f, 1000, "a{x=\"1\",y=\"2\"} 1\n"
                                "a{y=\"2\",x=\"1\"} 2\n", NULL));
    assert_int_equal(f->fresh, 2);
    assert_true(last(f, 1000, &s, "a", "x", "1", "y", "2", NULL));
    assert_float_equal(s.v, 1, 0);
    assert_int_equal(f->t.status.duplicates, 1);
    assert_int_equal(nseries(f), SYN_COUNT + 1);
    /* Known by both texts now: nothing new is staged. */
    assert_true(scrape(f, 2000, "a{y=\"2\",x=\"1\"} 3\n"
                                "a{x=\"1\",y=\"2\"} 4\n", NULL));
    assert_int_equal(f->fresh, 0);
    assert_true(last(f, 2000, &s, "a", "x", "1", "y", "2", NULL));
    assert_float_equal(s.v, 3, 0);
    assert_int_equal(f->t.status.duplicates, 2);
}

/* A series text repeated is counted, not staged again. */
static void
test_repeats_are_not_staged(void **state)
{
    struct fixture *f = *state;
    struct buf b;

    buf_init(&b, 0);
    for (int i = 0; i < 200000; i++)
        buf_puts(&b, "a 1\n");
    assert_true(scrape(f, 1000, buf_str(&b), NULL));
    buf_fini(&b);
    assert_int_equal(f->staged, 1);
    assert_int_equal(f->t.status.duplicates, 199999);
    assert_float_equal(value_at(f, 1000, "scrape_samples_scraped"), 200000,
                       0);
    assert_float_equal(value_at(f, 1000,
                                "scrape_samples_post_metric_relabeling"),
                       200000, 0);
}

/*
 * What a scrape stages is bounded: past COMMIT_STAGE_FACTOR times the
 * body size limit (at least COMMIT_STAGE_FLOOR) the scrape fails as a
 * body over the limit does in Prometheus: up 0, nothing scraped,
 * nothing added.
 */
static void
test_stage_budget(void **state)
{
    struct fixture *f = *state;
    char *body = fresh_body(0, 200000, false);

    f->t.conf.max_body = (size_t)1 << 20;
    assert_false(scrape(f, 1000, body, NULL));
    assert_string_equal(f->t.status.last_error,
                        "body size limit exceeded (staging it needs over "
                        "16 MiB)");
    assert_true(f->fresh > 0 && f->fresh < 200000);
    assert_int_equal(nseries(f), SYN_COUNT);
    assert_float_equal(value_at(f, 1000, "up"), 0, 0);
    assert_float_equal(value_at(f, 1000, "scrape_samples_scraped"), 0, 0);
    assert_int_equal(f->t.series.cache.n, 0);
    /* A limit of 64 MiB stages four times that: the same body passes. */
    f->t.conf.max_body = 0;
    assert_true(scrape(f, 2000, body, NULL));
    free(body);
    assert_int_equal(nseries(f), SYN_COUNT + 200000);
}

/* Past sample_limit nothing more is staged; the scrape fails. */
static void
test_sample_limit_stops_staging(void **state)
{
    struct fixture *f = *state;
    char *body = fresh_body(0, 1000, false);

    f->t.conf.sample_limit = 10;
    assert_false(scrape(f, 1000, body, NULL));
    free(body);
    assert_string_equal(f->t.status.last_error, "sample limit exceeded");
    assert_int_equal(f->staged, 10);
    assert_int_equal(nseries(f), SYN_COUNT);
    assert_float_equal(value_at(f, 1000, "scrape_samples_scraped"), 1000, 0);
}

/* A reproducer body of the exposition fuzz harness: its first byte picks
 * the format (odd: OpenMetrics), the rest is the body. */
static char *
regress_body(const char *name, enum expo_format *fmt, size_t *len)
{
    char path[512];
    struct buf b;

    snprintf(path, sizeof(path), "%s/fuzz/regress/fuzz_expo/%s",
             ts_testdata(), name);
    assert_int_equal(buf_read_file(&b, path, 1 << 20, NULL), 0);
    assert_true(b.len > 1);
    *fmt = b.data[0] & 1 ? EXPO_OPENMETRICS : EXPO_TEXT;
    *len = b.len - 1;
    memmove(b.data, b.data + 1, b.len);
    return buf_steal(&b);
}

/* The series of an instant query at ms, formatted, one per line. */
static size_t
query(struct fixture *f, const char *promql, int64_t ms, struct buf *out)
{
    struct diag d;
    struct query *q = qparse_query(promql, strlen(promql), &d);
    struct qresult *r;
    size_t n;

    assert_non_null(q);
    r = qeval_instant(q, f->st, ms, &d);
    assert_non_null(r);
    buf_reset(out);
    for (size_t i = 0; i < r->nseries; i++) {
        labels_json(&r->series[i].labels, out);
        buf_putc(out, '\n');
    }
    n = r->nseries;
    qresult_free(r);
    qparse_free(q);
    return n;
}

/*
 * A NUL byte inside a label value. Prometheus 2.42's lexers skip NUL
 * bytes while they read a label value (promlex.l's next() in sLValue),
 * and the value is the raw bytes between the quotes, so it keeps the
 * NUL: the scrape succeeds with a="x\x00y". The store must not cut it to
 * "x"; JSON writes it as \u0000 (Go's encoding/json), PromQL's form as
 * \x00 (strconv.Quote), the PromQL string escape "\x00" selects it and
 * regexes see the NUL byte itself (Go's regexp matches it with ".").
 */
static void
test_nul_in_label_value(void **state)
{
    struct fixture *f = *state;
    enum expo_format fmt;
    size_t len;
    char *body = regress_body("nul-label-value.prom", &fmt, &len);
    struct sample s;
    struct buf out;

    assert_int_equal(fmt, EXPO_TEXT);
    assert_true(scrape_as(f, 1000, fmt, body, len, NULL));
    free(body);
    assert_true(last(f, 1000, &s, "m", "a", "x" LABELS_NUL "y", NULL));
    assert_float_equal(s.v, 1, 0);
    assert_false(last(f, 1000, &s, "m", "a", "x", NULL));
    buf_init(&out, 0);
    assert_int_equal(query(f, "m{a=\"x\\x00y\"}", 1000, &out), 1);
    assert_string_equal(buf_str(&out),
                        "{\"__name__\":\"m\",\"a\":\"x\\u0000y\","
                        "\"instance\":\"h:1\",\"job\":\"j\"}\n");
    assert_int_equal(query(f, "m{a=\"x\\000y\"}", 1000, &out), 1);
    assert_int_equal(query(f, "m{a=\"x\\u0000y\"}", 1000, &out), 1);
    assert_int_equal(query(f, "m{a=\"x\"}", 1000, &out), 0);
    assert_int_equal(query(f, "m{a!=\"x\\x00y\"}", 1000, &out), 0);
    /* A regex sees the NUL byte itself. */
    assert_int_equal(query(f, "m{a=~\"x.y\"}", 1000, &out), 1);
    assert_int_equal(query(f, "m{a=~\"x\\\\x00y\"}", 1000, &out), 1);
    assert_int_equal(query(f, "m{a=~\"x\"}", 1000, &out), 0);
    assert_int_equal(query(f, "m{a!~\"x.y\"}", 1000, &out), 0);
    /* label_replace's regex too; its result keeps the NUL. */
    assert_int_equal(query(f, "label_replace(m, \"b\", \"<$1>\", \"a\", "
                              "\"x(.)y\")", 1000, &out), 1);
    assert_non_null(strstr(buf_str(&out), "\"b\":\"<\\u0000>\""));
    buf_fini(&out);
}

/* The same in OpenMetrics, a value that is only a NUL byte included;
 * the label set prints in PromQL's form with \x00. */
static void
test_nul_in_label_value_openmetrics(void **state)
{
    struct fixture *f = *state;
    enum expo_format fmt;
    size_t len;
    char *body = regress_body("nul-label-value.openmetrics", &fmt, &len);
    struct label v[5];
    struct labels ls = { v, 5 };
    struct buf out;
    uint32_t id;

    assert_int_equal(fmt, EXPO_OPENMETRICS);
    assert_true(scrape_as(f, 1000, fmt, body, len, NULL));
    free(body);
    v[0] = (struct label){ LABEL_METRIC_NAME, "m" };
    v[1] = (struct label){ "a", "x" LABELS_NUL "y" };
    v[2] = (struct label){ "b", LABELS_NUL };
    v[3] = f->tl[1];
    v[4] = f->tl[2];
    assert_true(store_series_find(f->st, &ls, &id));
    buf_init(&out, 0);
    labels_format(&ls, &out);
    assert_string_equal(buf_str(&out), "m{a=\"x\\x00y\", b=\"\\x00\", "
                                       "instance=\"h:1\", job=\"j\"}");
    assert_int_equal(query(f, "m{b=\"\\x00\"}", 1000, &out), 1);
    buf_fini(&out);
}

/* label_value_length_limit counts bytes as Go's len does: the NUL is
 * one; the message quotes the value as %q writes it. */
static void
test_nul_value_length_limit(void **state)
{
    struct fixture *f = *state;
    static const char body[] = "m{a=\"x\0y\"} 1\n";

    f->t.conf.value_limit = 3;
    assert_true(scrape_as(f, 1000, EXPO_TEXT, body, sizeof(body) - 1,
                          NULL));
    commit_forget(&f->t);
    f->t.conf.value_limit = 2;
    assert_false(scrape_as(f, 2000, EXPO_TEXT, body, sizeof(body) - 1,
                           NULL));
    assert_non_null(strstr(f->t.status.last_error,
                           "label name: a, value: \"x\\x00y\", length: 3, "
                           "limit: 2)"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_synth_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_and_synthetic_series,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_vanished_series_go_stale,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_stores_nothing_staged,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_transport_error_counts_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_explicit_timestamps_are_not_tracked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retire_marks_everything_stale,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_retire_before_any_scrape,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_label_limit_fails_the_scrape,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_limit_fails_the_scrape,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_sweep_and_forget,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_failed_scrape_creates_no_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_series_two_texts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_repeats_are_not_staged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stage_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_limit_stops_staging,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_in_label_value, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_nul_in_label_value_openmetrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_value_length_limit, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
