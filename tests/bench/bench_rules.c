/*
 * Times rule evaluation: a rule file (1,000 rules from gen_bench_rules.py)
 * over the 1,000-series benchmark data loaded from an OpenMetrics file,
 * every group evaluated once per round as the running program does
 * (src/ruleset.c), rounds at successive seconds from time T on (inside
 * the data, so every window is full).
 * Prints the median round and the slowest rule (what a key may wait
 * beyond the event loop's 10 ms slice), the figures bench_rules.sh sets
 * beside Prometheus's
 * prometheus_rule_group_last_duration_seconds on the same data.
 *
 * usage: bench_rules DATA.om RULES.yml T_UNIX_SECONDS [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/load.h"
#include "src/ruleset.h"
#include "store/store.h"
#include "tests/bench/bench.h"

/*
 * One round as the event loop runs it: ruleset_run in 10 ms slices until
 * nothing is due at now; the longest slice is the longest a key waits.
 */
static double
sliced_round(struct ruleset *rs, struct store *st, int64_t now, int *calls)
{
    double longest = 0;

    *calls = 0;
    while (ruleset_next_due(rs) <= now) {
        double start = time_mono_s(), took;

        ruleset_run(rs, st, now, 0.010, NULL, NULL);
        took = time_mono_s() - start;
        longest = took > longest ? took : longest;
        (*calls)++;
    }
    return longest;
}

/* The value of a count(...) at t, or -1. */
static double
count_at(const struct store *st, const char *expr, int64_t t)
{
    struct diag d;
    struct query *q = qparse_query(expr, strlen(expr), &d);
    struct qresult *r = q != NULL ? qeval_instant(q, st, t, &d) : NULL;
    double v = r != NULL && r->nseries == 1 ? r->series[0].points[0].v : -1;

    qresult_free(r);
    qparse_free(q);
    return v;
}

int
main(int argc, char **argv)
{
    struct store *st = store_new(3 * 3600 * 1000LL, 0);
    struct ruleset *rs = ruleset_new();
    const char *files[1];
    /* Groups every second, so the sliced round follows the last one. */
    struct ruleset_source src = { NULL, 0, files, 1, 1000 };
    const struct ruleset_group *gs;
    struct buf err;
    struct diag d;
    int64_t t0;
    int rounds;
    double *t;
    size_t samples, ng, failed = 0;
    double slowest = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: bench_rules DATA.om RULES.yml T [ROUNDS]\n");
        return 2;
    }
    t0 = strtoll(argv[3], NULL, 10) * 1000;
    rounds = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 15;
    if (rounds < 1)
        rounds = 1;
    if (load_file(st, argv[1], 0, &samples, &d) < 0) {
        fprintf(stderr, "%s:%d: %s\n", argv[1], d.line, d.msg);
        return 1;
    }
    files[0] = argv[2];
    buf_init(&err, 0);
    if (ruleset_load(rs, &src, st, t0, &err, NULL) < 0) {
        fputs(buf_str(&err), stderr);
        return 1;
    }
    ng = ruleset_groups(rs, &gs);
    t = calloc((size_t)rounds, sizeof(*t));
    for (int r = 0; r < rounds; r++) {
        double start = time_mono_s();

        ruleset_eval_all(rs, st, t0 + r * 1000LL);
        t[r] = time_mono_s() - start;
    }
    for (size_t g = 0; g < ng; g++)
        for (size_t i = 0; i < gs[g].def->nrules; i++) {
            failed += rule_group_error(gs[g].group, i) != NULL;
            if (gs[g].rule_seconds[i] > slowest)
                slowest = gs[g].rule_seconds[i];
        }
    printf("promdeck rules: %zu rules in %zu groups over %zu samples, "
           "%zu failing\n", ruleset_nrules(rs), ng, samples, failed);
    printf("promdeck results: %.0f recorded series, %.0f alerts\n",
           count_at(st, "count({__name__=~\"bench:.*\"})",
                    t0 + (rounds - 1) * 1000LL),
           count_at(st, "count(ALERTS)", t0 + (rounds - 1) * 1000LL));
    printf("promdeck round (all groups): median %.3f ms over %d rounds\n",
           bench_median(t, (size_t)rounds) * 1e3, rounds);
    /* The loop reads keys between rules once a 10 ms slice is spent: a
     * key waits at most about that plus one rule. */
    {
        int calls;
        double longest = sliced_round(rs, st, t0 + rounds * 1000LL,
                                      &calls);

        printf("promdeck round in the event loop: %d slices, the longest "
               "%.3f ms (the most a key waits); slowest rule %.3f ms\n",
               calls, longest * 1e3, slowest * 1e3);
    }
    free(t);
    buf_fini(&err);
    ruleset_free(rs);
    store_free(st);
    return failed > 0;
}
