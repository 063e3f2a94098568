/*
 * Pages are carved from the front. A handle is a page's index and a
 * block's offset in it in grains (PAGE_BITS), or, with BIG set, an index
 * into the array of malloc'd blocks (a freed index is reused). The first grain of the first page
 * is never handed out, so no block has handle 0 (SLAB_NONE). A class's
 * free list is threaded through the first 4 bytes of its free blocks as
 * handles. Nothing is coalesced or returned before slab_free: a class's
 * freed blocks wait for the next label set of that size, which is how
 * series churn (a target that restarts, a metric that comes back) reuses
 * them.
 */
#include "store/slab.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

#define GRAIN     8
#define PAGE      (64 * 1024)
#define PAGE_BITS 13                    /* PAGE / GRAIN grains a page */
#define CLASSES   (SLAB_MAX / GRAIN)
#define BIG       0x80000000u
/* Pages a handle can name: 16 GiB of blocks. */
#define MAX_PAGES (BIG >> PAGE_BITS)

_Static_assert(PAGE / GRAIN == 1 << PAGE_BITS, "a handle's offset bits");

struct slab {
    unsigned char **pages;
    uint32_t npages, pagecap;
    size_t used;                /* bytes carved from the newest page */
    uint32_t free[CLASSES];     /* per class: a free block, or NONE */
    void **big;                 /* malloc'd blocks; NULL: a free index */
    uint32_t nbig, bigcap;
    uint32_t *bigfree;          /* stack of free indices (bigcap room) */
    uint32_t nbigfree;
    size_t bigbytes;            /* bytes of malloc'd blocks out */
};

struct slab *
slab_new(void)
{
    struct slab *sl = xcalloc(1, sizeof(*sl));

    sl->used = PAGE;            /* no page yet: the first get opens one */
    return sl;
}

void
slab_free(struct slab *sl)
{
    if (sl == NULL)
        return;
    for (uint32_t i = 0; i < sl->npages; i++)
        free(sl->pages[i]);
    for (uint32_t i = 0; i < sl->nbig; i++)
        free(sl->big[i]);
    free(sl->pages);
    free(sl->big);
    free(sl->bigfree);
    free(sl);
}

static size_t
class_of(size_t size)
{
    return (size + GRAIN - 1) / GRAIN - 1;
}

/* A block over SLAB_MAX: its index in big, a freed one first. */
static uint32_t
get_big(struct slab *sl, size_t size)
{
    uint32_t i;

    if (sl->nbigfree > 0) {
        i = sl->bigfree[--sl->nbigfree];
    } else {
        if (sl->nbig == sl->bigcap) {
            sl->bigcap = sl->bigcap ? sl->bigcap * 2 : 8;
            sl->big = xreallocarray(sl->big, sl->bigcap,
                                    sizeof(sl->big[0]));
            sl->bigfree = xreallocarray(sl->bigfree, sl->bigcap,
                                        sizeof(sl->bigfree[0]));
        }
        i = sl->nbig++;
    }
    if (i >= BIG)
        xalloc_fatal("too many large label sets", size);
    sl->big[i] = xmalloc(size);
    sl->bigbytes += size;
    return BIG | i;
}

/* Opens a new page to carve from. */
static void
new_page(struct slab *sl)
{
    if (sl->npages == MAX_PAGES)
        xalloc_fatal("too many label sets for the label slab", PAGE);
    if (sl->npages == sl->pagecap) {
        sl->pagecap = sl->pagecap ? sl->pagecap * 2 : 16;
        sl->pages = xreallocarray(sl->pages, sl->pagecap,
                                  sizeof(sl->pages[0]));
    }
    sl->pages[sl->npages++] = xmalloc(PAGE);
    /* The first grain of all stays unused: handle 0 is SLAB_NONE. */
    sl->used = sl->npages == 1 ? GRAIN : 0;
}

uint32_t
slab_get(struct slab *sl, size_t size)
{
    size_t k = class_of(size), bytes = (k + 1) * GRAIN;
    uint32_t h;

    assert(size > 0);
    if (size > SLAB_MAX)
        return get_big(sl, size);
    if (sl->free[k] != SLAB_NONE) {
        h = sl->free[k];
        memcpy(&sl->free[k], slab_at(sl, h), sizeof(h));
        return h;
    }
    if (sl->used + bytes > PAGE)
        new_page(sl);
    h = (sl->npages - 1) << PAGE_BITS | (uint32_t)(sl->used / GRAIN);
    sl->used += bytes;
    return h;
}

void *
slab_at(const struct slab *sl, uint32_t h)
{
    if (h & BIG)
        return sl->big[h & ~BIG];
    return sl->pages[h >> PAGE_BITS]
           + (size_t)(h & ((1u << PAGE_BITS) - 1)) * GRAIN;
}

void
slab_put(struct slab *sl, uint32_t h, size_t size)
{
    size_t k;

    if (h == SLAB_NONE)
        return;
    if (h & BIG) {
        assert(size > SLAB_MAX);
        free(sl->big[h & ~BIG]);
        sl->big[h & ~BIG] = NULL;
        sl->bigfree[sl->nbigfree++] = h & ~BIG;
        sl->bigbytes -= size;
        return;
    }
    k = class_of(size);
    memcpy(slab_at(sl, h), &sl->free[k], sizeof(h));
    sl->free[k] = h;
}

size_t
slab_held(const struct slab *sl)
{
    return (size_t)sl->npages * PAGE + sl->bigbytes
           + sl->pagecap * sizeof(sl->pages[0])
           + sl->bigcap * (sizeof(sl->big[0]) + sizeof(sl->bigfree[0]));
}
