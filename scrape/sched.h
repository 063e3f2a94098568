/*
 * The scrape schedule: when each target of a pool is scraped next, and
 * the targets ordered by that time in a binary min-heap, so that the
 * loop learns the next due time in O(1) and starts a due target in
 * O(log n), however many targets wait.
 *
 * The slots. A target's scrapes fall on the times t with
 * (t - offset) % interval == 0, where offset = hash % interval and hash
 * is the target's identity (its URL and labels): targets spread over the
 * interval and each keeps its place across restarts, as Prometheus
 * spreads them. A new target's first scrape comes at now + hash % spread
 * (spread: a second, or its interval if shorter), so that a thousand new
 * targets do not fire at once; every later one sits on its slot. A
 * scrape that starts is followed by the first slot at least half an
 * interval on; a slot that finds the last scrape still running is
 * skipped (the next slot after now). A loop that woke late does not
 * catch up on the slots it missed.
 *
 * The heap holds every target of the pool, ordered by sched.next_ms
 * (ties by hash, so the order does not depend on memory). Only the top
 * changes between rebuilds: the pool takes it while it is due, sets its
 * next time, and calls sched_top_moved. A target list that changes
 * (scrape_pool_set_targets) or a start of every target rebuilds the heap
 * whole, in O(n).
 *
 * Private to scrape/pool.c (tests may include it). Ownership: the heap
 * borrows the targets, which belong to the pool; it owns its array.
 */
#ifndef SCRAPE_SCHED_H
#define SCRAPE_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct target;

struct sched {
    struct target **heap;
    size_t n, cap;
};

void sched_init(struct sched *s);
void sched_fini(struct sched *s);
/* Holds exactly the n targets of t, ordered by their next_ms. */
void sched_rebuild(struct sched *s, struct target *const *t, size_t n);
/* The target due first, or NULL when there are none. */
struct target *sched_top(const struct sched *s);
/* The top's next_ms changed (it only grows): the heap is ordered again. */
void sched_top_moved(struct sched *s);

/* The first time after x on the target's slot in its interval. */
int64_t sched_slot_after(const struct target *t, int64_t x);
/* A new target's first scrape, for a target made live at now_ms. */
int64_t sched_first(const struct target *t, int64_t now_ms);

#endif
