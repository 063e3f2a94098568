/*
 * Tests for src/dashmodel: template variables as Grafana expands them
 * ($var, ${var}, [[var]], All as a regex alternation, $__interval and
 * friends), the offset map back into the text as written, label_values()
 * and keeping a selection when a variable's values change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "query/query.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "src/dash/dashmodel.h"

/* A variable over a copy of vals; current picks one, n picks All. */
static struct variable
var(const char *name, const char *const *vals, size_t n, size_t current,
    bool all)
{
    struct variable v = { .name = xstrdup(name), .all = all };

    v.values = xcalloc(n + 1, sizeof(*v.values));
    for (size_t i = 0; i < n; i++)
        v.values[i] = xstrdup(vals[i]);
    v.nvalues = n;
    v.current = current;
    return v;
}

static char *
expand(const char *text, const struct variable *vars, size_t n)
{
    /* A panel 120 cells wide over an hour, 15 s scrapes. */
    struct dashmodel_interval iv = dashmodel_interval(3600000, 120, 15000);

    return dashmodel_expand(text, vars, n, &iv, 3600000, NULL);
}

static void
test_references(void **state)
{
    static const char *const jobs[] = { "api", "web" };
    struct variable v[1];
    char *s;

    (void)state;
    v[0] = var("job", jobs, 2, 1, false);
    s = expand("$job ${job} [[job]] $jobx $nope ${nope} $ ${} [[job] $$job",
               v, 1);
    /* Longest name wins ($jobx is another name); unknown names stay. */
    assert_string_equal(s, "web web web $jobx $nope ${nope} $ ${} [[job] $web");
    free(s);
    dashmodel_var_fini(&v[0]);
}

static void
test_all_is_an_escaped_alternation(void **state)
{
    static const char *const hosts[] = { "a.b:9100", "c" };
    struct variable v[1];
    struct diag d;
    struct query *q;
    struct regex *re;
    char *s;

    (void)state;
    v[0] = var("inst", hosts, 2, 2, true);
    s = expand("up{instance=~\"$inst\"}", v, 1);
    assert_string_equal(s, "up{instance=~\"(a\\\\.b:9100|c)\"}");
    q = qparse_query(s, strlen(s), &d);
    assert_non_null(q);
    qparse_free(q);
    free(s);
    /* What the PromQL string holds matches the values and only them. */
    re = regex_new("(a\\.b:9100|c)", &d);
    assert_non_null(re);
    assert_true(regex_match(re, "a.b:9100", 8));
    assert_true(regex_match(re, "c", 1));
    assert_false(regex_match(re, "axb:9100", 8));
    regex_free(re);

    v[0].all_value = xstrdup(".*");
    s = dashmodel_var_text(&v[0]);
    assert_string_equal(s, ".*");
    free(s);
    dashmodel_var_fini(&v[0]);

    v[0] = var("inst", NULL, 0, 0, true);
    s = dashmodel_var_text(&v[0]);
    assert_string_equal(s, ".*");       /* All of nothing yet */
    free(s);
    v[0].all = false;
    s = dashmodel_var_text(&v[0]);
    assert_string_equal(s, "");
    free(s);
    dashmodel_var_fini(&v[0]);
}

static void
test_single_value_escaped_for_strings(void **state)
{
    static const char *const odd[] = { "say \"hi\"\\" };
    struct variable v = var("x", odd, 1, 0, false);
    char *s = dashmodel_var_text(&v);

    (void)state;
    assert_string_equal(s, "say \\\"hi\\\"\\\\");
    free(s);
    dashmodel_var_fini(&v);
}

static void
test_builtin_intervals(void **state)
{
    struct dashmodel_interval iv;
    char *s;

    (void)state;
    /* An hour over 120 cells: 30 s; rate: max(30s + 15s, 4 * 15s). */
    iv = dashmodel_interval(3600000, 120, 0);
    s = dashmodel_expand("$__interval $__rate_interval $__range "
                         "$__interval_ms $__rate_interval_ms $__range_ms "
                         "$__range_s", NULL, 0, &iv, 3600000, NULL);
    assert_string_equal(s, "30s 1m 1h 30000 60000 3600000 3600");
    free(s);
    /* Over 60 cells: 1m, and 1m + 15s. */
    iv = dashmodel_interval(3600000, 60, 0);
    s = dashmodel_expand("[$__rate_interval]", NULL, 0, &iv, 3600000, NULL);
    assert_string_equal(s, "[1m15s]");
    free(s);
}

