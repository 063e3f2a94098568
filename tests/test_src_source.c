/*
 * Tests for src/source.c against a real HTTP server in a forked process:
 * the alerts and rules calls (a server with /api/v1/rules but no
 * /api/v1/alerts, as a Thanos Query without a ruler answers), completion
 * names kept from the server, and the banner of a server that is down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "src/source.h"
#include "tests/support/http.h"

static void
send_json(int fd, const char *body)
{
    char out[4096];
    int n = snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\nContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     strlen(body), body);

    ts_http_send(fd, out, (size_t)n);
}

static void
route(int fd, const char *path, const char *head, void *ctx)
{
    static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Length: "
                             "19\r\n\r\n404 page not found\n";

    (void)head;
    (void)ctx;
    if (strcmp(path, "/api/v1/rules") == 0)
        send_json(fd, "{\"status\":\"success\",\"data\":{\"groups\":[{"
                  "\"name\":\"g\",\"file\":\"r.yml\",\"interval\":15,"
                  "\"rules\":[{\"name\":\"job:up\",\"query\":\"sum(up)\","
                  "\"health\":\"ok\",\"type\":\"recording\"}]}]}}");
    else if (strcmp(path, "/api/v1/labels") == 0)
        send_json(fd, "{\"status\":\"success\",\"data\":[\"__name__\","
                  "\"job\"]}");
    else if (strcmp(path, "/api/v1/label/job/values") == 0)
        send_json(fd, "{\"status\":\"success\",\"data\":[\"api\",\"db\"]}");
    else if (strcmp(path, "/api/v1/status/config") == 0)
        send_json(fd, "{\"status\":\"success\",\"data\":{\"yaml\":"
                  "\"global:\\n  scrape_interval: 30s\\n\"}}");
    else
        ts_http_send(fd, nf, sizeof nf - 1);
}

static void
pump(struct fetch *f, struct source *s)
{
    for (int i = 0; i < 100 && api_client_pending(s->client) > 0; i++) {
        fetch_wait(f, -1, 100, NULL);
        fetch_pump(f);
    }
    assert_int_equal(api_client_pending(s->client), 0);
}

static void
test_views_and_completion(void **state)
{
    struct ts_http srv;
    struct fetch *f = fetch_new();
    struct source s;
    struct cli cli = { 0 };
    const char **names;
    char url[64];
    size_t n;

    (void)state;
    assert_int_equal(ts_http_start(&srv, route, NULL), 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", srv.port);
    cli.source = url;
    assert_int_equal(source_open(&s, &cli, f), 0);
    assert_int_equal(s.min_step_ms, 30000);   /* its scrape_interval */

    source_poll_alerts(&s);
    source_poll_rules(&s);
    pump(f, &s);
    assert_false(s.have_alerts);
    assert_string_equal(s.alerts_error,
                        "this server has no /api/v1/alerts (HTTP 404)");
    assert_true(s.have_rules);
    assert_null(s.rules_error);
    assert_int_equal(s.rules.n, 1);
    assert_string_equal(s.rules.v[0].rules[0].name, "job:up");

    /* the first ask starts the request; the answer serves the next */
    n = source_complete(&s, "job", &names);
    assert_int_equal(n, 0);
    free(names);
    source_prefetch_names(&s);
    pump(f, &s);
    n = source_complete(&s, "job", &names);
    assert_int_equal(n, 2);
    assert_string_equal(names[1], "db");
    free(names);
    n = source_complete(&s, NULL, &names);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "__name__");
    free(names);
    assert_null(source_banner(&s, false));

    source_close(&s);
    ts_http_stop(&srv);
    fetch_free(f);
}

static void
test_banner(void **state)
{
    struct fetch *f = fetch_new();
    struct source s;
    struct cli cli = { .source = "http://u:secret@127.0.0.1:1",
                       .attach = true };
    const char *b;

    (void)state;
    assert_int_equal(source_open(&s, &cli, f), 0);
    b = source_banner(&s, true);
    assert_non_null(b);
    assert_non_null(strstr(b, "promdeck serve at http://127.0.0.1:1 "
                              "unreachable: "));
    assert_null(strstr(b, "secret"));
    source_close(&s);
    fetch_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views_and_completion),
        cmocka_unit_test(test_banner),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
