/*
 * Go 1.19's sort.Sort (pattern-defeating quicksort), written again from
 * its description so that equal elements end where Go leaves them. Every
 * comparison and swap happens in the same order as Go's, which is what
 * makes the ties come out the same; nothing here is tuned beyond that.
 */
#include "query/gosort.h"

#include <stdint.h>

/* What choose_pivot learned about the order of the slice. */
enum hint { HINT_UNKNOWN, HINT_INCREASING, HINT_DECREASING };

struct sorter {
    const struct gosort_ops *ops;
    void *ctx;
};

static bool
less(const struct sorter *s, int i, int j)
{
    return s->ops->less(s->ctx, i, j);
}

static void
swap(const struct sorter *s, int i, int j)
{
    s->ops->swap(s->ctx, i, j);
}

/* Go's bits.Len: the number of bits needed to write n. */
static int
bit_len(unsigned n)
{
    int b = 0;

    while (n != 0) {
        b++;
        n >>= 1;
    }
    return b;
}

static void
insertion_sort(const struct sorter *s, int a, int b)
{
    for (int i = a + 1; i < b; i++)
        for (int j = i; j > a && less(s, j, j - 1); j--)
            swap(s, j, j - 1);
}

/* Restores the max-heap below root in [lo, hi) of the heap at first. */
static void
sift_down(const struct sorter *s, int lo, int hi, int first)
{
    int root = lo;

    for (;;) {
        int child = 2 * root + 1;

        if (child >= hi)
            return;
        if (child + 1 < hi && less(s, first + child, first + child + 1))
            child++;
        if (!less(s, first + root, first + child))
            return;
        swap(s, first + root, first + child);
        root = child;
    }
}

static void
heap_sort(const struct sorter *s, int a, int b)
{
    int hi = b - a;

    for (int i = (hi - 1) / 2; i >= 0; i--)
        sift_down(s, i, hi, a);
    for (int i = hi - 1; i >= 0; i--) {
        swap(s, a, a + i);
        sift_down(s, 0, i, a);
    }
}

/* The index of the middle of three by value, counting the swaps a
 * three-element sort would make (they hint at the slice's order). */
static int
median(const struct sorter *s, int a, int b, int c, int *swaps)
{
    int t;

    if (less(s, b, a)) {
        (*swaps)++;
        t = a, a = b, b = t;
    }
    if (less(s, c, b)) {
        (*swaps)++;
        t = b, b = c, c = t;
    }
    if (less(s, b, a)) {
        (*swaps)++;
        b = a;
    }
    return b;
}

/*
 * The pivot for [a, b): the element a quarter of the way in below 8
 * elements, else the median of the quarter points, and from 50 elements
 * the median of their neighbourhoods' medians (Tukey's ninther).
 */
static int
choose_pivot(const struct sorter *s, int a, int b, enum hint *hint)
{
    int l = b - a, swaps = 0;
    int i = a + l / 4, j = a + l / 4 * 2, k = a + l / 4 * 3;

    if (l >= 8) {
        if (l >= 50) {
            i = median(s, i - 1, i, i + 1, &swaps);
            j = median(s, j - 1, j, j + 1, &swaps);
            k = median(s, k - 1, k, k + 1, &swaps);
        }
        j = median(s, i, j, k, &swaps);
    }
    *hint = swaps == 0 ? HINT_INCREASING
            : swaps == 12 ? HINT_DECREASING : HINT_UNKNOWN;
    return j;
}

static void
reverse_range(const struct sorter *s, int a, int b)
{
    for (int i = a, j = b - 1; i < j; i++, j--)
        swap(s, i, j);
}

/*
 * Moves the pivot to a, splits the rest around it and puts it between
 * the halves; returns its place, and whether nothing had to move.
 */
