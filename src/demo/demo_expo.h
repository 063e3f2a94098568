/*
 * Exposition text as the demo's client libraries write it: how each
 * spells a float, sample lines, HELP and TYPE lines, and histograms kept
 * as per-bucket counts until they are written. The generators of
 * demo_go.c, demo_jvm.c and demo_node.c build their bodies with these.
 *
 * Ownership: text is appended to a buf the caller owns; a histogram
 * borrows its bounds (usually a static table) for its whole life.
 */
#ifndef DEMO_DEMO_EXPO_H
#define DEMO_DEMO_EXPO_H

#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"

/* How each client library spells a float. */
enum demo_numfmt {
    DEMO_NUM_GO,        /* strconv 'g', shortest: 1.486848e+07 */
    DEMO_NUM_JAVA,      /* Double.toString: 2.5165824E7, 10.0 */
    DEMO_NUM_JS         /* Number.prototype.toString: 72581120, 0.1 */
};
/* Appends v as library f prints it: the shortest digits that read back
 * as v, NaN, +Inf and -Inf as Prometheus reads them. */
void demo_num(struct buf *out, double v, enum demo_numfmt f);
/* "name{labels} value\n", or "name value\n" when labels is NULL or "". */
void demo_sample(struct buf *out, const char *name, const char *labels,
                 double v, enum demo_numfmt f);
/* "# HELP name help\n# TYPE name type\n", help written as given. */
void demo_family(struct buf *out, const char *name, const char *type,
                 const char *help);

/* A histogram: per-bucket counts (not cumulative) over ascending bounds. */
#define DEMO_HIST_MAX 72
struct demo_hist {
    const double *le;   /* n finite upper bounds, ascending */
    size_t n;
    uint64_t in[DEMO_HIST_MAX];  /* observations in (le[i-1], le[i]] */
    uint64_t count;     /* all observations, those above le[n-1] too */
    double sum;
};
/* An empty histogram over le[0..n); n is at most DEMO_HIST_MAX. */
void demo_hist_init(struct demo_hist *h, const double *le, size_t n);
/* Counts one observation v in its bucket, the count and the sum. */
void demo_hist_observe(struct demo_hist *h, double v);
/* Observations <= le[i]; i == n gives the +Inf bucket (== count). */
uint64_t demo_hist_cum(const struct demo_hist *h, size_t i);

#endif
