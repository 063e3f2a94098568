/*
 * The home of head chunks, the one chunk per series that still grows.
 *
 * A scrape appends to a target's series one after another, and their ids
 * were given out one after another at the target's first scrape. So the
 * pool keeps heads in groups of consecutive keys (series ids), each
 * group's heads back to back in a block of its own, in key order, and a
 * scrape's appends walk memory forward. Heads kept wherever a free block
 * of their size was (this pool before) ended up all over it once they
 * had grown, sealed and started again a few times, and each append
 * waited for memory of its own: at a million series, the commit's wait
 * for heads (store_prefetch) went from 2% of promdeck's CPU at minute 3
 * to 11% at minute 24.
 *
 * A new head, or one that grows, goes to the free room at the end of its
 * group's block (a head that grows and is last there just takes more of
 * it) and leaves a hole where it was. When the end has no room, the
 * block is laid out again: the live heads copied in key order to a new
 * block with a quarter more room, and the old one freed. Heads move, so
 * each one keeps its owner, where the caller points at it (an address
 * that must stay put, such as the store's series slot), and the pool
 * points the owner at the head wherever it moves. Not thread-safe: only
 * the store's writer calls these, with its readers kept out.
 *
 * Ownership: the pool owns its blocks; a head from chunkpool_get is the
 * caller's to append to until it gives it back with chunkpool_put or the
 * pool is freed, always through its owner, never through a copy of the
 * pointer kept across a call here.
 */
#ifndef STORE_CHUNKPOOL_H
#define STORE_CHUNKPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "store/chunk.h"

struct chunkpool;

struct chunkpool *chunkpool_new(void);
/* Frees every block, and so every head got from the pool. */
void chunkpool_free(struct chunkpool *p);
/*
 * An empty head for key: its header and data zeroed, room for a first
 * few samples. *owner is pointed at it, now and whenever it moves; other
 * heads of key's group may move.
 */
struct chunk *chunkpool_get(struct chunkpool *p, uint32_t key,
                            struct chunk **owner);
/*
 * Gives head c of key a quarter more room, up to CHUNK_MAX_BYTES (c must
 * have less), its data past what it had zeroed. Returns where c is now,
 * as its owner does; other heads of key's group may move.
 */
struct chunk *chunkpool_grow(struct chunkpool *p, uint32_t key,
                             struct chunk *c);
/* Gives back head c of key; its owner is no longer updated. */
void chunkpool_put(struct chunkpool *p, uint32_t key, struct chunk *c);
/* Bytes of the live heads, header and room. */
size_t chunkpool_used(const struct chunkpool *p);
/* Bytes held: the blocks (heads, holes and room) and the group table. */
size_t chunkpool_held(const struct chunkpool *p);

#endif
