/*
 * cAdvisor's families, written from cgroup numbers. The help texts,
 * types, label names and conditions follow cAdvisor's Prometheus
 * collector: CPU time in seconds with cpu="total", the CFS counters only
 * for a container with a quota, a limit of "none" written as 0, block I/O
 * per device, network per interface. Each family is written whole (HELP,
 * TYPE, then every container), so the text is valid 0.0.4.
 */
#include "src/collect/cgroup_expo.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "src/base/json.h"

/* A family whose value is one number of the stats, shown when the group
 * flag at has is set (and, for the CFS ones, the container has a quota).
 * The value is the uint64_t at field, divided by scale. */
struct scalar {
    const char *name, *type, *help;
    size_t has, field;
    double scale;
    bool quota_only;
};

#define S(f) offsetof(struct cgroup_stats, f)

static const struct scalar scalars[] = {
    { "container_cpu_user_seconds_total", "counter",
      "Cumulative user cpu time consumed in seconds.",
      S(has_cpu), S(cpu_user_ns), 1e9, false },
    { "container_cpu_system_seconds_total", "counter",
      "Cumulative system cpu time consumed in seconds.",
      S(has_cpu), S(cpu_system_ns), 1e9, false },
    { "container_cpu_cfs_periods_total", "counter",
      "Number of elapsed enforcement period intervals.",
      S(has_cfs), S(cfs_periods), 1, true },
    { "container_cpu_cfs_throttled_periods_total", "counter",
      "Number of throttled period intervals.",
      S(has_cfs), S(cfs_throttled_periods), 1, true },
    { "container_cpu_cfs_throttled_seconds_total", "counter",
      "Total time duration the container has been throttled.",
      S(has_cfs), S(cfs_throttled_ns), 1e9, true },
    { "container_memory_cache", "gauge",
      "Number of bytes of page cache memory.",
      S(has_memory), S(mem_cache), 1, false },
    { "container_memory_rss", "gauge", "Size of RSS in bytes.",
      S(has_memory), S(mem_rss), 1, false },
    { "container_memory_mapped_file", "gauge",
      "Size of memory mapped files in bytes.",
      S(has_memory), S(mem_mapped_file), 1, false },
    { "container_memory_swap", "gauge", "Container swap usage in bytes.",
      S(has_memory), S(mem_swap), 1, false },
    { "container_memory_failcnt", "counter",
      "Number of memory usage hits limits",
      S(has_memory), S(mem_failcnt), 1, false },
    { "container_memory_usage_bytes", "gauge",
      "Current memory usage in bytes, including all memory regardless of "
      "when it was accessed",
      S(has_memory), S(mem_usage), 1, false },
    { "container_memory_max_usage_bytes", "gauge",
      "Maximum memory usage recorded in bytes",
      S(has_memory), S(mem_max_usage), 1, false },
    { "container_memory_working_set_bytes", "gauge",
      "Current working set in bytes.",
      S(has_memory), S(mem_working_set), 1, false },
    { "container_memory_total_active_file_bytes", "gauge",
      "Current total active file in bytes.",
      S(has_memory), S(mem_active_file), 1, false },
    { "container_memory_total_inactive_file_bytes", "gauge",
      "Current total inactive file in bytes.",
      S(has_memory), S(mem_inactive_file), 1, false },
    { "container_processes", "gauge",
      "Number of processes running inside the container.",
      S(has_procs), S(processes), 1, false },
    { "container_spec_memory_limit_bytes", "gauge",
      "Memory limit for the container.",
      S(has_memory), S(mem_limit), 1, false },
    { "container_spec_cpu_period", "gauge", "CPU period of the container.",
      S(has_cpu_spec), S(cpu_period_us), 1, false },
};

void
cgroup_expo_value(struct buf *out, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\')
            buf_puts(out, "\\\\");
        else if (*v == '"')
            buf_puts(out, "\\\"");
        else if (*v == '\n')
            buf_puts(out, "\\n");
        else
            buf_putc(out, *v);
    }
}