/*
 * Grafana's interval for a panel, the numbers worked by hand from its
 * source (the Prometheus data source as Grafana 10-11 runs it):
 *
 * grafana-data/src/datetime/rangeutil.ts:
 *   calculateInterval(range, resolution, lowLimitInterval):
 *     intervalMs = roundInterval((to - from) / resolution);
 *     if (lowLimitMs > intervalMs) intervalMs = lowLimitMs;
 *   roundInterval(interval): "case interval < 17500: return 15000;
 *     case interval < 25000: return 20000; case interval < 45000:
 *     return 30000; ... case interval < 3500: return 2000; ..."
 *   (resolution is the panel's maxDataPoints, its width; the low limit
 *   the data source's scrape interval, '15s' when none is set)
 * pkg/promlib/models/query.go, calculatePrometheusInterval:
 *   "safeInterval := intervalCalculator.CalculateSafeInterval(
 *    query.TimeRange, int64(safeResolution))" with safeResolution
 *   11000, and the step is the larger of the two;
 *   calculateRateInterval: "rateInterval := max(queryInterval +
 *   scrapeIntervalDuration, 4 * scrapeIntervalDuration)", queryInterval
 *   being the interval calculateInterval gave.
 */
static void
test_grafana_interval(void **state)
{
    static const struct {
        int64_t range;
        int width;
        int64_t scrape;
        int64_t step, rate;
    } cases[] = {
        /* 1h / 200 = 18 s -> 20 s; rate max(35s, 60s) */
        { 3600000, 200, 0, 20000, 60000 },
        /* 1h / 118 = 30.5 s -> 30 s */
        { 3600000, 118, 15000, 30000, 60000 },
        /* 5m / 100 = 3 s -> 2 s, above a 1 s scrape; rate 4 * 1 s */
        { 300000, 100, 1000, 2000, 4000 },
        /* ... but never below a 15 s one: 15 s, rate 4 * 15 s */
        { 300000, 100, 15000, 15000, 60000 },
        /* 7d / 80 = 2.1 h -> 2h; rate 2h + 15s */
        { 604800000, 80, 15000, 7200000, 7215000 },
        /* 30d / 5 = 6d -> 1d */
        { 2592000000, 5, 60000, 86400000, 86460000 },
        /* 24h over 100000 cells: 864 ms -> 1 s, at the 1 s scrape; the
         * step is 24h / 11000 = 7.85 s -> 10 s (Prometheus's point
         * limit), while $__rate_interval keeps the interval's 1 s */
        { 86400000, 100000, 1000, 10000, 4000 },
        /* no width known: 200 cells */
        { 21600000, 0, 0, 120000, 135000 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dashmodel_interval iv = dashmodel_interval(
            cases[i].range, cases[i].width, cases[i].scrape);

        assert_int_equal(iv.step_ms, cases[i].step);
        assert_int_equal(iv.rate_ms, cases[i].rate);
    }
    /* A panel's own Min interval takes the scrape interval's place as
     * the low limit (frontend calculateInterval's lowLimitInterval is
     * the panel's interval when set, else the data source's), but
     * $__rate_interval keeps the scrape interval: max(2m + 15s, 1m). */
    {
        struct dashmodel_interval iv = dashmodel_interval_min(
            3600000, 118, 15000, 120000);

        assert_int_equal(iv.step_ms, 120000);
        assert_int_equal(iv.rate_ms, 135000);
        /* below the scrape interval, as the user asked: 5m / 100 = 3 s
         * -> 2 s over a 1 s minimum */
        iv = dashmodel_interval_min(300000, 100, 15000, 1000);
        assert_int_equal(iv.step_ms, 2000);
        assert_int_equal(iv.rate_ms, 60000);
    }
    /* roundInterval's edges: each bound belongs to the next value. */
    assert_int_equal(dashmodel_round_interval(9.99), 1);
    assert_int_equal(dashmodel_round_interval(10), 10);
    assert_int_equal(dashmodel_round_interval(17499), 15000);
    assert_int_equal(dashmodel_round_interval(17500), 20000);
    assert_int_equal(dashmodel_round_interval(209999), 120000);
    assert_int_equal(dashmodel_round_interval(3628800000.0), 31536000000);
}

static void
test_offset_map(void **state)
{
    static const char *const w[] = { "15m" };
    struct variable v = var("w", w, 1, 0, false);
    size_t *map;
    struct dashmodel_interval iv = { 1000, 4000 };
    char *s = dashmodel_expand("rate(x[$w]) +", &v, 1, &iv, 1000, &map);

    (void)state;
    assert_string_equal(s, "rate(x[15m]) +");
    assert_int_equal(map[6], 6);        /* '[' */
    assert_int_equal(map[7], 7);        /* "15m" all came from "$w" */
    assert_int_equal(map[9], 7);
    assert_int_equal(map[10], 9);       /* ']' */
    assert_int_equal(map[13], 12);      /* '+' */
    assert_int_equal(map[14], 13);      /* the end maps to the end */
    free(map);
    free(s);
    dashmodel_var_fini(&v);
}

static void
test_label_values(void **state)
{
    const char *why;
    char *sel, *label;
    size_t off;

    (void)state;
    assert_int_equal(dashmodel_label_values("label_values(job)", &sel,
                                            &label, &why, &off), 0);
    assert_null(sel);
    assert_string_equal(label, "job");
    free(label);
    assert_int_equal(dashmodel_label_values(
        " label_values ( up{job=~\"a,b\", x=\")\"} , instance ) ", &sel,
        &label, &why, &off), 0);
    assert_string_equal(sel, "up{job=~\"a,b\", x=\")\"}");
    assert_string_equal(label, "instance");
    free(sel);
    free(label);
    assert_int_equal(dashmodel_label_values("label_values()", &sel, &label,
                                            &why, &off), -1);
    assert_int_equal(off, 13);
    assert_string_equal(why, "expected a label name");
    assert_int_equal(dashmodel_label_values("query_result(up)", &sel,
                                            &label, &why, &off), -1);
    assert_int_equal(off, 0);
    assert_int_equal(dashmodel_label_values("label_values(up, job", &sel,
                                            &label, &why, &off), -1);
    assert_int_equal(off, 20);
    assert_int_equal(dashmodel_label_values("label_values(, job)", &sel,
                                            &label, &why, &off), -1);
    assert_int_equal(off, 13);
    assert_null(sel);
    assert_null(label);
}

static void
test_set_values_keeps_selection(void **state)
{
    static const char *const a[] = { "x", "y", "z" };
    static const char *const b[] = { "w", "z" };
    static const char *const c[] = { "q", "r" };
    struct variable v = var("v", a, 3, 2, false);

    (void)state;
    dashmodel_var_set_values(&v, b, 2);
    assert_int_equal(v.current, 1);         /* z is still there */
    v.default_value = xstrdup("r");
    dashmodel_var_set_values(&v, c, 2);
    assert_int_equal(v.current, 1);         /* z went: the default */
    free(v.default_value);
    v.default_value = NULL;
    dashmodel_var_set_values(&v, a, 3);
    assert_int_equal(v.current, 0);         /* nothing fits: the first */
    v.all = true;
    v.current = v.nvalues;
    dashmodel_var_set_values(&v, b, 2);
    assert_int_equal(v.current, 2);         /* All stays All */
    dashmodel_var_set_values(&v, NULL, 0);
    assert_int_equal(v.nvalues, 0);
    assert_int_equal(v.current, 0);
    dashmodel_var_fini(&v);
}

/* Grafana's documentation, "Advanced variable format options", with its
 * examples' values; All of two values stands for the list. */
static void
test_format_options(void **state)
{
    static const char *const servers[] = { "test1", "test2" };
    static const char *const dotted[] = { "test1.", "test2" };
    static const char *const quoted[] = { "test'1", "test2" };
    static const char *const spaced[] = { "foo()bar BAZ", "test2" };
    static const struct { const char *const *vals, *in, *out; } cases[] = {
        { servers, "${servers:csv}", "test1,test2" },
        { servers, "${servers:distributed}", "test1,servers=test2" },
        { servers, "${servers:doublequote}", "\"test1\",\"test2\"" },
        { servers, "${servers:glob}", "{test1,test2}" },
        /* JSON.stringify, which writes no space after the comma. */
        { servers, "${servers:json}", "[\"test1\",\"test2\"]" },
        { servers, "${servers:lucene}", "(\"test1\" OR \"test2\")" },
        { spaced, "${servers:percentencode}",
          "foo%28%29bar%20BAZ%2Ctest2" },
        { dotted, "${servers:pipe}", "test1.|test2" },
        { dotted, "${servers:raw}", "test1.,test2" },
        { dotted, "${servers:regex}", "(test1\\.|test2)" },
        { servers, "${servers:singlequote}", "'test1','test2'" },
        { quoted, "${servers:sqlstring}", "'test''1','test2'" },
        { servers, "${servers:text}", "All" },
        { servers, "${servers:queryparam}",
          "var-servers=test1&var-servers=test2" },
        /* The old [[name:format]] form; an unknown format is glob. */
        { servers, "[[servers:csv]]", "test1,test2" },
        { servers, "${servers:nosuch}", "{test1,test2}" },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct variable v = var("servers", cases[i].vals, 2, 2, true);
        char *s = expand(cases[i].in, &v, 1);

        assert_string_equal(s, cases[i].out);
        free(s);
        dashmodel_var_fini(&v);
    }
}

/* One selected value: a string to the formats, unless multi-value. */
static void
test_format_single_value(void **state)
{
    static const char *const vals[] = { "a.b\"c", "x" };
    struct variable v = var("v", vals, 2, 0, false);
    char *s;

    (void)state;
    s = expand("${v:json} ${v:regex} ${v:lucene} ${v:text} ${v:pipe}", &v,
               1);
    assert_string_equal(s, "\"a.b\\\"c\" a\\.b\"c a.b\\\"c a.b\"c a.b\"c");
    free(s);
    v.multi = true;
    s = expand("${v:json} ${v:lucene}", &v, 1);
    assert_string_equal(s, "[\"a.b\\\"c\"] (\"a.b\\\"c\")");
    free(s);
    /* Without a format: a PromQL string, or with regex_value (Grafana's
     * multi-value and include-All variables) a regex in that string. */
    s = expand("$v", &v, 1);
    assert_string_equal(s, "a.b\\\"c");
    free(s);
    v.regex_value = true;
    s = expand("$v", &v, 1);
    assert_string_equal(s, "a\\\\.b\\\"c");
    free(s);
    /* A backslash is a regex escape, then a string escape: four. */
    free(v.values[1]);
    v.values[1] = xstrdup("c\\d");
    v.current = 1;
    s = expand("$v", &v, 1);
    assert_string_equal(s, "c\\\\\\\\d");
    free(s);
    dashmodel_var_fini(&v);
}

/* A custom All value is written as it is, except by text (and
 * percentencode); built-ins take formats as one plain value. */
static void
test_format_custom_all_and_builtins(void **state)
{
    static const char *const vals[] = { "a", "b" };
    struct variable v = var("v", vals, 2, 2, true);
    char *s;

    (void)state;
    v.all_value = xstrdup(".*");
    s = expand("${v} ${v:csv} ${v:regex} ${v:text} ${v:percentencode}", &v,
               1);
    assert_string_equal(s, ".* .* .* All .%2A");
    free(s);
    s = expand("${__range_s:raw} [[__interval]] ${__interval:json}", &v, 1);
    assert_string_equal(s, "3600 30s \"30s\"");
    free(s);
    /* Grafana: max($__interval + scrape interval, 4 * scrape interval),
     * with the 15 s scrape interval it assumes: max(45s, 60s). */
    s = expand("$__rate_interval $__rate_interval_ms", &v, 1);
    assert_string_equal(s, "1m 60000");
    free(s);
    assert_true(dashmodel_refers("x{a=\"${v:csv}\"}", "v"));
    assert_true(dashmodel_refers("[[v]]", "v"));
    assert_false(dashmodel_refers("$vv ${w}", "v"));
    dashmodel_var_fini(&v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_options),
        cmocka_unit_test(test_format_single_value),
        cmocka_unit_test(test_format_custom_all_and_builtins),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_all_is_an_escaped_alternation),
        cmocka_unit_test(test_single_value_escaped_for_strings),
        cmocka_unit_test(test_builtin_intervals),
        cmocka_unit_test(test_grafana_interval),
        cmocka_unit_test(test_offset_map),
        cmocka_unit_test(test_label_values),
        cmocka_unit_test(test_set_values_keeps_selection),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
