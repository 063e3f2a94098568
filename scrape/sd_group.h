/*
 * Target groups as service discovery hands them over: a list of targets,
 * each a label set holding __address__ and __meta_* labels, plus labels
 * the whole group shares, named by a source unique within its provider.
 * It builds and compares groups; it discovers and relabels nothing.
 *
 * Ownership: a group owns its source, its labels and every string in
 * them; sd_group_fini releases them. Targets are owned label sets
 * (store/labels.h: built with labels_put, released with labels_release).
 */
#ifndef SCRAPE_SD_GROUP_H
#define SCRAPE_SD_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "store/labels.h"

struct sd_group {
    char *source;               /* "name", "path:0", ...; never NULL */
    struct labels labels;       /* the group's labels, sorted */
    struct labels *targets;     /* each sorted, with __address__ */
    size_t ntargets;
};

/* An empty group named source (copied). */
void sd_group_init(struct sd_group *g, const char *source);
/* Releases everything g holds; g may be initialised again. */
void sd_group_fini(struct sd_group *g);
/* Appends an empty target and returns it, to be filled by labels_put
 * and sorted with labels_sort. */
struct labels *sd_group_add_target(struct sd_group *g);
/* Same source, labels and targets, in the same order. */
bool sd_group_equal(const struct sd_group *a, const struct sd_group *b);
/* Moves src into dst (dst is released first); src is left empty. */
void sd_group_move(struct sd_group *dst, struct sd_group *src);

#endif
