/*
 * The "host" object of `promdeck --once -o json` when promdeck watches
 * this host through its built-in node collector: a btop-like summary
 * (cores, CPU busy, memory, swap, load, uptime, network and disk rates)
 * evaluated as PromQL over the collector's node_exporter series in the
 * store, so it says what the dashboards say. Rates use irate, which two
 * scrapes a second apart are enough for.
 *
 * Ownership: plain values; the caller embeds the struct.
 */
#ifndef DASH_SNAPSHOT_HOST_H
#define DASH_SNAPSHOT_HOST_H

#include <stdint.h>

#include "src/base/buf.h"
#include "store/store.h"

/* ORDER host_fields: the numbers, in the JSON's order; NaN: not known
 * (no such series yet), written as null. */
enum host_field {
    HOST_CPU_CORES,
    HOST_CPU_BUSY,              /* 0..1, all cores */
    HOST_MEMORY_TOTAL,
    HOST_MEMORY_USED,           /* MemTotal - MemAvailable */
    HOST_SWAP_USED,
    HOST_LOAD1,
    HOST_LOAD5,
    HOST_LOAD15,
    HOST_UPTIME,
    HOST_NET_RX,                /* bytes/s, every device but lo */
    HOST_NET_TX,
    HOST_DISK_READ,             /* bytes/s, node_exporter's disks */
    HOST_DISK_WRITE,
    HOST_NFIELDS
};

struct snapshot_host {
    char hostname[256];
    double v[HOST_NFIELDS];
};

/* Fills h for the node target whose instance is hostname, evaluated at
 * now_ms over st. */
void snapshot_host_fill(struct snapshot_host *h, const struct store *st,
                        const char *hostname, int64_t now_ms);
/* Appends "host":{...} (no comma before it). */
void snapshot_host_json(const struct snapshot_host *h, struct buf *out);

#endif
