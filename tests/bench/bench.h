/*
 * What the benchmarks in tests/bench share: the clock of the CPU time
 * the whole process has used (every thread), for figures of work done
 * that a busy machine's scheduling does not inflate, and the median of
 * a set of runs. Wall-clock spans come from time_mono_s() in
 * src/base/duration.h, as in the program.
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stdlib.h>
#include <time.h>

/* The CPU time of the process so far, in seconds. */
static inline double
bench_cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort's order of doubles, smallest first. */
static inline int
bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The median of v[0..n), n > 0; sorts v. */
static inline double
bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
