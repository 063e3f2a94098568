/*
 * The targets view, like Prometheus's Status > Targets: discovery
 * errors per job first, then one row per target with its health in
 * colour, job, endpoint, age of the last scrape, duration, samples,
 * labels and last error (both wrapped in their columns, so nothing is
 * cut off unless the terminal is narrow). A selected target expands to
 * its labels before and after relabelling, wrapped in full; the targets
 * that relabelling dropped, with why, follow on request.
 *
 * Ownership: everything is borrowed for the call; targets_state is a
 * plain value the caller keeps.
 */
#ifndef UI_VIEW_TARGETS_H
#define UI_VIEW_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/canvas.h"
#include "ui/model.h"

struct targets_state {
    int sel;            /* selected target; -1: no selection shown */
    int scroll;         /* first content line shown (under the header) */
    bool expanded;      /* the selected target shows its label sets */
    bool all_expanded;  /* every target does (text snapshots) */
    bool dropped;       /* the dropped targets are listed */
};

/*
 * Draws the header and the content from ts->scroll on into r; clamps
 * ts->sel into the targets and ts->scroll so the selection is in view
 * and the last page stays full. Ages are relative to now_ms.
 */
void view_draw_targets(struct canvas *c, struct rect r,
                       const struct target_view *tv,
                       struct targets_state *ts, int64_t now_ms);
/* The lines the whole view takes at width w (the header included). */
int view_targets_height(const struct target_view *tv,
                        const struct targets_state *ts, int w);

#endif
