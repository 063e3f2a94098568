/*
 * A client of the Prometheus HTTP API (Prometheus, Thanos, Mimir,
 * VictoriaMetrics, promdeck serve): requests go out through scrape/fetch
 * on the program's one libcurl multi loop, at most a few at a time per
 * server, and each answer comes back to its own callback, already parsed
 * (the JSON envelope checked, "data" handed over as a tree). Nothing here
 * waits: the loop's fetch_wait and fetch_pump move requests along. What
 * the data means is src/api/decode.h's business.
 *
 * Ownership: the caller owns the client and frees it before the fetch it
 * borrows. api_client_new copies the connection settings. A request is
 * owned by the client; the caller may cancel it until its callback has
 * run, after which the handle is gone. A reply and everything in it is
 * borrowed for the callback only. Callbacks may start and cancel
 * requests, but must not free the client.
 */
#ifndef API_CLIENT_H
#define API_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "src/base/buf.h"
#include "src/base/yaml.h"

/* A request's timeout when the settings give none. */
#define API_DEFAULT_TIMEOUT_MS 30000

struct api_client;
struct api_req;

/* Where the server is and how to talk to it; all borrowed by _new. */
struct api_settings {
    const char *url;            /* base URL: http(s)://host:port[/prefix];
                                 * user:password@ in it is basic auth */
    const char *unix_socket;    /* a Unix socket path, or NULL; url then
                                 * names host and path prefix only */
    const struct fetch_http *http;      /* auth, TLS, proxy; NULL: none */
    const char *const *headers; /* extra "Name: value" lines, NULL-ended,
                                 * or NULL (X-Scope-OrgID: tenant) */
    int64_t timeout_ms;         /* per request; 0: the default */
};

/* What a request came back with; borrowed for the callback. */
struct api_reply {
    /*
     * NULL on success, else one line for the screen: the transport's
     * error ("connection refused", "timeout after 30s"), the server's own
     * error text with its status ("HTTP 400: bad_data: 1:5: parse error:
     * ..."), "HTTP 404 Not Found" for an endpoint the server does not
     * have, or what is wrong with the body ("bad JSON: 1:17: ..."). No
     * URL or secret appears in it.
     */
    const char *error;
    long status;                /* the HTTP status, 0 when none came */
    bool reached;               /* an HTTP answer came (the server is up) */
    const struct yaml_node *data;       /* "data" of a success, else NULL */
    const char *warnings;       /* the answer's warnings joined by "; ",
                                 * or NULL */
    const char *error_type;     /* the server's errorType and error when */
    const char *server_error;   /* it sent an error answer, else NULL */
};

typedef void (*api_done_fn)(void *ctx, const struct api_reply *r);

/*
 * A client of the server settings s name, sending through f (borrowed;
 * it must outlive the client). NULL with *err (malloc'd) when the URL is
 * not http:// or https://.
 */
struct api_client *api_client_new(struct fetch *f,
                                  const struct api_settings *s, char **err);
/* Cancels every request (no callback runs) and frees c; NULL: nothing. */
void api_client_free(struct api_client *c);

/*
 * Queues a request for path ("/api/v1/query_range") on c: a POST with
 * form as its form-encoded body when form is not NULL (Grafana's way for
 * queries; see api_client_form), else a GET. done(ctx, reply) runs once,
 * from fetch_pump, never from inside this call. The handle is valid until
 * then, for api_client_cancel.
 */
struct api_req *api_client_request(struct api_client *c, const char *path,
                                   const char *form, api_done_fn done,
                                   void *ctx);
/* Drops a request that has not answered yet; its callback never runs.
 * NULL does nothing. */
void api_client_cancel(struct api_req *r);

/* Requests queued or in flight. */
size_t api_client_pending(const struct api_client *c);
/*
 * Why the server could not be reached on the last request that ended, or
 * NULL when that request reached it (whatever its status). The loop shows
 * it as a banner. Valid until the next callback.
 */
const char *api_client_down(const struct api_client *c);
/* Response body bytes received so far (after decoding), for the figures
 * the benchmark prints. */
uint64_t api_client_bytes(const struct api_client *c);
/* The base URL as shown to users: without user, password or query. */
const char *api_client_url(const struct api_client *c);

/* Appends name=value, percent-encoded as application/x-www-form-urlencoded
 * (with "&" before it when out is not empty). */
void api_client_form(struct buf *out, const char *name, const char *value);
/* Appends name=T with T a time in seconds, as Grafana writes times. */
void api_client_form_time(struct buf *out, const char *name, int64_t ms);

#endif
