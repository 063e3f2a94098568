/*
 * Percent-decoding for the API's form bodies and the command line's
 * target URLs. It checks each escape as Go's url.unescape does and
 * decodes nothing else (no UTF-8 checks: a %XX is any byte).
 */
#include "src/base/url.h"

#include "src/base/hex.h"

int
url_unescape(const char *s, size_t len, bool plus, struct buf *out)
{
    for (size_t i = 0; i < len; i++) {
        int hi, lo;

        if (s[i] != '%') {
            buf_putc(out, plus && s[i] == '+' ? ' ' : s[i]);
            continue;
        }
        /* a '%' needs two hex digits after it, inside s */
        if (i + 2 >= len)
            return -1;
        hi = hex_digit((unsigned char)s[i + 1]);
        lo = hex_digit((unsigned char)s[i + 2]);
        if (hi < 0 || lo < 0)
            return -1;
        buf_putc(out, (char)(hi << 4 | lo));
        i += 2;
    }
    return 0;
}