static void
head(struct buf *out, const char *name, const char *type,
     const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{labels,extra} value; extra is "" or ",key=\"...\"". */
static void
sample(struct buf *out, const char *name, const char *labels,
       const char *extra, double v)
{
    buf_printf(out, "%s{%s%s} ", name, labels, extra);
    json_format_value(v, out);
    buf_putc(out, '\n');
}

static void
write_scalar(struct buf *out, const struct scalar *s,
             const struct cgroup_row *rows, size_t n)
{
    head(out, s->name, s->type, s->help);
    for (size_t i = 0; i < n; i++) {
        const struct cgroup_stats *st = rows[i].st;
        if (!st)
            continue;
        const char *base = (const char *)st;
        if (!*(const bool *)(base + s->has))
            continue;
        if (s->quota_only && st->cpu_quota_us == 0)
            continue;
        uint64_t v;
        memcpy(&v, base + s->field, sizeof v);
        sample(out, s->name, rows[i].labels, "", (double)v / s->scale);
    }
}

static void
write_cpu(struct buf *out, const struct cgroup_row *rows,
          size_t n)
{
    head(out, "container_cpu_usage_seconds_total", "counter",
         "Cumulative cpu time consumed in seconds.");
    for (size_t i = 0; i < n; i++) {
        const struct cgroup_stats *st = rows[i].st;
        if (st && st->has_cpu && st->cpu_usage_ns > 0)
            sample(out, "container_cpu_usage_seconds_total", rows[i].labels,
                   ",cpu=\"total\"", (double)st->cpu_usage_ns / 1e9);
    }
    head(out, "container_spec_cpu_quota", "gauge",
         "CPU quota of the container.");
    for (size_t i = 0; i < n; i++) {
        const struct cgroup_stats *st = rows[i].st;
        if (st && st->has_cpu_spec && st->cpu_quota_us != 0)
            sample(out, "container_spec_cpu_quota", rows[i].labels, "",
                   (double)st->cpu_quota_us);
    }
}

/* The per-device block I/O families: reads or writes. */
static void
write_io(struct buf *out, const struct cgroup_row *rows,
         size_t n, bool reads)
{
    const char *name = reads ? "container_fs_reads_bytes_total"
                             : "container_fs_writes_bytes_total";
    struct buf extra;

    head(out, name, "counter", reads ? "Cumulative count of bytes read"
                                     : "Cumulative count of bytes written");
    buf_init(&extra, 0);
    for (size_t i = 0; i < n; i++) {
        const struct cgroup_stats *st = rows[i].st;
        for (size_t d = 0; st && st->has_io && d < st->ndev; d++) {
            buf_reset(&extra);
            buf_puts(&extra, ",device=\"");
            cgroup_expo_value(&extra, rows[i].devname[d]
                                      ? rows[i].devname[d] : "");
            buf_putc(&extra, '"');
            sample(out, name, rows[i].labels, buf_str(&extra),
                   (double)(reads ? st->dev[d].read_bytes
                                  : st->dev[d].write_bytes));
        }
    }
    buf_fini(&extra);
}

/* The per-interface network families, in cAdvisor's order. */
static void
write_net(struct buf *out, const struct cgroup_row *rows,
          size_t n)
{
    static const struct {
        const char *name, *help;
        size_t field;
    } fams[] = {
        { "container_network_receive_bytes_total",
          "Cumulative count of bytes received", offsetof(struct cgroup_iface,
          rx_bytes) },
        { "container_network_receive_packets_total",
          "Cumulative count of packets received",
          offsetof(struct cgroup_iface, rx_packets) },
        { "container_network_receive_packets_dropped_total",
          "Cumulative count of packets dropped while receiving",
          offsetof(struct cgroup_iface, rx_dropped) },
        { "container_network_receive_errors_total",
          "Cumulative count of errors encountered while receiving",
          offsetof(struct cgroup_iface, rx_errors) },
        { "container_network_transmit_bytes_total",
          "Cumulative count of bytes transmitted",
          offsetof(struct cgroup_iface, tx_bytes) },
        { "container_network_transmit_packets_total",
          "Cumulative count of packets transmitted",
          offsetof(struct cgroup_iface, tx_packets) },
        { "container_network_transmit_packets_dropped_total",
          "Cumulative count of packets dropped while transmitting",
          offsetof(struct cgroup_iface, tx_dropped) },
        { "container_network_transmit_errors_total",
          "Cumulative count of errors encountered while transmitting",
          offsetof(struct cgroup_iface, tx_errors) },
    };
    char extra[64];

    for (size_t f = 0; f < sizeof fams / sizeof *fams; f++) {
        head(out, fams[f].name, "counter", fams[f].help);
        for (size_t i = 0; i < n; i++) {
            const struct cgroup_stats *st = rows[i].st;
            for (size_t k = 0; st && st->has_net && k < st->niface; k++) {
                uint64_t v;
                memcpy(&v, (const char *)&st->iface[k] + fams[f].field,
                       sizeof v);
                /* Interface names are [A-Za-z0-9._@-], nothing to escape. */
                snprintf(extra, sizeof extra, ",interface=\"%s\"",
                         st->iface[k].name);
                sample(out, fams[f].name, rows[i].labels, extra, (double)v);
            }
        }
    }
}

/* Docker's view: state, restarts, health, start time. */
static void
write_docker(struct buf *out, const struct cgroup_row *rows,
             size_t n)
{
    struct buf extra;

    buf_init(&extra, 0);
    head(out, "container_health_state", "gauge",
         "The result of the container's health check");
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].st)
            continue;
        const char *h = rows[i].health;
        sample(out, "container_health_state", rows[i].labels, "",
               !h ? -1 : strcmp(h, "healthy") == 0 ? 1 : 0);
    }
    head(out, "container_start_time_seconds", "gauge",
         "Start time of the container since unix epoch in seconds.");
    for (size_t i = 0; i < n; i++)
        if (rows[i].start_time > 0)
            sample(out, "container_start_time_seconds", rows[i].labels, "",
                   (double)rows[i].start_time);
    head(out, "container_state", "gauge", "The container's state as Docker "
         "reports it (created, running, paused, restarting, exited, dead); "
         "promdeck's addition to cAdvisor's series.");
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].state)
            continue;
        buf_reset(&extra);
        buf_puts(&extra, ",state=\"");
        cgroup_expo_value(&extra, rows[i].state);
        buf_putc(&extra, '"');
        sample(out, "container_state", rows[i].labels, buf_str(&extra), 1);
    }
    head(out, "container_restarts", "gauge", "How many times Docker has "
         "restarted the container; promdeck's addition.");
    for (size_t i = 0; i < n; i++)
        if (rows[i].restarts >= 0)
            sample(out, "container_restarts", rows[i].labels, "",
                   rows[i].restarts);
    buf_fini(&extra);
}

int
cgroup_expo_write(struct buf *out, const struct cgroup_row *rows,
                  size_t n, int64_t now_s, bool scrape_error)
{
    write_cpu(out, rows, n);
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
        write_scalar(out, &scalars[i], rows, n);
    write_io(out, rows, n, true);
    write_io(out, rows, n, false);
    write_net(out, rows, n);
    write_docker(out, rows, n);
    head(out, "container_last_seen", "gauge",
         "Last time a container was seen by the exporter");
    for (size_t i = 0; i < n; i++)
        if (rows[i].st)
            sample(out, "container_last_seen", rows[i].labels, "",
                   (double)now_s);
    head(out, "container_scrape_error", "gauge",
         "1 if there was an error while getting container metrics, 0 "
         "otherwise");
    buf_printf(out, "container_scrape_error %d\n", scrape_error ? 1 : 0);
    /* buf_printf fails quietly at the ceiling; one check covers all. */
    return out->max && out->len + 1 >= out->max ? -1 : 0;
}
