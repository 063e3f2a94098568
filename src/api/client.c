/*
 * The Prometheus HTTP API client: a small pool of fetch connections per
 * server (libcurl's multi handle shares their keep-alive connections), a
 * queue for requests beyond it, and the JSON envelope every answer comes
 * in ({"status":"success","data":...} or {"status":"error","errorType":
 * ...,"error":...}). It does not interpret "data" and never blocks.
 */
#include "src/api/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

/* Requests in flight per server at once, as browsers (and so Grafana)
 * limit them per host; the rest wait in the queue. */
#define MAX_SLOTS 6

struct slot {
    struct api_client *c;
    struct fetch_conn *conn;
    struct api_req *req;        /* the request in flight, or NULL */
    bool delivering;            /* inside its done callback: fetch lets
                                 * callbacks start transfers only on
                                 * other connections */
    struct buf body;
};

struct api_req {
    struct api_client *c;
    char *path;
    char *form;                 /* POST body, or NULL for a GET */
    api_done_fn done;           /* NULL once cancelled */
    void *ctx;
    struct slot *slot;          /* NULL while queued */
    struct api_req *next;       /* the queue */
};

struct api_client {
    struct fetch *fetch;
    char *base;                 /* the URL requests go to, no userinfo */
    char *shown;                /* the URL for users */
    char *unix_socket;
    struct fetch_http http;
    char **headers;             /* NULL-ended */
    int64_t timeout_ms;
    struct slot slots[MAX_SLOTS];
    struct api_req *queue, *queue_tail;
    size_t pending;
    char *down;                 /* why the server is unreachable */
    uint64_t bytes;
};

static void start_queued(struct api_client *c);

/* A copy of NULL-ended lines. */
static char **
copy_lines(const char *const *v)
{
    size_t n = 0;
    char **out;

    while (v != NULL && v[n] != NULL)
        n++;
    out = xcalloc(n + 1, sizeof(*out));
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

/*
 * Splits user:password@ out of url's authority into c->http's basic
 * auth (unless the settings set auth already) and keeps the rest as the
 * base URL, without a trailing slash. -1 for a scheme other than http
 * or https.
 */
static int
set_url(struct api_client *c, const char *url)
{
    const char *auth, *end, *at;
    size_t len;

    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return -1;
    auth = strstr(url, "://") + 3;
    end = auth + strcspn(auth, "/?#");
    at = memchr(auth, '@', (size_t)(end - auth));
    while (at != NULL && memchr(at + 1, '@', (size_t)(end - at - 1)))
        at = memchr(at + 1, '@', (size_t)(end - at - 1));
    if (at != NULL && c->http.username == NULL && c->http.auth_type == NULL) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));

        c->http.username = xstrndup(auth, (size_t)((colon ? colon : at)
                                                   - auth));
        if (colon != NULL)
            c->http.password = xstrndup(colon + 1, (size_t)(at - colon - 1));
    }
    c->base = at == NULL ? xstrdup(url)
              : xasprintf("%.*s%s", (int)(auth - url), url, at + 1);
    len = strcspn(c->base, "?#");
    c->base[len] = '\0';
    while (len > 0 && c->base[len - 1] == '/')
        c->base[--len] = '\0';
    c->shown = xstrdup(c->base);
    return 0;
}

struct api_client *
api_client_new(struct fetch *f, const struct api_settings *s, char **err)
{
    struct api_client *c = xcalloc(1, sizeof(*c));

    c->fetch = f;
    if (s->http != NULL) {
        fetch_http_copy(&c->http, s->http);
    } else {
        c->http.follow_redirects = true;
        c->http.enable_http2 = true;
    }
    if (set_url(c, s->url) < 0) {
        *err = xasprintf("%s: expected an http:// or https:// URL", s->url);
        api_client_free(c);
        return NULL;
    }
    if (s->unix_socket != NULL) {
        c->unix_socket = xstrdup(s->unix_socket);
        free(c->shown);
        c->shown = xasprintf("unix:%s", s->unix_socket);
    }
    c->headers = copy_lines(s->headers);
    c->timeout_ms = s->timeout_ms > 0 ? s->timeout_ms : API_DEFAULT_TIMEOUT_MS;
    for (size_t i = 0; i < MAX_SLOTS; i++) {
        c->slots[i].c = c;
        buf_init(&c->slots[i].body, FETCH_DEFAULT_MAX_BODY);
    }
    return c;
}

static void
req_free(struct api_req *r)
{
    free(r->path);
    free(r->form);
    free(r);
}

