/*
 * Number, UTF-8 and escape handling for the exposition parser. The number
 * syntax is checked by hand first because strtod accepts forms (hex floats,
 * "nan(...)", "infin") that Go's ParseFloat, and so Prometheus, rejects.
 * Nothing here allocates.
 */
#include "scrape/expo_tok.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Case-insensitive comparison of s[0..n) with the lower-case word w. */
static bool
word_is(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return false;
    }
    return true;
}

/*
 * special = [ "+" | "-" ] ( "inf" | "infinity" ) | "nan"   (any case)
 * Go takes no sign before "nan" and nothing between "inf" and "infinity".
 */
static bool
float_special(const char *s, size_t n, double *out)
{
    double sign = 1.0;

    if (word_is(s, n, "nan")) {
        *out = NAN;
        return true;
    }
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        sign = s[0] == '-' ? -1.0 : 1.0;
        s++;
        n--;
    }
    if (word_is(s, n, "inf") || word_is(s, n, "infinity")) {
        *out = sign * INFINITY;
        return true;
    }
    return false;
}

/* decimal = [ "+" | "-" ] ( digits [ "." { digit } ] | "." digits )
 *           [ ( "e" | "E" ) [ "+" | "-" ] digits ] */
static bool
float_decimal_syntax(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    bool dot = false;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return false;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i == n;
}

/*
 * The common case, a counter or gauge written as a whole number: up to
 * 15 digits (below 2^53, so exactly a double) with an optional minus,
 * converted without strtod. False for anything else.
 */
static bool
float_integer(const char *s, size_t n, double *out)
{
    bool neg = n > 0 && s[0] == '-';
    uint64_t v = 0;
    size_t i = neg;

    if (n == i || n - i > 15)
        return false;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = neg ? -(double)v : (double)v;
    return true;
}

enum expo_tok_num
expo_tok_float(const char *s, size_t n, locale_t loc, char *tmp,
               double *out)
{
    char *end;
    double v;

    if (float_integer(s, n, out) || float_special(s, n, out))
        return EXPO_NUM_OK;
    if (!float_decimal_syntax(s, n))
        return EXPO_NUM_SYNTAX;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    v = strtod_l(tmp, &end, loc);
    if (end != tmp + n)
        return EXPO_NUM_SYNTAX;
    /* Go reports overflow but rounds underflow silently to 0 or a
     * subnormal, so only an infinite result from digits is an error. */
    if (isinf(v))
        return EXPO_NUM_RANGE;
    *out = v;
    return EXPO_NUM_OK;
}

enum expo_tok_num
expo_tok_int64(const char *s, size_t n, int64_t *out)
{
    uint64_t v = 0;

    if (n == 0)
        return EXPO_NUM_SYNTAX;
    for (size_t i = 0; i < n; i++) {
        unsigned d;

        if (s[i] < '0' || s[i] > '9')
            return EXPO_NUM_SYNTAX;
        d = (unsigned)(s[i] - '0');
        if (v > ((uint64_t)INT64_MAX - d) / 10)
            return EXPO_NUM_RANGE;
        v = v * 10 + d;
    }
    *out = (int64_t)v;
    return EXPO_NUM_OK;
}

size_t
expo_tok_unescape(const char *s, size_t n, enum expo_esc esc, char *out)
{
    size_t i = 0, o = 0;

    while (i < n) {
        char c = s[i];

        /* Left to right, two bytes at a time when they form a known
         * escape; an unknown one keeps its backslash. */
        if (c == '\\' && i + 1 < n) {
            char e = s[i + 1];
            if (e == '\\' || e == 'n' || (e == '"' && esc == EXPO_ESC_LABEL)) {
                out[o++] = e == 'n' ? '\n' : e;
                i += 2;
                continue;
            }
        }
        out[o++] = c;
        i++;
    }
    return o;
}

/* Bytes that end the token shown in an error message. */
static bool
describe_stop(char c)
{
    return strchr(" \t\n,={}\"", c) != NULL && c != '\0';
}

size_t
expo_tok_span(const char *s, size_t n, size_t i)
{
    size_t end = i;

    while (end < n && (end == i || !describe_stop(s[end])))
        end++;
    return end > i ? end - i : 1;
}

void
expo_tok_describe(const char *s, size_t n, size_t i, char *out,
                  size_t outsz)
{
    enum { SHOW = 24 };
    size_t end = i, o = 0;

    if (i >= n) {
        snprintf(out, outsz, "end of line");
        return;
    }
    while (end < n && end - i < SHOW && (end == i || !describe_stop(s[end])))
        end++;
    if (outsz < 8) {
        if (outsz > 0)
            out[0] = '\0';
        return;
    }
    out[o++] = '"';
    for (size_t k = i; k < end && o + 8 < outsz; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '"' || c == '\\')
            o += (size_t)snprintf(out + o, outsz - o, "\\%c", c);
        else if (c < 0x20 || c >= 0x7F)
            o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    if (end < n && end - i >= SHOW && o + 4 < outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}
