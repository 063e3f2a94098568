/*
 * Number, label and time formatting. A value in one of Grafana's units
 * goes to the family of formatter its row names (ui/units.c, times in
 * ui/units_time.c); what they share is here: Grafana's toFixed, with its
 * way of picking decimals, and JavaScript's way of writing a number, which
 * toFixed builds on. A value of no stated unit keeps promdeck's compact
 * form: a ladder of SI steps, three significant digits, trailing zeros
 * dropped, one step up when rounding reaches the next (999.96 -> "1k").
 * No locale-dependent separators: the decimal point is always '.'.
 */
#include "ui/format.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/units.h"

/* promdeck's compact SI ladder, for UNIT_AUTO. */
static const struct {
    double factor;
    const char *suffix;
} si[] = {
    { 1e-12, "p" }, { 1e-9, "n" }, { 1e-6, "\xc2\xb5" }, { 1e-3, "m" },
    { 1, "" }, { 1e3, "k" }, { 1e6, "M" }, { 1e9, "G" }, { 1e12, "T" },
    { 1e15, "P" }, { 1e18, "E" },
};
#define NSI (sizeof si / sizeof si[0])
#define SI_ONE 4                /* the step of 1, used for zero */

/* Decimals for three significant digits of a (>= 0). */
static int
compact_decimals(double a)
{
    int d;

    if (a == 0 || a >= 100)
        return 0;
    if (a >= 10)
        return 1;
    if (a >= 1)
        return 2;
    d = 2 - (int)floor(log10(a));
    return d > 9 ? 9 : d;
}

/* Prints x with d decimals, dropping trailing zeros when trim is set. */
static void
put_number(double x, int d, int trim, char *out, size_t n)
{
    char *dot, *end;

    snprintf(out, n, "%.*f", d, x);
    dot = strchr(out, '.');
    if (!trim || dot == NULL)
        return;
    end = out + strlen(out);
    while (end > dot + 1 && end[-1] == '0')
        *--end = '\0';
    if (end == dot + 1)
        *dot = '\0';
}

/* UNIT_AUTO: the largest step not above |v|, three significant digits. */
static void
format_compact(double v, int decimals, char *out, size_t n)
{
    double a = fabs(v), s, p;
    size_t i = SI_ONE;
    int d;
    char num[FORMAT_VALUE_MAX];

    if (a != 0)
        for (i = 0; i + 1 < NSI && a >= si[i + 1].factor; i++)
            ;
    for (;;) {
        s = a / si[i].factor;
        d = decimals >= 0 ? decimals : compact_decimals(s);
        p = pow(10, d);
        /* Rounding may reach the next step: 999.96 is "1k", not "1000". */
        if (i + 1 < NSI && round(s * p) / p * si[i].factor >= si[i + 1].factor)
            i++;
        else
            break;
    }
    put_number(s, d, decimals < 0, num, sizeof num);
    /* A negative value that rounds to zero prints without its sign. */
    snprintf(out, n, "%s%s%s", v < 0 && strspn(num, "0.") != strlen(num)
             ? "-" : "", num, si[i].suffix);
}

/*
 * The shortest digits that read back as a (finite, > 0), without a
 * point, into d; returns the exponent of the first digit (a is d[0].d[1..]
 * times ten to it), as JavaScript picks them. Reading back holds from
 * some precision on: the nearest decimal of p + 1 digits is no farther
 * from a than the nearest of p digits (which is one of them), and 17
 * always do. So the precision is bisected, five tries or so rather than
 * up to seventeen, which a table of a thousand rates formats each draw.
 */
static int
shortest_digits(double a, char *d, size_t n)
{
    char tmp[40], *e;
    size_t k = 0;
    int lo = 1, hi = 17;

    while (lo < hi) {
        int p = lo + (hi - lo) / 2;

        snprintf(tmp, sizeof tmp, "%.*e", p - 1, a);
        if (strtod(tmp, NULL) == a)
            hi = p;
        else
            lo = p + 1;
    }
    snprintf(tmp, sizeof tmp, "%.*e", lo - 1, a);
    e = strchr(tmp, 'e');
    for (const char *s = tmp; s < e && k + 1 < n; s++)
        if (*s != '.')
            d[k++] = *s;
    d[k] = '\0';
    return (int)strtol(e + 1, NULL, 10);
}

