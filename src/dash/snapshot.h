/*
 * The JSON form of `promdeck --once -o json`: the evaluated dashboard and
 * the targets, as the object other tools rely on (see promdeck(1)). It
 * writes to a buf; the caller prints it. (The text form is the UI's own
 * widgets drawn on a plain canvas: ui_render_text.)
 */
#ifndef DASH_SNAPSHOT_H
#define DASH_SNAPSHOT_H

#include "src/base/buf.h"
#include "src/dash/containers.h"
#include "ui/model.h"

/*
 * JSON: {"time", "dashboard", "panels": [{"title", "type", "series":
 * [{"query", "labels", "value", "points"}], "error"?}], "targets": [{"job",
 * "instance", "url", "health", "last_error",
 * "last_scrape_duration_seconds", "labels", "discovered_labels"}]}.
 */
void snapshot_json(const struct dashboard *d, const struct target_row *t,
                   size_t nt, struct buf *out);
/*
 * The same, and after "targets" a "containers" list when c is not NULL:
 * [{"id", "cgroup", "name", "image", "state", "cpu_cores_used",
 * "cpu_quota_cores", "memory_bytes", "memory_limit_bytes",
 * "network_rx_bytes_per_second", "network_tx_bytes_per_second",
 * "block_read_bytes_per_second", "block_write_bytes_per_second",
 * "restarts"}], numbers null when not known (one scrape only, no Docker).
 */
void snapshot_json_containers(const struct dashboard *d,
                              const struct target_row *t, size_t nt,
                              const struct container_table *c, struct buf *out);
#endif
