/*
 * Tests for scraping over HTTP as Prometheus does, against real servers
 * on 127.0.0.1: a forked plain HTTP server that checks basic and bearer
 * auth, acts as a proxy, redirects and misbehaves (endless, stalled and
 * oversized bodies, a gzip bomb); and python3 HTTPS servers with a CA,
 * server and client certificates made at run time with openssl.
 */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "scrape/fetch.h"
#include "scrape/pool.h"
#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"
#include "store/store.h"
#include "tests/support/fs.h"
#include "tests/support/http.h"

/* The secrets every test uses; none may show anywhere the pool exposes. */
#define USER "alice"
#define PASSWORD "s3cr3t-pw-7f2a"
#define TOKEN "tok-5d1e-bearer"
#define TOKEN2 "tok-rotated-9c3b"
#define PROXY_USER "puser"
#define PROXY_PASSWORD "pr0xy-pw-41aa"

/* What the test and the server share. */
struct shared {
    char token[64];         /* the bearer token the server accepts */
    char last_req[8192];    /* the head of the newest request */
};

struct fixture {
    struct ts_http http;
    struct shared *sh;
    struct store *st;
    struct scrape_pool *pool;
    char dir[64];           /* certificates and secret files */
    pid_t tls;              /* an HTTPS server while one runs, or 0 */
    char log[96];           /* the debug log */
};

/* The gzip bomb, made once before the server forks. */
static char *bomb;
static size_t bomb_len;

/* ---- the plain HTTP server (runs in the child) ---- */

static void
respond(int fd, const char *status, const char *extra, const char *body)
{
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %s\r\nContent-Type: text/plain; "
                     "version=0.0.4\r\n%sContent-Length: %zu\r\n\r\n",
                     status, extra, strlen(body));

    if (ts_http_write(fd, head, (size_t)n) != 0 ||
        ts_http_write(fd, body, strlen(body)) != 0)
        _exit(0);
}

/* base64 of s, for the expected Authorization headers. */
static void
base64(const char *s, char *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), o = 0;

    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16;

        if (i + 1 < n)
            v |= (unsigned char)s[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)s[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
}

/* True when the request carries exactly this header line. */
static bool
has_header(const char *req, const char *line)
{
    char want[300];

    snprintf(want, sizeof(want), "\r\n%.250s\r\n", line);
    return strstr(req, want) != NULL;
}

/* A chunked body of valid lines that never ends. */
static void
serve_endless(int fd)
{
    static const char head[] =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    char chunk[4200];
    struct buf b;

    buf_init(&b, 0);
    for (int i = 0; b.len < 4000; i++)
        buf_printf(&b, "endless{i=\"%d\"} 1\n", i);
    snprintf(chunk, sizeof(chunk), "%zx\r\n%s\r\n", b.len, b.data);
    if (ts_http_write(fd, head, sizeof(head) - 1) != 0)
        _exit(0);
    while (ts_http_write(fd, chunk, strlen(chunk)) == 0)
        continue;
    _exit(0);
}

/* A chunked body that never ends, each line a series not seen before. */
static void
serve_endless_fresh(int fd)
{
    static const char head[] =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    char chunk[8300];
    struct buf b;

    buf_init(&b, 0);
    if (ts_http_write(fd, head, sizeof(head) - 1) != 0)
        _exit(0);
    for (long i = 0;;) {
        buf_reset(&b);
        while (b.len < 8000)
            buf_printf(&b, "fresh{i=\"%ld\"} 1\n", i++);
        snprintf(chunk, sizeof(chunk), "%zx\r\n%s\r\n", b.len, b.data);
        if (ts_http_write(fd, chunk, strlen(chunk)) != 0)
            _exit(0);
    }
}

/* Exactly 1024 bytes of body: "a 1\n" and a comment filling the rest. */
static void
serve_1k(int fd)
{
    char body[1025];

    memset(body, 'x', sizeof(body) - 1);
    memcpy(body, "a 1\n# ", 6);
    body[1023] = '\n';
    body[1024] = '\0';
    respond(fd, "200 OK", "", body);
}

/* Headers and half a body, then nothing for far longer than a scrape. */
static void
serve_stall(int fd)
{
    static const char head[] =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
        "Content-Length: 1000\r\n\r\n# TYPE stall gauge\nstall 1\n";

    ts_http_write(fd, head, sizeof(head) - 1);
    sleep(30);
    _exit(0);
}

static void
serve_bomb(int fd)
{
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain; "
                     "version=0.0.4\r\nContent-Encoding: gzip\r\n"
                     "Content-Length: %zu\r\n\r\n", bomb_len);

    if (ts_http_write(fd, head, (size_t)n) != 0 ||
        ts_http_write(fd, bomb, bomb_len) != 0)
        _exit(0);
}

