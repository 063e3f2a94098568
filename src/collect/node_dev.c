/*
 * Block and network device counters as node_exporter 1.5 exposes them.
 * Disks: /proc/diskstats, sectors of 512 bytes and milliseconds turned
 * into bytes and seconds, partitions and ram/loop devices left out by
 * node_exporter's default filter. Network: /proc/net/dev, which holds
 * the same sums node_exporter's netlink reader folds into its legacy
 * names (receive_drop includes missed errors, and so on); the one
 * counter it lacks, rx_nohandler, comes from sysfs's
 * class/net/DEV/statistics, the same rtnl_link_stats64 field netlink
 * carries. udev's disk properties are src/collect/node_udev.c's.
 */
#include "src/collect/node_dev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "src/collect/collect.h"
#include "src/collect/node_udev.h"

/* The columns after major, minor and name, in file order: metric, help,
 * type, and the factor to its unit. */
static const struct {
    const char *name, *help, *type;
    double scale;
} disk_cols[] = {
    { "node_disk_reads_completed_total",
      "The total number of reads completed successfully.", "counter", 1 },
    { "node_disk_reads_merged_total", "The total number of reads merged.",
      "counter", 1 },
    { "node_disk_read_bytes_total",
      "The total number of bytes read successfully.", "counter", 512 },
    { "node_disk_read_time_seconds_total",
      "The total number of seconds spent by all reads.", "counter", 0.001 },
    { "node_disk_writes_completed_total",
      "The total number of writes completed successfully.", "counter", 1 },
    { "node_disk_writes_merged_total", "The number of writes merged.",
      "counter", 1 },
    { "node_disk_written_bytes_total",
      "The total number of bytes written successfully.", "counter", 512 },
    { "node_disk_write_time_seconds_total",
      "This is the total number of seconds spent by all writes.", "counter",
      0.001 },
    { "node_disk_io_now", "The number of I/Os currently in progress.",
      "gauge", 1 },
    { "node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.",
      "counter", 0.001 },
    { "node_disk_io_time_weighted_seconds_total",
      "The weighted # of seconds spent doing I/Os.", "counter", 0.001 },
    { "node_disk_discards_completed_total",
      "The total number of discards completed successfully.", "counter", 1 },
    { "node_disk_discards_merged_total",
      "The total number of discards merged.", "counter", 1 },
    { "node_disk_discarded_sectors_total",
      "The total number of sectors discarded successfully.", "counter", 1 },
    { "node_disk_discard_time_seconds_total",
      "This is the total number of seconds spent by all discards.",
      "counter", 0.001 },
    { "node_disk_flush_requests_total",
      "The total number of flush requests completed successfully",
      "counter", 1 },
    { "node_disk_flush_requests_time_seconds_total",
      "This is the total number of seconds spent by all flush requests.",
      "counter", 0.001 },
};
#define NDISK (sizeof(disk_cols) / sizeof(disk_cols[0]))

/* /proc/net/dev's sixteen columns under node_exporter's legacy keys. */
static const char *const net_cols[] = {
    "receive_bytes", "receive_packets", "receive_errs", "receive_drop",
    "receive_fifo", "receive_frame", "receive_compressed",
    "receive_multicast", "transmit_bytes", "transmit_packets",
    "transmit_errs", "transmit_drop", "transmit_fifo", "transmit_colls",
    "transmit_carrier", "transmit_compressed",
};
#define NNET (sizeof(net_cols) / sizeof(net_cols[0]))

/* One device's row, kept until every row is read: the format wants each
 * family's samples together. */
struct dev_row {
    char name[64];
    unsigned major, minor;      /* disks */
    size_t ncols;
    double v[NDISK > NNET ? NDISK : NNET];
};

struct rows {
    struct dev_row *v;
    size_t n, cap;
};

static struct dev_row *
row_add(struct rows *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
    }
    memset(&r->v[r->n], 0, sizeof(r->v[0]));
    return &r->v[r->n++];
}

/* "MAJ MIN NAME c1 c2 ...": false for a line of another shape. */
static bool
disk_line(struct node_state *s, char **f, int n, struct rows *r)
{
    struct dev_row *row;
    double v;

    if (n < 4 || strlen(f[2]) >= sizeof(row->name))
        return false;
    if (regex_match(s->disk_ignore, f[2], strlen(f[2])))
        return true;
    row = row_add(r);
    snprintf(row->name, sizeof(row->name), "%s", f[2]);
    row->major = (unsigned)strtoul(f[0], NULL, 10);
    row->minor = (unsigned)strtoul(f[1], NULL, 10);
    for (int i = 3; i < n && row->ncols < NDISK; i++) {
        if (collect_number(f[i], &v) < 0)
            break;
        row->v[row->ncols] = v * disk_cols[row->ncols].scale;
        row->ncols++;
    }
    return row->ncols > 0;
}

