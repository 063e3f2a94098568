/*
 * The HTTP server of `promdeck serve`, on libmicrohttpd: the only module
 * that includes <microhttpd.h> (and GnuTLS's header, for client
 * certificates). It takes a listening descriptor, runs one thread per
 * connection (a PromQL evaluation blocks the thread that runs it, so no
 * connection waits for another's query; the number of connections is
 * capped), collects a request's parameters and bounded body, checks basic
 * auth and client certificates from the web config, and hands each
 * request to one handler function.
 *
 * Ownership: the server borrows the web config and the handler's context;
 * both must outlive http_stop. A response's body belongs to the server
 * once the handler returns.
 */
#ifndef API_HTTP_H
#define API_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "src/api/params.h"
#include "src/api/webconfig.h"
#include "src/base/buf.h"

/* A request body past this is refused with 413. */
#define HTTP_MAX_BODY (1024 * 1024)
/* The request line and headers together; past this the library answers
 * 414 (URI) or 431 (headers). */
#define HTTP_MAX_HEADER (256 * 1024)

struct http_request {
    const char *method;
    const char *path;               /* decoded, without the query */
    const struct api_params *params;    /* body (form) first, then URL */
    bool accept_gzip;               /* Accept-Encoding allows gzip */
};

struct http_response {
    int status;                     /* 200 unless set */
    const char *content_type;       /* static; NULL: application/json */
    const char *allow;              /* static Allow header for 405, or NULL */
    const char *content_encoding;   /* static ("gzip"), or NULL */
    struct buf body;
};

typedef void (*http_handler)(void *ctx, const struct http_request *rq,
                             struct http_response *rs);
/* Called for lines the library logs (errors); may be NULL. */
typedef void (*http_logger)(const char *msg);

struct http_options {
    int fd;                         /* a listening socket (src/api/listen.h) */
    struct webcfg *web;             /* TLS and basic auth, or NULL */
    unsigned max_connections;       /* 0: 128 */
    http_handler handler;
    void *ctx;
    http_logger log;
};

struct http_server;

/* Starts serving on o->fd (the server closes it at stop). NULL with the
 * reason in err when the library refuses (bad certificate or key). */
struct http_server *http_start(const struct http_options *o, char *err,
                               size_t errsz);
/* Stops accepting, waits for requests in progress, frees everything. */
void http_stop(struct http_server *s);

#endif
