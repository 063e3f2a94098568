/*
 * The simulated access-log service: a Node.js app that counts the log
 * lines other services post to it, seen through prom-client 15 with its
 * default collectors. V8's young space fills and is scavenged, the old
 * space now and then mark-swept. It models the numbers, not V8.
 */
#include "src/demo/demo_node.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "src/demo/demo_expo.h"
#include "src/demo/demo_sim.h"

#define MIB 1048576.0

/* ORDER gc_kinds */
static const char *const gc_kinds[] = {"minor", "major", "incremental"};
#define NKINDS 3
static const double gc_le[] = {0.001, 0.01, 0.1, 1, 2, 5};

struct demo_alog {
    int index;
    double start;
    uint64_t rng;
    char host[16];          /* the container's hostname: its short id */
    double acc;
    uint64_t total;
    int ips, sockets;
    double cpu_user, cpu_sys;
    double young, old, external, garbage;   /* bytes */
    double lag;
    struct demo_hist gc[NKINDS];
};

/* Where the body starts, so families can be set apart by blank lines. */
struct out {
    struct buf *b;
    size_t start;
    const char *host;
};

struct demo_alog *
demo_alog_new(int index, double wall, uint64_t seed)
{
    struct demo_alog *s = xcalloc(1, sizeof *s);
    /* A restarted container keeps its id, so the hostname hangs on the
     * replica index only. */
    uint64_t h = 0xacce5510ULL + (uint64_t)index;

    s->index = index;
    s->start = floor(wall);
    s->rng = seed;
    snprintf(s->host, sizeof s->host, "%012llx",
             (unsigned long long)(demo_rng(&h) >> 16));
    s->young = 0.25 * MIB;
    s->old = 6 * MIB;
    s->external = 2.0e6;
    s->cpu_user = 0.05;
    s->cpu_sys = 0.045;
    for (int k = 0; k < NKINDS; k++)
        demo_hist_init(&s->gc[k], gc_le, 6);
    return s;
}

void
demo_alog_free(struct demo_alog *s)
{
    free(s);
}

/* Allocation fills the young space; scavenges and mark-sweeps empty it. */
static void
alog_heap(struct demo_alog *s, double dt, double rate)
{
    double z = demo_rng_normal(&s->rng);

    s->young += dt * (40e3 + rate * 15e3);
    s->garbage += dt * rate * 6e3;
    if (s->young > 4 * MIB) {
        s->young = 0.25 * MIB;
        s->old += 0.1 * MIB;
        s->garbage = 0;
        demo_hist_observe(&s->gc[0], 0.0012 * exp(0.4 * z));
        s->cpu_user += 0.002;
    }
    if (s->old > 12 * MIB) {
        s->old = 6 * MIB + 0.5 * MIB * demo_rng_unit(&s->rng);
        demo_hist_observe(&s->gc[1], 0.009 * exp(0.3 * z));
        demo_hist_observe(&s->gc[2], 0.002 * exp(0.3 * z));
        s->cpu_user += 0.012;
    }
}

void
demo_alog_step(struct demo_alog *s, const struct demo_world *w, double dt)
{
    double ph = 1.3 * s->index;
    double rate = demo_traffic(w->t) / 3
                * (1 + 0.2 * sin(2 * M_PI * w->t / 70 + ph));
    double ips = 4 + rate * 1.5 + 3 * sin(2 * M_PI * w->t / 130 + ph);

    s->total += demo_take(&s->acc, rate * dt);
    s->ips = ips < 1 ? 1 : (int)lround(ips);
    s->sockets = 1 + (int)floor(rate / 3 + 1.5 * demo_rng_unit(&s->rng));
    s->cpu_user += dt * (0.002 + rate * 0.0004);
    s->cpu_sys += dt * (0.001 + rate * 0.0002);
    s->external = 2.0e6 + 40e3 * s->ips
                + 60e3 * sin(2 * M_PI * w->t / 95 + ph) + s->garbage;
    s->lag = 0.0002 + rate * 0.00005 + 0.0005 * demo_rng_unit(&s->rng);
    alog_heap(s, dt, rate);
}

static void
fam(struct out *o, const char *name, const char *type, const char *help)
{
    if (o->b->len > o->start)
        buf_putc(o->b, '\n');
    demo_family(o->b, name, type, help);
}

