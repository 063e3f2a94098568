/*
 * Tests for src/api/client.c and src/api/range.c against a real HTTP
 * server in a forked process (tests/support/http.h): what goes out (POST
 * forms, basic auth from the URL, tenant headers), how each kind of
 * answer comes back (success, the server's error JSON, a 404 page, bad
 * JSON, a refused connection), the queue beyond the parallel requests,
 * cancelling, and the range refresh that asks only for the new tail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "src/api/client.h"
#include "src/api/range.h"
#include "src/base/xalloc.h"
#include "tests/support/http.h"

/* The server's log of range requests: "start end step" each. */
struct seen {
    char ranges[8][128];
    int nranges;
    char last_head[2048];
};

static void
send_json(int fd, int status, const char *body)
{
    char out[8192];
    int n = snprintf(out, sizeof(out), "HTTP/1.1 %d X\r\nContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     status, strlen(body), body);

    ts_http_send(fd, out, (size_t)n);
}

/* A form field's value (no decoding needed for the numbers used). */
static void
form_value(const char *form, const char *name, char *out, size_t size)
{
    size_t len = strlen(name);
    const char *p = form;

    out[0] = '\0';
    while (p != NULL && *p != '\0') {
        if (strncmp(p, name, len) == 0 && p[len] == '=') {
            snprintf(out, size, "%.*s", (int)strcspn(p + len + 1, "&"),
                     p + len + 1);
            return;
        }
        p = strchr(p, '&');
        p = p != NULL ? p + 1 : NULL;
    }
}

/*
 * query_range answers one series whose value at each step is the step's
 * time in seconds, for start..end by step; query answers 7 at time.
 */
static void
answer_range(int fd, const char *form, struct seen *seen)
{
    char start[32], end[32], step[32], body[6000];
    long s, e, st;
    int n;

    form_value(form, "start", start, sizeof start);
    form_value(form, "end", end, sizeof end);
    form_value(form, "step", step, sizeof step);
    if (seen->nranges < 8)
        snprintf(seen->ranges[seen->nranges++], 128, "%s %s %s", start, end,
                 step);
    s = strtol(start, NULL, 10);
    e = strtol(end, NULL, 10);
    st = strtol(step, NULL, 10);
    n = snprintf(body, sizeof body, "{\"status\":\"success\",\"data\":"
                 "{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
                 "{\"a\":\"b\"},\"values\":[");
    for (long t = s; t <= e && n < 5900; t += st)
        n += snprintf(body + n, sizeof body - (size_t)n, "%s[%ld,\"%ld\"]",
                      t > s ? "," : "", t, t);
    snprintf(body + n, sizeof body - (size_t)n, "]}]}}");
    send_json(fd, 200, body);
}

static void
route(int fd, const char *path, const char *head, void *ctx)
{
    struct seen *seen = ctx;
    const char *form = ts_http_body(head);
    char t[32], body[256];

    snprintf(seen->last_head, sizeof seen->last_head, "%s", head);
    if (strcmp(path, "/api/v1/query_range") == 0) {
        answer_range(fd, form, seen);
    } else if (strcmp(path, "/api/v1/query") == 0) {
        form_value(form, "time", t, sizeof t);
        snprintf(body, sizeof body, "{\"status\":\"success\",\"data\":"
                 "{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                 "{\"a\":\"b\"},\"value\":[%s,\"7\"]}]}}", t);
        send_json(fd, 200, body);
    } else if (strcmp(path, "/api/v1/bad") == 0) {
        send_json(fd, 400, "{\"status\":\"error\",\"errorType\":"
                  "\"bad_data\",\"error\":\"1:5: parse error: oops\"}");
    } else if (strcmp(path, "/api/v1/garbage") == 0) {
        send_json(fd, 200, "this is not { json");
    } else {
        static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Type: "
            "text/plain\r\nContent-Length: 19\r\n\r\n404 page not found\n";

        ts_http_send(fd, nf, sizeof nf - 1);
    }
}

/* One reply as a callback saw it. */
struct got {
    bool done;
    char error[256];
    char type[32];
    long status;
    bool reached, has_data;
};

static void
on_reply(void *ctx, const struct api_reply *r)
{
    struct got *g = ctx;

    g->done = true;
    snprintf(g->error, sizeof g->error, "%s", r->error ? r->error : "");
    snprintf(g->type, sizeof g->type, "%s", r->error_type ? r->error_type
                                                          : "");
    g->status = r->status;
    g->reached = r->reached;
    g->has_data = r->data != NULL;
}

struct fixture {
    struct ts_http srv;
    struct seen *seen;
    struct fetch *f;
    struct api_client *c;
};

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof(*fx));
    static const char *const hdrs[] = { "X-Scope-OrgID: tenant-1", NULL };
    struct api_settings set = { .headers = hdrs, .timeout_ms = 5000 };
    char url[128], *err = NULL;

    fx->seen = ts_shared_new(sizeof(*fx->seen));
    assert_int_equal(ts_http_start(&fx->srv, route, fx->seen), 0);
    snprintf(url, sizeof url, "http://me:pw@127.0.0.1:%d/", fx->srv.port);
    set.url = url;
    fx->f = fetch_new();
    fx->c = api_client_new(fx->f, &set, &err);
    assert_non_null(fx->c);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    api_client_free(fx->c);
    fetch_free(fx->f);
    ts_http_stop(&fx->srv);
    ts_shared_free(fx->seen, sizeof(*fx->seen));
    free(fx);
    return 0;
}

