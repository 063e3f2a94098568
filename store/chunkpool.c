/*
 * A page is carved from the front, then reuses its freed blocks, which
 * are linked through the chunk's next field. Each class keeps a list of
 * its pages with room (a free block or an uncarved tail), newest first,
 * so a get takes a page from its head and a full page leaves the list
 * until a block of it is put back. Pages are named by an index into the
 * pool's table (a chunk's seg), and an emptied page's index is reused.
 * Pages are mapped from the system rather than malloc'd: a page freed
 * into malloc's heap stayed there as a 64 KiB hole (the process held
 * 10 MB more at 213,000 series), where a page unmapped goes back at once.
 */
#include "store/chunkpool.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "src/base/xalloc.h"

#define STEP      16
#define PAGE      (64 * 1024)
#define MIN_BLOCK (sizeof(struct chunk) + 32)
#define CLASSES   ((sizeof(struct chunk) + CHUNK_MAX_BYTES) / STEP + 1)
#define MAX_PAGES 65536
#define NONE      UINT32_MAX

_Static_assert(sizeof(struct chunk) % STEP == 0, "blocks stay aligned");

struct page {
    unsigned char *mem;         /* NULL: a free index */
    struct chunk *free;         /* freed blocks, through next */
    uint32_t carved;            /* bytes carved from the front */
    uint32_t live;              /* blocks out */
    uint32_t prev, next;        /* the class's pages with room */
    uint16_t block;             /* the class's block size */
};

struct chunkpool {
    struct page *pages;
    uint32_t npages, cap;
    uint32_t *free_ids;         /* stack of free indices (cap room) */
    uint32_t nfree;
    uint32_t held;              /* pages with memory */
    uint32_t room[CLASSES];     /* per class: its first page with room */
};

struct chunkpool *
chunkpool_new(void)
{
    struct chunkpool *p = xcalloc(1, sizeof(*p));

    for (size_t k = 0; k < CLASSES; k++)
        p->room[k] = NONE;
    return p;
}

void
chunkpool_free(struct chunkpool *p)
{
    if (p == NULL)
        return;
    for (uint32_t i = 0; i < p->npages; i++)
        if (p->pages[i].mem != NULL)
            munmap(p->pages[i].mem, PAGE);
    free(p->pages);
    free(p->free_ids);
    free(p);
}

static bool
has_room(const struct page *pg)
{
    return pg->free != NULL || pg->carved + pg->block <= PAGE;
}

/* Puts page id first on its class's list of pages with room. */
static void
link_page(struct chunkpool *p, uint32_t id)
{
    struct page *pg = &p->pages[id];
    uint32_t *head = &p->room[pg->block / STEP];

    pg->prev = NONE;
    pg->next = *head;
    if (*head != NONE)
        p->pages[*head].prev = id;
    *head = id;
}

static void
unlink_page(struct chunkpool *p, uint32_t id)
{
    struct page *pg = &p->pages[id];

    if (pg->prev != NONE)
        p->pages[pg->prev].next = pg->next;
    else
        p->room[pg->block / STEP] = pg->next;
    if (pg->next != NONE)
        p->pages[pg->next].prev = pg->prev;
}

/* A fresh page for blocks of this size, linked as its class's first. */
static uint32_t
new_page(struct chunkpool *p, size_t block)
{
    uint32_t id;
    void *mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (mem == MAP_FAILED)
        xalloc_fatal("cannot map a page for head chunks", PAGE);
    if (p->nfree > 0) {
        id = p->free_ids[--p->nfree];
    } else {
        if (p->npages == MAX_PAGES)
            xalloc_fatal("too many head chunks for the chunk pool", PAGE);
        if (p->npages == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 64;
            p->pages = xreallocarray(p->pages, p->cap, sizeof(p->pages[0]));
            p->free_ids = xreallocarray(p->free_ids, p->cap,
                                        sizeof(p->free_ids[0]));
        }
        id = p->npages++;
    }
    p->pages[id] = (struct page){ mem, NULL, 0, 0, NONE, NONE,
                                  (uint16_t)block };
    p->held++;
    link_page(p, id);
    return id;
}

struct chunk *
chunkpool_get(struct chunkpool *p, size_t cap)
{
    size_t block = (sizeof(struct chunk) + cap + STEP - 1) / STEP * STEP;
    uint32_t id;
    struct page *pg;
    struct chunk *c;

    assert(cap <= CHUNK_MAX_BYTES);
    if (block < MIN_BLOCK)
        block = MIN_BLOCK;
    id = p->room[block / STEP];
    if (id == NONE)
        id = new_page(p, block);
    pg = &p->pages[id];
    if (pg->free != NULL) {
        c = pg->free;
        pg->free = c->next;
    } else {
        c = (struct chunk *)(pg->mem + pg->carved);
        pg->carved += (uint32_t)block;
    }
    pg->live++;
    if (!has_room(pg))
        unlink_page(p, id);
    memset(c, 0, block);
    c->cap = (uint16_t)(block - sizeof(*c));
    c->seg = (uint16_t)id;
    return c;
}

void
chunkpool_put(struct chunkpool *p, struct chunk *c)
{
    uint32_t id = c->seg;
    struct page *pg = &p->pages[id];
    bool had_room = has_room(pg);

    assert(id < p->npages && pg->block == sizeof(*c) + c->cap);
    assert((unsigned char *)c >= pg->mem && (unsigned char *)c < pg->mem
           + PAGE);
    c->next = pg->free;
    pg->free = c;
    if (--pg->live == 0) {
        /* All its blocks are free: the page goes back to the system. */
        if (had_room)
            unlink_page(p, id);
        munmap(pg->mem, PAGE);
        pg->mem = NULL;
        p->free_ids[p->nfree++] = id;
        p->held--;
    } else if (!had_room) {
        link_page(p, id);
    }
}

size_t
chunkpool_held(const struct chunkpool *p)
{
    return (size_t)p->held * PAGE
           + p->cap * (sizeof(p->pages[0]) + sizeof(p->free_ids[0]));
}
