/*
 * A small JSON writer. Reading JSON goes through the YAML loader; this file
 * only writes, for the snapshot (--once -o json) and the query command's
 * Prometheus-compatible output.
 */
#include "src/base/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/utf8.h"

void
json_string(struct buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    buf_putc(out, '"');
    while (*p != '\0') {
        uint32_t cp;
        /* A sequence is at most 4 bytes, and the terminator ends it. */
        size_t n = utf8_decode((const char *)p, strnlen((const char *)p, 4),
                               &cp);

        if (n == 0) {
            buf_puts(out, "\\ufffd");
            p++;
            continue;
        }
        switch (*p) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case '\t': buf_puts(out, "\\t"); break;
        default:
            if (*p < 0x20)
                buf_printf(out, "\\u%04x", *p);
            else
                buf_append(out, p, n);
        }
        p += n;
    }
    buf_putc(out, '"');
}

void
json_shortest(double v, char *out, size_t size)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, size, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

void
json_number(struct buf *out, double v)
{
    char tmp[32];

    if (!isfinite(v)) {
        buf_puts(out, "null");
        return;
    }
    json_shortest(v, tmp, sizeof(tmp));
    buf_puts(out, tmp);
}

/*
 * Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that
 * round-trip, written without an exponent.
 */
void
json_format_value(double v, struct buf *out)
{
    char tmp[32], digits[32];
    char *e;
    int exp, ndig = 0;

    if (isnan(v) || isinf(v)) {
        buf_puts(out, isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
        return;
    }
    /* Shortest mantissa digits and the decimal exponent, via %e. */
    for (int prec = 0; prec <= 16; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    e = strchr(tmp, 'e');
    exp = (int)strtol(e + 1, NULL, 10);
    for (char *p = tmp; p < e; p++)
        if (*p >= '0' && *p <= '9')
            digits[ndig++] = *p;
    while (ndig > 1 && digits[ndig - 1] == '0')
        ndig--;
    if (tmp[0] == '-')
        buf_putc(out, '-');
    if (exp < 0) {
        buf_puts(out, "0.");
        for (int i = -1; i > exp; i--)
            buf_putc(out, '0');
        buf_append(out, digits, (size_t)ndig);
        return;
    }
    for (int i = 0; i <= exp || i < ndig; i++) {
        if (i == exp + 1)
            buf_putc(out, '.');
        buf_putc(out, i < ndig ? digits[i] : '0');
    }
}

void
json_prom_value(struct buf *out, double v)
{
    buf_putc(out, '"');
    json_format_value(v, out);
    buf_putc(out, '"');
}

