/*
 * Small fixed-size blocks in size classes 16 bytes apart, carved from
 * 64 KiB pages, with no allocator header per block: the store's label
 * arrays (one per series, 16 bytes a pair), which malloc would round up
 * and prefix with a header. A freed block goes on its class's free list
 * for the next block of that size; pages stay until slab_free, since
 * series come and go far more slowly than they are looked up. Blocks
 * larger than SLAB_MAX come from malloc. Not thread-safe: only the
 * store's writer allocates and frees.
 *
 * Ownership: the slab owns its pages; a block from slab_get is the
 * caller's until slab_put gives it back or the slab is freed.
 */
#ifndef STORE_SLAB_H
#define STORE_SLAB_H

#include <stddef.h>

/* The largest block carved from pages; larger ones are malloc'd. */
#define SLAB_MAX 512

struct slab;

struct slab *slab_new(void);
/* Frees every page, and so every block carved from them; blocks over
 * SLAB_MAX must have been given back first. */
void slab_free(struct slab *sl);
/* An uninitialised block of size bytes (> 0), 16-byte aligned. */
void *slab_get(struct slab *sl, size_t size);
/* Gives back block b, got from slab_get with the same size. */
void slab_put(struct slab *sl, void *b, size_t size);
/* Bytes held: every page, plus the blocks malloc'd. */
size_t slab_held(const struct slab *sl);

#endif
