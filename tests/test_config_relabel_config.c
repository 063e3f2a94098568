/*
 * Reading relabel_configs from YAML: defaults, null values as Go's zero
 * values, and every error with its line and column. The expected messages
 * are those `promtool check config` of Prometheus 2.42 prints for the same
 * rule (its regex syntax errors excepted: those come from pcre2 here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scrape/relabel.h"
#include "src/base/yaml.h"
#include "src/config/relabel_config.h"

struct parsed {
    struct yaml_node *doc;
    struct relabel_rules *rules;
    struct diag errs[8];
    size_t nerrs;
    int rc;
};

/* Parses text, a YAML sequence of relabel configs, as a "target" list. */
static void
parse(struct parsed *p, const char *text)
{
    struct diag d;

    memset(p, 0, sizeof(*p));
    p->doc = yaml_load_buf("relabel.yml", text, strlen(text), &d);
    if (p->doc == NULL)
        fail_msg("bad test YAML: %s", d.msg);
    p->rc = config_relabel_parse(p->doc,
                                 "target relabeling rule in scrape config",
                                 &p->rules, p->errs, 8, &p->nerrs);
}

static void
done(struct parsed *p)
{
    relabel_rules_free(p->rules);
    yaml_tree_free(p->doc);
}

/* Exactly one error, at line:col, with message msg. */
static void
expect_error(const char *text, int line, int col, const char *msg)
{
    struct parsed p;

    parse(&p, text);
    assert_int_equal(p.rc, -1);
    assert_null(p.rules);
    assert_int_equal(p.nerrs, 1);
    assert_string_equal(p.errs[0].msg, msg);
    assert_string_equal(p.errs[0].source, "relabel.yml");
    assert_int_equal(p.errs[0].line, line);
    assert_int_equal(p.errs[0].col, col);
    done(&p);
}

/* Applies the parsed rules to a set given as name/value pairs. */
static bool
run(struct parsed *p, struct relabel_builder *lb, const char *const *kv,
    size_t n)
{
    relabel_builder_reset(lb);
    for (size_t i = 0; i + 1 < n; i += 2)
        relabel_builder_set(lb, kv[i], kv[i + 1]);
    return relabel_apply(p->rules, lb);
}