void
format_js_number(double v, char *out, size_t n)
{
    char d[24], s[64];
    size_t k, j = 0;
    int point;

    if (isnan(v) || isinf(v) || v == 0) {
        snprintf(out, n, "%s", isnan(v) ? "NaN" : v == 0 ? "0"
                 : v > 0 ? "Infinity" : "-Infinity");
        return;
    }
    if (v < 0)
        s[j++] = '-';
    point = shortest_digits(fabs(v), d, sizeof d) + 1;
    k = strlen(d);
    /* ECMAScript's Number::toString: fixed from 1e-6 up to 1e21. */
    if (point > 21 || point <= -6) {
        s[j++] = d[0];
        if (k > 1)
            s[j++] = '.';
        for (size_t i = 1; i < k; i++)
            s[j++] = d[i];
        snprintf(s + j, sizeof s - j, "e%c%d", point - 1 < 0 ? '-' : '+',
                 abs(point - 1));
    } else if (point <= 0) {
        s[j++] = '0';
        s[j++] = '.';
        for (int i = point; i < 0; i++)
            s[j++] = '0';
        memcpy(s + j, d, k + 1);
    } else {
        for (size_t i = 0; i < k || i < (size_t)point; i++) {
            if (i == (size_t)point)
                s[j++] = '.';
            s[j++] = i < k ? d[i] : '0';
        }
        s[j] = '\0';
    }
    snprintf(out, n, "%s", s);
}

/* JavaScript's Math.round: to the nearest integer, halves upwards. */
static double
js_round(double x)
{
    double r = floor(x);

    return x - r >= 0.5 ? r + 1 : r;
}

/* Grafana's decimals for a value when none are set: none for a whole
 * number, else two past the first significant digit (norm > 2.25 holds
 * for every normalised value, which lies in [10, 100)). */
static int
grafana_decimals(double v)
{
    double a = fabs(v), magn, norm;
    int dec;

    if (v == 0 || fmod(v, 1) == 0)
        return 0;
    dec = -(int)floor(log(a) / M_LN10) + 1;
    magn = pow(10, -dec);
    norm = a / magn;
    if (norm > 2.25)
        dec++;
    return dec > 0 ? dec : 0;
}

void
format_fixed(double v, int decimals, char *out, size_t n)
{
    double factor;
    char *dot;
    size_t have, len;

    if (decimals < 0)
        decimals = grafana_decimals(v);
    if (decimals > 20)
        decimals = 20;
    if (v == 0) {
        snprintf(out, n, "%.*f", decimals, 0.0);
        return;
    }
    factor = decimals > 0 ? pow(10, decimals) : 1;
    format_js_number(js_round(v * factor) / factor, out, n);
    if (strchr(out, 'e') != NULL)
        return;
    /* Pad with zeros to exactly that many decimals. */
    dot = strchr(out, '.');
    have = dot != NULL ? strlen(dot + 1) : 0;
    len = strlen(out);
    if (have >= (size_t)decimals)
        return;
    if (dot == NULL && len + 1 < n)
        out[len++] = '.';
    while (have++ < (size_t)decimals && len + 1 < n)
        out[len++] = '0';
    out[len] = '\0';
}

void
format_trim_zeros(char *s)
{
    char *p = s + (*s == '-'), *dot, *end;

    p += strspn(p, "0123456789");
    if (p == s + (*s == '-') || *p != '.')
        return;
    dot = p;
    end = dot + 1 + strspn(dot + 1, "0123456789");
    p = end;
    while (p > dot + 1 && p[-1] == '0')
        p--;
    if (p == dot + 1)
        p = dot;
    memmove(p, end, strlen(end) + 1);
}

static int
special(double v, char *out, size_t n)
{
    if (isnan(v))
        snprintf(out, n, "NaN");
    else if (isinf(v))
        snprintf(out, n, "%s", v > 0 ? "+Inf" : "-Inf");
    else
        return 0;
    return 1;
}

/* Cuts a UTF-8 sequence that snprintf left unfinished at the end. */
static void
cut_partial(char *s)
{
    size_t len = strlen(s), start = len;
    unsigned char c;
    size_t need;

    while (start > 0 && ((unsigned char)s[start - 1] & 0xc0) == 0x80)
        start--;
    if (start == 0)
        return;
    c = (unsigned char)s[start - 1];
    need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (len - (start - 1) < need)
        s[start - 1] = '\0';
}

void
format_value_as(double v, enum unit u, const char *text, int decimals,
                char *out, size_t n)
{
    const struct unit_info *ui = model_unit(u);

    if (n == 0 || special(v, out, n))
        return;
    if (ui == NULL || ui->family == UF_AUTO
        || (ui->family == UF_CUSTOM && (text == NULL || *text == '\0')))
        format_compact(v, decimals, out, n);
    else if (ui->family == UF_CUSTOM)
        units_write_custom(v, text, decimals, out, n);
    else
        units_write(v, ui, decimals, out, n);
    cut_partial(out);
}

