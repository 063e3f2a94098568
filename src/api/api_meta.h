/*
 * The metadata endpoints over the store: /api/v1/series, /api/v1/labels
 * and /api/v1/label/NAME/values, with match[] selectors and start/end as
 * Prometheus 2.42 reads them. Each takes the store's read lock for the
 * time it reads (store/store.h) and writes the whole answer.
 */
#ifndef API_API_META_H
#define API_API_META_H

#include <stddef.h>

#include "query/query.h"
#include "src/api/http.h"
#include "store/store.h"

/*
 * Compiles text, the value of parameter param, as a bare instant vector
 * selector (Prometheus's ParseMetricSelector). skip NULL: at least one
 * matcher must reject "", as match[] wants. Otherwise any selector
 * passes, and *skip says how many leading matchers of the root are not
 * the text's own (0 or 1) and must be ignored. NULL after replying 400
 * with Prometheus's error; the caller frees the query (qparse_free).
 */
struct query *api_meta_selector(const char *param, const char *text,
                                size_t *skip, struct http_response *rs);

void api_meta_series(const struct store *st, const struct api_params *p,
                     struct http_response *rs);
void api_meta_labels(const struct store *st, const struct api_params *p,
                     struct http_response *rs);
/* name is the decoded path segment. */
void api_meta_label_values(const struct store *st, const char *name,
                           const struct api_params *p,
                           struct http_response *rs);

#endif
