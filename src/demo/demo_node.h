/*
 * The demo's Node.js program: the access-log service, as prom-client 15
 * shows it (its two app metrics plus the default process and nodejs_
 * collectors). prom-client's layout is kept: a blank line between
 * families, the default label hostname after a metric's own labels, and
 * JavaScript's number spelling.
 *
 * Ownership: demo_alog_new returns a state freed by demo_alog_free (NULL
 * allowed); the world and the buf are borrowed for the call.
 */
#ifndef DEMO_DEMO_NODE_H
#define DEMO_DEMO_NODE_H

#include <stdint.h>

#include "src/base/buf.h"
#include "src/demo/demo_sim.h"

struct demo_alog;

struct demo_alog *demo_alog_new(int index, double wall, uint64_t seed);
void demo_alog_free(struct demo_alog *s);
void demo_alog_step(struct demo_alog *s, const struct demo_world *w,
                    double dt);
void demo_alog_render(struct demo_alog *s, const struct demo_world *w,
                      struct buf *out);

#endif
