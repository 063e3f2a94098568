/*
 * The simulation the demo applications share: a seeded generator and the
 * draws taken from it, whole events out of a smooth rate, and the traffic
 * and error curves every replica follows. Deterministic for a seed; no
 * clock of its own (the world says what time it is).
 */
#include "src/demo/demo_sim.h"

#include <math.h>

uint64_t
demo_rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double
demo_rng_unit(uint64_t *s)
{
    return (double)(demo_rng(s) >> 11) * 0x1.0p-53;
}

double
demo_rng_normal(uint64_t *s)
{
    double u = demo_rng_unit(s), v = demo_rng_unit(s);

    /* Box-Muller; 1 - u keeps the logarithm away from zero. */
    return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

unsigned
demo_take(double *acc, double expected)
{
    double whole;

    *acc += expected > 0 ? expected : 0;
    whole = floor(*acc);
    *acc -= whole;
    return (unsigned)whole;
}

double
demo_traffic(double t)
{
    /* A slow swell, a faster ripple and a little jitter-like wave. */
    return 6.0 + 2.5 * sin(2 * M_PI * t / 300.0)
         + 1.2 * sin(2 * M_PI * t / 53.0 + 1.0)
         + 0.6 * sin(2 * M_PI * t / 17.0 + 2.0);
}

double
demo_error_ratio(double t, int index)
{
    double r = 0.015 + 0.008 * sin(2 * M_PI * t / 200.0 + index);
    double phase = fmod(t + 70.0 * index + 40.0, 360.0);

    /* Now and then a burst of failures, rising and falling in 15 s. */
    if (phase < 15.0)
        r += 0.25 * sin(M_PI * phase / 15.0);
    return r;
}
