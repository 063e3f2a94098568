/*
 * The pool of head chunks: a head keeps its bytes and its owner pointing
 * at it through any number of gets, grows and puts of its group's other
 * heads; it comes zeroed, 16-byte aligned, and grows by a quarter up to
 * CHUNK_MAX_BYTES with the new room zeroed; a group laid out again holds
 * its heads back to back in key order; a group's block is reused by
 * the next group once its heads are gone, and a page goes back once all
 * its blocks do. In the store: heads growing and sealing cycle after cycle, heads
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

/* Keys per group in the pool, and the pages of blocks
 * (store/chunkpool.c). */
#define GROUP 64
#define PAGE  (64 * 1024)
#define KEYS  (3 * GROUP)

/* The byte a head of key holds at offset i of its data. */
static unsigned char
pattern(uint32_t key, size_t i)
{
    return (unsigned char)(key * 31 + i * 7 + 1);
}

/* Fills the data of key's head from byte from on. */
static void
fill_head(struct chunk *c, uint32_t key, size_t from)
{
    for (size_t i = from; i < c->cap; i++)
        c->data[i] = pattern(key, i);
}

static void
check_head(const struct chunk *c, uint32_t key, struct chunk *const *owner)
{
    assert_ptr_equal(c->owner, owner);
    assert_int_equal((uintptr_t)c % 16, 0);
    assert_int_equal(c->mint, (int64_t)key);
    for (size_t i = 0; i < c->cap; i++)
        assert_int_equal(c->data[i], pattern(key, i));
}

/* Random gets, grows and puts over three groups: every live head keeps
 * its bytes and header, and its owner follows it. */
static void
test_heads_kept(void **state)
{
    struct chunkpool *p = chunkpool_new();
    static struct chunk *head[KEYS];
    uint64_t x = 12345;
    size_t empty = chunkpool_held(p);

    (void)state;
    for (int round = 0; round < 20000; round++) {
        uint32_t key;
        struct chunk *c;

        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        key = (uint32_t)(x >> 33) % KEYS;
        c = head[key];
        if (c == NULL) {
            c = chunkpool_get(p, key, &head[key]);
            assert_ptr_equal(c, head[key]);
            assert_true(c->cap >= 32 && c->n == 0 && c->nbits == 0);
            for (size_t i = 0; i < c->cap; i++)
                assert_int_equal(c->data[i], 0);
            c->mint = key;
            fill_head(c, key, 0);
        } else if ((x >> 20) % 8 == 0) {
            chunkpool_put(p, key, c);
            head[key] = NULL;
        } else if (c->cap < CHUNK_MAX_BYTES) {
            uint16_t cap = c->cap;

            c = chunkpool_grow(p, key, c);
            assert_ptr_equal(c, head[key]);
            assert_true(c->cap > cap && c->cap <= CHUNK_MAX_BYTES);
            assert_true(c->cap == CHUNK_MAX_BYTES
                        || (c->cap >= cap + cap / 4
                            && c->cap < cap + cap / 4 + 16));
            for (size_t i = cap; i < c->cap; i++)
                assert_int_equal(c->data[i], 0);
            fill_head(c, key, cap);
        }
        if (round % 500 == 0)
            for (uint32_t k = 0; k < KEYS; k++)
                if (head[k] != NULL)
                    check_head(head[k], k, &head[k]);
    }
    for (uint32_t k = 0; k < KEYS; k++) {
        if (head[k] != NULL) {
            check_head(head[k], k, &head[k]);
            chunkpool_put(p, k, head[k]);
        }
    }
    /* Every block went back, and every page: only the tables stay. */
    assert_int_equal(chunkpool_used(p), 0);
    assert_true(chunkpool_held(p) < empty + PAGE);
    chunkpool_free(p);
}

/*
 * Heads grown in the reverse of their keys' order each move to the end
 * of their block, until it has no room: then the block is laid out
 * again, which the first head, never grown, shows by moving. Right then
 * the group's heads are back to back in key order.
 */
