/*
 * Prometheus's humanize family, toTime and parseDuration: Go's %.4g with
 * SI or binary prefixes, durations split into days to seconds, times
 * printed as Go's time.Time. It does not know about the template run.
 */
#include "src/rules/template_humanize.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/base/buf.h"
#include "src/base/duration.h"

/* Prometheus's convertToFloat: float64, int or a string strconv reads. */
static int
to_float(struct tfunc_ctx *c, const struct tval *v, double *f)
{
    char *end;

    if (v->kind == TV_FLOAT || v->kind == TV_INT) {
        *f = v->kind == TV_FLOAT ? v->f : (double)v->i;
        return 0;
    }
    if (v->kind != TV_STRING)
        return tfunc_fail(c, "can't convert %s to float", tval_type(v));
    errno = 0;
    *f = strtod(v->s, &end);
    /* strtod also takes leading space and hex without an exponent,
       which Go refuses */
    if (end == v->s || *end || isspace((unsigned char)v->s[0])
        || ((strstr(v->s, "0x") || strstr(v->s, "0X"))
            && !strpbrk(v->s, "pP")))
        return tfunc_fail(c, "strconv.ParseFloat: parsing \"%s\": "
                          "invalid syntax",
                   v->s);
    if (errno == ERANGE && isinf(*f))
        return tfunc_fail(c, "strconv.ParseFloat: parsing \"%s\": value out of "
                   "range", v->s);
    return 0;
}

/* Go's %.4g followed by suffix. */
static int
ret_g4(struct tfunc_ctx *c, double v, const char *suffix, struct tval *res)
{
    struct buf b;

    buf_init(&b, 0);
    tval_float(&b, v, 'g', 4);
    buf_puts(&b, suffix);
    return tfunc_ret_buf(c, &b, res);
}

/* humanize: SI prefixes k M G ... for |v| >= 1, m u n ... below. */
int
tfunc_humanize(struct tfunc_ctx *c, const struct tval *a, size_t n,
            struct tval *res)
{
    static const char *const big[] = {"k", "M", "G", "T", "P", "E", "Z",
                                      "Y"};
    static const char *const small[] = {"m", "u", "n", "p", "f", "a", "z",
                                        "y"};
    const char *prefix = "";
    double v;
    int i;

    (void)n;
    if (to_float(c, &a[0], &v) < 0)
        return -1;
    /* no prefix for what has no magnitude */
    if (v == 0 || isnan(v) || isinf(v))
        return ret_g4(c, v, "", res);
    for (i = 0; i < 8 && fabs(v) >= 1 && fabs(v) >= 1000; i++) {
        prefix = big[i];
        v /= 1000;
    }
    for (i = 0; i < 8 && fabs(v) < 1; i++) {
        prefix = small[i];
        v *= 1000;
    }
    return ret_g4(c, v, prefix, res);
}

/* humanize1024: binary prefixes ki Mi Gi ... above 1. */
int
tfunc_humanize1024(struct tfunc_ctx *c, const struct tval *a, size_t n,
                struct tval *res)
{
    static const char *const pre[] = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei",
                                      "Zi", "Yi"};
    const char *prefix = "";
    double v;
    int i;

    (void)n;
    if (to_float(c, &a[0], &v) < 0)
        return -1;
    if (fabs(v) <= 1 || isnan(v) || isinf(v))
        return ret_g4(c, v, "", res);
    for (i = 0; i < 8 && fabs(v) >= 1024; i++) {
        prefix = pre[i];
        v /= 1024;
    }
    return ret_g4(c, v, prefix, res);
}

/* humanizeDuration: seconds as "1d 2h 3m 4s", "1.5s" or "1.5ms". */
int
tfunc_humanize_duration(struct tfunc_ctx *c, const struct tval *a, size_t n,
                     struct tval *res)
{
    static const char *const small[] = {"ms", "us", "ns", "ps", "fs", "as",
                                        "zs", "ys"};
    const char *prefix = "s", *sign = "";
    char out[96];
    int64_t d;
    double v;
    int i;

