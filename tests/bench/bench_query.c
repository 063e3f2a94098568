/*
 * Times a 12-panel golden-signals dashboard evaluated as range queries over
 * one hour at 200 steps, on 1,000 series x 1 hour at 15 s loaded from an
 * OpenMetrics file. Prints the median of several runs, per dashboard and
 * per query, as a frame evaluates them (one frame cache shared by the
 * panels) and with each query alone (the cache emptied before each).
 * bench_query.sh runs it beside Prometheus on the same data.
 *
 * usage: bench_query DATA.om QUERIES.promql END_UNIX_SECONDS [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/load.h"
#include "store/store.h"
#include "tests/bench/bench.h"

#define MAXQ 32

/* Reads one expression per line into q[]; returns the count. */
static int
read_queries(const char *path, char **text, struct query **q)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int n = 0;

    if (f == NULL) {
        perror(path);
        exit(2);
    }
    while (n < MAXQ && fgets(line, sizeof(line), f) != NULL) {
        struct diag d;

        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        diag_clear(&d);
        if ((q[n] = qparse_query(line, strlen(line), &d)) == NULL) {
            fprintf(stderr, "%s: %s\n", line, d.msg);
            exit(2);
        }
        text[n++] = xstrdup(line);
    }
    fclose(f);
    return n;
}

int
main(int argc, char **argv)
{
    struct store *st = store_new(365LL * 24 * 3600 * 1000, 0);
    struct qcache *cache = qcache_new(256u << 20);
    struct query *q[MAXQ];
    char *text[MAXQ];
    double per[MAXQ][64], total[64], alone[64], t0;
    int64_t end, start, step;
    int nq, runs = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 15;
    size_t n;
    struct diag d;

    if (argc < 4 || runs < 1 || runs > 64) {
        fputs("usage: bench_query DATA.om QUERIES END [RUNS<=64]\n", stderr);
        return 2;
    }
    end = strtoll(argv[3], NULL, 10) * 1000;
    start = end - 3600 * 1000;
    step = (end - start) / 200;
    diag_clear(&d);
    t0 = time_mono_s();
    if (load_file(st, argv[1], end, &n, &d) < 0) {
        fprintf(stderr, "%s:%d: %s\n", argv[1], d.line, d.msg);
        return 1;
    }
    printf("loaded %zu samples in %.2f s\n", n, time_mono_s() - t0);
    nq = read_queries(argv[2], text, q);
    for (int r = 0; r < runs; r++) {
        /* As a dashboard frame does: the panels share one read cache,
         * empty at the start of the frame. */
        qcache_clear(cache);
        total[r] = 0;
        for (int i = 0; i < nq; i++) {
            struct qresult *res;

            t0 = time_mono_s();
            res = qeval_range_cached(q[i], st, cache, start, end, step, &d);
            per[i][r] = time_mono_s() - t0;
            total[r] += per[i][r];
            if (res == NULL) {
                fprintf(stderr, "%s: %s\n", text[i], d.msg);
                return 1;
            }
            qresult_free(res);
        }
    }
    for (int r = 0; r < runs; r++) {
        t0 = time_mono_s();
        for (int i = 0; i < nq; i++) {
            qcache_clear(cache);
            qresult_free(qeval_range_cached(q[i], st, cache, start, end,
                                            step, &d));
        }
        alone[r] = time_mono_s() - t0;
    }
    for (int i = 0; i < nq; i++)
        printf("  %8.3f ms  %s\n",
               bench_median(per[i], (size_t)runs) * 1e3, text[i]);
    printf("promdeck, each query alone: median %.3f ms\n",
           bench_median(alone, (size_t)runs) * 1e3);
    printf("promdeck dashboard (%d range queries, 200 steps): median "
           "%.3f ms over %d runs\n", nq,
           bench_median(total, (size_t)runs) * 1e3, runs);
    for (int i = 0; i < nq; i++) {
        qparse_free(q[i]);
        free(text[i]);
    }
    qcache_free(cache);
    store_free(st);
    return 0;
}
