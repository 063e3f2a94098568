/*
 * Store benchmark: series shaped like real targets (instances of 100
 * series each: request counters by code and handler, latency histogram
 * buckets, gauges), 240 samples each at 15 s. At 213,000 series (the
 * scale benchmark's 200 targets) it runs an hour more under a one-hour
 * retention and measures selects and reads; at 1,000,000 it fills the
 * hour. Prints memory in bytes per series and per sample beside the
 * floor of the encoding (Gorilla's 1.37 bytes per sample), and append,
 * select and read figures. Then the scale benchmark's shape: 1,000
 * targets of 1,000 series every 10 s for two hours at a one-hour
 * retention, printing the store's bytes and the process's RSS every ten
 * simulated minutes (`bench_store farm [targets [minutes]]` runs that
 * alone, for two hours or as many minutes). `bench_store loop [targets
 * [minutes]]` times the store's maintenance as promdeck's loop runs it
 * on that farm (90 minutes by default): each call of store_trim,
 * store_drop_idle and malloc_trim, wall and CPU time, from the first
 * hour's end, and the store's memory every ten minutes. `bench_store
 * capture DIR...`
 * replays real scrapes instead: each DIR holds one target's /metrics
 * bodies, one file a scrape named by its time in ms, and it prints the
 * chunk bytes per sample of all their series, of the integer-valued ones
 * and of the rest. It prints figures only and asserts nothing about time.
 */
#include <dirent.h>
#include <malloc.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/duration.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "store/chunk.h"
#include "store/store.h"
#include "tests/bench/bench.h"

#define PER_TARGET 100
#define NSERIES    ((size_t)ntargets * PER_TARGET)
/* Gorilla's figure for real series: bytes per sample, with no index. */
#define FLOOR      1.37
#define STEP       15000LL
#define HOUR       3600000LL
#define T0         1700000000000LL

enum kind { COUNTER, BUCKET, GAUGE_INT, GAUGE_FLOAT };

struct gen {
    enum kind kind;
    double v;
    double rate;        /* mean step of a counter */
};

static uint64_t rng = 0x853c49e6748fea9bULL;
static int ntargets;
/* malloc's bytes in use before the store (the benchmark's own arrays). */
static double malloc_base;

static uint32_t
rnd(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33);
}

static long
rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;

    if (f == NULL)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
        rss = 0;
    fclose(f);
    return rss * 4096;
}

static const char *codes[] = { "200", "404", "500" };
static const char *handlers[] = {
    "/", "/api/v1/users", "/api/v1/orders", "/api/v1/items", "/login",
    "/logout", "/metrics", "/healthz", "/static", "/api/v1/search",
};
static const char *les[] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
    "+Inf",
};
static const char *jobs[] = { "api", "web", "worker" };

/* Creates series k of target tg and sets its value generator. */
static uint32_t
make_series(struct store *s, int tg, int k, struct gen *g)
{
    char inst[32], gname[32];
    struct label v[6];
    struct labels ls = { v, 0 };

    snprintf(inst, sizeof(inst), "10.%d.%d.%d:8080", tg / 65536,
             (tg / 256) % 256, tg % 256);
    v[ls.n++] = (struct label){ "instance", inst };
    v[ls.n++] = (struct label){ "job", jobs[tg % 3] };
    if (k < 30) {
        v[ls.n++] = (struct label){ "__name__", "http_requests_total" };
        v[ls.n++] = (struct label){ "code", codes[k % 3] };
        v[ls.n++] = (struct label){ "handler", handlers[k / 3] };
        *g = (struct gen){ COUNTER, rnd() % 100000, k % 3 ? 0.3 : 8 };
    } else if (k < 80) {
        v[ls.n++] = (struct label){ "__name__",
                                    "http_request_duration_seconds_bucket" };
        v[ls.n++] = (struct label){ "handler", handlers[(k - 30) / 10] };
        v[ls.n++] = (struct label){ "le", les[(k - 30) % 10] };
        *g = (struct gen){ BUCKET, rnd() % 50000, ((k - 30) % 10) * 0.6 };
    } else {
        snprintf(gname, sizeof(gname), "app_gauge_%d", k - 80);
        v[ls.n++] = (struct label){ "__name__", gname };
        *g = (k < 95) ? (struct gen){ GAUGE_INT, 50e6 + rnd() % 1000, 0 }
                      : (struct gen){ GAUGE_FLOAT, 0.5, 0 };
    }
    labels_sort(&ls);
    return store_series_id(s, &ls);
}

/* The next value: counters step by small random integers, gauges wander. */
static double
next_value(struct gen *g)
{
    switch (g->kind) {
    case COUNTER:
    case BUCKET:
        if (g->rate > 0 && rnd() % 100 < g->rate * 30)
            g->v += 1 + rnd() % (unsigned)(1 + g->rate * 2);
        break;
    case GAUGE_INT:
        if (rnd() % 4 == 0)
            g->v += 4096.0 * ((int)(rnd() % 21) - 10);
        break;
    case GAUGE_FLOAT:
        g->v += ((double)(rnd() % 2001) - 1000) / 1e5;
        break;
    }
    return g->v;
}

