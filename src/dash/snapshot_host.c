/*
 * The --once host summary: one PromQL expression per field, over the
 * node collector's series of one instance. A field whose expression has
 * no result (a rate before the second scrape) is null, never 0.
 */
#include "src/dash/snapshot_host.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "query/query.h"
#include "src/base/json.h"

/* ORDER host_fields: each field's JSON key and expression; SEL stands
 * for the instance's matchers. */
#define SEL "job=\"node\",instance=%s"
static const struct {
    const char *key, *expr;
} host_fields[] = {
    { "cpu_cores", "count(node_cpu_seconds_total{mode=\"idle\"," SEL "})" },
    { "cpu_busy", "1 - avg(irate(node_cpu_seconds_total{mode=\"idle\","
      SEL "}[5m]))" },
    { "memory_total_bytes", "node_memory_MemTotal_bytes{" SEL "}" },
    { "memory_used_bytes", "node_memory_MemTotal_bytes{" SEL "}"
      " - node_memory_MemAvailable_bytes{" SEL "}" },
    { "swap_used_bytes", "node_memory_SwapTotal_bytes{" SEL "}"
      " - node_memory_SwapFree_bytes{" SEL "}" },
    { "load1", "node_load1{" SEL "}" },
    { "load5", "node_load5{" SEL "}" },
    { "load15", "node_load15{" SEL "}" },
    { "uptime_seconds", "node_time_seconds{" SEL "}"
      " - node_boot_time_seconds{" SEL "}" },
    { "network_rx_bytes_per_second", "sum(irate("
      "node_network_receive_bytes_total{device!=\"lo\"," SEL "}[5m]))" },
    { "network_tx_bytes_per_second", "sum(irate("
      "node_network_transmit_bytes_total{device!=\"lo\"," SEL "}[5m]))" },
    { "disk_read_bytes_per_second", "sum(irate("
      "node_disk_read_bytes_total{" SEL "}[5m]))" },
    { "disk_write_bytes_per_second", "sum(irate("
      "node_disk_written_bytes_total{" SEL "}[5m]))" },
};
_Static_assert(sizeof(host_fields) / sizeof(host_fields[0]) == HOST_NFIELDS,
               "host_fields and enum host_field differ");

/* The value of a one-series instant vector (or a scalar); NaN else. */
static double
eval_one(const char *expr, const struct store *st, int64_t now_ms)
{
    struct diag d;
    struct query *q = qparse_query(expr, strlen(expr), &d);
    struct qresult *r;
    double v = NAN;

    if (q == NULL)
        return NAN;
    r = qeval_instant(q, st, now_ms, &d);
    if (r != NULL && r->type == QV_VECTOR && r->nseries == 1)
        v = r->series[0].points[0].v;
    else if (r != NULL && r->type == QV_SCALAR)
        v = r->scalar;
    qresult_free(r);
    qparse_free(q);
    return v;
}

void
snapshot_host_fill(struct snapshot_host *h, const struct store *st,
                   const char *hostname, int64_t now_ms)
{
    char expr[1024];
    struct buf quoted;

    snprintf(h->hostname, sizeof(h->hostname), "%s", hostname);
    buf_init(&quoted, 0);
    json_string(&quoted, hostname);     /* a PromQL string too */
    for (size_t i = 0; i < HOST_NFIELDS; i++) {
        /* Each expression names the instance once or twice. */
        snprintf(expr, sizeof(expr), host_fields[i].expr, buf_str(&quoted),
                 buf_str(&quoted));
        h->v[i] = eval_one(expr, st, now_ms);
    }
    buf_fini(&quoted);
}

void
snapshot_host_json(const struct snapshot_host *h, struct buf *out)
{
    buf_puts(out, "\"host\":{\"hostname\":");
    json_string(out, h->hostname);
    for (size_t i = 0; i < HOST_NFIELDS; i++) {
        buf_printf(out, ",\"%s\":", host_fields[i].key);
        json_number(out, h->v[i]);      /* NaN: null */
    }
    buf_putc(out, '}');
}
