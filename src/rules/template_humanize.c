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

