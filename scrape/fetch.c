/*
 * Transfers over libcurl's multi interface. Each connection reuses one
 * easy handle, so curl keeps its connection alive between requests;
 * bodies stream through to the caller with a hard size cap. Auth, TLS,
 * proxy and redirects follow Prometheus's HTTP client config. It does not
 * retry, and never shows curl's own messages, which can hold URLs.
 *
 * curl is driven by its socket interface (curl_multi_socket_action, as
 * in curl's docs/examples/multi-event.c, with poll instead of an event
 * library): curl says which sockets to watch, the wait polls exactly
 * those until curl's next timeout at the latest, and the pump tells curl
 * only about the sockets that had events and a timeout that expired.
 * curl_multi_perform would look at every transfer's socket on every pump
 * instead. curl's next timeout is asked of curl_multi_timeout when it
 * is needed rather than kept from CURLMOPT_TIMERFUNCTION's calls: with
 * libcurl 7.88 a deadline kept that way went stale (the last call said
 * 0, curl_multi_timeout said -1 and no call followed), and every wait
 * returned at once.
 *
 * Each connection has its own connection cache, a curl share of
 * CURL_LOCK_DATA_CONNECT, rather than the multi handle's one cache for
 * all. libcurl 7.88 walks the whole cache of a transfer at every
 * curl_multi_remove_handle until it meets the connection it last used
 * (in case that was connect-only), and checks every idle connection of a
 * cache with a poll() once a second: with one cache for 1,000 targets
 * that was 500 entries walked per finished scrape on average and 1,000
 * polls a second.
 * With a cache each, both look at the target's one connection, and
 * freeing a connection closes its socket at once instead of leaving it
 * idle in a shared cache.
 */
#include "scrape/fetch.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "src/base/version.h"
#include "src/base/xalloc.h"

#define ACCEPT_HEADER \
    "Accept: application/openmetrics-text;version=1.0.0," \
    "application/openmetrics-text;version=0.0.1;q=0.75," \
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

/* The largest secret file read (a token, a password). */
#define MAX_SECRET ((size_t)64 << 10)
/* Go's http.Client gives up after this many redirects. */
#define MAX_REDIRECTS 10L
/* Idle connections one connection's cache keeps: its host's, and the
 * one a redirect to another host leads to. */
#define MAX_CACHED 2L

/* Why a transfer was cut short by us rather than by curl. */
enum fetch_abort { ABORT_NONE, ABORT_TOO_BIG, ABORT_RECEIVER };

/*
 * watch holds the sockets curl asked to be watched (on_socket keeps it),
 * with room for one more: fetch_wait's extra fd goes after them. seen is
 * what the last look at them found, for the next pump to hand to curl;
 * it is a copy, since curl changes watch while it works.
 */
struct fetch {
    CURLM *multi;
    size_t running;         /* connections with a transfer in flight */
    size_t conns;           /* connections alive; 0 at fetch_free */
    struct pollfd *watch, *seen;
    size_t nwatch, nseen, capwatch;
    bool looked;            /* seen is from a wait no pump used yet */
    /* fetch_pump_until's hook, set for the length of the pump. */
    fetch_stop_fn stop;
    void *stop_ctx;
    bool stopped;           /* the hook said stop in this pump */
    bool held;              /* the last pump left work for the next */
    struct fetch_conn **paused;     /* transfers held mid-body */
    size_t npaused, cappaused;
};

/*
 * Invariant: busy is true exactly while easy is added to f->multi. The
 * response fields (status, reason, ctype, received, abort) describe the
 * current transfer and are reset by fetch_start.
 */
struct fetch_conn {
    struct fetch *f;
    CURL *easy;
    CURLSH *share;              /* easy's own connection cache */
    struct curl_slist *hdrs;
    struct curl_slist *connect_to;  /* server_name's mapping, or NULL */
    int64_t timeout_ms;
    size_t max_body;
    struct fetch_callbacks cb;
    bool busy;
    bool paused;                /* in f->paused, its body held */
    bool headers_sent;
    enum fetch_abort abort;
    long status;
    bool any_status;            /* pass on every status's body */
    size_t received;
    char *secret[3];            /* this request's secrets, for scrubbing */
    char *url;                  /* the URL asked for, maybe renamed */
    char reason[64];
    char ctype[256];
    char err[400];
    char errbuf[CURL_ERROR_SIZE];
};

/* The index of s in f->watch, or f->nwatch when it is not there. */
static size_t
find_watch(const struct fetch *f, curl_socket_t s)
{
    size_t i;

    for (i = 0; i < f->nwatch; i++)
        if (f->watch[i].fd == s)
            break;
    return i;
}

