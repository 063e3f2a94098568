/*
 * The simulated iotd-api: a Spring Boot app that serves NASA's image of
 * the day from a cache, seen through Micrometer. Traffic fills G1's Eden
 * space until a young collection empties it; loads from NASA are slow,
 * cached ones fast. It models the numbers a dashboard shows, not the JVM.
 */
#include "src/demo/demo_jvm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "src/demo/demo_expo.h"
#include "src/demo/demo_sim.h"

#define MIB 1048576.0

/* Micrometer's TimeWindowMax: the largest value of the last ~2 minutes. */
struct winmax {
    double v[3];
    int cur;
    double rotated;     /* world time of the last rotation */
};

struct timer {
    uint64_t count;
    double sum;
    struct winmax max;
};

/* ORDER http_series: the server histogram's label sets */
enum { H_IMAGE, H_SCRAPE, H_FAILED, H_NOTFOUND, H_COUNT };
static const char *const http_labels[H_COUNT] = {
    "exception=\"None\",method=\"GET\",status=\"200\",uri=\"/image\",",
    "exception=\"None\",method=\"GET\",status=\"200\","
    "uri=\"/actuator/prometheus\",",
    "exception=\"NullPointerException\",method=\"GET\",status=\"500\","
    "uri=\"/image\",",
    "exception=\"None\",method=\"GET\",status=\"404\",uri=\"/**\",",
};

struct demo_iotd {
    double start;
    uint64_t rng;
    double acc_req, acc_404;
    double cache_until;         /* world time the cached image expires */
    uint64_t load_ok, load_cached, load_failed, req200, req500;
    struct timer timed_ok, timed_err, gc;
    struct demo_hist http[H_COUNT];
    struct winmax http_max[H_COUNT];
    double eden, survivor, old, meta, code;     /* pool usage, bytes */
    double allocated, promoted;                 /* counters, bytes */
    int busy, current, peak;
    double shrink_at;           /* when an idle Tomcat thread may end */
    uint64_t info, warn, error;
    double classes, cpu, sent;
};

/*
 * Micrometer's percentile histogram bounds for a timer expected between
 * 1 ms and 30 s: its fixed ladder (each power of 4 ns split in thirds of
 * the power below) cut to that range, with the two ends added.
 */
static double mm_le[DEMO_HIST_MAX];
static size_t mm_n;

static void
micrometer_buckets(void)
{
    const double lo = 1e6, hi = 30e9;   /* nanoseconds */

    if (mm_n > 0)
        return;
    mm_le[mm_n++] = lo / 1e9;
    for (int exp = 2; exp < 64; exp += 2) {
        long long cur = 1LL << exp, delta = cur / 3;
        long long next = (cur << 2) - delta;

        for (; cur < next; cur += delta)
            if ((double)cur > lo && (double)cur < hi
                && mm_n < DEMO_HIST_MAX - 1)
                mm_le[mm_n++] = (double)cur / 1e9;
        if ((double)cur >= hi)
            break;
    }
    mm_le[mm_n++] = hi / 1e9;
}

static void
winmax_record(struct winmax *m, double v)
{
    for (int i = 0; i < 3; i++)
        if (v > m->v[i])
            m->v[i] = v;
}

static void
winmax_tick(struct winmax *m, double t)
{
    if (t - m->rotated < 40)
        return;
    m->v[m->cur] = 0;
    m->cur = (m->cur + 1) % 3;
    m->rotated = t;
}

static void
timer_record(struct timer *tm, double v)
{
    tm->count++;
    tm->sum += v;
    winmax_record(&tm->max, v);
}

/* One request for the image: from the cache, from NASA, or a failure. */
static void
iotd_request(struct demo_iotd *s, double t, double err)
{
    double u = demo_rng_unit(&s->rng), z = demo_rng_normal(&s->rng);
    double lat;

    if (u < err) {
        lat = 0.08 * exp(0.4 * z);
        s->load_failed++;
        s->req500++;
        s->error++;
        timer_record(&s->timed_err, lat);
        demo_hist_observe(&s->http[H_FAILED], lat + 0.001);
        winmax_record(&s->http_max[H_FAILED], lat + 0.001);
        return;
    }
    if (t >= s->cache_until) {
        lat = 0.45 * exp(0.3 * z);
        s->load_ok++;
        s->cache_until = t + 300 + 120 * demo_rng_unit(&s->rng);
    } else {
        lat = 0.0025 * exp(0.35 * z);
        s->load_cached++;
    }
    s->req200++;
    s->info++;
    s->sent += 420;
    timer_record(&s->timed_ok, lat);
    demo_hist_observe(&s->http[H_IMAGE], lat + 0.0008);
    winmax_record(&s->http_max[H_IMAGE], lat + 0.0008);
}

