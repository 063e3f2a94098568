/*
 * The pool of head chunks: blocks of every size hold their bytes without
 * overlapping and come zeroed, 16-byte aligned, with the room asked for;
 * a freed block is reused by the next of its class; pages go back once
 * empty. In the store: heads growing and sealing cycle after cycle, heads
 * of dropped series and a store_clear leave the pool no larger than the
 * first cycle made it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/chunklog.h"
#include "store/chunkpool.h"
#include "store/store.h"

#define NBLOCKS 3000
#define PAGE    (64 * 1024)

static void
test_many_sizes(void **state)
{
    struct chunkpool *p = chunkpool_new();
    static struct chunk *c[NBLOCKS];
    size_t table = chunkpool_held(p);

    (void)state;
    for (size_t i = 0; i < NBLOCKS; i++) {
        size_t cap = (i * 37) % (CHUNK_MAX_BYTES + 1);

        c[i] = chunkpool_get(p, cap);
        assert_int_equal((uintptr_t)c[i] % 16, 0);
        assert_true(c[i]->cap >= cap && c[i]->cap >= 32
                    && c[i]->cap < (cap > 32 ? cap : 32) + 16);
        for (size_t k = 0; k < c[i]->cap; k++)
            assert_int_equal(c[i]->data[k], 0);
        assert_true(c[i]->n == 0 && c[i]->nbits == 0 && c[i]->next == NULL);
        memset(c[i]->data, (int)(i & 0xff), c[i]->cap);
        c[i]->mint = (int64_t)i;
    }
    for (size_t i = 0; i < NBLOCKS; i++) {
        assert_int_equal(c[i]->mint, (int64_t)i);
        for (size_t k = 0; k < c[i]->cap; k++)
            assert_int_equal(c[i]->data[k], i & 0xff);
    }
    assert_true(chunkpool_held(p) > table);
    for (size_t i = 0; i < NBLOCKS; i++)
        chunkpool_put(p, c[i]);
    /* Every page emptied went back; only the page table stays. */
    assert_true(chunkpool_held(p) < PAGE);
    chunkpool_free(p);
}

static void
test_reuse(void **state)
{
    struct chunkpool *p = chunkpool_new();
    struct chunk *a, *b, *c;
    size_t held;

    (void)state;
    a = chunkpool_get(p, 100);
    b = chunkpool_get(p, 100);
    held = chunkpool_held(p);
    chunkpool_put(p, a);
    /* The same class takes the freed block, another class a new page. */
    c = chunkpool_get(p, 97);
    assert_ptr_equal(c, a);
    assert_int_equal(chunkpool_held(p), held);
    a = chunkpool_get(p, 200);
    assert_int_equal(chunkpool_held(p), held + PAGE);
    chunkpool_put(p, a);
    assert_int_equal(chunkpool_held(p), held);
    chunkpool_put(p, b);
    chunkpool_put(p, c);
    chunkpool_free(p);
}

/* A full page leaves its class's list and comes back with a put. */
static void
test_full_pages(void **state)
{
    struct chunkpool *p = chunkpool_new();
    static struct chunk *c[4 * PAGE / 64];
    size_t n = sizeof(c) / sizeof(c[0]), held;

    (void)state;
    for (size_t i = 0; i < n; i++)
        c[i] = chunkpool_get(p, 32);
    held = chunkpool_held(p);
    assert_true(held >= 4 * PAGE && held < 5 * PAGE);
    /* One block back in each page; the next four gets take them. */
    for (size_t i = 0; i < n; i += PAGE / 64)
        chunkpool_put(p, c[i]);
    for (size_t i = 0; i < n; i += PAGE / 64)
        c[i] = chunkpool_get(p, 32);
    assert_int_equal(chunkpool_held(p), held);
    for (size_t i = 0; i < n; i++)
        chunkpool_put(p, c[i]);
    assert_true(chunkpool_held(p) < PAGE);
    chunkpool_free(p);
}

/* --- in the store -------------------------------------------------------- */

#define SERIES 2000
#define STEP   15000LL

static size_t
held(const struct store *s)
{
    struct store_stats st;

    store_get_stats(s, &st);
    return st.head_bytes + st.spare + st.sealed_bytes;
}

static void
make_series(struct store *s, uint32_t *ids)
{
    char name[16];
    struct label l[1] = { { "__name__", name } };
    struct labels ls = { l, 1 };

    for (uint32_t i = 0; i < SERIES; i++) {
        snprintf(name, sizeof(name), "m%u", i);
        ids[i] = store_series_id(s, &ls);
    }
}

/* Samples from..to (in steps) of noisy values into every series:
 * fractions, so the chunks are XOR ones of the sizes this test's bounds
 * were set for (integer chunks of these values come in other sizes, and
 * 2,000 heads touch too few blocks of each size class for the bounds of
 * a page or two to mean much). */
static void
fill(struct store *s, const uint32_t *ids, int64_t from, int64_t to)
{
    for (int64_t k = from; k < to; k++)
        for (uint32_t i = 0; i < SERIES; i++)
            assert_int_equal(store_append(s, ids[i], k * STEP,
                                          (double)((k * 7919 + i) % 1000)
                                          + 0.5),
                             0);
}

static void
test_store_reuse(void **state)
{
    struct store *s = store_new(3600 * 1000, 0);
    static uint32_t ids[SERIES];
    struct store_stats st;
    size_t first, later;

    (void)state;
    make_series(s, ids);
    /* Heads grow and seal ten times over: the pool holds what the first
     * round needed (what the log holds grows as it must), give or take
     * the partly free pages of some 60 size classes, which swing with
     * the phase of the seals (0.87-1.11 MB over twenty rounds, with no
     * growth, when these values became 8 bytes a chunk smaller). */
    fill(s, ids, 0, 240);
    store_get_stats(s, &st);
    first = st.head_bytes + st.spare;
    fill(s, ids, 240, 1200);
    store_get_stats(s, &st);
    later = st.head_bytes + st.spare;
    assert_true(later <= first + 4 * PAGE);
    /* gc drops every series: their heads go back, and the pages; the
     * log keeps its open segment. */
    store_gc(s, 1200 * STEP + 2 * 3600 * 1000);
    store_get_stats(s, &st);
    assert_int_equal(st.series, 0);
    assert_int_equal(st.head_bytes, 0);
    assert_true(held(s) < CHUNKLOG_SEGMENT + PAGE);
    /* Again after a clear: the same as the first time. */
    make_series(s, ids);
    fill(s, ids, 0, 240);
    store_clear(s);
    assert_true(held(s) < CHUNKLOG_SEGMENT + PAGE);
    make_series(s, ids);
    fill(s, ids, 0, 240);
    store_get_stats(s, &st);
    assert_true(st.head_bytes + st.spare <= first + 2 * PAGE);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_sizes),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_full_pages),
        cmocka_unit_test(test_store_reuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
