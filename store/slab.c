/*
 * Pages are carved from the front; a class's free list is threaded
 * through the first bytes of its free blocks. Nothing is coalesced or
 * returned before slab_free: a class's freed blocks wait for the next
 * label set of that size, which is how series churn (a target that
 * restarts, a metric that comes back) reuses them.
 */
#include "store/slab.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "src/base/xalloc.h"

#define PAGE    (64 * 1024)
#define GRAIN   16
#define CLASSES (SLAB_MAX / GRAIN)

struct page {
    struct page *next;
    /* 16-byte aligned blocks follow */
    _Alignas(16) unsigned char data[];
};

struct slab {
    struct page *pages;
    size_t used;                /* bytes carved from the newest page */
    void *free[CLASSES];        /* per class: a free block, or NULL */
    size_t npages;
    size_t big;                 /* bytes of malloc'd blocks out */
};

_Static_assert(PAGE - sizeof(struct page) >= SLAB_MAX,
               "a page holds the largest block");

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
    while (sl->pages != NULL) {
        struct page *p = sl->pages;

        sl->pages = p->next;
        free(p);
    }
    free(sl);
}

static size_t
class_of(size_t size)
{
    return (size + GRAIN - 1) / GRAIN - 1;
}

void *
slab_get(struct slab *sl, size_t size)
{
    size_t k = class_of(size), bytes = (k + 1) * GRAIN;
    void *b;

    assert(size > 0);
    if (size > SLAB_MAX) {
        sl->big += size;
        return xmalloc(size);
    }
    if (sl->free[k] != NULL) {
        b = sl->free[k];
        sl->free[k] = *(void **)b;
        return b;
    }
    if (sl->used + bytes > PAGE - sizeof(struct page)) {
        struct page *p = xmalloc(PAGE);

        p->next = sl->pages;
        sl->pages = p;
        sl->used = 0;
        sl->npages++;
    }
    b = sl->pages->data + sl->used;
    sl->used += bytes;
    return b;
}

void
slab_put(struct slab *sl, void *b, size_t size)
{
    size_t k;

    if (b == NULL)
        return;
    if (size > SLAB_MAX) {
        sl->big -= size;
        free(b);
        return;
    }
    k = class_of(size);
    *(void **)b = sl->free[k];
    sl->free[k] = b;
}

size_t
slab_held(const struct slab *sl)
{
    return sl->npages * PAGE + sl->big;
}
