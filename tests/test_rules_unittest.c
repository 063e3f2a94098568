/*
 * promtool's rule unit tests: a small rule file with a recording rule and
 * an alert held for 2m, a test file that passes and one that fails, with
 * the failure texts promtool 2.42 writes (cmd/promtool/unittest.go:
 * FormatFloat 'E', labels.String, the indented alert lists). The values
 * are worked out by hand: x{i="1"} is 1+1x10 and x{i="2"} is 2, so the
 * sum at minute k is k+3, above 5 from 3m, firing from 5m.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/rules/unittest.h"
#include "tests/support/fs.h"

static const char rules[] =
    "groups:\n- name: g\n  rules:\n"
    "  - record: job:x:sum\n    expr: sum by (job) (x)\n"
    "  - alert: High\n    expr: job:x:sum > 5\n    for: 2m\n"
    "    labels: {severity: page}\n";

static const char head[] =
    "rule_files: [r.yml]\nevaluation_interval: 1m\ntests:\n"
    "- interval: 1m\n  name: t1\n  input_series:\n"
    "  - series: 'x{job=\"a\", i=\"1\"}'\n    values: '1+1x10'\n"
    "  - series: 'x{job=\"a\", i=\"2\"}'\n    values: '2x10'\n";

static char dir[256];

static int
setup(void **state)
{
    char path[300];

    (void)state;
    if (ts_tmpdir_new(dir, sizeof(dir), "unittest") < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/r.yml", dir);
    ts_write_file(path, rules);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return ts_tmpdir_remove(dir);
}

/* Writes head + body as t.yml and runs it. */
static int
run(const char *body, struct unittest_result *res)
{
    char path[300], text[2048];

    snprintf(path, sizeof(path), "%s/t.yml", dir);
    snprintf(text, sizeof(text), "%s%s", head, body);
    ts_write_file(path, text);
    return unittest_run(path, res);
}

static void
test_unittest_passes(void **state)
{
    struct unittest_result res;

    (void)state;
    assert_int_equal(run("  promql_expr_test:\n"
                         "  - expr: job:x:sum\n    eval_time: 2m\n"
                         "    exp_samples:\n"
                         "    - labels: 'job:x:sum{job=\"a\"}'\n"
                         "      value: 5\n"
                         "  - expr: count(ALERTS{alertstate=\"pending\"})\n"
                         "    eval_time: 4m\n"
                         "    exp_samples:\n    - value: 1\n"
                         "  alert_rule_test:\n"
                         "  - eval_time: 4m\n    alertname: High\n"
                         "  - eval_time: 5m\n    alertname: High\n"
                         "    exp_alerts:\n"
                         "    - exp_labels: {job: a, severity: page}\n",
                         &res), 0);
    assert_int_equal(res.n, 0);
    unittest_result_fini(&res);
}

static void
test_unittest_fails(void **state)
{
    struct unittest_result res;

    (void)state;
    assert_int_equal(run("  promql_expr_test:\n"
                         "  - expr: job:x:sum\n    eval_time: 2m\n"
                         "    exp_samples:\n"
                         "    - labels: 'job:x:sum{job=\"a\"}'\n"
                         "      value: 2.5\n"
                         "  alert_rule_test:\n"
                         "  - eval_time: 4m\n    alertname: High\n"
                         "    exp_alerts:\n"
                         "    - exp_labels: {job: a, severity: page}\n",
                         &res), -1);
    assert_int_equal(res.n, 2);
    assert_string_equal(res.errors[0],
                        "    name: t1,\n"
                        "    alertname: High, time: 4m, \n"
                        "        exp:[\n"
                        "            0:\n"
                        "              Labels:{alertname=\"High\", "
                        "job=\"a\", severity=\"page\"}\n"
                        "              Annotations:{}\n"
                        "            ], \n"
                        "        got:[]");
    assert_string_equal(res.errors[1],
                        "    expr: \"job:x:sum\", time: 2m,\n"
                        "        exp: {__name__=\"job:x:sum\", job=\"a\"} "
                        "2.5E+00\n"
                        "        got: {__name__=\"job:x:sum\", job=\"a\"} "
                        "5E+00");
    unittest_result_fini(&res);
}

static void
test_unittest_rule_error(void **state)
{
    struct unittest_result res;

    (void)state;
    /* A query error in promql_expr_test is reported, not fatal. */
    assert_int_equal(run("  promql_expr_test:\n"
                         "  - expr: 'sum(x'\n    eval_time: 1m\n", &res),
                     -1);
    assert_int_equal(res.n, 1);
    assert_true(strncmp(res.errors[0], "    expr: \"sum(x\", time: 1m, "
                        "err: 1:", 33) == 0);
    unittest_result_fini(&res);
}

static void
test_unittest_unknown_fields(void **state)
{
    struct unittest_result res;

    (void)state;
    /*
     * promtool decodes strictly: one error listing every unknown key in
     * document order, at each level, and no test runs (text of promtool
     * 2.42 test rules on the same file).
     */
    assert_int_equal(run("    bad1: 1\n  bad2: 2\n"
                         "  alert_rule_test:\n"
                         "  - eval_time: 5m\n    alertname: High\n"
                         "    bad3: 3\n    exp_alerts:\n"
                         "    - exp_labels: {job: a, severity: page}\n"
                         "      bad4: 4\n"
                         "  promql_expr_test:\n"
                         "  - expr: job:x:sum\n    e_alvtime: 2m\n"
                         "    exp_samples:\n"
                         "    - labels: 'job:x:sum{job=\"a\"}'\n"
                         "      value: 5\n      bad5: 5\n"
                         "bad6: 6\n", &res),
                     -1);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.errors[0],
        "yaml: unmarshal errors:\n"
        "  line 11: field bad1 not found in type main.series\n"
        "  line 12: field bad2 not found in type main.testGroup\n"
        "  line 16: field bad3 not found in type main.alertTestCase\n"
        "  line 19: field bad4 not found in type main.alert\n"
        "  line 22: field e_alvtime not found in type main.promqlTestCase\n"
        "  line 26: field bad5 not found in type main.sample\n"
        "  line 27: field bad6 not found in type main.unitTestFile");
    unittest_result_fini(&res);
}

static void
test_unittest_eval_limit(void **state)
{
    struct unittest_result res;

    (void)state;
    /*
     * 106700d at 1m is 153648001 evaluations (promtool runs them all, for
     * hours): refused at once, naming the test that asks for it.
     */
    assert_int_equal(run("  promql_expr_test:\n"
                         "  - expr: job:x:sum\n    eval_time: 2m\n"
                         "  - expr: timestamp(x)\n    eval_time: 106700d\n",
                         &res),
                     -1);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.errors[0],
        "    tests[0] (name: t1), promql_expr_test[1]: eval_time 106700d "
        "needs 153648001 evaluations of the rule groups (one every 1m "
        "from 0s), more than promdeck's limit of 1000000");
    unittest_result_fini(&res);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unittest_passes),
        cmocka_unit_test(test_unittest_fails),
        cmocka_unit_test(test_unittest_rule_error),
        cmocka_unit_test(test_unittest_unknown_fields),
        cmocka_unit_test(test_unittest_eval_limit),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