static int
partition(const struct sorter *s, int a, int b, int pivot, bool *already)
{
    int i = a + 1, j = b - 1;

    swap(s, a, pivot);
    while (i <= j && less(s, i, a))
        i++;
    while (i <= j && !less(s, j, a))
        j--;
    *already = i > j;
    if (i > j) {
        swap(s, j, a);
        return j;
    }
    swap(s, i, j);
    i++;
    j--;
    for (;;) {
        while (i <= j && less(s, i, a))
            i++;
        while (i <= j && !less(s, j, a))
            j--;
        if (i > j)
            break;
        swap(s, i, j);
        i++;
        j--;
    }
    swap(s, j, a);
    return j;
}

/* [a, b) holds nothing below the pivot: the elements equal to it go
 * first; returns where the greater ones start. */
static int
partition_equal(const struct sorter *s, int a, int b, int pivot)
{
    int i = a + 1, j = b - 1;

    swap(s, a, pivot);
    for (;;) {
        while (i <= j && !less(s, a, i))
            i++;
        while (i <= j && less(s, a, j))
            j--;
        if (i > j)
            return i;
        swap(s, i, j);
        i++;
        j--;
    }
}

/* Moves one element of up to 5 out-of-order pairs into place (only in
 * slices of 50 or more); true when the slice ends up sorted. */
static bool
partial_insertion_sort(const struct sorter *s, int a, int b)
{
    int i = a + 1;

    for (int step = 0; step < 5; step++) {
        while (i < b && !less(s, i, i - 1))
            i++;
        if (i == b)
            return true;
        if (b - a < 50)
            return false;
        swap(s, i, i - 1);
        if (i - a >= 2)
            for (int j = i - 1; j >= 1 && less(s, j, j - 1); j--)
                swap(s, j, j - 1);
        if (b - i >= 2)
            for (int j = i + 1; j < b && less(s, j, j - 1); j++)
                swap(s, j, j - 1);
    }
    return false;
}

/* Swaps three elements near the middle with pseudo-random others; the
 * generator is seeded with the length, so it is the same every run. */
static void
break_patterns(const struct sorter *s, int a, int b)
{
    int length = b - a;
    uint64_t r = (uint64_t)length;
    unsigned modulus = 1u << bit_len((unsigned)length);

    if (length < 8)
        return;
    for (int idx = a + length / 4 * 2 - 1; idx <= a + length / 4 * 2 + 1;
         idx++) {
        int other;

        r ^= r << 13;
        r ^= r >> 17;
        r ^= r << 5;
        other = (int)((unsigned)r & (modulus - 1));
        if (other >= length)
            other -= length;
        swap(s, idx, a + other);
    }
}

/* limit: how many badly unbalanced splits are left before heapsort. */
static void
pdqsort(const struct sorter *s, int a, int b, int limit)
{
    bool balanced = true, partitioned = true;

    for (;;) {
        int length = b - a, pivot, mid;
        enum hint hint;

        if (length <= 12) {
            insertion_sort(s, a, b);
            return;
        }
        if (limit == 0) {
            heap_sort(s, a, b);
            return;
        }
        if (!balanced) {
            break_patterns(s, a, b);
            limit--;
        }
        pivot = choose_pivot(s, a, b, &hint);
        if (hint == HINT_DECREASING) {
            reverse_range(s, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = HINT_INCREASING;
        }
        if (balanced && partitioned && hint == HINT_INCREASING
            && partial_insertion_sort(s, a, b))
            return;
        /* Whatever came before a is no greater than the pivot: many
         * duplicates, so the run equal to it is set aside at once. */
        if (a > 0 && !less(s, a - 1, pivot)) {
            a = partition_equal(s, a, b, pivot);
            continue;
        }
        mid = partition(s, a, b, pivot, &partitioned);
        if (mid - a < b - mid) {
            balanced = mid - a >= length / 8;
            pdqsort(s, a, mid, limit);
            a = mid + 1;
        } else {
            balanced = b - mid >= length / 8;
            pdqsort(s, mid + 1, b, limit);
            b = mid;
        }
    }
}

void
gosort_sort(const struct gosort_ops *ops, void *ctx, int n)
{
    struct sorter s = { ops, ctx };

    if (n > 1)
        pdqsort(&s, 0, n, bit_len((unsigned)n));
}