static void
serve_many(int fd, int n)
{
    struct buf b;

    buf_init(&b, 0);
    for (int i = 0; i < n; i++)
        buf_printf(&b, "many{i=\"%d\"} %d\n", i, i);
    respond(fd, "200 OK", "", b.data);
    buf_fini(&b);
}

/* An answer that ends its connection, as "Connection: close" promises
 * (RFC 9112, section 9.6). */
static void
serve_close(int fd)
{
    respond(fd, "200 OK", "Connection: close\r\n", "closing_metric 1\n");
    _exit(0);
}

/* The routes that check credentials; false when path is not one. */
static bool
route_auth(int fd, const char *path, const char *req, struct shared *sh)
{
    char line[256], b64[128];
    const char *deny = "WWW-Authenticate: Basic realm=\"t\"\r\n";

    if (strcmp(path, "/basic") == 0) {
        base64(USER ":" PASSWORD, b64);
        snprintf(line, sizeof(line), "Authorization: Basic %s", b64);
    } else if (strcmp(path, "/bearer") == 0) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", sh->token);
    } else if (strcmp(path, "/apikey") == 0) {
        snprintf(line, sizeof(line), "Authorization: APIKEY %s", TOKEN);
    } else {
        return false;
    }
    if (has_header(req, line))
        respond(fd, "200 OK", "", "# TYPE auth_ok gauge\nauth_ok 1\n");
    else
        respond(fd, "401 Unauthorized", deny, "unauthorized\n");
    return true;
}

static void
route(int fd, const char *path, const char *req, struct shared *sh)
{
    if (route_auth(fd, path, req, sh))
        return;
    if (strcmp(path, "/ok") == 0)
        respond(fd, "200 OK", "", "ok_metric 1\n");
    else if (strcmp(path, "/redirect") == 0)
        respond(fd, "302 Found", "Location: /ok\r\n", "");
    else if (strcmp(path, "/loop") == 0)
        respond(fd, "302 Found", "Location: /loop\r\n", "");
    else if (strncmp(path, "/params?", 8) == 0)
        respond(fd, "200 OK", "", "params_ok 1\n");
    else if (strcmp(path, "/endless") == 0)
        serve_endless(fd);
    else if (strcmp(path, "/endless-fresh") == 0)
        serve_endless_fresh(fd);
    else if (strcmp(path, "/1k") == 0)
        serve_1k(fd);
    else if (strcmp(path, "/stall") == 0)
        serve_stall(fd);
    else if (strcmp(path, "/bomb") == 0)
        serve_bomb(fd);
    else if (strcmp(path, "/many") == 0)
        serve_many(fd, 100);
    else if (strcmp(path, "/labels") == 0)
        respond(fd, "200 OK", "", "m{a=\"1\",b=\"2\"} 1\n");
    else if (strcmp(path, "/longname") == 0)
        respond(fd, "200 OK", "", "m{a_very_long_label_name=\"1\"} 1\n");
    else if (strcmp(path, "/longvalue") == 0)
        respond(fd, "200 OK", "",
                "m{v=\"0123456789abcdefghijklmnopqrstuvwxyz\"} 1\n");
    else if (strcmp(path, "/close") == 0)
        serve_close(fd);
    else if (strcmp(path, "/honor") == 0)
        respond(fd, "200 OK", "",
                "m{job=\"scraped\",x=\"1\"} 5 1700000000000\n");
    else
        respond(fd, "404 Not Found", "", "no\n");
}

/*
 * A request for an absolute URL is one sent to a proxy: it must carry
 * the proxy's credentials, then it is served as the path it names.
 */
static void
route_proxy(int fd, const char *url, const char *req, struct shared *sh)
{
    char line[256], b64[128];
    const char *path = strchr(url + 7, '/');

    base64(PROXY_USER ":" PROXY_PASSWORD, b64);
    snprintf(line, sizeof(line), "Proxy-Authorization: Basic %s", b64);
    if (!has_header(req, line))
        respond(fd, "407 Proxy Authentication Required",
                "Proxy-Authenticate: Basic realm=\"p\"\r\n", "no\n");
    else
        route(fd, path != NULL ? path : "/", req, sh);
}

/* Each request: remember its head for the test; an absolute URL is a
 * request to a proxy. */
static void
on_request(int fd, const char *path, const char *head, void *ctx)
{
    struct shared *sh = ctx;

    snprintf(sh->last_req, sizeof(sh->last_req), "%s", head);
    if (strncmp(path, "http://", 7) == 0)
        route_proxy(fd, path, head, sh);
    else
        route(fd, path, head, sh);
}

/* ---- certificates, files and the TLS servers ---- */

static int
run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    return system(cmd);
}

/*
 * A CA, a server certificate it signs for localhost and
 * only.promdeck.test (not for 127.0.0.1, so the address alone cannot
 * verify), a client certificate it signs, and an unrelated CA.
 */
