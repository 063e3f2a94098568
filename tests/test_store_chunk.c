/*
 * Chunks, XOR and integer: every sample written comes back bit for bit
 * (signed zeros, NaN payloads including the staleness marker, infinities,
 * extremes, denormals, integers up to and past 2^53, integers and
 * fractions mixed), with regular, irregular, huge and negative timestamp
 * steps; the first value picks the encoding; the sample and byte caps
 * hold; a sample with no room leaves the chunk as it was; regular data
 * takes the bits the encodings' grammars say.
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

/* Where every test's heads live, as the store's do (key 0 for all);
 * all are given back by the end. */
static struct chunkpool *pool;

/* A head from the pool: *c points at it, wherever it moves. */
static void
head_get(struct chunk **c)
{
    chunkpool_get(pool, 0, c);
}

/* Appends as the store does: a head without room for the sample grows
 * and takes it then. */
static void
append(struct chunk **c, struct chunk_enc *e, int64_t t, double v)
{
    while (!chunk_append(*c, e, t, v))
        chunkpool_grow(pool, 0, *c);
}

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
 * log and reads them back from there; the first chunk is of kind first
 * (an enum chunk_kind, or -1 for either).
 */
static void
round_trip_kind(const int64_t *ts, const double *vs, size_t n,
                int first)
{
    struct chunklog *l = chunklog_new();
    size_t i = 0;

    while (i < n) {
        struct chunk *c, *head;
        struct chunk_enc e;
        struct chunk_iter it;
        size_t start = i, k = 0;
        int64_t t;
        double v;

        memset(&e, 0, sizeof(e));
        head_get(&head);
        while (i < n && !chunk_full(head))
            append(&head, &e, ts[i], vs[i]), i++;
        c = chunklog_add(l, head, CHUNKLOG_SEALED);
        chunkpool_put(pool, 0, head);
        assert_int_equal(c->n, i - start);
        assert_true(c->mint == ts[start] && c->maxt == ts[i - 1]);
        if (start == 0 && first >= 0)
            assert_int_equal(c->kind, first);
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

/* The same at a 15 s step. */
static void
round_trip_values(const double *vs, size_t n, enum chunk_kind first)
{
    int64_t *ts = malloc(n * sizeof(*ts));

    for (size_t i = 0; i < n; i++)
        ts[i] = 1700000000000LL + (int64_t)i * 15000;
    round_trip_kind(ts, vs, n, first);
    free(ts);
}

static void
round_trip(const int64_t *ts, const double *vs, size_t n)
{
    round_trip_kind(ts, vs, n, -1);
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
    /* 0.0 first: an integer chunk, every other value an escape. */
    round_trip_kind(ts, vs, n, CHUNK_INT);
    /* -0.0 first: an XOR chunk. */
    round_trip_kind(ts + 1, vs + 1, n - 1, CHUNK_XOR);
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
        vs[i] = (double)i * 1.5 + 0.25;
    round_trip(ts, vs, n);
    for (size_t i = 0; i < n; i++)
        vs[i] = (double)(i * i);
    round_trip_kind(ts, vs, n, CHUNK_INT);
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

/*
 * A sample that does not fit a chunk's room leaves the chunk and the
 * encoder state as they were, byte for byte; given more room, as the
 * pool gives it, the same sample goes in and every sample reads back.
 */
static void
test_no_room(void **state)
{
    size_t size = sizeof(struct chunk) + 32;
    struct chunk *c = calloc(1, size), *was = malloc(size), *big;
    struct chunk_enc e, f;
    struct chunk_iter it;
    int64_t ts[16], t;
    double vs[16], v;
    uint64_t x = 99;
    size_t n = 0;

    (void)state;
    assert_non_null(c);
    assert_non_null(was);
    c->cap = 32;
    memset(&e, 0, sizeof(e));
    for (;; n++) {
        assert_true(n < 16);
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        ts[n] = (int64_t)n * 1000 + (int64_t)(x >> 58);
        vs[n] = from_bits(x >> 1);
        memcpy(was, c, size);
        f = e;
        if (!chunk_append(c, &e, ts[n], vs[n]))
            break;
    }
    /* Random 63-bit patterns: a 32-byte chunk holds two or three. */
    assert_true(n >= 2 && n <= 3);
    assert_memory_equal(c, was, size);
    assert_memory_equal(&e, &f, sizeof(e));
    big = calloc(1, size + 64);
    assert_non_null(big);
    memcpy(big, c, size);
    big->cap = 32 + 64;
    assert_true(chunk_append(big, &e, ts[n], vs[n]));
    chunk_iter_init(&it, big);
    for (size_t i = 0; i <= n; i++) {
        assert_true(chunk_iter_next(&it, &t, &v));
        assert_true(t == ts[i] && bits_of(v) == bits_of(vs[i]));
    }
    assert_false(chunk_iter_next(&it, &t, &v));
    free(c);
    free(was);
    free(big);
}

static void
test_caps(void **state)
{
    struct chunk *c;
    struct chunk_enc e;
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    size_t n = 0;

    (void)state;
    head_get(&c);
    memset(&e, 0, sizeof(e));
    /* Random 64-bit patterns cost 66-77 bits each and the jittered
     * timestamps 16: the byte cap binds. */
    while (!chunk_full(c)) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        append(&c, &e, (int64_t)n * 1000 + (x >> 60), from_bits(x));
        n++;
    }
    assert_true(n < CHUNK_MAX_SAMPLES);
    assert_true(c->cap <= CHUNK_MAX_BYTES);
    assert_true(c->nbits <= (uint32_t)c->cap * 8);
    chunkpool_put(pool, 0, c);

    /* A constant series at a fixed step: the sample cap binds. */
    head_get(&c);
    memset(&e, 0, sizeof(e));
    for (n = 0; !chunk_full(c); n++)
        append(&c, &e, (int64_t)n * 15000, 1.5);
    assert_int_equal(n, CHUNK_MAX_SAMPLES);
    assert_int_equal(c->kind, CHUNK_XOR);
    /*
     * 64 bits for the first value (its timestamp is the header's mint),
     * the 17-bit bucket for the first delta, then one bit for the
     * timestamp and one for the value each.
     */
    assert_int_equal(c->nbits, 64 + (4 + 17) + 1 + 118 * 2);
    chunkpool_put(pool, 0, c);

    /* The same with an integer: the first value is "10" and 2 bits. */
    head_get(&c);
    memset(&e, 0, sizeof(e));
    for (n = 0; !chunk_full(c); n++)
        append(&c, &e, (int64_t)n * 15000, 1.0);
    assert_int_equal(n, CHUNK_MAX_SAMPLES);
    assert_int_equal(c->kind, CHUNK_INT);
    assert_int_equal(c->nbits, (2 + 2) + (4 + 17) + 1 + 118 * 2);
    chunkpool_put(pool, 0, c);
}

/* Timestamps a few ms off a 10 s schedule, as scrapes start: a dod of
 * -32..31 takes "10" and 6 bits, 0 takes "0". */
static void
test_jitter(void **state)
{
    struct chunk *c;
    struct chunk_enc e;
    int64_t ts[CHUNK_MAX_SAMPLES];
    double vs[CHUNK_MAX_SAMPLES];
    /* The first value; the first delta and the value's "0". */
    size_t want = 64 + (4 + 17) + 1;
    uint64_t x = 7;

    (void)state;
    head_get(&c);
    memset(&e, 0, sizeof(e));
    for (size_t i = 0; i < CHUNK_MAX_SAMPLES; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        ts[i] = 1700000000000LL + (int64_t)i * 10000 + (int64_t)(x >> 61);
        vs[i] = 0.5;
        append(&c, &e, ts[i], vs[i]);
        if (i >= 2) {
            int64_t dod = ts[i] - 2 * ts[i - 1] + ts[i - 2];

            want += (dod == 0 ? 1 : 2 + 6) + 1;
        }
    }
    assert_int_equal(c->nbits, want);
    chunkpool_put(pool, 0, c);
    round_trip(ts, vs, CHUNK_MAX_SAMPLES);
}

/* Integer series of every shape come back bit for bit. */
static void
test_int_values(void **state)
{
    const double p53 = 9007199254740992.0;     /* 2^53 */
    enum { N = 600 };
    double vs[N];

    (void)state;
    /* Constant, then counters at a steady and a rounded rate. */
    for (size_t i = 0; i < N; i++)
        vs[i] = 42;
    round_trip_values(vs, N, CHUNK_INT);
    for (size_t i = 0; i < N; i++)
        vs[i] = floor(1.5 * (double)i) + 1e6;
    round_trip_values(vs, N, CHUNK_INT);
    /* Deltas across every bucket, both signs, and negative values. */
    for (size_t i = 0; i < N; i++) {
        int64_t d = (int64_t)1 << (i % 53);

        vs[i] = (double)((i % 3 == 0 ? -d : d) - 1000);
    }
    round_trip_values(vs, N, CHUNK_INT);
    /* At and around 2^53, where deltas span the widest bucket. */
    for (size_t i = 0; i < N; i++)
        vs[i] = i % 2 ? p53 - (double)(i % 5) : -p53 + (double)(i % 7);
    round_trip_values(vs, N, CHUNK_INT);
    /* Past 2^53 integers escape: 2^53 + 2, 2^60, 2^63, -2^64. */
    for (size_t i = 0; i < N; i++) {
        static const double big[] = { 9007199254740994.0, 0x1p60, 0x1p63,
                                      -0x1p64, 7.0 };

        vs[i] = big[i % 5];
    }
    round_trip_values(vs + 4, N - 4, CHUNK_INT);
    round_trip_values(vs, N, CHUNK_XOR);
}

/* Integers mixed with fractions and every special value: escapes. */
static void
test_int_escapes(void **state)
{
    static const uint64_t special[] = {
        0x7ff0000000000002ULL,      /* Prometheus's staleness marker */
        0x7ff8000000000001ULL,      /* NaN as Go's math.NaN() */
        0xfff8000000000000ULL,      /* a negative quiet NaN */
        0x7ff4000000000000ULL,      /* a signalling NaN */
        0x7ff0000000000000ULL,      /* +Inf */
        0xfff0000000000000ULL,      /* -Inf */
        0x8000000000000000ULL,      /* -0.0 */
        0x0000000000000000ULL,      /* 0 */
        0x0000000000000001ULL,      /* the smallest denormal */
    };
    enum { N = 500, NS = sizeof(special) / sizeof(special[0]) };
    double vs[N];

    (void)state;
    /* Alternating integers and fractions. */
    for (size_t i = 0; i < N; i++)
        vs[i] = i % 2 ? (double)i * 0.75 + 0.1 : (double)(i * 10);
    round_trip_values(vs, N, CHUNK_INT);
    /* A counter with a special value every few samples, and runs. */
    for (size_t i = 0; i < N; i++) {
        vs[i] = (double)(i * 7);
        if (i % 5 == 3)
            vs[i] = from_bits(special[(i / 5) % NS]);
        if (i >= 300 && i < 310)
            vs[i] = from_bits(special[0]);
    }
    round_trip_values(vs, N, CHUNK_INT);
    /* Every pair of special values in a row after an integer. */
    for (size_t a = 0; a < NS; a++) {
        for (size_t b = 0; b < NS; b++) {
            double pair[5] = { 3, from_bits(special[a]),
                               from_bits(special[b]), 4, 6 };

            round_trip_values(pair, 5, CHUNK_INT);
        }
    }
}

/* A counter that grows by 1.5 a scrape, as the farm's do: its delta
 * alternates 1, 2, so its delta-of-delta is -1 or 1, "10" and 2 bits;
 * the XOR encoding of the same values takes several times that. */
static void
test_int_size(void **state)
{
    struct chunk *c, *x;
    struct chunk_enc e, f;
    size_t n;

    (void)state;
    head_get(&c);
    head_get(&x);
    memset(&e, 0, sizeof(e));
    memset(&f, 0, sizeof(f));
    for (n = 0; !chunk_full(c); n++) {
        double v = floor(1.5 * (double)n) + 1000;

        append(&c, &e, (int64_t)n * 15000, v);
        /* The same values nudged to fractions, in an XOR chunk. */
        append(&x, &f, (int64_t)n * 15000, v + 0.5);
    }
    assert_int_equal(n, CHUNK_MAX_SAMPLES);
    /*
     * The first value, 1000: "11110" and 13 bits. The second sample: the
     * 17-bit timestamp bucket ("1110" + 17), and a value delta-of-delta
     * of 1 ("10" + 2).
     * Then per sample the timestamp's "0", and "10" + 2 bits for the
     * value but where the delta repeats ("0"), which it never does.
     */
    assert_int_equal(c->kind, CHUNK_INT);
    assert_int_equal(c->nbits, 18 + 21 + 4 + 118 * (1 + 4));
    assert_int_equal(x->kind, CHUNK_XOR);
    assert_true(x->nbits > 2 * c->nbits);
    chunkpool_put(pool, 0, c);
    chunkpool_put(pool, 0, x);
}

/* A random walk through every kind of value, mostly integers, over many
 * chunks of both kinds: counters that step, reset and jump, gauges that
 * swing by pages, fractions, special values and integers past 2^53. */
static void
test_int_random(void **state)
{
    enum { N = 20000 };
    int64_t *ts = malloc(N * sizeof(*ts));
    double *vs = malloc(N * sizeof(*vs));
    uint64_t x = 0x2545f4914f6cdd1dULL;
    double v = 0;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        switch (x % 16) {
        case 0:
            v = 0;                                  /* a reset */
            break;
        case 1:
            v = (double)(int64_t)(x >> 11) - 0x1p52;   /* anywhere */
            break;
        case 2:
            v = from_bits(x);                       /* any bit pattern */
            break;
        case 3:
            v += 0.25;                              /* a fraction */
            break;
        case 4:
            v = from_bits(0x7ff0000000000002ULL);   /* stale */
            break;
        case 5:
            v = 9007199254740992.0 + (double)(x % 4) * 2;  /* 2^53 on */
            break;
        case 6:
            v = 4096.0 * (double)(x % 100000);      /* a byte gauge */
            break;
        default:
            v = isfinite(v) && fabs(v) < 0x1p52 ? floor(v) + (double)(x % 5)
                                                : 1;
            break;
        }
        vs[i] = v;
        ts[i] = 1700000000000LL + (int64_t)i * 10000 + (int64_t)(x % 40);
    }
    round_trip(ts, vs, N);
    free(ts);
    free(vs);
}

/* The byte cap binds for wide integer deltas and for escapes. */
static void
test_int_caps(void **state)
{
    enum { N = 1000 };
    double *vs = malloc(N * sizeof(*vs));
    uint64_t x = 0x9e3779b97f4a7c15ULL;

    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        struct chunk *c;
        struct chunk_enc e;
        size_t n = 0;

        head_get(&c);
        memset(&e, 0, sizeof(e));
        for (size_t i = 0; i < N; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            /* Pass 0: integers of 53 random bits and sign; pass 1: an
             * integer first, then random bit patterns. */
            vs[i] = pass == 0 ? (double)((int64_t)(x >> 10) - (1LL << 53))
                              : i == 0 ? 1.0 : from_bits(x);
        }
        while (!chunk_full(c)) {
            append(&c, &e, (int64_t)n * 1000, vs[n]);
            n++;
        }
        assert_int_equal(c->kind, CHUNK_INT);
        assert_true(n < CHUNK_MAX_SAMPLES);
        assert_true(c->cap <= CHUNK_MAX_BYTES);
        assert_true(c->nbits <= (uint32_t)c->cap * 8);
        chunkpool_put(pool, 0, c);
        round_trip_values(vs, N, CHUNK_INT);
    }
    free(vs);
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
        struct chunk *c;

        head_get(&c);
        memset(&e, 0, sizeof(e));
        for (int64_t i = 0; i < 120; i++)
            append(&c, &e, i * 15000, (double)k + 0.5);
        sealed[k] = chunklog_add(l, c, CHUNKLOG_SEALED);
        assert_true(sealed[k]->n == 120 && sealed[k]->maxt == 119 * 15000);
        chunkpool_put(pool, 0, c);
    }
    /* 322 bits: 41 bytes of data after the 32-byte header, 80 in all. */
    per = (sizeof(struct chunk) + 41 + 7) / 8 * 8;
    assert_int_equal(per, 80);
    assert_int_equal(chunklog_used(l), n * per);
    /* 160,000 bytes fit one 256 KiB segment. */
    assert_true(chunklog_held(l) >= CHUNKLOG_SEGMENT
                && chunklog_held(l) < 2 * CHUNKLOG_SEGMENT);
    for (size_t k = 0; k < n; k++) {
        struct chunk_iter it;
        int64_t t;
        double v;

        chunk_iter_init(&it, sealed[k]);
        for (int64_t i = 0; chunk_iter_next(&it, &t, &v); i++)
            assert_true(t == i * 15000 && v == (double)k + 0.5);
        chunklog_release(l, sealed[k]);
    }
    assert_int_equal(chunklog_used(l), 0);
    chunklog_free(l);
}

