/*
 * The metadata registry, fed through the real exposition parser: what a
 * scrape records, the rules of Prometheus 2.42's scrape cache (a line
 * updates only its field, vanished families stay 10 successful scrapes,
 * failed scrapes age nothing), sharing between targets, and views that
 * outlive their targets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "scrape/expo.h"
#include "scrape/meta.h"
#include "store/labels.h"

static void
on_meta(void *ctx, const struct expo_meta *m)
{
    meta_scrape_record(ctx, m);
}

/* One scrape of t with body in format fmt; flush as meta_scrape_end. */
static void
scrape_fmt(struct meta_target *t, enum expo_format fmt, const char *body,
           bool flush)
{
    struct expo_sink sink = { .ctx = t, .meta = on_meta };
    struct expo *p = expo_new(fmt, &sink, 4096);
    struct diag d;

    meta_scrape_begin(t);
    expo_feed(p, body, strlen(body), &d);
    expo_finish(p, &d);
    expo_free(p);
    meta_scrape_end(t, flush);
}

static void
scrape(struct meta_target *t, const char *body)
{
    scrape_fmt(t, EXPO_TEXT, body, true);
}

static struct meta_target *
target(struct meta_reg *r, const char *instance)
{
    struct labels ls = { 0 };
    struct meta_target *t;

    labels_put(&ls, "job", "j");
    labels_put(&ls, "instance", instance);
    t = meta_target_new(r, &ls);
    labels_release(&ls);
    return t;
}

/* Target i's entry for metric in a fresh view, as "type|help|unit", or
 * "-" when it has none. */
static const char *
lookup(struct meta_reg *r, size_t i, const char *metric)
{
    static char out[256];
    struct meta_view *v = meta_view_new(r);
    struct meta_info m;

    if (meta_view_find(v, i, metric, &m))
        snprintf(out, sizeof(out), "%s|%s|%s", m.type, m.help, m.unit);
    else
        snprintf(out, sizeof(out), "-");
    meta_view_free(v);
    return out;
}

static size_t
entries(struct meta_reg *r, size_t i)
{
    struct meta_view *v = meta_view_new(r);
    size_t n = meta_view_entries(v, i);

    meta_view_free(v);
    return n;
}

static const char body1[] =
    "# HELP a_total Requests.\n# TYPE a_total counter\na_total 1\n"
    "# TYPE b gauge\nb 2\n"
    "# HELP h Latency.\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\n"
    "h_sum 1\nh_count 1\n"
    "# HELP u Untyped.\n# TYPE u untyped\nu 1\n"
    "plain 1\n";

static void
test_records_families(void **state)
{
    struct meta_reg *r = meta_reg_new();
    struct meta_target *t = target(r, "x:1");

    (void)state;
    scrape(t, body1);
    assert_int_equal(entries(r, 0), 4);
    assert_string_equal(lookup(r, 0, "a_total"), "counter|Requests.|");
    assert_string_equal(lookup(r, 0, "b"), "gauge||");
    assert_string_equal(lookup(r, 0, "h"), "histogram|Latency.|");
    assert_string_equal(lookup(r, 0, "h_bucket"), "-");
    assert_string_equal(lookup(r, 0, "u"), "unknown|Untyped.|");
    assert_string_equal(lookup(r, 0, "plain"), "-");
    meta_target_free(t);
    meta_reg_free(r);
}

static void
test_openmetrics_unit(void **state)
{
    struct meta_reg *r = meta_reg_new();
    struct meta_target *t = target(r, "x:1");

    (void)state;
    scrape_fmt(t, EXPO_OPENMETRICS, "# TYPE m_bytes gauge\n"
               "# UNIT m_bytes bytes\n# HELP m_bytes Memory.\nm_bytes 1\n"
               "# HELP n No type.\nn 1\n# EOF\n", true);
    assert_string_equal(lookup(r, 0, "m_bytes"), "gauge|Memory.|bytes");
    assert_string_equal(lookup(r, 0, "n"), "unknown|No type.|");
    meta_target_free(t);
    meta_reg_free(r);
}

/* A later scrape that gives only HELP keeps the type, and vice versa. */
static void
test_line_updates_its_field(void **state)
{
    struct meta_reg *r = meta_reg_new();
    struct meta_target *t = target(r, "x:1");

    (void)state;
    scrape(t, "# HELP a Old.\n# TYPE a counter\na 1\n");
    scrape(t, "# HELP a New.\na 1\n");
    assert_string_equal(lookup(r, 0, "a"), "counter|New.|");
    scrape(t, "# TYPE a gauge\na 1\n");
    assert_string_equal(lookup(r, 0, "a"), "gauge|New.|");
    meta_target_free(t);
    meta_reg_free(r);
}

