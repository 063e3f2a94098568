/*
 * The Prometheus HTTP API that `promdeck serve` answers, with Prometheus
 * 2.42's paths, parameters, JSON bodies, status codes and error texts:
 * query, query_range, series, labels, label values, targets, rules,
 * alerts, metadata, the status pages, /metrics, /-/healthy, /-/ready and
 * /-/reload; and, when given, exporters' paths (api_add_exposition).
 *
 * Threads: api_handle runs on the HTTP server's threads, many at once.
 * It reads the store only under store_read_lock (store/store.h). What
 * only the loop thread knows (targets, config, rules, its own metrics)
 * the loop publishes as finished text with api_publish; a reload that
 * /-/reload asks for is carried out by the loop thread, which looks
 * with api_reload_pending and answers with api_reload_done.
 *
 * Ownership: the api borrows the store, which must outlive it; published
 * texts are copied.
 */
#ifndef API_API_H
#define API_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/api/http.h"
#include "store/store.h"

struct api_limits {
    int64_t timeout_ms;         /* --query.timeout; <= 0: none */
    int64_t max_samples;        /* --query.max-samples; <= 0: Prometheus's
                                   default, QEVAL_MAX_SAMPLES */
    unsigned max_concurrency;   /* --query.max-concurrency; 0: 20 */
};

/* What the loop publishes: each the "data" of its endpoint, as JSON,
 * except API_DOC_METRICS (Prometheus text, the loop's own figures). */
enum api_doc {
    API_DOC_TARGETS,            /* /api/v1/targets */
    API_DOC_RULES,              /* /api/v1/rules */
    API_DOC_RULES_ALERT,        /* /api/v1/rules?type=alert */
    API_DOC_RULES_RECORD,       /* /api/v1/rules?type=record */
    API_DOC_ALERTS,             /* /api/v1/alerts */
    API_DOC_METADATA,           /* /api/v1/metadata */
    API_DOC_CONFIG,             /* /api/v1/status/config */
    API_DOC_FLAGS,              /* /api/v1/status/flags */
    API_DOC_RUNTIME,            /* /api/v1/status/runtimeinfo */
    API_DOC_METRICS,            /* the loop's part of /metrics */
    API_DOC_COUNT
};

struct api;

/* An API over st; until published, every document is Prometheus's empty
 * answer ({"activeTargets":[],"droppedTargets":[]}, {"groups":[]}...). */
struct api *api_new(struct store *st, const struct api_limits *lim);
/* Frees the api; the HTTP servers using it must be stopped first. */
void api_free(struct api *a);
/* The request handler (an http_handler; ctx is the api). */
void api_handle(void *ctx, const struct http_request *rq,
                struct http_response *rs);
/* Replaces a document (copied); any thread. */
void api_publish(struct api *a, enum api_doc doc, const char *text);
/* Marks the server ready (/-/ready answers 200 from then on). */
void api_set_ready(struct api *a);
/* Evaluations in progress stop (503) and new ones are refused: for
 * shutdown, before the servers stop. */
void api_cancel(struct api *a);

/*
 * Makes one scrape's exposition text (0.0.4) into out: 0, or -1 with the
 * reason in err (the contract of a built-in collector, src/collect/).
 */
typedef int (*api_expose_fn)(void *ctx, struct buf *out, char *err,
                             size_t errsz);

/* At most this many exposition paths. */
#define API_MAX_EXPOSE 8

/*
 * Serves GET path (say /metrics/node) with the text fn makes at each
 * request, as an exporter's /metrics: text 0.0.4, gzip when the client
 * accepts it, 500 with the reason when fn fails. Calls of one path never
 * overlap (fn's state needs no lock of its own). path and ctx are
 * borrowed until api_free. Call before any server starts; false when
 * API_MAX_EXPOSE paths are taken.
 */
bool api_add_exposition(struct api *a, const char *path, api_expose_fn fn,
                        void *ctx);

/* Whether /-/reload waits for a reload; the loop thread reloads, then
 * calls api_reload_done with NULL or why it failed. */
bool api_reload_pending(struct api *a);
void api_reload_done(struct api *a, const char *error);

#endif
