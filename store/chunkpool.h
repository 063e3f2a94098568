/*
 * The home of head chunks, the one chunk per series that still grows:
 * blocks in size classes 16 bytes apart (a chunk header and 32 to
 * CHUNK_MAX_BYTES of data), carved from 64 KiB pages, one class per
 * page, with no allocator header per block. A head that grows moves to
 * a block of a larger class and its old block goes on its page's free
 * list for the next head of that size, so growth leaves no holes in
 * malloc's heap; a page whose blocks are all free goes back to the system,
 * so a class that a million heads passed through at start-up does not
 * keep their blocks. A chunk names its page by its seg field while it
 * is a head. Not thread-safe: only the store's writer gets and puts.
 *
 * Ownership: the pool owns its pages; a chunk from chunkpool_get is the
 * caller's until chunkpool_put gives it back or the pool is freed.
 */
#ifndef STORE_CHUNKPOOL_H
#define STORE_CHUNKPOOL_H

#include <stddef.h>

#include "store/chunk.h"

struct chunkpool;

struct chunkpool *chunkpool_new(void);
/* Frees every page, and so every chunk got from the pool. */
void chunkpool_free(struct chunkpool *p);
/*
 * An empty chunk with room for at least cap (<= CHUNK_MAX_BYTES) bytes
 * of data: its header and data zeroed, its cap the whole block's room
 * and its seg the page it is in. Fatal past 65,536 pages (4 GiB).
 */
struct chunk *chunkpool_get(struct chunkpool *p, size_t cap);
/* Gives back c, got from chunkpool_get and not resized since. */
void chunkpool_put(struct chunkpool *p, struct chunk *c);
/* Bytes of the pages held, and of their table. */
size_t chunkpool_held(const struct chunkpool *p);

#endif
