/*
 * The store's change history (store_version, store_changes_since): the
 * oldest timestamp appended and the newest dropped since a version,
 * checked against a log of every append kept by the test, through
 * out-of-order series, retention and budget drops, store_clear and a
 * history that overflows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "store/store.h"

#define STEP 15000LL
#define MIN  60000LL

static uint32_t
series(struct store *s, const char *name, const char *inst)
{
    struct label v[2] = { { "__name__", name }, { "instance", inst } };
    struct labels ls = { v, 2 };

    return store_series_id(s, &ls);
}

static void
assert_changes(const struct store *s, uint64_t since, int64_t added,
               int64_t dropped)
{
    struct store_changes c;

    assert_true(store_changes_since(s, since, &c));
    assert_int_equal(c.min_added, added);
    assert_int_equal(c.max_dropped, dropped);
}

static void
test_appends(void **state)
{
    struct store *s = store_new(0, 0);
    uint32_t a = series(s, "m", "a"), b = series(s, "m", "b");
    uint64_t v0 = store_version(s), v1, v2;

    (void)state;
    assert_changes(s, v0, INT64_MAX, INT64_MIN);
    assert_int_equal(store_append(s, a, 100, 1), 0);
    assert_int_equal(store_append(s, a, 200, 1), 0);
    assert_changes(s, v0, 100, INT64_MIN);
    v1 = store_version(s);
    assert_true(v1 > v0);
    assert_changes(s, v1, INT64_MAX, INT64_MIN);
    /* Another series, older timestamps (a target with its own times). */
    assert_int_equal(store_append(s, b, 50, 1), 0);
    assert_changes(s, v1, 50, INT64_MIN);
    assert_changes(s, v0, 50, INT64_MIN);
    v2 = store_version(s);
    assert_int_equal(store_append(s, a, 300, 1), 0);
    assert_changes(s, v2, 300, INT64_MIN);
    assert_changes(s, v1, 50, INT64_MIN);
    /* Refused and duplicate appends change nothing. */
    v2 = store_version(s);
    assert_int_equal(store_append(s, a, 250, 1), -1);
    assert_int_equal(store_append(s, a, 300, 1), 0);
    assert_int_equal(store_version(s), v2);
    assert_changes(s, v2, INT64_MAX, INT64_MIN);
    /* A version the store never had is not answered. */
    {
        struct store_changes c;

        assert_false(store_changes_since(s, v2 + 1, &c));
    }
    store_free(s);
}

/* Random appends over many series against a log of every append: each
 * answer the store gives is exact, and recent versions are answered. */
static void
test_random_against_log(void **state)
{
    enum { NSER = 40, NOPS = 20000 };
    struct store *s = store_new(0, 0);
    uint32_t id[NSER];
    int64_t last[NSER];
    int64_t *logt = xcalloc(NOPS + 1, sizeof(*logt));
    uint64_t *logv = xcalloc(NOPS + 1, sizeof(*logv));
    size_t nlog = 0, answered = 0;
    char inst[16];

    (void)state;
    srand(7);
    for (int i = 0; i < NSER; i++) {
        snprintf(inst, sizeof(inst), "i%d", i);
        id[i] = series(s, "m", inst);
        last[i] = rand() % 1000;
    }
    for (int op = 0; op < NOPS; op++) {
        int k = rand() % NSER;
        struct store_changes c;
        uint64_t since;
        int64_t want = INT64_MAX;

        last[k] += 1 + rand() % 50;
        assert_int_equal(store_append(s, id[k], last[k], op), 0);
        logt[nlog] = last[k];
        logv[nlog++] = store_version(s);
        /* Ask about a version a few appends back, sometimes far back. */
        since = logv[nlog - 1 - (size_t)rand() % (nlog < 300 ? nlog : 300)];
        if (rand() % 50 == 0)
            since = 0;
        for (size_t j = 0; j < nlog; j++)
            if (logv[j] > since && logt[j] < want)
                want = logt[j];
        if (!store_changes_since(s, since, &c))
            continue;
        answered++;
        assert_int_equal(c.min_added, want);
        assert_int_equal(c.max_dropped, INT64_MIN);
    }
    /* The last append is always answerable. */
    assert_changes(s, logv[nlog - 2], logt[nlog - 1], INT64_MIN);
    assert_true(answered > NOPS / 2);
    free(logt);
    free(logv);
    store_free(s);
}

/* Every append at a new, higher time: the ring overflows and old
 * versions are no longer answered, while recent ones are. */
