/*
 * Time values as Grafana's dateTimeFormatters write them. Each unit of
 * time has a ladder: below each limit the value is divided (or, under the
 * unit itself, multiplied) into that step's unit, and toFixed writes the
 * number. Grafana's quirks are kept, since users compare the two screens:
 * singular unit names ("2 hour"), a 365-day year for ms and 3.15569e7 s
 * for s, only the first unit of a duration unless decimals ask for more.
 * Dates are in local time, by a subset of Moment.js's format tokens.
 */
#include "ui/units_time.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "ui/format.h"

#define MICRO "\xc2\xb5"

/* One step of a ladder: below `below`, the value times mul over div. */
struct tstep {
    double below;
    double mul, div;
    const char *suffix;
};

static const struct tstep ns_steps[] = {
    { 1e3, 1, 1, " ns" }, { 1e6, 1, 1e3, " " MICRO "s" },
    { 1e9, 1, 1e6, " ms" }, { 6e10, 1, 1e9, " s" },
    { 3.6e12, 1, 6e10, " min" }, { 8.64e13, 1, 3.6e12, " hour" },
    { INFINITY, 1, 8.64e13, " day" },
};
static const struct tstep us_steps[] = {
    { 1e3, 1, 1, " " MICRO "s" }, { 1e6, 1, 1e3, " ms" },
    { INFINITY, 1, 1e6, " s" },
};
static const struct tstep ms_steps[] = {
    { 1e3, 1, 1, " ms" }, { 6e4, 1, 1e3, " s" }, { 3.6e6, 1, 6e4, " min" },
    { 8.64e7, 1, 3.6e6, " hour" }, { 3.1536e10, 1, 8.64e7, " day" },
    { INFINITY, 1, 3.1536e10, " year" },
};
static const struct tstep s_steps[] = {
    { 1e-6, 1e9, 1, " ns" }, { 1e-3, 1e6, 1, " " MICRO "s" },
    { 1, 1e3, 1, " ms" }, { 60, 1, 1, " s" }, { 3600, 1, 60, " min" },
    { 86400, 1, 3600, " hour" }, { 604800, 1, 86400, " day" },
    { 31536000, 1, 604800, " week" }, { INFINITY, 1, 3.15569e7, " year" },
};
static const struct tstep m_steps[] = {
    { 60, 1, 1, " min" }, { 1440, 1, 60, " hour" },
    { 10080, 1, 1440, " day" }, { 604800, 1, 10080, " week" },
    { INFINITY, 1, 5.25948e5, " year" },
};
static const struct tstep h_steps[] = {
    { 24, 1, 1, " hour" }, { 168, 1, 24, " day" },
    { 8760, 1, 168, " week" }, { INFINITY, 1, 8760, " year" },
};
static const struct tstep d_steps[] = {
    { 7, 1, 1, " day" }, { 365, 1, 7, " week" },
    { INFINITY, 1, 365, " year" },
};

/* ORDER unit_time (timeticks are seconds, after a division by 100) */
static const struct {
    const struct tstep *steps;
    size_t n;
} ladders[] = {
#define L(a) { a, sizeof a / sizeof a[0] }
    L(ns_steps), L(us_steps), L(ms_steps), L(s_steps), L(m_steps),
    L(h_steps), L(d_steps), L(s_steps),
#undef L
};

/* Durations' units, largest first, in milliseconds. */
static const struct {
    const char *name;
    double ms;
} intervals[] = {
    { "year", 31536000000.0 }, { "month", 2592000000.0 },
    { "week", 604800000.0 }, { "day", 86400000.0 }, { "hour", 3600000.0 },
    { "minute", 60000.0 }, { "second", 1000.0 }, { "millisecond", 1.0 },
};

static void
write_scaled(double v, enum unit_time t, int decimals, char *out, size_t n)
{
    const struct tstep *st = ladders[t].steps;
    size_t i = 0;
    char num[FORMAT_VALUE_MAX];

    if (t == UT_TICKS)
        v /= 100;
    /* Grafana writes a zero in seconds as "0 s", whatever the decimals. */
    if ((t == UT_S || t == UT_TICKS) && v == 0) {
        snprintf(out, n, "0 s");
        return;
    }
    while (i + 1 < ladders[t].n && !(fabs(v) < st[i].below))
        i++;
    format_fixed(st[i].mul != 1 ? v * st[i].mul : v / st[i].div, decimals,
                 num, sizeof num);
    snprintf(out, n, "%s%s", num, st[i].suffix);
}

/* "1 day, 2 hours": the first unit the value reaches, then one more for
 * each decimal; negative durations end in " ago". */
