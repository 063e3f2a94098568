/*
 * Label sets: sorting, lookup, Prometheus's labels.Compare order (the
 * cases of Prometheus's own TestLabels_Compare), hashing and the PromQL
 * text form with its escapes, and NUL bytes carried as C0 80.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store/labels.h"

#define LS(arr) ((struct labels){ (arr), sizeof(arr) / sizeof((arr)[0]) })

static int
sign(int x)
{
    return (x > 0) - (x < 0);
}

static void
test_sort_and_get(void **state)
{
    struct label v[] = {
        { "job", "api" }, { "__name__", "up" }, { "code", "200" },
        { "Zeta", "z" },
    };
    struct labels ls = LS(v);

    (void)state;
    labels_sort(&ls);
    /* Byte order: upper case, then '_', then lower case. */
    assert_string_equal(ls.v[0].name, "Zeta");
    assert_string_equal(ls.v[1].name, "__name__");
    assert_string_equal(ls.v[2].name, "code");
    assert_string_equal(ls.v[3].name, "job");
    assert_string_equal(labels_get(&ls, "job"), "api");
    assert_string_equal(labels_get(&ls, LABEL_METRIC_NAME), "up");
    assert_null(labels_get(&ls, "instance"));
}

/* Prometheus's TestLabels_Compare: {aaa="111", bbb="222"} against each. */
static void
test_cmp_prometheus_cases(void **state)
{
    struct label base[] = { { "aaa", "111" }, { "bbb", "222" } };
    struct label c1[] = { { "aaa", "110" }, { "bbb", "222" } };
    struct label c2[] = { { "aaa", "111" }, { "bbb", "233" } };
    struct label c3[] = { { "aaa", "111" }, { "bar", "222" } };
    struct label c4[] = { { "aaa", "111" }, { "bbc", "222" } };
    struct label c5[] = { { "aaa", "111" }, { "bb", "222" } };
    struct label c6[] = { { "aaa", "111" }, { "bbbb", "222" } };
    struct label c7[] = { { "aaa", "111" } };
    struct label c8[] = { { "aaa", "111" }, { "bbb", "222" },
                          { "ccc", "333" }, { "ddd", "444" } };
    struct label c9[] = { { "aaa", "111" }, { "bbb", "222" } };
    struct labels a = LS(base);
    struct {
        struct labels b;
        int want;
    } cases[] = {
        { LS(c1), 1 }, { LS(c2), -1 }, { LS(c3), 1 }, { LS(c4), -1 },
        { LS(c5), 1 }, { LS(c6), -1 }, { LS(c7), 1 }, { LS(c8), -1 },
        { LS(c9), 0 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(sign(labels_cmp(&a, &cases[i].b)), cases[i].want);
        assert_int_equal(sign(labels_cmp(&cases[i].b, &a)), -cases[i].want);
        assert_int_equal(labels_equal(&a, &cases[i].b), cases[i].want == 0);
    }
}

static void
test_hash(void **state)
{
    char name[] = "job", value[] = "api";
    struct label a[] = { { "__name__", "up" }, { "job", "api" } };
    struct label b[] = { { "__name__", "up" }, { name, value } };
    struct label c[] = { { "__name__", "up" }, { "job", "apj" } };
    /* Same bytes split differently must not collide by construction. */
    struct label d[] = { { "__name__", "up" }, { "jo", "bapi" } };
    struct labels la = LS(a), lb = LS(b), lc = LS(c), ld = LS(d);

    (void)state;
    assert_true(labels_hash(&la) == labels_hash(&lb));
    assert_true(labels_hash(&la) != labels_hash(&lc));
    assert_true(labels_hash(&la) != labels_hash(&ld));
    assert_true(labels_equal(&la, &lb));
}

static void
test_format(void **state)
{
    struct label a[] = { { "__name__", "http_requests_total" },
                         { "code", "200" }, { "path", "a\"b\\c\n" } };
    struct label b[] = { { "job", "x" }, { "le", "+Inf" } };
    struct label c[] = { { "__name__", "up" } };
    struct labels la = LS(a), lb = LS(b), lc = LS(c), empty = { NULL, 0 };
    struct buf out;

    (void)state;
    buf_init(&out, 0);
    labels_format(&la, &out);
    assert_string_equal(buf_str(&out),
        "http_requests_total{code=\"200\", path=\"a\\\"b\\\\c\\n\"}");
    buf_reset(&out);
    labels_format(&lb, &out);
    assert_string_equal(buf_str(&out), "{job=\"x\", le=\"+Inf\"}");
    buf_reset(&out);
    labels_format(&lc, &out);
    assert_string_equal(buf_str(&out), "up");
    buf_reset(&out);
    labels_format(&empty, &out);
    assert_string_equal(buf_str(&out), "{}");
    buf_reset(&out);
    labels_escape("plain", &out);
    assert_string_equal(buf_str(&out), "plain");
    buf_fini(&out);
}

/* The API's form: every label, __name__ included, JSON-escaped. */
static void
test_json(void **state)
{
    struct label v[] = { { "__name__", "up" }, { "job", "a\"b" } };
    struct labels ls = { v, 2 }, empty = { NULL, 0 };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    labels_json(&ls, &b);
    assert_string_equal(buf_str(&b), "{\"__name__\":\"up\",\"job\":\"a\\\"b\"}");
    buf_reset(&b);
    labels_json(&empty, &b);
    assert_string_equal(buf_str(&b), "{}");
    buf_fini(&b);
}

/* An owned set keeps its own copies: the source can go away. */
static void
test_owned(void **state)
{
    struct labels ls = { NULL, 0 }, copy;
    char name[] = "job", value[] = "api";

    (void)state;
    labels_put(&ls, name, value);
    labels_put(&ls, "instance", "a:1");
    labels_put(&ls, "job", "web");
    memset(value, 'x', 3);
    assert_int_equal(ls.n, 2);
    assert_string_equal(labels_get(&ls, "job"), "web");
    assert_string_equal(labels_get(&ls, "instance"), "a:1");
    labels_dup(&copy, &ls);
    labels_release(&ls);
    assert_null(ls.v);
    assert_int_equal(ls.n, 0);
    assert_int_equal(copy.n, 2);
    assert_string_equal(labels_get(&copy, "job"), "web");
    labels_release(&copy);
    labels_dup(&copy, &ls);
    assert_int_equal(copy.n, 0);
    labels_release(&copy);
}

/*
 * A NUL byte in a value, carried as C0 80: it orders as Go orders "\x00"
 * (below every other byte, above the end of the string), counts one byte,
 * is valid UTF-8, and encodes and decodes back to the same bytes.
 */
static void
test_nul(void **state)
{
    struct label a[] = { { "a", "x" LABELS_NUL "y" } };
    struct label b[] = { { "a", "x!" } };
    struct labels la = LS(a), lb = LS(b);
    struct buf out;

    (void)state;
    assert_true(labels_strcmp("x" LABELS_NUL "y", "x!") < 0);
    assert_true(labels_strcmp("x" LABELS_NUL, "x") > 0);
    assert_true(labels_strcmp("x" LABELS_NUL, "x\x01") < 0);
    assert_int_equal(labels_strcmp("x" LABELS_NUL "y", "x" LABELS_NUL "y"),
                     0);
    assert_true(labels_strcmp("\xc0", LABELS_NUL) > 0);
    assert_int_equal(labels_cmp(&la, &lb), -1);
    assert_int_equal(labels_value_len("x" LABELS_NUL "y"), 3);
    assert_int_equal(labels_value_len("\xc3\xa9"), 2);
    assert_true(labels_value_valid("x" LABELS_NUL "y\xc3\xa9"));
    assert_false(labels_value_valid("x\xc0y"));
    assert_false(labels_value_valid("\xc0\x81"));
    buf_init(&out, 0);
    labels_nul_encode("\0x\0\0y\0", 6, &out);
    assert_string_equal(buf_str(&out), LABELS_NUL "x" LABELS_NUL LABELS_NUL
                                       "y" LABELS_NUL);
    buf_reset(&out);
    labels_nul_decode(LABELS_NUL "x" LABELS_NUL LABELS_NUL "y" LABELS_NUL,
                      &out);
    assert_int_equal(out.len, 6);
    assert_memory_equal(out.data, "\0x\0\0y\0", 6);
    /* PromQL's form, as Go's strconv.Quote; JSON's, as encoding/json. */
    buf_reset(&out);
    labels_escape("x" LABELS_NUL "\"" LABELS_NUL, &out);
    assert_string_equal(buf_str(&out), "x\\x00\\\"\\x00");
    buf_reset(&out);
    labels_json(&la, &out);
    assert_string_equal(buf_str(&out), "{\"a\":\"x\\u0000y\"}");
    buf_fini(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_and_get),
        cmocka_unit_test(test_cmp_prometheus_cases),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_owned),
        cmocka_unit_test(test_nul),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
