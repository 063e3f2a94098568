/*
 * Template values and Go's fmt for them: %v of every kind, Sprint and
 * Sprintln's spacing rules, Sprintf's verbs and its %!verb(type=value)
 * marks, float64 as strconv writes it (%v: the shortest digits that read
 * back, in 'e' form when the exponent is below -4 or 6 and above, so 1e6
 * prints as 1e+06) and time.Time's String. It does not do Go's %#v, %b,
 * %o, %U, %p or argument indexes like %[1]d.
 */
#include "src/rules/template_value.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *
tval_type(const struct tval *v)
{
    static const char *const names[] = {
        [TV_INVALID] = "<nil>", [TV_NIL] = "<nil>", [TV_BOOL] = "bool",
        [TV_INT] = "int",
        [TV_FLOAT] = "float64", [TV_STRING] = "string",
        [TV_LABELS] = "map[string]string",
        [TV_ARGS] = "map[string]interface {}",
        [TV_RESULT] = "template.queryResult",
        [TV_SAMPLE] = "*template.sample", [TV_TIME] = "*time.Time",
        [TV_DATA] = "struct { Labels map[string]string; ExternalLabels "
                    "map[string]string; ExternalURL string; Value float64 }",
    };

    return names[v->kind];
}

bool
tval_truth(const struct tval *v)
{
    switch (v->kind) {
    case TV_INVALID: case TV_NIL: return false;
    case TV_BOOL: return v->b;
    case TV_INT: return v->i != 0;
    case TV_FLOAT: return v->f != 0;
    case TV_STRING: return v->len > 0;
    case TV_LABELS: return v->labels && v->labels->n > 0;
    case TV_ARGS: return v->nargs > 0;
    case TV_RESULT: return v->n > 0;
    case TV_SAMPLE: return v->samples != NULL;
    default: return true;
    }
}

/* The shortest digits that read back as f (f finite): digits, count,
 * and the decimal point's position dp (value = 0.digits * 10^dp). */
static int
shortest_digits(double f, char *digits, int *dp)
{
    char tmp[40], *e;
    int p, nd = 0;
    size_t i;

    /* 17 significant digits always read back; find the fewest that do */
    for (p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, fabs(f));
        if (strtod(tmp, NULL) == fabs(f))
            break;
    }
    e = strchr(tmp, 'e');
    for (i = 0; tmp + i < e; i++)
        if (tmp[i] != '.')
            digits[nd++] = tmp[i];
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    *dp = (int)strtol(e + 1, NULL, 10) + 1;
    return nd;
}

