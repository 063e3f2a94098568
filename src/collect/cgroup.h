/*
 * The "cadvisor" built-in collector: every container on this host (and
 * the root cgroup, id "/") under cAdvisor's metric names, labels and
 * units, read from the cgroup tree, with names, images and Docker labels
 * from the Docker Engine API when a socket is there. Besides cAdvisor's
 * series it writes container_state{state} and container_restarts (from
 * Docker; cAdvisor has neither), and keeps a container Docker still lists
 * but whose cgroup is gone (an exited one) as a state series only.
 *
 * Ownership: the state from open is the collector's until close. The
 * note returned stays valid until the next collect or close.
 */
#ifndef COLLECT_CGROUP_H
#define COLLECT_CGROUP_H

#include "src/collect/collect.h"

/* More containers than this per scrape are left out, with a note. */
#define CGROUP_MAX_CONTAINERS 4096

extern const struct collector_ops cgroup_collector;

/*
 * What the last collect could not do, for the targets view ("permission
 * denied: .../memory.stat", "docker: ...: timeout after 5s; names from
 * 30s ago"), or "" when it did everything. Each problem also sets the
 * container_scrape_error gauge, as cAdvisor does.
 */
const char *cgroup_collector_note(void *state);

#endif
