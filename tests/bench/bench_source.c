/*
 * One mode of tests/bench/bench_source.sh: the built-in dashboard over a
 * 1 hour range evaluated on a server (--source) for REFRESHES refreshes
 * one second apart in the dashboard's time (the server's data is
 * static, so its time need not pass for real), its panels as wide as a
 * 120-column terminal lays them out (each with Grafana's step for its
 * width), either as promdeck does
 * it (tail: kept points, only the new steps asked for) or as a naive
 * client does (full: every refresh asks for the whole range). Prints
 * "MODE BYTES REFRESHES POINTS" for the refreshes after the first, whose
 * full fetch both modes share: the response bytes, how many refreshes
 * and the points the panels hold after the last one (the same in both
 * modes, or the tail is wrong).
 *
 * usage: bench_source URL tail|full REFRESHES NOW_MS
 * Without arguments (make bench) it says where its figures come from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/fetch.h"
#include "src/api/client.h"
#include "src/base/duration.h"
#include "src/dash/dash.h"
#include "ui/ui.h"

#define RANGE_MS (60 * 60 * 1000)
#define COLUMNS 120

static size_t
pending(const struct dash *d, const struct api_client *c)
{
    return dash_pending(d) + api_client_pending(c);
}

/* Pumps until d has every answer (at most 60 s). */
static void
settle(struct fetch *f, const struct dash *d, const struct api_client *c)
{
    double until = time_mono_s() + 60;

    while (pending(d, c) > 0 && time_mono_s() < until) {
        fetch_wait(f, -1, 100, NULL);
        fetch_pump(f);
    }
}

static size_t
points(struct dash *d)
{
    const struct dashboard *m = dash_model(d);
    size_t n = 0;

    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++)
            for (size_t i = 0; i < m->pages[pg].rows[r].npanels; i++) {
                const struct panel *p = &m->pages[pg].rows[r].panels[i];

                for (size_t q = 0; q < p->nqueries; q++) {
                    const struct qresult *res = p->queries[q].result;

                    for (size_t s = 0; res && s < res->nseries; s++)
                        n += res->series[s].npoints;
                }
            }
    return n;
}

/* dash_width_fn: the panels as a COLUMNS-wide screen lays them out. */
static int
screen_widths(void *ctx, int page, size_t slot)
{
    struct dash *d = ctx;

    return ui_text_panel_width(dash_model(d), page, slot, COLUMNS);
}

static struct dash *
new_dash(struct api_client *c)
{
    struct dash *d = dash_new_builtin(RANGE_MS);

    dash_set_remote(d, c, 15000);
    dash_set_width_fn(d, screen_widths, d);
    return d;
}

int
main(int argc, char **argv)
{
    struct api_settings set = { 0 };
    struct fetch *f;
    struct api_client *c;
    struct dash *d;
    char *err = NULL, *end;
    uint64_t bytes0 = 0;
    size_t answered = 0;
    long n;
    int64_t now;
    bool full;

    if (argc != 5) {
        puts("bench_source: run by tests/bench/bench_source.sh, which "
             "starts Prometheus");
        return 0;
    }
    full = strcmp(argv[2], "full") == 0;
    n = strtol(argv[3], &end, 10);
    now = strtoll(argv[4], NULL, 10);
    set.url = argv[1];
    if ((f = fetch_new()) == NULL
        || (c = api_client_new(f, &set, &err)) == NULL) {
        fprintf(stderr, "bench_source: %s\n", err ? err : "no libcurl");
        return 1;
    }
    d = new_dash(c);
    for (long i = 0; i <= n; i++, now += 1000) {
        if (i == 1)
            bytes0 = api_client_bytes(c);
        if (full && i > 0) {
            dash_free(d);
            d = new_dash(c);
        }
        dash_evaluate(d, NULL, now, 0);
        settle(f, d, c);
        if (dash_failed(d) > 0)
            fprintf(stderr, "bench_source: %zu panels failed\n",
                    dash_failed(d));
        answered += i > 0 ? 1 : 0;
    }
    printf("%s %llu %zu %zu\n", argv[2],
           (unsigned long long)(api_client_bytes(c) - bytes0), answered,
           points(d));
    dash_free(d);
    api_client_free(c);
    fetch_free(f);
    return 0;
}