/* Appends digits in 'e' form with prec digits after the point. */
static void
put_e(struct buf *out, const char *dg, int nd, int dp, int prec)
{
    int i, exp = dg[0] == '0' ? 0 : dp - 1;

    buf_putc(out, dg[0]);
    if (prec > 0)
        buf_putc(out, '.');
    for (i = 1; i <= prec; i++)
        buf_putc(out, i < nd ? dg[i] : '0');
    buf_printf(out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
}

/* Appends digits in 'f' form with prec digits after the point. */
static void
put_f(struct buf *out, const char *dg, int nd, int dp, int prec)
{
    int i;

    if (dp <= 0)
        buf_putc(out, '0');
    for (i = 0; i < dp; i++)
        buf_putc(out, i < nd ? dg[i] : '0');
    if (prec > 0)
        buf_putc(out, '.');
    for (i = 0; i < prec; i++)
        buf_putc(out, dp + i >= 0 && dp + i < nd ? dg[dp + i] : '0');
}

void
tval_float(struct buf *out, double f, char fmt, int prec)
{
    char dg[40];
    int nd, dp, exp;

    if (isnan(f) || isinf(f)) {
        buf_puts(out, isnan(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");
        return;
    }
    /* with a precision C's printf writes what Go's does */
    if (prec >= 0) {
        char cf[8] = {'%', '.', '*', fmt, '\0'};

        buf_printf(out, cf, prec, f);
        return;
    }
    if (signbit(f))
        buf_putc(out, '-');
    nd = shortest_digits(f, dg, &dp);
    if (f == 0)
        dp = 1;
    exp = dp - 1;
    /* shortest 'g' decides the form as if the precision were 6 */
    if (fmt == 'e' || (fmt == 'g' && (exp < -4 || exp >= 6)))
        put_e(out, dg, nd, dp, nd - 1);
    else
        put_f(out, dg, nd, dp, nd - dp > 0 ? nd - dp : 0);
}

void
tval_time(struct buf *out, int64_t ms)
{
    int64_t secs = ms / 1000, frac = ms % 1000;
    time_t t;
    struct tm tm;

    if (frac < 0) {
        frac += 1000;
        secs--;
    }
    t = (time_t)secs;
    gmtime_r(&t, &tm);
    buf_printf(out, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    /* Go drops trailing zeros of the fraction, and the point with them */
    if (frac) {
        char f[8];
        int n = snprintf(f, sizeof f, "%03" PRId64, frac);

        while (n > 0 && f[n - 1] == '0')
            f[--n] = '\0';
        buf_printf(out, ".%s", f);
    }
    buf_puts(out, " +0000 UTC");
}

/* The length of the valid UTF-8 sequence at s (0 when invalid). */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    size_t k = s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : s[0] >= 0xE0 ? 3
               : s[0] >= 0xC2 ? 2 : 0, i;

    if (k == 0 || k > n)
        return 0;
    for (i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

void
tval_quote(struct buf *out, const char *s, size_t len)
{
    static const char from[] = "\a\b\f\n\r\t\v\\\"", to[] = "abfnrtv\\\"";
    size_t i, k;

    buf_putc(out, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = c ? strchr(from, c) : NULL;

        if (e) {
            buf_putc(out, '\\');
            buf_putc(out, to[e - from]);
        } else if (c >= 0x80 && (k = utf8_seq((const unsigned char *)s + i,
                                               len - i)) > 0) {
            buf_append(out, s + i, k);
            i += k - 1;
        } else if (c < 0x20 || c >= 0x7F) {
            buf_printf(out, "\\x%02x", c);
        } else {
            buf_putc(out, (char)c);
        }
    }
    buf_putc(out, '"');
}

/* Appends a label set as Go prints a map[string]string: map[k:v ...]. */
static void
print_labels(struct buf *out, const struct labels *ls)
{
    size_t i;

    buf_puts(out, "map[");
    for (i = 0; ls && i < ls->n; i++)
        buf_printf(out, "%s%s:%s", i ? " " : "", ls->v[i].name,
                   ls->v[i].value);
    buf_putc(out, ']');
}

size_t
tval_arg_at(size_t i, size_t n)
{
    char key[24], best[24] = "", cand[24];
    size_t k, j, pick = 0;

    /* the i-th smallest key: small n, so a selection by string order */
    for (j = 0; j <= i; j++) {
        key[0] = '\0';
        for (k = 0; k < n; k++) {
            snprintf(cand, sizeof cand, "arg%zu", k);
            if ((j == 0 || strcmp(cand, best) > 0)
                && (!key[0] || strcmp(cand, key) < 0)) {
                memcpy(key, cand, sizeof key);
                pick = k;
            }
        }
        memcpy(best, key, sizeof best);
    }
    return pick;
}

/* Appends args' map: keys arg0, arg1, ... in Go's (string) order. */
static void
print_args(struct buf *out, const struct tval *v)
{
    size_t i, k;

    buf_puts(out, "map[");
    for (i = 0; i < v->nargs; i++) {
        k = tval_arg_at(i, v->nargs);
        buf_printf(out, "%sarg%zu:", i ? " " : "", k);
        if (v->args[k].kind <= TV_NIL)
            buf_puts(out, "<nil>");
        else
            tval_print(out, &v->args[k]);
    }
    buf_putc(out, ']');
}

void
tval_print(struct buf *out, const struct tval *v)
{
    size_t i;

    switch (v->kind) {
    case TV_INVALID: buf_puts(out, "<no value>"); break;
    case TV_NIL: buf_puts(out, "<nil>"); break;
    case TV_BOOL: buf_puts(out, v->b ? "true" : "false"); break;
    case TV_INT: buf_printf(out, "%" PRId64, v->i); break;
    case TV_FLOAT: tval_float(out, v->f, 'g', -1); break;
    case TV_STRING: buf_append(out, v->s, v->len); break;
    case TV_LABELS: print_labels(out, v->labels); break;
    case TV_ARGS: print_args(out, v); break;
    case TV_RESULT:
        /* a slice of pointers: Go prints their addresses */
        buf_putc(out, '[');
        for (i = 0; i < v->n; i++)
            buf_printf(out, "%s%p", i ? " " : "", (void *)&v->samples[i]);
        buf_putc(out, ']');
        break;
    case TV_SAMPLE:
        buf_putc(out, '{');
        print_labels(out, &v->samples->labels);
        buf_putc(out, ' ');
        tval_float(out, v->samples->value, 'g', -1);
        buf_putc(out, '}');
        break;
    case TV_TIME: tval_time(out, v->i); break;
    case TV_DATA:
        /* args holds the fields: Labels, ExternalLabels, ExternalURL,
           Value */
        buf_putc(out, '{');
        for (i = 0; i < v->nargs; i++) {
            if (i)
                buf_putc(out, ' ');
            tval_print(out, &v->args[i]);
        }
        buf_putc(out, '}');
        break;
    }
}

void
tval_sprint(struct buf *out, const struct tval *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (i > 0 && v[i].kind != TV_STRING && v[i - 1].kind != TV_STRING)
            buf_putc(out, ' ');
        if (v[i].kind == TV_INVALID)
            buf_puts(out, "<nil>");
        else
            tval_print(out, &v[i]);
    }
}

void
tval_sprintln(struct buf *out, const struct tval *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(out, ' ');
        if (v[i].kind == TV_INVALID)
            buf_puts(out, "<nil>");
        else
            tval_print(out, &v[i]);
    }
    buf_putc(out, '\n');
}

/* Appends code point r as UTF-8 (U+FFFD when r is none). */
static void
put_rune(struct buf *out, int64_t r)
{
    if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r < 0xE000))
        r = 0xFFFD;
    if (r < 0x80) {
        buf_putc(out, (char)r);
    } else if (r < 0x800) {
        buf_printf(out, "%c%c", (int)(0xC0 | r >> 6), (int)(0x80 | (r & 63)));
    } else if (r < 0x10000) {
        buf_printf(out, "%c%c%c", (int)(0xE0 | r >> 12),
                   (int)(0x80 | ((r >> 6) & 63)), (int)(0x80 | (r & 63)));
    } else {
        buf_printf(out, "%c%c%c%c", (int)(0xF0 | r >> 18),
                   (int)(0x80 | ((r >> 12) & 63)),
                   (int)(0x80 | ((r >> 6) & 63)), (int)(0x80 | (r & 63)));
    }
}

/* One %verb's flags, width and precision (-1 when absent). */
struct spec {
    char flags[8];
    int width, prec;
    char verb;
};

/* Appends s padded to the spec's width (in characters, as Go counts). */
static void
pad(struct buf *out, const struct spec *sp, const char *s, size_t n)
{
    size_t chars = 0, i;
    int fill;

    for (i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    fill = sp->width > (int)chars ? sp->width - (int)chars : 0;
    if (!strchr(sp->flags, '-'))
        for (; fill > 0; fill--)
            buf_putc(out, strchr(sp->flags, '0') ? '0' : ' ');
    buf_append(out, s, n);
    for (; fill > 0; fill--)
        buf_putc(out, ' ');
}

/* Go's mark for an operand the verb does not fit: %!d(string=x). */
static void
bad_verb(struct buf *out, char verb, const struct tval *v)
{
    buf_printf(out, "%%!%c(", verb);
    if (v->kind == TV_NIL || v->kind == TV_INVALID) {
        buf_puts(out, "<nil>)");
        return;
    }
    buf_printf(out, "%s=", tval_type(v));
    tval_print(out, v);
    buf_putc(out, ')');
}

/* Formats an integer or float through C's printf, whose flags, width and
 * precision mean what Go's do for these verbs. */
static void
fmt_c(struct buf *out, const struct spec *sp, const char *len, char verb,
      const struct tval *v)
{
    char cf[32];

    snprintf(cf, sizeof cf, "%%%s*.*%s%c", sp->flags, len, verb);
    if (*len)
        buf_printf(out, cf, sp->width, sp->prec, (long long)v->i);
    else
        buf_printf(out, cf, sp->width, sp->prec, v->f);
}

/* %v %g %e %f of a float64, Go's way for NaN, Inf and shortest %g. */
static void
fmt_float(struct buf *out, struct spec *sp, const struct tval *v)
{
    struct buf tmp;
    char verb = sp->verb == 'v' ? 'g' : sp->verb;

    if (sp->prec < 0 && (verb == 'e' || verb == 'E' || verb == 'f'
                         || verb == 'F'))
        sp->prec = 6;
    if (isfinite(v->f) && sp->prec >= 0) {
        fmt_c(out, sp, "", verb, v);
        return;
    }
    buf_init(&tmp, 0);
    if (strchr(sp->flags, '+') && !signbit(v->f) && !isnan(v->f))
        buf_putc(&tmp, '+');
    tval_float(&tmp, v->f, (char)(verb | 0x20), sp->prec);
    if (verb == 'G' || verb == 'E')
        for (size_t i = 0; i < tmp.len; i++)
            if (tmp.data[i] == 'e')
                tmp.data[i] = 'E';
    if (!isfinite(v->f))
        sp->flags[0] = '\0';
    pad(out, sp, buf_str(&tmp), tmp.len);
    buf_fini(&tmp);
}

/* Formats one operand v for the spec. */
static void
fmt_one(struct buf *out, struct spec *sp, const struct tval *v)
{
    struct buf tmp;
    char c = sp->verb;

    /* %T: the operand's Go type, for any operand */
    if (c == 'T') {
        pad(out, sp, tval_type(v), strlen(tval_type(v)));
    } else if (v->kind == TV_INT && strchr("dvxXoc", c)) {
        if (c == 'c') {
            put_rune(out, v->i);
        } else {
            fmt_c(out, sp, "ll", c == 'v' ? 'd' : c, v);
        }
    } else if (v->kind == TV_FLOAT && strchr("vgGeEfF", c)) {
        fmt_float(out, sp, v);
    } else if ((v->kind == TV_BOOL && (c == 't' || c == 'v'))
               || (v->kind == TV_STRING && (c == 's' || c == 'v'))
               || (v->kind <= TV_NIL && c == 'v')
               || (v->kind > TV_STRING && (c == 's' || c == 'v'))) {
        buf_init(&tmp, 0);
        if (v->kind <= TV_NIL)
            buf_puts(&tmp, "<nil>");
        else
            tval_print(&tmp, v);
        if (sp->prec >= 0 && v->kind == TV_STRING && (size_t)sp->prec
            < tmp.len)
            tmp.len = (size_t)sp->prec;
        pad(out, sp, buf_str(&tmp), tmp.len);
        buf_fini(&tmp);
    } else if (v->kind == TV_STRING && (c == 'q' || c == 'x' || c == 'X')) {
        buf_init(&tmp, 0);
        if (c == 'q')
            tval_quote(&tmp, v->s, v->len);
        for (size_t i = 0; c != 'q' && i < v->len; i++)
            buf_printf(&tmp, c == 'x' ? "%02x" : "%02X",
                       (unsigned char)v->s[i]);
        pad(out, sp, buf_str(&tmp), tmp.len);
        buf_fini(&tmp);
    } else {
        bad_verb(out, c, v);
    }
}

/* Reads "[flags][width][.prec]verb" after a '%' at *f into sp. */
static void
read_spec(const char **f, struct spec *sp)
{
    const char *s = *f;
    size_t nf = 0;
    char *end;

    sp->width = 0;
    sp->prec = -1;
    while (*s && strchr("+-# 0", *s)) {
        if (nf < sizeof sp->flags - 1 && !memchr(sp->flags, *s, nf))
            sp->flags[nf++] = *s;
        s++;
    }
    sp->flags[nf] = '\0';
    if (*s >= '0' && *s <= '9') {
        sp->width = (int)strtol(s, &end, 10);
        s = end;
    }
    if (*s == '.') {
        s++;
        sp->prec = (int)strtol(s, &end, 10);
        s = end;
    }
    sp->verb = *s;
    *f = *s ? s + 1 : s;
}

void
tval_sprintf(struct buf *out, const char *fmt, const struct tval *v,
             size_t n)
{
    size_t used = 0;
    struct spec sp;

    while (*fmt) {
        if (*fmt != '%') {
            buf_putc(out, *fmt++);
            continue;
        }
        fmt++;
        read_spec(&fmt, &sp);
        if (sp.verb == '%') {
            buf_putc(out, '%');
        } else if (sp.verb == '\0') {
            buf_puts(out, "%!(NOVERB)");
        } else if (used >= n) {
            buf_printf(out, "%%!%c(MISSING)", sp.verb);
        } else {
            fmt_one(out, &sp, &v[used++]);
        }
    }
    if (used < n) {
        buf_puts(out, "%!(EXTRA ");
        for (; used < n; used++) {
            buf_printf(out, "%s=", tval_type(&v[used]));
            if (v[used].kind <= TV_NIL)
                buf_puts(out, "<nil>");
            else
                tval_print(out, &v[used]);
            if (used + 1 < n)
                buf_puts(out, ", ");
        }
        buf_putc(out, ')');
    }
}