/* The high and low marks of the store's bytes over a run. */
struct marks {
    size_t hi, lo;
    long rss_hi;
};

static void
append_steps(struct store *s, const uint32_t *ids, struct gen *g,
             int64_t from, int64_t to, int gc_every, struct marks *mk)
{
    struct store_stats st;

    for (int64_t i = from; i < to; i++) {
        int64_t t = T0 + i * STEP;

        for (size_t k = 0; k < NSERIES; k++)
            store_append(s, ids[k], t + (int64_t)(k % 1000),
                         next_value(&g[k]));
        if (gc_every == 0 || i % gc_every != 0)
            continue;
        store_gc(s, t);
        store_trim(s, t);
        store_get_stats(s, &st);
        if (st.bytes > mk->hi)
            mk->hi = st.bytes;
        if (mk->lo == 0 || st.bytes < mk->lo)
            mk->lo = st.bytes;
        if (rss_bytes() > mk->rss_hi)
            mk->rss_hi = rss_bytes();
    }
}

/* What malloc hands out, as glibc counts it: its own headers and
 * rounding are in it, pages it holds free are not. */
static double
malloc_in_use(void)
{
#ifdef __GLIBC__
    struct mallinfo2 mi = mallinfo2();

    return (double)(mi.uordblks + mi.hblkhd);
#else
    return 0;
#endif
}

/* Where the bytes go: the index per series, the chunks per sample. */
static void
print_parts(const struct store_stats *st)
{
    double n = (double)st->series, k = (double)st->samples;

    printf("  index, bytes/series: series %.1f, labels %.1f, strings %.1f,"
           " postings %.1f, tables %.1f\n", st->series_bytes / n,
           st->label_bytes / n, st->string_bytes / n,
           st->postings_bytes / n, st->table_bytes / n);
    printf("  chunks: head %.1f bytes/series, sealed %.2f bytes/sample;"
           " chunks in all %.2f bytes/sample\n", st->head_bytes / n,
           st->sealed_bytes / k, (st->head_bytes + st->sealed_bytes) / k);
}

static void
print_memory(const char *what, struct store *s)
{
    struct store_stats st;

    store_get_stats(s, &st);
    printf("%s: %zu series, %zu samples, %zu chunks\n", what, st.series,
           st.samples, st.chunks);
    printf("  bytes held %.1f MB: %.2f bytes/sample, %.0f bytes/series"
           " (+%.1f MB spare; process RSS %.1f MB)\n",
           st.bytes / 1e6, (double)st.bytes / (double)st.samples,
           (double)st.bytes / (double)st.series, st.spare / 1e6,
           rss_bytes() / 1e6);
    print_parts(&st);
    /* Chunks live in mapped pages (sealed in the log, heads in the
     * pool), the rest on the heap. */
    printf("  on the heap: the store counts %.1f MB, malloc %.1f MB"
           " (its headers and rounding)\n",
           (st.bytes - st.sealed_bytes - st.head_bytes) / 1e6,
           (malloc_in_use() - malloc_base) / 1e6);
}

static int
cmp_sets(const void *a, const void *b)
{
    return labels_cmp(a, b);
}

/*
 * The labels of the selected series as a query builds them: every set
 * into one buffer (the store keeps sets as string ids and builds the
 * pairs on each call), then sorted. Returns the seconds that took.
 */
static double
selection_labels(struct store *s, const uint32_t *ids, size_t n)
{
    struct labels *sets = xcalloc(n + 1, sizeof(*sets));
    struct label *pairs = NULL;
    size_t cap = 0, len = 0;
    double t = time_mono_s();

    for (size_t i = 0; i < n; i++) {
        sets[i].n = store_series_labels(s, ids[i], &pairs, &cap, len);
        len += sets[i].n;
    }
    for (size_t i = 0, at = 0; i < n; at += sets[i++].n)
        sets[i].v = pairs + at;
    qsort(sets, n, sizeof(*sets), cmp_sets);
    t = time_mono_s() - t;
    free(pairs);
    free(sets);
    return t;
}

static void
bench_select(struct store *s, const char *label,
             const struct store_matcher *m, size_t n)
{
    uint32_t *ids;
    size_t got = 0;
    int reps = 20;
    double t = time_mono_s(), lt = 0;

    for (int i = 0; i < reps; i++) {
        got = store_select(s, m, n, &ids);
        free(ids);
    }
    t = time_mono_s() - t;
    for (int i = 0; i < 3; i++) {
        got = store_select(s, m, n, &ids);
        lt += selection_labels(s, ids, got);
        free(ids);
    }
    printf("  select %-48s %6zu series  %8.3f ms, their labels sorted"
           " %7.2f ms\n", label, got, t * 1e3 / reps, lt * 1e3 / 3);
}

