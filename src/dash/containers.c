/*
 * Building the containers table from PromQL. Each column is one instant
 * query aggregated by id, so any source with cAdvisor's names works (the
 * built-in collector, a scraped cAdvisor). Rates use irate, the change
 * between the last two scrapes, as btop and `docker stats` show the
 * present rather than a smoothed minute.
 */
#include "src/dash/containers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/xalloc.h"

static const char q_seen[] =
    "last_over_time(container_last_seen{id!=\"/\"}[5m])";
static const char q_live[] = "container_last_seen{id!=\"/\"}";
static const char q_state[] = "last_over_time(container_state[5m])";
static const char q_state_now[] = "container_state";
static const char q_cpu[] =
    "sum by (id) (irate(container_cpu_usage_seconds_total{id!=\"/\"}[1m]))";

/* The numeric columns: a query and where its value goes. */
static const struct {
    const char *query;
    size_t field;
} numeric[] = {
    { q_cpu, offsetof(struct container_row, cpu_cores) },
    { "sum by (id) (container_spec_cpu_quota) / sum by (id) "
      "(container_spec_cpu_period)",
      offsetof(struct container_row, quota_cores) },
    { "sum by (id) (container_memory_working_set_bytes{id!=\"/\"})",
      offsetof(struct container_row, memory_bytes) },
    { "sum by (id) (container_spec_memory_limit_bytes{id!=\"/\"})",
      offsetof(struct container_row, memory_limit_bytes) },
    { "sum by (id) (irate(container_network_receive_bytes_total"
      "{id!=\"/\"}[1m]))", offsetof(struct container_row, rx_bps) },
    { "sum by (id) (irate(container_network_transmit_bytes_total"
      "{id!=\"/\"}[1m]))", offsetof(struct container_row, tx_bps) },
    { "sum by (id) (irate(container_fs_reads_bytes_total{id!=\"/\"}[1m]))",
      offsetof(struct container_row, read_bps) },
    { "sum by (id) (irate(container_fs_writes_bytes_total{id!=\"/\"}[1m]))",
      offsetof(struct container_row, write_bps) },
    { "max by (id) (container_restarts)",
      offsetof(struct container_row, restarts) },
};

static struct qresult *
run(struct container_table *c, const struct store *st,
    const char *text, int64_t t)
{
    struct diag d;

    diag_clear(&d);
    struct query *q = qparse_query(text, strlen(text), &d);
    struct qresult *r = q ? qeval_instant(q, st, t, &d) : NULL;
    if (!r && !c->error[0])
        snprintf(c->error, sizeof c->error, "%.100s: %.140s", text, d.msg);
    qparse_free(q);
    return r;
}

static const char *
label(const struct labels *ls, const char *name)
{
    const char *v = labels_get(ls, name);

    return v ? v : "";
}

static struct container_row *
find(struct container_table *c, const char *id)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->rows[i].id, id) == 0)
            return &c->rows[i];
    return NULL;
}

/* The row for the series' id, added (gone, values unknown) when new. */
static struct container_row *
row_for(struct container_table *c, size_t *cap,
        const struct labels *ls)
{
    const char *id = labels_get(ls, "id");
    struct container_row *r;

    if (!id)
        return NULL;
    if ((r = find(c, id)) != NULL)
        return r;
    if (c->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        c->rows = xreallocarray(c->rows, *cap, sizeof *c->rows);
    }
    r = &c->rows[c->n++];
    *r = (struct container_row){
        .id = xstrdup(id), .name = xstrdup(label(ls, "name")),
        .image = xstrdup(label(ls, "image")), .state = xstrdup(""),
        .gone = true, .cpu_cores = NAN, .restarts = NAN,
        .memory_bytes = NAN, .rx_bps = NAN, .tx_bps = NAN,
        .read_bps = NAN, .write_bps = NAN,
    };
    return r;
}

static void
add_rows(struct container_table *c, size_t *cap, struct qresult *r)
{
    for (size_t i = 0; r && i < r->nseries; i++)
        row_for(c, cap, &r->series[i].labels);
}

static void
take_state(struct container_table *c, struct qresult *r)
{
    for (size_t i = 0; r && i < r->nseries; i++) {
        struct container_row *row = find(c, label(&r->series[i].labels,
                                                  "id"));
        if (!row)
            continue;
        free(row->state);
        row->state = xstrdup(label(&r->series[i].labels, "state"));
    }
}

