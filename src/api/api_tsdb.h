/*
 * /api/v1/status/tsdb (the head block's figures and its top-10 lists,
 * computed from the store) and /api/v1/status/buildinfo.
 */
#ifndef API_API_TSDB_H
#define API_API_TSDB_H

#include "src/api/http.h"
#include "store/store.h"

/* Walks every series under the read lock: a status page, not a hot path
 * (about a second per million series). */
void api_tsdb_status(const struct store *st, struct http_response *rs);
void api_tsdb_buildinfo(struct http_response *rs);

#endif
