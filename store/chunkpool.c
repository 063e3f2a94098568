/*
 * A group's block is a run of heads and holes from its front to end,
 * then free room to size. A head's size is its header and its cap; a
 * hole is a head given back (owner NULL), which keeps its cap so a walk
 * of the block can step over it.
 *
 * Blocks come from 64 KiB pages mapped from the system, one size class
 * per page (multiples of BLOCK_STEP), carved from the front and then
 * reused through a free list of the page's own; a page whose blocks are
 * all free goes back to the system. With blocks from malloc, the groups
 * laying theirs out again freed thousands of blocks of assorted sizes a
 * second, and the other mallocs of promdeck (a scrape's staging arrays)
 * spent their time sorting them into malloc's bins: _int_malloc went
 * from 1% of promdeck's CPU to 7% at a million series. A block larger
 * than a page (a group of heads of 800 bytes and more) is mapped alone.
 */
#include "store/chunkpool.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "src/base/xalloc.h"

/* Keys per group: a block of heads is then a few kilobytes. */
#define GROUP     64
/* A new head's room: a few samples, as most series need few bytes each. */
#define FIRST_CAP 32
#define ALIGN     16
#define PAGE       (64 * 1024)
#define BLOCK_STEP 512
#define CLASSES    (PAGE / BLOCK_STEP)  /* class k: blocks of k + 1 steps */
#define MAX_PAGES  (1u << 20)           /* 64 GiB */
#define NONE       UINT32_MAX

_Static_assert(sizeof(struct chunk) % ALIGN == 0, "heads stay aligned");
_Static_assert((sizeof(struct chunk) + CHUNK_MAX_BYTES) % ALIGN == 0,
               "a full head's room is CHUNK_MAX_BYTES exactly");

struct group {
    unsigned char *mem;         /* NULL: no heads */
    uint32_t size;              /* bytes of mem */
    uint32_t end;               /* bytes of heads and holes from the front */
    uint32_t live;              /* bytes of heads */
    uint32_t page;              /* mem's page, or NONE: mapped alone */
};

struct page {
    unsigned char *mem;         /* NULL: a free index */
    void *free;                 /* freed blocks, through their first word */
    uint32_t carved;            /* bytes carved from the front */
    uint32_t live;              /* blocks out */
    uint32_t prev, next;        /* the class's pages with room */
    uint32_t block;             /* the class's block size */
};

struct chunkpool {
    struct group *groups;       /* group k holds keys k * GROUP on */
    uint32_t ngroups;
    struct page *pages;
    uint32_t npages, pagecap;
    uint32_t *free_ids;         /* stack of free page indices */
    uint32_t nfree;
    uint32_t room[CLASSES];     /* per class: its first page with room */
    size_t used;                /* bytes of heads, all groups */
    size_t held;                /* bytes of pages and blocks mapped alone */
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
    for (uint32_t k = 0; k < p->ngroups; k++)
        if (p->groups[k].mem != NULL && p->groups[k].page == NONE)
            munmap(p->groups[k].mem, p->groups[k].size);
    for (uint32_t i = 0; i < p->npages; i++)
        if (p->pages[i].mem != NULL)
            munmap(p->pages[i].mem, PAGE);
    free(p->groups);
    free(p->pages);
    free(p->free_ids);
    free(p);
}

/* --- blocks ------------------------------------------------------------- */

static void *
map(size_t size)
{
    void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (mem == MAP_FAILED)
        xalloc_fatal("cannot map memory for head chunks", size);
    return mem;
}

static bool
has_room(const struct page *pg)
{
    return pg->free != NULL || pg->carved + pg->block <= PAGE;
}

static uint32_t *
class_list(struct chunkpool *p, uint32_t block)
{
    return &p->room[block / BLOCK_STEP - 1];
}

/* Puts page id first on its class's list of pages with room. */
static void
link_page(struct chunkpool *p, uint32_t id)
{
    struct page *pg = &p->pages[id];
    uint32_t *head = class_list(p, pg->block);

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
        *class_list(p, pg->block) = pg->next;
    if (pg->next != NONE)
        p->pages[pg->next].prev = pg->prev;
}