/* The udev-based info families of the disks kept. */
static void
disk_info(struct node_state *s, const struct rows *r, struct buf *out)
{
    struct node_disk_id *ids = xcalloc(r->n + 1, sizeof(*ids));

    for (size_t i = 0; i < r->n; i++) {
        ids[i].name = r->v[i].name;
        ids[i].major = r->v[i].major;
        ids[i].minor = r->v[i].minor;
    }
    node_udev_disks(s, ids, r->n, out);
    free(ids);
}

int
node_dev_disks(struct node_state *s, struct buf *out, char *err,
               size_t errsz)
{
    struct rows r = { NULL, 0, 0 };
    char *p, *f[3 + NDISK];
    int n;

    if (collect_read(s->root, "/proc/diskstats", &s->file, err, errsz) < 0)
        return -1;
    p = s->file.data != NULL ? s->file.data : "";
    while ((n = collect_fields(&p, f, 3 + NDISK)) >= 0)
        if (n > 0 && !disk_line(s, f, n, &r)) {
            snprintf(err, errsz, "/proc/diskstats: unexpected line");
            free(r.v);
            return -1;
        }
    for (size_t c = 0; c < NDISK; c++) {
        bool any = false;

        for (size_t i = 0; i < r.n; i++) {
            const char *lv[] = { "device", r.v[i].name, NULL };

            if (r.v[i].ncols <= c)
                continue;
            if (!any)
                collect_family(out, disk_cols[c].name, disk_cols[c].help,
                               disk_cols[c].type);
            any = true;
            collect_sample(out, disk_cols[c].name, lv, r.v[i].v[c]);
        }
    }
    disk_info(s, &r, out);
    free(r.v);
    return 0;
}

/* "  NAME: c1 ... c16" (a big first counter may touch the colon). */
static bool
net_line(char *line, struct rows *r)
{
    char *colon = strchr(line, ':'), *p, *f[NNET];
    struct dev_row *row;
    int n;

    if (colon == NULL)
        return false;
    *colon = '\0';
    line += strspn(line, " \t");
    p = colon + 1;
    if (*line == '\0' || strlen(line) >= sizeof(row->name)
        || (n = collect_fields(&p, f, NNET)) != (int)NNET)
        return false;
    row = row_add(r);
    snprintf(row->name, sizeof(row->name), "%s", line);
    for (size_t i = 0; i < NNET; i++)
        if (collect_number(f[i], &row->v[i]) < 0)
            return false;
    row->ncols = NNET;
    return true;
}

/*
 * node_network_receive_nohandler_total: packets dropped because no
 * protocol wanted them, which node_exporter's netlink reader reports for
 * every link. Here it comes from each device's sysfs statistics; a
 * device without the file (an older kernel, a fixture) has no sample.
 */
static void
nohandler(struct node_state *s, const struct rows *r, struct buf *out)
{
    static const char name[] = "node_network_receive_nohandler_total";
    char path[128], note[128];
    bool any = false;
    double v;

    for (size_t i = 0; i < r->n; i++) {
        const char *lv[] = { "device", r->v[i].name, NULL };

        snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/"
                 "rx_nohandler", r->v[i].name);
        if (collect_read(s->root, path, &s->file, note, sizeof(note)) < 0)
            continue;
        s->file.data[strcspn(s->file.data, "\n")] = '\0';
        if (collect_number(s->file.data, &v) < 0)
            continue;
        if (!any)
            collect_family(out, name, "Network device statistic "
                           "receive_nohandler.", "counter");
        any = true;
        collect_sample(out, name, lv, v);
    }
}

int
node_dev_net(struct node_state *s, struct buf *out, char *err, size_t errsz)
{
    struct rows r = { NULL, 0, 0 };
    char *p, *eol, name[64], help[80];
    int line = 0;

    if (collect_read(s->root, "/proc/net/dev", &s->file, err, errsz) < 0)
        return -1;
    for (p = s->file.data != NULL ? s->file.data : ""; *p != '\0';
         p = eol) {
        eol = p + strcspn(p, "\n");
        if (*eol == '\n')
            *eol++ = '\0';
        if (++line > 2 && *p != '\0' && !net_line(p, &r)) {
            snprintf(err, errsz, "/proc/net/dev: unexpected line %d", line);
            free(r.v);
            return -1;
        }
    }
    for (size_t c = 0; c < NNET && r.n > 0; c++) {
        snprintf(name, sizeof(name), "node_network_%s_total", net_cols[c]);
        snprintf(help, sizeof(help), "Network device statistic %s.",
                 net_cols[c]);
        collect_family(out, name, help, "counter");
        for (size_t i = 0; i < r.n; i++) {
            const char *lv[] = { "device", r.v[i].name, NULL };

            collect_sample(out, name, lv, r.v[i].v[c]);
        }
    }
    nohandler(s, &r, out);
    free(r.v);
    return 0;
}
