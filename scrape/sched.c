/*
 * The scrape schedule (see scrape/sched.h): each target's slots, and a
 * binary min-heap of the pool's targets by their next due time. It
 * starts no scrape and knows nothing of transfers; scrape/pool.c does.
 */
#include "scrape/sched.h"

#include <stdbool.h>
#include <stdlib.h>

#include "scrape/target.h"
#include "src/base/xalloc.h"

/* New targets start within this much (or their interval, if shorter). */
#define FIRST_SPREAD_MS 1000

/* Whether a is due before b: by time, then by identity. */
static bool
before(const struct target *a, const struct target *b)
{
    if (a->sched.next_ms != b->sched.next_ms)
        return a->sched.next_ms < b->sched.next_ms;
    return a->ident.hash < b->ident.hash;
}

/* Moves the entry at i down until neither child is due before it. */
static void
sift_down(struct sched *s, size_t i)
{
    struct target *t = s->heap[i];

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= s->n)
            break;
        if (c + 1 < s->n && before(s->heap[c + 1], s->heap[c]))
            c++;
        if (!before(s->heap[c], t))
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    s->heap[i] = t;
}

void
sched_init(struct sched *s)
{
    s->heap = NULL;
    s->n = s->cap = 0;
}

void
sched_fini(struct sched *s)
{
    free(s->heap);
    sched_init(s);
}

void
sched_rebuild(struct sched *s, struct target *const *t, size_t n)
{
    if (n > s->cap) {
        s->heap = xreallocarray(s->heap, n, sizeof(*s->heap));
        s->cap = n;
    }
    for (size_t i = 0; i < n; i++)
        s->heap[i] = t[i];
    s->n = n;
    /* Floyd's construction: each parent, from the last one up. */
    for (size_t i = n / 2; i-- > 0;)
        sift_down(s, i);
}

struct target *
sched_top(const struct sched *s)
{
    return s->n > 0 ? s->heap[0] : NULL;
}

void
sched_top_moved(struct sched *s)
{
    if (s->n > 0)
        sift_down(s, 0);
}

int64_t
sched_slot_after(const struct target *t, int64_t x)
{
    int64_t iv = t->sched.interval_ms;
    int64_t offset = (int64_t)(t->ident.hash % (uint64_t)iv);
    int64_t r = (x - offset) % iv;

    if (r < 0)
        r += iv;
    return x - r + iv;
}

int64_t
sched_first(const struct target *t, int64_t now_ms)
{
    int64_t iv = t->sched.interval_ms;
    int64_t spread = iv < FIRST_SPREAD_MS ? iv : FIRST_SPREAD_MS;

    return now_ms + (int64_t)(t->ident.hash % (uint64_t)spread);
}
