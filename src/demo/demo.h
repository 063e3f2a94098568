/*
 * promdeck --demo: live demo targets on 127.0.0.1, standing in for the
 * chapter-9 stack of "Learn Docker in a Month of Lunches" (jobs
 * image-gallery x3, iotd-api, access-log x3, docker) so that its Grafana
 * dashboard has data with nothing else running. The targets are served by
 * one forked process; promdeck scrapes them like any other target.
 *
 * Now and then one replica of image-gallery or access-log goes down (its
 * port refuses connections) and comes back restarted (counters from 0, a
 * new process_start_time_seconds). By default one outage of 30 s happens
 * every 240 s, the first 120 s after the start. The environment variable
 * PROMDECK_DEMO_CYCLE="PERIOD:DOWN" (seconds, 0 < DOWN <= PERIOD / 2,
 * e.g. "4:1.5": down from 2 s to 3.5 s, then from 6 s to 7.5 s, ...)
 * changes that, mainly so tests can watch a restart quickly.
 *
 * Ownership: demo_start returns a demo the caller ends with demo_stop;
 * the targets' strings belong to it and stay valid until then.
 */
#ifndef DEMO_DEMO_H
#define DEMO_DEMO_H

#include <stddef.h>

#include "src/base/diag.h"

struct demo;

struct demo_target {
    const char *job;
    const char *address;        /* "127.0.0.1:PORT" */
    const char *metrics_path;
};

/*
 * Binds every port (so all are ready before the first scrape), then forks
 * the process that serves them. The child dies with promdeck (it gets
 * SIGTERM when its parent dies), keeps off the terminal and never returns
 * into the caller. NULL plus d on failure (bad PROMDECK_DEMO_CYCLE, no
 * socket, fork failed); nothing is left running then.
 */
struct demo *demo_start(struct diag *d);
/* The targets, job by job; *out stays valid until demo_stop. */
size_t demo_targets(const struct demo *dm, const struct demo_target **out);
/* Kills and reaps the server process and frees dm; NULL does nothing. */
void demo_stop(struct demo *dm);

#endif
