/*
 * What `promdeck serve`'s loop thread publishes to the API (src/api/api.h)
 * because only it may look at the scrape pool and the config: the
 * targets, the config, the flags, the runtime information and the loop's
 * part of /metrics (store, scrapes, process), each rendered as finished
 * text.
 *
 * Ownership: serve_docs keeps copies of what it needs between calls and
 * frees them in serve_docs_fini; the loop, config and api are borrowed.
 */
#ifndef SRC_SERVE_DOCS_H
#define SRC_SERVE_DOCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/api/api.h"
#include "src/loop.h"

struct serve_docs {
    int64_t start_ms;           /* when serve started */
    int64_t config_ms;          /* when the config last loaded */
    bool config_ok;             /* the last reload worked */
    const char *listen;         /* the addresses, for status/flags */
    /* scrapes seen finishing, per target, for the counters below */
    size_t *seen;
    size_t nseen;
    uint64_t appended;          /* samples of finished scrapes */
    uint64_t scrapes;
    uint64_t duration_hist[12];
    double duration_sum;
};

void serve_docs_init(struct serve_docs *d, const char *listen);
void serve_docs_fini(struct serve_docs *d);
/* The targets were replaced: scrape counting starts afresh. */
void serve_docs_targets_changed(struct serve_docs *d);
/* Publishes targets and /metrics (call about once a second). */
void serve_docs_publish(struct serve_docs *d, struct loop *l, struct api *a);
/* Publishes config, flags and runtime info (at start and each reload). */
void serve_docs_publish_config(struct serve_docs *d, struct loop *l,
                               struct api *a);
/* Appends ms as a JSON string in Go's RFC3339Nano form (UTC, trailing
 * zeros of the fraction dropped; "0001-01-01T00:00:00Z" for 0, Go's zero
 * time). */
void serve_docs_rfc3339(struct buf *b, int64_t ms);

#endif
