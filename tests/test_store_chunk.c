/*
 * XOR chunks: every sample written comes back bit for bit (signed zeros,
 * NaN payloads including the staleness marker, infinities, extremes,
 * denormals), with regular, irregular, huge and negative timestamp steps;
 * the sample and byte caps hold; regular data compresses as Gorilla says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/chunk.h"
#include "store/chunklog.h"
#include "store/chunkpool.h"

/* Where every test's heads live; all are given back by the end. */
static struct chunkpool *pool;

static uint64_t
bits_of(double v)
{
    uint64_t b;

    memcpy(&b, &v, sizeof(b));
    return b;
}

static double
from_bits(uint64_t b)
{
    double v;

    memcpy(&v, &b, sizeof(v));
    return v;
}

/*
 * Writes n samples into as many chunks as needed, seals each into a chunk
 * log and reads them back from there.
 */
static void
round_trip(const int64_t *ts, const double *vs, size_t n)
{
    struct chunklog *l = chunklog_new();
    size_t i = 0;

    while (i < n) {
        struct chunk *c = chunk_new(pool), *head;
        struct chunk_enc e;
        struct chunk_iter it;
        size_t start = i, k = 0;
        int64_t t;
        double v;

        memset(&e, 0, sizeof(e));
        while (i < n && !chunk_full(c))
            c = chunk_append(pool, c, &e, ts[i], vs[i]), i++;
        head = c;
        c = chunklog_add(l, head);
        chunkpool_put(pool, head);
        assert_int_equal(c->n, i - start);
        assert_true(c->mint == ts[start] && c->maxt == ts[i - 1]);
        chunk_iter_init(&it, c);
        while (chunk_iter_next(&it, &t, &v)) {
            assert_true(t == ts[start + k]);
            assert_true(bits_of(v) == bits_of(vs[start + k]));
            k++;
        }
        assert_int_equal(k, i - start);
        chunklog_release(l, c);
    }
    assert_int_equal(chunklog_used(l), 0);
    chunklog_free(l);
}

static void
test_edge_values(void **state)
{
    double vs[] = {
        0.0, -0.0, NAN, from_bits(0x7ff0000000000002ULL), INFINITY,
        -INFINITY, DBL_MAX, -DBL_MAX, DBL_MIN, from_bits(1),
        from_bits(0x000fffffffffffffULL), -from_bits(1),
        from_bits(0xfff8000000000001ULL), from_bits(0x7ff0000000000001ULL),
        1.0, 1.0, 1.0, 0.1, 0.2, 0.30000000000000004, -1e300, 1e-300,
        0.0, 0.0, from_bits(0x7ff0000000000002ULL), 42.0,
    };
    size_t n = sizeof(vs) / sizeof(vs[0]);
    int64_t ts[sizeof(vs) / sizeof(vs[0])];

    (void)state;
    for (size_t i = 0; i < n; i++)
        ts[i] = 1700000000000LL + (int64_t)i * 15000;
    round_trip(ts, vs, n);
}

static void
test_timestamps(void **state)
{
    int64_t ts[] = {
        INT64_MIN, INT64_MIN + 1, -86400000000LL, -15000, -1, 0, 1, 2,
        15002, 30000, 30001, 45000, 45000 + 8191, 45000 + 8191 + 8192,
        100000, 100000 + 65536, 100000 + 2 * 65536 + 1, 5000000,
        5000000 + 524288, 1700000000000LL, 1700000000015LL,
        INT64_MAX / 2, INT64_MAX - 1, INT64_MAX,
    };
    size_t n = sizeof(ts) / sizeof(ts[0]);
    double vs[sizeof(ts) / sizeof(ts[0])];

    (void)state;
    for (size_t i = 0; i < n; i++)
        vs[i] = (double)i * 1.5;
    round_trip(ts, vs, n);
}

