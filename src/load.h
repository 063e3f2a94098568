/*
 * Offline loading: reads a file of Prometheus text or OpenMetrics samples
 * (a saved `curl /metrics`, a fixture such as tests/data/promql/input.om)
 * into the store, for `promdeck query --load FILE` and the tests. It does
 * not scrape, relabel or add the synthetic `up` series.
 *
 * Ownership: the store is borrowed for the call; samples and label strings
 * are copied into it. The path is borrowed too, and a diag filled here
 * points its source at it.
 */
#ifndef SRC_LOAD_H
#define SRC_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "src/base/diag.h"
#include "store/store.h"

/*
 * Loads every sample of the file at path into st, streaming it through the
 * exposition parser in chunks. The format is OpenMetrics when the name
 * ends in .om or .openmetrics or the last non-empty line is "# EOF", else
 * Prometheus text 0.0.4; blank lines after "# EOF" are ignored. A sample
 * without a timestamp gets default_ts_ms.
 * Labels with empty values are dropped, as Prometheus does on ingestion.
 * *nsamples (if not NULL) counts the samples stored. Returns 0, or -1 with
 * d set to the file and line on an unreadable file, a syntax error, or a
 * sample the store refuses (not newer than the series' last one); samples
 * before the error stay in the store. d may be NULL.
 */
int load_file(struct store *st, const char *path, int64_t default_ts_ms,
              size_t *nsamples, struct diag *d);

#endif
