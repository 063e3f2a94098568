/*
 * The disk info families node_exporter 1.5's diskstats collector adds
 * from udev's database (/run/udev/data/bMAJ:MIN under the root):
 * node_disk_info for every disk, and node_disk_filesystem_info,
 * node_disk_device_mapper_info and node_disk_ata_* where udev knows them.
 * A disk udev has no record of still gets node_disk_info, its udev
 * labels empty, as node_exporter gives it.
 */
#ifndef COLLECT_NODE_UDEV_H
#define COLLECT_NODE_UDEV_H

#include <stddef.h>

#include "src/base/buf.h"
#include "src/collect/node_part.h"

struct node_disk_id {
    const char *name;           /* borrowed for the call */
    unsigned major, minor;
};

/* Appends the families for the n disks of ids. */
void node_udev_disks(struct node_state *s, const struct node_disk_id *ids,
                     size_t n, struct buf *out);

#endif
