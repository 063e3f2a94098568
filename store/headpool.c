/*
 * Size-class slabs for head chunks: a class per 16 bytes up to
 * HEADPOOL_MAX. Each 64 KiB slab, mapped and aligned to its size so a
 * block finds its slab by masking its address, serves one class and keeps its own
 * free list and count of blocks in use; a class lists its slabs that
 * have room. A slab whose last block comes back is freed at once: the
 * heads of a scrape grow in step, so a whole class empties as they
 * move up to the next one, and that memory must serve the next class
 * rather than wait for this one.
 */
#include "store/headpool.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "src/base/xalloc.h"

#define GRAIN    16
#define NCLASS   (HEADPOOL_MAX / GRAIN + 1)
#define SLAB     ((size_t)64 * 1024)

_Static_assert(HEADPOOL_MAX % GRAIN == 0, "classes tile the range");

/* A free block holds the next free block of its slab. */
struct free_block {
    struct free_block *next;
};

/* The head of a slab; its blocks follow, GRAIN-aligned. */
struct slab {
    struct slab *prev, *next;   /* in its class's list of slabs with room */
    struct slab *aprev, *anext; /* in the pool's list of all slabs */
    struct free_block *free;
    uint32_t bump;              /* offset of the first never-used block */
    uint32_t live;              /* blocks handed out */
    uint16_t size;              /* its class's block size */
    bool listed;
};

#define FIRST_BLOCK ((sizeof(struct slab) + GRAIN - 1) / GRAIN * GRAIN)

struct headpool {
    struct slab *room[NCLASS];  /* slabs with a free block, by class */
    struct slab *all;
    size_t nslabs, used;
};

struct headpool *
headpool_new(void)
{
    return xcalloc(1, sizeof(struct headpool));
}

static void
unlist(struct headpool *p, struct slab *s)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        p->room[s->size / GRAIN] = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
    s->listed = false;
}

static void
list(struct headpool *p, struct slab *s)
{
    struct slab **head = &p->room[s->size / GRAIN];

    s->prev = NULL;
    s->next = *head;
    if (*head != NULL)
        (*head)->prev = s;
    *head = s;
    s->listed = true;
}

void
headpool_free(struct headpool *p)
{
    if (p == NULL)
        return;
    while (p->all != NULL) {
        struct slab *s = p->all;

        p->all = s->anext;
        munmap(s, SLAB);
    }
    free(p);
}

/*
 * SLAB bytes aligned to SLAB, mapped from the system (twice the size,
 * then trimmed) so that a freed slab goes back at once: the heap would
 * keep it and could only reuse it for another aligned slab.
 */
static void *
map_slab(void)
{
    unsigned char *m = mmap(NULL, 2 * SLAB, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uintptr_t a;
    size_t lead;

    if (m == MAP_FAILED)
        xalloc_fatal("mmap", 2 * SLAB);
    a = ((uintptr_t)m + SLAB - 1) & ~(uintptr_t)(SLAB - 1);
    lead = a - (uintptr_t)m;
    if (lead > 0)
        munmap(m, lead);
    munmap((unsigned char *)a + SLAB, SLAB - lead);
    return (void *)a;
}

static struct slab *
new_slab(struct headpool *p, size_t bytes)
{
    struct slab *s = map_slab();
    s->aprev = NULL;
    s->anext = p->all;
    if (p->all != NULL)
        p->all->aprev = s;
    p->all = s;
    s->free = NULL;
    s->bump = FIRST_BLOCK;
    s->live = 0;
    s->size = (uint16_t)bytes;
    list(p, s);
    p->nslabs++;
    return s;
}

static bool
slab_full(const struct slab *s)
{
    return s->free == NULL && s->bump + s->size > SLAB;
}

void *
headpool_get(struct headpool *p, size_t size, size_t *got)
{
    size_t k = (size + GRAIN - 1) / GRAIN, bytes = k * GRAIN;
    struct slab *s;
    void *b;

    assert(size > 0 && size <= HEADPOOL_MAX);
    s = p->room[k] != NULL ? p->room[k] : new_slab(p, bytes);
    if (s->free != NULL) {
        b = s->free;
        s->free = s->free->next;
    } else {
        b = (unsigned char *)s + s->bump;
        s->bump += (uint32_t)bytes;
    }
    s->live++;
    if (slab_full(s))
        unlist(p, s);
    p->used += bytes;
    *got = bytes;
    return b;
}

void
headpool_put(struct headpool *p, void *b, size_t size)
{
    struct slab *s = (struct slab *)((uintptr_t)b & ~(uintptr_t)(SLAB - 1));
    struct free_block *f = b;

    assert(size == s->size && s->live > 0);
    f->next = s->free;
    s->free = f;
    s->live--;
    p->used -= size;
    if (s->live == 0) {
        if (s->listed)
            unlist(p, s);
        if (s->aprev != NULL)
            s->aprev->anext = s->anext;
        else
            p->all = s->anext;
        if (s->anext != NULL)
            s->anext->aprev = s->aprev;
        munmap(s, SLAB);
        p->nslabs--;
    } else if (!s->listed) {
        list(p, s);
    }
}

size_t
headpool_used(const struct headpool *p)
{
    return p->used;
}

size_t
headpool_held(const struct headpool *p)
{
    return p->nslabs * SLAB;
}