static int
make_certs(const char *dir)
{
    return run("cd %s && exec >/dev/null 2>&1 && "
               "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key "
               "-out ca.crt -subj /CN=promdeck-test-ca -days 2 && "
               "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca2.key "
               "-out ca2.crt -subj /CN=other-ca -days 2 && "
               "openssl req -newkey rsa:2048 -nodes -keyout srv.key "
               "-out srv.csr -subj /CN=localhost && "
               "printf 'subjectAltName=DNS:localhost,DNS:only.promdeck.test"
               "\\n' > ext && "
               "openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key "
               "-CAcreateserial -out srv.crt -days 2 -extfile ext && "
               "openssl req -newkey rsa:2048 -nodes -keyout cli.key "
               "-out cli.csr -subj /CN=client && "
               "openssl x509 -req -in cli.csr -CA ca.crt -CAkey ca.key "
               "-CAcreateserial -out cli.crt -days 2", dir);
}

/* An HTTPS server: serves one metric, asks for a client cert with ca. */
static const char https_py[] =
    "import http.server, ssl, sys\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    def do_GET(self):\n"
    "        b = b'tls_metric 1\\n'\n"
    "        self.send_response(200)\n"
    "        self.send_header('Content-Type', 'text/plain; version=0.0.4')\n"
    "        self.send_header('Content-Length', str(len(b)))\n"
    "        self.end_headers()\n"
    "        self.wfile.write(b)\n"
    "    def log_message(self, *a):\n"
    "        pass\n"
    "srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)\n"
    "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
    "ctx.load_cert_chain(sys.argv[1], sys.argv[2])\n"
    "if sys.argv[3] != '-':\n"
    "    ctx.verify_mode = ssl.CERT_REQUIRED\n"
    "    ctx.load_verify_locations(sys.argv[3])\n"
    "srv.socket = ctx.wrap_socket(srv.socket, server_side=True)\n"
    "print(srv.server_address[1], flush=True)\n"
    "srv.serve_forever()\n";

/* Starts the HTTPS server; its port goes to *port. */
static pid_t
start_https(const char *dir, bool client_certs, int *port)
{
    char cert[128], key[128], ca[128], line[32];
    int pfd[2];
    pid_t pid;
    FILE *f;

    snprintf(cert, sizeof(cert), "%s/srv.crt", dir);
    snprintf(key, sizeof(key), "%s/srv.key", dir);
    snprintf(ca, sizeof(ca), "%s/ca.crt", dir);
    if (pipe(pfd) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        dup2(pfd[1], 1);
        dup2(null, 2);
        close(pfd[0]);
        execlp("python3", "python3", "-c", https_py, cert, key,
               client_certs ? ca : "-", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    f = fdopen(pfd[0], "r");
    *port = 0;
    if (fgets(line, sizeof(line), f) != NULL)
        *port = (int)strtol(line, NULL, 10);
    fclose(f);
    return pid;
}

static void
stop(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* 64 MiB of valid lines, gzipped to a few tens of KiB. */
static int
make_bomb(void)
{
    FILE *p = popen("yes 'bomb_metric 1' 2>/dev/null | head -c 67108864 "
                    "| gzip -9 -c 2>/dev/null", "r");
    struct buf b;
    char chunk[65536];
    size_t n;

    if (p == NULL)
        return -1;
    buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_append(&b, chunk, n);
    pclose(p);
    bomb_len = b.len;
    bomb = buf_steal(&b);
    return bomb_len > 0 && bomb_len < ((size_t)1 << 20) ? 0 : -1;
}

static int
group_setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    return make_bomb();
}

static int
group_teardown(void **state)
{
    (void)state;
    free(bomb);
    return 0;
}

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof(*fx));

    if (ts_tmpdir_new(fx->dir, sizeof(fx->dir), "fetch") != 0)
        return -1;
    fx->sh = ts_shared_new(sizeof(*fx->sh));
    if (fx->sh == NULL)
        return -1;
    snprintf(fx->sh->token, sizeof(fx->sh->token), "%s", TOKEN);
    if (ts_http_start(&fx->http, on_request, fx->sh) != 0)
        return -1;
    fx->st = store_new(3600 * 1000, 0);
    fx->pool = scrape_pool_new(fx->st);
    /* The debug log is one more place a secret must never reach. */
    snprintf(fx->log, sizeof(fx->log), "%s/debug.log", fx->dir);
    if (log_open(fx->log) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    log_close();
    scrape_pool_free(fx->pool);
    store_free(fx->st);
    ts_http_stop(&fx->http);
    if (fx->tls > 0)
        stop(fx->tls);
    ts_shared_free(fx->sh, sizeof(*fx->sh));
    ts_tmpdir_remove(fx->dir);
    free(fx);
    return 0;
}

/* ---- helpers on the test side ---- */

/* A target of job "t" at the plain server, with a default HTTP config. */
struct tdef {
    struct scrape_target_def d;
    struct fetch_http http;
    char addr[64];
    struct label lab[3];
};

static void
def_init(struct tdef *t, const char *host, int port, const char *path)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->addr, sizeof(t->addr), "%s:%d", host, port);
    t->lab[0] = (struct label){ "env", "test" };
    t->lab[1] = (struct label){ "instance", t->addr };
    t->lab[2] = (struct label){ "job", "t" };
    t->http.follow_redirects = true;
    t->http.enable_http2 = true;
    t->d = (struct scrape_target_def){
        .job = "t", .scheme = "http", .address = t->addr,
        .metrics_path = path, .labels = { t->lab, 3 },
        .interval_ms = 60000, .timeout_ms = 2000, .http = &t->http,
    };
}

