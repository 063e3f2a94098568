/*
 * Rule files: what Prometheus 2.42's rulefmt accepts, and its error texts
 * and positions for what it refuses (model/rulefmt/rulefmt.go), plus
 * promdeck's did-you-mean hint on unknown keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/rules/rulefile.h"

#define MAXE 16

static struct rulefile_err errs[MAXE];
static size_t nerrs;

static struct rulefile *
load(const char *text)
{
    return rulefile_load_buf("r.yml", text, strlen(text), 60000, errs, MAXE,
                             &nerrs);
}

/* Loading text fails with exactly one error: kind, line, col, message. */
static void
one_error(const char *text, enum rulefile_err_kind kind, int line, int col,
          const char *msg)
{
    assert_null(load(text));
    assert_int_equal(nerrs, 1);
    assert_int_equal(errs[0].kind, kind);
    assert_int_equal(errs[0].d.line, line);
    assert_int_equal(errs[0].d.col, col);
    assert_string_equal(errs[0].d.msg, msg);
}

static void
test_rulefile_good(void **state)
{
    struct rulefile *rf;
    const struct rule_def *r;

    (void)state;
    rf = load("groups:\n"
              "- name: a\n"
              "  rules:\n"
              "  - record: job:up:sum\n"
              "    expr: sum by (job) (up)\n"
              "    labels: {team: x}\n"
              "  - alert: Down\n"
              "    expr: up == 0\n"
              "    for: 5m\n"
              "    keep_firing_for: 90s\n"
              "    labels: {severity: page, a: b}\n"
              "    annotations: {summary: '{{ $labels.job }} down'}\n"
              "- name: b\n"
              "  interval: 10s\n"
              "  limit: 3\n"
              "  rules: []\n");
    assert_non_null(rf);
    assert_int_equal(rf->ngroups, 2);
    assert_int_equal(rulefile_nrules(rf), 2);
    assert_int_equal(rf->groups[0].interval_ms, 60000);
    assert_int_equal(rf->groups[1].interval_ms, 10000);
    assert_int_equal(rf->groups[1].limit, 3);
    r = &rf->groups[0].rules[1];
    assert_int_equal(r->kind, RULE_ALERT);
    assert_string_equal(r->name, "Down");
    assert_int_equal(r->for_ms, 300000);
    assert_int_equal(r->keep_firing_for_ms, 90000);
    assert_int_equal(rf->groups[0].rules[0].keep_firing_for_ms, 0);
    assert_non_null(r->query);
    /* Labels come sorted by name. */
    assert_string_equal(r->labels.v[0].name, "a");
    assert_string_equal(r->labels.v[1].name, "severity");
    assert_int_equal(rf->groups[0].rules[0].kind, RULE_RECORD);
    rulefile_free(rf);
    rf = load("");
    assert_non_null(rf);
    assert_int_equal(rf->ngroups, 0);
    rulefile_free(rf);
}

static void
test_rulefile_unknown_keys(void **state)
{
    (void)state;
    one_error("groups:\n- name: a\n  rules:\n  - record: x\n    exp: 1\n",
              RULEFILE_ERR_YAML, 5, 5,
              "field exp not found in type rulefmt.Rule");
    assert_string_equal(errs[0].d.hint, "did you mean 'expr'?");
    one_error("groups:\n- name: a\n  intervl: 1m\n", RULEFILE_ERR_YAML, 3,
              3, "field intervl not found in type rulefmt.RuleGroup");
    one_error("group:\n- name: a\n", RULEFILE_ERR_YAML, 1, 1,
              "field group not found in type rulefmt.RuleGroups");
}

static void
test_rulefile_rule_checks(void **state)
{
    (void)state;
    one_error("groups:\n- name: g\n  rules:\n  - record: x\n"
              "    expr: 'test +'\n",
              RULEFILE_ERR_RULE, 5, 11,
              "group \"g\", rule 1, \"x\": could not parse expression: "
              "1:7: parse error: unexpected end of input");
    one_error("groups:\n- name: g\n  rules:\n  - record: x\n    alert: y\n"
              "    expr: '1'\n",
              RULEFILE_ERR_RULE, 4, 13,
              "5:12: group \"g\", rule 1, \"y\": only one of 'record' and "
              "'alert' must be set");
    one_error("groups:\n- name: g\n  rules:\n  - record: 'a-b'\n"
              "    expr: '1'\n",
              RULEFILE_ERR_RULE, 4, 13,
              "group \"g\", rule 1, \"a-b\": invalid recording rule name: "
              "a-b");
    one_error("groups:\n- name: g\n  rules:\n  - record: x\n    expr: '1'\n"
              "    for: 1m\n",
              RULEFILE_ERR_RULE, 4, 13,
              "group \"g\", rule 1, \"x\": invalid field 'for' in "
              "recording rule");
    one_error("groups:\n- name: g\n  rules:\n  - record: x\n    expr: '1'\n"
              "    keep_firing_for: 5m\n",
              RULEFILE_ERR_RULE, 4, 13,
              "group \"g\", rule 1, \"x\": invalid field 'keep_firing_for' "
              "in recording rule");
    one_error("groups:\n- name: g\n  rules:\n  - record: x\n    expr: '1'\n"
              "    annotations: {a: b}\n",
              RULEFILE_ERR_RULE, 4, 13,
              "group \"g\", rule 1, \"x\": invalid field 'annotations' in "
              "recording rule");
    one_error("groups:\n- name: g\n  rules:\n  - alert: x\n    expr: '1'\n"
              "    labels: {__name__: b}\n",
              RULEFILE_ERR_RULE, 0, 0,
              "group \"g\", rule 1, \"x\": invalid label name: __name__");
    one_error("groups:\n- name: g\n  rules:\n  - alert: x\n",
              RULEFILE_ERR_RULE, 0, 0,
              "group \"g\", rule 1, \"x\": field 'expr' must be set in rule");
}

static void
test_rulefile_group_checks(void **state)
{
    (void)state;
    one_error("groups:\n- name: g\n- name: g\n", RULEFILE_ERR_RULE, 3, 3,
              "groupname: \"g\" is repeated in the same file");
    one_error("groups:\n- rules: []\n", RULEFILE_ERR_RULE, 2, 3,
              "Groupname must not be empty");
    /* A bad duration is model.Duration's own error: promtool prints it
     * alone, with no line, dropping the decoding errors before it. */
    one_error("groups:\n- name: g\n  interval: 1x\n", RULEFILE_ERR_PLAIN, 0,
              0, "not a valid duration string: \"1x\"");
    one_error("groups:\n- name: g\n  intrval: 1m\n  rules:\n  - alert: a\n"
              "    expr: up == 0\n    keep_firing_for: -5m\n",
              RULEFILE_ERR_PLAIN, 0, 0,
              "not a valid duration string: \"-5m\"");
}

static void
test_rulefile_names(void **state)
{
    (void)state;
    assert_true(rulefile_valid_metric_name("job:up:sum"));
    assert_true(rulefile_valid_metric_name("_x1"));
    assert_false(rulefile_valid_metric_name("1x"));
    assert_false(rulefile_valid_metric_name(""));
    assert_false(rulefile_valid_metric_name("a{b}"));
    assert_true(rulefile_valid_label_name("severity"));
    assert_false(rulefile_valid_label_name("a:b"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rulefile_good),
        cmocka_unit_test(test_rulefile_unknown_keys),
        cmocka_unit_test(test_rulefile_rule_checks),
        cmocka_unit_test(test_rulefile_group_checks),
        cmocka_unit_test(test_rulefile_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