/* *slot becomes a copy of v, when v says something. */
static void
replace(char **slot, const char *v)
{
    if (v == NULL || *v == '\0')
        return;
    free(*slot);
    *slot = xstrdup(v);
}

/*
 * What the live series (an instant query: no stale ones) say now: the
 * state, name and image. last_over_time's answer still holds a series a
 * container left within five minutes (its "running" state after it was
 * paused, its old name after a rename); the live one wins.
 */
static void
take_live(struct container_table *c, struct qresult *r)
{
    for (size_t i = 0; r && i < r->nseries; i++) {
        const struct labels *ls = &r->series[i].labels;
        struct container_row *row = find(c, label(ls, "id"));

        if (!row)
            continue;
        replace(&row->state, labels_get(ls, "state"));
        replace(&row->name, labels_get(ls, "name"));
        replace(&row->image, labels_get(ls, "image"));
    }
}

static void
take_values(struct container_table *c, struct qresult *r,
            size_t field)
{
    for (size_t i = 0; r && i < r->nseries; i++) {
        struct container_row *row = find(c, label(&r->series[i].labels,
                                                  "id"));
        if (row && r->series[i].npoints > 0)
            *(double *)((char *)row + field) = r->series[i].points[0].v;
    }
}

/* The history queries, ORDER chist. */
static const char *const q_hist[CHIST_COUNT] = {
    q_cpu,
    "sum by (id) (container_memory_working_set_bytes{id!=\"/\"})",
    "sum by (id) (irate(container_network_receive_bytes_total{id!=\"/\"}"
    "[1m])) + sum by (id) (irate(container_network_transmit_bytes_total"
    "{id!=\"/\"}[1m]))",
    "sum by (id) (irate(container_fs_reads_bytes_total{id!=\"/\"}[1m])) "
    "+ sum by (id) (irate(container_fs_writes_bytes_total{id!=\"/\"}"
    "[1m]))",
};

/* One history of every row over the range, on a grid of n steps. */
static void
take_history(struct container_table *c, const struct store *st,
             enum container_hist h, int64_t now_ms,
             int64_t range_ms, size_t n)
{
    struct diag d;
    int64_t step = range_ms / (int64_t)n > 0 ? range_ms / (int64_t)n : 1;
    int64_t start = now_ms - step * (int64_t)(n - 1);

    diag_clear(&d);
    struct query *q = qparse_query(q_hist[h], strlen(q_hist[h]), &d);
    struct qresult *r = q ? qeval_range(q, st, start, now_ms, step, &d)
                          : NULL;
    for (size_t i = 0; i < c->n; i++) {
        c->rows[i].history[h] = xmalloc(n * sizeof(double));
        c->rows[i].nhistory = n;
        for (size_t k = 0; k < n; k++)
            c->rows[i].history[h][k] = NAN;
    }
    for (size_t i = 0; r && i < r->nseries; i++) {
        struct container_row *row = find(c, label(&r->series[i].labels,
                                                  "id"));
        for (size_t k = 0; row && k < r->series[i].npoints; k++) {
            int64_t slot = (r->series[i].points[k].t - start) / step;
            if (slot >= 0 && slot < (int64_t)n)
                row->history[h][slot] = r->series[i].points[k].v;
        }
    }
    qresult_free(r);
    qparse_free(q);
}

/* One number from an instant query: the first series' value, or NaN. */
static double
scalar_of(struct container_table *c, const struct store *st,
          const char *text, int64_t t)
{
    struct qresult *r = run(c, st, text, t);
    double v = NAN;

    if (r && r->type == QV_SCALAR)
        v = r->scalar;
    else if (r && r->nseries > 0 && r->series[0].npoints > 0)
        v = r->series[0].points[0].v;
    qresult_free(r);
    return v;
}

/* The host header from node_exporter's series; one host is assumed
 * (the built-in collector's, or the one node target). */
