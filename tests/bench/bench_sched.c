/*
 * Schedule benchmark: what the scrape schedule costs the loop at 1,000
 * targets every 10 s, the shape of the million-series farm. The loop
 * asks scrape_pool_start_due and scrape_pool_next_due on every pass,
 * and most passes find nothing due, so the figure that matters is the
 * cost of such a pass; then a minute of passes a millisecond apart, in
 * which every target is scraped six times. The targets' scrapes fail at
 * once (a broken target_limit), so no network enters the figures; that
 * minute includes those scrapes' commits of their synthetic series.
 * Asserts nothing about time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "scrape/pool.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "store/store.h"

#define TARGETS 1000
#define INTERVAL_MS 10000
#define IDLE_PASSES 200000

/* The farm's targets: one job, instances target-0 ... */
static void
make_defs(struct scrape_target_def *d, struct label (*lab)[2],
          char (*inst)[32])
{
    for (size_t i = 0; i < TARGETS; i++) {
        snprintf(inst[i], sizeof(inst[i]), "10.0.%zu.%zu:9100", i / 250,
                 i % 250);
        lab[i][0] = (struct label){ "instance", inst[i] };
        lab[i][1] = (struct label){ "job", "farm" };
        d[i] = (struct scrape_target_def){
            .job = "farm", .scheme = "http", .address = inst[i],
            .metrics_path = "/metrics", .labels = { lab[i], 2 },
            .interval_ms = INTERVAL_MS, .timeout_ms = INTERVAL_MS,
            .forced_error = "exceeded target_limit",
        };
    }
}

int
main(void)
{
    struct scrape_target_def *d = xcalloc(TARGETS, sizeof(*d));
    struct label (*lab)[2] = xcalloc(TARGETS, sizeof(*lab));
    char (*inst)[32] = xcalloc(TARGETS, sizeof(*inst));
    struct store *st = store_new(3600 * 1000, 0);
    struct scrape_pool *p = scrape_pool_new(st);
    int64_t t0 = 1700000000000, sum = 0;
    size_t scrapes = 0;
    double t;

    make_defs(d, lab, inst);
    scrape_pool_set_targets(p, d, TARGETS, t0);
    /* Nothing is due before t0: each pass only looks. */
    t = time_mono_s();
    for (int i = 0; i < IDLE_PASSES; i++) {
        scrape_pool_start_due(p, t0 - 1);
        sum += scrape_pool_next_due(p) - t0;
    }
    t = time_mono_s() - t;
    printf("a pass with nothing due, %d targets: %.0f ns (start_due and "
           "next_due)\n", TARGETS, t / IDLE_PASSES * 1e9);
    t = time_mono_s();
    for (int64_t ms = 0; ms < 60000; ms++) {
        scrape_pool_start_due(p, t0 + ms);
        sum += scrape_pool_next_due(p) - t0;
    }
    t = time_mono_s() - t;
    for (size_t i = 0; i < TARGETS; i++) {
        struct scrape_status s;

        scrape_pool_status(p, i, &s);
        scrapes += s.scrapes;
    }
    printf("a minute of passes 1 ms apart: %.1f ms, %.2f us a pass, "
           "%zu scrapes started (%ld)\n", t * 1e3, t / 60000 * 1e6,
           scrapes, (long)(sum % 7));
    scrape_pool_free(p);
    store_free(st);
    free(inst);
    free(lab);
    free(d);
    return 0;
}
