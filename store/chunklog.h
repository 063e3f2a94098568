/*
 * The home of sealed chunks: a log of 256 KiB segments that sealed chunks
 * are copied into back to back, exactly sized, with no allocator header
 * each. Chunks are sealed when full and dropped a retention window after
 * their last sample, so they leave the log roughly in the order they came
 * in; a segment is freed once every chunk in it is released. Head chunks,
 * which still grow, live in the chunk pool (store/chunkpool.h). Not
 * thread-safe.
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

struct chunklog *chunklog_new(void);
/* Frees every segment, and so every chunk in the log. */
void chunklog_free(struct chunklog *l);
/* A sealed copy of c (its used bytes only) in the log; c is untouched. */
struct chunk *chunklog_add(struct chunklog *l, const struct chunk *c);
/* Releases a chunk chunklog_add returned. */
void chunklog_release(struct chunklog *l, struct chunk *c);
/* Bytes of the chunks in the log. */
size_t chunklog_used(const struct chunklog *l);
/* Bytes of segments held; the rest is holes and the open segment's tail. */
size_t chunklog_held(const struct chunklog *l);

#endif
