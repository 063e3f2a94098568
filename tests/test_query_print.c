/*
 * Queries written back in Prometheus's canonical form. Each expected text
 * is what the Debian Prometheus 2.42 answered in /api/v1/rules for a rule
 * with that expression (rules/manager's Query().String()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "query/print.h"

static const struct {
    const char *in, *want;
} cases[] = {
    { "sum(rate(e2e_flag[5m])) by (job)",
      "sum by (job) (rate(e2e_flag[5m]))" },
    { "sum without (disk) (e2e_flag)",
      "sum without (disk) (e2e_flag)" },
    { "topk(2, e2e_flag)",
      "topk(2, e2e_flag)" },
    { "count_values(\"v\", e2e_flag)",
      "count_values(\"v\", e2e_flag)" },
    { "quantile(0.9, e2e_flag)",
      "quantile(0.9, e2e_flag)" },
    { "e2e_flag{disk=~\"sd.*\",job!=\"x\"} * on(disk) group_left(job) "
      "e2e_flag",
      "e2e_flag{disk=~\"sd.*\",job!=\"x\"} * on (disk) group_left (job) "
      "e2e_flag" },
    { "e2e_flag > bool 0",
      "e2e_flag > bool 0" },
    { "e2e_flag and ignoring(job) e2e_flag",
      "e2e_flag and ignoring (job) e2e_flag" },
    { "-e2e_flag",
      "-e2e_flag" },
    { "(e2e_flag + 1) / 2",
      "(e2e_flag + 1) / 2" },
    { "rate(e2e_flag[1m] offset 30s)",
      "rate(e2e_flag[1m] offset 30s)" },
    { "max_over_time(e2e_flag[10m:1m])",
      "max_over_time(e2e_flag[10m:1m])" },
    { "max_over_time(e2e_flag[90s:])",
      "max_over_time(e2e_flag[1m30s:])" },
    { "e2e_flag offset -1m",
      "e2e_flag offset -1m" },
    { "e2e_flag @ 1700000000",
      "e2e_flag @ 1700000000.000" },
    { "label_replace(e2e_flag, \"d\", \"$1\", \"disk\", \"(.*)\")",
      "label_replace(e2e_flag, \"d\", \"$1\", \"disk\", \"(.*)\")" },
    { "vector(1) + 2 ^ 3 * 1e3 - -1.5",
      "vector(1) + 2 ^ 3 * 1000 - -1.5" },
    { "{__name__=\"e2e_flag\"}",
      "{__name__=\"e2e_flag\"}" },
    { "e2e_flag{disk!=\"a\\\"b\\\\c\\n\"}",
      "e2e_flag{disk!=\"a\\\"b\\\\c\\n\"}" },
    { "sum by (job, disk) (e2e_flag)",
      "sum by (job, disk) (e2e_flag)" },
    { "absent(nope)",
      "absent(nope)" },
    { "histogram_quantile(0.9, sum by (le) (rate(x_bucket[14d])))",
      "histogram_quantile(0.9, sum by (le) (rate(x_bucket[2w])))" },
    { "e2e_flag unless e2e_flag or vector(0)",
      "e2e_flag unless e2e_flag or vector(0)" },
    { "e2e_flag atan2 e2e_flag % 2",
      "e2e_flag atan2 e2e_flag % 2" },
    { "count(e2e_flag) by ()",
      "count(e2e_flag)" },
    { "scalar(e2e_flag) < bool 2",
      "scalar(e2e_flag) < bool 2" },
    { "avg_over_time(e2e_flag[1h30m] @ end())",
      "avg_over_time(e2e_flag[1h30m] @ end())" },
    { "e2e_flag / on() group_right vector(1)",
      "e2e_flag / on () group_right () vector(1)" },
    { "e2e_flag == e2e_flag",
      "e2e_flag == e2e_flag" },
    /* More from the same Prometheus: numbers, strings and durations. */
    { "1 + -Inf", "1 + -Inf" },
    { "sum without () (x)", "sum without () (x)" },
    { "x[5m] offset 1h30m", "x[5m] offset 1h30m" },
    { "x @ start()", "x @ start()" },
    { "max_over_time(x[1y:1w])", "max_over_time(x[1y:1w])" },
    { "x{a=\"\xc3\xa9\\u0085\\x01\"} + NaN",
      "x{a=\"\xc3\xa9\\u0085\\x01\"} + NaN" },
    { "+x", "+x" },
};

static void
test_canonical(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct diag d;
        struct query *q;
        struct buf b;

        diag_clear(&d);
        q = qparse_query(cases[i].in, strlen(cases[i].in), &d);
        assert_non_null(q);
        buf_init(&b, 0);
        qprint_query(q, &b);
        assert_string_equal(buf_str(&b), cases[i].want);
        buf_fini(&b);
        qparse_free(q);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
