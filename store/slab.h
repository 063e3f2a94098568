/*
 * Small fixed-size blocks in size classes 8 bytes apart, carved from
 * 64 KiB pages, with no allocator header per block: the store's encoded
 * label sets (store/lset.h, one per series, a dozen bytes or so), which
 * malloc would round up to 32 bytes with its header. A block is named
 * by a 32-bit handle rather than a pointer, so a series spends 4 bytes
 * to find its labels. A freed block goes on its class's free list for
 * the next block of that size; pages stay until slab_free, since series
 * come and go far more slowly than they are looked up. Blocks larger
 * than SLAB_MAX come from malloc. Not thread-safe: only the store's
 * writer allocates and frees.
 *
 * Ownership: the slab owns its pages; a block from slab_get is the
 * caller's until slab_put gives it back or the slab is freed. A pointer
 * from slab_at stays valid as long as its block.
 */
#ifndef STORE_SLAB_H
#define STORE_SLAB_H

#include <stddef.h>
#include <stdint.h>

/* The largest block carved from pages; larger ones are malloc'd. */
#define SLAB_MAX 512
/* The handle of no block. */
#define SLAB_NONE 0u

struct slab;

struct slab *slab_new(void);
/* Frees every page, and so every block carved from them, and the blocks
 * over SLAB_MAX still out. */
void slab_free(struct slab *sl);
/* A new uninitialised block of size bytes (> 0), 8-byte aligned: its
 * handle, never SLAB_NONE. */
uint32_t slab_get(struct slab *sl, size_t size);
/* The block's bytes. */
void *slab_at(const struct slab *sl, uint32_t h);
/* Gives back block h, got from slab_get with the same size; SLAB_NONE
 * does nothing. */
void slab_put(struct slab *sl, uint32_t h, size_t size);
/* Bytes held: every page, the blocks malloc'd, and their tables. */
size_t slab_held(const struct slab *sl);

#endif