static void
bench_selects(struct store *s)
{
    struct regex *api = regex_new("/api/.*", NULL);
    struct regex *http = regex_new("http_.*", NULL);
    struct store_matcher m1[] = {
        { STORE_EQ, "__name__", "http_requests_total", NULL },
    };
    struct store_matcher m2[] = {
        { STORE_EQ, "__name__", "http_requests_total", NULL },
        { STORE_EQ, "job", "api", NULL },
        { STORE_EQ, "code", "500", NULL },
    };
    struct store_matcher m3[] = {
        { STORE_RE, "__name__", "http_.*", http },
        { STORE_EQ, "instance", "10.0.1.44:8080", NULL },
    };
    struct store_matcher m4[] = {
        { STORE_EQ, "__name__", "http_requests_total", NULL },
        { STORE_RE, "handler", "/api/.*", api },
        { STORE_NEQ, "code", "200", NULL },
    };
    struct store_matcher m5[] = {
        { STORE_EQ, "__name__", "app_gauge_3", NULL },
        { STORE_NEQ, "le", "", NULL },
    };

    bench_select(s, "{__name__=\"http_requests_total\"}", m1, 1);
    bench_select(s, "http_requests_total{job=\"api\",code=\"500\"}", m2, 3);
    bench_select(s, "{__name__=~\"http_.*\",instance=\"10.0.1.44:8080\"}",
                 m3, 2);
    bench_select(s, "http_requests_total{handler=~\"/api/.*\",code!=\"200\"}",
                 m4, 3);
    bench_select(s, "app_gauge_3{le!=\"\"}", m5, 2);
    regex_free(api);
    regex_free(http);
}

static void
bench_reads(struct store *s, const uint32_t *ids, int64_t end)
{
    struct sample *buf = NULL, last;
    size_t cap = 0, total = 0;
    double t = time_mono_s();

    for (size_t k = 0; k < NSERIES; k += 10)
        total += store_read(s, ids[k], end - HOUR, end, &buf, &cap);
    t = time_mono_s() - t;
    printf("  store_read 1 h window, %zu series: %zu samples in %.3f s"
           " (%.1f M samples/s)\n", NSERIES / 10, total, t, total / t / 1e6);
    total = 0;
    t = time_mono_s();
    for (size_t k = 0; k < NSERIES; k += 10)
        total += store_read(s, ids[k], end - 5 * 60000, end, &buf, &cap);
    t = time_mono_s() - t;
    printf("  store_read 5 m window, %zu series: %zu samples in %.3f s"
           " (%.2f us/series)\n", NSERIES / 10, total, t,
           t * 1e6 / (NSERIES / 10));
    t = time_mono_s();
    for (size_t k = 0; k < NSERIES; k++)
        store_last(s, ids[k], end, &last);
    t = time_mono_s() - t;
    printf("  store_last at the head, all series: %.3f s (%.0f ns each)\n",
           t, t * 1e9 / NSERIES);
    t = time_mono_s();
    for (size_t k = 0; k < NSERIES; k++)
        store_last(s, ids[k], end - 40 * 60000, &last);
    t = time_mono_s() - t;
    printf("  store_last 40 min back, all series: %.3f s (%.0f ns each)\n",
           t, t * 1e9 / NSERIES);
    free(buf);
}

/* Creates the series, then looks each up again by its labels. */
static void
bench_create(struct store *s, uint32_t *ids, struct gen *g)
{
    double t = time_mono_s();

    for (int tg = 0; tg < ntargets; tg++) {
        for (int k = 0; k < PER_TARGET; k++)
            ids[tg * PER_TARGET + k] = make_series(s, tg, k,
                                                   &g[tg * PER_TARGET + k]);
    }
    t = time_mono_s() - t;
    printf("created %zu series in %.3f s (%.0f ns each)\n", NSERIES, t,
           t * 1e9 / NSERIES);
    t = time_mono_s();
    for (int tg = 0; tg < ntargets; tg++) {
        struct gen dummy;

        for (int k = 0; k < PER_TARGET; k++)
            make_series(s, tg, k, &dummy);
    }
    t = time_mono_s() - t;
    printf("looked up %zu existing series by labels: %.0f ns each\n",
           NSERIES, t * 1e9 / NSERIES);
}

/*
 * The memory summary: the index (series, labels, postings, strings,
 * table) per series, the chunks per sample, and all of it per sample
 * beside the floor.
 */
static void
print_split(const char *what, const struct store *s, size_t index_bytes)
{
    struct store_stats st;

    store_get_stats(s, &st);
    printf("%s, %zu series x %zu samples: index %.0f bytes/series,"
           " chunks %.2f bytes/sample, in all %.2f bytes/sample"
           " (%.2fx the %.2f floor), %.0f bytes/series\n", what, st.series,
           st.samples / st.series, (double)index_bytes / (double)st.series,
           (double)(st.bytes - index_bytes) / (double)st.samples,
           (double)st.bytes / (double)st.samples,
           (double)st.bytes / (double)st.samples / FLOOR, FLOOR,
           (double)st.bytes / (double)st.series);
}

/* The first hour; with steady, an hour more with retention trimming
 * each minute. */
static void
bench_appends(struct store *s, const uint32_t *ids, struct gen *g,
              struct marks *mk, bool steady)
{
    struct store_stats st;
    size_t index_bytes;
    double t;

