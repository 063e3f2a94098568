/*
 * HTTP fetching: libcurl's multi interface driven from promdeck's one
 * event loop. A connection (one per target, or per API client) keeps its
 * easy handle, and so its keep-alive connection, from request to request;
 * it never lends that connection to another.
 * Bodies are streamed to a callback as they arrive; nothing here buffers a
 * body, parses it or knows about targets. Scrapes are plain GETs with the
 * scrape headers; API requests (a remote Prometheus, Alertmanager, the
 * Docker socket) set the request fields marked "API" below. This is the
 * only file set that sees libcurl.
 *
 * Ownership: the caller owns a fetch and its connections and frees every
 * connection before the fetch. fetch_start copies the request; the
 * callbacks' ctx is borrowed until the transfer ends or the connection is
 * freed. Callbacks may start transfers on other connections, but must not
 * free any connection or the fetch.
 */
#ifndef SCRAPE_FETCH_H
#define SCRAPE_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The body size cap when a request gives none: 64 MiB. */
#define FETCH_DEFAULT_MAX_BODY ((size_t)64 << 20)

struct fetch;
struct fetch_conn;

/* ORDER tls: the TLS versions min_version names, TLS10 to TLS13. */
enum fetch_tls {
    FETCH_TLS_ANY, FETCH_TLS10, FETCH_TLS11, FETCH_TLS12, FETCH_TLS13
};

/*
 * How to talk to a target: Prometheus's HTTP client config. NULL strings
 * are unset. Secret files are read at every request, so a rotated token
 * is picked up; their contents, passwords, credentials and the proxy's
 * password never appear in an error text.
 */
struct fetch_http {
    bool follow_redirects;      /* Prometheus's default: true */
    bool enable_http2;          /* true: HTTP/2 over TLS when offered */
    const char *proxy_url;
    const char *username;       /* basic_auth, when set */
    const char *password, *password_file;
    const char *auth_type;      /* authorization, when set: "Bearer" */
    const char *credentials, *credentials_file;
    const char *ca_file, *cert_file, *key_file, *server_name;
    bool insecure_skip_verify;
    enum fetch_tls min_version;
};

/* Makes dst an owned deep copy of src (dst holds nothing before). */
void fetch_http_copy(struct fetch_http *dst, const struct fetch_http *src);
/* Wipes (some are secrets) and frees the strings of an owned fetch_http,
 * one built by fetch_http_copy or by the config loader, and zeroes it. */
void fetch_http_fini(struct fetch_http *h);

struct fetch_request {
    const char *url;
    int64_t timeout_ms;     /* whole transfer, connect included; > 0 */
    size_t max_body;        /* bytes after decoding, a body this long
                               fails; 0: the default; SIZE_MAX: none */
    const struct fetch_http *http;  /* NULL: plain defaults */

    /* API: all zero for a scrape. Strings are borrowed for the call. */
    const char *method;     /* NULL: GET, or POST when body is set */
    const char *body;       /* request body of body_len bytes, or NULL */
    size_t body_len;
    const char *body_type;  /* the body's Content-Type, or NULL */
    const char *accept;     /* this Accept instead of the scrape's
                               Accept and timeout headers */
    const char *const *headers;     /* more "Name: value" lines, NULL-ended */
    const char *unix_socket;        /* connect to this socket path; the
                                       URL then names host and path only */
    bool any_status;        /* every response's body goes to data and
                               done has no error; fetch_conn_status says
                               which status it was */
    bool stream;            /* a long-lived answer (an event stream):
                               timeout_ms bounds the connection only and
                               the body runs until the server or
                               fetch_conn_free ends it; give max_body
                               SIZE_MAX and keep the data callback's
                               memory bounded */
};

struct fetch_callbacks {
    void *ctx;
    /*
     * Called once per successful response (HTTP 200) before its first
     * body byte, or before done when the body is empty. content_type is
     * the header's value, NULL when absent; borrowed for the call.
     */
    void (*headers)(void *ctx, const char *content_type);
    /* Called for each piece of the body; non-zero aborts the transfer. */
    int (*data)(void *ctx, const char *p, size_t n);
    /*
     * Called once when the transfer ends: error is NULL on success, else
     * a short text without URL or credentials ("connection refused",
     * "timeout after 10s", "HTTP 500 Internal Server Error", "body size
     * limit exceeded (64 MiB)", "aborted by the receiver").
     */
    void (*done)(void *ctx, const char *error);
};

/* A fetcher with its own multi handle; NULL only if libcurl fails init. */
struct fetch *fetch_new(void);
/* Frees the fetcher; all its connections must be freed already. */
void fetch_free(struct fetch *f);

/* A connection for one target, idle until fetch_start. */
struct fetch_conn *fetch_conn_new(struct fetch *f);
/* Cancels a running transfer (done is not called), closes the
 * connection c kept alive and frees c. */
void fetch_conn_free(struct fetch_conn *c);

/* The HTTP status of c's last response, 0 before one arrived. */
long fetch_conn_status(const struct fetch_conn *c);

/*
 * Starts a request for req->url on c: a GET with the scrape headers
 * (Accept for OpenMetrics and text, gzip, the scrape timeout, the
 * User-Agent), or the request req's API fields describe, with req->http's
 * auth, TLS, proxy and redirect settings. req and its strings are
 * borrowed for the call only. c must be idle. Returns 0, or -1 when the
 * request cannot start (a bad URL, an unreadable secret file): then done
 * has already been called with the reason.
 */
int fetch_start(struct fetch_conn *c, const struct fetch_request *req,
                const struct fetch_callbacks *cb);

/*
 * Waits up to timeout_ms, and no longer than curl's next timeout, for
 * activity on the sockets of the transfers in flight or for extra_fd
 * (< 0: none) to become readable or hang up; *extra_ready says whether
 * it did. A signal ends the wait early. One poll() call, and nothing
 * else: what it saw is for the next pump. Returns 0, or -1 when polling
 * failed.
 */
int fetch_wait(struct fetch *f, int extra_fd, int timeout_ms,
               bool *extra_ready);
/*
 * Moves along the transfers whose sockets the last fetch_wait saw active
 * or whose timeouts are due, and calls done for each one that finished.
 * Without a fetch_wait since the last pump it looks at the sockets
 * itself, without waiting.
 */
void fetch_pump(struct fetch *f);

/* Asked between pieces of work in fetch_pump_until: true to stop. */
typedef bool (*fetch_stop_fn)(void *ctx);

/*
 * fetch_pump that stops once stop(ctx) says so, asked before each piece
 * of a body goes to its data callback and before each finished transfer
 * is reported: the rest waits for the next pump (the finished transfers
 * in the order they finished, a body where it stopped, kept by curl), and
 * the next fetch_wait does not wait. Nothing is lost and each transfer's
 * bytes keep their order; a transfer held this way still counts against
 * its timeout. stop NULL: as fetch_pump.
 */
void fetch_pump_until(struct fetch *f, fetch_stop_fn stop, void *ctx);
/* Transfers in flight. */
size_t fetch_running(const struct fetch *f);

#endif