static struct scrape_status
status(const struct fixture *fx, size_t i)
{
    struct scrape_status s;

    scrape_pool_status(fx->pool, i, &s);
    return s;
}

/* Scrapes the n targets once, together; false if one did not finish. */
static bool
scrape_all(struct fixture *fx, const struct scrape_target_def *d, size_t n,
           int max_ms)
{
    int64_t deadline = time_now_ms() + max_ms;
    bool done = false;
    size_t before[8];

    assert_true(n <= 8);
    scrape_pool_set_targets(fx->pool, d, n, time_now_ms());
    /* A target kept from the last call counts on from where it was. */
    for (size_t i = 0; i < n; i++)
        before[i] = status(fx, i).scrapes;
    scrape_pool_start_all(fx->pool, time_now_ms());
    while (!done && time_now_ms() < deadline) {
        scrape_pool_wait(fx->pool, -1, 20, NULL);
        scrape_pool_pump(fx->pool, time_now_ms());
        done = true;
        for (size_t i = 0; i < n; i++)
            done = done && status(fx, i).scrapes > before[i];
    }
    return done;
}

/* One scrape of one target; its status afterwards. */
static struct scrape_status
scrape1(struct fixture *fx, const struct tdef *t)
{
    assert_true(scrape_all(fx, &t->d, 1, 5000));
    return status(fx, 0);
}

/* The newest value of series name{env="test",instance,job="t"}. */
static double
last_value(const struct fixture *fx, const char *addr, const char *name)
{
    struct label v[4] = {
        { "__name__", name }, { "env", "test" }, { "instance", addr },
        { "job", "t" },
    };
    struct labels ls = { v, 4 };
    struct sample s;
    uint32_t id;

    if (!store_series_find(fx->st, &ls, &id) ||
        !store_last(fx->st, id, INT64_MAX, &s))
        return -12345;
    return s.v;
}

/*
 * Everything the pool and the store expose as text: every status string
 * and label of every target, every label name and value in the store,
 * and the debug log.
 */
static void
exposed_text(const struct fixture *fx, struct buf *b)
{
    const char **names, **values;
    size_t nn, nv;
    char chunk[4096];
    FILE *f = fopen(fx->log, "r");

    while (f != NULL && (nn = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(b, chunk, nn);
    if (f != NULL)
        fclose(f);

    for (size_t i = 0; i < scrape_pool_count(fx->pool); i++) {
        struct scrape_status s = status(fx, i);

        buf_printf(b, "%s\n%s\n%s\n%s\n%s\n", s.job, s.instance, s.url,
                   s.last_error, s.discovered);
        for (size_t k = 0; k < s.labels->n; k++)
            buf_printf(b, "%s=%s\n", s.labels->v[k].name,
                       s.labels->v[k].value);
    }
    nn = store_label_names(fx->st, &names);
    for (size_t i = 0; i < nn; i++) {
        nv = store_label_values(fx->st, names[i], &values);
        for (size_t k = 0; k < nv; k++)
            buf_printf(b, "%s=%s\n", names[i], values[k]);
        free(values);
    }
    free(names);
}

static void
assert_no_secrets(const struct fixture *fx)
{
    static const char *const secrets[] = {
        PASSWORD, TOKEN, TOKEN2, PROXY_PASSWORD,
    };
    struct buf b;

    buf_init(&b, 0);
    exposed_text(fx, &b);
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
        if (b.data != NULL && strstr(b.data, secrets[i]) != NULL)
            fail_msg("secret %s exposed in:\n%s", secrets[i], b.data);
    buf_fini(&b);
}

/* ---- the tests ---- */

/* basic_auth: inline and file passwords; a 401 without them; a missing
 * password file fails with its name, never a secret. */
static void
test_basic_auth(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;
    char file[128];

    def_init(&t, "127.0.0.1", fx->http.port, "/basic");
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "HTTP 401 Unauthorized");

    t.http.username = USER;
    t.http.password = "wrong-pw";
    assert_string_equal(scrape1(fx, &t).last_error,
                        "HTTP 401 Unauthorized");

    t.http.password = PASSWORD;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 1);
    assert_string_equal(s.last_error, "");
    assert_float_equal(last_value(fx, t.addr, "auth_ok"), 1, 0);
    assert_no_secrets(fx);

    /* A file's surrounding white space is not part of the password. */
    snprintf(file, sizeof(file), "%s/pw", fx->dir);
    ts_write_file(file, PASSWORD "\n");
    t.http.password = NULL;
    t.http.password_file = file;
    assert_int_equal(scrape1(fx, &t).health, 1);
    assert_no_secrets(fx);

    unlink(file);
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    {
        char want[256];

        snprintf(want, sizeof(want), "cannot read password_file %s: "
                 "No such file or directory", file);
        assert_string_equal(s.last_error, want);
    }
    assert_float_equal(last_value(fx, t.addr, "up"), 0, 0);
    assert_no_secrets(fx);
    /* The failures were logged, by URL and error. */
    {
        struct buf b;
        char want[128];

        buf_init(&b, 0);
        exposed_text(fx, &b);
        snprintf(want, sizeof(want), "http://127.0.0.1:%d/basic: HTTP 401 "
                 "Unauthorized", fx->http.port);
        assert_non_null(strstr(b.data, want));
        buf_fini(&b);
    }
}