/* One sample: own labels (or NULL), then the default label hostname. */
static void
smp(struct out *o, const char *name, const char *labels, double v)
{
    char lab[160];

    if (labels != NULL)
        snprintf(lab, sizeof lab, "%s,hostname=\"%s\"", labels, o->host);
    else
        snprintf(lab, sizeof lab, "hostname=\"%s\"", o->host);
    demo_sample(o->b, name, lab, v, DEMO_NUM_JS);
}

static void
one(struct out *o, const char *name, const char *type, const char *help,
    double v)
{
    fam(o, name, type, help);
    smp(o, name, NULL, v);
}

static double
usec(double v)
{
    return floor(v * 1e6) / 1e6;
}

static void
alog_process(struct out *o, const struct demo_alog *s)
{
    double heap = s->young + s->old + 0.5 * MIB;

    one(o, "process_cpu_user_seconds_total", "counter",
        "Total user CPU time spent in seconds.", usec(s->cpu_user));
    one(o, "process_cpu_system_seconds_total", "counter",
        "Total system CPU time spent in seconds.", usec(s->cpu_sys));
    one(o, "process_cpu_seconds_total", "counter",
        "Total user and system CPU time spent in seconds.",
        usec(s->cpu_user) + usec(s->cpu_sys));
    one(o, "process_start_time_seconds", "gauge",
        "Start time of the process since unix epoch in seconds.", s->start);
    one(o, "process_resident_memory_bytes", "gauge",
        "Resident memory size in bytes.",
        floor((60e6 + heap + s->external) / 4096) * 4096);
    one(o, "process_virtual_memory_bytes", "gauge",
        "Virtual memory size in bytes.", 1053147136);
    one(o, "process_heap_bytes", "gauge", "Process heap size in bytes.",
        floor((80e6 + heap) / 4096) * 4096);
    one(o, "process_open_fds", "gauge", "Number of open file descriptors.",
        20 + s->sockets);
    one(o, "process_max_fds", "gauge",
        "Maximum number of open file descriptors.", 20000);
}

static void
alog_lag(struct out *o, const struct demo_alog *s)
{
    /* The delay histogram samples every 10 ms, so its figures sit there. */
    double base = 0.01 + s->lag / 10;

    one(o, "nodejs_eventloop_lag_seconds", "gauge",
        "Lag of event loop in seconds.", usec(s->lag));
    one(o, "nodejs_eventloop_lag_min_seconds", "gauge",
        "The minimum recorded event loop delay.", 0.00917504);
    one(o, "nodejs_eventloop_lag_max_seconds", "gauge",
        "The maximum recorded event loop delay.",
        usec(base + 5 * s->lag));
    one(o, "nodejs_eventloop_lag_mean_seconds", "gauge",
        "The mean of the recorded event loop delays.", base);
    one(o, "nodejs_eventloop_lag_stddev_seconds", "gauge",
        "The standard deviation of the recorded event loop delays.",
        0.0001 + s->lag / 4);
    one(o, "nodejs_eventloop_lag_p50_seconds", "gauge",
        "The 50th percentile of the recorded event loop delays.",
        0.010199039);
    one(o, "nodejs_eventloop_lag_p90_seconds", "gauge",
        "The 90th percentile of the recorded event loop delays.",
        usec(0.0102 + s->lag / 2));
    one(o, "nodejs_eventloop_lag_p99_seconds", "gauge",
        "The 99th percentile of the recorded event loop delays.",
        usec(0.0103 + s->lag));
}

static void
alog_handles(struct out *o, const struct demo_alog *s)
{
    fam(o, "nodejs_active_resources", "gauge", "Number of active resources "
        "that are currently keeping the event loop alive, grouped by async "
        "resource type.");
    smp(o, "nodejs_active_resources", "type=\"TCPServerWrap\"", 1);
    smp(o, "nodejs_active_resources", "type=\"TCPSocketWrap\"", s->sockets);
    smp(o, "nodejs_active_resources", "type=\"Timeout\"", 1);
    smp(o, "nodejs_active_resources", "type=\"Immediate\"", 1);
    one(o, "nodejs_active_resources_total", "gauge",
        "Total number of active resources.", 3 + s->sockets);
    fam(o, "nodejs_active_handles", "gauge", "Number of active libuv "
        "handles grouped by handle type. Every handle type is C++ class "
        "name.");
    smp(o, "nodejs_active_handles", "type=\"Server\"", 1);
    smp(o, "nodejs_active_handles", "type=\"Socket\"", s->sockets);
    one(o, "nodejs_active_handles_total", "gauge",
        "Total number of active handles.", 1 + s->sockets);
    /* No libuv request is in flight between two ticks: no samples. */
    fam(o, "nodejs_active_requests", "gauge", "Number of active libuv "
        "requests grouped by request type. Every request type is C++ class "
        "name.");
    one(o, "nodejs_active_requests_total", "gauge",
        "Total number of active requests.", 0);
}

