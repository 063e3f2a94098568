/*
 * Tests for src/api/decode.c: answers as Prometheus 2.42's API writes
 * them (the shapes of web/api/v1/api.go's response structs and the value
 * and time formats of its jsonutil) into promdeck's types.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "src/api/decode.h"
#include "src/base/yaml.h"

/* The "data" of a JSON answer; the tree is freed with yaml_tree_free on
 * the root it returns in *root. */
static const struct yaml_node *
data_of(const char *json, struct yaml_node **root)
{
    struct diag d;

    *root = yaml_load_buf("test", json, strlen(json), &d);
    assert_non_null(*root);
    return yaml_get(*root, "data");
}

static void
test_vector_values(void **state)
{
    struct yaml_node *root;
    struct qresult *r;
    char *err = NULL;

    (void)state;
    assert_int_equal(api_decode_result(data_of(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        "\"result\":[{\"metric\":{\"job\":\"a\",\"__name__\":\"up\"},"
        "\"value\":[1700000000.123,\"0.1\"]},"
        "{\"metric\":{},\"value\":[1700000000.123,\"NaN\"]},"
        "{\"metric\":{},\"value\":[1700000000.123,\"+Inf\"]},"
        "{\"metric\":{},\"value\":[1700000000,\"-Inf\"]},"
        "{\"metric\":{},\"value\":[1700000000,\"1e-300\"]}]}}", &root),
        &r, &err), 0);
    assert_int_equal(r->type, QV_VECTOR);
    assert_int_equal(r->nseries, 5);
    /* labels sorted by name, as promdeck's label sets are */
    assert_string_equal(r->series[0].labels.v[0].name, "__name__");
    assert_string_equal(r->series[0].labels.v[1].value, "a");
    assert_int_equal(r->series[0].points[0].t, 1700000000123LL);
    assert_true(r->series[0].points[0].v == 0.1);
    assert_true(isnan(r->series[1].points[0].v));
    assert_true(isinf(r->series[2].points[0].v)
                && r->series[2].points[0].v > 0);
    assert_true(isinf(r->series[3].points[0].v)
                && r->series[3].points[0].v < 0);
    assert_int_equal(r->series[3].points[0].t, 1700000000000LL);
    assert_true(r->series[4].points[0].v == 1e-300);
    assert_int_equal(r->t, 1700000000123LL);
    qresult_free(r);
    yaml_tree_free(root);
}

static void
test_matrix_scalar_string(void **state)
{
    struct yaml_node *root;
    struct qresult *r;
    char *err = NULL;

    (void)state;
    assert_int_equal(api_decode_result(data_of(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
        "\"result\":[{\"metric\":{\"code\":\"200\"},\"values\":"
        "[[15,\"1\"],[30,\"2.5\"],[45.5,\"3\"]]}]}}", &root), &r, &err), 0);
    assert_int_equal(r->type, QV_MATRIX);
    assert_int_equal(r->series[0].npoints, 3);
    assert_int_equal(r->series[0].points[2].t, 45500);
    assert_true(r->series[0].points[1].v == 2.5);
    qresult_free(r);
    yaml_tree_free(root);

    assert_int_equal(api_decode_result(data_of(
        "{\"data\":{\"resultType\":\"scalar\",\"result\":[12.5,\"42\"]}}",
        &root), &r, &err), 0);
    assert_int_equal(r->type, QV_SCALAR);
    assert_int_equal(r->t, 12500);
    assert_true(r->scalar == 42);
    qresult_free(r);
    yaml_tree_free(root);

    assert_int_equal(api_decode_result(data_of(
        "{\"data\":{\"resultType\":\"string\",\"result\":[1,\"hi\"]}}",
        &root), &r, &err), 0);
    assert_int_equal(r->type, QV_STRING);
    assert_string_equal(r->string, "hi");
    qresult_free(r);
    yaml_tree_free(root);
}

static void
test_bad_results(void **state)
{
    static const char *const bad[] = {
        "{\"data\":{\"resultType\":\"vector\"}}",
        "{\"data\":{\"resultType\":\"tensor\",\"result\":[]}}",
        "{\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
        "\"value\":[1,\"x\"]}]}}",
        "{\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
        "{\"a\":[1]},\"value\":[1,\"1\"]}]}}",
        "{\"data\":{\"resultType\":\"matrix\",\"result\":{}}}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct yaml_node *root;
        struct qresult *r = NULL;
        char *err = NULL;

        assert_int_equal(api_decode_result(data_of(bad[i], &root), &r,
                                           &err), -1);
        assert_non_null(err);
        assert_null(r);
        free(err);
        yaml_tree_free(root);
    }
}

static void
test_strings_and_metadata(void **state)
{
    struct yaml_node *root;
    struct api_strings s;
    struct api_metadata_list m;
    char *err = NULL;

    (void)state;
    assert_int_equal(api_decode_strings(data_of(
        "{\"data\":[\"__name__\",\"instance\",\"job\"]}", &root), &s, &err),
        0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.v[2], "job");
    api_strings_fini(&s);
    yaml_tree_free(root);

    assert_int_equal(api_decode_metadata(data_of(
        "{\"data\":{\"go_goroutines\":[{\"type\":\"gauge\",\"help\":"
        "\"Number of goroutines.\",\"unit\":\"\"}],\"x_total\":[]}}",
        &root), &m, &err), 0);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0].metric, "go_goroutines");
    assert_string_equal(m.v[0].type, "gauge");
    assert_string_equal(m.v[0].help, "Number of goroutines.");
    api_metadata_fini(&m);
    yaml_tree_free(root);
}

