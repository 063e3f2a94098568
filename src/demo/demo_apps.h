/*
 * The demo's simulated applications: the four jobs of the chapter-9 stack
 * (image-gallery in Go, iotd-api in Spring Boot, access-log in Node.js, the
 * Docker engine), each a replica state that is stepped through time and
 * rendered as the exposition text its real client library writes. This is
 * the dispatcher over the generators (demo_go.h, demo_jvm.h, demo_node.h).
 * No sockets and no clocks here: the caller says what time it is.
 *
 * Ownership: demo_replica_new returns a replica the caller frees with
 * demo_replica_free; rendering appends to a buf the caller owns.
 */
#ifndef DEMO_DEMO_APPS_H
#define DEMO_DEMO_APPS_H

#include <stdint.h>

#include "src/base/buf.h"
#include "src/demo/demo_sim.h"

/* ORDER demo_app: keep in step with the table in demo_apps.c */
enum demo_app {
    DEMO_GALLERY,       /* job image-gallery, Go client_golang */
    DEMO_IOTD,          /* job iotd-api, Spring Boot with Micrometer */
    DEMO_ACCESSLOG,     /* job access-log, Node.js prom-client */
    DEMO_DOCKER,        /* job docker, the engine's --metrics-addr */
    DEMO_APP_COUNT
};

struct demo_replica;

/* The job's name, its metrics path and the Content-Type its real client
 * library sends; a must be below DEMO_APP_COUNT. */
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

#endif