struct demo_iotd *
demo_iotd_new(int index, double wall, uint64_t seed)
{
    struct demo_iotd *s = xcalloc(1, sizeof *s);

    (void)index;
    micrometer_buckets();
    s->start = floor(wall * 1000) / 1000;
    s->rng = seed;
    for (int i = 0; i < H_COUNT; i++)
        demo_hist_init(&s->http[i], mm_le, mm_n);
    s->eden = 8 * MIB;
    s->survivor = 4 * MIB;
    s->old = 19 * MIB;
    s->meta = 51.5 * MIB;
    s->code = 11.2 * MIB;
    s->current = s->peak = 10;
    s->classes = 10850;
    s->info = 27;       /* Spring's start-up banner and friends */
    s->warn = 1;
    /* The health check at start-up loads the first image from NASA. */
    iotd_request(s, 0, 0);
    return s;
}

void
demo_iotd_free(struct demo_iotd *s)
{
    free(s);
}

/* Allocation fills Eden; a young collection empties it into the rest. */
static void
iotd_memory(struct demo_iotd *s, double dt, double rate)
{
    double pause, z = demo_rng_normal(&s->rng);

    s->eden += (250e3 + rate * 180e3) * dt;
    if (s->eden >= 40 * MIB) {
        double up = 0.3 * MIB + 0.6 * MIB * demo_rng_unit(&s->rng);

        s->allocated += s->eden;
        s->promoted += up;
        s->old += up;
        s->eden = 0;
        s->survivor = MIB * (2 + floor(3 * demo_rng_unit(&s->rng)));
        if (s->old > 27 * MIB)      /* a mixed collection */
            s->old = 17 * MIB + 2 * MIB * demo_rng_unit(&s->rng);
        pause = 0.012 * exp(0.4 * z);
        timer_record(&s->gc, pause);
        s->cpu += 0.05;
    }
    if (s->meta < 53.5 * MIB)
        s->meta += 2000 * dt;
    if (s->code < 12 * MIB)
        s->code += 400 * dt;
    if (s->classes < 11050)
        s->classes += 0.2 * dt;
}

/* Tomcat adds threads under load and retires idle ones after a minute. */
static void
iotd_threads(struct demo_iotd *s, double t, double rate)
{
    s->busy = (int)floor(rate * 0.01 + 1.3 * demo_rng_unit(&s->rng));
    if (s->busy < 1)
        s->busy = 1;
    if (s->current < 10 + (int)(rate / 2) && s->current < 200) {
        s->current++;
        s->shrink_at = t + 60;
    } else if (t >= s->shrink_at && s->current > 10) {
        s->current--;
        s->shrink_at = t + 60;
    }
    if (s->current + 17 > s->peak)
        s->peak = s->current + 17;
}

void
demo_iotd_step(struct demo_iotd *s, const struct demo_world *w, double dt)
{
    double rate = 0.9 * demo_traffic(w->t);
    double err = 0.4 * demo_error_ratio(w->t, 4);
    unsigned n = demo_take(&s->acc_req, rate * dt);

    for (unsigned i = 0; i < n; i++)
        iotd_request(s, w->t, err);
    /* Now and then someone probes a path that does not exist. */
    if (demo_take(&s->acc_404, dt / 90) > 0) {
        demo_hist_observe(&s->http[H_NOTFOUND], 0.004);
        s->warn++;
    }
    iotd_memory(s, dt, rate);
    iotd_threads(s, w->t, rate);
    s->cpu = s->cpu * exp(-dt / 10) + (0.0015 + rate * 0.0004) * dt / 10;
    winmax_tick(&s->timed_ok.max, w->t);
    winmax_tick(&s->timed_err.max, w->t);
    winmax_tick(&s->gc.max, w->t);
    for (int i = 0; i < H_COUNT; i++)
        winmax_tick(&s->http_max[i], w->t);
}