/* A fresh page for blocks of this size, first on its class's list. */
static uint32_t
new_page(struct chunkpool *p, uint32_t block)
{
    uint32_t id;

    if (p->nfree > 0) {
        id = p->free_ids[--p->nfree];
    } else {
        if (p->npages == MAX_PAGES)
            xalloc_fatal("too many head chunks for the chunk pool", PAGE);
        if (p->npages == p->pagecap) {
            p->pagecap = p->pagecap ? p->pagecap * 2 : 64;
            p->pages = xreallocarray(p->pages, p->pagecap,
                                     sizeof(p->pages[0]));
            p->free_ids = xreallocarray(p->free_ids, p->pagecap,
                                        sizeof(p->free_ids[0]));
        }
        id = p->npages++;
    }
    p->pages[id] = (struct page){ map(PAGE), NULL, 0, 0, NONE, NONE, block };
    p->held += PAGE;
    link_page(p, id);
    return id;
}

/*
 * A block of at least size bytes for g, which has none: g's mem, size
 * and page are set.
 */
static void
block_get(struct chunkpool *p, struct group *g, size_t size)
{
    uint32_t block, id;
    struct page *pg;

    if (size > PAGE) {
        size = (size + PAGE - 1) / PAGE * PAGE;
        g->mem = map(size);
        g->size = (uint32_t)size;
        g->page = NONE;
        p->held += size;
        return;
    }
    block = (uint32_t)((size + BLOCK_STEP - 1) / BLOCK_STEP * BLOCK_STEP);
    id = *class_list(p, block);
    if (id == NONE)
        id = new_page(p, block);
    pg = &p->pages[id];
    if (pg->free != NULL) {
        g->mem = pg->free;
        memcpy(&pg->free, g->mem, sizeof(pg->free));
    } else {
        g->mem = pg->mem + pg->carved;
        pg->carved += block;
    }
    pg->live++;
    if (!has_room(pg))
        unlink_page(p, id);
    g->size = block;
    g->page = id;
}

/* Gives back g's block. */
static void
block_put(struct chunkpool *p, struct group *g)
{
    struct page *pg;
    bool had_room;

    if (g->page == NONE) {
        munmap(g->mem, g->size);
        p->held -= g->size;
        return;
    }
    pg = &p->pages[g->page];
    had_room = has_room(pg);
    memcpy(g->mem, &pg->free, sizeof(pg->free));
    pg->free = g->mem;
    if (--pg->live == 0) {
        /* All its blocks are free: the page goes back to the system. */
        if (had_room)
            unlink_page(p, g->page);
        munmap(pg->mem, PAGE);
        pg->mem = NULL;
        p->free_ids[p->nfree++] = g->page;
        p->held -= PAGE;
    } else if (!had_room) {
        link_page(p, g->page);
    }
}

/* --- heads -------------------------------------------------------------- */

static size_t
head_size(const struct chunk *c)
{
    return sizeof(*c) + c->cap;
}

/* The room cap grows to: a quarter more, in whole ALIGN steps of size. */
static uint16_t
grown_cap(uint16_t cap)
{
    size_t want = sizeof(struct chunk) + cap + cap / 4;

    want = (want + ALIGN - 1) / ALIGN * ALIGN - sizeof(struct chunk);
    return (uint16_t)(want < CHUNK_MAX_BYTES ? want : CHUNK_MAX_BYTES);
}

static struct group *
group_of(struct chunkpool *p, uint32_t key)
{
    uint32_t k = key / GROUP;

    if (k >= p->ngroups) {
        uint32_t n = p->ngroups ? p->ngroups : 64;

        while (n <= k)
            n *= 2;
        p->groups = xreallocarray(p->groups, n, sizeof(p->groups[0]));
        memset(p->groups + p->ngroups, 0,
               (n - p->ngroups) * sizeof(p->groups[0]));
        p->ngroups = n;
    }
    return &p->groups[k];
}

static int
by_owner(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)(*(struct chunk *const *)a)->owner;
    uintptr_t y = (uintptr_t)(*(struct chunk *const *)b)->owner;

    return (x > y) - (x < y);
}

/*
 * Lays g out again: its heads copied to a new block in their owners'
 * order (the order of the keys, for the store's series slots), grow
 * given cap bytes of room instead of its own (when not NULL), and room
 * for extra bytes more after them and a quarter of them spare.
 */
