/*
 * The node collector's device parts: /proc/diskstats (node_exporter's
 * diskstats collector, with its default device filter) and /proc/net/dev
 * (its netdev collector, legacy metric names). Each follows the part
 * contract of src/collect/node_part.h.
 */
#ifndef COLLECT_NODE_DEV_H
#define COLLECT_NODE_DEV_H

#include "src/base/buf.h"
#include "src/collect/node_part.h"

/* node_disk_*{device}: the 11, 15 or 17 columns this kernel has. */
int node_dev_disks(struct node_state *s, struct buf *out, char *err,
                   size_t errsz);
/* node_network_{receive,transmit}_*_total{device}. */
int node_dev_net(struct node_state *s, struct buf *out, char *err,
                 size_t errsz);

#endif
