/*
 * The demo's Go programs: the image-gallery web app and the Docker engine.
 * Both expose client_golang's Go runtime and process collectors, so they
 * share one simulated runtime (heap growing between collections, stacks
 * following goroutines). Text layout is client_golang's: families sorted
 * by name, floats in strconv's shortest 'g' form.
 *
 * Ownership: each _new returns a state freed by the matching _free
 * (NULL allowed); the world and the buf are borrowed for the call.
 */
#ifndef DEMO_DEMO_GO_H
#define DEMO_DEMO_GO_H

#include <stdint.h>

#include "src/base/buf.h"
#include "src/demo/demo_sim.h"

struct demo_gallery;
struct demo_docker;

struct demo_gallery *demo_gallery_new(int index, double wall, uint64_t seed);
void demo_gallery_free(struct demo_gallery *g);
void demo_gallery_step(struct demo_gallery *g, const struct demo_world *w,
                       double dt);
void demo_gallery_render(struct demo_gallery *g, const struct demo_world *w,
                         struct buf *out);

struct demo_docker *demo_docker_new(int index, double wall, uint64_t seed);
void demo_docker_free(struct demo_docker *e);
void demo_docker_step(struct demo_docker *e, const struct demo_world *w,
                      double dt);
void demo_docker_render(struct demo_docker *e, const struct demo_world *w,
                        struct buf *out);

#endif
