/*
 * /api/v1/targets from what the loop thread published: each target's
 * JSON object with its scrape pool, answered with Prometheus 2.42's
 * parameters: state (active, dropped, any; empty: both; anything else:
 * neither) and scrapePool, targets grouped by pool in name order.
 *
 * Ownership: a document copies what it is made from and is immutable
 * afterwards, so any thread may answer from it while the api's lock
 * keeps it alive (src/api/api.c).
 */
#ifndef API_API_TARGETS_H
#define API_API_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "src/api/http.h"

/* One entry of activeTargets or droppedTargets. */
struct api_target_doc {
    const char *pool;           /* its scrape pool (job_name) */
    const char *json;           /* the whole object, {...} */
    bool dropped;
};

struct api_targets_doc;

/* A document of the n entries (copied). */
struct api_targets_doc *api_targets_doc_new(const struct api_target_doc *v,
                                            size_t n);
void api_targets_doc_free(struct api_targets_doc *d);
/* The answer to GET /api/v1/targets; d NULL: no target at all. */
void api_targets_reply(const struct api_targets_doc *d,
                       const struct api_params *p, struct http_response *rs);

#endif