    store_get_stats(s, &st);
    index_bytes = st.bytes;
    t = time_mono_s();
    append_steps(s, ids, g, 0, 240, 0, mk);
    t = time_mono_s() - t;
    printf("appended %zu samples in %.3f s: %.2f M appends/s"
           " (%.0f ns each)\n", NSERIES * 240, t, NSERIES * 240 / t / 1e6,
           t * 1e9 / (NSERIES * 240.0));
    printf("  at 70k samples/s (1M series, 15 s) that is %.2f%% of a core\n",
           70000 * t / (NSERIES * 240.0) * 100);
    print_memory("after 1 h", s);
    print_split("memory after 1 h", s, index_bytes);
    if (!steady)
        return;
    t = time_mono_s();
    append_steps(s, ids, g, 240, 480, 4, mk);
    t = time_mono_s() - t;
    printf("steady state: 1 h more with store_gc every minute: %.3f s\n",
           t);
    print_memory("after 2 h, 1 h retention", s);
    print_split("memory after 2 h at 1 h retention", s, index_bytes);
    printf("  over that hour the store held %.1f to %.1f MB"
           " (%.0f to %.0f bytes/series), process RSS peak %.1f MB\n",
           mk->lo / 1e6, mk->hi / 1e6, (double)mk->lo / NSERIES,
           (double)mk->hi / NSERIES, mk->rss_hi / 1e6);
    t = time_mono_s();
    store_gc(s, T0 + 480 * STEP);
    printf("  store_gc over %zu series dropping a chunk each: %.1f ms\n",
           NSERIES, (time_mono_s() - t) * 1e3);
    t = time_mono_s();
    store_gc(s, T0 + 480 * STEP + 1000);
    printf("  store_gc over %zu series with nothing to drop: %.1f ms\n",
           NSERIES, (time_mono_s() - t) * 1e3);
}

/* One store of targets x 100 series; full: the second hour, selects and
 * reads too. */
static void
run(int targets, bool full)
{
    struct store *s = store_new(HOUR, 0);
    struct marks mk = { 0, 0, 0 };
    uint32_t *ids;
    struct gen *g;
    long base;

    ntargets = targets;
    printf("-- %zu series\n", NSERIES);
    ids = xcalloc(NSERIES, sizeof(*ids));
    g = xcalloc(NSERIES, sizeof(*g));
    /* What the process holds before the store has anything. */
    memset(ids, 0, NSERIES * sizeof(*ids));
    memset(g, 0, NSERIES * sizeof(*g));
    base = rss_bytes();
    malloc_base = malloc_in_use();
    bench_create(s, ids, g);
    bench_appends(s, ids, g, &mk, full);
    if (rss_bytes() > mk.rss_hi)
        mk.rss_hi = rss_bytes();
    if (full) {
        bench_selects(s);
        bench_reads(s, ids, T0 + 479 * STEP + 1000);
    }
    printf("process RSS before this store: %.1f MB; the store's share of"
           " the peak: %.1f MB (%.0f bytes/series)\n", base / 1e6,
           (mk.rss_hi - base) / 1e6, (double)(mk.rss_hi - base) / NSERIES);
    free(ids);
    free(g);
    store_free(s);
}

/* --- the farm's shape ------------------------------------------------------ */

/*
 * Series shaped like the scale benchmark's target farm: per target the
 * first FARM_APP series of the application (counters and histogram
 * buckets, as above) and the rest synthetic counters that grow by
 * floor(rate * seconds), rate 0.05 to 1 per second. Targets are scraped
 * every 10 s, each at its own offset inside the interval, and every
 * scrape of a target carries one timestamp, as the scraper writes them.
 */
#define FARM_PER_TARGET 1000
#define FARM_APP        64
#define FARM_STEP       10000LL
#define FARM_MINUTE     (60000 / FARM_STEP)
#define FARM_REPORT     (10 * FARM_MINUTE)

static uint32_t
make_farm_series(struct store *s, int tg, int k, struct gen *g)
{
    char inst[32], id[16], shard[8];
    struct label v[5];
    struct labels ls = { v, 0 };

    if (k < FARM_APP)
        return make_series(s, tg, k, g);
    snprintf(inst, sizeof(inst), "127.0.%d.%d:9100", tg / 256, tg % 256);
    snprintf(id, sizeof(id), "%05d", k - FARM_APP);
    snprintf(shard, sizeof(shard), "%d", (k - FARM_APP) % 16);
    v[ls.n++] = (struct label){ "__name__", "app_synthetic_total" };
    v[ls.n++] = (struct label){ "id", id };
    v[ls.n++] = (struct label){ "instance", inst };
    v[ls.n++] = (struct label){ "job", "farm" };
    v[ls.n++] = (struct label){ "shard", shard };
    labels_sort(&ls);
    /* v holds the target's start offset in seconds, rate its rate. */
    *g = (struct gen){ COUNTER, (double)(tg % 600),
                       0.05 + ((tg + k) % 20) * 0.05 };
    return store_series_id(s, &ls);
}