/*
 * Chunks of the two lanes added in turn fill segments of their own: once
 * every trimmed chunk is released, their segments are freed (all but the
 * one the lane still adds to) while the sealed ones keep theirs. In one
 * shared run of segments, every segment would hold sealed chunks and
 * none would be freed.
 */
static void
test_log_lanes(void **state)
{
    struct chunklog *l = chunklog_new();
    enum { N = 20000 };     /* several segments a lane */
    struct chunk **kept = malloc(N * sizeof(*kept));
    struct chunk **gone = malloc(N * sizeof(*gone));
    size_t table, per, segs;
    struct chunk_enc e;
    struct chunk *c;

    (void)state;
    head_get(&c);
    memset(&e, 0, sizeof(e));
    for (int64_t i = 0; i < 120; i++)
        append(&c, &e, i * 15000, 0.5);
    for (size_t k = 0; k < N; k++) {
        kept[k] = chunklog_add(l, c, CHUNKLOG_SEALED);
        gone[k] = chunklog_add(l, c, CHUNKLOG_TRIMMED);
    }
    chunkpool_put(pool, 0, c);
    /* What one copy takes (test_log checks the size itself); a segment
     * holds as many whole copies as fit. */
    per = chunklog_used(l) / (2 * N);
    segs = (N + CHUNKLOG_SEGMENT / per - 1) / (CHUNKLOG_SEGMENT / per);
    assert_true(segs > 2);
    assert_int_equal(chunklog_used(l), 2 * N * per);
    /* The table of segments: what held counts besides them. */
    table = chunklog_held(l) % CHUNKLOG_SEGMENT;
    assert_int_equal(chunklog_held(l), 2 * segs * CHUNKLOG_SEGMENT + table);
    for (size_t k = 0; k < N; k++)
        chunklog_release(l, gone[k]);
    assert_int_equal(chunklog_used(l), N * per);
    /* The trimmed lane keeps its open segment, empty. */
    assert_int_equal(chunklog_held(l), (segs + 1) * CHUNKLOG_SEGMENT + table);
    for (size_t k = 0; k < N; k++) {
        assert_true(kept[k]->n == 120 && kept[k]->maxt == 119 * 15000);
        chunklog_release(l, kept[k]);
    }
    assert_int_equal(chunklog_used(l), 0);
    assert_int_equal(chunklog_held(l), 2 * CHUNKLOG_SEGMENT + table);
    chunklog_free(l);
    free(kept);
    free(gone);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_values),
        cmocka_unit_test(test_no_room),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_jitter),
        cmocka_unit_test(test_int_values),
        cmocka_unit_test(test_int_escapes),
        cmocka_unit_test(test_int_size),
        cmocka_unit_test(test_int_caps),
        cmocka_unit_test(test_int_random),
        cmocka_unit_test(test_log),
        cmocka_unit_test(test_log_lanes),
    };

    int failed;

    pool = chunkpool_new();
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    chunkpool_free(pool);
    return failed;
}
