/*
 * Regex benchmark: nanoseconds per regex_match for patterns that make a
 * backtracking matcher blow up, (a+)+$ over 10,000 distinct values of
 * 25 to 34 a's and a "b", next to ordinary PromQL matchers, so that a
 * change to src/base/regex.c shows its cost both ways; then (a+)+$ on
 * single long values, whose cost per byte should stay flat as they
 * grow. An optional argument sets the number of values (and skips the
 * long ones when 0 < n < 10000). It prints figures and asserts nothing
 * about time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/duration.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"

#define NVALUES 10000

/* Value i: 25 + i % 10 a's, then "b" and i, so that all are distinct. */
static char *
value(int i)
{
    char *v = xmalloc(64);
    int n = 25 + i % 10;

    memset(v, 'a', (size_t)n);
    snprintf(v + n, 64 - (size_t)n, "b%d", i);
    return v;
}

/* Matches every value once; prints ns per match and how many matched. */
static void
bench(const char *pattern, char **values, int n)
{
    struct regex *re = regex_new(pattern, NULL);
    int hits = 0, errors = 0;
    double t0, dt;

    if (re == NULL) {
        printf("%-36s does not compile\n", pattern);
        return;
    }
    t0 = time_mono_s();
    for (int i = 0; i < n; i++) {
        hits += regex_match(re, values[i], strlen(values[i]));
        errors += regex_error(re) != NULL;
    }
    dt = time_mono_s() - t0;
    printf("%-36s %6d values %12.0f ns/match %6d matched %d undecided\n",
           pattern, n, dt * 1e9 / n, hits, errors);
    regex_free(re);
}

/* (a+)+$ on one value of n a's and a "b": ns per byte, best of 3. */
static void
bench_long(size_t n)
{
    struct regex *re = regex_new("(a+)+$", NULL);
    char *v = xmalloc(n + 2);
    double best = 0;

    memset(v, 'a', n);
    memcpy(v + n, "b", 2);
    for (int k = 0; k < 3; k++) {
        double t0 = time_mono_s(), dt;
        bool m = regex_match(re, v, n + 1);

        dt = time_mono_s() - t0;
        if (k == 0 || dt < best)
            best = dt;
        if (m || regex_error(re) != NULL)
            printf("(a+)+$ on %zu bytes: wrong answer\n", n + 1);
    }
    printf("%-36s %6zu bytes  %12.1f ns/byte\n", "(a+)+$ one long value", n + 1,
           best * 1e9 / (double)(n + 1));
    free(v);
    regex_free(re);
}

int
main(int argc, char **argv)
{
    static const char *const patterns[] = {
        "(a+)+$", "(a+)+b|.*", "(a|aa)+$", "(a*)*c",
        "a+b[0-9]+", ".*b1.*", "(prometheus|api_prom)_api_v1_.+",
        "(?i)A+B\\d+",
    };
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : NVALUES;
    char **values;

    if (n <= 0)
        n = NVALUES;
    values = xreallocarray(NULL, (size_t)n, sizeof(*values));
    for (int i = 0; i < n; i++)
        values[i] = value(i);
    for (size_t p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++)
        bench(patterns[p], values, n);
    for (int i = 0; i < n; i++)
        free(values[i]);
    free(values);
    if (n >= NVALUES)
        for (size_t len = 1000; len <= 1000000; len *= 10)
            bench_long(len);
    return 0;
}
