/*
 * A small JSON writer. Reading JSON goes through the YAML loader; this file
 * only writes, for the snapshot (--once -o json) and the query command's
 * Prometheus-compatible output. Numbers are exact: the shortest decimal
 * that reads back to the same double, laid out as Go writes it.
 */
#include "src/base/json.h"

#include <math.h>
#include <stdbool.h>
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

        if (n == 0 && p[0] == 0xc0 && p[1] == 0x80) {
            /* Modified UTF-8's NUL: a NUL byte the store carries. */
            buf_puts(out, "\\u0000");
            p += 2;
            continue;
        }
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

/* ---- shortest decimals ---------------------------------------------- */

/*
 * A decimal d[0].d[1]...d[n-1] x 10^exp: no leading zero, no trailing
 * zero, "0" for zero. 17 significant digits always suffice for a double.
 */
struct dec {
    char d[24];
    int n;
    int exp;
    bool neg;
};

/* Whether the digits, first one at 10^exp, read back as av. The text has
 * no decimal point, so no locale can change how strtod reads it. */
static bool
reads_back(const struct dec *x, double av)
{
    char tmp[48];

    snprintf(tmp, sizeof(tmp), "%.*se%d", x->n, x->d, x->exp - (x->n - 1));
    return strtod(tmp, NULL) == av;
}

/* av correctly rounded to prec + 1 significant digits, through %e; the
 * decimal point, whatever the locale makes it, is skipped. */
static void
rounded(double av, int prec, struct dec *x)
{
    char tmp[48], *p;

    snprintf(tmp, sizeof(tmp), "%.*e", prec, av);
    x->n = 0;
    for (p = tmp; *p != 'e' && *p != '\0'; p++)
        if (*p >= '0' && *p <= '9')
            x->d[x->n++] = *p;
    x->exp = *p == 'e' ? (int)strtol(p + 1, NULL, 10) : 0;
}

/* Moves the last digit one step up (delta 1) or down (-1), carrying. */
static void
step(struct dec *x, int delta)
{
    int i = x->n - 1;

    if (delta > 0) {
        for (; i >= 0 && x->d[i] == '9'; i--)
            x->d[i] = '0';
        if (i >= 0) {
            x->d[i]++;
            return;
        }
        memmove(x->d + 1, x->d, (size_t)x->n++);
        x->d[0] = '1';
        x->exp++;
        return;
    }
    for (; i >= 0 && x->d[i] == '0'; i--)
        x->d[i] = '9';
    x->d[i]--;
    if (x->d[0] == '0' && x->n > 1) {
        memmove(x->d, x->d + 1, (size_t)--x->n);
        x->exp--;
    }
}

static void
trim(struct dec *x)
{
    while (x->n > 1 && x->d[x->n - 1] == '0')
        x->n--;
}

/*
 * The shortest digits that read back to v, and of those the closest to
 * v: Go's strconv with precision -1. The correctly rounded candidate of
 * each length is tried first; when it misses (its side of v's rounding
 * interval is the narrow one, at a power of two), the only other
 * candidate of that length that can hit is its neighbour on the far side.
 */
static void
shortest(double v, struct dec *x)
{
    double av = fabs(v);
    struct dec c;

    x->neg = signbit(v) != 0;
    if (av == 0) {
        x->d[0] = '0';
        x->n = 1;
        x->exp = 0;
        return;
    }
    for (int prec = 0; prec <= 16; prec++) {
        rounded(av, prec, x);
        if (reads_back(x, av))
            break;
        c = *x;
        step(&c, 1);
        if (!reads_back(&c, av)) {
            c = *x;
            step(&c, -1);
        }
        if (reads_back(&c, av)) {
            memcpy(x->d, c.d, sizeof(x->d));
            x->n = c.n;
            x->exp = c.exp;
            break;
        }
    }
    trim(x);
}

/* Go's 'f' layout: positional, no exponent, no trailing zeros. */
static void
put_fixed(struct buf *out, const struct dec *x)
{
    if (x->neg)
        buf_putc(out, '-');
    if (x->exp < 0) {
        buf_puts(out, "0.");
        for (int i = -1; i > x->exp; i--)
            buf_putc(out, '0');
        buf_append(out, x->d, (size_t)x->n);
        return;
    }
    for (int i = 0; i <= x->exp || i < x->n; i++) {
        if (i == x->exp + 1)
            buf_putc(out, '.');
        buf_putc(out, i < x->n ? x->d[i] : '0');
    }
}

/* Go's 'e' layout: d[.ddd]e±XX, the exponent at least two digits; Go's
 * encoding/json then drops the zero of a one-digit negative exponent. */
static void
put_exp(struct buf *out, const struct dec *x, bool json)
{
    int e = x->exp < 0 ? -x->exp : x->exp;

    if (x->neg)
        buf_putc(out, '-');
    buf_putc(out, x->d[0]);
    if (x->n > 1) {
        buf_putc(out, '.');
        buf_append(out, x->d + 1, (size_t)x->n - 1);
    }
    buf_printf(out, json && x->exp < 0 ? "e%c%d" : "e%c%02d",
               x->exp < 0 ? '-' : '+', e);
}

/* Where Go's encoding/json and Prometheus's API switch to 'e'. */
static bool
wants_exp(double v)
{
    double av = fabs(v);

    return av != 0 && (av < 1e-6 || av >= 1e21);
}

void
json_number(struct buf *out, double v)
{
    struct dec x;

    if (!isfinite(v)) {
        buf_puts(out, "null");
        return;
    }
    shortest(v, &x);
    if (wants_exp(v))
        put_exp(out, &x, true);
    else
        put_fixed(out, &x);
}

/* Prometheus's jsonutil.MarshalTimestamp: integer arithmetic, no float
 * in between, so every millisecond is exact. */
void
json_time_ms(struct buf *out, int64_t ms)
{
    uint64_t m = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;

    if (ms < 0)
        buf_putc(out, '-');
    buf_printf(out, "%llu", (unsigned long long)(m / 1000));
    if (m % 1000 != 0)
        buf_printf(out, ".%03u", (unsigned)(m % 1000));
}

/* NaN and the infinities as Prometheus writes them; false when v is
 * finite and nothing was written. */
static bool
put_special(double v, struct buf *out)
{
    if (!isnan(v) && !isinf(v))
        return false;
    buf_puts(out, isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
    return true;
}

void
json_format_value(double v, struct buf *out)
{
    struct dec x;

    if (put_special(v, out))
        return;
    shortest(v, &x);
    put_fixed(out, &x);
}

void
json_format_exp(double v, struct buf *out)
{
    struct dec x;

    if (put_special(v, out))
        return;
    shortest(v, &x);
    put_exp(out, &x, false);
}

/* Prometheus's jsonutil.MarshalValue: 'f', or 'e' at the extremes. */
void
json_prom_value(struct buf *out, double v)
{
    struct dec x;

    buf_putc(out, '"');
    if (isfinite(v) && wants_exp(v)) {
        shortest(v, &x);
        put_exp(out, &x, false);
    } else {
        json_format_value(v, out);
    }
    buf_putc(out, '"');
}
