/*
 * A group's block is a run of heads and holes from its front to end,
 * then free room to size. A head's size is its header and its cap; a
 * hole is a head given back (owner NULL), which keeps its cap so a walk
 * of the block can step over it. Blocks come from malloc: a group's
 * block is a few kilobytes, and the groups laying theirs out again
 * free and take blocks of about the same sizes all the time.
 */
#include "store/chunkpool.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

/* Keys per group: a block of heads is then a few kilobytes. */
#define GROUP     64
/* A new head's room: a few samples, as most series need few bytes each. */
#define FIRST_CAP 32
#define ALIGN     16

_Static_assert(sizeof(struct chunk) % ALIGN == 0, "heads stay aligned");
_Static_assert((sizeof(struct chunk) + CHUNK_MAX_BYTES) % ALIGN == 0,
               "a full head's room is CHUNK_MAX_BYTES exactly");

struct group {
    unsigned char *mem;         /* NULL: no heads */
    uint32_t size;              /* bytes of mem */
    uint32_t end;               /* bytes of heads and holes from the front */
    uint32_t live;              /* bytes of heads */
};

struct chunkpool {
    struct group *groups;       /* group k holds keys k * GROUP on */
    uint32_t ngroups;
    size_t used;                /* bytes of heads, all groups */
    size_t held;                /* bytes of blocks */
};

struct chunkpool *
chunkpool_new(void)
{
    return xcalloc(1, sizeof(struct chunkpool));
}

void
chunkpool_free(struct chunkpool *p)
{
    if (p == NULL)
        return;
    for (uint32_t k = 0; k < p->ngroups; k++)
        free(p->groups[k].mem);
    free(p->groups);
    free(p);
}

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
    size_t n = 0, need = extra, size, at = 0;
    unsigned char *mem;

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
    size = need + need / 4;
    size = (size + 255) / 256 * 256;
    mem = xmalloc(size);
    for (size_t i = 0; i < n; i++) {
        struct chunk *to = (struct chunk *)(void *)(mem + at);

        memcpy(to, heads[i], head_size(heads[i]));
        if (heads[i] == grow) {
            memset(to->data + to->cap, 0, cap - to->cap);
            to->cap = cap;
        }
        *to->owner = to;
        at += head_size(to);
    }
    free(g->mem);
    p->held += size - g->size;
    p->used += at - g->live;
    *g = (struct group){ mem, (uint32_t)size, (uint32_t)at, (uint32_t)at };
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
        free(g->mem);
        p->held -= g->size;
        *g = (struct group){ NULL, 0, 0, 0 };
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
    return p->held + sizeof(*p) + p->ngroups * sizeof(p->groups[0]);
}