void
format_value(double v, enum unit u, int decimals, char *out, size_t n)
{
    format_value_as(v, u, NULL, decimals, out, n);
}

/* The value of label name[0..len) in ls, or NULL. */
static const char *
label_value(const struct labels *ls, const char *name, size_t len)
{
    for (size_t i = 0; i < ls->n; i++)
        if (strlen(ls->v[i].name) == len
            && memcmp(ls->v[i].name, name, len) == 0)
            return ls->v[i].value;
    return NULL;
}

/*
 * legend   = { text | "{{" ws name ws "}}" }
 * An unclosed "{{" is copied as text, as Grafana leaves it.
 */
void
format_legend(const char *tmpl, const struct labels *ls, struct buf *out)
{
    const char *p, *open, *close, *name, *end;
    const char *v;

    if (tmpl == NULL || tmpl[0] == '\0') {
        labels_format(ls, out);
        return;
    }
    p = tmpl;
    while ((open = strstr(p, "{{")) != NULL
           && (close = strstr(open + 2, "}}")) != NULL) {
        buf_append(out, p, (size_t)(open - p));
        name = open + 2;
        end = close;
        while (name < end && *name == ' ')
            name++;
        while (end > name && end[-1] == ' ')
            end--;
        v = label_value(ls, name, (size_t)(end - name));
        if (v != NULL)
            buf_puts(out, v);
        p = close + 2;
    }
    buf_puts(out, p);
}

/* The label set without its metric name: {a="b", c="d"}. */
static void
labels_only(const struct labels *ls, struct buf *out)
{
    bool first = true;

    buf_putc(out, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].name, LABEL_METRIC_NAME) == 0)
            continue;
        buf_printf(out, "%s%s=\"", first ? "" : ", ", ls->v[i].name);
        labels_escape(ls->v[i].value, out);
        buf_putc(out, '"');
        first = false;
    }
    buf_putc(out, '}');
}

/* One ${...} of a display name, key[0..len); false when unknown. */
static bool
display_field(const char *key, size_t len, const struct labels *ls,
              const char *name, struct buf *out)
{
    static const char lab[] = "__field.labels";
    size_t ll = sizeof lab - 1;
    const char *v;

    if (len == ll && memcmp(key, lab, ll) == 0) {
        labels_only(ls, out);
        return true;
    }
    if (len > ll + 1 && memcmp(key, lab, ll) == 0 && key[ll] == '.') {
        v = label_value(ls, key + ll + 1, len - ll - 1);
        buf_puts(out, v != NULL ? v : "");
        return true;
    }
    if ((len == 12 && memcmp(key, "__field.name", 12) == 0)
        || (len == 13 && memcmp(key, "__series.name", 13) == 0)
        || (len == 19 && memcmp(key, "__field.displayName", 19) == 0)) {
        buf_puts(out, name);
        return true;
    }
    return false;
}

void
format_display_name(const char *tmpl, const struct labels *ls,
                    const char *name, struct buf *out)
{
    const char *p = tmpl, *open, *close;

    while ((open = strstr(p, "${")) != NULL
           && (close = strchr(open + 2, '}')) != NULL) {
        buf_append(out, p, (size_t)(open - p));
        if (!display_field(open + 2, (size_t)(close - open - 2), ls, name,
                           out))
            buf_append(out, open, (size_t)(close + 1 - open));
        p = close + 1;
    }
    buf_puts(out, p);
}

void
format_ago(int64_t now_ms, int64_t then_ms, char *out, size_t n)
{
    int64_t d = now_ms - then_ms;

    if (then_ms == 0) {
        snprintf(out, n, "never");
        return;
    }
    if (d < 0)
        d = 0;
    if (d < 60000)
        snprintf(out, n, "%.1fs ago", (double)d / 1000.0);
    else if (d < 3600000)
        snprintf(out, n, "%dm ago", (int)(d / 60000));
    else if (d < 86400000)
        snprintf(out, n, "%dh ago", (int)(d / 3600000));
    else
        snprintf(out, n, "%dd ago", (int)(d / 86400000));
}

void
format_duration(double s, char *out, size_t n)
{
    format_value(s, UNIT_SECONDS, -1, out, n);
}

void
format_hhmm(int64_t ms, char *out, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    if (localtime_r(&t, &tm) == NULL) {
        snprintf(out, n, "--:--");
        return;
    }
    snprintf(out, n, "%02d:%02d", tm.tm_hour, tm.tm_min);
}