/* authorization: Bearer inline and from a file that is read at every
 * scrape, so a rotated token is picked up; a custom type. */
static void
test_bearer_auth(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;
    char file[128];

    def_init(&t, "127.0.0.1", fx->http.port, "/bearer");
    t.http.auth_type = "Bearer";
    t.http.credentials = TOKEN;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 1);
    assert_true(strstr(fx->sh->last_req,
                       "\r\nAuthorization: Bearer " TOKEN "\r\n") != NULL);
    assert_no_secrets(fx);

    snprintf(file, sizeof(file), "%s/token", fx->dir);
    ts_write_file(file, TOKEN "\n");
    t.http.credentials = NULL;
    t.http.credentials_file = file;
    assert_int_equal(scrape1(fx, &t).health, 1);

    /* The server moves to a new token: the old file fails ... */
    snprintf(fx->sh->token, sizeof(fx->sh->token), "%s", TOKEN2);
    assert_string_equal(scrape1(fx, &t).last_error, "HTTP 401 Unauthorized");
    /* ... and the rotated file works without any reload. */
    ts_write_file(file, TOKEN2);
    assert_int_equal(scrape1(fx, &t).health, 1);
    assert_no_secrets(fx);

    def_init(&t, "127.0.0.1", fx->http.port, "/apikey");
    t.http.auth_type = "APIKEY";
    t.http.credentials = TOKEN;
    assert_int_equal(scrape1(fx, &t).health, 1);
    assert_no_secrets(fx);
}

/* proxy_url with credentials: the request goes through the proxy with
 * Proxy-Authorization; the proxy's password is shown nowhere. */
static void
test_proxy(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;
    char proxy[128];

    def_init(&t, "scrape-target.invalid", 9999, "/ok");
    snprintf(proxy, sizeof(proxy), "http://" PROXY_USER ":" PROXY_PASSWORD
             "@127.0.0.1:%d", fx->http.port);
    t.http.proxy_url = proxy;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 1);
    assert_string_equal(s.url, "http://scrape-target.invalid:9999/ok");
    assert_true(strncmp(fx->sh->last_req, "GET http://scrape-target.invalid"
                        ":9999/ok HTTP/1.1\r\n", 43) == 0);
    assert_float_equal(last_value(fx, t.addr, "ok_metric"), 1, 0);
    assert_no_secrets(fx);

    snprintf(proxy, sizeof(proxy), "http://" PROXY_USER ":wrong@127.0.0.1:%d",
             fx->http.port);
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error,
                        "HTTP 407 Proxy Authentication Required");
    assert_no_secrets(fx);
}

/* A password in the target address shows as <secret>. */
static void
test_url_secret(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    char addr[96];
    struct scrape_status s;

    def_init(&t, "127.0.0.1", fx->http.port, "/basic");
    snprintf(addr, sizeof(addr), USER ":" PASSWORD "@127.0.0.1:%d",
             fx->http.port);
    t.d.address = addr;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 1);
    {
        char want[128];

        snprintf(want, sizeof(want), "http://" USER ":<secret>@127.0.0.1:"
                 "%d/basic", fx->http.port);
        assert_string_equal(s.url, want);
    }
    assert_no_secrets(fx);
}

/* follow_redirects: true follows (up to Go's ten); false fails naming
 * the status. */
