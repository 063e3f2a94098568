/*
 * The demo's Java program: the iotd-api Spring Boot app, as Micrometer's
 * Prometheus registry shows it at /actuator/prometheus (JVM memory pools
 * filled and emptied by G1, Tomcat threads, @Timed methods, the HTTP
 * server histogram). Micrometer's text quirks are kept: a comma after the
 * last label, Double.toString values, families in hash order.
 *
 * Ownership: demo_iotd_new returns a state freed by demo_iotd_free (NULL
 * allowed); the world and the buf are borrowed for the call.
 */
#ifndef DEMO_DEMO_JVM_H
#define DEMO_DEMO_JVM_H

#include <stdint.h>

#include "src/base/buf.h"
#include "src/demo/demo_sim.h"

struct demo_iotd;

struct demo_iotd *demo_iotd_new(int index, double wall, uint64_t seed);
void demo_iotd_free(struct demo_iotd *s);
void demo_iotd_step(struct demo_iotd *s, const struct demo_world *w,
                    double dt);
void demo_iotd_render(struct demo_iotd *s, const struct demo_world *w,
                      struct buf *out);

#endif
