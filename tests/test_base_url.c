/*
 * Percent-decoding against Go's net/url: QueryUnescape (plus set) and
 * PathUnescape (plus clear) give these answers and these errors
 * (url.EscapeError for a '%' without two hex digits after it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/url.h"

/* Decodes the whole of s into out (emptied first); 0 or -1. */
static int
decode(const char *s, bool plus, struct buf *out)
{
    buf_reset(out);
    return url_unescape(s, strlen(s), plus, out);
}

static void
test_decodes(void **state)
{
    static const struct {
        const char *in;
        bool plus;
        const char *want;
    } cases[] = {
        { "", true, "" },
        { "abc", true, "abc" },
        { "a%20b+c%2Bd", true, "a b c+d" },     /* QueryUnescape */
        { "a%20b+c%2Bd", false, "a b+c+d" },    /* PathUnescape */
        { "%4a%4A", true, "JJ" },               /* either case */
        { "caf%C3%A9", true, "caf\xc3\xa9" },   /* bytes, as given */
        { "%25%26%3D", false, "%&=" },
    };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(decode(cases[i].in, cases[i].plus, &b), 0);
        assert_int_equal(b.len, strlen(cases[i].want));
        assert_memory_equal(buf_str(&b), cases[i].want, b.len);
    }
    buf_fini(&b);
}

/* %00 is a NUL byte, counted in out->len. */
static void
test_nul_byte(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    assert_int_equal(decode("a%00b", false, &b), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 3);
    buf_fini(&b);
}

static void
test_bad_escapes(void **state)
{
    static const char *const bad[] = {
        "%", "%4", "ab%", "%zz", "%g0", "%0g", "a%2", "%%41",
    };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(decode(bad[i], true, &b), -1);
    /* The escape must lie inside the len bytes given, not past them. */
    buf_reset(&b);
    assert_int_equal(url_unescape("%41", 2, true, &b), -1);
    buf_reset(&b);
    assert_int_equal(url_unescape("%41", 3, true, &b), 0);
    assert_string_equal(buf_str(&b), "A");
    buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decodes),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_bad_escapes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
