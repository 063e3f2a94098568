/*
 * Writing containers' cgroup numbers as Prometheus text exposition under
 * cAdvisor's names, help texts, types and units. One family at a time,
 * every container inside it, as a registry writes them. Pure: it formats
 * what it is given and reads no file.
 *
 * Ownership: rows and their strings are borrowed for the call.
 */
#ifndef COLLECT_CGROUP_EXPO_H
#define COLLECT_CGROUP_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "src/collect/cgroup_read.h"

struct cgroup_row {
    const char *labels;     /* label pairs without braces: id="/x",name=.. */
    const struct cgroup_stats *st;  /* NULL: no cgroup (an exited one) */
    const char *devname[CGROUP_MAX_DEVICES];    /* per st->dev, "/dev/sda" */
    const char *state;      /* Docker's state, or NULL (not known) */
    const char *health;     /* healthy, unhealthy, starting, or NULL */
    bool has_health_check;  /* Docker knows the container */
    int restarts;           /* -1: not known */
    int64_t start_time;     /* seconds since the epoch, or 0 */
};

/* Escapes v as a label value (backslash, quote, newline) onto out. */
void cgroup_expo_value(struct buf *out, const char *v);

/*
 * Writes every family for rows, then container_last_seen at now_s and
 * container_scrape_error (1 when scrape_error). Returns 0, or -1 when out
 * hit its ceiling.
 */
int cgroup_expo_write(struct buf *out, const struct cgroup_row *rows,
                      size_t n, int64_t now_s, bool scrape_error);

#endif