static void
test_redirects(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;

    def_init(&t, "127.0.0.1", fx->http.port, "/redirect");
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 1);
    assert_float_equal(last_value(fx, t.addr, "ok_metric"), 1, 0);
    assert_true(strncmp(fx->sh->last_req, "GET /ok HTTP/1.1\r\n", 18) == 0);

    t.http.follow_redirects = false;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "HTTP 302 Found");

    def_init(&t, "127.0.0.1", fx->http.port, "/loop");
    assert_string_equal(scrape1(fx, &t).last_error,
                        "stopped after 10 redirects");
}

/*
 * Established TCP connections to 127.0.0.1:port, seen from the client
 * side (the remote end is the port): only this process connects to the
 * test's server. A socket closed here leaves ESTABLISHED at once.
 */
static int
established_to(int port)
{
    FILE *f = fopen("/proc/net/tcp", "r");
    char line[256];
    unsigned rport, st;
    int n = 0;

    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, " %*u: %*x:%*x %*x:%x %x", &rport, &st) == 2 &&
            rport == (unsigned)port && st == 1)
            n++;
    fclose(f);
    return n;
}

/*
 * Keep-alive as in Prometheus: each target keeps one HTTP/1.1 persistent
 * connection and sends every scrape over it (RFC 9112, section 9.3),
 * except after an answer that said "Connection: close", which ends its
 * connection, so the next scrape opens a new one. A target that leaves
 * closes its connection at once; the ones that stay keep theirs.
 */
static void
test_keep_alive(void **state)
{
    enum { ROUNDS = 4 };
    struct fixture *fx = *state;
    static const char *const paths[] = { "/ok", "/many", "/labels",
                                         "/close" };
    struct tdef t[4];
    struct scrape_target_def d[4];

    for (size_t i = 0; i < 4; i++) {
        def_init(&t[i], "127.0.0.1", fx->http.port, paths[i]);
        t[i].lab[0].value = paths[i] + 1;   /* series of their own */
        d[i] = t[i].d;
    }
    for (int r = 0; r < ROUNDS; r++)
        assert_true(scrape_all(fx, d, 4, 5000));
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(status(fx, i).health, 1);
    /* Three connections for all the rounds, and one per closing answer;
     * the three are all that stay open. */
    assert_int_equal(ts_http_accepts(&fx->http), 3 + ROUNDS);
    assert_int_equal(established_to(fx->http.port), 3);

    /* /many and /labels leave: their connections close now. */
    assert_true(scrape_all(fx, d, 1, 5000));
    assert_int_equal(established_to(fx->http.port), 1);
    assert_int_equal(ts_http_accepts(&fx->http), 3 + ROUNDS);
    assert_int_equal(status(fx, 0).scrapes, ROUNDS + 1);

    scrape_pool_set_targets(fx->pool, NULL, 0, time_now_ms());
    assert_int_equal(established_to(fx->http.port), 0);
}

/* params: the encoded query goes on the URL, and shows in the status. */
static void
test_params(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;
    char want[128];

    def_init(&t, "127.0.0.1", fx->http.port, "/params");
    t.d.params = "module=http_2xx&target=a+b%2Fc";
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 1);
    assert_true(strncmp(fx->sh->last_req, "GET /params?module=http_2xx&"
                        "target=a+b%2Fc HTTP/1.1\r\n", 45) == 0);
    snprintf(want, sizeof(want), "http://127.0.0.1:%d/params?module="
             "http_2xx&target=a+b%%2Fc", fx->http.port);
    assert_string_equal(s.url, want);
    assert_float_equal(last_value(fx, t.addr, "params_ok"), 1, 0);
}

/* The value and time of the newest sample of one series. */
static bool
newest(const struct fixture *fx, struct label *v, size_t n,
       struct sample *out)
{
    struct labels ls = { v, n };
    uint32_t id;

    labels_sort(&ls);
    return store_series_find(fx->st, &ls, &id) &&
           store_last(fx->st, id, INT64_MAX, out);
}

/* sample_limit counts the whole body and fails the scrape; the label
 * limits fail it on the first series over, in Prometheus's words. */