/*
 * CURLMOPT_SOCKETFUNCTION: what curl wants to hear about socket s now.
 * Only transfers in flight have sockets here; idle kept-alive
 * connections are not watched (curl checks one when it reuses it).
 */
static int
on_socket(CURL *easy, curl_socket_t s, int what, void *ctx, void *sockp)
{
    struct fetch *f = ctx;
    size_t i = find_watch(f, s);

    (void)easy;
    (void)sockp;
    if (what == CURL_POLL_REMOVE) {
        if (i < f->nwatch)
            f->watch[i] = f->watch[--f->nwatch];
        return 0;
    }
    if (i == f->nwatch) {
        /* Two spare: this socket and fetch_wait's extra fd. */
        if (f->nwatch + 2 > f->capwatch) {
            f->capwatch = 2 * f->capwatch;
            f->watch = xreallocarray(f->watch, f->capwatch,
                                     sizeof(*f->watch));
            f->seen = xreallocarray(f->seen, f->capwatch,
                                    sizeof(*f->seen));
        }
        f->watch[f->nwatch++].fd = s;
    }
    f->watch[i].events = (short)(((what & CURL_POLL_IN) ? POLLIN : 0) |
                                 ((what & CURL_POLL_OUT) ? POLLOUT : 0));
    f->watch[i].revents = 0;
    return 0;
}

/* Milliseconds until curl wants CURL_SOCKET_TIMEOUT: 0 now, -1 never. */
static long
curl_timeout(const struct fetch *f)
{
    long ms = -1;

    if (curl_multi_timeout(f->multi, &ms) != CURLM_OK)
        ms = 0;
    return ms;
}

struct fetch *
fetch_new(void)
{
    static bool global_done;
    struct fetch *f;

    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        global_done = true;
    }
    f = xcalloc(1, sizeof(*f));
    f->multi = curl_multi_init();
    if (f->multi == NULL) {
        free(f);
        return NULL;
    }
    f->capwatch = 16;
    f->watch = xreallocarray(NULL, f->capwatch, sizeof(*f->watch));
    f->seen = xreallocarray(NULL, f->capwatch, sizeof(*f->seen));
    curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
    /* The limit applies to each connection's own cache. */
    curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, MAX_CACHED);
    return f;
}

void
fetch_free(struct fetch *f)
{
    if (f == NULL)
        return;
    assert(f->conns == 0);
    /* Closing the cached connections still tells on_socket. */
    curl_multi_cleanup(f->multi);
    free(f->watch);
    free(f->seen);
    free(f->paused);
    free(f);
}

/* Copies the trimmed bytes [p, p+n) into dst (truncating), NUL-ended. */
static void
copy_trimmed(char *dst, size_t cap, const char *p, size_t n)
{
    while (n > 0 && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n' ||
                     p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, p, n);
    dst[n] = '\0';
}

/*
 * status-line = "HTTP/" version SP code [SP reason] CRLF
 * header      = name ":" value CRLF
 * Only the status line and Content-Type matter. A new status line (after
 * a 100 Continue, say) starts the response over.
 */
static size_t
on_header(char *line, size_t size, size_t nitems, void *ctx)
{
    struct fetch_conn *c = ctx;
    size_t n = size * nitems;
    static const char ct[] = "content-type:";
    const char *sp;

    if (n > 5 && memcmp(line, "HTTP/", 5) == 0) {
        c->ctype[0] = '\0';
        c->reason[0] = '\0';
        c->status = 0;
        sp = memchr(line, ' ', n);
        if (sp != NULL && (size_t)(sp - line) + 4 <= n) {
            c->status = strtol(sp + 1, NULL, 10);
            if ((size_t)(sp - line) + 5 < n)
                copy_trimmed(c->reason, sizeof(c->reason), sp + 5,
                             n - (size_t)(sp - line) - 5);
        }
    } else if (n > sizeof(ct) - 1 &&
               strncasecmp(line, ct, sizeof(ct) - 1) == 0) {
        copy_trimmed(c->ctype, sizeof(c->ctype), line + sizeof(ct) - 1,
                     n - (sizeof(ct) - 1));
    }
    return n;
}

static void
send_headers(struct fetch_conn *c)
{
    if (c->headers_sent)
        return;
    c->headers_sent = true;
    if (c->cb.headers != NULL)
        c->cb.headers(c->cb.ctx, c->ctype[0] != '\0' ? c->ctype : NULL);
}

