/*
 * What the demo applications simulate alike: the world each replica sees
 * (the time), a seeded random generator, whole events drawn from a smooth
 * rate, and the traffic and error curves of the stack. Everything is a
 * pure function of its arguments and the generator's state.
 *
 * Ownership: nothing here allocates; a generator is a uint64_t the caller
 * keeps.
 */
#ifndef DEMO_DEMO_SIM_H
#define DEMO_DEMO_SIM_H

#include <stdint.h>

/* What every replica sees when it is stepped or rendered. */
struct demo_world {
    double t;           /* seconds since the demo started (monotonic) */
    double wall;        /* Unix time now, seconds */
    int down;           /* demo replicas down right now (docker's view) */
};

/* The next number of a deterministic generator (splitmix64) at *s. */
uint64_t demo_rng(uint64_t *s);
/* A draw from [0, 1). */
double demo_rng_unit(uint64_t *s);
/* A draw from the normal distribution of mean 0 and deviation 1. */
double demo_rng_normal(uint64_t *s);
/* Adds expected to *acc and takes out the whole events: a smooth rate. */
unsigned demo_take(double *acc, double expected);
/* Page views per second the whole stack serves at time t: smooth waves. */
double demo_traffic(double t);
/* Share of requests that fail at t on replica index: low, with bursts. */
double demo_error_ratio(double t, int index);

#endif
