/*
 * promtool's rule unit tests (promtool test rules, Prometheus 2.42): a test
 * file names rule files and test groups; each group loads input series in
 * the expanding notation, evaluates every rule group from time 0 every
 * evaluation_interval, and compares firing alerts (alert_rule_test) and
 * query results (promql_expr_test) with the expected ones. The failures
 * come back as promtool's texts; printing them is the caller's job.
 * Alert labels and annotations are compared after template expansion,
 * with the test group's external_labels and external_url.
 *
 * Ownership: a result owns its strings; release it with
 * unittest_result_fini.
 */
#ifndef RULES_UNITTEST_H
#define RULES_UNITTEST_H

#include <stddef.h>

/*
 * The most evaluations of the rule groups one test group may need (its
 * last eval_time / evaluation_interval + 1): more is refused with an
 * error naming the test, where promtool would run for hours.
 */
#define UNITTEST_MAX_EVALS 1000000

struct unittest_result {
    char **errors;          /* promtool's error texts, in its order */
    size_t n;
};

/*
 * Runs the unit-test file at path (rule files are found relative to its
 * folder). Returns 0 when every test passed, else -1 with the errors in
 * *res (res is initialised either way).
 */
int unittest_run(const char *path, struct unittest_result *res);
/* Frees the error texts; the struct may be reused. */
void unittest_result_fini(struct unittest_result *res);

#endif
