/*
 * Tests for API requests through the fetcher (what a remote Prometheus,
 * an Alertmanager and the Docker socket need): method, body and its type,
 * Accept and extra headers, bodies of error statuses, and a Unix socket;
 * a pump that stops midway (fetch_pump_until) losing nothing; and the
 * wait's extra fd, readable or hung up.
 * The servers are real sockets in forked processes that echo what they
 * were sent.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "scrape/fetch.h"
#include "src/base/buf.h"
#include "tests/support/http.h"

/* One finished request as the callbacks saw it. */
struct result {
    struct buf body;
    char error[256];
    bool done, has_error;
};

static int
on_data(void *ctx, const char *p, size_t n)
{
    struct result *r = ctx;

    buf_append(&r->body, p, n);
    return 0;
}

static void
on_done(void *ctx, const char *error)
{
    struct result *r = ctx;

    r->done = true;
    r->has_error = error != NULL;
    snprintf(r->error, sizeof(r->error), "%s", error != NULL ? error : "");
}

/* Runs one request to its end; returns the connection's status. */
static long
run(const struct fetch_request *req, struct result *r)
{
    struct fetch *f = fetch_new();
    struct fetch_conn *c = fetch_conn_new(f);
    struct fetch_callbacks cb = { .ctx = r, .data = on_data, .done = on_done };
    long status;

    memset(r, 0, sizeof(*r));
    buf_init(&r->body, 0);
    if (fetch_start(c, req, &cb) == 0)
        while (!r->done) {
            assert_int_equal(fetch_wait(f, -1, 1000, NULL), 0);
            fetch_pump(f);
        }
    buf_putc(&r->body, '\0');
    status = fetch_conn_status(c);
    fetch_conn_free(c);
    fetch_free(f);
    return status;
}

/* The echo server: answers every request with its own head and body;
 * a path starting /status/N answers with status N. */
static void
echo(int fd, const char *path, const char *head, void *ctx)
{
    char out[70000];
    const char *body = ts_http_body(head);
    int status = 200, n;

    (void)ctx;
    if (strncmp(path, "/status/", 8) == 0)
        status = (int)strtol(path + 8, NULL, 10);
    n = snprintf(out, sizeof(out), "HTTP/1.1 %d X\r\nContent-Type: "
                 "text/plain\r\nContent-Length: %zu\r\n\r\n%s\r\n%s", status,
                 strlen(head) + 2 + strlen(body), head, body);
    ts_http_send(fd, out, (size_t)n);
}

static void
test_post_form(void **state)
{
    struct ts_http srv;
    struct result r;
    char url[128];
    static const char *const hdrs[] = { "X-Scope-OrgID: tenant-1", NULL };
    struct fetch_request req = {
        .url = url, .timeout_ms = 5000,
        .body = "query=up&time=12.5", .body_len = 18,
        .body_type = "application/x-www-form-urlencoded",
        .accept = "application/json", .headers = hdrs,
    };

    (void)state;
    assert_int_equal(ts_http_start(&srv, echo, NULL), 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/query", srv.port);
    assert_int_equal(run(&req, &r), 200);
    ts_http_stop(&srv);
    assert_false(r.has_error);
    assert_non_null(strstr(r.body.data, "POST /api/v1/query HTTP/1.1\r\n"));
    assert_non_null(strstr(r.body.data, "\r\nContent-Type: application/"
                                        "x-www-form-urlencoded\r\n"));
    assert_non_null(strstr(r.body.data, "\r\nAccept: application/json\r\n"));
    assert_non_null(strstr(r.body.data, "\r\nX-Scope-OrgID: tenant-1\r\n"));
    assert_null(strstr(r.body.data, "Scrape-Timeout"));
    assert_null(strstr(r.body.data, "openmetrics"));
    assert_non_null(strstr(r.body.data, "\r\n\r\nquery=up&time=12.5"));
    buf_fini(&r.body);
}

static void
test_method_and_status(void **state)
{
    struct ts_http srv;
    struct result r;
    char url[128];
    struct fetch_request req = {
        .url = url, .timeout_ms = 5000, .method = "DELETE",
        .accept = "application/json",
    };

    (void)state;
    assert_int_equal(ts_http_start(&srv, echo, NULL), 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/status/404", srv.port);
    /* A scrape-style request: the status is the error, no body. */
    assert_int_equal(run(&req, &r), 404);
    assert_true(r.has_error);
    assert_string_equal(r.error, "HTTP 404 X");
    assert_int_equal(r.body.len, 1);
    buf_fini(&r.body);
    /* any_status: the body of a 422 is the answer, not an error. */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/status/422", srv.port);
    req.any_status = true;
    assert_int_equal(run(&req, &r), 422);
    ts_http_stop(&srv);
    assert_false(r.has_error);
    assert_non_null(strstr(r.body.data, "DELETE /status/422 HTTP/1.1\r\n"));
    buf_fini(&r.body);
}

/* A one-request server on a Unix socket at path, in a child. */
static pid_t
unix_server(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    pid_t pid;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    assert_true(lfd >= 0);
    assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(lfd, 4), 0);
    pid = fork();
    if (pid == 0) {
        static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: "
                                     "13\r\n\r\n[{\"Id\":\"ab\"}]";
        char req[4096];
        int fd = accept(lfd, NULL, NULL);
        ssize_t n = read(fd, req, sizeof(req) - 1);

        /* Answer only the request a Docker client sends. */
        if (n > 0 && strncmp(req, "GET /v1.41/containers/json HTTP/1.1\r\n"
                             "Host: localhost\r\n", 53) == 0)
            ts_http_write(fd, answer, sizeof(answer) - 1);
        _exit(0);
    }
    close(lfd);
    return pid;
}

static void
test_unix_socket(void **state)
{
    char dir[] = "/tmp/promdeck-fetch-XXXXXX", path[64];
    struct result r;
    struct fetch_request req = {
        .url = "http://localhost/v1.41/containers/json", .timeout_ms = 5000,
        .accept = "application/json", .unix_socket = path,
    };
    pid_t pid;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/docker.sock", dir);
    pid = unix_server(path);
    assert_int_equal(run(&req, &r), 200);
    assert_false(r.has_error);
    assert_string_equal(r.body.data, "[{\"Id\":\"ab\"}]");
    waitpid(pid, NULL, 0);
    unlink(path);
    rmdir(dir);
    buf_fini(&r.body);
    /* Nobody listening on the path any more: a clear error. */
    assert_int_equal(run(&req, &r), 0);
    assert_true(r.has_error);
    assert_non_null(strstr(r.error, "connect"));
    buf_fini(&r.body);
}

/* The body /big/N serves: N lines, each naming its number. */
static void
big_body(struct buf *b, int lines)
{
    for (int i = 0; i < lines; i++)
        buf_printf(b, "line_%d{n=\"%d\"} %d\n", i, i % 97, i);
}

static void
serve_big(int fd, const char *path, const char *head, void *ctx)
{
    struct buf b;
    char h[128];
    int n;

    (void)head;
    (void)ctx;
    buf_init(&b, 0);
    big_body(&b, (int)strtol(path + 5, NULL, 10));
    n = snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nContent-Type: text/plain"
                 "\r\nContent-Length: %zu\r\n\r\n", b.len);
    ts_http_send(fd, h, (size_t)n);
    ts_http_send(fd, b.data, b.len);
    buf_fini(&b);
}