static void
test_relayout_order(void **state)
{
    struct chunkpool *p = chunkpool_new();
    static struct chunk *head[GROUP];
    int relayouts = 0;

    (void)state;
    for (uint32_t k = 0; k < GROUP; k++)
        chunkpool_get(p, k, &head[k])->mint = k;
    for (int round = 0; round < 5; round++) {
        for (uint32_t k = GROUP - 1; k > 0; k--) {
            struct chunk *first = head[0];

            chunkpool_grow(p, k, head[k]);
            if (head[0] == first)
                continue;
            relayouts++;
            for (uint32_t j = 0; j + 1 < GROUP; j++) {
                assert_int_equal(head[j]->mint, (int64_t)j);
                assert_ptr_equal((unsigned char *)head[j + 1],
                                 (unsigned char *)head[j]
                                 + sizeof(struct chunk) + head[j]->cap);
            }
        }
    }
    assert_true(relayouts > 0);
    for (uint32_t k = 0; k < GROUP; k++)
        chunkpool_put(p, k, head[k]);
    chunkpool_free(p);
}

/* Keys far apart are in groups of their own, each with a block; a block
 * given back goes to the next group that needs one, and a page whose
 * blocks all came back goes back to the system. */
static void
test_groups_apart(void **state)
{
    struct chunkpool *p = chunkpool_new();
    struct chunk *a, *b, *c;
    size_t held;

    (void)state;
    chunkpool_get(p, 5, &a);
    chunkpool_get(p, 100000, &b);
    assert_true(b > a ? (size_t)((char *)b - (char *)a) >= 512
                      : (size_t)((char *)a - (char *)b) >= 512);
    assert_int_equal(chunkpool_used(p), 2 * (sizeof(struct chunk) + a->cap));
    held = chunkpool_held(p);
    chunkpool_put(p, 5, a);
    chunkpool_get(p, 100000 + GROUP, &c);
    assert_ptr_equal(c, a);
    assert_int_equal(chunkpool_held(p), held);
    assert_ptr_equal(b->owner, &b);
    chunkpool_put(p, 100000, b);
    chunkpool_put(p, 100000 + GROUP, c);
    assert_int_equal(chunkpool_used(p), 0);
    assert_int_equal(chunkpool_held(p), held - PAGE);
    chunkpool_free(p);
}

/* --- in the store -------------------------------------------------------- */

#define SERIES 2000
#define STEP   15000LL
/* What the pool's held bytes may swing by at 2,000 series: a page or
 * two of the classes in use. */
#define SLACK  (2 * PAGE)

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
     * the room and holes in the groups' blocks and the partly used
     * pages of their classes, which swing with the phase of the seals
     * (0.75-1.03 MB over ten rounds with no growth, heads and spare;
     * 0.88-1.11 MB when heads were kept by size class alone). */
    fill(s, ids, 0, 240);
    store_get_stats(s, &st);
    first = st.head_bytes + st.spare;
    fill(s, ids, 240, 1200);
    store_get_stats(s, &st);
    later = st.head_bytes + st.spare;
    assert_true(later <= first + 4 * SLACK);
    /* gc drops every series: their heads go back, and the pages; the
     * log keeps its open segment. */
    store_gc(s, 1200 * STEP + 2 * 3600 * 1000);
    store_get_stats(s, &st);
    assert_int_equal(st.series, 0);
    assert_int_equal(st.head_bytes, 0);
    assert_true(held(s) < CHUNKLOG_SEGMENT + SLACK);
    /* Again after a clear: the same as the first time. */
    make_series(s, ids);
    fill(s, ids, 0, 240);
    store_clear(s);
    assert_true(held(s) < CHUNKLOG_SEGMENT + SLACK);
    make_series(s, ids);
    fill(s, ids, 0, 240);
    store_get_stats(s, &st);
    assert_true(st.head_bytes + st.spare <= first + 2 * SLACK);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heads_kept),
        cmocka_unit_test(test_relayout_order),
        cmocka_unit_test(test_groups_apart),
        cmocka_unit_test(test_store_reuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
