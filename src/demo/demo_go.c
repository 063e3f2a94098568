/*
 * Simulated Go programs for the demo: image-gallery and the Docker
 * engine, with client_golang's go_, process_ and promhttp_ collectors fed
 * by one small model of the Go runtime (the heap grows with traffic until
 * it reaches the GC goal, then drops to what is live). It models the
 * numbers a dashboard shows, not Go's allocator.
 */
#include "src/demo/demo_go.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "src/demo/demo_expo.h"
#include "src/demo/demo_sim.h"

#define PAUSES 16       /* pauses kept for the GC duration quantiles */

/* client_golang's DefBuckets, 0.005 to 10. */
static const double go_buckets[] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
#define NGO_BUCKETS (sizeof go_buckets / sizeof go_buckets[0])

/* The Go runtime and process as client_golang's collectors see them. */
struct go_rt {
    double heap;        /* heap_alloc: reachable or not yet collected */
    double live;        /* what survived the last collection */
    double base_live;   /* what live wanders around */
    double next_gc;     /* GOGC=100: twice the live heap, 4 MiB at least */
    double total;       /* alloc_bytes_total */
    double mallocs;
    double heap_sys, stack_sys, mspan_sys;  /* only ever grow */
    double pause[PAUSES];
    unsigned npause;
    uint64_t ngc;
    double pause_sum;
    double last_gc;     /* Unix time, 0 before the first collection */
    int goroutines, threads;
    double cpu;         /* process_cpu_seconds_total */
    int fds;
};

struct demo_gallery {
    int index;
    double start;       /* Unix time the process started */
    uint64_t rng;
    struct go_rt rt;
    double acc;         /* fraction of a request not yet served */
    uint64_t c200, c404, c500;
    struct demo_hist dur;
    int inflight;
    uint64_t scrapes;
};

/* ORDER docker_actions */
static const char *const docker_actions[] = {
    "changes", "commit", "create", "delete", "start"
};
#define NACTIONS (sizeof docker_actions / sizeof docker_actions[0])

struct demo_docker {
    double start;
    uint64_t rng;
    struct go_rt rt;
    struct demo_hist act[NACTIONS];
    double acc_hc, acc_fail;
    uint64_t hc, hc_failed, events;
    int prev_down;
    uint64_t scrapes;
};

static void
rt_init(struct go_rt *rt, double base_live, int goroutines)
{
    memset(rt, 0, sizeof *rt);
    rt->base_live = rt->live = base_live;
    rt->heap = base_live * 1.4;
    rt->next_gc = fmax(4194304.0, 2 * base_live);
    rt->total = rt->heap;
    rt->mallocs = rt->heap / 96;
    rt->goroutines = goroutines;
    rt->threads = 5 + goroutines / 8;
    rt->heap_sys = 11862016.0;
    rt->stack_sys = 8192.0 * (48 + 2 * goroutines);
    rt->mspan_sys = 114240.0;
}

/* One garbage collection: the heap drops to what is live. */
static void
rt_collect(struct go_rt *rt, uint64_t *rng, double wall)
{
    double p = 6e-5 * exp(0.6 * demo_rng_normal(rng));

    rt->live = rt->base_live * (0.85 + 0.3 * demo_rng_unit(rng));
    rt->heap = rt->live;
    rt->next_gc = fmax(4194304.0, 2 * rt->live);
    rt->pause[rt->npause++ % PAUSES] = p;
    rt->ngc++;
    rt->pause_sum += p;
    rt->last_gc = wall;
    rt->cpu += p * 4;   /* the concurrent mark costs more than the pause */
}

