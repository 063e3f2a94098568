/*
 * /api/v1/metadata and /api/v1/targets/metadata over the scrape pool's
 * metadata registry (scrape/meta.h), with Prometheus 2.42's parameters
 * (limit, metric, match_target), JSON and errors. limit_per_metric came
 * after 2.42, which ignores it, and so does this.
 *
 * Threads: any HTTP thread; each request takes a view of the registry
 * and writes its answer from it, holding no lock meanwhile.
 */
#ifndef API_API_METADATA_H
#define API_API_METADATA_H

#include "scrape/meta.h"
#include "src/api/http.h"

/* reg NULL (nothing scrapes): no target, so {} and []. */
void api_metadata_metrics(struct meta_reg *reg, const struct api_params *p,
                          struct http_response *rs);
void api_metadata_targets(struct meta_reg *reg, const struct api_params *p,
                          struct http_response *rs);

#endif