/* ORDER spaces: V8's heap spaces as prom-client lists them */
static const char *const spaces[] = {
    "read_only", "new", "old", "code", "shared", "new_large_object",
    "large_object", "code_large_object", "shared_large_object"
};

static void
alog_spaces(struct out *o, const struct demo_alog *s)
{
    static const char *const what[] = {"total", "used", "available"};
    static const double total[9] = {0, 33554432, 0, 262144, 0, 0, 270336,
                                    0, 0};
    double old_total = ceil(s->old * 1.3 / 262144) * 262144;
    char name[64], help[96], lab[40];

    for (int w = 0; w < 3; w++) {
        const double used[9] = {0, floor(s->young), floor(s->old), 240144,
                                0, 0, 262160, 0, 0};

        snprintf(name, sizeof name, "nodejs_heap_space_size_%s_bytes",
                 what[w]);
        snprintf(help, sizeof help, "Process heap space size %s from "
                 "Node.js in bytes.", what[w]);
        fam(o, name, "gauge", help);
        for (int i = 0; i < 9; i++) {
            double tot = i == 2 ? old_total : total[i];
            double v = w == 0 ? tot : w == 1 ? used[i]
                     : i == 1 ? 16.5 * MIB - used[i]
                     : i == 5 ? 16 * MIB : fmax(tot - used[i], 0);

            snprintf(lab, sizeof lab, "space=\"%s\"", spaces[i]);
            smp(o, name, lab, v);
        }
    }
}

static void
alog_gc(struct out *o, const struct demo_alog *s)
{
    char lab[160];

    fam(o, "nodejs_gc_duration_seconds", "histogram", "Garbage collection "
        "duration by kind, one of major, minor, incremental or weakcb.");
    for (int k = 0; k < NKINDS; k++) {
        const struct demo_hist *h = &s->gc[k];

        if (h->count == 0)      /* a kind appears with its first GC */
            continue;
        for (size_t i = 0; i <= h->n; i++) {
            struct buf le;

            buf_init(&le, 0);
            demo_num(&le, i < h->n ? h->le[i] : INFINITY, DEMO_NUM_JS);
            snprintf(lab, sizeof lab, "le=\"%s\",hostname=\"%s\","
                     "kind=\"%s\"", buf_str(&le), o->host, gc_kinds[k]);
            buf_fini(&le);
            demo_sample(o->b, "nodejs_gc_duration_seconds_bucket", lab,
                        (double)demo_hist_cum(h, i), DEMO_NUM_JS);
        }
        snprintf(lab, sizeof lab, "hostname=\"%s\",kind=\"%s\"", o->host,
                 gc_kinds[k]);
        demo_sample(o->b, "nodejs_gc_duration_seconds_sum", lab, h->sum,
                    DEMO_NUM_JS);
        demo_sample(o->b, "nodejs_gc_duration_seconds_count", lab,
                    (double)h->count, DEMO_NUM_JS);
    }
}

void
demo_alog_render(struct demo_alog *s, const struct demo_world *w,
                 struct buf *out)
{
    struct out o = {out, out->len, s->host};
    double heap_used = floor(s->young + s->old + 0.5 * MIB);

    (void)w;
    one(&o, "access_log_total", "counter", "Access Log - total log requests",
        (double)s->total);
    one(&o, "access_client_ip_current", "gauge",
        "Access Log - current unique IP addresses", s->ips);
    alog_process(&o, s);
    alog_lag(&o, s);
    alog_handles(&o, s);
    one(&o, "nodejs_heap_size_total_bytes", "gauge",
        "Process heap size from Node.js in bytes.",
        33554432 + ceil(s->old * 1.3 / 262144) * 262144 + 532480);
    one(&o, "nodejs_heap_size_used_bytes", "gauge",
        "Process heap size used from Node.js in bytes.", heap_used);
    one(&o, "nodejs_external_memory_bytes", "gauge",
        "Node.js external memory size in bytes.", floor(s->external));
    alog_spaces(&o, s);
    fam(&o, "nodejs_version_info", "gauge", "Node.js version info.");
    smp(&o, "nodejs_version_info", "version=\"v20.20.2\",major=\"20\","
        "minor=\"20\",patch=\"2\"", 1);
    alog_gc(&o, s);
}