static double
farm_value(struct gen *g, int k, int64_t step)
{
    if (k < FARM_APP)
        return next_value(g);
    return floor(g->rate * (g->v + (double)step * FARM_STEP / 1000.0));
}

/* Every series of the farm's targets, created at once as a first
 * scrape of each creates them. */
static void
farm_create(struct store *s, int targets, uint32_t *ids, struct gen *g)
{
    for (int tg = 0; tg < targets; tg++) {
        for (int k = 0; k < FARM_PER_TARGET; k++) {
            size_t i = (size_t)tg * FARM_PER_TARGET + k;

            ids[i] = make_farm_series(s, tg, k, &g[i]);
        }
    }
}

/* One target's scrape at t. */
static void
farm_scrape(struct store *s, const uint32_t *ids, struct gen *g, int tg,
            int64_t t, int64_t step)
{
    for (int k = 0; k < FARM_PER_TARGET; k++) {
        size_t i = (size_t)tg * FARM_PER_TARGET + k;

        store_append(s, ids[i], t, farm_value(&g[i], k, step));
    }
}

/* What a stretch of the run held: the store's bytes and the process's
 * RSS, highest and lowest at the gc runs in it. */
struct span {
    size_t hi, lo;
    long rss_hi, rss_lo;
};

static void
span_add(struct span *sp, size_t bytes, long rss)
{
    if (bytes > sp->hi)
        sp->hi = bytes;
    if (sp->lo == 0 || bytes < sp->lo)
        sp->lo = bytes;
    if (rss > sp->rss_hi)
        sp->rss_hi = rss;
    if (sp->rss_lo == 0 || rss < sp->rss_lo)
        sp->rss_lo = rss;
}

/*
 * Two hours of the farm at a one-hour retention, store_gc every minute,
 * as promdeck's loop runs it; every ten simulated minutes, the store's
 * bytes and the process's RSS, lowest and highest at the gc runs in
 * those minutes, and the bytes per sample held.
 */
static void
run_farm(int targets, int minutes)
{
    size_t nseries = (size_t)targets * FARM_PER_TARGET;
    struct store *s = store_new(HOUR, 0);
    struct span all = { 0, 0, 0, 0 }, hour2 = { 0, 0, 0, 0 };
    struct span sp = { 0, 0, 0, 0 };
    struct store_stats st;
    uint32_t *ids = xcalloc(nseries, sizeof(*ids));
    struct gen *g = xcalloc(nseries, sizeof(*g));
    double gc_max = 0, t_all = time_mono_s(), t_append = 0;
    long base;

    base = rss_bytes();
    printf("-- the farm's shape: %d targets x %d series, every %lld s,"
           " 1 h retention, store_gc every minute, %d min\n", targets,
           FARM_PER_TARGET, FARM_STEP / 1000, minutes);
    farm_create(s, targets, ids, g);
    printf("  min  store MB (lo-hi)   B/sample  x floor   RSS MB (lo-hi)"
           "   samples/series\n");
    for (int64_t step = 0; step < minutes * FARM_MINUTE; step++) {
        int64_t t0 = T0 + step * FARM_STEP;
        double ta = time_mono_s();

        for (int tg = 0; tg < targets; tg++) {
            farm_scrape(s, ids, g, tg, t0 + (int64_t)tg * FARM_STEP
                                       / targets, step);
        }
        t_append += time_mono_s() - ta;
        if ((step + 1) % FARM_MINUTE == 0) {
            double t = time_mono_s();

            store_gc(s, t0 + FARM_STEP - 1);
            store_trim(s, t0 + FARM_STEP - 1);
#ifdef __GLIBC__
            malloc_trim(0);     /* as promdeck's loop does after gc */
#endif
            t = time_mono_s() - t;
            gc_max = t > gc_max ? t : gc_max;
            store_get_stats(s, &st);
            span_add(&sp, st.bytes, rss_bytes());
            span_add(&all, st.bytes, rss_bytes());
            if (step >= 60 * FARM_MINUTE)
                span_add(&hour2, st.bytes, rss_bytes());
        }
        if ((step + 1) % FARM_REPORT == 0) {
            printf("  %3lld  %5.0f - %5.0f      %5.2f    %5.2fx   %5.0f - %5.0f"
                   "      %5.0f\n", (long long)((step + 1) / FARM_MINUTE),
                   sp.lo / 1e6, sp.hi / 1e6,
                   (double)st.bytes / (double)st.samples,
                   (double)st.bytes / (double)st.samples / FLOOR,
                   sp.rss_lo / 1e6, sp.rss_hi / 1e6,
                   (double)st.samples / (double)st.series);
            sp = (struct span){ 0, 0, 0, 0 };
        }
    }
    printf("  appends (the values' generation included): %.0f ns each\n",
           t_append * 1e9 / ((double)nseries * minutes * FARM_MINUTE));
    print_memory("  at the end", s);
    if (minutes > 60)
        printf("  the second hour (the plateau): store %.0f - %.0f MB,"
               " RSS %.0f - %.0f MB\n", hour2.lo / 1e6, hour2.hi / 1e6,
               hour2.rss_lo / 1e6, hour2.rss_hi / 1e6);
    printf("  peak: store %.0f MB, RSS %.0f MB (%.0f MB before the store)\n",
           all.hi / 1e6, all.rss_hi / 1e6, base / 1e6);
    printf("  slowest store_gc (and malloc_trim) %.0f ms; the whole run"
           " %.0f s\n",
           gc_max * 1e3, time_mono_s() - t_all);
    free(ids);
    free(g);
    store_free(s);
}