static void
test_targets(void **state)
{
    struct yaml_node *root;
    struct api_targets t;
    char *err = NULL;

    (void)state;
    assert_int_equal(api_decode_targets(data_of(
        "{\"data\":{\"activeTargets\":[{\"discoveredLabels\":"
        "{\"__address__\":\"127.0.0.1:9100\",\"job\":\"node\"},"
        "\"labels\":{\"instance\":\"127.0.0.1:9100\",\"job\":\"node\"},"
        "\"scrapePool\":\"node\",\"scrapeUrl\":\"http://127.0.0.1:9100/"
        "metrics\",\"globalUrl\":\"http://h:9100/metrics\",\"lastError\":"
        "\"\",\"lastScrape\":\"2023-11-14T22:13:20.5Z\","
        "\"lastScrapeDuration\":0.012,\"health\":\"up\","
        "\"scrapeInterval\":\"15s\",\"scrapeTimeout\":\"10s\"}],"
        "\"droppedTargets\":[{\"discoveredLabels\":{\"job\":\"x\"}}]}}",
        &root), &t, &err), 0);
    assert_int_equal(t.nactive, 1);
    assert_string_equal(t.active[0].job, "node");
    assert_string_equal(t.active[0].instance, "127.0.0.1:9100");
    assert_string_equal(t.active[0].health, "up");
    assert_int_equal(t.active[0].last_scrape_ms, 1700000000500LL);
    assert_true(t.active[0].last_duration_s == 0.012);
    assert_int_equal(t.active[0].interval_ms, 15000);
    assert_int_equal(t.ndropped, 1);
    assert_string_equal(t.dropped[0].discovered.v[0].value, "x");
    api_targets_fini(&t);
    yaml_tree_free(root);
}

static void
test_alerts_and_rules(void **state)
{
    struct yaml_node *root;
    struct api_alerts a;
    struct api_groups g;
    char *err = NULL;

    (void)state;
    assert_int_equal(api_decode_alerts(data_of(
        "{\"data\":{\"alerts\":[{\"labels\":{\"alertname\":\"Down\"},"
        "\"annotations\":{\"summary\":\"it is down\"},\"state\":"
        "\"firing\",\"activeAt\":\"2023-11-14T22:13:20Z\",\"value\":"
        "\"1e+00\",\"keepFiringSince\":\"2023-11-14T22:15:00Z\"}]}}",
        &root), &a, &err), 0);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.v[0].state, "firing");
    assert_string_equal(a.v[0].annotations.v[0].value, "it is down");
    assert_int_equal(a.v[0].active_at_ms, 1700000000000LL);
    assert_int_equal(a.v[0].keep_firing_since_ms, 1700000100000LL);
    assert_true(a.v[0].value == 1);
    api_alerts_fini(&a);
    yaml_tree_free(root);

    assert_int_equal(api_decode_rules(data_of(
        "{\"data\":{\"groups\":[{\"name\":\"g\",\"file\":\"r.yml\","
        "\"interval\":30,\"rules\":[{\"state\":\"pending\",\"name\":"
        "\"Down\",\"query\":\"up == 0\",\"duration\":300,"
        "\"keepFiringFor\":90,\"labels\":{},"
        "\"annotations\":{},\"alerts\":[{\"labels\":{\"alertname\":"
        "\"Down\"},\"annotations\":{},\"state\":\"pending\",\"value\":"
        "\"0\"}],\"health\":\"ok\",\"evaluationTime\":0.001,"
        "\"lastEvaluation\":\"2023-11-14T22:13:20Z\",\"type\":\"alerting\"},"
        "{\"name\":\"job:up\",\"query\":\"sum by (job) (up)\",\"health\":"
        "\"err\",\"lastError\":\"boom\",\"type\":\"recording\"}]}]}}",
        &root), &g, &err), 0);
    assert_int_equal(g.n, 1);
    assert_true(g.v[0].interval_s == 30);
    assert_int_equal(g.v[0].nrules, 2);
    assert_true(g.v[0].rules[0].alerting);
    assert_true(g.v[0].rules[0].duration_s == 300);
    assert_true(g.v[0].rules[0].keep_firing_for_s == 90);
    assert_int_equal(g.v[0].rules[0].alerts[0].keep_firing_since_ms, 0);
    assert_true(g.v[0].rules[1].keep_firing_for_s == 0);
    assert_int_equal(g.v[0].rules[0].nalerts, 1);
    assert_false(g.v[0].rules[1].alerting);
    assert_string_equal(g.v[0].rules[1].last_error, "boom");
    api_groups_fini(&g);
    yaml_tree_free(root);
}

static void
test_scrape_interval(void **state)
{
    struct yaml_node *root;
    int64_t ms;
    char *err = NULL;

    (void)state;
    assert_int_equal(api_decode_scrape_interval(data_of(
        "{\"data\":{\"yaml\":\"global:\\n  scrape_interval: 15s\\n"
        "  scrape_timeout: 10s\\nscrape_configs: []\\n\"}}", &root), &ms,
        &err), 0);
    assert_int_equal(ms, 15000);
    yaml_tree_free(root);
    assert_int_equal(api_decode_scrape_interval(data_of(
        "{\"data\":{\"yaml\":\"scrape_configs: []\\n\"}}", &root), &ms,
        &err), 0);
    assert_int_equal(ms, 60000);    /* Prometheus's default */
    yaml_tree_free(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_values),
        cmocka_unit_test(test_matrix_scalar_string),
        cmocka_unit_test(test_bad_results),
        cmocka_unit_test(test_strings_and_metadata),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_alerts_and_rules),
        cmocka_unit_test(test_scrape_interval),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