static void
jv(struct buf *out, const char *name, const char *labels, double v)
{
    demo_sample(out, name, labels, v, DEMO_NUM_JAVA);
}

/* A family of one unlabelled sample. */
static void
jv1(struct buf *out, const char *name, const char *type, const char *help,
    double v)
{
    demo_family(out, name, type, help);
    jv(out, name, NULL, v);
}

/* A family of one sample labelled name="http-nio-80". */
static void
jvtomcat(struct buf *out, const char *name, const char *type, double v)
{
    demo_family(out, name, type, "");
    jv(out, name, "name=\"http-nio-80\",", v);
}

/* ORDER pools: G1's and the code cache's memory pools */
static const struct {
    const char *labels;
    double committed, max;
} pools[] = {
    {"area=\"heap\",id=\"G1 Eden Space\",", 48234496, -1},
    {"area=\"heap\",id=\"G1 Old Gen\",", 31457280, 262144000},
    {"area=\"heap\",id=\"G1 Survivor Space\",", 4194304, -1},
    {"area=\"nonheap\",id=\"CodeHeap 'non-nmethods'\",", 2555904, 5836800},
    {"area=\"nonheap\",id=\"Metaspace\",", 55574528, -1},
    {"area=\"nonheap\",id=\"CodeHeap 'profiled nmethods'\",", 11862016,
     122908672},
    {"area=\"nonheap\",id=\"Compressed Class Space\",", 7602176,
     1073741824},
    {"area=\"nonheap\",id=\"CodeHeap 'non-profiled nmethods'\",", 3473408,
     122912768},
};
#define NPOOLS (sizeof pools / sizeof pools[0])

/* 0 committed, 1 max, 2 used; used is counted in G1's 1 MiB regions. */
static void
jvm_pools(struct buf *out, const struct demo_iotd *s, int which)
{
    const double used[NPOOLS] = {
        floor(s->eden / MIB) * MIB, floor(s->old / MIB) * MIB, s->survivor,
        1249408, floor(s->meta / 4096) * 4096, floor(s->code / 128) * 128,
        6715392, 3436032,
    };
    static const char *const names[] = {
        "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
        "jvm_memory_used_bytes"
    };
    static const char *const helps[] = {
        "The amount of memory in bytes that is committed for the Java "
        "virtual machine to use",
        "The maximum amount of memory in bytes that can be used for memory "
        "management",
        "The amount of used memory"
    };

    demo_family(out, names[which], "gauge", helps[which]);
    for (size_t i = 0; i < NPOOLS; i++)
        jv(out, names[which], pools[i].labels,
           which == 0 ? pools[i].committed
           : which == 1 ? pools[i].max : used[i]);
}

static void
jvm_threads(struct buf *out, const struct demo_iotd *s)
{
    static const char *const st[] = {
        "runnable", "blocked", "waiting", "timed-waiting", "new",
        "terminated"
    };
    int live = s->current + 17;
    const double n[] = {10, 0, live - 15, 5, 0, 0};
    char lab[40];

    demo_family(out, "jvm_threads_states_threads", "gauge",
                "The current number of threads having NEW state");
    for (size_t i = 0; i < 6; i++) {
        snprintf(lab, sizeof lab, "state=\"%s\",", st[i]);
        jv(out, "jvm_threads_states_threads", lab, n[i]);
    }
}

static void
iotd_app_counters(struct buf *out, const struct demo_iotd *s)
{
    demo_family(out, "iotd_api_image_load_total", "counter", "");
    jv(out, "iotd_api_image_load_total", "status=\"success\",",
       (double)s->load_ok);
    jv(out, "iotd_api_image_load_total", "status=\"cached\",",
       (double)s->load_cached);
    if (s->load_failed > 0)
        jv(out, "iotd_api_image_load_total", "status=\"failed\",",
           (double)s->load_failed);
    demo_family(out, "iotd_api_image_requests_total", "counter",
                "Image of the Day API - image requests");
    jv(out, "iotd_api_image_requests_total", "status=\"200\",",
       (double)s->req200);
    if (s->req500 > 0)
        jv(out, "iotd_api_image_requests_total", "status=\"500\",",
           (double)s->req500);
}

