/*
 * Go's sort.Sort, step for step: the order it leaves equal elements in.
 * Prometheus sorts some results with it (topk and bottomk's heap, for
 * one), and its sort is not stable, so an answer that lists tied values
 * has the order Go's algorithm happens to give them. Go 1.19 (the
 * toolchain of the Prometheus 2.42 Debian ships) sorts by
 * pattern-defeating quicksort: insertion sort up to 12 elements,
 * median-of-three or Tukey's ninther pivots, a deterministic xorshift to
 * break patterns, heapsort when the pivots keep going bad.
 *
 * Ownership: nothing is allocated; ctx is the caller's.
 */
#ifndef QUERY_GOSORT_H
#define QUERY_GOSORT_H

#include <stdbool.h>

/* The two halves of Go's sort.Interface over elements 0 .. n-1. */
struct gosort_ops {
    bool (*less)(void *ctx, int i, int j);
    void (*swap)(void *ctx, int i, int j);
};

/* Sorts elements 0 .. n-1 of ctx as Go's sort.Sort does. */
void gosort_sort(const struct gosort_ops *ops, void *ctx, int n);

#endif
