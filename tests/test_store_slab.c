/*
 * The slab of small blocks: blocks of every class hold their bytes
 * without overlapping, come 8-byte aligned under handles that are never
 * SLAB_NONE, are reused after slab_put by a block of the same class, and
 * blocks past SLAB_MAX come and go through malloc under handles of their
 * own, reused too; slab_held counts pages and those blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/slab.h"

#define NBLOCKS 5000
#define PAGE    (64 * 1024)

static void
test_blocks_keep_their_bytes(void **state)
{
    struct slab *sl = slab_new();
    static uint32_t h[NBLOCKS];
    size_t size[NBLOCKS], rounded = 0;

    (void)state;
    for (size_t i = 0; i < NBLOCKS; i++) {
        unsigned char *b;

        size[i] = 1 + (i * 37) % SLAB_MAX;
        h[i] = slab_get(sl, size[i]);
        assert_int_not_equal(h[i], SLAB_NONE);
        b = slab_at(sl, h[i]);
        assert_int_equal((uintptr_t)b % 8, 0);
        memset(b, (int)(i & 0xff), size[i]);
        rounded += (size[i] + 7) / 8 * 8;
    }
    /* Every block still holds its own pattern: none overlaps another. */
    for (size_t i = 0; i < NBLOCKS; i++) {
        const unsigned char *b = slab_at(sl, h[i]);

        for (size_t k = 0; k < size[i]; k++)
            assert_int_equal(b[k], i & 0xff);
    }
    /* Pages, 64 KiB each, each filled but for a block's room, and the
     * array of them. */
    assert_true(slab_held(sl) >= rounded);
    assert_true(slab_held(sl) <= rounded + rounded / 64 + PAGE + 4096);
    slab_free(sl);
}

static void
test_reuse(void **state)
{
    struct slab *sl = slab_new();
    uint32_t a = slab_get(sl, 80), b, c;

    (void)state;
    c = slab_get(sl, 80);
    slab_put(sl, a, 80);
    /* Another size of the same class (73..80 bytes) gets it back. */
    b = slab_get(sl, 73);
    assert_int_equal(a, b);
    /* One of another class does not. */
    slab_put(sl, b, 73);
    b = slab_get(sl, 72);
    assert_int_not_equal(a, b);
    assert_int_not_equal(c, b);
    slab_put(sl, SLAB_NONE, 16);
    slab_free(sl);
    slab_free(NULL);
}

/* Blocks over SLAB_MAX: malloc'd, counted while out, their handles
 * reused, and any still out freed with the slab. */
static void
test_big(void **state)
{
    struct slab *sl = slab_new();
    uint32_t small = slab_get(sl, 8), big, again, other;
    size_t held = slab_held(sl), grown;

    (void)state;
    big = slab_get(sl, SLAB_MAX + 1);
    assert_int_not_equal(big, SLAB_NONE);
    assert_int_not_equal(big, small);
    memset(slab_at(sl, big), 1, SLAB_MAX + 1);
    grown = slab_held(sl);
    assert_true(grown >= held + SLAB_MAX + 1);
    other = slab_get(sl, 4000);
    memset(slab_at(sl, other), 2, 4000);
    slab_put(sl, big, SLAB_MAX + 1);
    again = slab_get(sl, 1000);
    assert_int_equal(again, big);
    memset(slab_at(sl, again), 3, 1000);
    /* The first block's bytes are untouched by the big ones. */
    memset(slab_at(sl, small), 9, 8);
    assert_int_equal(((unsigned char *)slab_at(sl, other))[3999], 2);
    slab_free(sl);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_keep_their_bytes),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_big),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
