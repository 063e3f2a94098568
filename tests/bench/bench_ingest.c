/*
 * Ingest benchmark: the scrape path without HTTP, body text through the
 * exposition parser, the series cache and relabelling (commit_stage)
 * and the commit into the store (commit_scrape), as scrape/pool.c runs
 * it for each finished transfer. Bodies are shaped like the scale
 * benchmark's target farm: 1,064 series per target, 1,000 of them one
 * counter family with two labels, the rest request counters, a latency
 * histogram and Go runtime gauges. Prints nanoseconds per sample for
 * each stage, with every line's labels parsed and the way promdeck
 * scrapes (labels skipped for series texts the cache knows); it asserts
 * nothing about time. Times are the process's CPU time, not the wall
 * clock: on a shared machine a run that waits for a core would
 * otherwise count the other programs' time as its own.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/cache.h"
#include "scrape/commit.h"
#include "scrape/expo.h"
#include "scrape/relabel.h"
#include "scrape/target.h"
#include "src/base/arena.h"
#include "src/base/buf.h"
#include "store/store.h"
#include "tests/bench/bench.h"

#define SYNTHETIC  1000
#define INTERVAL   5000LL
#define T0         1700000000000LL
/* Bodies arrive in pieces of this size, as curl hands them over. */
#define PIECE      16384

static const char *const handlers[] = { "/", "/api/images", "/healthz" };
static const char *const les[] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
    "5", "10", "+Inf",
};