static void
test_limits(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;
    struct sample smp;
    char want[256];

    def_init(&t, "127.0.0.1", fx->http.port, "/many");
    t.d.sample_limit = 50;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "sample limit exceeded");
    assert_int_equal(s.samples, 100);
    assert_float_equal(last_value(fx, t.addr, "scrape_samples_scraped"),
                       100, 0);
    assert_float_equal(last_value(fx, t.addr, "up"), 0, 0);
    {
        struct label v[] = {
            { "__name__", "many" }, { "env", "test" }, { "i", "0" },
            { "instance", t.addr }, { "job", "t" },
        };

        assert_false(newest(fx, v, 5, &smp));
    }
    t.d.sample_limit = 100;
    assert_int_equal(scrape1(fx, &t).health, 1);

    /* __name__, a, b and the target's env, instance, job: 6 labels. */
    def_init(&t, "127.0.0.1", fx->http.port, "/labels");
    t.d.label_limit = 5;
    assert_string_equal(scrape1(fx, &t).last_error, "label_limit exceeded "
                        "(metric: m{a=\"1\",b=\"2\"}, number of labels: 6, "
                        "limit: 5)");
    t.d.label_limit = 6;
    assert_int_equal(scrape1(fx, &t).health, 1);

    def_init(&t, "127.0.0.1", fx->http.port, "/longname");
    t.d.label_name_length_limit = 10;
    assert_string_equal(scrape1(fx, &t).last_error,
                        "label_name_length_limit exceeded (metric: "
                        "m{a_very_long_label_name=\"1\"}, label name: "
                        "a_very_long_label_name, length: 22, limit: 10)");

    def_init(&t, "127.0.0.1", fx->http.port, "/longvalue");
    t.d.label_value_length_limit = 20;
    snprintf(want, sizeof(want), "label_value_length_limit exceeded "
             "(metric: m{v=\"0123456789abcdefghijklmnopqrstuvwxyz\"}, "
             "label name: v, value: \"0123456789abcdefghijklmnopqrstuvwxyz"
             "\", length: 36, limit: 20)");
    s = scrape1(fx, &t);
    assert_string_equal(s.last_error, want);
    assert_float_equal(last_value(fx, t.addr, "up"), 0, 0);
}

/* honor_labels keeps the scraped job; honor_timestamps: false stores the
 * scrape's time instead of the exposed one. */
static void
test_honor(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    struct sample smp;
    int64_t before = time_now_ms();

    def_init(&t, "127.0.0.1", fx->http.port, "/honor");
    assert_int_equal(scrape1(fx, &t).health, 1);
    {
        struct label v[] = {
            { "__name__", "m" }, { "env", "test" },
            { "exported_job", "scraped" }, { "instance", t.addr },
            { "job", "t" }, { "x", "1" },
        };

        assert_true(newest(fx, v, 6, &smp));
        assert_int_equal(smp.t, 1700000000000LL);
    }

    def_init(&t, "127.0.0.1", fx->http.port, "/honor");
    t.d.honor_labels = true;
    t.d.ignore_timestamps = true;
    assert_int_equal(scrape1(fx, &t).health, 1);
    {
        struct label v[] = {
            { "__name__", "m" }, { "env", "test" }, { "instance", t.addr },
            { "job", "scraped" }, { "x", "1" },
        };

        assert_true(newest(fx, v, 5, &smp));
        assert_float_equal(smp.v, 5, 0);
        assert_true(smp.t >= before && smp.t <= time_now_ms());
    }
}

/*
 * Bodies that never end, stall, or inflate from a few KiB to 64 MiB each
 * fail their own scrape with a clear error and stay within the cap, while
 * a good target scraped alongside is untouched.
 */
static void
test_bad_bodies(void **state)
{
    struct fixture *fx = *state;
    struct tdef t[4];
    struct scrape_target_def d[4];
    struct scrape_status s;

    def_init(&t[0], "127.0.0.1", fx->http.port, "/endless");
    t[0].d.body_size_limit = 256 * 1024;
    def_init(&t[1], "127.0.0.1", fx->http.port, "/stall");
    t[1].d.timeout_ms = 500;
    def_init(&t[2], "127.0.0.1", fx->http.port, "/bomb");
    t[2].d.body_size_limit = 1 << 20;
    def_init(&t[3], "127.0.0.1", fx->http.port, "/ok");
    for (int i = 0; i < 4; i++)
        d[i] = t[i].d;
    assert_true(scrape_all(fx, d, 4, 5000));
    s = status(fx, 0);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "body size limit exceeded (256 KiB)");
    s = status(fx, 1);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "timeout after 500ms");
    s = status(fx, 2);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "body size limit exceeded (1 MiB)");
    assert_true(bomb_len < 256 * 1024);
    s = status(fx, 3);
    assert_int_equal(s.health, 1);
    assert_string_equal(s.last_error, "");
    assert_float_equal(last_value(fx, t[3].addr, "ok_metric"), 1, 0);
    /* No sample of a failed body reached the store. */
    {
        struct label v[] = {
            { "__name__", "endless" }, { "env", "test" }, { "i", "0" },
            { "instance", t[0].addr }, { "job", "t" },
        };
        struct sample smp;

        assert_false(newest(fx, v, 5, &smp));
        v[0].value = "bomb_metric";
        assert_false(newest(fx, v, 5, &smp));
    }
}

/* Server verification: the right CA, a wrong one, a name the
 * certificate lacks, server_name, insecure_skip_verify, min_version. */
/* The number of series in the store. */
static size_t
nseries(const struct fixture *fx)
{
    struct store_stats st;

    store_get_stats(fx->st, &st);
    return st.series;
}

