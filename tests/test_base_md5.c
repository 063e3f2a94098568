/*
 * MD5 against the test suite of RFC 1321 (appendix A.5), fed whole and in
 * uneven pieces across block boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/md5.h"

/* RFC 1321 A.5: input and digest. */
static const struct {
    const char *in;
    const char *hex;
} rfc_vectors[] = {
    { "", "d41d8cd98f00b204e9800998ecf8427e" },
    { "a", "0cc175b9c0f1b6a831c399e269772661" },
    { "abc", "900150983cd24fb0d6963f7d28e17f72" },
    { "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
    { "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
    { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
      "d174ab98d277d9f5a5611c2c9f419d9f" },
    { "1234567890123456789012345678901234567890"
      "1234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a" },
};

static void
to_hex(const unsigned char *d, char out[2 * MD5_DIGEST_LEN + 1])
{
    for (int i = 0; i < MD5_DIGEST_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
test_md5_rfc1321(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rfc_vectors) / sizeof(rfc_vectors[0]);
         i++) {
        unsigned char d[MD5_DIGEST_LEN];
        char hex[2 * MD5_DIGEST_LEN + 1];

        md5_sum(rfc_vectors[i].in, strlen(rfc_vectors[i].in), d);
        to_hex(d, hex);
        assert_string_equal(hex, rfc_vectors[i].hex);
    }
}

/* Pieces of 1, 2, 3, ... bytes give the same digest as one update. */
static void
test_md5_pieces(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rfc_vectors) / sizeof(rfc_vectors[0]);
         i++) {
        const char *s = rfc_vectors[i].in;
        size_t len = strlen(s), off = 0, step = 1;
        unsigned char d[MD5_DIGEST_LEN];
        char hex[2 * MD5_DIGEST_LEN + 1];
        struct md5 m;

        md5_init(&m);
        while (off < len) {
            size_t n = step < len - off ? step : len - off;

            md5_update(&m, s + off, n);
            off += n;
            step++;
        }
        md5_final(&m, d);
        to_hex(d, hex);
        assert_string_equal(hex, rfc_vectors[i].hex);
    }
}

/* 55, 56 and 64 bytes sit at the padding edges; a million 'a's is the
 * usual long vector; the digests were checked with coreutils md5sum. */
static void
test_md5_padding_edges(void **state)
{
    static char a[1000];
    unsigned char d[MD5_DIGEST_LEN];
    char hex[2 * MD5_DIGEST_LEN + 1];
    struct md5 m;

    (void)state;
    memset(a, 'a', sizeof(a));
    md5_sum(a, 55, d);
    to_hex(d, hex);
    assert_string_equal(hex, "ef1772b6dff9a122358552954ad0df65");
    md5_sum(a, 56, d);
    to_hex(d, hex);
    assert_string_equal(hex, "3b0c8ac703f828b04c6c197006d17218");
    md5_sum(a, 64, d);
    to_hex(d, hex);
    assert_string_equal(hex, "014842d480b571495a4a0363793f7367");
    md5_init(&m);
    for (int i = 0; i < 1000; i++)
        md5_update(&m, a, sizeof(a));
    md5_final(&m, d);
    to_hex(d, hex);
    assert_string_equal(hex, "7707d6ae4e027c70eea2a935c2296f21");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md5_rfc1321),
        cmocka_unit_test(test_md5_pieces),
        cmocka_unit_test(test_md5_padding_edges),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