static void
write_duration(double v, enum unit_time t, int decimals, char *out,
               size_t n)
{
    const char *base = t == UT_S ? "second" : "millisecond";
    double size = t == UT_S ? fabs(v) * 1000 : fabs(v);
    int left = decimals < 0 ? 0 : decimals;
    bool started = false;
    struct buf b;
    char num[FORMAT_VALUE_MAX];

    if (v == 0) {
        snprintf(out, n, "0 %ss", base);
        return;
    }
    buf_init(&b, 0);
    for (size_t i = 0; i < sizeof intervals / sizeof intervals[0]
                       && left >= 0; i++) {
        double x = size / intervals[i].ms;

        if (x < 1 && !started)
            continue;
        started = true;
        format_js_number(floor(x), num, sizeof num);
        buf_printf(&b, "%s%s %s%s", b.len > 0 ? ", " : "", num,
                   intervals[i].name, floor(x) != 1 ? "s" : "");
        size = fmod(size, intervals[i].ms);
        left--;
    }
    snprintf(out, n, "%s%s", buf_str(&b), v < 0 ? " ago" : "");
    buf_fini(&b);
}

/* x (a whole number >= 0) in at least two digits. */
static void
two_digits(double x, char *out, size_t n)
{
    snprintf(out, n, "%s%.0f", x <= 9 ? "0" : "", x);
}

/* "01:02:03", or with days "4 d 01:02:03"; negative ones end in " ago". */
static void
write_hms(double v, bool days, char *out, size_t n)
{
    double a = fabs(v), d = days ? floor(a / 86400) : 0, rest;
    char hh[40], mm[8], ss[8], dd[48] = "";

    if (d > 0)
        snprintf(dd, sizeof dd, "%.0f d ", d);
    rest = a - d * 86400;
    two_digits(floor(rest / 3600), hh, sizeof hh);
    two_digits(floor(fmod(rest, 3600) / 60), mm, sizeof mm);
    two_digits(floor(fmod(fmod(rest, 3600), 60)), ss, sizeof ss);
    snprintf(out, n, "%s%s:%s:%s%s", dd, hh, mm, ss, v < 0 ? " ago" : "");
}

/* "01h:02m:03s:004ms", shorter from the left as decimals ask (0: only
 * the largest part), the hours counted past 24. */
static void
write_clock(double v, enum unit_time t, int decimals, char *out, size_t n)
{
    double size = t == UT_S ? v * 1000 : v;
    int64_t ms = (int64_t)size, f = ((ms % 1000) + 1000) % 1000;
    int64_t s = ((ms / 1000) % 60 + 60) % 60, m = ((ms / 60000) % 60 + 60) % 60;
    char hh[40];

    if (size < 1000) {
        snprintf(out, n, "%03lldms", (long long)f);
    } else if (size < 60000) {
        if (decimals == 0)
            snprintf(out, n, "%02llds", (long long)s);
        else
            snprintf(out, n, "%02llds:%03lldms", (long long)s, (long long)f);
    } else if (size < 3600000 && decimals >= 0 && decimals <= 1) {
        if (decimals == 0)
            snprintf(out, n, "%02lldm", (long long)m);
        else
            snprintf(out, n, "%02lldm:%02llds", (long long)m, (long long)s);
    } else if (size < 3600000) {
        snprintf(out, n, "%02lldm:%02llds:%03lldms", (long long)m,
                 (long long)s, (long long)f);
    } else {
        two_digits(floor(size / 3600000), hh, sizeof hh);
        if (decimals == 0)
            snprintf(out, n, "%sh", hh);
        else if (decimals == 1)
            snprintf(out, n, "%sh:%02lldm", hh, (long long)m);
        else if (decimals == 2)
            snprintf(out, n, "%sh:%02lldm:%02llds", hh, (long long)m,
                     (long long)s);
        else
            snprintf(out, n, "%sh:%02lldm:%02llds:%03lldms", hh,
                     (long long)m, (long long)s, (long long)f);
    }
}

static const char *const month_names[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};
static const char *const day_names[] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday",
};

/* The local time of ms, and its milliseconds; false when out of range. */
static bool
local_time(double ms, struct tm *tm, int *msec)
{
    double secs = floor(ms / 1000);
    time_t t = (time_t)secs;

    *msec = (int)(ms - secs * 1000);
    return isfinite(ms) && localtime_r(&t, tm) != NULL;
}