/* Whether the pump is to stop here (fetch_pump_until): once the hook
 * said so, for the rest of the pump. */
static bool
pump_stops(struct fetch *f)
{
    if (!f->stopped && f->stop != NULL && f->stop(f->stop_ctx))
        f->stopped = true;
    return f->stopped;
}

/* The transfer waits, its piece of body kept by curl, until the next
 * pump resumes it. */
static size_t
hold(struct fetch_conn *c)
{
    struct fetch *f = c->f;

    if (!c->paused) {
        if (f->npaused == f->cappaused) {
            f->cappaused = f->cappaused ? 2 * f->cappaused : 16;
            f->paused = xreallocarray(f->paused, f->cappaused,
                                      sizeof(*f->paused));
        }
        f->paused[f->npaused++] = c;
        c->paused = true;
    }
    return CURL_WRITEFUNC_PAUSE;
}

/*
 * Bodies of error responses are drained (so the connection can be kept)
 * but not passed on; every body counts against the cap, measured after
 * gzip decoding so a small compressed bomb cannot get past it. A body
 * that reaches the cap fails, as in Prometheus (n >= body_size_limit).
 */
static size_t
on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
    struct fetch_conn *c = ctx;
    size_t n = size * nmemb;

    /* A status line the header callback could not read: ask curl. */
    if (c->status == 0)
        curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &c->status);
    if ((c->status == 200 || c->any_status) && pump_stops(c->f))
        return hold(c);
    if (n >= c->max_body - c->received) {
        c->abort = ABORT_TOO_BIG;
        return 0;
    }
    c->received += n;
    if (c->status != 200 && !c->any_status)
        return n;
    send_headers(c);
    if (c->cb.data != NULL && c->cb.data(c->cb.ctx, p, n) != 0) {
        c->abort = ABORT_RECEIVER;
        return 0;
    }
    return n;
}

struct fetch_conn *
fetch_conn_new(struct fetch *f)
{
    struct fetch_conn *c = xcalloc(1, sizeof(*c));

    c->f = f;
    c->easy = curl_easy_init();
    c->share = curl_share_init();
    if (c->easy == NULL || c->share == NULL ||
        curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT)
        != CURLSHE_OK)
        xalloc_fatal("cannot set up a libcurl handle", 0);
    f->conns++;
    return c;
}

/* Forgets the secrets of the last request, wiping them first. */
static void
drop_secrets(struct fetch_conn *c)
{
    for (size_t i = 0; i < sizeof(c->secret) / sizeof(c->secret[0]); i++) {
        if (c->secret[i] != NULL)
            memset(c->secret[i], 0, strlen(c->secret[i]));
        free(c->secret[i]);
        c->secret[i] = NULL;
    }
}

/* The header list holds credentials too: wipe it before freeing. */
static void
drop_headers(struct fetch_conn *c)
{
    for (struct curl_slist *l = c->hdrs; l != NULL; l = l->next)
        memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(c->hdrs);
    c->hdrs = NULL;
    curl_slist_free_all(c->connect_to);
    c->connect_to = NULL;
}

void
fetch_conn_free(struct fetch_conn *c)
{
    if (c == NULL)
        return;
    if (c->busy) {
        curl_multi_remove_handle(c->f->multi, c->easy);
        c->f->running--;
    }
    for (size_t i = 0; c->paused && i < c->f->npaused; i++)
        if (c->f->paused[i] == c)
            c->f->paused[i] = c->f->paused[--c->f->npaused];
    curl_easy_cleanup(c->easy);
    /* The easy handle is gone, so the share is free: this closes the
     * connection it kept alive. */
    curl_share_cleanup(c->share);
    drop_headers(c);
    drop_secrets(c);
    free(c->url);
    c->f->conns--;
    free(c);
}

static void
append_header(struct fetch_conn *c, const char *line)
{
    struct curl_slist *l = curl_slist_append(c->hdrs, line);

    if (l == NULL)
        xalloc_fatal("out of memory", 0);
    c->hdrs = l;
}

/*
 * Reads a secret file whole, without surrounding white space (as
 * Prometheus trims it), into the connection's next secret slot. The error
 * names the file and the reason, never what it holds.
 */