    (void)n;
    if (to_float(c, &a[0], &v) < 0)
        return -1;
    if (isnan(v) || isinf(v))
        return ret_g4(c, v, "", res);
    if (v == 0)
        return ret_g4(c, v, "s", res);
    /* a second or more: whole units from the largest non-zero one */
    if (fabs(v) >= 1) {
        if (v < 0) {
            sign = "-";
            v = -v;
        }
        d = (int64_t)v;
        if (d / 86400)
            snprintf(out, sizeof out, "%s%lldd %lldh %lldm %llds", sign,
                     (long long)(d / 86400), (long long)(d / 3600 % 24),
                     (long long)(d / 60 % 60), (long long)(d % 60));
        else if (d / 3600)
            snprintf(out, sizeof out, "%s%lldh %lldm %llds", sign,
                     (long long)(d / 3600), (long long)(d / 60 % 60),
                     (long long)(d % 60));
        else if (d / 60)
            snprintf(out, sizeof out, "%s%lldm %llds", sign,
                     (long long)(d / 60), (long long)(d % 60));
        else
            return ret_g4(c, *sign ? -v : v, "s", res);
        return tfunc_ret_str(c, out, strlen(out), res);
    }
    for (i = 0; i < 8 && fabs(v) < 1; i++) {
        prefix = small[i];
        v *= 1000;
    }
    return ret_g4(c, v, prefix, res);
}

int
tfunc_humanize_percentage(struct tfunc_ctx *c, const struct tval *a, size_t n,
                       struct tval *res)
{
    double v;

    (void)n;
    if (to_float(c, &a[0], &v) < 0)
        return -1;
    return ret_g4(c, v * 100, "%", res);
}

/* Prometheus's floatToTime: seconds to a millisecond time; 1 for NaN or
 * Inf (not a time), -1 when the nanoseconds overflow int64. */
static int
float_to_ms(struct tfunc_ctx *c, double v, int64_t *ms)
{
    double ns = v * 1e9;
    struct buf b;

    if (isnan(v) || isinf(v))
        return 1;
    if (ns >= 9223372036854775808.0 || ns < -9223372036854775808.0) {
        buf_init(&b, 0);
        tval_float(&b, v, 'g', -1);
        tfunc_fail(c, "%s cannot be represented as a nanoseconds "
                   "timestamp since it overflows int64", buf_str(&b));
        buf_fini(&b);
        return -1;
    }
    /* model.TimeFromUnixNano keeps milliseconds, truncating */
    *ms = (int64_t)ns / 1000000;
    return 0;
}

int
tfunc_humanize_timestamp(struct tfunc_ctx *c, const struct tval *a, size_t n,
                      struct tval *res)
{
    struct buf b;
    int64_t ms;
    double v;
    int rc;

    (void)n;
    if (to_float(c, &a[0], &v) < 0 || (rc = float_to_ms(c, v, &ms)) < 0)
        return -1;
    if (rc > 0)
        return ret_g4(c, v, "", res);
    buf_init(&b, 0);
    tval_time(&b, ms);
    return tfunc_ret_buf(c, &b, res);
}

int
tfunc_to_time(struct tfunc_ctx *c, const struct tval *a, size_t n,
           struct tval *res)
{
    int64_t ms;
    double v;
    int rc;

    (void)n;
    if (to_float(c, &a[0], &v) < 0 || (rc = float_to_ms(c, v, &ms)) < 0)
        return -1;
    if (rc > 0)
        return tfunc_fail(c, "value is NaN or Inf");
    *res = (struct tval){.kind = TV_TIME, .i = ms};
    return 0;
}

/* parseDuration: a Prometheus duration in seconds. */
int
tfunc_parse_duration(struct tfunc_ctx *c, const struct tval *a, size_t n,
                  struct tval *res)
{
    int64_t ms;

    (void)n;
    if (duration_parse(a[0].s, a[0].len, &ms) < 0)
        return tfunc_fail(c, "not a valid duration string: \"%s\"", a[0].s);
    *res = (struct tval){.kind = TV_FLOAT, .f = (double)ms / 1000};
    return 0;
}


/* Go's layout elements, longest first where one is a prefix of another;
 * ORDER: the cases of put_element follow this table. */
static const char *const elements[] = {
    "January", "Jan", "Monday", "Mon", "MST", "2006", "-07:00:00",
    "-0700", "-07:00", "-07", "Z07:00:00", "Z0700", "Z07:00", "Z07",
    "002", "__2", "_2", "01", "02", "03", "04", "05", "06", "15", "1", "2",
    "3", "4", "5", "PM", "pm",
};