void
api_client_free(struct api_client *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < MAX_SLOTS; i++) {
        fetch_conn_free(c->slots[i].conn);
        if (c->slots[i].req != NULL)
            req_free(c->slots[i].req);
        buf_fini(&c->slots[i].body);
    }
    while (c->queue != NULL) {
        struct api_req *r = c->queue;

        c->queue = r->next;
        req_free(r);
    }
    /* A header may carry a token (X-Api-Key, a tenant's secret). */
    if (c->headers != NULL)
        for (size_t i = 0; c->headers[i] != NULL; i++) {
            memset(c->headers[i], 0, strlen(c->headers[i]));
            free(c->headers[i]);
        }
    free(c->headers);
    fetch_http_fini(&c->http);
    free(c->base);
    free(c->shown);
    free(c->unix_socket);
    free(c->down);
    free(c);
}

/* The reason phrase of the statuses API servers answer with. */
static const char *
reason(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

/* The first line of a body that is not JSON, printable ASCII only and at
 * most 160 bytes, for an error from a proxy or a non-Prometheus server. */
static char *
first_line(const struct buf *b)
{
    size_t n = 0;
    char *out = xmalloc(161);

    for (size_t i = 0; i < b->len && n < 160; i++) {
        char ch = b->data[i];

        if (ch == '\n' || ch == '\r')
            break;
        out[n++] = ch >= 0x20 && ch < 0x7f ? ch : '?';
    }
    out[n] = '\0';
    return out;
}

/* The warnings of an answer, joined by "; ", or NULL. */
static char *
join_warnings(const struct yaml_node *root)
{
    const struct yaml_node *w = yaml_get(root, "warnings");
    struct buf b;

    if (!yaml_is_seq(w) || yaml_seq_size(w) == 0)
        return NULL;
    buf_init(&b, 0);
    for (size_t i = 0; i < yaml_seq_size(w); i++) {
        const char *s = yaml_scalar(yaml_seq_at(w, i));

        if (s != NULL)
            buf_printf(&b, "%s%s", b.len > 0 ? "; " : "", s);
    }
    return buf_steal(&b);
}

/*
 * Reads the envelope of a body that came with status: fills r (data,
 * warnings) and returns the error text for r->error (malloc'd), NULL on
 * success. *root is the tree to free after the callback.
 */
static char *
read_envelope(const struct buf *body, long status, struct api_reply *r,
              struct yaml_node **root)
{
    const char *st, *type, *err;
    struct diag d;

    *root = yaml_load_buf("response", body->data ? body->data : "",
                          body->len, &d);
    st = yaml_scalar(yaml_get(*root, "status"));
    if (st == NULL || !yaml_is_map(*root)) {
        char *line;

        if (status >= 200 && status < 300)
            return *root == NULL ? xasprintf("bad JSON: %d:%d: %s", d.line,
                                             d.col, d.msg)
                   : xstrdup("bad JSON: not a Prometheus API answer");
        line = first_line(body);
        err = xasprintf("HTTP %ld %s%s%s", status, reason(status),
                        *line ? ": " : "", line);
        free(line);
        return (char *)err;
    }
    r->warnings = join_warnings(*root);
    if (strcmp(st, "success") == 0 && status >= 200 && status < 300) {
        r->data = yaml_get(*root, "data");
        return r->data != NULL ? NULL : xstrdup("bad JSON: no data");
    }
    type = yaml_scalar(yaml_get(*root, "errorType"));
    err = yaml_scalar(yaml_get(*root, "error"));
    r->error_type = type;
    r->server_error = err;
    return xasprintf("HTTP %ld: %s%s%s", status, type ? type : "",
                     type ? ": " : "", err ? err : reason(status));
}

/* The fetch callbacks of a slot: the body is kept whole (API answers are
 * JSON trees; the fetch caps their size). */
static int
on_data(void *ctx, const char *p, size_t n)
{
    struct slot *s = ctx;

    s->c->bytes += n;
    return buf_append(&s->body, p, n);
}

/* Hands a finished request its reply, then frees it. */
static void
deliver(struct api_req *req, struct api_reply *r)
{
    struct api_client *c = req->c;

    c->pending--;
    free(c->down);
    c->down = r->reached ? NULL : xstrdup(r->error ? r->error : "");
    if (req->done != NULL)
        req->done(req->ctx, r);
    req_free(req);
}

static void
on_done(void *ctx, const char *error)
{
    struct slot *s = ctx;
    struct api_req *req = s->req;
    struct api_reply r = { 0 };
    struct yaml_node *root = NULL;
    char *err = NULL;

    s->req = NULL;
    s->delivering = true;
    r.status = fetch_conn_status(s->conn);
    if (error != NULL) {
        r.error = err = xstrdup(error);
    } else {
        r.reached = true;
        r.error = err = read_envelope(&s->body, r.status, &r, &root);
    }
    buf_reset(&s->body);
    deliver(req, &r);
    free(err);
    free((char *)r.warnings);
    yaml_tree_free(root);
    s->delivering = false;
    start_queued(s->c);
}

/* Starts req on the idle slot s; false when it failed at once (done has
 * then run already). */
static bool
start_on(struct slot *s, struct api_req *req)
{
    struct api_client *c = s->c;
    char *url = xasprintf("%s%s", c->base, req->path);
    struct fetch_request fr = {
        .url = url, .timeout_ms = c->timeout_ms, .http = &c->http,
        .method = req->form != NULL ? "POST" : "GET",
        .body = req->form, .body_len = req->form ? strlen(req->form) : 0,
        .body_type = req->form ? "application/x-www-form-urlencoded" : NULL,
        .accept = "application/json",
        .headers = (const char *const *)c->headers,
        .unix_socket = c->unix_socket, .any_status = true,
    };
    struct fetch_callbacks cb = { s, NULL, on_data, on_done };
    bool started;

    if (s->conn == NULL)
        s->conn = fetch_conn_new(c->fetch);
    s->req = req;
    req->slot = s;
    /* On failure on_done has run (and freed req) inside fetch_start. */
    started = fetch_start(s->conn, &fr, &cb) == 0;
    free(url);
    return started;
}

static struct slot *
idle_slot(struct api_client *c)
{
    for (size_t i = 0; i < MAX_SLOTS; i++)
        if (c->slots[i].req == NULL && !c->slots[i].delivering)
            return &c->slots[i];
    return NULL;
}

/* Moves queued requests onto idle slots. */
static void
start_queued(struct api_client *c)
{
    struct slot *s;

    while (c->queue != NULL && (s = idle_slot(c)) != NULL) {
        struct api_req *r = c->queue;

        c->queue = r->next;
        if (c->queue == NULL)
            c->queue_tail = NULL;
        r->next = NULL;
        start_on(s, r);
    }
}

struct api_req *
api_client_request(struct api_client *c, const char *path,
                   const char *form, api_done_fn done, void *ctx)
{
    struct api_req *r = xcalloc(1, sizeof(*r));
    struct slot *s;

    r->c = c;
    r->path = xstrdup(path);
    r->form = form != NULL ? xstrdup(form) : NULL;
    r->done = done;
    r->ctx = ctx;
    c->pending++;
    /* A request that cannot even start (a bad URL, an unreadable
     * secret file) has had its answer when start_on returns. */
    if (c->queue == NULL && (s = idle_slot(c)) != NULL)
        return start_on(s, r) ? r : NULL;
    if (c->queue_tail != NULL)
        c->queue_tail->next = r;
    else
        c->queue = r;
    c->queue_tail = r;
    return r;
}

void
api_client_cancel(struct api_req *r)
{
    struct api_client *c;

    if (r == NULL)
        return;
    c = r->c;
    if (r->slot != NULL) {      /* in flight: dropped when it ends */
        r->done = NULL;
        return;
    }
    for (struct api_req **p = &c->queue; *p != NULL; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            if (c->queue_tail == r) {
                c->queue_tail = NULL;
                for (struct api_req *q = c->queue; q != NULL; q = q->next)
                    c->queue_tail = q;
            }
            break;
        }
    c->pending--;
    req_free(r);
}

size_t
api_client_pending(const struct api_client *c)
{
    return c->pending;
}

const char *
api_client_down(const struct api_client *c)
{
    return c->down;
}

uint64_t
api_client_bytes(const struct api_client *c)
{
    return c->bytes;
}

const char *
api_client_url(const struct api_client *c)
{
    return c->shown;
}

void
api_client_form(struct buf *out, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *parts[2] = { name, value };

    if (out->len > 0)
        buf_putc(out, '&');
    for (int k = 0; k < 2; k++) {
        if (k == 1)
            buf_putc(out, '=');
        for (const unsigned char *p = (const unsigned char *)parts[k];
             *p != '\0'; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
                || (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
                buf_putc(out, (char)*p);
            } else if (*p == ' ') {
                buf_putc(out, '+');
            } else {
                buf_putc(out, '%');
                buf_putc(out, hex[*p >> 4]);
                buf_putc(out, hex[*p & 15]);
            }
        }
    }
}

void
api_client_form_time(struct buf *out, const char *name, int64_t ms)
{
    char t[32];
    int64_t s = ms / 1000, frac = ms % 1000;

    if (frac < 0) {
        s--;
        frac += 1000;
    }
    if (frac == 0)
        snprintf(t, sizeof t, "%lld", (long long)s);
    else
        snprintf(t, sizeof t, "%lld.%03lld", (long long)s, (long long)frac);
    api_client_form(out, name, t);
}