static void
pump_until_idle(struct fixture *fx)
{
    for (int i = 0; i < 500 && api_client_pending(fx->c) > 0; i++) {
        fetch_wait(fx->f, -1, 100, NULL);
        fetch_pump(fx->f);
    }
    assert_int_equal(api_client_pending(fx->c), 0);
}

static void
test_post_and_headers(void **state)
{
    struct fixture *fx = *state;
    struct got g = { 0 };
    struct buf form;

    buf_init(&form, 0);
    api_client_form(&form, "query", "sum by (job) (up{a=\"x y\"})");
    api_client_form_time(&form, "time", 1700000000123LL);
    assert_string_equal(buf_str(&form), "query=sum+by+%28job%29+%28up%7Ba"
                        "%3D%22x+y%22%7D%29&time=1700000000.123");
    assert_non_null(api_client_request(fx->c, "/api/v1/query",
                                       buf_str(&form), on_reply, &g));
    buf_fini(&form);
    pump_until_idle(fx);
    assert_true(g.done);
    assert_string_equal(g.error, "");
    assert_true(g.has_data);
    assert_int_equal(g.status, 200);
    assert_non_null(strstr(fx->seen->last_head, "POST /api/v1/query "));
    assert_non_null(strstr(fx->seen->last_head,
                           "X-Scope-OrgID: tenant-1\r\n"));
    /* me:pw from the URL, as basic auth; the URL shown has neither */
    assert_non_null(strstr(fx->seen->last_head,
                           "Authorization: Basic bWU6cHc=\r\n"));
    assert_null(strstr(api_client_url(fx->c), "pw"));
    assert_null(api_client_down(fx->c));
}

static void
test_error_answers(void **state)
{
    struct fixture *fx = *state;
    struct got bad = { 0 }, nf = { 0 }, junk = { 0 };

    api_client_request(fx->c, "/api/v1/bad", NULL, on_reply, &bad);
    api_client_request(fx->c, "/api/v1/alerts", NULL, on_reply, &nf);
    api_client_request(fx->c, "/api/v1/garbage", NULL, on_reply, &junk);
    pump_until_idle(fx);
    assert_string_equal(bad.error, "HTTP 400: bad_data: 1:5: parse error: "
                        "oops");
    assert_string_equal(bad.type, "bad_data");
    assert_string_equal(nf.error, "HTTP 404 Not Found: 404 page not found");
    assert_int_equal(nf.status, 404);
    assert_true(nf.reached);
    assert_non_null(strstr(junk.error, "bad JSON"));
    assert_false(junk.has_data);
}

static void
test_queue_and_cancel(void **state)
{
    struct fixture *fx = *state;
    struct got g[20];
    struct api_req *r[20];

    memset(g, 0, sizeof g);
    for (int i = 0; i < 20; i++)
        r[i] = api_client_request(fx->c, "/api/v1/query",
                                  "query=1&time=1", on_reply, &g[i]);
    assert_int_equal(api_client_pending(fx->c), 20);
    api_client_cancel(r[19]);   /* queued: gone at once */
    api_client_cancel(r[0]);    /* in flight: its answer is dropped */
    pump_until_idle(fx);
    assert_false(g[0].done);
    assert_false(g[19].done);
    for (int i = 1; i < 19; i++)
        assert_true(g[i].done && g[i].error[0] == '\0');
}

static void
test_refused(void **state)
{
    struct got g = { 0 };
    struct api_settings set = { .url = "http://127.0.0.1:1" };
    struct fetch *f = fetch_new();
    char *err = NULL;
    struct api_client *c = api_client_new(f, &set, &err);

    (void)state;
    api_client_request(c, "/api/v1/query", "query=1", on_reply, &g);
    for (int i = 0; i < 100 && !g.done; i++) {
        fetch_wait(f, -1, 100, NULL);
        fetch_pump(f);
    }
    assert_true(g.done);
    assert_false(g.reached);
    assert_non_null(strstr(g.error, "refused"));
    assert_non_null(api_client_down(c));
    api_client_free(c);
    fetch_free(f);
    assert_null(api_client_new(NULL, &(struct api_settings){ .url =
                               "ftp://x" }, &err));
    assert_non_null(strstr(err, "http://"));
    free(err);
}

