/*
 * Templates through the rule path: tests/data/rules/template-funcs.yml
 * uses every function of Prometheus's template language, with the edge
 * cases of its template tests, in one alerting rule; each annotation must
 * expand to what promtool test rules (Prometheus 2.42) expands it to on
 * the same series, external labels and external URL (the expected texts
 * below are promtool's output, errors included). Also: labels expanded
 * (an empty one removed), annotations re-expanded at each evaluation, the
 * URL functions, and templates that do not parse refused at load in
 * promtool's words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/buf.h"
#include "src/rules/group.h"
#include "tests/support/fs.h"

#define MIN 60000

struct expect {
    const char *annotation, *value;
};

/* promtool 2.42's expansions at 5m (see the header comment). */
static const struct expect cases[] = {
        {"args",
         "1 two <no value>"},
        {"break",
         "0"},
        {"builtins",
         "3|bc|&lt;a&gt;|a\\'b|a+b%26c"},
        {"compare",
         "in|true|true|false|y|3|node"},
        {"control",
         "arg0arg1none trimmed!"},
        {"define",
         "[x]<3>"},
        {"duration",
         "0s|100ms|1s|59.9s|1m 0s|1d 1h 1m 1s|-1s|100us"},
        {"duration_parse",
         "3720.01|0"},
        {"duration_parse_bad",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:115: executing \"__alert_T\" at <parseDurat"
         "ion \"1x\">: error calling parseDuration: not a valid duration s"
         "tring: \"1x\">"},
        {"duration_special",
         "NaN|+Inf"},
        {"exec_error_line",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:2:3: executing \"__alert_T\" at <humanize \"b"
         "ad\">: error calling humanize: strconv.ParseFloat: parsing \"bad"
         "\": invalid syntax>"},
        {"first_empty",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:133: executing \"__alert_T\" at <first>: er"
         "ror calling first: first() called on vector with no elements>"},
        {"humanize",
         "0 1.235M 12u 10z -1G 1k"},
        {"humanize1024",
         "0 1023 1ki 1.364Ti 0.25"},
        {"humanize_bad",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:115: executing \"__alert_T\" at <humanize "
         "\"x\">: error calling humanize: strconv.ParseFloat: parsing \"x"
         "\": invalid syntax>"},
        {"humanize_more",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:164: executing \"__alert_T\" at <humanizePe"
         "rcentage \"x\">: error calling humanizePercentage: strconv.Parse"
         "Float: parsing \"x\": invalid syntax>"},
        {"humanize_range",
         "115740d 17h 46m 40s|-1d 1h 1m 1s|1e+06Y|-1.5u"},
        {"humanize_special",
         "NaN +Inf -Inf"},
        {"links",
         "/graph?g0.expr=up%7Ba%3D%22b+c%22%7D&g0.tab=0|/graph?g0.expr=rat"
         "e%28x%5B5m%5D%29&g0.tab=1"},
        {"missing",
         "<no value>|<nil>|<nil>"},
        {"numbers",
         "1500|16|1e-07|-0|1e+20|1e+21"},
        {"percentage",
         "12.34% 0% 100% 50%"},
        {"print_data",
         "{map[__name__:v instance:h1.example.com:9100 job:node] map[clust"
         "er:eu1] http://prom.example.com:9090/prefix 1234.5678}"},
        {"print_map",
         "map[__name__:v instance:h1.example.com:9100 job:node]|map[cluste"
         "r:eu1]"},
        {"print_sample",
         "{map[__name__:v instance:h1.example.com:9100 job:node] 1234.5678"
         "}"},
        {"printf",
         "3.14|   ab|42|\"q\"|1234.5678"},
        {"printf_types",
         "map[__name__:v instance:h1.example.com:9100 job:node]|float64|st"
         "ring|int|bool|map[string]string|template.queryResult|*template.s"
         "ample|*time.Time|map[string]interface {}|<nil>"},
        {"query_bad",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:115: executing \"__alert_T\" at <query \"up"
         " +\">: error calling query: 1:5: parse error: unexpected end of "
         "input>"},
        {"query_empty",
         "none"},
        {"query_first",
         "1"},
        {"query_label",
         "h1.example.com:9100"},
        {"query_range",
         "h1.example.com:9100=0;h2:9100=1;"},
        {"query_scalar",
         "2"},
        {"range_map",
         "__name__=v,instance=h1.example.com:9100,job=node,"},
        {"regex",
         "true|false|xaxa c|-q"},
        {"regex_bad",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:115: executing \"__alert_T\" at <match \"("
         "\" \"a\">: error calling match: error parsing regexp: missing cl"
         "osing ): `(`>"},
        {"regex_more",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:203: executing \"__alert_T\" at <reReplaceA"
         "ll \"(\" \"\" \"x\">: error calling reReplaceAll: regexp: Compil"
         "e(`(`): error parsing regexp: missing closing ): `(`>"},
        {"safehtml",
         "<b>&</b>"},
        {"strings",
         "Aa Bb CC|ABC|abc"},
        {"strip",
         "foo.com|2001:db8::1|nohost|foo:12345|192.168.0.1:12345|[2001:db8"
         "::1]:80|host"},
        {"strvalue",
         "|"},
        {"timestamp",
         "2015-06-23 13:19:44.128 +0000 UTC|1970-01-01 00:00:00 +0000 UTC|"
         "NaN"},
        {"timestamp_min",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:115: executing \"__alert_T\" at <humanizeTi"
         "mestamp -9223372036854775808>: error calling humanizeTimestamp: "
         "-9.223372036854776e+18 cannot be represented as a nanoseconds ti"
         "mestamp since it overflows int64>"},
        {"timestamp_range",
         "<error expanding template: error executing template __alert_T: t"
         "emplate: __alert_T:1:115: executing \"__alert_T\" at <humanizeTi"
         "mestamp 1e10>: error calling humanizeTimestamp: 1e+10 cannot be "
         "represented as a nanoseconds timestamp since it overflows int64>"},
        {"totime",
         "2015-06-23 13:19:44.128 +0000 UTC|1435065584"},
        {"vars",
         "node|node|1234.5678|1234.5678||eu1|http://prom.example.com:9090/"
         "prefix"},
        {"vars_scope",
         "yesno2"},
};