/* --- the loop's units of store maintenance ------------------------------- */

/*
 * The farm as promdeck's loop keeps its store: a pass every PASS_MS of
 * simulated time lands the scrapes due in it and calls store_trim,
 * except that once a simulated second the loop is busy for LONG_PASS_MS
 * (a frame's evaluation, bodies landing together) and the pass after
 * it has that long to make up; store_gc and malloc_trim once a minute.
 * Each call is timed on the wall clock, and in CPU time, which leaves
 * out what other processes on a shared machine took: the loop reads
 * keys only between such units, so the longest of them is the most a
 * key waits for store maintenance.
 */
#define PASS_MS         10
#define LONG_PASS_MS    250

/* The durations of one kind of unit, in seconds: wall, CPU. */
struct units {
    double *d[2];
    size_t n, cap;
};

/* A unit begins: its clocks now. */
static void
unit_start(double at[2])
{
    at[0] = time_mono_s();
    at[1] = bench_cpu_s();
}

static void
unit_end(struct units *u, const double at[2], bool counted)
{
    double wall = time_mono_s() - at[0], cpu = bench_cpu_s() - at[1];

    if (!counted)
        return;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 4096;
        u->d[0] = xreallocarray(u->d[0], u->cap, sizeof(double));
        u->d[1] = xreallocarray(u->d[1], u->cap, sizeof(double));
    }
    u->d[0][u->n] = wall;
    u->d[1][u->n++] = cpu;
}

/* A line for each clock: calls, median, p99, p99.9, max, calls over
 * 5 ms, total. */
static void
units_print(const char *what, struct units *u)
{
    static const char *const clock[2] = { "wall", "cpu" };

    for (int k = 0; k < 2; k++) {
        double *d = u->d[k], sum = 0;
        size_t n = u->n, over = 0;

        if (n == 0) {
            printf("  %-16s %-4s no calls\n", what, clock[k]);
            continue;
        }
        qsort(d, n, sizeof(*d), bench_cmp_double);
        for (size_t i = 0; i < n; i++) {
            sum += d[i];
            over += d[i] > 0.005;
        }
        printf("  %-16s %-4s %8zu %8.3f %8.3f %8.3f %8.3f %6zu %9.0f\n",
               what, clock[k], n, d[n / 2] * 1e3, d[n * 99 / 100] * 1e3,
               d[n * 999 / 1000] * 1e3, d[n - 1] * 1e3, over, sum * 1e3);
        free(d);
    }
    *u = (struct units){ { NULL, NULL }, 0, 0 };
}

/* A pass: the store's slice of trimming, timed (if counted), and the
 * passes that come at once after it while it says work is left, as
 * promdeck's loop does not wait then. Returns the passes that came
 * back for more. */
static size_t
loop_trim(struct store *s, int64_t now, struct units *u, bool counted)
{
    size_t again = 0;
    bool more;

    do {
        double at[2];

        unit_start(at);
        more = store_trim(s, now);
        unit_end(u, at, counted);
        again += more;
    } while (more);
    return again;
}

/* The minute's garbage collection, store and heap timed apart. */
static void
loop_gc(struct store *s, int64_t now, struct units *gc, struct units *heap,
        bool counted)
{
    double at[2];

    unit_start(at);
    store_drop_idle(s, now);
    unit_end(gc, at, counted);
#ifdef __GLIBC__
    unit_start(at);
    malloc_trim(0);
    unit_end(heap, at, counted);
#else
    (void)heap;
#endif
}

/*
 * Memory every ten simulated minutes: the store's bytes, its spare (the
 * heads' room and the chunk log's holes, which only this mode's
 * slice-by-slice retention makes) and the process's RSS.
 */
static void
loop_report(struct store *s, int64_t minute)
{
    struct store_stats st;

    store_get_stats(s, &st);
    if (minute == FARM_REPORT / FARM_MINUTE)
        printf("  min  store MB  spare MB  RSS MB  samples/series\n");
    printf("  %3lld    %6.0f    %6.0f  %6.0f      %5.0f\n", (long long)minute,
           st.bytes / 1e6, st.spare / 1e6, rss_bytes() / 1e6,
           (double)st.samples / (double)st.series);
}

