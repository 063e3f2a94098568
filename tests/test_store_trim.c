/*
 * Retention trimming inside a chunk: store_trim encodes the oldest chunk
 * again without its expired samples. Checked here: every read of a
 * window inside retention returns the same samples bit for bit before
 * and after (staleness markers, NaN payloads, infinities, negative zero,
 * irregular timestamps), what is held past the window stays within an
 * eighth of the retention, a store cursor stopped in a chunk that was
 * encoded again reads on exactly, and the dashboard's read cache, which
 * keeps samples and cursors across frames, answers as the store does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "query/cache.h"
#include "store/store.h"

#define STEP 10000LL
#define MIN  60000LL
#define HOUR (60 * MIN)

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double
from_bits(uint64_t b)
{
    double v;

    memcpy(&v, &b, sizeof(v));
    return v;
}

/* Values of every kind the encoder must carry bit for bit. */
static double
odd_value(int64_t i)
{
    switch (rnd() % 12) {
    case 0:
        return store_stale_nan();
    case 1:
        return from_bits(0x7ff8000000000000ULL | (rnd() & 0xffffffffULL));
    case 2:
        return from_bits(0xfff0000000000001ULL);   /* a signalling NaN */
    case 3:
        return rnd() % 2 ? 1.0 / 0.0 : -1.0 / 0.0;
    case 4:
        return -0.0;
    case 5:
        return from_bits(rnd() & 0x000fffffffffffffULL); /* subnormal */
    case 6:
        return from_bits(rnd());
    default:
        return (double)(i * 7 + (int64_t)(rnd() % 5));
    }
}

static uint32_t
series(struct store *s, const char *inst)
{
    struct label v[2] = { { "__name__", "m" }, { "instance", inst } };
    struct labels ls = { v, 2 };

    return store_series_id(s, &ls);
}

/* Two hours of samples about every 10 s, some late, some far apart. */
static int64_t
fill(struct store *s, uint32_t id, int64_t from, int64_t to)
{
    int64_t t = from, i = 0;

    while (t < to) {
        assert_int_equal(store_append(s, id, t, odd_value(i++)), 0);
        switch (rnd() % 16) {
        case 0:
            t += 1 + (int64_t)(rnd() % 3000);       /* jitter */
            break;
        case 1:
            t += STEP + (int64_t)(rnd() % (5 * MIN)); /* a gap */
            break;
        default:
            t += STEP;
        }
    }
    return t;
}

static size_t
read_all(const struct store *s, uint32_t id, int64_t mint, int64_t maxt,
         struct sample **buf, size_t *cap)
{
    return store_read(s, id, mint, maxt, buf, cap);
}

/* The first index of ref with t >= mint. */
static size_t
first_from(const struct sample *ref, size_t n, int64_t mint)
{
    size_t i = 0;

    while (i < n && ref[i].t < mint)
        i++;
    return i;
}

/*
 * A gc every minute over the second hour: after each, the series holds
 * a suffix of what it held at first, bit for bit, with everything in
 * the window and at most an eighth of the retention before it; windows
 * inside retention read as before, and store_last too.
 */
static void
test_trim_keeps_the_window(void **state)
{
    struct store *s = store_new(HOUR, 0);
    uint32_t ids[3] = { series(s, "a"), series(s, "b"), series(s, "c") };
    struct sample *ref[3], *got = NULL, last;
    size_t nref[3], cap = 0, refcap[3] = { 0, 0, 0 };
    int64_t end = 0, trimmed = 0;

    (void)state;
    for (int k = 0; k < 3; k++) {
        int64_t e = fill(s, ids[k], (int64_t)k * 1234, 2 * HOUR);

        end = e > end ? e : end;
        ref[k] = NULL;
        nref[k] = read_all(s, ids[k], INT64_MIN, INT64_MAX, &ref[k],
                           &refcap[k]);
    }
    for (int64_t now = HOUR; now <= end; now += MIN) {
        int64_t cutoff = now - HOUR;

        store_gc(s, now);
        store_trim(s, now);
        for (int k = 0; k < 3; k++) {
            size_t n = read_all(s, ids[k], INT64_MIN, INT64_MAX, &got, &cap);
            size_t keep = first_from(ref[k], nref[k], cutoff);

            /* A suffix, holding the window, bit for bit. */
            assert_true(n >= nref[k] - keep && n <= nref[k]);
            assert_memory_equal(got, ref[k] + (nref[k] - n),
                                n * sizeof(*got));
            if (n > 0) {
                assert_true(got[0].t >= cutoff - HOUR / 8);
                if (got[0].t > ref[k][0].t && got[0].t < cutoff)
                    trimmed++;
            }
            /* Windows inside retention, and at its edge. */
            for (int w = 0; w < 8; w++) {
                int64_t lo = w == 0 ? cutoff
                                    : cutoff + (int64_t)(rnd() % HOUR);
                int64_t hi = lo + (int64_t)(rnd() % (20 * MIN));
                size_t i = first_from(ref[k], nref[k], lo);
                size_t j = first_from(ref[k], nref[k], hi + 1);

                n = read_all(s, ids[k], lo, hi, &got, &cap);
                assert_int_equal(n, j - i);
                assert_memory_equal(got, ref[k] + i, n * sizeof(*got));
                if (j > 0 && ref[k][j - 1].t >= cutoff) {
                    assert_true(store_last(s, ids[k], hi, &last));
                    assert_memory_equal(&last, &ref[k][j - 1],
                                        sizeof(last));
                }
            }
        }
    }
    /* The oldest chunk was encoded again, not only dropped whole. */
    assert_true(trimmed > 0);
    for (int k = 0; k < 3; k++)
        free(ref[k]);
    free(got);
    store_free(s);
}

