/*
 * The home of sealed chunks: a log of 256 KiB segments that sealed chunks
 * are copied into back to back, exactly sized, with no allocator header
 * each. Chunks are sealed when full and dropped a retention window after
 * their last sample, so they leave the log roughly in the order they came
 * in; a segment is freed once every chunk in it is released. Head chunks,
 * which still grow, live in the chunk pool (store/chunkpool.h). Not
 * thread-safe.
 *
 * A segment is only freed whole, so a chunk that leaves early holds no
 * memory back: the one chunk of a segment that stays does. Chunks are
 * added in lanes by how long they will stay, each lane filling segments
 * of its own. Retention encodes a series' oldest chunk again without its
 * expired samples, and that copy goes again once the rest of the
 * chunk's span has passed; mixed into the segments of newly sealed
 * chunks, which stay the whole window, such copies left holes that
 * nothing freed. At a million series and an hour's retention the holes
 * grew from 30 MB at minute 60 to 260 MB at minute 110, as much as the
 * sealed chunks themselves; with a lane of their own, the store's whole
 * spare (the heads' room included) stayed at 42-67 MB over three hours
 * (bench_store loop).
 *
 * Ownership: the log owns its segments and the chunks in them; a chunk
 * from chunklog_add stays valid until chunklog_release or chunklog_free.
 */
#ifndef STORE_CHUNKLOG_H
#define STORE_CHUNKLOG_H

#include <stddef.h>

#include "store/chunk.h"

#define CHUNKLOG_SEGMENT (256 * 1024)

struct chunklog;

enum chunklog_lane {
    CHUNKLOG_SEALED,    /* a head just sealed: stays the whole window */
    CHUNKLOG_TRIMMED,   /* an oldest chunk encoded again: goes soon */
    CHUNKLOG_LANES
};

struct chunklog *chunklog_new(void);
/* Frees every segment, and so every chunk in the log. */
void chunklog_free(struct chunklog *l);
/* A sealed copy of c (its used bytes only) in the log, in the lane's
 * segments; c is untouched. */
struct chunk *chunklog_add(struct chunklog *l, const struct chunk *c,
                           enum chunklog_lane lane);
/* Releases a chunk chunklog_add returned. */
void chunklog_release(struct chunklog *l, struct chunk *c);
/* Bytes of the chunks in the log. */
size_t chunklog_used(const struct chunklog *l);
/* Bytes of segments held; the rest is holes and the open segment's tail. */
size_t chunklog_held(const struct chunklog *l);

#endif
