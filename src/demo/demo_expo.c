/*
 * Exposition text as the client libraries write it: the float spelling of
 * each library (shortest round-trip digits, laid out the Go, Java or
 * JavaScript way), sample and HELP/TYPE lines, and histograms kept as
 * per-bucket counts. It knows no application and no clock.
 */
#include "src/demo/demo_expo.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The shortest decimal digits that read back as v (v finite, > 0): the
 * digits go to d without a point, *exp is the power of ten of the first.
 * Every client library here prints the shortest round-trip form; they
 * only differ in layout.
 */
static int
shortest_digits(double v, char d[20], int *exp)
{
    char tmp[40], *p, *end;
    int n = 0;

    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    for (p = tmp; *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            d[n++] = *p;
    *exp = (int)strtol(p + 1, &end, 10);
    while (n > 1 && d[n - 1] == '0')
        n--;
    d[n] = '\0';
    return n;
}

/* Positional layout of digits d (n of them) with exponent exp. */
static void
put_fixed(struct buf *out, const char *d, int n, int exp, int need_frac)
{
    if (exp < 0) {
        buf_puts(out, "0.");
        for (int i = -1; i > exp; i--)
            buf_putc(out, '0');
        buf_append(out, d, (size_t)n);
        return;
    }
    for (int i = 0; i <= exp || i < n; i++) {
        if (i == exp + 1)
            buf_putc(out, '.');
        buf_putc(out, i < n ? d[i] : '0');
    }
    if (n <= exp + 1 && need_frac)
        buf_puts(out, ".0");
}

/* Scientific layout: d.ddd, marker, exponent (Go pads it to 2 digits). */
static void
put_sci(struct buf *out, const char *d, int n, int exp, enum demo_numfmt f)
{
    buf_putc(out, d[0]);
    if (n > 1) {
        buf_putc(out, '.');
        buf_append(out, d + 1, (size_t)n - 1);
    } else if (f == DEMO_NUM_JAVA) {
        buf_puts(out, ".0");
    }
    if (f == DEMO_NUM_JAVA)
        buf_printf(out, "E%d", exp);
    else if (f == DEMO_NUM_GO)
        buf_printf(out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
    else
        buf_printf(out, "e%c%d", exp < 0 ? '-' : '+', abs(exp));
}

void
demo_num(struct buf *out, double v, enum demo_numfmt f)
{
    char d[20];
    int n, exp, fixed;

    if (isnan(v)) {
        buf_puts(out, "NaN");
        return;
    }
    if (isinf(v)) {
        buf_puts(out, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    if (v == 0) {
        buf_puts(out, f == DEMO_NUM_JAVA ? "0.0" : "0");
        return;
    }
    if (v < 0)
        buf_putc(out, '-');
    n = shortest_digits(fabs(v), d, &exp);
    if (f == DEMO_NUM_GO)
        fixed = exp >= -4 && exp < 6;     /* strconv's eprec 6 */
    else if (f == DEMO_NUM_JAVA)
        fixed = exp >= -3 && exp < 7;
    else
        fixed = exp >= -7 && exp < 21;
    if (fixed)
        put_fixed(out, d, n, exp, f == DEMO_NUM_JAVA);
    else
        put_sci(out, d, n, exp, f);
}

void
demo_sample(struct buf *out, const char *name, const char *labels,
            double v, enum demo_numfmt f)
{
    buf_puts(out, name);
    if (labels != NULL && labels[0] != '\0')
        buf_printf(out, "{%s}", labels);
    buf_putc(out, ' ');
    demo_num(out, v, f);
    buf_putc(out, '\n');
}

void
demo_family(struct buf *out, const char *name, const char *type,
            const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
demo_hist_init(struct demo_hist *h, const double *le, size_t n)
{
    assert(n <= DEMO_HIST_MAX);
    memset(h, 0, sizeof *h);
    h->le = le;
    h->n = n;
}

void
demo_hist_observe(struct demo_hist *h, double v)
{
    size_t i = 0;

    while (i < h->n && v > h->le[i])
        i++;
    if (i < h->n)
        h->in[i]++;
    h->count++;
    h->sum += v;
}

uint64_t
demo_hist_cum(const struct demo_hist *h, size_t i)
{
    uint64_t c = 0;

    if (i >= h->n)
        return h->count;
    for (size_t j = 0; j <= i; j++)
        c += h->in[j];
    return c;
}
