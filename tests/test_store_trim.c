/*
 * Retention trimming inside a chunk: store_trim encodes the oldest chunk
 * again without its expired samples. Checked here: every read of a
 * window inside retention returns the same samples bit for bit before
 * and after (staleness markers, NaN payloads, infinities, negative zero,
 * irregular timestamps), what is held past the window stays within a
 * quarter of the retention, a store cursor stopped in a chunk that was
 * encoded again reads on exactly, and the dashboard's read cache, which
 * keeps samples and cursors across frames, answers as the store does.
 * Then the slices: work one call leaves is done by the next ones, a
 * store whose series all fall due at once is trimmed completely, and
 * store_trim with store_drop_idle drops the series and samples that
 * the one-shot store_gc drops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
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
 * the window and at most a quarter of the retention before it; windows
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
                assert_true(got[0].t >= cutoff - HOUR / 4);
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
    const int64_t r = 30 * MIN;
    struct store *s = store_new(r, 0);
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
     * in, more than a quarter of the retention after its start: samples
     * before 70 go, and that chunk is encoded again from 70 on. */
    store_gc(s, r + 70 * STEP);
    store_trim(s, r + 70 * STEP);
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

/* Series "i<k>" of metric m. */
static uint32_t
series_k(struct store *s, int k)
{
    char inst[16];

    snprintf(inst, sizeof(inst), "i%d", k);
    return series(s, inst);
}

/* Series "i0" .. "i<n-1>" into ids, each with samples 0 .. samples - 1
 * at every STEP from 0, all appended together. */
static void
fill_k(struct store *s, uint32_t *ids, int n, int64_t samples)
{
    for (int k = 0; k < n; k++)
        ids[k] = series_k(s, k);
    for (int64_t i = 0; i < samples; i++) {
        for (int k = 0; k < n; k++)
            assert_int_equal(store_append(s, ids[k], i * STEP, (double)i),
                             0);
    }
}

static bool
find_k(const struct store *s, int k, uint32_t *id)
{
    char inst[16];
    struct label v[2] = { { "__name__", "m" }, { "instance", inst } };

    snprintf(inst, sizeof(inst), "i%d", k);
    return store_series_find(s, &(struct labels){ v, 2 }, id);
}

/*
 * What store_trim's rules leave of series id, whose samples were
 * t = 0, STEP, ... up to n - 1 steps, at cutoff c under retention r
 * once the walk has been to it: every sample from c on, and before c
 * at most a quarter of the retention (a chunk starting no earlier than
 * c - r/4, which is not encoded again); bit for bit.
 */
static void
check_trimmed(const struct store *s, uint32_t id, int64_t n, int64_t c,
              int64_t r, struct sample **buf, size_t *cap)
{
    size_t got = store_read(s, id, INT64_MIN, INT64_MAX, buf, cap);
    int64_t from = (c + STEP - 1) / STEP;   /* the first sample >= c */

    assert_true(got > 0);
    assert_true((*buf)[0].t >= c - r / 4);
    assert_true((*buf)[0].t <= from * STEP);
    assert_int_equal((int64_t)got, n - (*buf)[0].t / STEP);
    for (size_t i = 0; i < got; i++) {
        assert_true((*buf)[i].t == (*buf)[0].t + (int64_t)i * STEP);
        assert_true((*buf)[i].v == (double)((*buf)[i].t / STEP));
    }
}

/* How many of the first n series hold more than a quarter of the
 * retention before cutoff c. */
static size_t
over_held(const struct store *s, const uint32_t *ids, size_t n, int64_t c,
          int64_t r)
{
    size_t over = 0;

    for (size_t k = 0; k < n; k++) {
        struct sample *buf = NULL;
        size_t cap = 0;

        if (store_read(s, ids[k], INT64_MIN, c - r / 4 - 1, &buf, &cap) > 0)
            over++;
        free(buf);
    }
    return over;
}

/*
 * Many series created together fall due together: 2,000 series of 260
 * samples under a 32-minute retention (longer than a chunk's 20
 * minutes, so the head chunk is always in the window). 5 s after the
 * last sample the cutoff falls between samples 68 and 69, and a
 * quarter of the retention before it between 20 and 21. A series' first
 * chunk is sealed after 15 to 120 samples (by its id), the next after
 * 120 more: a chunk ending before the cutoff goes whole, and the oldest
 * one left, if it starts before sample 21, is encoded again from sample
 * 69. So every series ends up holding from sample 21 to 69 on, where it
 * held from 0. One call cannot encode a thousand chunks again: it says
 * work is left, and calls a millisecond apart, which add no share of
 * their own, finish it, each leaving fewer series holding samples
 * before 21, the last saying nothing is left.
 */
