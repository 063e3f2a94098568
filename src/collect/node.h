/*
 * The node collector: this host under node_exporter 1.5's names, labels,
 * units and help texts (cpu, stat, loadavg, meminfo, pressure, diskstats,
 * netdev, filesystem, time and uname collectors, with their default
 * filters), read straight from /proc, /sys and statfs(2) under a root.
 * Like node_exporter it adds node_scrape_collector_success and
 * node_scrape_collector_duration_seconds per part.
 */
#ifndef COLLECT_NODE_H
#define COLLECT_NODE_H

#include "src/collect/collect.h"

/* Job "node". A part that fails leaves a note and a success of 0; the
 * collect fails only when every part did. */
extern const struct collector_ops node_collector_ops;

#endif
