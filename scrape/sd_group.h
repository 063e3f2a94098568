/*
 * Target groups as service discovery hands them over: a list of targets,
 * each a label set holding __address__ and __meta_* labels, plus labels
 * the whole group shares, named by a source unique within its provider.
 * It builds and compares groups; it discovers and relabels nothing.
 *
 * Ownership: a group owns its source, its labels and every string in
 * them; sd_group_fini releases them. Label sets built with sd_labels_add
 * own copies of their strings and are released with sd_labels_free.
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
/* Appends an empty target and returns it, to be filled by sd_labels_add
 * and sorted with labels_sort. */
struct labels *sd_group_add_target(struct sd_group *g);
/* Same source, labels and targets, in the same order. */
bool sd_group_equal(const struct sd_group *a, const struct sd_group *b);
/* Moves src into dst (dst is released first); src is left empty. */
void sd_group_move(struct sd_group *dst, struct sd_group *src);

/* Sets name to a copy of value in ls, replacing a value it already has.
 * The set is left unsorted when the name is new. */
void sd_labels_add(struct labels *ls, const char *name, const char *value);
/* Releases the strings and array of a set built with sd_labels_add. */
void sd_labels_free(struct labels *ls);
/* A copy of src whose strings dst owns. */
void sd_labels_copy(struct labels *dst, const struct labels *src);

#endif