static void
test_due_at_once(void **state)
{
    enum { N = 2000, SAMPLES = 260 };
    const int64_t r = 32 * MIN, now = SAMPLES * STEP + 5000, c = now - r;
    struct store *s = store_new(r, 0);
    uint32_t *ids = calloc(N, sizeof(*ids));
    struct sample *buf = NULL;
    size_t cap = 0, before, after, calls = 1;
    bool left;

    (void)state;
    fill_k(s, ids, N, SAMPLES);
    before = over_held(s, ids, N, c, r);
    assert_int_equal(before, N);        /* everything from sample 0 */
    left = store_trim(s, now);
    assert_true(left);
    after = over_held(s, ids, N, c, r);
    assert_true(after < before && after > 0);
    for (int64_t t = now + 1; left; t++) {
        before = after;
        left = store_trim(s, t);
        after = over_held(s, ids, N, c, r);
        assert_true(after < before || (!left && after == 0));
        calls++;
    }
    assert_int_equal(after, 0);
    assert_true(calls > 2);
    for (int k = 0; k < N; k++)
        check_trimmed(s, ids[k], SAMPLES, c, r, &buf, &cap);
    /* Nothing is due now, and the next share of slots is not owed yet. */
    assert_false(store_trim(s, now + (int64_t)calls));
    free(buf);
    free(ids);
    store_free(s);
}

/*
 * The loop's way: a call every 10 ms of the store's clock, as the loop
 * comes back at once while work is left. The first call is owed all the
 * slots (the first call of all); each later one adds a sixth of a slot
 * and carries the rest: within a few hundred passes, far less than the
 * minute a round takes, every series is as the rules above say.
 */
static void
test_work_carried(void **state)
{
    enum { N = 1000, SAMPLES = 260 };
    const int64_t r = 32 * MIN, now = SAMPLES * STEP + 5000;
    struct store *s = store_new(r, 0);
    uint32_t *ids = calloc(N, sizeof(*ids));
    struct sample *buf = NULL;
    size_t cap = 0;
    int64_t t = now;

    (void)state;
    fill_k(s, ids, N, SAMPLES);
    while (store_trim(s, t) && t < now + 5000)
        t += 10;
    assert_true(t > now && t < now + 5000);
    for (int k = 0; k < N; k++)
        check_trimmed(s, ids[k], SAMPLES, t - r, r, &buf, &cap);
    free(buf);
    free(ids);
    store_free(s);
}

/* The series of the comparison below: when each stops and starts. */
struct life {
    int64_t from, to;   /* samples at from, from + STEP, ... < to */
};

/*
 * Two stores fed the same samples for two hours under a 20-minute
 * retention: one kept by store_gc every minute (then a whole walk of
 * store_trim at that minute), the other as the loop keeps it,
 * store_trim every 10 s and store_drop_idle every minute. Series start
 * and stop at random times, the new ones taking the ids of dropped
 * ones. After each minute both hold the same series, those whose newest
 * sample is in the last 20 minutes, as the rule says, and both read
 * every sample of each over the window, the same.
 */
