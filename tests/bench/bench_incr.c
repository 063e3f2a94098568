/*
 * The cost of one dashboard frame refresh, full against incremental
 * (query/incr.h): a store of N series (targets of 100 series each,
 * scraped every 15 s at their own offsets, 70 minutes of history), a
 * five-panel dashboard over a 15 minute and a 1 hour range (200 steps
 * each, the grid ending at the last step at or before now), and 30
 * frames one second apart with each second's scrapes appended between
 * them. Prints, per size and range, the full evaluation's frame time
 * and the incremental one's (mean, median, slowest) and the speed-up.
 *
 * usage: bench_incr [SERIES...]   (default: 10000 100000)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/incr.h"
#include "query/query.h"
#include "src/base/xalloc.h"
#include "store/store.h"
#include "tests/bench/bench.h"

#define PER_TARGET  100
#define INTERVAL    15000LL
#define HISTORY     (70 * 60000LL)
#define FRAMES      30
#define FULL_EVERY  6           /* frames between timed full evaluations */
#define NOW0        1700000000000LL

static const char *const panels[] = {
    "sum by (code) (rate(http_requests_total[1m]))",
    "sum(rate(http_requests_total{code=\"500\"}[5m])) / "
    "sum(rate(http_requests_total[5m]))",
    "histogram_quantile(0.95, sum by (le) "
    "(rate(http_request_duration_seconds_bucket[5m])))",
    "max by (handler) (rate(http_requests_total[5m]))",
    "rate(http_requests_total[1m])",
};
#define NPANELS (sizeof(panels) / sizeof(panels[0]))

/* A simulated fleet: its series ids by target, and where its scrapes
 * stand. */
struct fleet {
    struct store *st;
    uint32_t *id;           /* PER_TARGET ids per target */
    size_t ntargets;
    int64_t done;           /* scrapes up to this time are appended */
};

/* Target j's series: 50 request counters (10 handlers x 5 codes) and 50
 * latency buckets (5 handlers x 10 bounds). */
static void
make_series(struct fleet *f, size_t j)
{
    static const char *const codes[] = { "200", "201", "404", "500", "503" };
    static const char *const les[] = { "0.005", "0.01", "0.025", "0.05",
        "0.1", "0.25", "0.5", "1", "2.5", "+Inf" };
    char inst[32], h[16];
    struct label v[4];
    struct labels ls = { v, 4 };

    snprintf(inst, sizeof(inst), "10.0.%zu.%zu:9100", j / 250, j % 250);
    for (size_t k = 0; k < PER_TARGET; k++) {
        bool req = k < 50;

        snprintf(h, sizeof(h), "h%zu", req ? k / 5 : (k - 50) / 10);
        v[0] = (struct label){ "__name__", req ? "http_requests_total"
                               : "http_request_duration_seconds_bucket" };
        v[1] = (struct label){ req ? "code" : "handler",
                               req ? codes[k % 5] : h };
        v[2] = (struct label){ req ? "handler" : "instance",
                               req ? h : inst };
        v[3] = (struct label){ req ? "instance" : "le",
                               req ? inst : les[(k - 50) % 10] };
        labels_sort(&ls);
        f->id[j * PER_TARGET + k] = store_series_id(f->st, &ls);
    }
}

/* Target j's scrape offset inside the interval. */
static int64_t
offset_of(size_t j)
{
    return (int64_t)(j * 7919 % INTERVAL);
}

/* Appends every scrape that has finished by now (300 ms after it
 * started, with the start as its timestamp). */
static void
scrape_until(struct fleet *f, int64_t now)
{
    int64_t from = f->done;

    for (size_t j = 0; j < f->ntargets; j++) {
        int64_t off = offset_of(j);
        int64_t t = from - (from - off) % INTERVAL;

        for (t = t <= from ? t + INTERVAL : t; t + 300 <= now;
             t += INTERVAL) {
            for (size_t k = 0; k < PER_TARGET; k++) {
                uint32_t id = f->id[j * PER_TARGET + k];
                double v = (double)((t - NOW0 + HISTORY) / INTERVAL) *
                           (double)(1 + (id % 7) * (k < 50 ? 1 : k % 10));

                store_append(f->st, id, t, v);
            }
        }
    }
    f->done = now - 300;
}

