/*
 * The table of demo jobs and the dispatch to their generators, which live
 * in demo_go.c (image-gallery, docker), demo_jvm.c (iotd-api) and
 * demo_node.c (access-log). What the generators share is in demo_expo.c
 * and demo_sim.c; this file only dispatches.
 */
#include "src/demo/demo_apps.h"

#include <assert.h>
#include <stdlib.h>

#include "src/base/xalloc.h"
#include "src/demo/demo_go.h"
#include "src/demo/demo_jvm.h"
#include "src/demo/demo_node.h"

/* ORDER demo_app */
static const struct {
    const char *job, *path, *ctype;
    int replicas;
} apps[] = {
    {"image-gallery", "/metrics",
     "text/plain; version=0.0.4; charset=utf-8", 3},
    {"iotd-api", "/actuator/prometheus",
     "text/plain;version=0.0.4;charset=utf-8", 1},
    {"access-log", "/metrics",
     "text/plain; version=0.0.4; charset=utf-8", 3},
    {"docker", "/metrics",
     "text/plain; version=0.0.4; charset=utf-8", 1},
};
_Static_assert(sizeof apps / sizeof apps[0] == DEMO_APP_COUNT,
               "one row per demo_app");

struct demo_replica {
    enum demo_app app;
    void *state;        /* the generator's own struct, by app */
};

const char *
demo_app_job(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].job;
}

const char *
demo_app_path(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].path;
}

const char *
demo_app_content_type(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].ctype;
}

int
demo_app_replicas(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].replicas;
}

struct demo_replica *
demo_replica_new(enum demo_app a, int index, double wall, uint64_t seed)
{
    struct demo_replica *r = xmalloc(sizeof *r);

    r->app = a;
    switch (a) {
    case DEMO_GALLERY:   r->state = demo_gallery_new(index, wall, seed); break;
    case DEMO_IOTD:      r->state = demo_iotd_new(index, wall, seed); break;
    case DEMO_ACCESSLOG: r->state = demo_alog_new(index, wall, seed); break;
    case DEMO_DOCKER:    r->state = demo_docker_new(index, wall, seed); break;
    default:             abort();
    }
    return r;
}

void
demo_replica_free(struct demo_replica *r)
{
    if (r == NULL)
        return;
    switch (r->app) {
    case DEMO_GALLERY:   demo_gallery_free(r->state); break;
    case DEMO_IOTD:      demo_iotd_free(r->state); break;
    case DEMO_ACCESSLOG: demo_alog_free(r->state); break;
    case DEMO_DOCKER:    demo_docker_free(r->state); break;
    default:             abort();
    }
    free(r);
}

void
demo_replica_step(struct demo_replica *r, const struct demo_world *w,
                  double dt)
{
    switch (r->app) {
    case DEMO_GALLERY:   demo_gallery_step(r->state, w, dt); break;
    case DEMO_IOTD:      demo_iotd_step(r->state, w, dt); break;
    case DEMO_ACCESSLOG: demo_alog_step(r->state, w, dt); break;
    case DEMO_DOCKER:    demo_docker_step(r->state, w, dt); break;
    default:             abort();
    }
}

void
demo_replica_render(struct demo_replica *r, const struct demo_world *w,
                    struct buf *out)
{
    switch (r->app) {
    case DEMO_GALLERY:   demo_gallery_render(r->state, w, out); break;
    case DEMO_IOTD:      demo_iotd_render(r->state, w, out); break;
    case DEMO_ACCESSLOG: demo_alog_render(r->state, w, out); break;
    case DEMO_DOCKER:    demo_docker_render(r->state, w, out); break;
    default:             abort();
    }
}
