/*
 * The JSON form of `promdeck --once -o json`: the evaluated dashboard and
 * the targets, as the object other tools rely on (see promdeck(1)). It
 * writes to a buf; the caller prints it. (The text form is the UI's own
 * widgets drawn on a plain canvas: ui_render_text.)
 */
#ifndef DASH_SNAPSHOT_H
#define DASH_SNAPSHOT_H

#include "src/base/buf.h"
#include "src/dash/snapshot_host.h"
#include "ui/model.h"

/*
 * JSON: {"time", "dashboard", "panels": [{"title", "type", "series":
 * [{"query", "labels", "value", "points"}], "error"?}], "targets": [{"job",
 * "instance", "url", "health", "last_error",
 * "last_scrape_duration_seconds", "labels", "discovered_labels"}]}, and
 * "host" (see src/dash/snapshot_host.h) when host is not NULL.
 */
void snapshot_json(const struct dashboard *d, const struct target_row *t,
                   size_t nt, const struct snapshot_host *host,
                   struct buf *out);
#endif