/* A family that stops appearing stays 10 successful scrapes; failed
 * ones (no flush) do not count. */
static void
test_grace(void **state)
{
    struct meta_reg *r = meta_reg_new();
    struct meta_target *t = target(r, "x:1");

    (void)state;
    scrape(t, "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n");
    for (int i = 0; i < 10; i++) {
        scrape(t, "# TYPE a gauge\na 1\n");
        assert_string_equal(lookup(r, 0, "b"), "gauge||");
    }
    scrape_fmt(t, EXPO_TEXT, "", false);
    scrape_fmt(t, EXPO_TEXT, "# TYPE a gauge\na 1\n", false);
    assert_string_equal(lookup(r, 0, "b"), "gauge||");
    scrape(t, "# TYPE a gauge\na 1\n");
    assert_string_equal(lookup(r, 0, "b"), "-");
    assert_string_equal(lookup(r, 0, "a"), "gauge||");
    /* It comes back at once when it reappears. */
    scrape(t, "# TYPE a gauge\na 1\n# TYPE b counter\nb 1\n");
    assert_string_equal(lookup(r, 0, "b"), "counter||");
    assert_int_equal(entries(r, 0), 2);
    meta_target_free(t);
    meta_reg_free(r);
}

/* A failed scrape keeps everything, and the next good one, in another
 * order, keeps everything too. */
static void
test_failed_then_reordered(void **state)
{
    struct meta_reg *r = meta_reg_new();
    struct meta_target *t = target(r, "x:1");

    (void)state;
    scrape(t, body1);
    scrape_fmt(t, EXPO_TEXT, "", false);
    assert_int_equal(entries(r, 0), 4);
    scrape(t, "# TYPE b gauge\nb 2\n# HELP a_total Requests.\n"
           "# TYPE a_total counter\na_total 1\n");
    assert_int_equal(entries(r, 0), 4);
    assert_string_equal(lookup(r, 0, "a_total"), "counter|Requests.|");
    assert_string_equal(lookup(r, 0, "h"), "histogram|Latency.|");
    meta_target_free(t);
    meta_reg_free(r);
}

/* Targets with the same metadata share one set: a second and a
 * thousandth cost little, and one that differs keeps its own. */
static void
test_shared(void **state)
{
    struct meta_reg *r = meta_reg_new();
    struct meta_target *t[3];
    struct meta_view *v;
    size_t one, two;

    (void)state;
    t[0] = target(r, "x:1");
    scrape(t[0], body1);
    one = meta_reg_bytes(r);
    t[1] = target(r, "x:2");
    scrape(t[1], body1);
    two = meta_reg_bytes(r);
    assert_true(two - one < 300);
    t[2] = target(r, "x:3");
    scrape(t[2], "# HELP a_total Other words.\na_total 1\n");
    v = meta_view_new(r);
    assert_int_equal(meta_view_count(v), 3);
    assert_ptr_equal(meta_view_set_key(v, 0), meta_view_set_key(v, 1));
    assert_ptr_not_equal(meta_view_set_key(v, 0), meta_view_set_key(v, 2));
    assert_string_equal(labels_get(meta_view_labels(v, 1), "instance"),
                        "x:2");
    meta_view_free(v);
    assert_string_equal(lookup(r, 2, "a_total"), "unknown|Other words.|");
    for (int i = 0; i < 3; i++)
        meta_target_free(t[i]);
    meta_reg_free(r);
}

/* A view keeps its targets' metadata after they leave. */
static void
test_view_outlives_target(void **state)
{
    struct meta_reg *r = meta_reg_new();
    struct meta_target *t = target(r, "x:1");
    struct meta_view *v;
    struct meta_info m;

    (void)state;
    scrape(t, body1);
    v = meta_view_new(r);
    meta_target_free(t);
    assert_true(meta_view_find(v, 0, "h", &m));
    assert_string_equal(m.help, "Latency.");
    assert_string_equal(labels_get(meta_view_labels(v, 0), "job"), "j");
    meta_view_free(v);
    v = meta_view_new(r);
    assert_int_equal(meta_view_count(v), 0);
    meta_view_free(v);
    meta_reg_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_families),
        cmocka_unit_test(test_openmetrics_unit),
        cmocka_unit_test(test_line_updates_its_field),
        cmocka_unit_test(test_grace),
        cmocka_unit_test(test_failed_then_reordered),
        cmocka_unit_test(test_shared),
        cmocka_unit_test(test_view_outlives_target),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