/* Appends one layout element (index e of elements) of time tm + ms. */
static void
put_element(struct buf *b, size_t e, const struct tm *tm)
{
    static const char *const months[] = {"January", "February", "March",
        "April", "May", "June", "July", "August", "September", "October",
        "November", "December"};
    static const char *const days[] = {"Sunday", "Monday", "Tuesday",
        "Wednesday", "Thursday", "Friday", "Saturday"};
    int h12 = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;

    switch (e) {
    case 0: buf_puts(b, months[tm->tm_mon]); break;
    case 1: buf_printf(b, "%.3s", months[tm->tm_mon]); break;
    case 2: buf_puts(b, days[tm->tm_wday]); break;
    case 3: buf_printf(b, "%.3s", days[tm->tm_wday]); break;
    case 4: buf_puts(b, "UTC"); break;
    case 5: buf_printf(b, "%04d", tm->tm_year + 1900); break;
    case 6: buf_puts(b, "+00:00:00"); break;
    case 7: buf_puts(b, "+0000"); break;
    case 8: buf_puts(b, "+00:00"); break;
    case 9: buf_puts(b, "+00"); break;
    case 10: case 11: case 12: case 13: buf_putc(b, 'Z'); break;
    case 14: buf_printf(b, "%03d", tm->tm_yday + 1); break;
    case 15: buf_printf(b, "%3d", tm->tm_yday + 1); break;
    case 16: buf_printf(b, "%2d", tm->tm_mday); break;
    case 17: buf_printf(b, "%02d", tm->tm_mon + 1); break;
    case 18: buf_printf(b, "%02d", tm->tm_mday); break;
    case 19: buf_printf(b, "%02d", h12); break;
    case 20: buf_printf(b, "%02d", tm->tm_min); break;
    case 21: buf_printf(b, "%02d", tm->tm_sec); break;
    case 22: buf_printf(b, "%02d", (tm->tm_year + 1900) % 100); break;
    case 23: buf_printf(b, "%02d", tm->tm_hour); break;
    case 24: buf_printf(b, "%d", tm->tm_mon + 1); break;
    case 25: buf_printf(b, "%d", tm->tm_mday); break;
    case 26: buf_printf(b, "%d", h12); break;
    case 27: buf_printf(b, "%d", tm->tm_min); break;
    case 28: buf_printf(b, "%d", tm->tm_sec); break;
    case 29: buf_puts(b, tm->tm_hour < 12 ? "AM" : "PM"); break;
    default: buf_puts(b, tm->tm_hour < 12 ? "am" : "pm"); break;
    }
}

/* A fraction of a second in the layout (".000", ",999"): its length,
 * or 0 when it is none (a digit follows the run, as Go decides). */
static size_t
fraction_len(const char *s)
{
    size_t n = 1;

    if ((s[0] != '.' && s[0] != ',') || (s[1] != '0' && s[1] != '9'))
        return 0;
    while (s[n] == s[1])
        n++;
    return isdigit((unsigned char)s[n]) ? 0 : n;
}

void
tfunc_time_format(struct buf *b, int64_t ms, const char *layout)
{
    int64_t secs = ms / 1000, frac = ms % 1000;
    time_t t;
    struct tm tm;
    size_t e, n;

    if (frac < 0) {
        frac += 1000;
        secs--;
    }
    t = (time_t)secs;
    gmtime_r(&t, &tm);
    while (*layout) {
        if ((n = fraction_len(layout)) > 0) {
            char digits[16];
            int k = snprintf(digits, sizeof digits, "%03lld000000",
                             (long long)frac);
            int want = (int)n - 1 < k ? (int)n - 1 : k;

            /* .999 drops trailing zeros (and the point with them) */
            while (layout[1] == '9' && want > 0 && digits[want - 1] == '0')
                want--;
            if (layout[1] == '0' || want > 0)
                buf_printf(b, "%c%.*s", layout[0], want, digits);
            layout += n;
            continue;
        }
        /* the seconds-offset zones are missing from the table only to
           keep its cases short; UTC's offset is zero */
        if (!strncmp(layout, "-070000", 7) || !strncmp(layout, "Z070000", 7)) {
            buf_puts(b, layout[0] == 'Z' ? "Z" : "+000000");
            layout += 7;
            continue;
        }
        for (e = 0; e < sizeof elements / sizeof elements[0]; e++)
            if (!strncmp(layout, elements[e], strlen(elements[e])))
                break;
        /* "Jan" and "Mon" before a lower-case letter are plain text */
        if ((e == 1 || e == 3) && islower((unsigned char)layout[3]))
            e = sizeof elements / sizeof elements[0];
        if (e == sizeof elements / sizeof elements[0]) {
            buf_putc(b, *layout++);
            continue;
        }
        put_element(b, e, &tm);
        layout += strlen(elements[e]);
    }
}