/* One run of a token letter; false when the letter is no token. */
static bool
put_token(struct buf *b, char c, int run, const struct tm *tm, int msec)
{
    int h12 = tm->tm_hour % 12 == 0 ? 12 : tm->tm_hour % 12;
    int num = -1, width = run >= 2 ? 2 : 1;

    switch (c) {
    case 'Y':
        if (run == 2)
            buf_printf(b, "%02d", (tm->tm_year + 1900) % 100);
        else
            buf_printf(b, "%04d", tm->tm_year + 1900);
        return true;
    case 'M':
        if (run >= 3) {
            buf_printf(b, "%.*s", run == 3 ? 3 : 20, month_names[tm->tm_mon]);
            return true;
        }
        num = tm->tm_mon + 1;
        break;
    case 'D':
        if (run >= 3) {
            buf_printf(b, "%0*d", run == 4 ? 3 : 1, tm->tm_yday + 1);
            return true;
        }
        num = tm->tm_mday;
        break;
    case 'd':
        if (run == 1)
            buf_printf(b, "%d", tm->tm_wday);
        else
            buf_printf(b, "%.*s", run >= 4 ? 20 : run,
                       day_names[tm->tm_wday]);
        return true;
    case 'H': num = tm->tm_hour; break;
    case 'h': num = h12; break;
    case 'm': num = tm->tm_min; break;
    case 's': num = tm->tm_sec; break;
    case 'S':
        buf_printf(b, "%0*d", run > 3 ? 3 : run,
                   run == 1 ? msec / 100 : run == 2 ? msec / 10 : msec);
        return true;
    case 'a': buf_puts(b, tm->tm_hour < 12 ? "am" : "pm"); return true;
    case 'A': buf_puts(b, tm->tm_hour < 12 ? "AM" : "PM"); return true;
    default: return false;
    }
    buf_printf(b, "%0*d", width, num);
    return true;
}

/* ms as a Moment.js pattern: [literal], \x, and the letters above. */
static void
write_pattern(double ms, const char *p, char *out, size_t n)
{
    struct tm tm;
    int msec, run;
    struct buf b;

    if (!local_time(ms, &tm, &msec)) {
        snprintf(out, n, "Invalid date");
        return;
    }
    buf_init(&b, 0);
    while (*p != '\0') {
        if (*p == '[' && strchr(p, ']') != NULL) {
            buf_append(&b, p + 1, (size_t)(strchr(p, ']') - p - 1));
            p = strchr(p, ']') + 1;
            continue;
        }
        if (*p == '\\' && p[1] != '\0') {
            buf_append(&b, p + 1, 1);
            p += 2;
            continue;
        }
        for (run = 1; p[run] == *p; run++)
            ;
        if (!put_token(&b, *p, run, &tm, msec))
            buf_append(&b, p, (size_t)run);
        p += run;
    }
    snprintf(out, n, "%s", buf_str(&b));
    buf_fini(&b);
}

/* Whether Unix time ms falls on today's local date. */
static bool
is_today(double ms)
{
    struct tm a, b;
    int x;

    return local_time(ms, &a, &x) && local_time((double)time_now_ms(), &b, &x)
           && a.tm_year == b.tm_year && a.tm_yday == b.tm_yday;
}

/* "full|today": the today pattern for a time today, else the full. */
static void
write_date(double ms, const char *patterns, char *out, size_t n)
{
    const char *bar = strchr(patterns, '|');
    char full[64];

    if (bar != NULL && is_today(ms)) {
        write_pattern(ms, bar + 1, out, n);
        return;
    }
    snprintf(full, sizeof full, "%.*s", (int)(bar != NULL ? bar - patterns
                                               : (long)strlen(patterns)),
             patterns);
    write_pattern(ms, full, out, n);
}

/* Moment.js's relative time ("5 minutes ago", "in a day"), with its
 * thresholds: 45 s, 45 min, 22 h, 26 d, 11 months; each count rounded. */
static void
write_from_now(double ms, char *out, size_t n)
{
    double diff = (double)time_now_ms() - ms, a = fabs(diff) / 1000;
    double days = a / 86400, months = days * 4800 / 146097;
    const struct {
        double x, below;
        const char *one, *many;
    } r[] = {
        { floor(a / 60 + 0.5), 45, "a minute", "minutes" },
        { floor(a / 3600 + 0.5), 22, "an hour", "hours" },
        { floor(days + 0.5), 26, "a day", "days" },
        { floor(months + 0.5), 11, "a month", "months" },
        { floor(months / 12 + 0.5), INFINITY, "a year", "years" },
    };
    char what[48] = "a few seconds";

    for (size_t i = 0; floor(a + 0.5) > 44 && i < sizeof r / sizeof r[0];
         i++) {
        if (r[i].x <= 1)
            snprintf(what, sizeof what, "%s", r[i].one);
        else if (r[i].x < r[i].below)
            snprintf(what, sizeof what, "%.0f %s", r[i].x, r[i].many);
        else
            continue;
        break;
    }
    snprintf(out, n, diff >= 0 ? "%s ago" : "in %s", what);
}

void
units_time_write(double v, const struct unit_info *ui, int decimals,
                 char *out, size_t n)
{
    switch (ui->family) {
    case UF_TIME:
        write_scaled(v, (enum unit_time)ui->arg, decimals, out, n);
        break;
    case UF_DURATION:
        write_duration(v, (enum unit_time)ui->arg, decimals, out, n);
        break;
    case UF_HMS:
        write_hms(v, ui->arg == 1, out, n);
        break;
    case UF_CLOCK:
        write_clock(v, (enum unit_time)ui->arg, decimals, out, n);
        break;
    case UF_DATETIME:
        write_date(v, ui->symbol, out, n);
        break;
    case UF_FROMNOW:
        write_from_now(v, out, n);
        break;
    default:
        format_fixed(v, decimals, out, n);
        break;
    }
}