/* Irregular steps and noisy values over many chunks. */
static void
test_random(void **state)
{
    enum { N = 5000 };
    int64_t *ts = malloc(N * sizeof(*ts));
    double *vs = malloc(N * sizeof(*vs));
    uint64_t x = 88172645463325252ULL;
    int64_t t = -1000000;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* Mostly 15 s with jitter; now and then a gap of days. */
        t += (x % 50 == 0) ? (int64_t)(x % 400000000000ULL)
                           : 15000 + (int64_t)(x % 2001) - 1000;
        ts[i] = t;
        vs[i] = (x % 7 == 0) ? from_bits(x) : (double)(x % 1000) / 8;
    }
    round_trip(ts, vs, N);
    free(ts);
    free(vs);
}

static void
test_caps(void **state)
{
    struct chunk *c = chunk_new(pool);
    struct chunk_enc e;
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    size_t n = 0;

    (void)state;
    memset(&e, 0, sizeof(e));
    /* Random 64-bit patterns cost ~77 bits each: the byte cap binds. */
    while (!chunk_full(c)) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        c = chunk_append(pool, c, &e, (int64_t)n * 1000, from_bits(x));
        n++;
    }
    assert_true(n < CHUNK_MAX_SAMPLES);
    assert_true(c->cap <= CHUNK_MAX_BYTES);
    assert_true(c->nbits <= (uint32_t)c->cap * 8);
    chunkpool_put(pool, c);

    /* A constant series at a fixed step: the sample cap binds. */
    c = chunk_new(pool);
    memset(&e, 0, sizeof(e));
    for (n = 0; !chunk_full(c); n++)
        c = chunk_append(pool, c, &e, (int64_t)n * 15000, 1.0);
    assert_int_equal(n, CHUNK_MAX_SAMPLES);
    /*
     * 128 bits for the first sample, the 17-bit bucket for the first
     * delta, then one bit for the timestamp and one for the value each.
     */
    assert_int_equal(c->nbits, 128 + (3 + 17) + 1 + 118 * 2);
    chunkpool_put(pool, c);
}

/* Sealed chunks take their used bytes, 8-aligned, and free segments. */
static void
test_log(void **state)
{
    struct chunklog *l = chunklog_new();
    struct chunk *sealed[2000];
    struct chunk_enc e;
    size_t per, n = sizeof(sealed) / sizeof(sealed[0]);

    (void)state;
    for (size_t k = 0; k < n; k++) {
        struct chunk *c = chunk_new(pool);

        memset(&e, 0, sizeof(e));
        for (int64_t i = 0; i < 120; i++)
            c = chunk_append(pool, c, &e, i * 15000, (double)k);
        sealed[k] = chunklog_add(l, c);
        assert_true(sealed[k]->n == 120 && sealed[k]->maxt == 119 * 15000);
        chunkpool_put(pool, c);
    }
    /* 385 bits: 49 bytes of data after the 32-byte header, 88 in all. */
    per = (sizeof(struct chunk) + 49 + 7) / 8 * 8;
    assert_int_equal(per, 88);
    assert_int_equal(chunklog_used(l), n * per);
    /* 176,000 bytes fit one 256 KiB segment. */
    assert_true(chunklog_held(l) >= CHUNKLOG_SEGMENT
                && chunklog_held(l) < 2 * CHUNKLOG_SEGMENT);
    for (size_t k = 0; k < n; k++) {
        struct chunk_iter it;
        int64_t t;
        double v;

        chunk_iter_init(&it, sealed[k]);
        for (int64_t i = 0; chunk_iter_next(&it, &t, &v); i++)
            assert_true(t == i * 15000 && v == (double)k);
        chunklog_release(l, sealed[k]);
    }
    assert_int_equal(chunklog_used(l), 0);
    chunklog_free(l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_values),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_log),
    };

    int failed;

    pool = chunkpool_new();
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    chunkpool_free(pool);
    return failed;
}
