/*
 * The API's handler without a network: requests built by hand go to
 * api_handle over a small store, and the status, headers and bodies are
 * checked against what Prometheus 2.42 answers for the same request
 * (web/api/v1/api.go; its bodies for these cases were read from a
 * running Prometheus): routing, 404 and 405 with Allow, the envelope of
 * results, bad_data 400 and execution 422, published documents and the
 * /-/reload handshake with the loop thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <cmocka.h>

#include "src/api/api.h"
#include "store/labels.h"
#include "store/store.h"

struct fixture {
    struct store *st;
    struct api *api;
    struct http_response rs;
};

static void
add(struct store *st, const char *name, const char *job, int64_t t,
    double v)
{
    struct label l[2] = { { "__name__", name }, { "job", job } };
    struct labels ls = { l, 2 };

    assert_int_equal(store_append(st, store_series_id(st, &ls), t, v), 0);
}

static int
setup(void **state)
{
    static struct fixture f;
    struct api_limits lim = { .max_concurrency = 2 };

    f.st = store_new(0, 0);
    add(f.st, "x", "a", 1000000, 1);
    add(f.st, "x", "b", 1000000, 2);
    add(f.st, "y", "a", 1000000, 5);
    f.api = api_new(f.st, &lim);
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    api_free(f->api);
    store_free(f->st);
    return 0;
}

/* Sends method path with the form text as its parameters. */
static const char *
request(struct fixture *f, const char *method, const char *path,
        const char *form)
{
    struct api_params p;
    struct http_request rq = { method, path, &p, false };

    api_params_init(&p);
    assert_int_equal(api_params_parse_form(&p, form, strlen(form)), 0);
    buf_fini(&f->rs.body);
    memset(&f->rs, 0, sizeof(f->rs));
    f->rs.status = 200;
    buf_init(&f->rs.body, 0);
    api_handle(f->api, &rq, &f->rs);
    api_params_fini(&p);
    return buf_str(&f->rs.body);
}

static void
test_instant_query(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(request(f, "GET", "/api/v1/query",
                                "query=x{job=\"b\"}&time=1000"),
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        "\"result\":[{\"metric\":{\"__name__\":\"x\",\"job\":\"b\"},"
        "\"value\":[1000,\"2\"]}]}}");
    assert_int_equal(f->rs.status, 200);
    assert_string_equal(f->rs.content_type, "application/json");
    assert_string_equal(request(f, "POST", "/api/v1/query",
                                "query=time()&time=1000.5"),
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
        "\"result\":[1000.5,\"1000.5\"]}}");
}

static void
test_range_query(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(request(f, "GET", "/api/v1/query_range",
                                "query=sum(x)&start=1000&end=1060&step=30"),
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
        "\"result\":[{\"metric\":{},\"values\":[[1000,\"3\"],[1030,\"3\"],"
        "[1060,\"3\"]]}]}}");
}

static void
test_errors(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(request(f, "GET", "/api/v1/query", ""),
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        "\"invalid parameter \\\"query\\\": 1:1: parse error: no expression "
        "found in input\"}");
    assert_int_equal(f->rs.status, 400);
    request(f, "GET", "/api/v1/query", "query=sum(");
    assert_int_equal(f->rs.status, 400);
    assert_non_null(strstr(buf_str(&f->rs.body),
                           "invalid parameter \\\"query\\\": 1:5: parse "
                           "error: "));
    /* Many-to-one matching without group_left fails while evaluating. */
    request(f, "GET", "/api/v1/query", "query=x%2Bon()%2By&time=1000");
    assert_int_equal(f->rs.status, 422);
    assert_non_null(strstr(buf_str(&f->rs.body),
                           "\"errorType\":\"execution\""));
    assert_string_equal(request(f, "GET", "/api/v1/query_range",
                                "query=x&start=10&end=5&step=1"),
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        "\"invalid parameter \\\"end\\\": end timestamp must not be before "
        "start time\"}");
    assert_string_equal(request(f, "GET", "/api/v1/query",
                                "query=x&time=abc"),
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        "\"invalid parameter \\\"time\\\": Invalid time value for 'time': "
        "cannot parse \\\"abc\\\" to a valid timestamp\"}");
}

static void
test_routing(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(request(f, "GET", "/api/v1/nothing", ""),
                        "404 page not found\n");
    assert_int_equal(f->rs.status, 404);
    assert_string_equal(request(f, "PUT", "/api/v1/query", "query=1"),
                        "Method Not Allowed\n");
    assert_int_equal(f->rs.status, 405);
    assert_string_equal(f->rs.allow, "GET, OPTIONS, POST");
    request(f, "GET", "/-/reload", "");
    assert_int_equal(f->rs.status, 405);
    request(f, "DELETE", "/api/v1/label/job/values", "");
    assert_int_equal(f->rs.status, 405);
    assert_string_equal(f->rs.allow, "GET, OPTIONS");
}

static void
test_metadata_endpoints(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(request(f, "GET", "/api/v1/series",
                                "match[]=x&match[]={job=\"a\"}"),
        "{\"status\":\"success\",\"data\":[{\"__name__\":\"x\",\"job\":"
        "\"a\"},{\"__name__\":\"x\",\"job\":\"b\"},{\"__name__\":\"y\","
        "\"job\":\"a\"}]}");
    /* Outside [start, end] a series does not count. */
    assert_string_equal(request(f, "GET", "/api/v1/series",
                                "match[]=x&start=2000"),
                        "{\"status\":\"success\",\"data\":[]}");
    assert_string_equal(request(f, "GET", "/api/v1/labels", ""),
        "{\"status\":\"success\",\"data\":[\"__name__\",\"job\"]}");
    assert_string_equal(request(f, "GET", "/api/v1/label/job/values",
                                "match[]=y"),
        "{\"status\":\"success\",\"data\":[\"a\"]}");
    assert_string_equal(request(f, "GET", "/api/v1/label/__name__/values",
                                ""),
        "{\"status\":\"success\",\"data\":[\"x\",\"y\"]}");
    assert_string_equal(request(f, "GET", "/api/v1/series", ""),
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        "\"no match[] parameter provided\"}");
}