static void
jvm_gc(struct buf *out, const struct demo_iotd *s)
{
    const char *lab = "action=\"end of minor GC\","
                      "cause=\"G1 Evacuation Pause\",";

    demo_family(out, "jvm_gc_pause_seconds", "summary",
                "Time spent in GC pause");
    jv(out, "jvm_gc_pause_seconds_count", lab, (double)s->gc.count);
    jv(out, "jvm_gc_pause_seconds_sum", lab, s->gc.sum);
    demo_family(out, "jvm_gc_pause_seconds_max", "gauge",
                "Time spent in GC pause");
    jv(out, "jvm_gc_pause_seconds_max", lab, s->gc.max.v[s->gc.max.cur]);
}

/* The @Timed method: a summary plus a _max gauge, per exception. */
static void
iotd_timed(struct buf *out, const struct demo_iotd *s)
{
    const char *ok = "class=\"iotd.ImageController\",exception=\"none\","
                     "method=\"get\",";
    const char *bad = "class=\"iotd.ImageController\","
                      "exception=\"NullPointerException\",method=\"get\",";

    demo_family(out, "method_timed_seconds", "summary", " ");
    jv(out, "method_timed_seconds_count", ok, (double)s->timed_ok.count);
    jv(out, "method_timed_seconds_sum", ok, s->timed_ok.sum);
    if (s->timed_err.count > 0) {
        jv(out, "method_timed_seconds_count", bad,
           (double)s->timed_err.count);
        jv(out, "method_timed_seconds_sum", bad, s->timed_err.sum);
    }
    demo_family(out, "method_timed_seconds_max", "gauge", " ");
    jv(out, "method_timed_seconds_max", ok,
       s->timed_ok.max.v[s->timed_ok.max.cur]);
    if (s->timed_err.count > 0)
        jv(out, "method_timed_seconds_max", bad,
           s->timed_err.max.v[s->timed_err.max.cur]);
}

/* One label set of the server histogram; le comes after the tags. */
static void
iotd_http_series(struct buf *out, const struct demo_hist *h,
                 const char *labels)
{
    struct buf lab;

    buf_init(&lab, 0);
    for (size_t i = 0; i <= h->n; i++) {
        buf_reset(&lab);
        buf_printf(&lab, "%sle=\"", labels);
        demo_num(&lab, i < h->n ? h->le[i] : INFINITY, DEMO_NUM_JAVA);
        buf_puts(&lab, "\",");
        jv(out, "http_server_requests_seconds_bucket", buf_str(&lab),
           (double)demo_hist_cum(h, i));
    }
    buf_fini(&lab);
    jv(out, "http_server_requests_seconds_count", labels, (double)h->count);
    jv(out, "http_server_requests_seconds_sum", labels, h->sum);
}

static void
iotd_http(struct buf *out, const struct demo_iotd *s)
{
    demo_family(out, "http_server_requests_seconds", "histogram", " ");
    for (int i = 0; i < H_COUNT; i++)
        if (s->http[i].count > 0)   /* timers appear on first use */
            iotd_http_series(out, &s->http[i], http_labels[i]);
    demo_family(out, "http_server_requests_seconds_max", "gauge", " ");
    for (int i = 0; i < H_COUNT; i++)
        if (s->http[i].count > 0)
            jv(out, "http_server_requests_seconds_max", http_labels[i],
               s->http_max[i].v[s->http_max[i].cur]);
}

