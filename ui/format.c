/*
 * Number, label and time formatting. Each unit has a ladder of scale
 * steps; a value takes the largest step not above it and is printed with
 * three significant digits, moving one step up when rounding reaches the
 * next step (999.96 -> "1k", 59.996 s -> "1 m"). No locale-dependent
 * separators: the decimal point is always '.'.
 */
#include "ui/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct step {
    double factor;
    const char *suffix;
};

struct unit_info {
    const char *sep;            /* between number and suffix */
    const struct step *ladder;
    size_t nsteps;
    size_t base;                /* the step used for zero */
};

static const struct step si[] = {
    { 1e-12, "p" }, { 1e-9, "n" }, { 1e-6, "\xc2\xb5" }, { 1e-3, "m" },
    { 1, "" }, { 1e3, "k" }, { 1e6, "M" }, { 1e9, "G" }, { 1e12, "T" },
    { 1e15, "P" }, { 1e18, "E" },
};
static const struct step si_rate[] = {
    { 1, "" }, { 1e3, "k" }, { 1e6, "M" }, { 1e9, "G" }, { 1e12, "T" },
};
static const struct step iec[] = {
    { 1, "B" }, { 1024.0, "KiB" }, { 1048576.0, "MiB" },
    { 1073741824.0, "GiB" }, { 1099511627776.0, "TiB" },
    { 1125899906842624.0, "PiB" }, { 1152921504606846976.0, "EiB" },
};
static const struct step secs[] = {
    { 1e-9, "ns" }, { 1e-6, "\xc2\xb5s" }, { 1e-3, "ms" }, { 1, "s" },
    { 60, "m" }, { 3600, "h" }, { 86400, "d" },
};
static const struct step pct[] = { { 1, "%" } };
static const struct step pct_unit[] = { { 0.01, "%" } };

#define LADDER(a) a, sizeof a / sizeof a[0]

/* ORDER unit (the names are model_unit_name's) */
static const struct unit_info units[] = {
    [UNIT_NONE] = { "", LADDER(si), 4 },
    [UNIT_BYTES] = { " ", LADDER(iec), 0 },
    [UNIT_SECONDS] = { " ", LADDER(secs), 3 },
    [UNIT_PERCENT] = { "", LADDER(pct), 0 },
    [UNIT_PERCENTUNIT] = { "", LADDER(pct_unit), 0 },
    [UNIT_REQPS] = { "", LADDER(si_rate), 0 },
    [UNIT_OPS] = { "", LADDER(si_rate), 0 },
};
_Static_assert(sizeof units / sizeof units[0] == UNIT_COUNT,
               "units out of step with enum unit");

/* Rates carry their unit after the scale prefix: "1.2k req/s". */
static const char *
rate_tail(enum unit u)
{
    if (u == UNIT_REQPS)
        return " req/s";
    if (u == UNIT_OPS)
        return " ops/s";
    return "";
}

/* Decimals for three significant digits of a (>= 0). */
static int
auto_decimals(double a)
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

/* The step index for magnitude a: the largest factor not above it. */
static size_t
pick_step(const struct unit_info *ui, double a)
{
    size_t i = ui->base;

    if (a == 0)
        return i;
    i = 0;
    while (i + 1 < ui->nsteps && a >= ui->ladder[i + 1].factor)
        i++;
    return i;
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

void
format_value(double v, enum unit u, int decimals, char *out, size_t n)
{
    const struct unit_info *ui;
    double a = fabs(v), s, p;
    size_t i;
    int d;
    char num[FORMAT_VALUE_MAX];

    if (n == 0 || special(v, out, n))
        return;
    ui = &units[(unsigned)u < UNIT_COUNT ? u : UNIT_NONE];
    i = pick_step(ui, a);
    for (;;) {
        s = a / ui->ladder[i].factor;
        d = decimals >= 0 ? decimals : auto_decimals(s);
        p = pow(10, d);
        /* Rounding may reach the next step: 999.96 is "1k", not "1000". */
        if (i + 1 < ui->nsteps
            && round(s * p) / p * ui->ladder[i].factor
                   >= ui->ladder[i + 1].factor)
            i++;
        else
            break;
    }
    put_number(s, d, decimals < 0, num, sizeof num);
    /* A negative value that rounds to zero prints without its sign. */
    snprintf(out, n, "%s%s%s%s%s", v < 0 && strspn(num, "0.") != strlen(num)
             ? "-" : "", num, ui->ladder[i].suffix[0] ? ui->sep : "",
             ui->ladder[i].suffix, rate_tail(u));
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
