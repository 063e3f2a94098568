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
#include "ui/model.h"

/* What a snapshot shows beside the panels and targets. NULL members
 * are left out (rules NULL: the alerts and rules lists are empty). */
struct snapshot_more {
    const struct rule_view *rules;
    const struct snapshot_host *host;
};

/*
 * JSON: {"time", "dashboard", "panels": [{"title", "type", "series":
 * [{"query", "labels", "value", "points"}], "error"?}], "targets": [{"job",
 * "instance", "url", "health", "last_error",
 * "last_scrape_duration_seconds", "labels", "discovered_labels"}],
 * "alerts": [{"name", "state", "labels", "annotations", "active_at",
 * "value", "group"}], "rules": [{"group", "file", "name", "type",
 * "health", "last_error", "last_evaluation", "evaluation_seconds"}]},
 * and "host" (see src/dash/snapshot_host.h) when more->host is set.
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