static void
eval_host(struct container_table *c, const struct store *st,
          int64_t t)
{
    struct host_summary *h = &c->host;

    h->cpu_busy = 1 - scalar_of(c, st, "avg(irate(node_cpu_seconds_total"
                                "{mode=\"idle\"}[1m]))", t);
    h->load1 = scalar_of(c, st, "max(node_load1)", t);
    h->present = !isnan(h->load1) || !isnan(h->cpu_busy);
    if (!h->present)
        return;
    h->load5 = scalar_of(c, st, "max(node_load5)", t);
    h->load15 = scalar_of(c, st, "max(node_load15)", t);
    h->mem_total = scalar_of(c, st, "max(node_memory_MemTotal_bytes)", t);
    h->mem_used = h->mem_total
        - scalar_of(c, st, "max(node_memory_MemAvailable_bytes)", t);
    h->swap_total = scalar_of(c, st, "max(node_memory_SwapTotal_bytes)", t);
    h->swap_used = h->swap_total
        - scalar_of(c, st, "max(node_memory_SwapFree_bytes)", t);
    h->net_rx = scalar_of(c, st, "sum(irate(node_network_receive_bytes_total"
                          "{device!=\"lo\"}[1m]))", t);
    h->net_tx = scalar_of(c, st, "sum(irate(node_network_transmit_bytes_"
                          "total{device!=\"lo\"}[1m]))", t);
    h->disk_read = scalar_of(c, st, "sum(irate(node_disk_read_bytes_total"
                             "[1m]))", t);
    h->disk_write = scalar_of(c, st, "sum(irate(node_disk_written_bytes_"
                              "total[1m]))", t);
    h->uptime_s = scalar_of(c, st, "max(node_time_seconds - "
                            "node_boot_time_seconds)", t);
    struct qresult *r = run(c, st, "node_uname_info", t);
    if (r && r->nseries > 0)
        snprintf(h->name, sizeof h->name, "%s",
                 label(&r->series[0].labels, "nodename"));
    qresult_free(r);
    r = run(c, st, "1 - avg by (cpu) (irate(node_cpu_seconds_total"
            "{mode=\"idle\"}[1m]))", t);
    for (size_t i = 0; r && i < r->nseries; i++) {
        char *end;
        long cpu = strtol(label(&r->series[i].labels, "cpu"), &end, 10);
        if (*end || cpu < 0 || cpu >= HOST_MAX_CORES
            || r->series[i].npoints == 0)
            continue;
        h->core_busy[cpu] = r->series[i].points[0].v;
        if (cpu + 1 > h->ncores)
            h->ncores = (int)cpu + 1;
    }
    qresult_free(r);
}

static int
by_name(const void *a, const void *b)
{
    const struct container_row *x = a, *y = b;
    int c = strcmp(x->name[0] ? x->name : x->id, y->name[0] ? y->name
                                                             : y->id);
    return c ? c : strcmp(x->id, y->id);
}

size_t
containers_eval(struct container_table *c, const struct store *st,
                int64_t now_ms, int64_t range_ms, size_t nhistory)
{
    size_t cap = 0;

    containers_fini(c);
    for (int i = 0; i < HOST_MAX_CORES; i++)
        c->host.core_busy[i] = NAN;
    eval_host(c, st, now_ms);
    struct qresult *any = run(c, st, "count(last_over_time("
                              "container_last_seen[5m]))", now_ms);
    c->present = any != NULL && any->nseries > 0;
    qresult_free(any);
    struct qresult *seen = run(c, st, q_seen, now_ms);
    struct qresult *state = run(c, st, q_state, now_ms);
    add_rows(c, &cap, seen);
    add_rows(c, &cap, state);
    qresult_free(seen);
    take_state(c, state);
    qresult_free(state);
    struct qresult *live = run(c, st, q_live, now_ms);
    for (size_t i = 0; live && i < live->nseries; i++) {
        struct container_row *row = find(c, label(&live->series[i].labels,
                                                  "id"));
        if (row)
            row->gone = false;
    }
    take_live(c, live);
    qresult_free(live);
    state = run(c, st, q_state_now, now_ms);
    take_live(c, state);
    qresult_free(state);
    for (size_t k = 0; k < sizeof numeric / sizeof *numeric; k++) {
        struct qresult *r = run(c, st, numeric[k].query, now_ms);
        take_values(c, r, numeric[k].field);
        qresult_free(r);
    }
    for (int h = 0; nhistory > 0 && c->n > 0 && h < CHIST_COUNT; h++)
        take_history(c, st, (enum container_hist)h, now_ms, range_ms,
                     nhistory);
    if (c->n > 1)
        qsort(c->rows, c->n, sizeof *c->rows, by_name);
    return c->n;
}

void
containers_fini(struct container_table *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->rows[i].id);
        free(c->rows[i].name);
        free(c->rows[i].image);
        free(c->rows[i].state);
        for (int h = 0; h < CHIST_COUNT; h++)
            free(c->rows[i].history[h]);
    }
    free(c->rows);
    memset(c, 0, sizeof *c);
}