static void
rt_step(struct go_rt *rt, uint64_t *rng, double dt, double alloc_rate,
        double wall)
{
    double a = alloc_rate * dt * (0.8 + 0.4 * demo_rng_unit(rng));
    double inuse, stack;

    rt->heap += a;
    rt->total += a;
    rt->mallocs += a / 96;
    if (rt->heap >= rt->next_gc)
        rt_collect(rt, rng, wall);
    if (rt->threads < 5 + rt->goroutines / 8)
        rt->threads = 5 + rt->goroutines / 8;
    inuse = ceil((rt->heap + 1.2e6) / 8192) * 8192;
    rt->heap_sys = fmax(rt->heap_sys, ceil(inuse * 1.3 / 1048576) * 1048576);
    stack = 8192.0 * (48 + 2 * rt->goroutines);
    rt->stack_sys = fmax(rt->stack_sys, stack);
    rt->mspan_sys = fmax(rt->mspan_sys,
                         ceil(inuse / 8192 * 240 / 16384 + 1) * 16384);
}

static double
rt_quantile(const struct go_rt *rt, double q)
{
    double s[PAUSES], t;
    unsigned n = rt->npause < PAUSES ? rt->npause : PAUSES;

    if (n == 0)
        return 0;
    memcpy(s, rt->pause, n * sizeof s[0]);
    for (unsigned i = 1; i < n; i++)        /* insertion sort, n <= 16 */
        for (unsigned j = i; j > 0 && s[j - 1] > s[j]; j--) {
            t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    return s[(unsigned)lround(q * (n - 1))];
}

static void
go_gauge(struct buf *out, const char *name, const char *help, double v)
{
    demo_family(out, name, "gauge", help);
    demo_sample(out, name, NULL, v, DEMO_NUM_GO);
}

static void
go_counter(struct buf *out, const char *name, const char *help, double v)
{
    demo_family(out, name, "counter", help);
    demo_sample(out, name, NULL, v, DEMO_NUM_GO);
}

static void
rt_render_gc(struct buf *out, const struct go_rt *rt, const char *version)
{
    static const char *const qs[] = {"0", "0.25", "0.5", "0.75", "1"};
    static const double qv[] = {0, 0.25, 0.5, 0.75, 1};
    char lab[32];

    demo_family(out, "go_gc_duration_seconds", "summary",
                "A summary of the pause duration of garbage collection "
                "cycles.");
    for (size_t i = 0; i < 5; i++) {
        snprintf(lab, sizeof lab, "quantile=\"%s\"", qs[i]);
        demo_sample(out, "go_gc_duration_seconds", lab,
                    rt_quantile(rt, qv[i]), DEMO_NUM_GO);
    }
    demo_sample(out, "go_gc_duration_seconds_sum", NULL, rt->pause_sum,
                DEMO_NUM_GO);
    demo_sample(out, "go_gc_duration_seconds_count", NULL, (double)rt->ngc,
                DEMO_NUM_GO);
    go_gauge(out, "go_goroutines",
             "Number of goroutines that currently exist.", rt->goroutines);
    demo_family(out, "go_info", "gauge",
                "Information about the Go environment.");
    snprintf(lab, sizeof lab, "version=\"%s\"", version);
    demo_sample(out, "go_info", lab, 1, DEMO_NUM_GO);
}

/* The go_memstats_ families, in client_golang's (alphabetical) order. */
static void
rt_render_memstats(struct buf *out, const struct go_rt *rt)
{
    double inuse = ceil((rt->heap + 1.2e6) / 8192) * 8192;
    double idle = rt->heap_sys - inuse;
    double objects = floor(rt->heap / 151);
    double stack = 8192.0 * (48 + 2 * rt->goroutines);
    double mspan = ceil(inuse / 8192 * 1.5) * 160;
    double sys = rt->heap_sys + rt->stack_sys + rt->mspan_sys + 15600
               + 1460385 + 8846056 + 1090231;

#define G(n, h, v) go_gauge(out, "go_memstats_" n, h, v)
#define C(n, h, v) go_counter(out, "go_memstats_" n, h, v)
    G("alloc_bytes", "Number of bytes allocated and still in use.",
      floor(rt->heap));
    C("alloc_bytes_total", "Total number of bytes allocated, even if freed.",
      floor(rt->total));
    G("buck_hash_sys_bytes", "Number of bytes used by the profiling bucket "
      "hash table.", 1460385);
    C("frees_total", "Total number of frees.", floor(rt->mallocs) - objects);
    G("gc_sys_bytes", "Number of bytes used for garbage collection system "
      "metadata.", 8846056);
    G("heap_alloc_bytes", "Number of heap bytes allocated and still in use.",
      floor(rt->heap));
    G("heap_idle_bytes", "Number of heap bytes waiting to be used.", idle);
    G("heap_inuse_bytes", "Number of heap bytes that are in use.", inuse);
    G("heap_objects", "Number of allocated objects.", objects);
    G("heap_released_bytes", "Number of heap bytes released to OS.",
      floor(idle * 0.65 / 8192) * 8192);
    G("heap_sys_bytes", "Number of heap bytes obtained from system.",
      rt->heap_sys);
    G("last_gc_time_seconds", "Number of seconds since 1970 of last garbage "
      "collection.", rt->last_gc);
    C("lookups_total", "Total number of pointer lookups.", 0);
    C("mallocs_total", "Total number of mallocs.", floor(rt->mallocs));
    G("mcache_inuse_bytes", "Number of bytes in use by mcache structures.",
      2400);
    G("mcache_sys_bytes", "Number of bytes used for mcache structures "
      "obtained from system.", 15600);
    G("mspan_inuse_bytes", "Number of bytes in use by mspan structures.",
      mspan);
    G("mspan_sys_bytes", "Number of bytes used for mspan structures obtained "
      "from system.", rt->mspan_sys);
    G("next_gc_bytes", "Number of heap bytes when next garbage collection "
      "will take place.", floor(rt->next_gc));
    G("other_sys_bytes", "Number of bytes used for other system "
      "allocations.", 1090231);
    G("stack_inuse_bytes", "Number of bytes in use by the stack allocator.",
      stack);
    G("stack_sys_bytes", "Number of bytes obtained from system for stack "
      "allocator.", rt->stack_sys);
    G("sys_bytes", "Number of bytes obtained from system.", sys);
#undef G
#undef C
    go_gauge(out, "go_threads", "Number of OS threads created.",
             rt->threads);
}

static void
rt_render_process(struct buf *out, const struct go_rt *rt, double start)
{
    double inuse = ceil((rt->heap + 1.2e6) / 8192) * 8192;
    double rss = ceil((inuse + rt->stack_sys + 6.5e6) / 4096) * 4096;

    go_counter(out, "process_cpu_seconds_total",
               "Total user and system CPU time spent in seconds.",
               floor(rt->cpu * 100) / 100);
    go_gauge(out, "process_max_fds",
             "Maximum number of open file descriptors.", 1048576);
    go_gauge(out, "process_open_fds",
             "Number of open file descriptors.", rt->fds);
    go_gauge(out, "process_resident_memory_bytes",
             "Resident memory size in bytes.", rss);
    go_gauge(out, "process_start_time_seconds",
             "Start time of the process since unix epoch in seconds.",
             floor(start * 100) / 100);
    go_gauge(out, "process_virtual_memory_bytes",
             "Virtual memory size in bytes.",
             715268096.0 + 67108864.0 * rt->threads);
    go_gauge(out, "process_virtual_memory_max_bytes",
             "Maximum amount of virtual memory available in bytes.",
             18446744073709551615.0);
}

static void
render_promhttp(struct buf *out, uint64_t scrapes)
{
    go_gauge(out, "promhttp_metric_handler_requests_in_flight",
             "Current number of scrapes being served.", 1);
    demo_family(out, "promhttp_metric_handler_requests_total", "counter",
                "Total number of scrapes by HTTP status code.");
    demo_sample(out, "promhttp_metric_handler_requests_total",
                "code=\"200\"", (double)scrapes, DEMO_NUM_GO);
    demo_sample(out, "promhttp_metric_handler_requests_total",
                "code=\"500\"", 0, DEMO_NUM_GO);
    demo_sample(out, "promhttp_metric_handler_requests_total",
                "code=\"503\"", 0, DEMO_NUM_GO);
}

/* A Go histogram: own labels (may be ""), then le; _sum and _count. */
static void
go_hist(struct buf *out, const char *name, const char *labels,
        const struct demo_hist *h)
{
    char key[160], lab[256];
    const char *sep = labels[0] != '\0' ? "," : "";

    snprintf(key, sizeof key, "%s_bucket", name);
    for (size_t i = 0; i <= h->n; i++) {
        struct buf le;

        buf_init(&le, 0);
        demo_num(&le, i < h->n ? h->le[i] : INFINITY, DEMO_NUM_GO);
        snprintf(lab, sizeof lab, "%s%sle=\"%s\"", labels, sep, buf_str(&le));
        buf_fini(&le);
        demo_sample(out, key, lab, (double)demo_hist_cum(h, i), DEMO_NUM_GO);
    }
    snprintf(key, sizeof key, "%s_sum", name);
    demo_sample(out, key, labels, h->sum, DEMO_NUM_GO);
    snprintf(key, sizeof key, "%s_count", name);
    demo_sample(out, key, labels, (double)h->count, DEMO_NUM_GO);
}

struct demo_gallery *
demo_gallery_new(int index, double wall, uint64_t seed)
{
    struct demo_gallery *g = xcalloc(1, sizeof *g);

    g->index = index;
    g->start = wall;
    g->rng = seed;
    rt_init(&g->rt, 1.9e6 + 0.2e6 * index, 9);
    g->rt.cpu = 0.04;       /* what starting up cost */
    demo_hist_init(&g->dur, go_buckets, NGO_BUCKETS);
    return g;
}

void
demo_gallery_free(struct demo_gallery *g)
{
    free(g);
}

/* Serves n requests: some fail waiting on the API, a few are 404s. */
static void
gallery_serve(struct demo_gallery *g, unsigned n, double err)
{
    for (unsigned i = 0; i < n; i++) {
        double u = demo_rng_unit(&g->rng), z = demo_rng_normal(&g->rng);
        double lat;

        if (u < err) {
            g->c500++;
            lat = 0.35 * exp(0.6 * z);
        } else if (u < err + 0.006) {
            g->c404++;
            lat = 0.0008 * exp(0.3 * z);
        } else {
            g->c200++;
            lat = 0.018 * exp(0.5 * z);
            if (demo_rng_unit(&g->rng) < 0.02)    /* a slow image */
                lat += 0.3 + 1.5 * demo_rng_unit(&g->rng);
        }
        demo_hist_observe(&g->dur, lat);
    }
}

void
demo_gallery_step(struct demo_gallery *g, const struct demo_world *w,
                  double dt)
{
    double ph = 2.1 * g->index;
    double rate = demo_traffic(w->t) / 3
                * (1 + 0.25 * sin(2 * M_PI * w->t / 90 + ph));
    double fl;

    gallery_serve(g, demo_take(&g->acc, rate * dt),
                  demo_error_ratio(w->t, g->index));
    fl = floor(rate * 0.06 + 1.5 + 1.5 * sin(2 * M_PI * w->t / 23 + ph));
    g->inflight = fl > 0 ? (int)fl : 0;
    g->rt.goroutines = 9 + g->inflight
                     + (int)lround(1.5 + 1.5 * sin(2 * M_PI * w->t / 41 + ph));
    g->rt.fds = 8 + g->inflight;
    g->rt.cpu += dt * (0.0015 + rate * 0.0006);
    rt_step(&g->rt, &g->rng, dt, 60e3 + rate * 45e3, w->wall);
}

void
demo_gallery_render(struct demo_gallery *g, const struct demo_world *w,
                    struct buf *out)
{
    (void)w;
    rt_render_gc(out, &g->rt, "go1.13.15");
    rt_render_memstats(out, &g->rt);
    go_gauge(out, "image_gallery_in_flight_requests",
             "Image Gallery - in-flight requests", g->inflight);
    demo_family(out, "image_gallery_request_duration_seconds", "histogram",
                "Image Gallery - request duration in seconds");
    go_hist(out, "image_gallery_request_duration_seconds", "method=\"get\"",
            &g->dur);
    demo_family(out, "image_gallery_requests_total", "counter",
                "Image Gallery - total requests");
    demo_sample(out, "image_gallery_requests_total",
                "code=\"200\",method=\"get\"", (double)g->c200, DEMO_NUM_GO);
    if (g->c404 > 0)    /* a label set appears on its first request */
        demo_sample(out, "image_gallery_requests_total",
                    "code=\"404\",method=\"get\"", (double)g->c404,
                    DEMO_NUM_GO);
    demo_sample(out, "image_gallery_requests_total",
                "code=\"500\",method=\"get\"", (double)g->c500, DEMO_NUM_GO);
    rt_render_process(out, &g->rt, g->start);
    render_promhttp(out, g->scrapes);
    g->scrapes++;
}

struct demo_docker *
demo_docker_new(int index, double wall, uint64_t seed)
{
    /* The daemon has been up two days: its counters have a history. */
    static const unsigned past[NACTIONS] = {1, 1, 11, 6, 13};
    static const double typical[NACTIONS] = {0.002, 0.004, 0.05, 0.03, 0.4};
    struct demo_docker *e = xcalloc(1, sizeof *e);

    (void)index;
    e->start = wall - 2 * 86400 - 11873;
    e->rng = seed;
    rt_init(&e->rt, 6.5e6, 187);
    e->rt.total = 4.91879396e8;
    e->rt.mallocs = 4498203;
    e->rt.cpu = 312.47;
    e->rt.ngc = 0;
    for (size_t a = 0; a < NACTIONS; a++) {
        demo_hist_init(&e->act[a], go_buckets, NGO_BUCKETS);
        for (unsigned i = 0; i < past[a]; i++)
            demo_hist_observe(&e->act[a], typical[a]
                              * exp(0.5 * demo_rng_normal(&e->rng)));
    }
    e->hc = 1286;
    e->hc_failed = 4;
    e->events = 412;
    e->scrapes = 1532;
    return e;
}

void
demo_docker_free(struct demo_docker *e)
{
    free(e);
}

void
demo_docker_step(struct demo_docker *e, const struct demo_world *w,
                 double dt)
{
    unsigned n;

    /* Three containers run health checks every 30 s; a few fail. */
    n = demo_take(&e->acc_hc, 3 * dt / 30);
    e->hc += n;
    e->events += 3 * (uint64_t)n;   /* exec_create, exec_start, exec_die */
    e->hc_failed += demo_take(&e->acc_fail,
                              dt * (0.004 + 0.1 * demo_error_ratio(w->t, 5)));
    if (w->down > e->prev_down)
        e->events += 2;             /* die, stop */
    if (w->down < e->prev_down) {   /* a replica came back */
        demo_hist_observe(&e->act[4],
                          0.4 * exp(0.3 * demo_rng_normal(&e->rng)));
        e->events += 2;             /* start, restart */
    }
    e->prev_down = w->down;
    e->rt.goroutines = 150 + 4 * (9 - w->down)
                     + (int)lround(3 * sin(2 * M_PI * w->t / 37));
    e->rt.fds = 100 + 2 * (9 - w->down);
    e->rt.cpu += dt * 0.0018;
    rt_step(&e->rt, &e->rng, dt, 3e5, w->wall);
}

static void
docker_render_engine(struct demo_docker *e, const struct demo_world *w,
                     struct buf *out)
{
    char lab[128];

    demo_family(out, "engine_daemon_container_actions_seconds", "histogram",
                "The number of seconds it takes to process each container "
                "action");
    for (size_t a = 0; a < NACTIONS; a++) {
        snprintf(lab, sizeof lab, "action=\"%s\"", docker_actions[a]);
        go_hist(out, "engine_daemon_container_actions_seconds", lab,
                &e->act[a]);
    }
    demo_family(out, "engine_daemon_container_states_containers", "gauge",
                "The count of containers in various states");
    demo_sample(out, "engine_daemon_container_states_containers",
                "state=\"paused\"", 0, DEMO_NUM_GO);
    demo_sample(out, "engine_daemon_container_states_containers",
                "state=\"running\"", 9 - w->down, DEMO_NUM_GO);
    demo_sample(out, "engine_daemon_container_states_containers",
                "state=\"stopped\"", 3 + w->down, DEMO_NUM_GO);
    go_gauge(out, "engine_daemon_engine_cpus_cpus", "The number of cpus "
             "that the host system of the engine has", 8);
    buf_puts(out,
             "# HELP engine_daemon_engine_info The information related to "
             "the engine and the OS it is running on\n"
             "# TYPE engine_daemon_engine_info gauge\n"
             "engine_daemon_engine_info{architecture=\"x86_64\","
             "commit=\"311b9ff\",daemon_id=\"6b5a6c2e-4f0e-4a1c-9d7b-"
             "2f2f4d8f1a93\",graphdriver=\"overlay2\",kernel=\"6.1.0-13-"
             "amd64\",os=\"Debian GNU/Linux 12 (bookworm)\","
             "os_type=\"linux\",os_version=\"12\",version=\"24.0.7\"} 1\n");
    go_gauge(out, "engine_daemon_engine_memory_bytes", "The number of bytes "
             "of memory that the host system of the engine has",
             1.662277632e10);
    go_gauge(out, "engine_daemon_events_subscribers_total",
             "The number of current subscribers to events", 1);
    go_counter(out, "engine_daemon_events_total",
               "The number of events logged", (double)e->events);
    go_counter(out, "engine_daemon_health_checks_failed_total",
               "The total number of failed health checks",
               (double)e->hc_failed);
    go_counter(out, "engine_daemon_health_checks_total",
               "The total number of health checks", (double)e->hc);
}

void
demo_docker_render(struct demo_docker *e, const struct demo_world *w,
                   struct buf *out)
{
    buf_puts(out,
             "# HELP builder_builds_failed_total Number of failed image "
             "builds\n# TYPE builder_builds_failed_total counter\n"
             "builder_builds_failed_total{reason=\"build_canceled\"} 2\n"
             "builder_builds_failed_total{reason=\"dockerfile_syntax_error\"}"
             " 3\n"
             "builder_builds_failed_total{reason=\"unknown_instruction_"
             "error\"} 1\n"
             "# HELP builder_builds_triggered_total Number of triggered "
             "image builds\n# TYPE builder_builds_triggered_total counter\n"
             "builder_builds_triggered_total 57\n");
    docker_render_engine(e, w, out);
    rt_render_gc(out, &e->rt, "go1.20.10");
    rt_render_memstats(out, &e->rt);
    go_counter(out, "logger_log_entries_size_greater_than_buffer_total",
               "Number of log entries which are larger than the log buffer",
               0);
    go_counter(out, "logger_log_read_operations_failed_total",
               "Number of log reads from container stdio that failed", 0);
    go_counter(out, "logger_log_write_operations_failed_total",
               "Number of log write operations that failed", 0);
    rt_render_process(out, &e->rt, e->start);
    render_promhttp(out, e->scrapes);
    e->scrapes++;
    go_gauge(out, "swarm_manager_leader",
             "Indicates if this manager node is a leader", 0);
    go_gauge(out, "swarm_node_manager",
             "Whether this node is a manager or not", 0);
}