static void
relayout(struct chunkpool *p, struct group *g, const struct chunk *grow,
         uint16_t cap, size_t extra)
{
    struct chunk *heads[GROUP];
    size_t n = 0, need = extra, at = 0;
    struct group old;

    for (uint32_t off = 0; off < g->end;) {
        struct chunk *c = (struct chunk *)(void *)(g->mem + off);

        if (c->owner != NULL) {
            assert(n < GROUP);
            heads[n++] = c;
            need += c == grow ? sizeof(*c) + cap : head_size(c);
        }
        off += (uint32_t)head_size(c);
    }
    qsort(heads, n, sizeof(heads[0]), by_owner);
    old = *g;
    block_get(p, g, need + need / 4);
    for (size_t i = 0; i < n; i++) {
        struct chunk *to = (struct chunk *)(void *)(g->mem + at);

        memcpy(to, heads[i], head_size(heads[i]));
        if (heads[i] == grow) {
            memset(to->data + to->cap, 0, cap - to->cap);
            to->cap = cap;
        }
        *to->owner = to;
        at += head_size(to);
    }
    if (old.mem != NULL)
        block_put(p, &old);
    p->used += at - old.live;
    g->end = g->live = (uint32_t)at;
}

struct chunk *
chunkpool_get(struct chunkpool *p, uint32_t key, struct chunk **owner)
{
    struct group *g = group_of(p, key);
    size_t size = sizeof(struct chunk) + FIRST_CAP;
    struct chunk *c;

    if (g->end + size > g->size)
        relayout(p, g, NULL, 0, size);
    c = (struct chunk *)(void *)(g->mem + g->end);
    memset(c, 0, size);
    c->cap = FIRST_CAP;
    c->owner = owner;
    *owner = c;
    g->end += (uint32_t)size;
    g->live += (uint32_t)size;
    p->used += size;
    return c;
}

struct chunk *
chunkpool_grow(struct chunkpool *p, uint32_t key, struct chunk *c)
{
    struct group *g = group_of(p, key);
    uint16_t cap = grown_cap(c->cap);
    size_t more = (size_t)cap - c->cap, size = sizeof(*c) + cap;
    unsigned char *at = (unsigned char *)c;
    struct chunk **owner = c->owner;
    struct chunk *to;

    assert(c->cap < CHUNK_MAX_BYTES && at >= g->mem && at < g->mem + g->end);
    if (at + head_size(c) == g->mem + g->end && g->end + more <= g->size) {
        /* Last in the block: it takes more of the room after it. */
        memset(c->data + c->cap, 0, more);
        c->cap = cap;
        g->end += (uint32_t)more;
    } else if (g->end + size <= g->size) {
        to = (struct chunk *)(void *)(g->mem + g->end);
        memcpy(to, c, head_size(c));
        memset(to->data + c->cap, 0, more);
        to->cap = cap;
        c->owner = NULL;
        *owner = to;
        g->end += (uint32_t)size;
    } else {
        relayout(p, g, c, cap, 0);
        return *owner;
    }
    g->live += (uint32_t)more;
    p->used += more;
    return *owner;
}

void
chunkpool_put(struct chunkpool *p, uint32_t key, struct chunk *c)
{
    struct group *g = group_of(p, key);
    size_t size = head_size(c);

    assert((unsigned char *)c >= g->mem
           && (unsigned char *)c < g->mem + g->end && c->owner != NULL);
    c->owner = NULL;
    g->live -= (uint32_t)size;
    p->used -= size;
    if (g->live == 0) {
        block_put(p, g);
        /* As group_of leaves a group it has not used yet. */
        memset(g, 0, sizeof(*g));
    } else if ((unsigned char *)c + size == g->mem + g->end) {
        g->end -= (uint32_t)size;
    }
}

size_t
chunkpool_used(const struct chunkpool *p)
{
    return p->used;
}

size_t
chunkpool_held(const struct chunkpool *p)
{
    return p->held + sizeof(*p) + p->ngroups * sizeof(p->groups[0])
           + p->pagecap * (sizeof(p->pages[0]) + sizeof(p->free_ids[0]));
}
