/*
 * The node collector's /proc parts: /proc/stat (node_exporter's cpu and
 * stat collectors), /proc/loadavg, /proc/meminfo and /proc/pressure,
 * under node_exporter 1.5's names, help texts, types and units. Each
 * follows the part contract of src/collect/node_part.h.
 */
#ifndef COLLECT_NODE_PROC_H
#define COLLECT_NODE_PROC_H

#include "src/base/buf.h"
#include "src/collect/node_part.h"

/* node_cpu_seconds_total, node_cpu_guest_seconds_total, node_intr_total,
 * node_context_switches_total, node_forks_total, node_boot_time_seconds,
 * node_procs_running, node_procs_blocked. */
int node_proc_stat(struct node_state *s, struct buf *out, char *err,
                   size_t errsz);
/* node_load1, node_load5, node_load15. */
int node_proc_loadavg(struct node_state *s, struct buf *out, char *err,
                      size_t errsz);
/* node_memory_*: one gauge per /proc/meminfo field. */
int node_proc_meminfo(struct node_state *s, struct buf *out, char *err,
                      size_t errsz);
/* node_pressure_*; 1 when the kernel has no /proc/pressure. */
int node_proc_pressure(struct node_state *s, struct buf *out, char *err,
                       size_t errsz);

#endif
