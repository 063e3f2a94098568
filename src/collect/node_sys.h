/*
 * The node collector's system parts: mounted filesystems (statfs of each
 * mount node_exporter 1.5 does not skip by default), the clock and time
 * zone with the kernel's clocksources, and uname. Each follows the part
 * contract of src/collect/node_part.h.
 */
#ifndef COLLECT_NODE_SYS_H
#define COLLECT_NODE_SYS_H

#include "src/base/buf.h"
#include "src/collect/node_part.h"

/* node_filesystem_{size,free,avail}_bytes, _files, _files_free,
 * _readonly and _device_error{device,fstype,mountpoint}. */
int node_sys_filesystems(struct node_state *s, struct buf *out, char *err,
                         size_t errsz);
/* node_time_seconds, node_time_zone_offset_seconds{time_zone},
 * node_time_clocksource_{available,current}_info. */
int node_sys_time(struct node_state *s, struct buf *out, char *err,
                  size_t errsz);
/* node_uname_info{sysname,release,version,machine,nodename,domainname}. */
int node_sys_uname(struct node_state *s, struct buf *out, char *err,
                   size_t errsz);

#endif