static void
test_drop_idle_as_gc(void **state)
{
    enum { N = 300 };
    const int64_t r = 20 * MIN;
    struct store *a = store_new(r, 0), *b = store_new(r, 0);
    struct life life[N];
    struct sample *ga = NULL, *gb = NULL;
    size_t capa = 0, capb = 0, kept = 0, gone = 0;

    (void)state;
    for (int k = 0; k < N; k++) {
        life[k].from = k < N / 2 ? 0 : (int64_t)(rnd() % 90) * MIN;
        life[k].to = life[k].from + STEP + (int64_t)(rnd() % 150) * MIN
                     + (int64_t)(rnd() % 6) * STEP;
    }
    for (int64_t t = 0; t <= 2 * HOUR; t += STEP) {
        for (int k = 0; k < N; k++) {
            if (t < life[k].from || t >= life[k].to)
                continue;
            assert_int_equal(store_append(a, series_k(a, k), t, (double)t),
                             0);
            assert_int_equal(store_append(b, series_k(b, k), t, (double)t),
                             0);
        }
        store_trim(b, t);
        if (t % MIN != 0 || t == 0)
            continue;
        store_gc(a, t);
        while (store_trim(a, t))
            continue;
        store_drop_idle(b, t);
        for (int k = 0; k < N; k++) {
            /* Its newest sample: the last step before it stopped. */
            int64_t newest = (life[k].to - 1) / STEP * STEP;
            int64_t lo = life[k].from > t - r ? life[k].from : t - r;
            int64_t hi = newest < t ? newest : t;
            bool live = newest >= t - r;
            uint32_t ia, ib;
            size_t na, nb;

            if (life[k].from > t)
                continue;
            assert_int_equal(find_k(a, k, &ia), live);
            assert_int_equal(find_k(b, k, &ib), live);
            if (!live) {
                gone++;
                continue;
            }
            kept++;
            na = store_read(a, ia, t - r, INT64_MAX, &ga, &capa);
            nb = store_read(b, ib, t - r, INT64_MAX, &gb, &capb);
            assert_int_equal(na, (hi - lo) / STEP + 1);
            assert_int_equal(nb, na);
            assert_memory_equal(ga, gb, na * sizeof(*ga));
            assert_true(ga[0].t == lo && ga[0].v == (double)lo);
        }
    }
    assert_true(kept > 0 && gone > 0);
    free(ga);
    free(gb);
    store_free(a);
    store_free(b);
}

/*
 * The idle list across ids dropped and given again: a series the walk
 * listed and store_gc dropped gives its id to a new series, which
 * store_drop_idle keeps; a listed series that has a sample again before
 * store_drop_idle is kept too; one that has none is dropped then.
 */
static void
test_idle_list_ids(void **state)
{
    const int64_t r = 20 * MIN;
    struct store *s = store_new(r, 0);
    uint32_t x = series_k(s, 0), y = series_k(s, 1), z = series_k(s, 2);
    uint32_t fresh, id;
    struct store_stats st;

    (void)state;
    assert_int_equal(store_append(s, x, 0, 1), 0);
    assert_int_equal(store_append(s, y, 0, 1), 0);
    assert_int_equal(store_append(s, z, 0, 1), 0);
    assert_int_equal(store_append(s, z, 19 * MIN, 1), 0);
    /* At 19.5 minutes x and y have half a minute left: listed. */
    while (store_trim(s, 19 * MIN + 30000))
        continue;
    /* One-shot gc at 20 minutes and 1 ms: x and y go. */
    store_gc(s, r + 1);
    assert_false(find_k(s, 0, &id));
    assert_false(find_k(s, 1, &id));
    fresh = series_k(s, 3);
    assert_true(fresh == x || fresh == y);
    assert_int_equal(store_append(s, fresh, r + 2, 1), 0);
    store_drop_idle(s, r + 3);
    assert_true(find_k(s, 3, &id) && id == fresh);
    assert_true(find_k(s, 2, &id) && id == z);
    /* At 38.5 minutes z (newest sample at 19) and fresh (at 20) are
     * listed; z has a sample at 38.9 and stays at 39.1, as does fresh,
     * which has until 40. */
    while (store_trim(s, 38 * MIN + 30000))
        continue;
    assert_int_equal(store_append(s, z, 38 * MIN + 54000, 2), 0);
    store_drop_idle(s, 39 * MIN + 6000);
    assert_true(find_k(s, 2, &id) && id == z);
    /* At 40.1 fresh has had none for 20 minutes: dropped, once. */
    while (store_trim(s, 39 * MIN + 30000))
        continue;
    store_drop_idle(s, 40 * MIN + 6000);
    assert_false(find_k(s, 3, &id));
    assert_true(find_k(s, 2, &id) && id == z);
    store_get_stats(s, &st);
    assert_int_equal(st.series, 1);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_keeps_the_window),
        cmocka_unit_test(test_cursor_in_trimmed_chunk),
        cmocka_unit_test(test_read_cache_across_trims),
        cmocka_unit_test(test_due_at_once),
        cmocka_unit_test(test_work_carried),
        cmocka_unit_test(test_drop_idle_as_gc),
        cmocka_unit_test(test_idle_list_ids),
    };

    return cmocka_run_group_tests_name("store_trim", tests, NULL, NULL);
}
