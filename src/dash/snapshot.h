/*
 * The JSON form of `promdeck --once -o json`: the evaluated dashboard,
 * the targets, the alerts and the rules, as the object other tools rely
 * on (see promdeck(1)), and the firing alerts for the text form. It
 * writes to a buf; the caller prints it. (The rest of the text form is
 * the UI's own widgets drawn on a plain canvas: ui_render_text.)
 */
#ifndef DASH_SNAPSHOT_H
#define DASH_SNAPSHOT_H

#include "src/base/buf.h"
#include "src/dash/snapshot_host.h"
#include "src/dash/containers.h"
#include "ui/model.h"

/* What a snapshot shows beside the panels and targets. NULL members
 * are left out (rules NULL: the alerts and rules lists are empty). */
struct snapshot_more {
    const struct rule_view *rules;
    const struct snapshot_host *host;
    const struct container_table *containers;
};

/*
 * JSON: {"time", "dashboard", "panels": [{"title", "type", "series":
 * [{"query", "labels", "value", "points"}], "error"?}], "targets": [{"job",
 * "instance", "url", "health", "last_error",
 * "last_scrape_duration_seconds", "labels", "discovered_labels"}],
 * "alerts": [{"name", "state", "labels", "annotations", "active_at",
 * "value", "group"}], "rules": [{"group", "file", "name", "type",
 * "health", "last_error", "last_evaluation", "evaluation_seconds"}]},
 * then "host" (see src/dash/snapshot_host.h) when more->host is set and
 * "containers" when more->containers is: [{"id", "cgroup", "name",
 * "image", "state", "cpu_cores_used", "cpu_quota_cores", "memory_bytes",
 * "memory_limit_bytes", "network_rx_bytes_per_second",
 * "network_tx_bytes_per_second", "block_read_bytes_per_second",
 * "block_write_bytes_per_second", "restarts"}], numbers null when not
 * known (one scrape only, no Docker).
 */
void snapshot_json(const struct dashboard *d, const struct target_row *t,
                   size_t nt, const struct snapshot_more *more,
                   struct buf *out);
/*
 * Text: the firing alerts, one line each (name, labels, value, since
 * when), with their annotations under them, and how many are pending;
 * nothing at all when no rules are loaded. now_ms is the snapshot's
 * time.
 */
void snapshot_alerts_text(const struct rule_view *rv, int64_t now_ms,
                          struct buf *out);
#endif
