/*
 * Arena allocation in a chain of blocks. Blocks double in size up to 1 MiB;
 * a request bigger than a block gets a block of its own. arena_realloc
 * extends in place when p was the last allocation, which keeps growing
 * arrays (vectors built point by point) cheap.
 */
#include "src/base/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

#define ARENA_ALIGN     alignof(max_align_t)
#define ARENA_FIRST     4096
#define ARENA_MAXBLOCK  (1u << 20)

struct block {
    struct block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct block *head;     /* the block allocations come from */
    size_t next_size;
    size_t total;
    void *last;             /* the most recent allocation, for realloc */
};

struct arena *
arena_new(void)
{
    struct arena *a = xcalloc(1, sizeof(*a));

    a->next_size = ARENA_FIRST;
    return a;
}

static void
free_blocks(struct block *b)
{
    while (b != NULL) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
}

void
arena_free(struct arena *a)
{
    if (a == NULL)
        return;
    free_blocks(a->head);
    free(a);
}

void
arena_reset(struct arena *a)
{
    struct block *keep = a->head;

    if (keep == NULL)
        return;
    /* Keep the newest (largest) block, drop the older chain. */
    free_blocks(keep->next);
    keep->next = NULL;
    keep->used = 0;
    a->total = 0;
    a->last = NULL;
}

static size_t
align_up(size_t n)
{
    return (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

void *
arena_alloc(struct arena *a, size_t size)
{
    struct block *b = a->head;
    void *p;

    size = align_up(size ? size : 1);
    if (b == NULL || b->size - b->used < size) {
        size_t bsize = a->next_size;

        while (bsize < size)
            bsize *= 2;
        if (a->next_size < ARENA_MAXBLOCK)
            a->next_size *= 2;
        b = xmalloc(sizeof(*b) + bsize);
        b->size = bsize;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    p = b->data + b->used;
    b->used += size;
    a->total += size;
    a->last = p;
    return p;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
    void *p;

    if (size != 0 && nmemb > SIZE_MAX / size)
        xalloc_fatal(NULL, SIZE_MAX);
    p = arena_alloc(a, nmemb * size);
    memset(p, 0, nmemb * size);
    return p;
}

void *
arena_realloc(struct arena *a, void *p, size_t old_size, size_t new_size)
{
    struct block *b = a->head;
    void *q;

    if (p == NULL)
        return arena_alloc(a, new_size);
    if (new_size <= old_size)
        return p;
    /* Grow in place when p is the newest allocation and there is room. */
    if (p == a->last && b != NULL) {
        size_t off = (size_t)((unsigned char *)p - b->data);
        size_t need = align_up(new_size);

        if (off + need <= b->size) {
            a->total += need - (b->used - off);
            b->used = off + need;
            return p;
        }
    }
    q = arena_alloc(a, new_size);
    memcpy(q, p, old_size);
    return q;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

size_t
arena_used(const struct arena *a)
{
    return a->total;
}