/* The rule file's series: v at 1234.5678, up 0 for h1 and 1 for h2. */
static struct store *
series(void)
{
    static const char *const inst[] = { "h1.example.com:9100", "h2:9100" };
    struct store *st = store_new(0, 0);

    for (int s = 0; s < 3; s++) {
        struct labels ls = { NULL, 0 };
        uint32_t id;

        labels_put(&ls, LABEL_METRIC_NAME, s == 0 ? "v" : "up");
        labels_put(&ls, "job", "node");
        labels_put(&ls, "instance", inst[s == 2]);
        labels_sort(&ls);
        id = store_series_id(st, &ls);
        for (int i = 0; i <= 10; i++)
            store_append(st, id, i * MIN, s == 0 ? 1234.5678 : s == 2);
        labels_release(&ls);
    }
    return st;
}

static struct rulefile *
load_file(void)
{
    struct rulefile_err errs[4];
    size_t n = 0;
    char path[512];
    struct rulefile *rf;

    snprintf(path, sizeof(path), "%s/rules/template-funcs.yml",
             ts_testdata());
    rf = rulefile_load(path, MIN, errs, 4, &n);
    if (rf == NULL)
        fail_msg("%s", n > 0 ? errs[0].d.msg : "no error");
    return rf;
}

/* A group of the file's rule with promtool's test external labels/URL. */
static struct rule_group *
group(const struct rulefile *rf, const char *url)
{
    struct labels ext = { NULL, 0 };
    struct rule_group_opts o = { &ext, url, NULL };
    struct rule_group *g = rule_group_new(&rf->groups[0]);

    labels_put(&ext, "cluster", "eu1");
    rule_group_set_opts(g, &o);
    labels_release(&ext);
    return g;
}

