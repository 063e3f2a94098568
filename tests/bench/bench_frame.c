/*
 * The cost of the built-in overview's frames as history grows. A store
 * is fed as the scale benchmark's target farm feeds promdeck: TARGETS
 * targets scraped every 5 s at their own offsets, each with request
 * counters by code and handler, a latency histogram, an in-flight
 * gauge, memory, goroutines and up, and SYNTHETIC more counters. Each
 * simulated second the scrapes due are appended and the overview (page
 * 0, every panel) is evaluated as the TUI evaluates it each second,
 * through the same dashboard code. Prints the mean and slowest CPU time
 * of a frame per minute of history, and the share of a core that a
 * refresh every second costs: a frame at minute 20 should cost what one
 * at minute 2 does. It asserts nothing about time.
 *
 * usage: bench_frame [TARGETS [SYNTHETIC [MINUTES]]]  (200 100 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/base/xalloc.h"
#include "src/dash/dash.h"
#include "store/store.h"

#define INTERVAL    5000LL
#define RANGE       (15 * 60000LL)
#define NOW0        1700000000000LL

static const char *const handlers[] = { "/", "/api/images", "/healthz" };
static const char *const codes[] = { "200", "404", "500" };
static const char *const les[] = { "0.005", "0.01", "0.025", "0.05", "0.1",
                                   "0.25", "0.5", "1", "2.5", "5", "10",
                                   "+Inf" };
#define NH (sizeof(handlers) / sizeof(handlers[0]))
#define NLE (sizeof(les) / sizeof(les[0]))

/* One series of a target: its id and how its value moves per scrape. */
struct ser {
    uint32_t id;
    double v, inc;
    int gauge;
};

struct fleet {
    struct store *st;
    struct ser *s;
    size_t n, per;          /* series, series per target */
    size_t ntargets;
};

static double
cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Makes one series from name and up to three label pairs (sorted by
 * name, as store_series_id wants them). */
static void
add(struct fleet *f, size_t target, const char *name, const char *l1,
    const char *v1, const char *l2, const char *v2, double inc, int gauge)
{
    char inst[32];
    struct label v[6];
    struct labels ls = { v, 0 };
    struct ser *s = &f->s[f->n++];

    snprintf(inst, sizeof(inst), "127.0.0.1:%zu", 20000 + target);
    v[ls.n++] = (struct label){ "__name__", name };
    if (l1 != NULL && strcmp(l1, "instance") < 0)
        v[ls.n++] = (struct label){ l1, v1 };
    v[ls.n++] = (struct label){ "instance", inst };
    v[ls.n++] = (struct label){ "job", "farm" };
    if (l1 != NULL && strcmp(l1, "instance") > 0)
        v[ls.n++] = (struct label){ l1, v1 };
    if (l2 != NULL)
        v[ls.n++] = (struct label){ l2, v2 };
    labels_sort(&ls);
    s->id = store_series_id(f->st, &ls);
    s->v = 0;
    s->inc = inc;
    s->gauge = gauge;
}

static void
make_target(struct fleet *f, size_t t, size_t synthetic)
{
    char id[24];

    for (size_t h = 0; h < NH; h++) {
        for (size_t c = 0; c < 3; c++)
            if (!(h == 2 && c == 1))
                add(f, t, "app_requests_total", "code", codes[c],
                    "handler", handlers[h], c == 0 ? 20 : 1, 0);
        for (size_t b = 0; b < NLE; b++)
            add(f, t, "app_request_duration_seconds_bucket", "handler",
                handlers[h], "le", les[b], (double)(b + 1), 0);
        add(f, t, "app_request_duration_seconds_count", "handler",
            handlers[h], NULL, NULL, 12, 0);
    }
    add(f, t, "app_in_flight_requests", NULL, NULL, NULL, NULL, 3, 1);
    add(f, t, "process_resident_memory_bytes", NULL, NULL, NULL, NULL,
        2e7, 1);
    add(f, t, "go_goroutines", NULL, NULL, NULL, NULL, 8, 1);
    add(f, t, "up", NULL, NULL, NULL, NULL, 1, 1);
    add(f, t, "promhttp_metric_handler_requests_total", "code", "200",
        NULL, NULL, 1, 0);
    for (size_t k = 0; k < synthetic; k++) {
        snprintf(id, sizeof(id), "%05zu", k);
        add(f, t, "app_synthetic_total", "id", id, NULL, NULL, 0.5, 0);
    }
}

/* Appends every scrape due in (from, to]: target t scrapes at its own
 * offset within the interval. */
static void
scrape(struct fleet *f, int64_t from, int64_t to)
{
    for (size_t t = 0; t < f->ntargets; t++) {
        int64_t off = (int64_t)(t * 7919 % (size_t)INTERVAL);
        int64_t k = (from - off) / INTERVAL + 1;

        for (int64_t at = k * INTERVAL + off; at <= to; at += INTERVAL) {
            struct ser *s = &f->s[t * f->per];

            for (size_t i = 0; i < f->per; i++, s++) {
                s->v = s->gauge ? s->inc * (1 + (double)(at / INTERVAL % 7)
                                            / 10)
                                : s->v + s->inc;
                store_append(f->st, s->id, at, s->v);
            }
        }
    }
}

int
main(int argc, char **argv)
{
    size_t ntargets = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
    size_t synthetic = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
    int minutes = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 20;
    struct fleet f = {0};
    struct dash *d = dash_new_builtin(RANGE);
    int64_t now = NOW0;
    struct store_stats ss;

    f.st = store_new(60 * 60000LL, 0);
    store_set_shared(f.st, false);      /* as the TUI reads it */
    f.per = NH * 3 - 1 + NH * (NLE + 1) + 5 + synthetic;
    f.ntargets = ntargets;
    f.s = xcalloc(ntargets * f.per, sizeof(*f.s));
    for (size_t t = 0; t < ntargets; t++)
        make_target(&f, t, synthetic);
    store_get_stats(f.st, &ss);
    printf("frame: %zu targets, %zu series, every 5s; the overview "
           "evaluated each second\n", ntargets, ss.series);
    printf("%6s %10s %10s %10s\n", "minute", "mean_ms", "max_ms",
           "core%");
    for (int m = 1; m <= minutes; m++) {
        double sum = 0, max = 0;

        for (int s = 0; s < 60; s++) {
            double t0;

            scrape(&f, now, now + 1000);
            now += 1000;
            if (m % 15 == 0 && s == 0)
                store_gc(f.st, now);
            t0 = cpu_s();
            if (dash_evaluate(d, f.st, now, 0) != 0 && m == 1 && s == 0)
                fprintf(stderr, "frame: a query failed\n");
            t0 = cpu_s() - t0;
            sum += t0;
            max = t0 > max ? t0 : max;
        }
        printf("%6d %10.2f %10.2f %10.1f\n", m, sum / 60 * 1000, max * 1000,
               sum / 60 * 100);
        fflush(stdout);
    }
    dash_free(d);
    store_free(f.st);
    free(f.s);
    return 0;
}