/* The first half of the families, in Micrometer's hash-map order. */
static void
iotd_render_a(struct demo_iotd *s, const struct demo_world *w,
              struct buf *out)
{
    jvm_threads(out, s);
    iotd_app_counters(out, s);
    demo_family(out, "jvm_buffer_memory_used_bytes", "gauge", "An estimate "
                "of the memory that the Java virtual machine is using for "
                "this buffer pool");
    jv(out, "jvm_buffer_memory_used_bytes", "id=\"mapped\",", 0);
    jv(out, "jvm_buffer_memory_used_bytes", "id=\"direct\",", 81920);
    jvm_pools(out, s, 0);
    jv1(out, "jvm_gc_memory_promoted_bytes_total", "counter", "Count of "
        "positive increases in the size of the old generation memory pool "
        "before GC to after GC", floor(s->promoted));
    jvtomcat(out, "tomcat_threads_busy_threads", "gauge", s->busy);
    jv1(out, "process_files_open_files", "gauge",
        "The open file descriptor count", 29 + s->busy);
    jvm_gc(out, s);
    jv1(out, "system_cpu_usage", "gauge",
        "The \"recent cpu usage\" for the whole system",
        0.07 + 0.03 * sin(w->t / 50));
    jv1(out, "jvm_threads_daemon_threads", "gauge",
        "The current number of live daemon threads", s->current + 13);
    jv1(out, "jvm_gc_memory_allocated_bytes_total", "counter", "Incremented "
        "for an increase in the size of the young generation memory pool "
        "after one GC to before the next", floor(s->allocated));
    jv1(out, "jvm_classes_loaded_classes", "gauge", "The number of classes "
        "that are currently loaded in the Java virtual machine",
        floor(s->classes));
    demo_family(out, "jvm_buffer_count_buffers", "gauge",
                "An estimate of the number of buffers in the pool");
    jv(out, "jvm_buffer_count_buffers", "id=\"mapped\",", 0);
    jv(out, "jvm_buffer_count_buffers", "id=\"direct\",", 10);
    jvm_pools(out, s, 2);
    jvtomcat(out, "tomcat_global_sent_bytes_total", "counter", s->sent);
    jv1(out, "system_cpu_count", "gauge", "The number of processors "
        "available to the Java virtual machine", 2);
    jvtomcat(out, "tomcat_threads_current_threads", "gauge", s->current);
    jvtomcat(out, "tomcat_global_error_total", "counter",
             (double)s->req500);
    jv1(out, "process_start_time_seconds", "gauge",
        "Start time of the process since unix epoch.", s->start);
}

static void
iotd_render_b(struct demo_iotd *s, const struct demo_world *w,
              struct buf *out)
{
    demo_family(out, "logback_events_total", "counter", "Number of error "
                "level events that made it to the logs");
    jv(out, "logback_events_total", "level=\"warn\",", (double)s->warn);
    jv(out, "logback_events_total", "level=\"debug\",", 0);
    jv(out, "logback_events_total", "level=\"error\",", (double)s->error);
    jv(out, "logback_events_total", "level=\"trace\",", 0);
    jv(out, "logback_events_total", "level=\"info\",", (double)s->info);
    jv1(out, "jvm_threads_peak_threads", "gauge", "The peak live thread "
        "count since the Java virtual machine started or peak was reset",
        s->peak);
    jv1(out, "process_uptime_seconds", "gauge",
        "The uptime of the Java virtual machine",
        floor((w->wall - s->start) * 1000) / 1000);
    jv1(out, "system_load_average_1m", "gauge", "The sum of the number of "
        "runnable entities queued to available processors and the number "
        "of runnable entities running on the available processors averaged "
        "over a period of time", 0.6 + 0.25 * sin(w->t / 80));
    jvm_pools(out, s, 1);
    jv1(out, "process_cpu_usage", "gauge", "The \"recent cpu usage\" for "
        "the Java Virtual Machine process", s->cpu);
    jv1(out, "jvm_threads_live_threads", "gauge", "The current number of "
        "live threads including both daemon and non-daemon threads",
        s->current + 17);
    jvtomcat(out, "tomcat_threads_config_max_threads", "gauge", 200);
    jv1(out, "jvm_gc_max_data_size_bytes", "gauge",
        "Max size of old generation memory pool", 262144000);
    jv1(out, "process_files_max_files", "gauge",
        "The maximum file descriptor count", 1048576);
    iotd_timed(out, s);
    iotd_http(out, s);
}

void
demo_iotd_render(struct demo_iotd *s, const struct demo_world *w,
                 struct buf *out)
{
    double lat = 0.01 * exp(0.4 * demo_rng_normal(&s->rng));

    iotd_render_a(s, w, out);
    iotd_render_b(s, w, out);
    /* The scrape itself is timed once the response is written. */
    demo_hist_observe(&s->http[H_SCRAPE], lat);
    winmax_record(&s->http_max[H_SCRAPE], lat);
}