static void
run_loop(int targets, int minutes)
{
    size_t nseries = (size_t)targets * FARM_PER_TARGET;
    struct store *s = store_new(HOUR, 0);
    uint32_t *ids = xcalloc(nseries, sizeof(*ids));
    struct gen *g = xcalloc(nseries, sizeof(*g));
    struct units trim = { { NULL, NULL }, 0, 0 }, gc = trim, heap = trim;
    size_t again = 0;
    /* Measured once retention has something to drop. */
    int64_t from = minutes > 60 ? 60 * FARM_MINUTE : 0;
    double t_all = time_mono_s();

    printf("-- the loop's store maintenance: %d targets x %d series, every"
           " %lld s, 1 h retention, %d min; a pass every %d ms, one a"
           " second %d ms late; units from minute %lld\n", targets,
           FARM_PER_TARGET, FARM_STEP / 1000, minutes, PASS_MS,
           LONG_PASS_MS, (long long)(from / FARM_MINUTE));
    farm_create(s, targets, ids, g);
    for (int64_t step = 0; step < minutes * FARM_MINUTE; step++) {
        int64_t t0 = T0 + step * FARM_STEP;
        int tg = 0;

        for (int64_t ms = 0; ms < FARM_STEP; ms += PASS_MS) {
            for (; tg < targets
                   && (int64_t)tg * FARM_STEP / targets < ms + PASS_MS; tg++)
                farm_scrape(s, ids, g, tg,
                            t0 + (int64_t)tg * FARM_STEP / targets, step);
            if (ms % 1000 >= LONG_PASS_MS)
                again += loop_trim(s, t0 + ms + PASS_MS - 1, &trim,
                                   step >= from);
        }
        if ((step + 1) % FARM_MINUTE == 0)
            loop_gc(s, t0 + FARM_STEP - 1, &gc, &heap, step >= from);
        if ((step + 1) % FARM_REPORT == 0)
            loop_report(s, (step + 1) / FARM_MINUTE);
    }
    printf("  %-21s %8s %8s %8s %8s %8s %6s %9s\n", "unit (ms)", "calls",
           "median", "p99", "p99.9", "max", ">5ms", "total");
    units_print("store_trim", &trim);
    units_print("store_drop_idle", &gc);
    units_print("malloc_trim(0)", &heap);
    printf("  passes that came back at once for work left: %zu\n", again);
    print_memory("  at the end", s);
    printf("  the whole run %.0f s\n", time_mono_s() - t_all);
    free(ids);
    free(g);
    store_free(s);
}

/* --- real scrapes --------------------------------------------------------- */

/* One series of a capture: its key (name and labels as written) and its
 * value in each scrape, NaN where a scrape lacked it. */
struct cap_series {
    char *key;
    double *v;
    bool integral;      /* every value an integer */
};

struct capture {
    struct cap_series *s;
    size_t n, cap;
    size_t nscrapes;
    int64_t *t;
};

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The series with this key, added with NaN values if new (linear: a
 * target's scrapes list their series in the same order, so the search
 * starts where the last one ended). */
static struct cap_series *
cap_find(struct capture *c, const char *key, size_t len, size_t *hint)
{
    for (size_t k = 0; k < c->n; k++) {
        size_t i = (*hint + k) % c->n;

        if (strlen(c->s[i].key) == len
            && memcmp(c->s[i].key, key, len) == 0) {
            *hint = i + 1;
            return &c->s[i];
        }
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->s = xreallocarray(c->s, c->cap, sizeof(*c->s));
    }
    c->s[c->n].key = xstrndup(key, len);
    c->s[c->n].v = xcalloc(c->nscrapes, sizeof(double));
    for (size_t j = 0; j < c->nscrapes; j++)
        c->s[c->n].v[j] = NAN;
    c->s[c->n].integral = true;
    *hint = c->n + 1;
    return &c->s[c->n++];
}

/* Reads one scrape's body: "key value" lines, the key up to the last
 * '}' or the first blank; comments and blank lines skipped. */
static void
cap_read(struct capture *c, const char *path, size_t scrape)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    size_t hint = 0;

    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL) {
        char *end = strrchr(line, '}'), *val, *stop;
        struct cap_series *cs;
        double v;

        if (line[0] == '#' || line[0] == '\n')
            continue;
        end = end != NULL ? end + 1 : strchr(line, ' ');
        if (end == NULL)
            continue;
        val = end + strspn(end, " ");
        v = strtod(val, &stop);
        if (stop == val)
            continue;
        cs = cap_find(c, line, (size_t)(end - line), &hint);
        cs->v[scrape] = v;
        if (v != trunc(v) || !isfinite(v))
            cs->integral = false;
    }
    fclose(f);
}

/* Empties ch, which has all the room a chunk may have: the sample and
 * byte caps bind as in the store, and no append needs more room. */
static void
empty_chunk(struct chunk *ch)
{
    memset(ch, 0, sizeof(*ch) + CHUNK_MAX_BYTES);
    ch->cap = CHUNK_MAX_BYTES;
}

/* The bits per sample of the chosen series' chunks, their data alone:
 * what the encoding costs, without chunk headers and unused bytes. With
 * regular set, the scrapes' timestamps are put on a grid of their mean
 * step, so the values' cost shows alone. */
