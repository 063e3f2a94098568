/*
 * The dashboard read cache (query/cache.h) against the store itself:
 * frame after frame, while series are appended to (one sample, several,
 * or none between frames), cut into new chunks, given staleness
 * markers, stopped, dropped by retention and by a byte budget, and their
 * ids reused by new series, every read through the cache must return
 * exactly what store_read returns for the same window: the same samples,
 * timestamps and value bits. Windows vary as a dashboard's do (lookback,
 * rate ranges, a page's whole range now and then, windows past the
 * newest sample), and so does how often a frame begins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/cache.h"
#include "src/base/xalloc.h"
#include "store/store.h"

#define NSER    24
#define STEP    5000LL          /* the scrape interval */
#define MIN     60000LL

/* A replay's knobs. */
struct setup {
    int64_t retention;          /* the store's, 0: none */
    size_t budget;              /* the store's byte budget, 0: none */
    size_t cache_bytes;         /* the cache's ceiling */
    int frames;
};

static unsigned
rnd(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* Series k's labels: its name and a generation, so a series that comes
 * back after being dropped is a new series (and may get a reused id). */
static uint32_t
series(struct store *st, int k, int gen)
{
    char inst[16], g[16];
    struct label v[3] = { { "__name__", "m" }, { "gen", g },
                          { "i", inst } };
    struct labels ls = { v, 3 };

    snprintf(inst, sizeof(inst), "%d", k);
    snprintf(g, sizeof(g), "%d", gen);
    return store_series_id(st, &ls);
}

/* One read, through the cache and from the store: they must agree. */
static void
compare(struct qcache *c, const struct store *st, uint32_t id, int64_t mint,
        int64_t maxt, size_t *reads)
{
    struct sample *a = NULL, *b = NULL;
    size_t capa = 0, capb = 0, na, nb;

    na = qcache_read(c, st, id, mint, maxt, &a, &capa);
    nb = store_read(st, id, mint, maxt, &b, &capb);
    if (na != nb)
        fail_msg("series %u [%lld, %lld]: %zu samples, store %zu", id,
                 (long long)mint, (long long)maxt, na, nb);
    if (nb > 0 && memcmp(a, b, nb * sizeof(*b)) != 0)
        fail_msg("series %u [%lld, %lld]: samples differ", id,
                 (long long)mint, (long long)maxt);
    (*reads)++;
    free(a);
    free(b);
}

/* A window as a panel asks: lookback, a rate's range, a whole page. */
static void
window(unsigned *seed, int64_t now, int64_t *mint, int64_t *maxt)
{
    static const int64_t back[] = { 5 * MIN, 1 * MIN, 1 * MIN, 5 * MIN,
                                    15 * MIN, 2 * MIN + 1, 0, 40 * MIN };
    int64_t b = back[rnd(seed) % 8];

    *maxt = now - (rnd(seed) % 4 == 0 ? (int64_t)(rnd(seed) % 60) * 1000
                                      : 0);
    *mint = *maxt - b;
    if (rnd(seed) % 16 == 0)
        *maxt = INT64_MAX;
}

/*
 * Replays frames: between them each live series gets its samples up to
 * now (late series catch up several at once), some end with a marker,
 * some stop and come back as new series, and gc drops what retention or
 * the budget takes; in each frame every series is read a few times.
 */
static void
replay(const struct setup *su, unsigned seed)
{
    struct store *st = store_new(su->retention, su->budget);
    struct qcache *c = qcache_new(su->cache_bytes);
    uint32_t id[NSER];
    int gen[NSER] = {0}, stopped[NSER] = {0};
    int64_t last[NSER], now = 1700000000000LL;
    size_t reads = 0;

    for (int k = 0; k < NSER; k++) {
        id[k] = series(st, k, 0);
        last[k] = now - (int64_t)(rnd(&seed) % 40) * STEP;
    }
    for (int f = 0; f < su->frames; f++) {
        now += STEP * (rnd(&seed) % 5 == 0 ? 0 : 1) + rnd(&seed) % 700;
        for (int k = 0; k < NSER; k++) {
            if (stopped[k] > 0) {
                /* Back as a new series once it was long gone. */
                if (--stopped[k] == 0) {
                    id[k] = series(st, k, ++gen[k]);
                    last[k] = now - STEP;
                }
                continue;
            }
            if (k % 4 == 1 && rnd(&seed) % 3 != 0)
                continue;               /* late: catches up later */
            for (; last[k] + STEP <= now; last[k] += STEP)
                assert_int_equal(store_append(st, id[k], last[k] + STEP,
                                              (double)(rnd(&seed) % 100)
                                              / 4), 0);
            if (rnd(&seed) % 200 == 0) {
                last[k] += 1;
                assert_int_equal(store_append(st, id[k], last[k],
                                              store_stale_nan()), 0);
                stopped[k] = (int)(rnd(&seed) % 400) + 1;
            }
        }
        if (f % 12 == 0)
            store_gc(st, now);
        store_trim(st, now);    /* a share of the series each frame */
        if (rnd(&seed) % 8 != 0)
            qcache_frame(c, st);
        for (int k = 0; k < NSER; k++) {
            int64_t mint, maxt;

            if (stopped[k] > 0)
                continue;
            for (int r = rnd(&seed) % 3 + 1; r > 0; r--) {
                window(&seed, now, &mint, &maxt);
                compare(c, st, id[k], mint, maxt, &reads);
            }
        }
    }
    print_message("%zu reads compared\n", reads);
    qcache_free(c);
    store_free(st);
}

/* Appends, chunk cuts, markers and a cache that keeps everything. */
static void
test_appends(void **state)
{
    struct setup su = { 0, 0, 64u << 20, 1500 };

    (void)state;
    replay(&su, 1);
}

/* Retention drops old chunks and stopped series; their ids are reused. */
static void
test_retention(void **state)
{
    struct setup su = { 20 * MIN, 0, 64u << 20, 2500 };

    (void)state;
    replay(&su, 2);
}

/* A byte budget drops the oldest chunks of any series. */
static void
test_budget(void **state)
{
    struct setup su = { 0, 40000, 64u << 20, 2000 };

    (void)state;
    replay(&su, 3);
}

/* A full cache: reads past its ceiling go to the store. */
static void
test_full(void **state)
{
    struct setup su = { 20 * MIN, 0, 4096, 800 };

    (void)state;
    replay(&su, 4);
}

/* One cache moved to another store forgets the first one's series. */
static void
test_other_store(void **state)
{
    struct store *a = store_new(0, 0), *b = store_new(0, 0);
    struct qcache *c = qcache_new(1u << 20);
    uint32_t ia = series(a, 1, 0), ib = series(b, 1, 0);
    size_t reads = 0;

    (void)state;
    assert_int_equal(ia, ib);
    assert_int_equal(store_append(a, ia, 1000, 1), 0);
    assert_int_equal(store_append(b, ib, 1000, 2), 0);
    qcache_frame(c, a);
    compare(c, a, ia, 0, 2000, &reads);
    qcache_frame(c, b);
    compare(c, b, ib, 0, 2000, &reads);
    qcache_free(c);
    store_free(a);
    store_free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_retention),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_other_store),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
