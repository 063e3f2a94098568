/*
 * The slab of small blocks: blocks of every class hold their bytes
 * without overlapping, come 16-byte aligned, are reused after slab_put
 * by a block of the same class, and blocks past SLAB_MAX come and go
 * through malloc; slab_held counts pages and those blocks.
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

static void
test_blocks_keep_their_bytes(void **state)
{
    struct slab *sl = slab_new();
    static unsigned char *b[NBLOCKS];
    size_t size[NBLOCKS], rounded = 0;

    (void)state;
    for (size_t i = 0; i < NBLOCKS; i++) {
        size[i] = 1 + (i * 37) % SLAB_MAX;
        b[i] = slab_get(sl, size[i]);
        assert_int_equal((uintptr_t)b[i] % 16, 0);
        memset(b[i], (int)(i & 0xff), size[i]);
        rounded += (size[i] + 15) / 16 * 16;
    }
    /* Every block still holds its own pattern: none overlaps another. */
    for (size_t i = 0; i < NBLOCKS; i++)
        for (size_t k = 0; k < size[i]; k++)
            assert_int_equal(b[i][k], i & 0xff);
    /* Pages only, 64 KiB each, each filled but for a block's room. */
    assert_int_equal(slab_held(sl) % (64 * 1024), 0);
    assert_true(slab_held(sl) <= rounded + rounded / 64 + 64 * 1024);
    slab_free(sl);
}

static void
test_reuse_and_big(void **state)
{
    struct slab *sl = slab_new();
    void *a = slab_get(sl, 80), *b, *big;
    size_t held;

    (void)state;
    slab_put(sl, a, 80);
    /* Another size of the same class (65..80 bytes) gets it back. */
    b = slab_get(sl, 72);
    assert_ptr_equal(a, b);
    held = slab_held(sl);
    big = slab_get(sl, SLAB_MAX + 1);
    memset(big, 1, SLAB_MAX + 1);
    assert_int_equal(slab_held(sl), held + SLAB_MAX + 1);
    slab_put(sl, big, SLAB_MAX + 1);
    assert_int_equal(slab_held(sl), held);
    slab_put(sl, NULL, 16);
    slab_free(sl);
    slab_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_keep_their_bytes),
        cmocka_unit_test(test_reuse_and_big),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