static void
test_documents(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(request(f, "GET", "/api/v1/rules", ""),
        "{\"status\":\"success\",\"data\":{\"groups\":[]}}");
    assert_string_equal(request(f, "GET", "/api/v1/alerts", ""),
        "{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
    api_publish(f->api, API_DOC_TARGETS, "{\"activeTargets\":[1]}");
    assert_string_equal(request(f, "GET", "/api/v1/targets", ""),
        "{\"status\":\"success\",\"data\":{\"activeTargets\":[1]}}");
    request(f, "GET", "/-/ready", "");
    assert_int_equal(f->rs.status, 503);
    api_set_ready(f->api);
    request(f, "GET", "/-/ready", "");
    assert_int_equal(f->rs.status, 200);
    /* The rules by type, any case; another type is Prometheus's 400. */
    api_publish(f->api, API_DOC_RULES_ALERT, "{\"groups\":[\"a\"]}");
    api_publish(f->api, API_DOC_RULES_RECORD, "{\"groups\":[\"r\"]}");
    assert_string_equal(request(f, "GET", "/api/v1/rules", "type=Alert"),
        "{\"status\":\"success\",\"data\":{\"groups\":[\"a\"]}}");
    assert_string_equal(request(f, "GET", "/api/v1/rules", "type=record"),
        "{\"status\":\"success\",\"data\":{\"groups\":[\"r\"]}}");
    assert_string_equal(request(f, "GET", "/api/v1/rules", "type=NOPE"),
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        "\"invalid parameter \\\"type\\\": not supported value "
        "\\\"nope\\\"\"}");
    assert_int_equal(f->rs.status, 400);
    request(f, "POST", "/api/v1/rules", "");
    assert_int_equal(f->rs.status, 405);
    api_publish(f->api, API_DOC_METRICS, "loop_metric 1\n");
    request(f, "GET", "/metrics", "");
    assert_non_null(strstr(buf_str(&f->rs.body), "loop_metric 1\n"));
    assert_non_null(strstr(buf_str(&f->rs.body),
                           "promdeck_query_duration_seconds_count"));
}

/* The loop thread's side of /-/reload: waits for a request, answers. */
static void *
loop_thread(void *arg)
{
    struct fixture *f = arg;

    while (!api_reload_pending(f->api))
        ;
    api_reload_done(f->api, "bad.yml:3:1: unknown key");
    return NULL;
}

static void
test_reload_handshake(void **state)
{
    struct fixture *f = *state;
    pthread_t t;

    pthread_create(&t, NULL, loop_thread, f);
    assert_string_equal(request(f, "POST", "/-/reload", ""),
        "failed to reload config: bad.yml:3:1: unknown key\n");
    assert_int_equal(f->rs.status, 500);
    pthread_join(t, NULL);
    assert_false(api_reload_pending(f->api));
    buf_fini(&f->rs.body);
}

/* An exporter's path: what its function writes, as text 0.0.4; gzip
 * (RFC 1952's magic bytes) when the client accepts it; a failure as
 * promhttp's 500; other methods 405. */
static int
expose_ok(void *ctx, struct buf *out, char *err, size_t errsz)
{
    (void)ctx; (void)err; (void)errsz;
    buf_puts(out, "# TYPE node_load1 gauge\nnode_load1 0.5\n");
    return 0;
}

static int
expose_fail(void *ctx, struct buf *out, char *err, size_t errsz)
{
    (void)ctx; (void)out;
    snprintf(err, errsz, "/proc/stat: gone");
    return -1;
}

static void
test_exposition(void **state)
{
    struct fixture *f = *state;
    struct api_params p;
    struct http_request rq = { "GET", "/metrics/node", &p, true };

    assert_true(api_add_exposition(f->api, "/metrics/node", expose_ok,
                                   NULL));
    assert_true(api_add_exposition(f->api, "/metrics/bad", expose_fail,
                                   NULL));
    assert_string_equal(request(f, "GET", "/metrics/node", ""),
                        "# TYPE node_load1 gauge\nnode_load1 0.5\n");
    assert_int_equal(f->rs.status, 200);
    assert_string_equal(f->rs.content_type,
                        "text/plain; version=0.0.4; charset=utf-8");
    assert_null(f->rs.content_encoding);
    api_params_init(&p);
    buf_fini(&f->rs.body);
    memset(&f->rs, 0, sizeof(f->rs));
    buf_init(&f->rs.body, 0);
    api_handle(f->api, &rq, &f->rs);
    api_params_fini(&p);
    assert_int_equal(f->rs.status, 200);
    assert_string_equal(f->rs.content_encoding, "gzip");
    assert_true(f->rs.body.len > 18);
    assert_memory_equal(f->rs.body.data, "\x1f\x8b\x08", 3);
    assert_string_equal(request(f, "GET", "/metrics/bad", ""),
                        "An error has occurred while serving metrics:\n\n"
                        "/proc/stat: gone\n");
    assert_int_equal(f->rs.status, 500);
    request(f, "POST", "/metrics/node", "");
    assert_int_equal(f->rs.status, 405);
    request(f, "GET", "/metrics/other", "");
    assert_int_equal(f->rs.status, 404);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instant_query),
        cmocka_unit_test(test_range_query),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_metadata_endpoints),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_reload_handshake),
        cmocka_unit_test(test_exposition),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
