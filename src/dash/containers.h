/*
 * The containers table: one row per container the "cadvisor" collector
 * (or a real cAdvisor) reports, joined by cgroup id from PromQL over the
 * store: name, image, Docker state, CPU in cores against its quota,
 * working-set memory against its limit, network and block I/O rates,
 * restarts, and a CPU history for the row's sparkline. A container whose
 * series stopped is kept for CONTAINERS_LINGER_MS, marked gone, so the
 * screen can grey it before it leaves. It only reads the store; the
 * view, the sort and the snapshot are elsewhere.
 *
 * Ownership: a container_table (ui/containers_table.h) is embedded by the
 * caller, filled by containers_eval and released with containers_fini;
 * it owns its rows and their strings.
 */
#ifndef DASH_CONTAINERS_H
#define DASH_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "ui/containers_table.h"

/* How long a container whose series stopped stays listed: the
 * look-back of last_over_time in the queries. */
#define CONTAINERS_LINGER_MS (5 * 60 * 1000)

/*
 * Evaluates the table at now_ms, with histories of nhistory points over
 * the range_ms before it (nhistory 0: none). Replaces what c held.
 * Rows come sorted by name, then id. Returns the row count.
 */
size_t containers_eval(struct container_table *c, const struct store *st,
                       int64_t now_ms, int64_t range_ms, size_t nhistory);
void containers_fini(struct container_table *c);

#endif
