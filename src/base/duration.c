/*
 * Durations and times in Prometheus's notation. The unit order rule
 * (y w d h m s ms, each once) follows Prometheus's model.ParseDuration, so
 * a config that Prometheus accepts is accepted here and vice versa.
 */
#include "src/base/duration.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ORDER units: largest first, as they must appear. */
static const struct {
    const char *name;
    int64_t ms;
} units[] = {
    { "y", 365LL * 24 * 3600 * 1000 },
    { "w", 7LL * 24 * 3600 * 1000 },
    { "d", 24LL * 3600 * 1000 },
    { "h", 3600LL * 1000 },
    { "m", 60LL * 1000 },
    { "s", 1000 },
    { "ms", 1 },
};
#define NUNITS (sizeof(units) / sizeof(units[0]))

/* Which unit starts at p (longest match: "ms" before "m"); -1 if none. */
static int
unit_at(const char *p, const char *end)
{
    int best = -1;
    size_t bestlen = 0;

    for (size_t i = 0; i < NUNITS; i++) {
        size_t n = strlen(units[i].name);

        if ((size_t)(end - p) >= n && memcmp(p, units[i].name, n) == 0
            && n > bestlen) {
            best = (int)i;
            bestlen = n;
        }
    }
    return best;
}

int
duration_parse(const char *s, size_t len, int64_t *ms)
{
    const char *p = s, *end = s + len;
    int64_t total = 0;
    int last = -1;

    if (len == 1 && s[0] == '0') {
        *ms = 0;
        return 0;
    }
    if (len == 0)
        return -1;
    while (p < end) {
        int64_t n = 0;
        int u;

        if (!isdigit((unsigned char)*p))
            return -1;
        while (p < end && isdigit((unsigned char)*p)) {
            if (n > (INT64_MAX - 9) / 10)
                return -1;
            n = n * 10 + (*p++ - '0');
        }
        u = unit_at(p, end);
        if (u <= last)      /* missing, repeated or out of order */
            return -1;
        if (n > INT64_MAX / units[u].ms
            || total > INT64_MAX - n * units[u].ms)
            return -1;
        total += n * units[u].ms;
        p += strlen(units[u].name);
        last = u;
    }
    *ms = total;
    return 0;
}

void
duration_format(int64_t ms, char *out, size_t size)
{
    size_t used = 0;

    if (ms == 0) {
        snprintf(out, size, "0s");
        return;
    }
    out[0] = '\0';
    if (ms < 0) {
        used += (size_t)snprintf(out, size, "-");
        ms = -ms;
    }
    for (size_t i = 0; i < NUNITS && used < size; i++) {
        /* Years and weeks only when they divide the whole, as Prometheus
         * prints them: 90d reads better than 12w6d. */
        bool exact_only = units[i].ms >= units[1].ms;

        if (ms < units[i].ms || (exact_only && ms % units[i].ms != 0))
            continue;
        used += (size_t)snprintf(out + used, size - used, "%lld%s",
                                 (long long)(ms / units[i].ms),
                                 units[i].name);
        ms %= units[i].ms;
    }
}

/* Reads exactly n digits at *p into *v and advances; false if not there. */
static bool
digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return true;
}

/* RFC 3339: 2006-01-02T15:04:05[.frac](Z|+07:00). */
static int
rfc3339_parse(const char *p, int64_t *ms)
{
    struct tm tm = { 0 };
    int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 0;
    double frac = 0;

    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo)
        || *p++ != '-' || !digits(&p, 2, &d) || (*p != 'T' && *p != 't'))
        return -1;
    p++;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi)
        || *p++ != ':' || !digits(&p, 2, &s))
        return -1;
    if (*p == '.') {
        char *e;

        frac = strtod(p, &e);
        p = e;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p++ == '-' ? -1 : 1;
        if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
            return -1;
    } else {
        return -1;
    }
    if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23
        || mi > 59 || s > 60)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    *ms = (int64_t)timegm(&tm) * 1000 + (int64_t)llround(frac * 1000)
          - (int64_t)sign * (oh * 3600 + om * 60) * 1000;
    return 0;
}

int
time_parse(const char *s, int64_t *ms)
{
    char *end;
    double v;

    if (*s == '\0')
        return -1;
    if (strchr(s, 'T') != NULL || strchr(s, 't') != NULL)
        return rfc3339_parse(s, ms);
    errno = 0;
    v = strtod(s, &end);
    if (*end != '\0' || errno != 0 || !isfinite(v) || fabs(v) > 9.2e15)
        return -1;
    *ms = (int64_t)llround(v * 1000);
    return 0;
}

int64_t
time_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Seconds with the clock's full resolution. */
static double
clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
time_now_s(void)
{
    return clock_s(CLOCK_REALTIME);
}

double
time_mono_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

double
time_cpu_s(void)
{
    return clock_s(CLOCK_THREAD_CPUTIME_ID);
}
