/*
 * Grafana's number formatters, one function per family, each writing what
 * Grafana's valueFormats registry writes for the same value and decimals.
 * Scaled families pick their step as Grafana's scaledUnits does: the
 * whole power of the factor at or below |v|, clamped to the steps the
 * unit has, so 1e15 req/s is "1000T req/s" and 0.5 bytes "0.500 B". The
 * decimals are toFixed's (ui/format.c), on the scaled number.
 */
#include "ui/units.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "ui/units_time.h"

#define MICRO "\xc2\xb5"

/* SI prefixes from femto up; SI_BASE is the place of no prefix. */
static const char *const si_prefixes[] = {
    "f", "p", "n", MICRO, "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y",
};
#define SI_BASE 5
static const char *const iec_prefixes[] = {
    "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi",
};
static const char *const short_steps[] = {
    "", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept",
};
static const char *const psi_steps[] = { "psi", "ksi", "Mpsi" };
static const char *const count_steps[] = { "", "K", "M", "B", "T" };

/* A ladder of steps factor apart; steps[base] is the unit itself. */
struct ladder {
    double factor;
    const char *const *steps;
    int nsteps;
    int base;
};

#define LADDER(f, a, base) { f, a, (int)(sizeof a / sizeof a[0]), base }

static int
clamp(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Scales v along l; writes the number into num, returns the step. */
static int
scale(double v, const struct ladder *l, int decimals, char *num, size_t n)
{
    int k = v == 0 ? 0
            : (int)floor(log10(fabs(v)) / log10(l->factor));
    int shift = clamp(k, -l->base, l->nsteps - l->base - 1);

    format_fixed(v / pow(l->factor, shift), decimals, num, n);
    return clamp(l->base + k, 0, l->nsteps - 1);
}

/* "1.50 kB/s": SI (or IEC) steps as prefixes of symbol. */
static void
write_prefixed(double v, bool iec, const char *symbol, int step,
               int decimals, char *out, size_t n)
{
    struct ladder si = LADDER(1000, si_prefixes, SI_BASE + step);
    struct ladder bin = LADDER(1024, iec_prefixes, step);
    const struct ladder *l = iec ? &bin : &si;
    char num[FORMAT_VALUE_MAX];
    int i = scale(v, l, decimals, num, sizeof num);
    snprintf(out, n, "%s %s%s", num, l->steps[i], symbol);
}

/* "$1.50K", "1.50Kkr": currency with K, M, B, T; the sign first. */
static void
write_currency(double v, const char *symbol, bool after, int decimals,
               char *out, size_t n)
{
    struct ladder l = LADDER(1000, count_steps, 0);
    char num[FORMAT_VALUE_MAX];
    int i = scale(fabs(v), &l, decimals, num, sizeof num);

    if (after)
        snprintf(out, n, "%s%s%s%s", v < 0 ? "-" : "", num, l.steps[i],
                 symbol);
    else
        snprintf(out, n, "%s%s%s%s", v < 0 ? "-" : "", symbol, num,
                 l.steps[i]);
}

/* The hexadecimal digits of |x| (finite), fraction and all, upper case. */
static void
write_hex(double x, bool prefix, char *out, size_t n)
{
    char ip[1100], fp[64];
    double a = fabs(x), whole = floor(a), frac = a - whole;
    size_t ni = 0, nf = 0;

    do {
        ip[ni++] = "0123456789ABCDEF"[(int)fmod(whole, 16)];
        whole = floor(whole / 16);
    } while (whole > 0 && ni < sizeof ip - 1);
    /* A double's fraction ends within 13 hex digits after its first. */
    while (frac > 0 && nf < sizeof fp - 1) {
        frac *= 16;
        fp[nf++] = "0123456789ABCDEF"[(int)floor(frac)];
        frac -= floor(frac);
    }
    fp[nf] = '\0';
    for (size_t i = 0; i < ni / 2; i++) {
        char c = ip[i];

        ip[i] = ip[ni - 1 - i];
        ip[ni - 1 - i] = c;
    }
    ip[ni] = '\0';
    snprintf(out, n, "%s%s%s%s%s", x < 0 ? "-" : "", prefix ? "0x" : "", ip,
             nf > 0 ? "." : "", fp);
}

/* JavaScript's toExponential: "1.5e+3"; all digits when decimals < 0. */
static void
write_sci(double v, int decimals, char *out, size_t n)
{
    char s[64], *e;
    int p = decimals;

    if (p < 0)
        for (p = 0; p < 17; p++) {
            snprintf(s, sizeof s, "%.*e", p, v);
            if (strtod(s, NULL) == v)
                break;
        }
    snprintf(s, sizeof s, "%.*e", p > 20 ? 20 : p, v);
    e = strchr(s, 'e');
    *e = '\0';
    snprintf(out, n, "%se%c%ld", s, e[1], labs(strtol(e + 1, NULL, 10)));
}

/* Rounds the decimal number s (digits and one '.') to d places, halves
 * away from zero, in place; s has room for one more digit in front. */
static void
round_decimal(char *s, int d)
{
    char *dot = strchr(s, '.'), *p;

    if (dot == NULL || (int)strlen(dot + 1) <= d)
        return;
    p = dot + d + 1;
    if (*p >= '5') {
        char *q = p - 1;

        for (; q >= s; q--) {
            if (*q == '.')
                continue;
            if (*q != '9') {
                (*q)++;
                break;
            }
            *q = '0';
        }
        if (q < s) {
            memmove(s + 1, s, strlen(s) + 1);
            s[0] = '1';
            p++;
        }
    }
    *p = '\0';
}

/* Rewrites "1.5e+25" in s without the exponent (its digits, then
 * zeros); tiny values, which round to 0 anyway, as printf has them. */
static void
expand_exponent(char *s, size_t n, double a)
{
    char *e = strchr(s, 'e'), digits[32];
    size_t k = 0;
    long exp = strtol(e + 1, NULL, 10);

    if (exp < 0) {
        snprintf(s, n, "%.20f", a);
        return;
    }
    for (char *p = s; p < e && k + 1 < sizeof digits; p++)
        if (*p != '.')
            digits[k++] = *p;
    digits[k] = '\0';
    snprintf(s, n, "%s%0*d", digits, (int)(exp + 1 - (long)k), 0);
}

/* en-US toLocaleString: thousands grouped, at most decimals (3 when
 * unset) after the point, rounded from the shortest decimal form of v as
 * ECMA-402 does, trailing zeros dropped. */
static void
write_locale(double v, int decimals, char *out, size_t n)
{
    char s[400], g[600], *dot, *end;
    size_t j = 0, digits;

    format_js_number(fabs(v), s + 1, sizeof s - 1);
    if (strchr(s + 1, 'e') != NULL)
        expand_exponent(s + 1, sizeof s - 1, fabs(v));
    round_decimal(s + 1, decimals < 0 ? 3 : decimals);
    memmove(s, s + 1, strlen(s + 1) + 1);
    dot = strchr(s, '.');
    if (dot != NULL) {
        end = s + strlen(s);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    digits = strcspn(s, ".");
    if (v < 0 && strspn(s, "0.") != strlen(s))
        g[j++] = '-';
    for (size_t i = 0; i < digits && j + 2 < sizeof g; i++) {
        if (i > 0 && (digits - i) % 3 == 0)
            g[j++] = ',';
        g[j++] = s[i];
    }
    snprintf(g + j, sizeof g - j, "%s", s + digits);
    snprintf(out, n, "%s", g);
}

/* "True" or "False": the text before or after the slash of symbol. */
static void
write_bool(double v, const char *symbol, char *out, size_t n)
{
    const char *slash = strchr(symbol, '/');

    if (v != 0)
        snprintf(out, n, "%.*s", (int)(slash != NULL ? slash - symbol
                                       : (long)strlen(symbol)), symbol);
    else
        snprintf(out, n, "%s", slash != NULL ? slash + 1 : "-");
}

/* The number, then " symbol" (or nothing when symbol is empty). */
static void
write_fixed(double v, const char *symbol, int decimals, char *out, size_t n)
{
    char num[FORMAT_VALUE_MAX];

    format_fixed(v, decimals, num, sizeof num);
    snprintf(out, n, "%s%s%s", num, *symbol ? " " : "", symbol);
}

/* Families that scale with a list of steps of their own. */
static void
write_stepped(double v, const struct unit_info *ui, int decimals, char *out,
              size_t n)
{
    struct ladder shortl = LADDER(1000, short_steps, 0);
    struct ladder psi = LADDER(1000, psi_steps, 0);
    struct ladder count = LADDER(1000, count_steps, 0);
    char num[FORMAT_VALUE_MAX];
    int i;

    if (ui->family == UF_COUNT) {
        i = scale(v, &count, decimals, num, sizeof num);
        snprintf(out, n, "%s%s %s", num, count_steps[i], ui->symbol);
        return;
    }
    i = scale(v, ui->arg == 1 ? &psi : &shortl, decimals, num, sizeof num);
    snprintf(out, n, "%s%s", num, ui->arg == 1 ? psi_steps[i]
                                               : short_steps[i]);
}

void
units_write(double v, const struct unit_info *ui, int decimals, char *out,
            size_t n)
{
    char num[FORMAT_VALUE_MAX];

    switch (ui->family) {
    case UF_FIXED:
        write_fixed(v, ui->symbol, decimals, out, n);
        break;
    case UF_PERCENT:
    case UF_PERCENTUNIT:
        format_fixed(ui->family == UF_PERCENT ? v : 100 * v, decimals, num,
                     sizeof num);
        snprintf(out, n, "%s%%", num);
        break;
    case UF_SI:
    case UF_IEC:
        write_prefixed(v, ui->family == UF_IEC, ui->symbol, ui->arg,
                       decimals, out, n);
        break;
    case UF_SHORT:
    case UF_COUNT:
        write_stepped(v, ui, decimals, out, n);
        break;
    case UF_CURRENCY:
        write_currency(v, ui->symbol, ui->arg == 1, decimals, out, n);
        break;
    case UF_HEX:
        format_fixed(v, decimals, num, sizeof num);
        write_hex(strtod(num, NULL), ui->arg == 1, out, n);
        break;
    case UF_SCI:
        write_sci(v, decimals, out, n);
        break;
    case UF_LOCALE:
        write_locale(v, decimals, out, n);
        break;
    case UF_STRING:
        format_js_number(v, out, n);
        break;
    case UF_BOOL:
        write_bool(v, ui->symbol, out, n);
        break;
    default:
        units_time_write(v, ui, decimals, out, n);
        break;
    }
}

/* The SI step a prefix character at s stands for; its length in *len
 * (0 when s starts with none, which is the unit itself). */
static int
si_step_of(const char *s, size_t *len)
{
    *len = 0;
    for (int i = 0; i < (int)(sizeof si_prefixes / sizeof si_prefixes[0]);
         i++) {
        size_t l = strlen(si_prefixes[i]);

        if (l > 0 && strncmp(s, si_prefixes[i], l) == 0) {
            *len = l;
            return i - SI_BASE;
        }
    }
    /* Grafana takes the Greek mu for the micro sign too. */
    if (strncmp(s, "\xce\xbc", 2) == 0) {
        *len = 2;
        return -2;
    }
    return 0;
}

void
units_write_custom(double v, const char *text, int decimals, char *out,
                   size_t n)
{
    const char *colon = strchr(text, ':'), *sub;
    struct unit_info ui = { text, UF_FIXED, text, 0 };
    char num[FORMAT_VALUE_MAX];
    size_t key, len;

    key = colon != NULL ? (size_t)(colon - text) : 0;
    sub = colon != NULL ? colon + 1 : "";
    if (key == 6 && strncmp(text, "prefix", 6) == 0) {
        format_fixed(v, decimals, num, sizeof num);
        snprintf(out, n, "%s%s", sub, num);
        return;
    }
    if (key == 6 && strncmp(text, "suffix", 6) == 0)
        ui.symbol = sub;
    else if (key == 4 && strncmp(text, "time", 4) == 0)
        ui = (struct unit_info){ text, UF_DATETIME, sub, 0 };
    else if (key == 2 && strncmp(text, "si", 2) == 0) {
        ui = (struct unit_info){ text, UF_SI, sub, si_step_of(sub, &len) };
        ui.symbol = sub + len;
    } else if (key == 5 && strncmp(text, "count", 5) == 0)
        ui = (struct unit_info){ text, UF_COUNT, sub, 0 };
    else if (key == 8 && strncmp(text, "currency", 8) == 0)
        ui = (struct unit_info){ text, UF_CURRENCY, sub, 0 };
    else if (key == 4 && strncmp(text, "bool", 4) == 0)
        ui = (struct unit_info){ text, UF_BOOL, sub, 0 };
    units_write(v, &ui, decimals, out, n);
}
