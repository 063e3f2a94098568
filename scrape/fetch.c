/*
 * Scrape transfers over libcurl's multi interface. Each connection reuses
 * one easy handle, so curl keeps its connection alive between scrapes;
 * bodies stream through to the caller with a hard size cap. It does not
 * follow redirects, retry, or look at what the body says.
 */
#include "scrape/fetch.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "src/version.h"
#include "src/xalloc.h"

#define ACCEPT_HEADER \
    "Accept: application/openmetrics-text;version=1.0.0," \
    "application/openmetrics-text;version=0.0.1;q=0.75," \
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

/* Why a transfer was cut short by us rather than by curl. */
enum fetch_abort { ABORT_NONE, ABORT_TOO_BIG, ABORT_RECEIVER };

struct fetch {
    CURLM *multi;
    size_t running;         /* connections with a transfer in flight */
    size_t conns;           /* connections alive; 0 at fetch_free */
};

/*
 * Invariant: busy is true exactly while easy is added to f->multi. The
 * response fields (status, reason, ctype, received, abort) describe the
 * current transfer and are reset by fetch_start.
 */
struct fetch_conn {
    struct fetch *f;
    CURL *easy;
    struct curl_slist *hdrs;
    int64_t hdrs_timeout_ms;    /* the timeout hdrs was built for */
    int64_t timeout_ms;
    size_t max_body;
    struct fetch_callbacks cb;
    bool busy;
    bool headers_sent;
    enum fetch_abort abort;
    long status;
    size_t received;
    char reason[64];
    char ctype[256];
    char err[160];
    char errbuf[CURL_ERROR_SIZE];
};

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
    return f;
}

void
fetch_free(struct fetch *f)
{
    if (f == NULL)
        return;
    assert(f->conns == 0);
    curl_multi_cleanup(f->multi);
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

/*
 * Bodies of error responses are drained (so the connection can be kept)
 * but not passed on; every body counts against the cap, measured after
 * gzip decoding so a small compressed bomb cannot get past it.
 */
static size_t
on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
    struct fetch_conn *c = ctx;
    size_t n = size * nmemb;

    if (n > c->max_body - c->received) {
        c->abort = ABORT_TOO_BIG;
        return 0;
    }
    c->received += n;
    /* A status line the header callback could not read: ask curl. */
    if (c->status == 0)
        curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &c->status);
    if (c->status != 200)
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
    char ua[64];

    c->f = f;
    c->easy = curl_easy_init();
    if (c->easy == NULL) {
        fputs("promdeck: curl_easy_init failed\n", stderr);
        abort();
    }
    snprintf(ua, sizeof(ua), "promdeck/%s", PROMDECK_VERSION);
    curl_easy_setopt(c->easy, CURLOPT_USERAGENT, ua);
    curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c->easy, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c->easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(c->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c->easy, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(c->easy, CURLOPT_ERRORBUFFER, c->errbuf);
    curl_easy_setopt(c->easy, CURLOPT_PRIVATE, c);
    /* Prometheus ignores http_proxy and friends unless told otherwise. */
    curl_easy_setopt(c->easy, CURLOPT_PROXY, "");
    f->conns++;
    /* One idle keep-alive connection per target stays in the cache. */
    curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->conns);
    return c;
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
    curl_easy_cleanup(c->easy);
    curl_slist_free_all(c->hdrs);
    c->f->conns--;
    free(c);
}

bool
fetch_conn_busy(const struct fetch_conn *c)
{
    return c->busy;
}

/* Rebuilds the request headers when the scrape timeout changed. */
static void
set_headers(struct fetch_conn *c)
{
    char line[96];

    if (c->hdrs != NULL && c->hdrs_timeout_ms == c->timeout_ms)
        return;
    curl_slist_free_all(c->hdrs);
    c->hdrs = curl_slist_append(NULL, ACCEPT_HEADER);
    /* Seconds as Prometheus formats them: "10", "0.5". */
    snprintf(line, sizeof(line), "X-Prometheus-Scrape-Timeout-Seconds: %g",
             (double)c->timeout_ms / 1000.0);
    c->hdrs = curl_slist_append(c->hdrs, line);
    if (c->hdrs == NULL) {
        fputs("promdeck: out of memory\n", stderr);
        abort();
    }
    c->hdrs_timeout_ms = c->timeout_ms;
    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->hdrs);
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
    c->received = 0;
    c->reason[0] = c->ctype[0] = c->errbuf[0] = '\0';
    set_headers(c);
    curl_easy_setopt(c->easy, CURLOPT_URL, req->url);
    curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
    if (curl_multi_add_handle(c->f->multi, c->easy) != CURLM_OK) {
        if (c->cb.done != NULL)
            c->cb.done(c->cb.ctx, "cannot start the request");
        return -1;
    }
    c->busy = true;
    c->f->running++;
    return 0;
}

int
fetch_wait(struct fetch *f, int extra_fd, int timeout_ms, bool *extra_ready)
{
    struct curl_waitfd wfd = { .fd = extra_fd, .events = CURL_WAIT_POLLIN };
    unsigned n = extra_fd >= 0 ? 1 : 0;

    if (extra_ready != NULL)
        *extra_ready = false;
    if (timeout_ms < 0)
        timeout_ms = 0;
    if (curl_multi_poll(f->multi, n ? &wfd : NULL, n, timeout_ms, NULL)
        != CURLM_OK)
        return -1;
    if (extra_ready != NULL && n && (wfd.revents & CURL_WAIT_POLLIN))
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
        snprintf(c->err, sizeof(c->err), "body over %s limit", num);
    } else if (c->abort == ABORT_RECEIVER) {
        snprintf(c->err, sizeof(c->err), "aborted by the receiver");
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        format_duration(num, sizeof(num), c->timeout_ms);
        snprintf(c->err, sizeof(c->err), "timeout after %s", num);
    } else if (rc == CURLE_COULDNT_CONNECT) {
        connect_error(c);
    } else if (rc == CURLE_COULDNT_RESOLVE_HOST) {
        snprintf(c->err, sizeof(c->err), "cannot resolve the host name");
    } else if (rc == CURLE_GOT_NOTHING) {
        snprintf(c->err, sizeof(c->err),
                 "server closed the connection without a response");
    } else if (rc != CURLE_OK) {
        snprintf(c->err, sizeof(c->err), "%s", curl_easy_strerror(rc));
    } else if (c->status != 200) {
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

void
fetch_pump(struct fetch *f)
{
    int still, left;
    CURLMsg *m;
    struct fetch_conn *c;

    curl_multi_perform(f->multi, &still);
    while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        c = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        finish(c, m->data.result);
    }
}

size_t
fetch_running(const struct fetch *f)
{
    return f->running;
}