/* What a range refresh handed over. */
struct refreshed {
    struct qresult *range, *at;
    char error[256];
    bool done;
};

static void
on_refresh(void *ctx, struct qresult *range, struct qresult *at,
           const char *error)
{
    struct refreshed *r = ctx;

    qresult_free(r->range);
    qresult_free(r->at);
    r->range = range;
    r->at = at;
    r->done = true;
    snprintf(r->error, sizeof r->error, "%s", error ? error : "");
}

static void
refresh(struct fixture *fx, struct api_range *ar, int64_t end_s,
        int64_t now_s, struct refreshed *r)
{
    r->done = false;
    assert_true(api_range_refresh(ar, "up", 100000, end_s * 1000, 10000,
                                  now_s * 1000, false, on_refresh, r));
    assert_false(api_range_refresh(ar, "up", 100000, end_s * 1000, 10000,
                                   now_s * 1000, false, on_refresh, r));
    pump_until_idle(fx);
    assert_true(r->done);
    assert_string_equal(r->error, "");
}

static void
test_range_tail(void **state)
{
    struct fixture *fx = *state;
    struct api_range *ar = api_range_new(fx->c);
    struct refreshed r = { 0 };
    const struct qseries *s;

    refresh(fx, ar, 200, 205, &r);
    assert_string_equal(fx->seen->ranges[0], "100 200 10");
    assert_int_equal(r.range->series[0].npoints, 11);
    assert_true(r.at->series[0].points[0].v == 7);
    assert_int_equal(r.at->series[0].points[0].t, 205000);
    /* 30 s later: only from the last kept step on */
    refresh(fx, ar, 230, 231, &r);
    assert_int_equal(fx->seen->nranges, 2);
    assert_string_equal(fx->seen->ranges[1], "200 230 10");
    assert_int_equal(api_range_last_steps(ar), 4);
    s = &r.range->series[0];
    assert_int_equal(s->npoints, 14);
    for (size_t i = 0; i < s->npoints; i++) {
        assert_int_equal(s->points[i].t, 100000 + 10000 * (int64_t)i);
        assert_true(s->points[i].v == 100 + 10 * (double)i);
    }
    /* on the grid: no instant query */
    r.done = false;
    assert_true(api_range_refresh(ar, "up", 110000, 240000, 10000, 240000,
                                  false, on_refresh, &r));
    pump_until_idle(fx);
    assert_null(r.at);
    assert_string_equal(fx->seen->ranges[2], "230 240 10");
    assert_int_equal(r.range->series[0].points[0].t, 110000);
    assert_int_equal(r.range->series[0].npoints, 14);
    /* ten minutes after the last full fetch: the whole grid again, for
     * samples that came late */
    r.done = false;
    assert_true(api_range_refresh(ar, "up", 110000, 240000, 10000,
                                  240000 + API_RANGE_FULL_MS, false,
                                  on_refresh, &r));
    pump_until_idle(fx);
    assert_string_equal(fx->seen->ranges[3], "110 240 10");
    /* another expression: the whole grid again */
    r.done = false;
    assert_true(api_range_refresh(ar, "up2", 110000, 240000, 10000, 240000,
                                  false, on_refresh, &r));
    pump_until_idle(fx);
    assert_string_equal(fx->seen->ranges[4], "110 240 10");
    /* the panel resized: a new step, the whole grid at it; then only
     * the tail again, at the new step */
    r.done = false;
    assert_true(api_range_refresh(ar, "up2", 100000, 240000, 20000, 240000,
                                  false, on_refresh, &r));
    pump_until_idle(fx);
    assert_string_equal(fx->seen->ranges[5], "100 240 20");
    r.done = false;
    assert_true(api_range_refresh(ar, "up2", 120000, 260000, 20000, 260000,
                                  false, on_refresh, &r));
    pump_until_idle(fx);
    assert_string_equal(fx->seen->ranges[6], "240 260 20");
    assert_int_equal(api_range_last_steps(ar), 2);
    qresult_free(r.range);
    qresult_free(r.at);
    api_range_free(ar);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_post_and_headers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_and_cancel, setup,
                                        teardown),
        cmocka_unit_test(test_refused),
        cmocka_unit_test_setup_teardown(test_range_tail, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
