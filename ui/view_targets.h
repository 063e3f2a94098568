/*
 * The targets view, like Prometheus's Status > Targets: one row per
 * target with its health in colour, job, instance, labels, the age of
 * the last scrape, its duration, samples and last error.
 *
 * Ownership: everything is borrowed for the call.
 */
#ifndef UI_VIEW_TARGETS_H
#define UI_VIEW_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "ui/canvas.h"
#include "ui/model.h"

/*
 * Draws a header line and the targets from *scroll on into r; *scroll is
 * clamped so the last page stays full. Ages are relative to now_ms.
 */
void view_draw_targets(struct canvas *c, struct rect r,
                       const struct target_row *t, size_t nt, int *scroll,
                       int64_t now_ms);
/* The height the whole list takes: a header and one line per target. */
int view_targets_height(size_t nt);

#endif
