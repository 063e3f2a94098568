/*
 * The scrape targets as the screen and the snapshot show them: a copy of
 * the pool's status (one struct target_row per target, labels formatted
 * once and kept as sets too, for JSON), the targets relabelling dropped,
 * and discovery's errors, as one struct target_view (ui/model.h).
 *
 * The loop fills the list every frame, so a fill keeps the row of each
 * target that is still the same one (job, instance, URL, labels and
 * discovered labels as before) and copies only its state: health, the
 * last scrape, its duration, samples and error. At 1,000 targets that is
 * a few string compares per row instead of formatting, parsing and
 * copying every label set again.
 *
 * Ownership: the list owns its rows and strings until the next fill or
 * targets_fini; each row's strings and sets are held in own[] at the
 * row's index.
 */
#ifndef SRC_TARGETS_H
#define SRC_TARGETS_H

#include <stddef.h>

#include "scrape/discovery.h"
#include "scrape/pool.h"
#include "src/api/decode.h"
#include "src/config/config.h"
#include "src/config/config_targets.h"
#include "ui/model.h"

/* What one row owns: the strings and the two sets it points to. */
struct target_own {
    char *job, *instance, *url, *labels, *last_error, *discovered;
    struct labels set;              /* labels, sorted */
    struct labels discovered_set;   /* empty when not known */
};

struct target_list {
    struct target_view view;    /* what the UI and snapshot read */
    size_t up;                  /* how many targets are up */
    struct target_row *rows;
    struct target_own *own;     /* one per row */
    struct dropped_row *dropped;
    char **errors;
    char **strings;             /* what dropped rows and errors point to */
    size_t nstrings;
    struct labels *dropped_sets;    /* one per dropped row */
    size_t ndropped_sets;
};

void targets_init(struct target_list *tl);
void targets_fini(struct target_list *tl);
/* Replaces everything with the pool's status, the dropped targets and
 * the errors of cfg's discovery (disc may be NULL). */
void targets_fill(struct target_list *tl, const struct scrape_pool *pool,
                  const struct config_dropped *dropped, size_t ndropped,
                  const struct discovery *disc, const struct config *cfg);

/* Replaces everything with a server's /api/v1/targets answer t (NULL:
 * none yet); error, when not NULL, is why the last request failed and
 * shows as the view's one error line. */
void targets_fill_api(struct target_list *tl, const struct api_targets *t,
                      const char *error);

#endif
