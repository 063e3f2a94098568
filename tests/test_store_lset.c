/*
 * The store's encoding of label sets: ids round-trip as varints at every
 * length (1 to 5 bytes), sets round-trip through the intern table with
 * short, long, non-ASCII and NUL-carrying (C0 80) values, equal sets
 * encode to equal bytes and different ones to different bytes, and the
 * references an encoding takes are all given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "store/intern.h"
#include "store/lset.h"

static void
test_ids_round_trip(void **state)
{
    static const struct {
        uint32_t id;
        size_t len;
    } cases[] = {
        { 0, 1 }, { 1, 1 }, { 127, 1 }, { 128, 2 }, { 300, 2 },
        { 16383, 2 }, { 16384, 3 }, { 2097151, 3 }, { 2097152, 4 },
        { 268435455, 4 }, { 268435456, 5 }, { UINT32_MAX, 5 },
    };
    uint8_t b[LSET_ID_MAX * 12 + 1];
    const uint8_t *p = b;
    size_t len = 0;

    (void)state;
    for (size_t i = 0; i < 12; i++) {
        size_t n = lset_put_id(b + len, cases[i].id);

        assert_int_equal(n, cases[i].len);
        len += n;
    }
    b[len] = 0xaa;      /* a guard: decoding must stop before it */
    for (size_t i = 0; i < 12; i++)
        assert_int_equal(lset_get_id(&p), cases[i].id);
    assert_ptr_equal(p, b + len);
    /* Twelve ids are six pairs. */
    assert_int_equal(lset_len(b, 6), len);
}

/* Encodes the set of n pairs from v (names sorted), decodes it again,
 * and checks every string; returns the encoding's length. */
static size_t
round_trip(struct intern *in, const struct label *v, size_t n, uint8_t *b)
{
    struct labels ls = { (struct label *)v, n };
    struct label out[8];
    size_t len = lset_encode(in, &ls, true, b);

    assert_true(len >= 2 * n && len <= lset_max(n));
    assert_int_equal(lset_len(b, n), len);
    lset_decode(in, b, n, out);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(out[i].name, v[i].name);
        assert_string_equal(out[i].value, v[i].value);
    }
    return len;
}

static void
test_sets_round_trip(void **state)
{
    struct intern *in = intern_new();
    char *lng = xmalloc(70000);
    uint8_t a[64], b[64], c[64];
    uint32_t name, value;
    size_t la, lb, lc;

    (void)state;
    memset(lng, 'x', 69999);
    lng[69999] = '\0';
    {
        /* One byte, a long value, UTF-8 beyond ASCII, NUL bytes as
         * C0 80 (one alone, one inside, one at the end). */
        const struct label v[] = {
            { "__name__", "m" },
            { "a", "\xc0\x80" },
            { "b", lng },
            { "c", "h\xc3\xa9llo \xe2\x98\x83 \xe6\x97\xa5\xf0\x9f\x98\x80" },
            { "d", "x\xc0\x80y" },
            { "e", "tail\xc0\x80" },
        };

        la = round_trip(in, v, 6, a);
        /* The same set again encodes to the same bytes. */
        lb = round_trip(in, v, 6, b);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        /* Looked up without references, it still encodes alike. */
        assert_int_equal(lset_encode(in, &(struct labels){
                             (struct label *)v, 6 }, false, c), la);
        assert_memory_equal(a, c, la);
        assert_true(intern_find(in, "e", &name));
        assert_true(lset_find(a, 6, name, &value));
        assert_string_equal(intern_str(in, value), "tail\xc0\x80");
        lset_unref(in, b, 6);
    }
    {
        /* A value that differs only past a NUL byte is another set. */
        const struct label v[] = {
            { "__name__", "m" }, { "a", "\xc0\x80" }, { "b", lng },
            { "c", "h\xc3\xa9llo \xe2\x98\x83 \xe6\x97\xa5\xf0\x9f\x98\x80" },
            { "d", "x\xc0\x80z" }, { "e", "tail\xc0\x80" },
        };

        lc = round_trip(in, v, 6, c);
        assert_false(lc == la && memcmp(a, c, la) == 0);
        assert_int_not_equal(lset_hash(a, la), lset_hash(c, lc));
        lset_unref(in, c, 6);
    }
    /* A string never interned: no set has it, and nothing changes. */
    {
        const struct label v[] = { { "__name__", "never" } };
        size_t before = intern_count(in);

        assert_int_equal(lset_encode(in, &(struct labels){
                             (struct label *)v, 1 }, false, b), 0);
        assert_int_equal(intern_count(in), before);
        assert_false(intern_find(in, "never", &value));
        assert_false(lset_find(a, 6, 99999, &value));
    }
    lset_unref(in, a, 6);
    assert_int_equal(intern_count(in), 0);
    intern_free(in);
    free(lng);
}

/* Ids freed by the last unref go to the next new strings, and the ids
 * still held keep their strings. */
static void
test_ids_reused(void **state)
{
    struct intern *in = intern_new();
    uint32_t keep = intern_ref(in, "keep"), a = intern_ref(in, "a");
    uint32_t b = intern_ref(in, "b"), c;

    (void)state;
    assert_int_equal(intern_ref(in, "a"), a);
    intern_unref(in, a);
    assert_true(intern_find(in, "a", &c));
    intern_unref(in, a);
    assert_false(intern_find(in, "a", &c));
    c = intern_ref(in, "c");
    assert_int_equal(c, a);
    assert_string_equal(intern_str(in, c), "c");
    assert_string_equal(intern_str(in, keep), "keep");
    assert_string_equal(intern_str(in, b), "b");
    assert_int_equal(intern_count(in), 3);
    intern_free(in);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_round_trip),
        cmocka_unit_test(test_sets_round_trip),
        cmocka_unit_test(test_ids_reused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