/* A stop hook that says stop at every other question, so pumps stop
 * everywhere: mid-body, at a body's last piece, before a report. */
struct asked {
    unsigned calls, stops;
};

static bool
every_other(void *ctx)
{
    struct asked *a = ctx;
    bool stop = a->calls++ % 2 == 1;

    a->stops += stop;
    return stop;
}

/*
 * Bodies held mid-way by a pump that stops go on at the next pump: every
 * byte arrives once and in order, every transfer ends once, and the
 * stops did happen.
 */
static void
test_pump_until(void **state)
{
    enum { N = 6 };
    struct ts_http srv;
    struct fetch *f = fetch_new();
    struct fetch_conn *c[N];
    struct result r[N];
    struct fetch_callbacks cb = { .data = on_data, .done = on_done };
    struct asked asked = { 0, 0 };
    size_t pumps = 0, done = 0;
    char url[128];

    (void)state;
    assert_int_equal(ts_http_start(&srv, serve_big, NULL), 0);
    for (int i = 0; i < N; i++) {
        struct fetch_request req = { .url = url, .timeout_ms = 30000 };

        snprintf(url, sizeof(url), "http://127.0.0.1:%d/big/%d", srv.port,
                 2000 + 3000 * i);
        memset(&r[i], 0, sizeof(r[i]));
        buf_init(&r[i].body, 0);
        c[i] = fetch_conn_new(f);
        cb.ctx = &r[i];
        assert_int_equal(fetch_start(c[i], &req, &cb), 0);
    }
    while (done < N && pumps < 100000) {
        assert_int_equal(fetch_wait(f, -1, 1000, NULL), 0);
        fetch_pump_until(f, every_other, &asked);
        pumps++;
        done = 0;
        for (int i = 0; i < N; i++)
            done += r[i].done;
    }
    for (int i = 0; i < N; i++) {
        struct buf want;

        buf_init(&want, 0);
        big_body(&want, 2000 + 3000 * i);
        assert_false(r[i].has_error);
        assert_int_equal(r[i].body.len, want.len);
        assert_memory_equal(r[i].body.data, want.data, want.len);
        buf_fini(&want);
        buf_fini(&r[i].body);
        fetch_conn_free(c[i]);
    }
    /* The pumps stopped midway, many times. */
    assert_true(asked.stops > 4 * N);
    fetch_free(f);
    ts_http_stop(&srv);
}

/*
 * fetch_wait's extra fd (the terminal, in the loop): reported when it has
 * something to read, and when its other end went away, so that the loop
 * sees a terminal that hung up; not when it is idle.
 */
static void
test_wait_extra_fd(void **state)
{
    struct fetch *f = fetch_new();
    int fds[2];
    bool ready = true;
    char c;

    (void)state;
    assert_non_null(f);
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(fetch_wait(f, fds[0], 0, &ready), 0);
    assert_false(ready);
    assert_int_equal(write(fds[1], "q", 1), 1);
    assert_int_equal(fetch_wait(f, fds[0], 1000, &ready), 0);
    assert_true(ready);
    /* Nothing was in flight: the pump has nothing to do. */
    fetch_pump(f);
    assert_int_equal(fetch_running(f), 0);
    assert_int_equal(read(fds[0], &c, 1), 1);
    assert_int_equal(fetch_wait(f, fds[0], 0, &ready), 0);
    assert_false(ready);
    /* Empty and hung up: poll says POLLHUP alone. */
    close(fds[1]);
    assert_int_equal(fetch_wait(f, fds[0], 1000, &ready), 0);
    assert_true(ready);
    close(fds[0]);
    fetch_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_post_form),
        cmocka_unit_test(test_method_and_status),
        cmocka_unit_test(test_unix_socket),
        cmocka_unit_test(test_pump_until),
        cmocka_unit_test(test_wait_extra_fd),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