/*
 * An endless body of series never seen before: what its scrape stages is
 * bounded (four times the 4 MiB limit, 16 MiB, comes first here), the
 * scrape fails in Prometheus's words, and the store gains nothing but
 * the synthetic series.
 */
static void
test_endless_fresh_body(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    struct scrape_status s;

    def_init(&t, "127.0.0.1", fx->http.port, "/endless-fresh");
    t.d.body_size_limit = 4 << 20;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "body size limit exceeded (staging "
                                      "it needs over 16 MiB)");
    assert_int_equal(s.samples, 0);
    assert_int_equal(nseries(fx), 5);
    /* With the body cap well below it, the body cap says so. */
    def_init(&t, "127.0.0.1", fx->http.port, "/endless-fresh");
    t.d.body_size_limit = 1 << 20;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "body size limit exceeded (1 MiB)");
    assert_int_equal(nseries(fx), 5);
}

/*
 * Prometheus fails a body that reaches body_size_limit (io.Copy through
 * a LimitReader, then n >= limit): 1024 bytes fail a limit of 1024 and
 * pass one of 1025.
 */
static void
test_body_limit_boundary(void **state)
{
    struct fixture *fx = *state;
    struct tdef t;
    struct scrape_status s;

    def_init(&t, "127.0.0.1", fx->http.port, "/1k");
    t.d.body_size_limit = 1024;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_equal(s.last_error, "body size limit exceeded (1 KiB)");
    t.d.body_size_limit = 1025;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 1);
    assert_float_equal(last_value(fx, t.addr, "a"), 1, 0);
}

static void
test_tls(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;
    char ca[128], ca2[128];
    int port;
    pid_t srv;

    assert_int_equal(make_certs(fx->dir), 0);
    srv = fx->tls = start_https(fx->dir, false, &port);
    assert_true(port > 0);
    snprintf(ca, sizeof(ca), "%s/ca.crt", fx->dir);
    snprintf(ca2, sizeof(ca2), "%s/ca2.crt", fx->dir);

    def_init(&t, "localhost", port, "/metrics");
    t.d.scheme = "https";
    t.http.ca_file = ca;
    s = scrape1(fx, &t);
    assert_string_equal(s.last_error, "");
    assert_int_equal(s.health, 1);
    assert_float_equal(last_value(fx, t.addr, "tls_metric"), 1, 0);

    t.http.min_version = FETCH_TLS13;
    assert_int_equal(scrape1(fx, &t).health, 1);
    t.http.min_version = FETCH_TLS_ANY;

    t.http.ca_file = ca2;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_true(strncmp(s.last_error, "TLS certificate verification "
                        "failed: ", 37) == 0);
    t.http.insecure_skip_verify = true;
    assert_int_equal(scrape1(fx, &t).health, 1);

    /* The certificate names localhost, not 127.0.0.1 ... */
    def_init(&t, "127.0.0.1", port, "/metrics");
    t.d.scheme = "https";
    t.http.ca_file = ca;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_true(strncmp(s.last_error, "TLS certificate verification "
                        "failed: ", 37) == 0);
    /* ... but server_name checks the name it does have. */
    t.http.server_name = "only.promdeck.test";
    s = scrape1(fx, &t);
    assert_string_equal(s.last_error, "");
    {
        char want[96];

        snprintf(want, sizeof(want), "https://127.0.0.1:%d/metrics", port);
        assert_string_equal(s.url, want);
    }
    stop(srv);
    fx->tls = 0;
}

/* A server that requires a client certificate. */
static void
test_tls_client_cert(void **state)
{
    struct fixture *fx = *state;
    struct scrape_status s;
    struct tdef t;
    char ca[128], cert[128], key[128];
    int port;
    pid_t srv;

    assert_int_equal(make_certs(fx->dir), 0);
    srv = fx->tls = start_https(fx->dir, true, &port);
    assert_true(port > 0);
    snprintf(ca, sizeof(ca), "%s/ca.crt", fx->dir);
    snprintf(cert, sizeof(cert), "%s/cli.crt", fx->dir);
    snprintf(key, sizeof(key), "%s/cli.key", fx->dir);

    def_init(&t, "localhost", port, "/metrics");
    t.d.scheme = "https";
    t.http.ca_file = ca;
    s = scrape1(fx, &t);
    assert_int_equal(s.health, 2);
    assert_string_not_equal(s.last_error, "");

    t.http.cert_file = cert;
    t.http.key_file = key;
    s = scrape1(fx, &t);
    assert_string_equal(s.last_error, "");
    assert_float_equal(last_value(fx, t.addr, "tls_metric"), 1, 0);
    stop(srv);
    fx->tls = 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_basic_auth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bearer_auth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proxy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_url_secret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redirects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_alive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_honor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endless_fresh_body, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_body_limit_boundary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tls_client_cert, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