static int
read_secret(struct fetch_conn *c, const char *what, const char *path,
            char **out)
{
    FILE *fp = fopen(path, "rb");
    char *s, *p;
    size_t n;

    if (fp == NULL) {
        snprintf(c->err, sizeof(c->err), "cannot read %s %s: %s", what,
                 path, strerror(errno));
        return -1;
    }
    s = xmalloc(MAX_SECRET + 1);
    n = fread(s, 1, MAX_SECRET + 1, fp);
    fclose(fp);
    if (n > MAX_SECRET) {
        free(s);
        snprintf(c->err, sizeof(c->err), "cannot read %s %s: over 64 KiB",
                 what, path);
        return -1;
    }
    s[n] = '\0';
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    for (p = s; isspace((unsigned char)*p); p++)
        continue;
    memmove(s, p, strlen(p) + 1);
    *out = s;
    return 0;
}

/* Keeps a copy of a secret given inline, for scrubbing error texts. */
static char *
keep_secret(const char *s)
{
    return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/*
 * The request headers: for a scrape Accept and the scrape timeout in
 * seconds as Prometheus formats them ("10", "0.5"); for an API request
 * its Accept, Content-Type and own lines; then Authorization when the
 * config has one, its credentials read now if they sit in a file.
 */
static int
set_headers(struct fetch_conn *c, const struct fetch_request *req)
{
    const struct fetch_http *h = req->http;
    char line[96], *cred;

    if (req->accept == NULL) {
        append_header(c, ACCEPT_HEADER);
        snprintf(line, sizeof(line),
                 "X-Prometheus-Scrape-Timeout-Seconds: %g",
                 (double)c->timeout_ms / 1000.0);
        append_header(c, line);
    } else {
        cred = xasprintf("Accept: %s", req->accept);
        append_header(c, cred);
        free(cred);
    }
    if (req->body_type != NULL) {
        cred = xasprintf("Content-Type: %s", req->body_type);
        append_header(c, cred);
        free(cred);
    }
    if (req->body != NULL)
        append_header(c, "Expect:");    /* no 100-continue round trip */
    for (const char *const *l = req->headers; l != NULL && *l != NULL; l++)
        append_header(c, *l);
    if (h == NULL || h->auth_type == NULL)
        return 0;
    if (h->credentials_file != NULL) {
        if (read_secret(c, "credentials_file", h->credentials_file,
                        &c->secret[0]) != 0)
            return -1;
    } else {
        c->secret[0] = keep_secret(h->credentials);
    }
    cred = xasprintf("Authorization: %s %s", h->auth_type,
                     c->secret[0] != NULL ? c->secret[0] : "");
    append_header(c, cred);
    memset(cred, 0, strlen(cred));
    free(cred);
    return 0;
}

/* basic_auth: curl sends it, and only to the host asked for. */
static int
set_basic_auth(struct fetch_conn *c, const struct fetch_http *h)
{
    if (h == NULL || h->username == NULL)
        return 0;
    if (h->password_file != NULL) {
        if (read_secret(c, "password_file", h->password_file,
                        &c->secret[1]) != 0)
            return -1;
    } else {
        c->secret[1] = keep_secret(h->password);
    }
    curl_easy_setopt(c->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(c->easy, CURLOPT_USERNAME, h->username);
    curl_easy_setopt(c->easy, CURLOPT_PASSWORD,
                     c->secret[1] != NULL ? c->secret[1] : "");
    return 0;
}
/* The proxy, if any; its password is kept only to scrub error texts. */
static void
set_proxy(struct fetch_conn *c, const struct fetch_http *h)
{
    CURLU *u;
    char *pw = NULL;

    /* Prometheus ignores http_proxy and friends unless told otherwise. */
    if (h == NULL || h->proxy_url == NULL || *h->proxy_url == '\0') {
        curl_easy_setopt(c->easy, CURLOPT_PROXY, "");
        return;
    }
    curl_easy_setopt(c->easy, CURLOPT_PROXY, h->proxy_url);
    u = curl_url();
    if (u != NULL && curl_url_set(u, CURLUPART_URL, h->proxy_url, 0) ==
        CURLUE_OK && curl_url_get(u, CURLUPART_PASSWORD, &pw,
                                  CURLU_URLDECODE) == CURLUE_OK) {
        c->secret[2] = keep_secret(pw);
        curl_free(pw);
    }
    curl_url_cleanup(u);
}

/*
 * server_name: the TLS name to send and verify differs from the URL's
 * host. curl has no option for that alone, so the URL takes the name,
 * CONNECT_TO sends the connection to the real host, and the Host header
 * keeps the real one, as Go's ServerName does.
 */
static void
rename_server(struct fetch_conn *c, const char *name)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *url = NULL, *line;

    if (u == NULL)
        return;
    if (curl_url_set(u, CURLUPART_URL, c->url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
        CURLUE_OK && curl_url_set(u, CURLUPART_HOST, name, 0) == CURLUE_OK
        && curl_url_get(u, CURLUPART_URL, &url, 0) == CURLUE_OK) {
        line = xasprintf("%s:%s:%s:%s", name, port, host, port);
        c->connect_to = curl_slist_append(NULL, line);
        free(line);
        line = xasprintf("Host: %s:%s", host, port);
        append_header(c, line);
        free(line);
        free(c->url);
        c->url = xstrdup(url);
        curl_easy_setopt(c->easy, CURLOPT_CONNECT_TO, c->connect_to);
    }
    curl_free(host);
    curl_free(port);
    curl_free(url);
    curl_url_cleanup(u);
}

/*
 * TLS as tls_config says. Without min_version, TLS 1.2 is the floor, as
 * in Go's client; HTTP/2 is offered only over TLS and only when enabled.
 */
static void
set_tls(struct fetch_conn *c, const struct fetch_http *h, bool https)
{
    static const long versions[] = {
        CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_TLSv1_0,
        CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_TLSv1_2,
        CURL_SSLVERSION_TLSv1_3,
    };
    bool h2 = h == NULL || h->enable_http2;

    curl_easy_setopt(c->easy, CURLOPT_HTTP_VERSION,
                     h2 && https ? (long)CURL_HTTP_VERSION_2TLS
                                 : (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c->easy, CURLOPT_SSLVERSION,
                     versions[h != NULL ? h->min_version : FETCH_TLS_ANY]);
    if (h == NULL)
        return;
    if (h->ca_file != NULL)
        curl_easy_setopt(c->easy, CURLOPT_CAINFO, h->ca_file);
    if (h->cert_file != NULL)
        curl_easy_setopt(c->easy, CURLOPT_SSLCERT, h->cert_file);
    if (h->key_file != NULL)
        curl_easy_setopt(c->easy, CURLOPT_SSLKEY, h->key_file);
    if (h->insecure_skip_verify) {
        curl_easy_setopt(c->easy, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c->easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (https && h->server_name != NULL && *h->server_name != '\0')
        rename_server(c, h->server_name);
}

/*
 * The options every request has. The handle is reset first, which keeps
 * its live connection, so one target's settings never leak into the
 * next request and keep-alive still works.
 */
static void
set_base(struct fetch_conn *c, const struct fetch_http *h)
{
    char ua[64];
    bool follow = h == NULL || h->follow_redirects;

    curl_easy_reset(c->easy);
    /* curl 7.88's reset keeps the share; setting it again costs little
     * and does not depend on that. */
    curl_easy_setopt(c->easy, CURLOPT_SHARE, c->share);
    snprintf(ua, sizeof(ua), "promdeck/%s", PROMDECK_VERSION);
    curl_easy_setopt(c->easy, CURLOPT_USERAGENT, ua);
    curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->easy, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
    curl_easy_setopt(c->easy, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
    curl_easy_setopt(c->easy, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c->easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(c->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c->easy, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(c->easy, CURLOPT_ERRORBUFFER, c->errbuf);
    curl_easy_setopt(c->easy, CURLOPT_PRIVATE, c);
    curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
}

/* A stream has no end to wait for: only its connection is timed. */
static void
set_stream(struct fetch_conn *c)
{
    curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, 0L);
    curl_easy_setopt(c->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(c->easy, CURLOPT_ACCEPT_ENCODING, NULL);
}

/* An API request's method, body and socket; a scrape has none. */
static void
set_method(struct fetch_conn *c, const struct fetch_request *req)
{
    if (req->body != NULL) {
        curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)req->body_len);
        curl_easy_setopt(c->easy, CURLOPT_COPYPOSTFIELDS, req->body);
    }
    if (req->method != NULL && strcmp(req->method, "GET") != 0 &&
        !(req->body != NULL && strcmp(req->method, "POST") == 0))
        curl_easy_setopt(c->easy, CURLOPT_CUSTOMREQUEST, req->method);
    if (req->unix_socket != NULL)
        curl_easy_setopt(c->easy, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
}

/* Every option of one request; -1 (c->err says why) if it cannot go. */
static int
configure(struct fetch_conn *c, const struct fetch_request *req)
{
    const struct fetch_http *h = req->http;

    drop_headers(c);
    drop_secrets(c);
    free(c->url);
    c->url = xstrdup(req->url);
    set_base(c, req->http);
    if (req->stream)
        set_stream(c);
    if (set_headers(c, req) != 0 || set_basic_auth(c, h) != 0)
        return -1;
    set_method(c, req);
    set_proxy(c, h);
    set_tls(c, h, strncmp(req->url, "https:", 6) == 0);
    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->hdrs);
    curl_easy_setopt(c->easy, CURLOPT_URL, c->url);
    return 0;
}

int
fetch_start(struct fetch_conn *c, const struct fetch_request *req,
            const struct fetch_callbacks *cb)
{
    assert(!c->busy && req->timeout_ms > 0);
    c->cb = *cb;
    c->timeout_ms = req->timeout_ms;
    c->max_body = req->max_body != 0 ? req->max_body
                                     : FETCH_DEFAULT_MAX_BODY;
    c->headers_sent = false;
    c->abort = ABORT_NONE;
    c->status = 0;
    c->any_status = req->any_status;
    c->received = 0;
    c->reason[0] = c->ctype[0] = c->errbuf[0] = c->err[0] = '\0';
    if (configure(c, req) != 0) {
        drop_headers(c);
        drop_secrets(c);
        if (c->cb.done != NULL)
            c->cb.done(c->cb.ctx, c->err);
        return -1;
    }
    if (curl_multi_add_handle(c->f->multi, c->easy) != CURLM_OK) {
        if (c->cb.done != NULL)
            c->cb.done(c->cb.ctx, "cannot start the request");
        return -1;
    }
    c->busy = true;
    c->f->running++;
    return 0;
}

/*
 * Polls curl's sockets, and extra_fd when >= 0, for up to timeout_ms,
 * and keeps in f->seen those that had events. A signal ends the wait
 * early, with nothing seen. Returns poll's answer for extra_fd's slot in
 * *extra, or -1 when poll failed.
 */
static int
look(struct fetch *f, int extra_fd, int timeout_ms, short *extra)
{
    size_t n = f->nwatch;

    *extra = 0;
    f->nseen = 0;
    if (extra_fd >= 0)
        f->watch[n++] = (struct pollfd){ .fd = extra_fd, .events = POLLIN };
    if (poll(f->watch, (nfds_t)n, timeout_ms) < 0)
        return errno == EINTR ? 0 : -1;
    for (size_t i = 0; i < f->nwatch; i++)
        if (f->watch[i].revents != 0)
            f->seen[f->nseen++] = f->watch[i];
    if (extra_fd >= 0)
        *extra = f->watch[f->nwatch].revents;
    return 0;
}

int
fetch_wait(struct fetch *f, int extra_fd, int timeout_ms, bool *extra_ready)
{
    short extra;
    long left = curl_timeout(f);

    if (extra_ready != NULL)
        *extra_ready = false;
    /* Work a stopped pump left is done without waiting. */
    if (timeout_ms < 0 || f->held)
        timeout_ms = 0;
    /* Nor longer than curl's next timeout. */
    if (left >= 0 && left < timeout_ms)
        timeout_ms = (int)left;
    if (look(f, extra_fd, timeout_ms, &extra) != 0)
        return -1;
    f->looked = true;
    /* A hung-up terminal is news too: the caller finds out which. */
    if (extra_ready != NULL && (extra & (POLLIN | POLLHUP | POLLERR |
                                         POLLNVAL)))
        *extra_ready = true;
    return 0;
}

/* Reason phrases for responses that carry none (HTTP/2 and later). */
static const char *
status_text(long code)
{
    switch (code) {
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default:  return "";
    }
}

/* A duration the way Prometheus writes it: "10s", "1m30s", "250ms". */
static void
format_duration(char *out, size_t cap, int64_t ms)
{
    if (ms % 1000 != 0)
        snprintf(out, cap, "%lldms", (long long)ms);
    else if (ms >= 60000 && ms % 60000 != 0)
        snprintf(out, cap, "%lldm%llds", (long long)(ms / 60000),
                 (long long)(ms % 60000 / 1000));
    else if (ms >= 60000)
        snprintf(out, cap, "%lldm", (long long)(ms / 60000));
    else
        snprintf(out, cap, "%llds", (long long)(ms / 1000));
}

/* A byte count in the largest binary unit that divides it: "64 MiB". */
static void
format_size(char *out, size_t cap, size_t n)
{
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(out, cap, "%zu MiB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(out, cap, "%zu KiB", n >> 10);
    else
        snprintf(out, cap, "%zu bytes", n);
}

/* The text for a failed connect, from the socket's errno. */
static void
connect_error(struct fetch_conn *c)
{
    long err = 0;

    curl_easy_getinfo(c->easy, CURLINFO_OS_ERRNO, &err);
    switch (err) {
    case ECONNREFUSED:
        snprintf(c->err, sizeof(c->err), "connection refused");
        break;
    case EHOSTUNREACH:
        snprintf(c->err, sizeof(c->err), "no route to host");
        break;
    case ENETUNREACH:
        snprintf(c->err, sizeof(c->err), "network is unreachable");
        break;
    default:
        if (err != 0)
            snprintf(c->err, sizeof(c->err), "cannot connect: %s",
                     strerror((int)err));
        else
            snprintf(c->err, sizeof(c->err), "cannot connect");
    }
}

/*
 * Replaces every occurrence of this request's secrets in c->err by
 * "<secret>", as Prometheus shows them. Only TLS errors carry curl's own
 * words, and those name certificates, but a secret must never get out.
 */
static void
scrub(struct fetch_conn *c)
{
    char out[sizeof(c->err)];

    for (size_t i = 0; i < sizeof(c->secret) / sizeof(c->secret[0]); i++) {
        const char *sec = c->secret[i], *p = c->err, *hit;
        size_t len = sec != NULL ? strlen(sec) : 0, o = 0;

        if (len == 0)
            continue;
        while ((hit = strstr(p, sec)) != NULL) {
            o += (size_t)snprintf(out + o, sizeof(out) - o, "%.*s<secret>",
                                  (int)(hit - p), p);
            if (o >= sizeof(out))
                o = sizeof(out) - 1;
            p = hit + len;
        }
        snprintf(out + o, sizeof(out) - o, "%s", p);
        memcpy(c->err, out, sizeof(out));
    }
}

/* A TLS failure: what failed, then curl's detail (no URL is in it). */
static void
tls_error(struct fetch_conn *c, CURLcode rc)
{
    const char *what;

    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
        what = "TLS certificate verification failed";
        break;
    case CURLE_SSL_CERTPROBLEM:
        what = "TLS client certificate problem";
        break;
    case CURLE_SSL_CACERT_BADFILE:
        what = "TLS CA file problem";
        break;
    default:
        what = "TLS handshake failed";
    }
    if (c->errbuf[0] != '\0')
        snprintf(c->err, sizeof(c->err), "%s: %s", what, c->errbuf);
    else
        snprintf(c->err, sizeof(c->err), "%s", what);
    scrub(c);
}

/* The errors curl reports without our help, in words of our own. */
static void
curl_error(struct fetch_conn *c, CURLcode rc)
{
    char num[32];

    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        format_duration(num, sizeof(num), c->timeout_ms);
        snprintf(c->err, sizeof(c->err), "timeout after %s", num);
        break;
    case CURLE_COULDNT_CONNECT:
        connect_error(c);
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(c->err, sizeof(c->err), "cannot resolve the host name");
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        snprintf(c->err, sizeof(c->err), "cannot resolve the proxy name");
        break;
    case CURLE_GOT_NOTHING:
        snprintf(c->err, sizeof(c->err),
                 "server closed the connection without a response");
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(c->err, sizeof(c->err), "stopped after %ld redirects",
                 MAX_REDIRECTS);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
        tls_error(c, rc);
        break;
    default:
        snprintf(c->err, sizeof(c->err), "%s", curl_easy_strerror(rc));
    }
}

/*
 * The error text for a finished transfer, or NULL when it succeeded.
 * curl's own messages can hold the URL (and with it credentials), so the
 * text is built from the result code and errno instead.
 */
static const char *
transfer_error(struct fetch_conn *c, CURLcode rc)
{
    char num[32];

    if (c->abort == ABORT_TOO_BIG) {
        format_size(num, sizeof(num), c->max_body);
        snprintf(c->err, sizeof(c->err),
                 "body size limit exceeded (%s)", num);
    } else if (c->abort == ABORT_RECEIVER) {
        snprintf(c->err, sizeof(c->err), "aborted by the receiver");
    } else if (rc != CURLE_OK) {
        curl_error(c, rc);
    } else if (c->status != 200 && !c->any_status) {
        snprintf(c->err, sizeof(c->err), "HTTP %ld %s", c->status,
                 c->reason[0] != '\0' ? c->reason : status_text(c->status));
    } else {
        return NULL;
    }
    return c->err;
}

/* Ends one transfer: takes it off the multi handle, then reports it. */
static void
finish(struct fetch_conn *c, CURLcode rc)
{
    const char *err;

    curl_multi_remove_handle(c->f->multi, c->easy);
    c->busy = false;
    c->f->running--;
    if (c->status == 0 && rc == CURLE_OK)
        curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &c->status);
    err = transfer_error(c, rc);
    if (err == NULL)
        send_headers(c);
    if (c->cb.done != NULL)
        c->cb.done(c->cb.ctx, err);
}

/*
 * The transfers a stopped pump held mid-body go on: curl hands each its
 * kept piece now (which the hook may hold again). One whose receiver
 * refused that piece ends here, since curl would not end it.
 */
static void
resume_held(struct fetch *f)
{
    size_t n = f->npaused;
    struct fetch_conn **v;

    if (n == 0)
        return;
    v = xmalloc(n * sizeof(*v));
    memcpy(v, f->paused, n * sizeof(*v));
    f->npaused = 0;
    for (size_t i = 0; i < n; i++)
        v[i]->paused = false;
    for (size_t i = 0; i < n; i++) {
        CURLcode rc = curl_easy_pause(v[i]->easy, CURLPAUSE_CONT);

        if (rc != CURLE_OK && v[i]->busy && !v[i]->paused)
            finish(v[i], rc);
    }
    free(v);
}

/*
 * curl is told about each socket that had events, then, if its timer
 * expired, about that; a stopped pump tells it nothing more, and the
 * sockets left are seen again by the next wait (poll reports them as
 * long as they have something). Without a wait since the last pump, the
 * sockets are looked at now, without waiting.
 */
static void
act(struct fetch *f)
{
    short none;
    int still;

    if (!f->looked && f->nwatch > 0 && look(f, -1, 0, &none) != 0)
        f->nseen = 0;
    f->looked = false;
    for (size_t i = 0; i < f->nseen && !f->stopped; i++) {
        short r = f->seen[i].revents;
        int bits = ((r & (POLLIN | POLLHUP)) ? CURL_CSELECT_IN : 0) |
                   ((r & POLLOUT) ? CURL_CSELECT_OUT : 0) |
                   ((r & (POLLERR | POLLNVAL)) ? CURL_CSELECT_ERR : 0);

        curl_multi_socket_action(f->multi, f->seen[i].fd, bits, &still);
    }
    f->nseen = 0;
    if (!f->stopped && curl_timeout(f) == 0)
        curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &still);
}

/*
 * Held transfers first, then curl moves along those with socket events
 * or an expired timeout (bodies go to their callbacks as they come),
 * then each finished one is reported, in the order they finished. Once
 * the hook says stop, the rest waits: the finished ones stay in curl's
 * queue, a body arriving is held, sockets not handed over yet are seen
 * again by the next wait.
 */
void
fetch_pump_until(struct fetch *f, fetch_stop_fn stop, void *ctx)
{
    int left;
    CURLMsg *m;
    struct fetch_conn *c;

    f->stop = stop;
    f->stop_ctx = ctx;
    f->stopped = false;
    f->held = false;
    resume_held(f);
    act(f);
    while (!pump_stops(f)
           && (m = curl_multi_info_read(f->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        c = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        finish(c, m->data.result);
    }
    f->held = f->stopped;
    f->stop = NULL;
    f->stopped = false;
}

void
fetch_pump(struct fetch *f)
{
    fetch_pump_until(f, NULL, NULL);
}

long
fetch_conn_status(const struct fetch_conn *c)
{
    return c->status;
}

size_t
fetch_running(const struct fetch *f)
{
    return f->running;
}

/* The number of string fields in a fetch_http. */
#define HTTP_STRINGS 11

/* Pointers to the string fields of h, for copying and freeing them. */
static void
http_strings(struct fetch_http *h, const char **f[HTTP_STRINGS])
{
    f[0] = &h->proxy_url;
    f[1] = &h->username;
    f[2] = &h->password;
    f[3] = &h->password_file;
    f[4] = &h->auth_type;
    f[5] = &h->credentials;
    f[6] = &h->credentials_file;
    f[7] = &h->ca_file;
    f[8] = &h->cert_file;
    f[9] = &h->key_file;
    f[10] = &h->server_name;
}

void
fetch_http_fini(struct fetch_http *h)
{
    const char **f[HTTP_STRINGS];

    http_strings(h, f);
    for (size_t i = 0; i < HTTP_STRINGS; i++)
        if (*f[i] != NULL) {
            memset((char *)*f[i], 0, strlen(*f[i]));
            free((char *)*f[i]);
        }
    memset(h, 0, sizeof(*h));
}

void
fetch_http_copy(struct fetch_http *dst, const struct fetch_http *src)
{
    const char **f[HTTP_STRINGS];

    *dst = *src;
    http_strings(dst, f);
    for (size_t i = 0; i < HTTP_STRINGS; i++)
        if (*f[i] != NULL)
            *f[i] = xstrdup(*f[i]);
}
