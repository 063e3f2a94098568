/*
 * The shared UTF-8 decoder against Go's rules (utf8.DecodeRune and
 * utf8.Valid), which decide whether Prometheus accepts a label value:
 * overlong forms, surrogates, values past U+10FFFF and cut sequences are
 * invalid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/utf8.h"

static size_t
decode(const char *s, uint32_t *cp)
{
    return utf8_decode(s, strlen(s), cp);
}

static void
test_decode_valid(void **state)
{
    uint32_t cp;

    (void)state;
    assert_int_equal(decode("A", &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(decode("\xc3\xa9", &cp), 2);         /* é */
    assert_int_equal(cp, 0xe9);
    assert_int_equal(decode("\xe2\x82\xac", &cp), 3);     /* € */
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(decode("\xf0\x9f\x98\x80", &cp), 4); /* U+1F600 */
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(decode("\xf4\x8f\xbf\xbf", &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10ffff);
}

static void
test_decode_invalid(void **state)
{
    uint32_t cp;

    (void)state;
    assert_int_equal(decode("\xc0\x80", &cp), 0);         /* overlong NUL */
    assert_int_equal(decode("\xe0\x80\x80", &cp), 0);     /* overlong */
    assert_int_equal(decode("\xed\xa0\x80", &cp), 0);     /* U+D800 */
    assert_int_equal(decode("\xf4\x90\x80\x80", &cp), 0); /* > U+10FFFF */
    assert_int_equal(decode("\xe2\x82", &cp), 0);         /* cut short */
    assert_int_equal(decode("\x80", &cp), 0);             /* stray */
    assert_int_equal(decode("\xff", &cp), 0);
    assert_int_equal(utf8_decode("\xe2\x82\xac", 2, &cp), 0);
}

static void
test_valid_and_put(void **state)
{
    static const uint32_t cps[] = { 0x24, 0xa2, 0x20ac, 0x10348 };
    struct buf b;

    (void)state;
    assert_true(utf8_valid("plain ascii", 11));
    assert_true(utf8_valid("caf\xc3\xa9", 5));
    assert_false(utf8_valid("caf\xc3", 4));
    assert_false(utf8_valid("a\xed\xbf\xbf", 4));
    assert_true(utf8_valid("", 0));
    /* The encodings Unicode's own examples give. */
    buf_init(&b, 0);
    for (size_t i = 0; i < 4; i++)
        utf8_put(cps[i], &b);
    assert_string_equal(buf_str(&b),
                        "\x24\xc2\xa2\xe2\x82\xac\xf0\x90\x8d\x88");
    buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_valid_and_put),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
