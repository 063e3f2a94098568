/*
 * Segments are found by a 16-bit slot each chunk records, and are mapped
 * from the system rather than malloc'd, so freed ones go back at once
 * instead of leaving heap holes for growing heads to splinter. It does not
 * compact: a segment lives until its last chunk goes, which retention
 * bounds.
 */
#include "store/chunklog.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "src/base/xalloc.h"

#define NO_SEG UINT32_MAX

struct segment {
    unsigned char *data;    /* NULL: free slot */
    uint32_t used;          /* bytes handed out, from the start */
    uint32_t live;          /* bytes of chunks not yet released */
    bool heap;              /* from xmalloc, when mapping failed */
};

struct chunklog {
    struct segment *segs;
    uint32_t nsegs, cap;
    uint16_t *free_slots;
    uint32_t nfree;
    uint32_t cur[CHUNKLOG_LANES];   /* the segment each lane adds to, or
                                       NO_SEG */
    size_t used, held;
};

_Static_assert(CHUNK_MAX_BYTES + sizeof(struct chunk) <= CHUNKLOG_SEGMENT,
               "a chunk fits a segment");

struct chunklog *
chunklog_new(void)
{
    struct chunklog *l = xcalloc(1, sizeof(*l));

    for (int i = 0; i < CHUNKLOG_LANES; i++)
        l->cur[i] = NO_SEG;
    return l;
}

/* A segment's memory: mapped, or from xmalloc (fatal when that fails). */
static void
segment_alloc(struct segment *sg)
{
    void *p = mmap(NULL, CHUNKLOG_SEGMENT, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    sg->heap = p == MAP_FAILED;
    sg->data = sg->heap ? xmalloc(CHUNKLOG_SEGMENT) : p;
}

static void
segment_unmap(struct segment *sg)
{
    if (sg->data == NULL)
        return;
    if (sg->heap)
        free(sg->data);
    else
        munmap(sg->data, CHUNKLOG_SEGMENT);
}

void
chunklog_free(struct chunklog *l)
{
    if (l == NULL)
        return;
    for (uint32_t i = 0; i < l->nsegs; i++)
        segment_unmap(&l->segs[i]);
    free(l->segs);
    free(l->free_slots);
    free(l);
}

/* Bytes a chunk takes in the log: 8-byte aligned for the next header. */
static size_t
log_size(const struct chunk *c)
{
    return (sizeof(*c) + c->cap + 7) & ~(size_t)7;
}

static void
drop_segment(struct chunklog *l, uint32_t i)
{
    segment_unmap(&l->segs[i]);
    memset(&l->segs[i], 0, sizeof(l->segs[i]));
    l->held -= CHUNKLOG_SEGMENT;
    l->free_slots[l->nfree++] = (uint16_t)i;
}

/* Whether segment i is a lane's to add to (and so stays while empty). */
static bool
is_open(const struct chunklog *l, uint32_t i)
{
    for (int k = 0; k < CHUNKLOG_LANES; k++)
        if (l->cur[k] == i)
            return true;
    return false;
}

/* Opens a new segment for lane to add to, closing its current one. */
static void
open_segment(struct chunklog *l, enum chunklog_lane lane)
{
    uint32_t i = l->cur[lane];

    if (i != NO_SEG && l->segs[i].live == 0)
        drop_segment(l, i);
    if (l->nfree > 0) {
        i = l->free_slots[--l->nfree];
    } else {
        assert(l->nsegs <= UINT16_MAX);     /* 16 GiB of chunks */
        if (l->nsegs == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 16;
            l->segs = xreallocarray(l->segs, l->cap, sizeof(l->segs[0]));
            l->free_slots = xreallocarray(l->free_slots, l->cap,
                                          sizeof(l->free_slots[0]));
        }
        i = l->nsegs++;
    }
    segment_alloc(&l->segs[i]);
    l->segs[i].used = l->segs[i].live = 0;
    l->held += CHUNKLOG_SEGMENT;
    l->cur[lane] = i;
}

struct chunk *
chunklog_add(struct chunklog *l, const struct chunk *c,
             enum chunklog_lane lane)
{
    size_t bytes = (c->nbits + 7u) / 8, size;
    struct segment *sg;
    struct chunk *copy;

    size = (sizeof(*c) + bytes + 7) & ~(size_t)7;
    if (l->cur[lane] == NO_SEG
        || l->segs[l->cur[lane]].used + size > CHUNKLOG_SEGMENT)
        open_segment(l, lane);
    sg = &l->segs[l->cur[lane]];
    copy = (struct chunk *)(void *)(sg->data + sg->used);
    memcpy(copy, c, sizeof(*c) + bytes);
    copy->cap = (uint16_t)(size - sizeof(*c));
    copy->seg = (uint16_t)l->cur[lane];
    copy->next = NULL;
    sg->used += (uint32_t)size;
    sg->live += (uint32_t)size;
    l->used += size;
    return copy;
}

void
chunklog_release(struct chunklog *l, struct chunk *c)
{
    uint32_t i = c->seg;
    size_t size = log_size(c);

    assert(i < l->nsegs && l->segs[i].live >= size);
    l->segs[i].live -= (uint32_t)size;
    l->used -= size;
    if (l->segs[i].live == 0 && !is_open(l, i))
        drop_segment(l, i);
}

size_t
chunklog_used(const struct chunklog *l)
{
    return l->used;
}

size_t
chunklog_held(const struct chunklog *l)
{
    return l->held + l->cap * (sizeof(l->segs[0]) + sizeof(uint16_t));
}