static void
test_every_function(void **state)
{
    struct rulefile *rf = load_file();
    struct store *st = series();
    struct rule_group *g = group(rf, "http://prom.example.com:9090/prefix");
    const struct rule_alert *a;
    size_t ncases = sizeof(cases) / sizeof(cases[0]), bad = 0;

    (void)state;
    assert_int_equal(rule_group_eval(g, st, 5 * MIN), 0);
    assert_int_equal(rule_group_alerts(g, 0, &a), 1);
    assert_int_equal(a->annotations.n, ncases);
    for (size_t i = 0; i < ncases; i++) {
        const char *got = labels_get(&a->annotations, cases[i].annotation);

        if (got != NULL && strcmp(got, cases[i].value) == 0)
            continue;
        print_error("%s:\n want %s\n got  %s\n", cases[i].annotation,
                    cases[i].value, got != NULL ? got : "(none)");
        bad++;
    }
    assert_int_equal(bad, 0);
    /* labels: severity and host expanded, "dropped" expanded to nothing
     * and so removed, as Prometheus's label builder does */
    assert_int_equal(a->labels.n, 5);
    assert_string_equal(labels_get(&a->labels, "severity"), "page");
    assert_string_equal(labels_get(&a->labels, "host"), "h1.example.com");
    assert_null(labels_get(&a->labels, "dropped"));
    rule_group_free(g);
    store_free(st);
    rulefile_free(rf);
}

static struct rulefile *
load_text(const char *text, struct rulefile_err *errs, size_t *n)
{
    return rulefile_load_buf("t.yml", text, strlen(text), MIN, errs, 8, n);
}

/*
 * An active alert's annotations follow its value at each evaluation
 * (alerting.go updates them); pathPrefix and externalURL give the
 * external URL's path and the URL, as Prometheus's template functions
 * read its --web.external-url.
 */
static void
test_reexpanded(void **state)
{
    struct rulefile_err errs[8];
    size_t n = 0;
    struct rulefile *rf = load_text(
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n"
        "    annotations:\n      v: '{{ $value }}'\n"
        "      u: '{{ pathPrefix }}|{{ externalURL }}'\n", errs, &n);
    struct store *st = store_new(0, 0);
    struct labels ls = { NULL, 0 };
    struct rule_group *g;
    const struct rule_alert *a;
    uint32_t id;

    (void)state;
    assert_non_null(rf);
    g = group(rf, "https://example.com/prom");
    labels_put(&ls, LABEL_METRIC_NAME, "up");
    id = store_series_id(st, &ls);
    store_append(st, id, 0, 1);
    store_append(st, id, MIN, 2.5);
    rule_group_eval(g, st, 0);
    rule_group_alerts(g, 0, &a);
    assert_string_equal(labels_get(&a->annotations, "v"), "1");
    assert_string_equal(labels_get(&a->annotations, "u"),
                        "/prom|https://example.com/prom");
    rule_group_eval(g, st, MIN);
    rule_group_alerts(g, 0, &a);
    assert_string_equal(labels_get(&a->annotations, "v"), "2.5");
    labels_release(&ls);
    rule_group_free(g);
    store_free(st);
    rulefile_free(rf);
}

/*
 * Templates that do not parse are load errors in promtool check rules'
 * words (checked against promtool 2.42): label before annotation, the
 * line within the template; recording rules' labels are not templates.
 */
static void
test_parse_errors(void **state)
{
    struct rulefile_err errs[8];
    size_t n = 0;
    struct buf b;
    struct rulefile *rf = load_text(
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n"
        "    labels: {sev: '{{ $labels.x '}\n"
        "    annotations:\n      s: '{{ if }}'\n"
        "      d: \"line1\\n{{ $nope }}\"\n"
        "  - record: r\n    expr: up\n    labels: {x: '{{ end }}'}\n",
        errs, &n);

    (void)state;
    assert_null(rf);
    assert_int_equal(n, 3);
    buf_init(&b, 0);
    rulefile_errors_text("t.yml", errs, n, &b);
    assert_string_equal(buf_str(&b),
        "t.yml: group \"g\", rule 1, \"A\": label \"sev\": template: "
        "__alert_A:1: unclosed action\n"
        "t.yml: group \"g\", rule 1, \"A\": annotation \"d\": template: "
        "__alert_A:2: undefined variable \"$nope\"\n"
        "t.yml: group \"g\", rule 1, \"A\": annotation \"s\": template: "
        "__alert_A:1: missing value for if\n");
    /* promdeck's hint says where the value is */
    assert_string_equal(errs[0].d.hint, "the label's value is at line 6, "
                        "column 19");
    buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_function),
        cmocka_unit_test(test_reexpanded),
        cmocka_unit_test(test_parse_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
