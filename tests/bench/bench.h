/*
 * What the benchmarks in tests/bench share: the clock of the CPU time
 * the whole process has used (every thread), for figures of work done
 * that a busy machine's scheduling does not inflate. Wall-clock spans
 * come from time_mono_s() in src/base/duration.h, as in the program.
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <time.h>

/* The CPU time of the process so far, in seconds. */
static inline double
bench_cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