/* Target tg's body at scrape k: counters grow, gauges wander. */
static void
make_body(struct buf *b, int tg, int k)
{
    static const char *const codes[] = { "200", "404", "500" };
    static const char *const gauges[] = {
        "go_goroutines", "go_threads", "go_memstats_alloc_bytes",
        "go_memstats_heap_inuse_bytes", "go_memstats_stack_inuse_bytes",
        "process_resident_memory_bytes", "process_open_fds",
    };
    int n = 0;

    buf_reset(b);
    buf_printf(b, "# HELP app_requests_total Requests handled.\n"
                "# TYPE app_requests_total counter\n");
    for (size_t h = 0; h < 3; h++)
        for (size_t c = 0; c < 3; c++, n++)
            buf_printf(b, "app_requests_total{code=\"%s\",handler=\"%s\","
                     "method=\"get\"} %d\n", codes[c], handlers[h],
                     (tg + n) * 10 + k * (int)(7 - 3 * c));
    buf_printf(b, "# TYPE app_request_duration_seconds histogram\n");
    for (size_t h = 0; h < 3; h++) {
        for (size_t l = 0; l < 12; l++)
            buf_printf(b, "app_request_duration_seconds_bucket{handler="
                     "\"%s\",le=\"%s\"} %d\n", handlers[h], les[l],
                     (int)(l + 1) * (k + tg % 7));
        buf_printf(b, "app_request_duration_seconds_sum{handler=\"%s\"} "
                 "%.4f\n", handlers[h], k * 0.0371 + (double)h);
        buf_printf(b, "app_request_duration_seconds_count{handler=\"%s\"} "
                 "%d\n", handlers[h], 12 * (k + tg % 7));
    }
    for (size_t g = 0; g < sizeof(gauges) / sizeof(gauges[0]); g++)
        buf_printf(b, "# TYPE %s gauge\n%s %.6g\n", gauges[g], gauges[g],
                 1e6 * (double)(g + 1) + (k * 4096 + tg) % 65536);
    buf_printf(b, "# HELP app_synthetic_total Synthetic series.\n"
                "# TYPE app_synthetic_total counter\n");
    for (int i = 0; i < SYNTHETIC; i++)
        buf_printf(b, "app_synthetic_total{id=\"%05d\",shard=\"%d\"} %d\n", i,
                 i % 8, i % 3 == 0 ? i : i + k * (1 + i % 5));
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

static int
count_only(void *ctx, const struct expo_sample *s)
{
    (void)s;
    ++*(size_t *)ctx;
    return 0;
}

/* Feeds body to p in curl-sized pieces; 0 when it parsed. */
static int
feed(struct expo *p, const struct buf *body, struct diag *d)
{
    for (size_t off = 0; off < body->len; off += PIECE) {
        size_t n = body->len - off < PIECE ? body->len - off : PIECE;

        if (expo_feed(p, body->data + off, n, d) != 0)
            return -1;
    }
    return expo_finish(p, d);
}

struct farm {
    struct store *st;
    struct scrape_pool pool;
    struct target *t;
    struct label (*tl)[2];
    char (*inst)[32];
    int n;
    double parse_s, commit_s;
    size_t samples;
    bool skip_labels;       /* as scrape/pool.c: cached series skip them */
};

static void
farm_init(struct farm *f, int n)
{
    memset(f, 0, sizeof(*f));
    f->n = n;
    f->st = store_new(3600000, 0);
    f->pool.st = f->st;
    f->pool.scratch = arena_new();
    f->pool.lb = relabel_builder_new();
    f->t = calloc((size_t)n, sizeof(*f->t));
    f->tl = calloc((size_t)n, sizeof(*f->tl));
    f->inst = calloc((size_t)n, sizeof(*f->inst));
    for (int i = 0; i < n; i++) {
        struct target *t = &f->t[i];

        snprintf(f->inst[i], sizeof(f->inst[i]), "127.0.0.1:%d", 20000 + i);
        f->tl[i][0] = (struct label){ "instance", f->inst[i] };
        f->tl[i][1] = (struct label){ "job", "targetfarm" };
        t->pool = &f->pool;
        t->ident.labels.v = f->tl[i];
        t->ident.labels.n = 2;
        commit_synth_ids(t);
    }
}

static void
farm_fini(struct farm *f)
{
    for (int i = 0; i < f->n; i++) {
        commit_forget(&f->t[i]);
        free(f->t[i].series.prev);
    }
    arena_free(f->pool.scratch);
    relabel_builder_free(f->pool.lb);
    store_free(f->st);
    free(f->t);
    free(f->tl);
    free(f->inst);
}

/* Scrape k of every target, as the pool runs one: stage, then commit. */
static void
farm_scrape(struct farm *f, int k, struct buf *body)
{
    for (int i = 0; i < f->n; i++) {
        struct target *t = &f->t[i];
        struct target_stage *g = &t->stage;
        struct expo_sink sink = { .ctx = t, .sample = commit_stage,
                                  .skip_labels = f->skip_labels,
                                  .expect = commit_expect };
        double a, b;

        make_body(body, i, k);
        a = bench_cpu_s();
        commit_begin(t);
        t->xfer.start_ms = T0 + k * INTERVAL + i * INTERVAL / f->n;
        g->parser = expo_new(EXPO_TEXT, &sink, 1 << 20);
        if (feed(g->parser, body, &g->pdiag) != 0)
            g->parse_failed = true;
        commit_error(t, NULL);
        b = bench_cpu_s();
        commit_scrape(t, t->status.last_error[0] == '\0', true, 0.1);
        f->samples += expo_count(g->parser) + SYN_COUNT;
        commit_end(t);
        t->status.scrapes++;
        f->parse_s += b - a;
        f->commit_s += bench_cpu_s() - b;
    }
}

static void
parse_alone(struct buf *body)
{
    size_t n = 0, reps = 200;
    struct expo_sink sink = { .ctx = &n, .sample = count_only };
    struct diag d;
    double t;

    make_body(body, 0, 1);
    t = bench_cpu_s();
    for (size_t r = 0; r < reps; r++) {
        struct expo *p = expo_new(EXPO_TEXT, &sink, 1 << 20);

        feed(p, body, &d);
        expo_free(p);
    }
    t = bench_cpu_s() - t;
    printf("parse alone (text 0.0.4, %zu-byte body): %.0f ns/sample\n",
           body->len, t * 1e9 / (double)n);
}

static void
run(int targets, int scrapes, struct buf *body, bool skip_labels)
{
    struct farm f;
    struct store_stats st;
    size_t cache_total = 0;

    farm_init(&f, targets);
    f.skip_labels = skip_labels;
    printf("%s:\n", skip_labels ? "as promdeck scrapes (a cached series "
           "text skips its labels)" : "every line's labels parsed and "
           "checked");
    farm_scrape(&f, 0, body);
    printf("%d targets, first scrape (creates the series): %.0f ns/sample"
           " (stage %.0f, commit %.0f)\n", targets,
           (f.parse_s + f.commit_s) * 1e9 / (double)f.samples,
           f.parse_s * 1e9 / (double)f.samples,
           f.commit_s * 1e9 / (double)f.samples);
    f.parse_s = f.commit_s = 0;
    f.samples = 0;
    for (int k = 1; k <= scrapes; k++)
        farm_scrape(&f, k, body);
    store_get_stats(f.st, &st);
    printf("%d targets, %zu series, %d scrapes more: %.0f ns/sample"
           " (parse and stage %.0f, commit %.0f)\n", targets, st.series,
           scrapes, (f.parse_s + f.commit_s) * 1e9 / (double)f.samples,
           f.parse_s * 1e9 / (double)f.samples,
           f.commit_s * 1e9 / (double)f.samples);
    printf("  at %d targets every 5 s that is %.1f%% of a core\n", targets,
           (f.parse_s + f.commit_s) / scrapes / 5.0 * 100);
    for (int i = 0; i < f.n; i++)
        cache_total += cache_bytes(&f.t[i].series.cache);
    printf("  memory: store %.0f bytes/series (%zu samples each; %.0f more"
           " held spare), series caches %.0f bytes/series; process RSS"
           " %.1f MB\n", (double)st.bytes / (double)st.series,
           st.samples / st.series, (double)st.spare / (double)st.series,
           (double)cache_total / (double)st.series, rss_bytes() / 1e6);
    farm_fini(&f);
}

int
main(int argc, char **argv)
{
    int targets = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 200;
    int scrapes = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 12;
    struct buf body;

    buf_init(&body, 0);
    parse_alone(&body);
    run(targets, scrapes, &body, false);
    run(targets, scrapes, &body, true);
    buf_fini(&body);
    return 0;
}