/*
 * A cursor that stopped inside a chunk which gc then encodes again reads
 * on from where it stopped, neither repeating nor skipping a sample; the
 * store says what was dropped, newer than nothing the cursor holds.
 */
static void
test_cursor_in_trimmed_chunk(void **state)
{
    struct store *s = store_new(HOUR, 0);
    uint32_t id = series(s, "a");
    struct store_cursor cur;
    struct store_changes ch;
    struct sample *buf = NULL, *want = NULL;
    size_t cap = 0, wcap = 0, n, w;
    uint64_t v;
    int64_t t;

    (void)state;
    memset(&cur, 0, sizeof(cur));
    /* 100 samples: the cursor stops in the chunk that will hold sample
     * 70, which starts well before it (checked below). */
    for (t = 0; t < 100; t++)
        assert_int_equal(store_append(s, id, t * STEP, odd_value(t)), 0);
    n = store_read_on(s, id, &cur, INT64_MIN, &buf, &cap, 0);
    assert_int_equal(n, 100);
    for (t = 100; t < 400; t++)
        assert_int_equal(store_append(s, id, t * STEP, odd_value(t)), 0);
    v = store_version(s);
    /* The cutoff, sample 70, falls inside the chunk the cursor stopped
     * in, more than an eighth of an hour after its start: samples before
     * 70 go, and that chunk is encoded again from 70 on. */
    store_gc(s, HOUR + 70 * STEP);
    store_trim(s, HOUR + 70 * STEP);
    n = store_read(s, id, INT64_MIN, INT64_MAX, &buf, &cap);
    assert_int_equal(n, 400 - 70);
    assert_true(buf[0].t == 70 * STEP);
    assert_true(cur.chunk < buf[0].t && cur.last > buf[0].t);
    assert_true(store_changes_since(s, v, &ch));
    assert_true(ch.max_dropped < cur.last);
    w = store_read(s, id, cur.last + 1, INT64_MAX, &want, &wcap);
    assert_int_equal(w, 400 - 100);
    n = store_read_on(s, id, &cur, INT64_MIN, &buf, &cap, 0);
    assert_int_equal(n, w);
    assert_memory_equal(buf, want, n * sizeof(*buf));
    free(buf);
    free(want);
    store_free(s);
}

/*
 * The dashboard's read cache across gc runs that encode chunks again:
 * each frame, windows inside retention answer exactly as the store does.
 */
static void
test_read_cache_across_trims(void **state)
{
    struct store *s = store_new(HOUR, 0);
    struct qcache *c = qcache_new(64u << 20);
    uint32_t ids[4] = { series(s, "a"), series(s, "b"), series(s, "c"),
                        series(s, "d") };
    struct sample *got = NULL, *want = NULL;
    size_t cap = 0, wcap = 0;
    int64_t t[4] = { 0, 0, 0, 0 };

    (void)state;
    for (int64_t now = 10 * MIN; now <= 3 * HOUR; now += MIN) {
        for (int k = 0; k < 4; k++)
            t[k] = fill(s, ids[k], t[k] > 0 ? t[k] : k * 777, now);
        store_gc(s, now);
        store_trim(s, now);
        qcache_frame(c, s);
        for (int k = 0; k < 4; k++) {
            /* The last 15 minutes, and the whole window from its edge. */
            int64_t lo[2] = { now - 15 * MIN, now - HOUR };

            for (int r = 0; r < 2; r++) {
                size_t n = qcache_read(c, s, ids[k], lo[r], now, &got, &cap);
                size_t w = store_read(s, ids[k], lo[r], now, &want, &wcap);

                assert_int_equal(n, w);
                assert_memory_equal(got, want, n * sizeof(*got));
            }
        }
    }
    free(got);
    free(want);
    qcache_free(c);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_keeps_the_window),
        cmocka_unit_test(test_cursor_in_trimmed_chunk),
        cmocka_unit_test(test_read_cache_across_trims),
    };

    return cmocka_run_group_tests_name("store_trim", tests, NULL, NULL);
}
