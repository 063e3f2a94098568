/*
 * The demo's simulated applications: the four jobs of the chapter-9 stack
 * (image-gallery in Go, iotd-api in Spring Boot, access-log in Node.js, the
 * Docker engine), each a replica state that is stepped through time and
 * rendered as the exposition text its real client library writes. Also the
 * helpers the generators share. No sockets and no clocks here: the caller
 * says what time it is.
 *
 * Ownership: demo_replica_new returns a replica the caller frees with
 * demo_replica_free; rendering appends to a buf the caller owns.
 */
#ifndef DEMO_DEMO_APPS_H
#define DEMO_DEMO_APPS_H

#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"

/* ORDER demo_app: keep in step with the table in demo_apps.c */
enum demo_app {
    DEMO_GALLERY,       /* job image-gallery, Go client_golang */
    DEMO_IOTD,          /* job iotd-api, Spring Boot with Micrometer */
    DEMO_ACCESSLOG,     /* job access-log, Node.js prom-client */
    DEMO_DOCKER,        /* job docker, the engine's --metrics-addr */
    DEMO_APP_COUNT
};

/* What every replica sees when it is stepped or rendered. */
struct demo_world {
    double t;           /* seconds since the demo started (monotonic) */
    double wall;        /* Unix time now, seconds */
    int down;           /* demo replicas down right now (docker's view) */
};

struct demo_replica;

const char *demo_app_job(enum demo_app a);
const char *demo_app_path(enum demo_app a);
const char *demo_app_content_type(enum demo_app a);
/* How many replicas the job runs (3 for image-gallery and access-log). */
int demo_app_replicas(enum demo_app a);

/* A replica that (re)started at Unix time wall; seed varies each restart. */
struct demo_replica *demo_replica_new(enum demo_app a, int index,
                                      double wall, uint64_t seed);
void demo_replica_free(struct demo_replica *r);
/* Moves the replica dt seconds on to world time w->t. */
void demo_replica_step(struct demo_replica *r, const struct demo_world *w,
                       double dt);
/*
 * Appends the replica's /metrics body to out and counts the scrape, as
 * the real handlers do (the scrape shows in the next body).
 */
void demo_replica_render(struct demo_replica *r, const struct demo_world *w,
                         struct buf *out);

/* Shared by the generators. */

/* How each client library spells a float. */
enum demo_numfmt {
    DEMO_NUM_GO,        /* strconv 'g', shortest: 1.486848e+07 */
    DEMO_NUM_JAVA,      /* Double.toString: 2.5165824E7, 10.0 */
    DEMO_NUM_JS         /* Number.prototype.toString: 72581120, 0.1 */
};
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
void demo_hist_init(struct demo_hist *h, const double *le, size_t n);
void demo_hist_observe(struct demo_hist *h, double v);
/* Observations <= le[i]; i == n gives the +Inf bucket (== count). */
uint64_t demo_hist_cum(const struct demo_hist *h, size_t i);

/* client_golang's DefBuckets, 0.005 to 10 (11 bounds). */
extern const double demo_go_buckets[11];

/* A deterministic generator (splitmix64) and what is drawn from it. */
uint64_t demo_rng(uint64_t *s);
double demo_rng_unit(uint64_t *s);          /* [0, 1) */
double demo_rng_normal(uint64_t *s);        /* mean 0, deviation 1 */
/* Adds expected to *acc and takes out the whole events: a smooth rate. */
unsigned demo_take(double *acc, double expected);
/* Page views per second the whole stack serves at time t: smooth waves. */
double demo_traffic(double t);
/* Share of requests that fail at t on replica index: low, with bursts. */
double demo_error_ratio(double t, int index);

#endif
