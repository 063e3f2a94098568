/*
 * The series cache on its own: front-coded keys found in body order, in
 * reverse and in a scrambled order, keys that are prefixes or extensions
 * of others, misses, the sweep of series a scrape no longer reports
 * (order and ids kept), and the bytes the keys take against their
 * whole length. Each answer is checked against the list of what was put
 * in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scrape/cache.h"
#include "scrape/target.h"

#define NKEYS 1000

/* Key k, shaped like a body's series text; some are odd on purpose. */
static size_t
make_key(char *out, size_t size, int k)
{
    switch (k % 50) {
    case 7:     /* a prefix of the key before it */
        return (size_t)snprintf(out, size, "app_synthetic_total");
    case 13:    /* differs early */
        return (size_t)snprintf(out, size, "zz%d", k);
    case 21:    /* one long key */
        return (size_t)snprintf(out, size, "%0300d{a=\"%d\"}", k, k);
    default:
        return (size_t)snprintf(out, size,
                                "app_synthetic_total{id=\"%05d\",shard=\"%d\"}",
                                k, k % 16);
    }
}

/* Distinct keys: case 7 repeats, so only its first use counts. */
static bool
key_used(int k)
{
    return k % 50 != 7 || k == 7;
}

static void
fill(struct series_cache *c, size_t *total)
{
    char key[512];

    *total = 0;
    for (int k = 0; k < NKEYS; k++) {
        size_t len = make_key(key, sizeof(key), k);

        if (!key_used(k))
            continue;
        assert_null(cache_find(c, key, len));
        cache_insert(c, key, len, (uint32_t)k, 1);
        *total += len;
    }
}

static void
expect(struct series_cache *c, int k)
{
    char key[512];
    size_t len = make_key(key, sizeof(key), k);
    struct cache_entry *e = cache_find(c, key, len);

    assert_non_null(e);
    assert_int_equal(e->id, (uint32_t)k);
}

static void
test_orders(void **state)
{
    struct series_cache c = { 0 };
    size_t total;
    char key[600];

    (void)state;
    fill(&c, &total);
    /* The keys take far less than their whole length. */
    assert_true(c.klen * 2 < total);
    cache_rewind(&c);
    for (int k = 0; k < NKEYS; k++)
        if (key_used(k))
            expect(&c, k);
    for (int k = NKEYS; k-- > 0;)
        if (key_used(k))
            expect(&c, k);
    for (int i = 0; i < NKEYS; i++) {
        int k = (i * 617) % NKEYS;      /* 617 is prime to NKEYS */

        if (key_used(k))
            expect(&c, k);
    }
    /* Misses: a key cut short, one extended, one changed inside. */
    snprintf(key, sizeof(key), "app_synthetic_total{id=\"00001\",shard=\"1\"");
    assert_null(cache_find(&c, key, strlen(key)));
    snprintf(key, sizeof(key), "app_synthetic_total{id=\"00001\",shard=\"1\"}x");
    assert_null(cache_find(&c, key, strlen(key)));
    snprintf(key, sizeof(key), "app_synthetic_totaL{id=\"00001\",shard=\"1\"}");
    assert_null(cache_find(&c, key, strlen(key)));
    cache_clear(&c);
}

static void
test_sweep(void **state)
{
    struct series_cache c = { 0 };
    size_t total;
    char key[512];

    (void)state;
    fill(&c, &total);
    /* Scrape 2 reports every third key, in body order. */
    cache_rewind(&c);
    for (int k = 0; k < NKEYS; k += 3) {
        size_t len = make_key(key, sizeof(key), k);
        struct cache_entry *e;

        if (!key_used(k))
            continue;
        e = cache_find(&c, key, len);
        assert_non_null(e);
        e->iter = 2;
    }
    cache_sweep(&c, 2);
    for (size_t i = 1; i < c.n; i++)
        assert_true(c.v[i - 1].id < c.v[i].id);
    cache_rewind(&c);
    for (int k = 0; k < NKEYS; k++) {
        size_t len = make_key(key, sizeof(key), k);

        if (!key_used(k))
            continue;
        if (k % 3 == 0)
            expect(&c, k);
        else
            assert_null(cache_find(&c, key, len));
    }
    /* New keys after the sweep go on the end and are found too. */
    cache_insert(&c, "new_one", 7, 5000, 3);
    cache_insert(&c, "new_one{x=\"1\"}", 14, 5001, 3);
    assert_int_equal(cache_find(&c, "new_one", 7)->id, 5000);
    assert_int_equal(cache_find(&c, "new_one{x=\"1\"}", 14)->id, 5001);
    expect(&c, 999);
    cache_sweep(&c, 4);
    assert_int_equal(c.n, 0);
    assert_null(c.keys);
    cache_clear(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orders),
        cmocka_unit_test(test_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