static void
test_valid_list(void **state)
{
    static const char *const in[] = { "a", "x", "b", "y" };
    struct relabel_builder *lb = relabel_builder_new();
    struct parsed p;

    (void)state;
    parse(&p, "- source_labels: [a, b]\n"
              "  separator: '-'\n"
              "  target_label: ab\n"
              "- action: HashMod\n"
              "  source_labels: [a]\n"
              "  modulus: 10\n"
              "  target_label: h\n"
              "- {action: labeldrop, regex: b}\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.nerrs, 0);
    assert_int_equal(relabel_rules_count(p.rules), 3);
    assert_true(run(&p, lb, in, 4));
    assert_string_equal(relabel_builder_get(lb, "ab"), "x-y");
    assert_non_null(relabel_builder_get(lb, "h"));
    assert_null(relabel_builder_get(lb, "b"));
    done(&p);
    relabel_builder_free(lb);
}

/* A null list is an empty one; null fields take Go's zero values: a null
 * regex is the empty pattern, a null separator the empty string. */
static void
test_nulls(void **state)
{
    static const char *const empty_a[] = { "b", "1" };
    static const char *const with_a[] = { "a", "1" };
    struct relabel_builder *lb = relabel_builder_new();
    struct parsed p;

    (void)state;
    parse(&p, "~\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(relabel_rules_count(p.rules), 0);
    done(&p);
    parse(&p, "- action: keep\n"
              "  source_labels: [a]\n"
              "  regex:\n");
    assert_int_equal(p.rc, 0);
    assert_true(run(&p, lb, empty_a, 2));
    assert_false(run(&p, lb, with_a, 2));
    done(&p);
    parse(&p, "- source_labels: [a, a]\n"
              "  separator:\n"
              "  target_label: t\n");
    assert_int_equal(p.rc, 0);
    assert_true(run(&p, lb, with_a, 2));
    assert_string_equal(relabel_builder_get(lb, "t"), "11");
    done(&p);
    relabel_builder_free(lb);
}

static void
test_errors_with_prometheus_wording(void **state)
{
    (void)state;
    expect_error("- sourcelabels: [a]\n  target_label: x\n", 1, 3,
                 "field sourcelabels not found in type relabel.plain");
    expect_error("- action: rename\n", 1, 11,
                 "unknown relabel action \"rename\"");
    expect_error("- action:\n", 1, 3, "relabel action cannot be empty");
    expect_error("- source_labels: [a-b]\n  target_label: x\n", 1, 19,
                 "\"a-b\" is not a valid label name");
    expect_error("- action: hashmod\n  modulus: \"8\"\n  target_label: x\n",
                 2, 12, "cannot unmarshal !!str `8` into uint64");
    expect_error("- action: hashmod\n  modulus: -1\n  target_label: y\n",
                 2, 12, "cannot unmarshal !!int `-1` into uint64");
    expect_error("- action: hashmod\n  target_label: x\n", 1, 3,
                 "relabel configuration for hashmod requires non-zero "
                 "modulus");
    expect_error("- action: keepequal\n  target_label: x\n  regex: (.*)\n",
                 1, 3, "keepequal action requires only 'source_labels' and "
                 "`target_label`, and no other fields");
    expect_error("- separator: [a]\n  target_label: x\n", 1, 14,
                 "cannot unmarshal !!seq into string");
    expect_error("- action: labeldrop\n  source_labels: []\n", 1, 3,
                 "labeldrop action requires only 'regex', and no other "
                 "fields");
    expect_error("- action: labelmap\n  replacement: a-b\n", 1, 3,
                 "\"a-b\" is invalid 'replacement' for labelmap action");
    expect_error("-\n", 1, 2,
                 "empty or null target relabeling rule in scrape config");
    expect_error("{a: 1}\n", 1, 1,
                 "cannot unmarshal !!map into []*relabel.Config");
}

/* A bad pattern is reported at the regex itself. */
static void
test_regex_error_position(void **state)
{
    struct parsed p;

    (void)state;
    parse(&p, "- target_label: x\n  regex: \"(a\"\n");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.nerrs, 1);
    assert_int_equal(p.errs[0].line, 2);
    assert_int_equal(p.errs[0].col, 10);
    assert_non_null(strstr(p.errs[0].msg, "(a"));
    done(&p);
}

/* Every bad rule is reported, up to the caller's limit. */
static void
test_collects_errors(void **state)
{
    const char *text = "- action: nope\n"
                       "- action: hashmod\n  target_label: h\n"
                       "- target_label: ok\n"
                       "- bogus: 1\n";
    struct diag errs[2];
    struct relabel_rules *rules = NULL;
    struct yaml_node *doc;
    size_t nerrs = 0;
    struct diag d;

    (void)state;
    doc = yaml_load_buf("r.yml", text, strlen(text), &d);
    assert_non_null(doc);
    assert_int_equal(config_relabel_parse(doc, "metric relabeling rule in "
                                          "scrape config", &rules, errs, 2,
                                          &nerrs), -1);
    assert_null(rules);
    assert_int_equal(nerrs, 2);
    assert_int_equal(errs[0].line, 1);
    assert_int_equal(errs[1].line, 2);
    yaml_tree_free(doc);

    /* A null rule names the list it is in. */
    text = "- ~\n";
    doc = yaml_load_buf("r.yml", text, strlen(text), &d);
    nerrs = 0;
    assert_int_equal(config_relabel_parse(doc, "metric relabeling rule in "
                                          "scrape config", &rules, errs, 2,
                                          &nerrs), -1);
    assert_string_equal(errs[0].msg, "empty or null metric relabeling rule "
                        "in scrape config");
    yaml_tree_free(doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_list),
        cmocka_unit_test(test_nulls),
        cmocka_unit_test(test_errors_with_prometheus_wording),
        cmocka_unit_test(test_regex_error_position),
        cmocka_unit_test(test_collects_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
