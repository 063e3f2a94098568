/*
 * The scrape targets as the screen and the snapshot show them: a copy of
 * the pool's status, one struct target_row (ui/model.h) per target, with
 * its labels formatted once.
 *
 * Ownership: the list owns its rows and strings until the next fill or
 * targets_fini.
 */
#ifndef SRC_TARGETS_H
#define SRC_TARGETS_H

#include <stddef.h>

#include "scrape/pool.h"
#include "ui/model.h"

struct target_list {
    struct target_row *rows;
    size_t n;
    size_t up;          /* how many are up */
    char **strings;     /* everything the rows point to */
    size_t nstrings;
};

void targets_init(struct target_list *tl);
void targets_fini(struct target_list *tl);
/* Replaces the rows with the pool's current status. */
void targets_fill(struct target_list *tl, const struct scrape_pool *pool);

#endif
