/*
 * Memory for head chunks, the one chunk per series that still grows:
 * blocks in size classes 16 bytes apart, carved from 64 KiB slabs of one
 * class each; a slab goes back to the system when its last block comes
 * back. A million growing heads would otherwise each carry a malloc
 * header. Not thread-safe: only the writer (store_append, store_gc)
 * uses it.
 *
 * Ownership: the pool owns its slabs; a block from headpool_get is the
 * caller's until headpool_put gives it back or the pool is freed.
 */
#ifndef STORE_HEADPOOL_H
#define STORE_HEADPOOL_H

#include <stddef.h>

/* The largest block a pool hands out. */
#define HEADPOOL_MAX 1056

struct headpool;

struct headpool *headpool_new(void);
/* Frees every slab, and so every block. */
void headpool_free(struct headpool *p);
/* An uninitialised block of at least size (<= HEADPOOL_MAX) bytes; its
 * usable size, a multiple of 16, into *got. */
void *headpool_get(struct headpool *p, size_t size, size_t *got);
/* Gives back block b of the usable size headpool_get reported. */
void headpool_put(struct headpool *p, void *b, size_t size);
/* Bytes of blocks handed out, and of slabs held. */
size_t headpool_used(const struct headpool *p);
size_t headpool_held(const struct headpool *p);

#endif