/* One frame: every panel over the grid; returns seconds. */
static double
frame(struct fleet *f, struct query **q, struct qincr **inc,
      struct qcache *cache, int64_t now, int64_t range, size_t *evaluated,
      size_t *steps)
{
    /* The dashboard's step: range / 200 rounded up to a second. */
    int64_t step = (range / 200 + 999) / 1000 * 1000;
    int64_t end = now / step * step;
    double t0 = bench_cpu_s();
    struct qincr_stats s;
    struct diag d;

    qcache_clear(cache);
    *steps = 0;
    for (size_t i = 0; i < NPANELS; i++) {
        struct qresult *r = inc != NULL
            ? qincr_range(inc[i], q[i], f->st, cache, end - range, end, step,
                          NULL, &d)
            : qeval_range_cached(q[i], f->st, cache, end - range, end, step,
                                 &d);

        if (r == NULL) {
            fprintf(stderr, "%s: %s\n", panels[i], d.msg);
            exit(1);
        }
        qresult_free(r);
        if (inc != NULL) {
            qincr_last(inc[i], &s);
            *evaluated += s.evaluated;
            *steps += s.steps;
        }
    }
    return bench_cpu_s() - t0;
}

/* Runs FRAMES frames at one range; prints the figures. */
static void
run_range(struct fleet *f, struct query **q, int64_t range, size_t nseries)
{
    struct qcache *cache = qcache_new(256u << 20);
    struct qincr *inc[NPANELS];
    double full[FRAMES], incr[FRAMES], sum = 0;
    int64_t now = f->done + 300;
    size_t nfull = 0, evaluated = 0, steps = 0, all = 0;

    for (size_t i = 0; i < NPANELS; i++)
        inc[i] = qincr_new();
    frame(f, q, inc, cache, now, range, &evaluated, &steps);
    evaluated = 0;
    for (int k = 0; k < FRAMES; k++) {
        now += 1000;
        scrape_until(f, now);
        incr[k] = frame(f, q, inc, cache, now, range, &evaluated, &steps);
        sum += incr[k];
        all += steps;
        if (k % FULL_EVERY == 0)
            full[nfull++] = frame(f, q, NULL, cache, now, range, NULL,
                                  &steps);
    }
    qsort(full, nfull, sizeof(*full), bench_cmp_double);
    qsort(incr, FRAMES, sizeof(*incr), bench_cmp_double);
    printf("%7zu series, %2lld min range: full %8.2f ms/frame; "
           "incremental mean %7.3f ms, median %7.3f, slowest %7.2f "
           "(%zu of %zu steps evaluated); speed-up %.0fx\n", nseries,
           (long long)(range / 60000), full[nfull / 2] * 1e3,
           sum / FRAMES * 1e3, incr[FRAMES / 2] * 1e3,
           incr[FRAMES - 1] * 1e3, evaluated, all,
           full[nfull / 2] / (sum / FRAMES));
    for (size_t i = 0; i < NPANELS; i++)
        qincr_free(inc[i]);
    qcache_free(cache);
}

static void
run_size(size_t nseries, struct query **q)
{
    struct fleet f = {0};
    double t0 = bench_cpu_s();

    f.ntargets = (nseries + PER_TARGET - 1) / PER_TARGET;
    f.st = store_new(2 * HISTORY, 0);
    f.id = xcalloc(f.ntargets * PER_TARGET, sizeof(*f.id));
    for (size_t j = 0; j < f.ntargets; j++)
        make_series(&f, j);
    f.done = NOW0 - HISTORY;
    scrape_until(&f, NOW0);
    printf("%zu series, %lld min of history loaded in %.1f s\n",
           f.ntargets * PER_TARGET, (long long)(HISTORY / 60000),
           bench_cpu_s() - t0);
    run_range(&f, q, 15 * 60000, f.ntargets * PER_TARGET);
    run_range(&f, q, 60 * 60000, f.ntargets * PER_TARGET);
    free(f.id);
    store_free(f.st);
}

int
main(int argc, char **argv)
{
    static const size_t sizes[] = { 10000, 100000 };
    struct query *q[NPANELS];
    struct diag d;

    for (size_t i = 0; i < NPANELS; i++) {
        diag_clear(&d);
        q[i] = qparse_query(panels[i], strlen(panels[i]), &d);
        if (q[i] == NULL) {
            fprintf(stderr, "%s: %s\n", panels[i], d.msg);
            return 2;
        }
    }
    printf("a frame: %zu panels, about 200 steps; %d frames 1 s apart\n",
           NPANELS, FRAMES);
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            run_size((size_t)strtoul(argv[i], NULL, 10), q);
    } else {
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            run_size(sizes[i], q);
    }
    for (size_t i = 0; i < NPANELS; i++)
        qparse_free(q[i]);
    return 0;
}