static double
cap_bits(const struct capture *c, int integral, bool regular)
{
    int64_t step = c->nscrapes > 1 ? (c->t[c->nscrapes - 1] - c->t[0])
                                     / (int64_t)(c->nscrapes - 1) : 0;
    struct chunk *ch = xmalloc(sizeof(*ch) + CHUNK_MAX_BYTES);
    size_t bits = 0, n = 0;

    for (size_t i = 0; i < c->n; i++) {
        struct chunk_enc e;

        if (integral >= 0 && c->s[i].integral != (integral == 1))
            continue;
        empty_chunk(ch);
        memset(&e, 0, sizeof(e));
        for (size_t j = 0; j < c->nscrapes; j++) {
            if (isnan(c->s[i].v[j]))
                continue;
            if (chunk_full(ch)) {
                bits += ch->nbits;
                n += ch->n;
                empty_chunk(ch);
            }
            (void)chunk_append(ch, &e, regular ? c->t[0]
                                               + (int64_t)j * step
                                               : c->t[j], c->s[i].v[j]);
        }
        bits += ch->nbits;
        n += ch->n;
    }
    free(ch);
    return n > 0 ? (double)bits / (double)n : 0;
}

/* Appends the series chosen (integral or not) to a fresh store and
 * prints their chunk bytes per sample. */
static void
cap_store(const struct capture *c, const char *what, int integral)
{
    struct store *s = store_new(0, 0);
    struct store_stats st;
    size_t nseries = 0;

    for (size_t i = 0; i < c->n; i++) {
        struct label l[1] = { { "__name__", c->s[i].key } };
        struct labels ls = { l, 1 };
        uint32_t id;

        if (integral >= 0 && c->s[i].integral != (integral == 1))
            continue;
        id = store_series_id(s, &ls);
        nseries++;
        for (size_t j = 0; j < c->nscrapes; j++)
            if (!isnan(c->s[i].v[j]))
                store_append(s, id, c->t[j], c->s[i].v[j]);
    }
    store_get_stats(s, &st);
    if (st.samples > 0)
        printf("  %-15s %4zu series %6zu samples: %5.2f bits/sample"
               " encoded (%5.2f on a regular grid), chunks %4.2f"
               " bytes/sample\n", what, nseries, st.samples,
               cap_bits(c, integral, false), cap_bits(c, integral, true),
               (double)(st.head_bytes + st.sealed_bytes)
               / (double)st.samples);
    store_free(s);
}

/* Replays the scrapes in dir, in the order of their names. */
static void
run_capture(const char *dir)
{
    struct capture c = { 0 };
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL, path[4096];
    size_t n = 0, cap = 0;

    if (d == NULL) {
        printf("%s: cannot open\n", dir);
        return;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = xreallocarray(names, cap, sizeof(*names));
        }
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_names);
    c.nscrapes = n;
    c.t = xcalloc(n ? n : 1, sizeof(*c.t));
    for (size_t j = 0; j < n; j++) {
        c.t[j] = strtoll(names[j], NULL, 10);
        snprintf(path, sizeof(path), "%s/%s", dir, names[j]);
        cap_read(&c, path, j);
    }
    printf("-- %s: %zu scrapes\n", dir, n);
    cap_store(&c, "all series", -1);
    cap_store(&c, "integer-valued", 1);
    cap_store(&c, "float-valued", 0);
    for (size_t i = 0; i < c.n; i++) {
        free(c.s[i].key);
        free(c.s[i].v);
    }
    for (size_t j = 0; j < n; j++)
        free(names[j]);
    free(names);
    free(c.s);
    free(c.t);
}

/* Argument i as a number from 1 to max, or def when absent or out of
 * range. */
static int
arg_int(int argc, char **argv, int i, long max, int def)
{
    long v = argc > i ? strtol(argv[i], NULL, 10) : def;

    return v > 0 && v <= max ? (int)v : def;
}

/* With no argument: the store at 213,000 and 1,000,000 series, then the
 * farm's shape at 1,000 targets; "farm [targets [minutes]]": that one
 * only; "loop [targets [minutes]]": the store's upkeep as the TUI's
 * loop runs it; "capture DIR...": real scrapes kept in DIR; a number of
 * farm targets, 1 to 10,000: the store at as many series as they hold
 * (200: 213,000, the full run) and the farm's shape at them. */
int
main(int argc, char **argv)
{
    long n = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "farm") == 0) {
        run_farm(arg_int(argc, argv, 2, 10000, 1000),
                 arg_int(argc, argv, 3, 24 * 60, 120));
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "loop") == 0) {
        run_loop(arg_int(argc, argv, 2, 10000, 1000),
                 arg_int(argc, argv, 3, 24 * 60, 90));
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "capture") == 0) {
        for (int i = 2; i < argc; i++)
            run_capture(argv[i]);
        return 0;
    }
    if (argc > 1)
        n = strtol(argv[1], NULL, 10);
    if (n > 0 && n <= 10000) {
        /* The farm's targets hold 1,065 series each (2130 of 100). */
        run((int)(n * 2130 / 200), n <= 200);
        run_farm((int)n, 120);
        return 0;
    }
    run(2130, true);
    run(10000, false);
    run_farm(1000, 120);
    return 0;
}