static void
test_overflow(void **state)
{
    struct store *s = store_new(0, 0);
    uint32_t a = series(s, "m", "a");
    uint64_t v0 = store_version(s), mid = 0;
    struct store_changes c;

    (void)state;
    for (int64_t t = 1; t <= 20000; t++) {
        assert_int_equal(store_append(s, a, t, 1), 0);
        if (t == 19990)
            mid = store_version(s);
    }
    assert_false(store_changes_since(s, v0, &c));
    assert_changes(s, mid, 19991, INT64_MIN);
    store_free(s);
}

/* Retention drops the oldest chunk: the newest time it held is reported,
 * and nothing is reported to a reader that came after. */
/*
 * Retention drops what is older than the window, whole chunks or the
 * expired part of the oldest one, and reports the newest sample that went;
 * what stays is every sample from some time on, the window's included.
 */
static void
test_retention_drop(void **state)
{
    struct store *s = store_new(10 * MIN, 0);
    uint32_t a = series(s, "m", "a");
    struct sample *before = NULL, *after = NULL;
    size_t cap1 = 0, cap2 = 0, n1, n2;
    uint64_t v0, v1;
    int64_t t;

    (void)state;
    for (t = 0; t < 200; t++)
        assert_int_equal(store_append(s, a, t * STEP, 1), 0);
    v0 = store_version(s);
    store_gc(s, 40 * STEP);         /* nothing is older than 10 minutes */
    assert_changes(s, v0, INT64_MAX, INT64_MIN);
    n1 = store_read(s, a, INT64_MIN, INT64_MAX, &before, &cap1);
    assert_int_equal(n1, 200);
    store_gc(s, 119 * STEP + 10 * MIN + 1);
    store_trim(s, 119 * STEP + 10 * MIN + 1);
    n2 = store_read(s, a, INT64_MIN, INT64_MAX, &after, &cap2);
    /* Samples 120..199 are in the window; what went is a prefix. */
    assert_true(n2 >= 80 && n2 < n1);
    /* ...and what is held past the window spans at most a quarter of it. */
    assert_true(after[0].t >= 119 * STEP + 1 - 10 * MIN / 4);
    assert_memory_equal(after, before + (n1 - n2), n2 * sizeof(*after));
    assert_changes(s, v0, INT64_MAX, before[n1 - n2 - 1].t);
    v1 = store_version(s);
    assert_changes(s, v1, INT64_MAX, INT64_MIN);
    assert_int_equal(store_append(s, a, 200 * STEP, 1), 0);
    assert_changes(s, v0, 200 * STEP, before[n1 - n2 - 1].t);
    free(before);
    free(after);
    store_free(s);
}

/* A dropped series reports its newest sample too. */
static void
test_series_drop(void **state)
{
    struct store *s = store_new(10 * MIN, 0);
    uint32_t a = series(s, "m", "a"), b = series(s, "m", "b");
    uint64_t v0;

    (void)state;
    assert_int_equal(store_append(s, a, 0, 1), 0);
    assert_int_equal(store_append(s, a, STEP, 1), 0);
    assert_int_equal(store_append(s, b, 0, 1), 0);
    assert_int_equal(store_append(s, b, 30 * MIN, 1), 0);
    v0 = store_version(s);
    store_gc(s, 20 * MIN);
    assert_changes(s, v0, INT64_MAX, STEP);
    store_free(s);
}

/* The byte budget drops the oldest chunks, however recent. */
static void
test_budget_drop(void **state)
{
    struct store *s = store_new(0, 1);
    uint32_t a = series(s, "m", "a");
    uint64_t v0;

    (void)state;
    for (int64_t t = 0; t < 130; t++)
        assert_int_equal(store_append(s, a, t * STEP, 1), 0);
    v0 = store_version(s);
    store_gc(s, 130 * STEP);
    assert_changes(s, v0, INT64_MAX, 129 * STEP);
    store_free(s);
}

static void
test_clear(void **state)
{
    struct store *s = store_new(0, 0);
    uint32_t a = series(s, "m", "a");
    uint64_t v0 = store_version(s), v1;
    struct store_changes c;

    (void)state;
    assert_int_equal(store_append(s, a, 100, 1), 0);
    store_clear(s);
    assert_false(store_changes_since(s, v0, &c));
    v1 = store_version(s);
    assert_changes(s, v1, INT64_MAX, INT64_MIN);
    a = series(s, "m", "a");
    assert_int_equal(store_append(s, a, 5, 1), 0);
    assert_changes(s, v1, 5, INT64_MIN);
    store_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_random_against_log),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_retention_drop),
        cmocka_unit_test(test_series_drop),
        cmocka_unit_test(test_budget_drop),
        cmocka_unit_test(test_clear),
    };

    return cmocka_run_group_tests_name("store_store_changes", tests, NULL,
                                       NULL);
}
