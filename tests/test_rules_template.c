/*
 * Rule templates: Prometheus's own template test cases (the function map,
 * with its inputs written as literals), Go's text/template rules for text,
 * trim markers, actions, variables, control structures, pipelines,
 * comparisons and fmt, parse errors with their line and column, and
 * execution errors with Go's messages.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "query/value.h"
#include "src/base/arena.h"
#include "src/rules/template.h"

struct tcase {
    const char *text;
    const char *want;
};

static struct label rule_labels[] = {
    {"__name__", "up"}, {"instance", "a:9090"}, {"job", "node"},
};
static struct labels rule_set = {rule_labels, 3};
static struct label ext_labels[] = {{"cluster", "eu-1"}};
static struct labels ext_set = {ext_labels, 1};

/* Adds one series with one point to a result being built. */
static void
add_series(struct qresult *r, const char *inst, double v)
{
    struct qseries *s = &r->series[r->nseries++];
    struct label *l = arena_calloc(r->arena, 2, sizeof *l);

    l[0] = (struct label){"__name__", "metric"};
    l[1] = (struct label){"instance", arena_strdup(r->arena, inst)};
    s->labels = (struct labels){l, 2};
    s->points = arena_calloc(r->arena, 1, sizeof *s->points);
    s->points[0] = (struct qpoint){0, v};
    s->npoints = 1;
}

/* The query function the tests give: a few fixed answers. */
static struct qresult *
fake_query(void *ctx, const char *expr, struct diag *d)
{
    struct arena *a = arena_new();
    struct qresult *r = arena_calloc(a, 1, sizeof *r);

    (void)ctx;
    r->arena = a;
    r->series = arena_calloc(a, 4, sizeof *r->series);
    if (!strcmp(expr, "1.5")) {
        r->type = QV_SCALAR;
        r->scalar = 1.5;
    } else if (!strcmp(expr, "metric")) {
        r->type = QV_VECTOR;
        add_series(r, "b", 21);
        add_series(r, "a", 11);
    } else if (!strcmp(expr, "missing")) {
        r->type = QV_VECTOR;
    } else if (!strcmp(expr, "\"str\"")) {
        r->type = QV_STRING;
        r->string = "str";
    } else {
        qresult_free(r);
        diag_set(d, 1, 1, 1, "parse error: unexpected end of input");
        return NULL;
    }
    return r;
}

static struct tmpl_data
rule_data(void)
{
    return (struct tmpl_data){
        .labels = &rule_set, .external_labels = &ext_set,
        .external_url = "http://testhost:9090/path/prefix", .value = 1.5,
        .query = fake_query, .time_ms = 0,
    };
}

/* Parses and runs text; returns 0 or -1 and leaves the output in out. */
static int
run(const char *text, const struct tmpl_data *data, struct buf *out,
    struct diag *d)
{
    struct tmpl *t = tmpl_parse("test", text, d);
    int rc;

    buf_init(out, 0);
    if (!t)
        return -2;
    rc = tmpl_exec(t, data, out, d);
    tmpl_free(t);
    return rc;
}

/* Runs each case with the rule data and compares the output. */
static void
check_all(const struct tcase *c, size_t n, const struct tmpl_data *data)
{
    size_t i;
    int fails = 0;

    for (i = 0; i < n; i++) {
        struct buf out;
        struct diag d;
        int rc = run(c[i].text, data, &out, &d);

        if (rc != 0 || strcmp(buf_str(&out), c[i].want) != 0) {
            print_message("%s\n  want: [%s]\n  got:  [%s] %s\n", c[i].text,
                          c[i].want, buf_str(&out), rc ? d.msg : "");
            fails++;
        }
        buf_fini(&out);
    }
    assert_int_equal(fails, 0);
}

static void
check(const struct tcase *c, size_t n)
{
    struct tmpl_data data = rule_data();

    check_all(c, n, &data);
}

#define CHECK(cases) check(cases, sizeof cases / sizeof cases[0])

/* An error case: the text, the message and its line and column. */
struct ecase {
    const char *text;
    const char *msg;
    int line, col;
};

/* Runs each case expecting a parse (parse true) or execution error. */
static void
check_errors(const struct ecase *c, size_t n, bool parse)
{
    struct tmpl_data data = rule_data();
    size_t i;
    int fails = 0;

    for (i = 0; i < n; i++) {
        struct buf out;
        struct diag d;
        int rc = run(c[i].text, &data, &out, &d);

        if (rc != (parse ? -2 : -1) || strcmp(d.msg, c[i].msg) != 0
            || d.line != c[i].line || d.col != c[i].col) {
            print_message("%s\n  want: %d:%d: %s\n  got:  %d:%d: %s "
                          "(rc %d)\n", c[i].text, c[i].line, c[i].col,
                          c[i].msg, d.line, d.col, d.msg, rc);
            fails++;
        }
        buf_fini(&out);
    }
    assert_int_equal(fails, 0);
}

/* What Prometheus defines before a rule's text, and the data fields. */
static void
test_rule_data(void **state)
{
    static const struct tcase cases[] = {
        {"{{ $labels.instance }}", "a:9090"},
        {"{{ $labels.missing }}", ""},
        {"{{ $value }}", "1.5"},
        {"{{ $externalLabels.cluster }}", "eu-1"},
        {"{{ $externalURL }}", "http://testhost:9090/path/prefix"},
        {"{{ .Labels.job }}", "node"},
        {"{{ .Value }}", "1.5"},
        {"{{ .ExternalLabels.cluster }}", "eu-1"},
        {"{{ .ExternalURL }}", "http://testhost:9090/path/prefix"},
        {"{{ $.Labels.job }}", "node"},
        {"{{ $labels }}", "map[__name__:up instance:a:9090 job:node]"},
        {"{{ index $labels \"job\" }}", "node"},
        {"{{ index $labels \"nope\" }}", ""},
        {"{{ len $labels }}", "3"},
        {"Instance {{ $labels.instance }} of job {{ $labels.job }} is at "
         "{{ $value }}.", "Instance a:9090 of job node is at 1.5."},
    };

    (void)state;
    CHECK(cases);
}

/* $value prints as Go's %v of a float64: the shortest digits, in 'e'
 * form from 1e6 on and below 1e-4. */
static void
test_value_format(void **state)
{
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0, "0"}, {1, "1"}, {-2.5, "-2.5"}, {100, "100"},
        {123456, "123456"}, {1e6, "1e+06"}, {1234567, "1.234567e+06"},
        {0.1, "0.1"}, {0.0001, "0.0001"}, {0.00001, "1e-05"},
        {1.0 / 3, "0.3333333333333333"}, {1e21, "1e+21"},
        {123456789012, "1.23456789012e+11"}, {-0.0, "-0"},
        {NAN, "NaN"}, {INFINITY, "+Inf"}, {-INFINITY, "-Inf"},
        {5e-324, "5e-324"}, {1.7976931348623157e308,
                             "1.7976931348623157e+308"},
    };
    struct tmpl_data data = rule_data();
    struct tcase c = {"{{ $value }}", NULL};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        data.value = cases[i].v;
        c.want = cases[i].want;
        check_all(&c, 1, &data);
    }
}

/* Text, trim markers, comments and literals. */
static void
test_text_literals(void **state)
{
    static const struct tcase cases[] = {
        {"plain text", "plain text"},
        {"", ""},
        {"{{ 1 }}", "1"},
        {"a  {{- 1 -}}  b", "a1b"},
        {"a {{- /* comment */ -}} b", "ab"},
        {"a{{/* a\nlong comment */}}b", "ab"},
        {"x\n  {{- \"y\" }}\n", "xy\n"},
        {"{{ 1 -}}\n\n  x", "1x"},
        {"{{-3}}", "-3"},
        {"{{ 1.5 }}", "1.5"},
        {"{{ 1e3 }}", "1000"},
        {"{{ 0x10 }}", "16"},
        {"{{ 'a' }}", "97"},
        {"{{ \"a\\tb\\u00e9\" }}", "a\tb\xc3\xa9"},
        {"{{ `raw\\n` }}", "raw\\n"},
        {"{{ true }} {{ false }}", "true false"},
        {"{{ \"<b>\" }}", "<b>"},
    };

    (void)state;
    CHECK(cases);
}

/* if/else if/else, with, range (slices, maps, break, continue), scope. */
static void
test_control(void **state)
{
    static const struct tcase cases[] = {
        {"{{ if true }}y{{ end }}", "y"},
        {"{{ if false }}y{{ else }}n{{ end }}", "n"},
        {"{{ if eq $labels.job \"x\" }}a{{ else if eq $labels.job \"node\" }}"
         "b{{ else }}c{{ end }}", "b"},
        {"{{ if \"\" }}y{{ else }}n{{ end }}", "n"},
        {"{{ if 0 }}y{{ else }}n{{ end }}", "n"},
        {"{{ if 0.0 }}y{{ else }}n{{ end }}", "n"},
        {"{{ if $labels }}y{{ end }}", "y"},
        {"{{ if query \"missing\" }}y{{ else }}n{{ end }}", "n"},
        {"{{ with $labels.job }}[{{ . }}]{{ end }}", "[node]"},
        {"{{ with $labels.missing }}[{{ . }}]{{ else }}none{{ end }}",
         "none"},
        {"{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}",
         "__name__=up;instance=a:9090;job=node;"},
        {"{{ range $labels }}{{ . }},{{ end }}", "up,a:9090,node,"},
        {"{{ range $i, $s := query \"metric\" }}{{ $i }}:"
         "{{ $s.Labels.instance }}={{ $s.Value }} {{ end }}",
         "0:b=21 1:a=11 "},
        {"{{ range query \"missing\" }}x{{ else }}empty{{ end }}", "empty"},
        {"{{ range query \"metric\" }}{{ if eq .Labels.instance \"b\" }}"
         "{{ continue }}{{ end }}{{ .Value }}{{ end }}", "11"},
        {"{{ range query \"metric\" }}{{ .Value }}{{ break }}{{ end }}",
         "21"},
        {"{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"},
        {"{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
         "21"},
        {"{{ range $x := query \"metric\" }}{{ end }}{{ $value }}", "1.5"},
        {"{{ define \"t\" }}[{{ . }}]{{ end }}{{ template \"t\" $labels.job }}",
         "[node]"},
        {"{{ block \"b\" $value }}<{{ . }}>{{ end }}", "<1.5>"},
        {"{{ define \"x\" }}{{ .arg0 }} {{ .arg1 }}{{ end }}"
         "{{ template \"x\" (args 1 \"2\") }}", "1 2"},
        {"{{ template \"t\" }}{{ define \"t\" }}{{ . }}{{ end }}",
         "<no value>"},
        {"{{ define \"t\" }}{{ $.Value }}{{ end }}{{ template \"t\" . }}",
         "1.5"},
    };

    (void)state;
    CHECK(cases);
}

/* Pipelines pass each value as the last argument of the next command. */
static void
test_pipelines(void **state)
{
    static const struct tcase cases[] = {
        {"{{ $labels.job | toUpper }}", "NODE"},
        {"{{ \"a b\" | printf \"%s-%s\" \"x\" }}", "x-a b"},
        {"{{ $value | humanize }}", "1.5"},
        {"{{ 1234567.0 | humanize | printf \"%q\" }}", "\"1.235M\""},
        {"{{ (query \"metric\" | first).Labels.instance }}", "b"},
        {"{{ query \"metric\" | len }}", "2"},
        {"{{ $x := $labels.job | toUpper }}{{ $x }}", "NODE"},
        {"{{ (1) }}", "1"},
    };

    (void)state;
    CHECK(cases);
}

/* and/or/not and Go's comparison rules. */
static void
test_logic_compare(void **state)
{
    static const struct tcase cases[] = {
        {"{{ and 1 0 }}", "0"}, {"{{ and 1 2 }}", "2"},
        {"{{ or 0 \"\" }}", ""}, {"{{ or 0 3 }}", "3"},
        {"{{ not 0 }}", "true"}, {"{{ not $labels }}", "false"},
        {"{{ and false (query \"bad\") }}", "false"},
        {"{{ or true (query \"bad\") }}", "true"},
        {"{{ eq 1 1 }}", "true"}, {"{{ eq 1 2 3 1 }}", "true"},
        {"{{ eq \"a\" \"b\" }}", "false"}, {"{{ ne 1 2 }}", "true"},
        {"{{ lt 1 2 }}", "true"}, {"{{ le 2 2 }}", "true"},
        {"{{ gt 2.5 1.5 }}", "true"}, {"{{ ge \"b\" \"a\" }}", "true"},
        {"{{ gt $value 1.0 }}", "true"}, {"{{ lt $value 1.0 }}", "false"},
        {"{{ gt 0 -1 }}", "true"},
        {"{{ if and (gt $value 1.0) (eq $labels.job \"node\") }}fire"
         "{{ end }}", "fire"},
    };

    (void)state;
    CHECK(cases);
}

/* print, printf and println with Go's fmt verbs and marks. */
static void
test_fmt(void **state)
{
    static const struct tcase cases[] = {
        {"{{ printf \"%d\" 42 }}", "42"},
        {"{{ printf \"%5d|%-5d|\" 42 42 }}", "   42|42   |"},
        {"{{ printf \"%05d\" -42 }}", "-0042"},
        {"{{ printf \"%+d\" 5 }}", "+5"},
        {"{{ printf \"%x %X\" 255 255 }}", "ff FF"},
        {"{{ printf \"%x\" \"hi\" }}", "6869"},
        {"{{ printf \"%.2f\" 3.14159 }}", "3.14"},
        {"{{ printf \"%f\" 1.5 }}", "1.500000"},
        {"{{ printf \"%e\" 1234.5 }}", "1.234500e+03"},
        {"{{ printf \"%g\" 1e6 }}", "1e+06"},
        {"{{ printf \"%g\" 0.1 }}", "0.1"},
        {"{{ printf \"%g\" 1.23456789 }}", "1.23456789"},
        {"{{ printf \"%.3g\" 1234.5 }}", "1.23e+03"},
        {"{{ printf \"%v\" 1.5 }}", "1.5"},
        {"{{ printf \"%8.2f|\" $value }}", "    1.50|"},
        {"{{ printf \"%.1f\" (query \"metric\" | first | value) }}", "21.0"},
        {"{{ printf \"%s\" $labels.job }}", "node"},
        {"{{ printf \"%q\" \"a\\\"b\" }}", "\"a\\\"b\""},
        {"{{ printf \"%10s|%-6s|\" \"r\" \"l\" }}", "         r|l     |"},
        {"{{ printf \"%.2s\" \"abc\" }}", "ab"},
        {"{{ printf \"%t\" true }}", "true"},
        {"{{ printf \"%c\" 65 }}", "A"},
        {"{{ printf \"100%%\" }}", "100%"},
        {"{{ printf \"%d\" \"x\" }}", "%!d(string=x)"},
        {"{{ printf \"%d\" }}", "%!d(MISSING)"},
        {"{{ printf \"%d\" 1 2 }}", "1%!(EXTRA int=2)"},
        {"{{ printf \"%s\" 1.5 }}", "%!s(float64=1.5)"},
        {"{{ printf \"%f\" 1 }}", "%!f(int=1)"},
        {"{{ printf \"%v\" $labels }}",
         "map[__name__:up instance:a:9090 job:node]"},
        {"{{ print 1 2 }}", "1 2"},
        {"{{ print \"a\" 1 2 \"b\" }}", "a1 2b"},
        {"{{ println 1 \"a\" }}", "1 a\n"},
        {"{{ print nil }}", "<nil>"},
        {"{{ print 1.5 true }}", "1.5 true"},
    };

    (void)state;
    CHECK(cases);
}

/* Go's other builtins: len, index, html, js, urlquery. */
static void
test_builtins(void **state)
{
    static const struct tcase cases[] = {
        {"{{ len \"abc\" }}", "3"},
        {"{{ len (args 1 2) }}", "2"},
        {"{{ index (args 1 2) \"arg1\" }}", "2"},
        /* a missing entry is a nil interface{}, which the pipeline
           turns into no value (promtool 2.42 prints "<no value>") */
        {"{{ index (args 1 2) \"arg7\" }}", "<no value>"},
        {"{{ printf \"%v\" (index (args 1) \"arg3\") }}", "<nil>"},
        {"{{ with args 1 }}{{ .arg2 | printf \"%v\" }}{{ end }}", "<nil>"},
        {"{{ index (query \"metric\") 1 | value }}", "11"},
        {"{{ index \"abc\" 1 }}", "98"},
        {"{{ slice \"abcde\" 1 3 }}|{{ slice \"abcde\" 2 }}|"
         "{{ slice \"abc\" }}|{{ slice \"abc\" 3 }}", "bc|cde|abc|"},
        {"{{ range slice (query \"metric\") 1 }}{{ .Value }}{{ end }}",
         "11"},
        {"{{ len (slice (query \"metric\") 0 1 1) }}", "1"},
        {"{{ html \"<a href='x'>&\\\"\" }}",
         "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"},
        {"{{ html 1 \"<\" }}", "1&lt;"},
        {"{{ js \"it's <b>\\n\" }}", "it\\'s \\u003Cb\\u003E\\u000A"},
        {"{{ urlquery \"a b&c=d/\\u00e9\" }}", "a+b%26c%3Dd%2F%C3%A9"},
        {"{{ args 1 \"a\" }}", "map[arg0:1 arg1:a]"},
        {"{{ args 0 1 2 3 4 5 6 7 8 9 10 }}",
         "map[arg0:0 arg1:1 arg10:10 arg2:2 arg3:3 arg4:4 arg5:5 arg6:6 "
         "arg7:7 arg8:8 arg9:9]"},
    };

    (void)state;
    CHECK(cases);
}

/* Prometheus's query helpers (cases of its template tests). */
static void
test_query_funcs(void **state)
{
    static const struct tcase cases[] = {
        {"{{ query \"1.5\" | first | value }}", "1.5"},
        {"{{ query \"metric\" | first | value }}", "21"},
        {"{{ query \"metric\" | first | label \"instance\" }}", "b"},
        {"{{ query \"metric\" | first | label \"foo\" }}", ""},
        {"{{ query \"metric\" | first | strvalue }}", ""},
        {"{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", ""},
        {"{{ range query \"metric\" | sortByLabel \"instance\" }}"
         "{{.Labels.instance}}:{{.Value}}: {{end}}", "a:11: b:21: "},
        {"{{ with query \"metric\" }}{{ . | first | value | humanize }}"
         "{{ end }}", "21"},
    };

    (void)state;
    CHECK(cases);
}

/* humanize and friends (cases of Prometheus's template tests). */
static void
test_humanize(void **state)
{
    static const struct tcase cases[] = {
        {"{{ humanize 0.0 }}:{{ humanize 1.0 }}:{{ humanize 1234567.0 }}:"
         "{{ humanize .12 }}", "0:1:1.235M:120m"},
        {"{{ humanize \"0.0\" }}:{{ humanize \"1.0\" }}:"
         "{{ humanize \"1234567.0\" }}:{{ humanize \".12\" }}",
         "0:1:1.235M:120m"},
        {"{{ humanize 0 }}:{{ humanize -1 }}:{{ humanize 1 }}:"
         "{{ humanize 1234567 }}:{{ humanize 9223372036854775807 }}",
         "0:-1:1:1.235M:9.223E"},
        {"{{ humanize 0.000001234 }}", "1.234u"},
        {"{{ humanize1024 0.0 }}:{{ humanize1024 1.0 }}:"
         "{{ humanize1024 1048576.0 }}:{{ humanize1024 .12 }}",
         "0:1:1Mi:0.12"},
        {"{{ humanize1024 \"1048576.0\" }}:{{ humanize1024 \".12\" }}",
         "1Mi:0.12"},
        {"{{ humanize1024 -1 }}:{{ humanize1024 1234567 }}:"
         "{{ humanize1024 9223372036854775807 }}", "-1:1.177Mi:8Ei"},
        {"{{ humanizeDuration 0 }}:{{ humanizeDuration 1 }}:"
         "{{ humanizeDuration 60 }}:{{ humanizeDuration 3600 }}:"
         "{{ humanizeDuration 86400 }}:{{ humanizeDuration 90000 }}:"
         "{{ humanizeDuration -183845 }}:{{ humanizeDuration 899.99 }}",
         "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:"
         "14m 59s"},
        {"{{ humanizeDuration .1 }}:{{ humanizeDuration .0001 }}:"
         "{{ humanizeDuration .12345 }}:{{ humanizeDuration 60.1 }}:"
         "{{ humanizeDuration 60.5 }}:{{ humanizeDuration 1.2345 }}:"
         "{{ humanizeDuration 12.345 }}",
         "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s"},
        {"{{ humanizeDuration \".12345\" }}:{{ humanizeDuration \"86400\" }}",
         "123.5ms:1d 0h 0m 0s"},
        {"{{ humanizeDuration -1 }}:{{ humanizeDuration 1234567 }}:"
         "{{ humanizeDuration -1.5 }}", "-1s:14d 6h 56m 7s:-1.5s"},
        {"{{ range $x := args \"+Inf\" \"-Inf\" \"NaN\" }}{{ humanize $x }}:"
         "{{ humanize1024 $x }}:{{ humanizeDuration $x }}:"
         "{{ humanizeTimestamp $x }}:{{ end }}",
         "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:"},
        {"{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}"
         ":{{ 0.1234567 | humanizePercentage }}:"
         "{{ 1.23456 | humanizePercentage }}", "-22.22%:0%:12.35%:123.5%"},
        {"{{ \"-0.22222\" | humanizePercentage }}:"
         "{{ \"1.23456\" | humanizePercentage }}", "-22.22%:123.5%"},
        {"{{ humanizePercentage -1 }}:{{ humanizePercentage 1234567 }}:"
         "{{ humanizePercentage 9223372036854775807 }}",
         "-100%:1.235e+08%:9.223e+20%"},
        {"{{ humanizeTimestamp 0 }}|{{ humanizeTimestamp -1 }}|"
         "{{ humanizeTimestamp 1234567 }}|{{ humanizeTimestamp 9223372036 }}",
         "1970-01-01 00:00:00 +0000 UTC|1969-12-31 23:59:59 +0000 UTC|"
         "1970-01-15 06:56:07 +0000 UTC|2262-04-11 23:47:16 +0000 UTC"},
        {"{{ 1435065584.128 | humanizeTimestamp }}",
         "2015-06-23 13:19:44.128 +0000 UTC"},
        {"{{ \"1435065584.128\" | humanizeTimestamp }}",
         "2015-06-23 13:19:44.128 +0000 UTC"},
        {"{{ toTime 1657155181 }}", "2022-07-07 00:53:01 +0000 UTC"},
        {"{{ (1435065584.128 | toTime).Format \"2006\" }}", "2015"},
        {"{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", "2015"},
        {"{{ (toTime 1435065584.128).Format "
         "\"2006-01-02T15:04:05.000Z07:00 Mon Jan _2 3PM -0700 MST\" }}",
         "2015-06-23T13:19:44.128Z Tue Jun 23 1PM +0000 UTC"},
        {"{{ (toTime 1435065584.1).Format \"05.999|05.000|05,00\" }}",
         "44.1|44.100|44,10"},
        {"{{ (toTime 1435065584).Format \"05.999 January Monday 002\" }}",
         "44 June Tuesday 174"},
        {"{{ (toTime 1435065584).Format \"Janet Monet -070000 pm\" }}",
         "Janet Monet +000000 pm"},
        {"{{ \"2006\" | (toTime 1435065584.128).Format }}", "2015"},
        {"{{ (toTime 1435065584.128).Unix }}", "1435065584"},
        {"{{ (toTime 1435065584.128).UnixMilli }}", "1435065584128"},
        {"{{ (toTime -1.5).Unix }}", "-2"},
        {"{{ (toTime 0).UTC }}", "1970-01-01 00:00:00 +0000 UTC"},
        {"{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", "3720.01"},
    };

    (void)state;
    CHECK(cases);
}

/* String, host, regex and link helpers. */
static void
test_string_funcs(void **state)
{
    static const struct tcase cases[] = {
        {"{{ \"aa bb CC\" | title }}", "Aa Bb CC"},
        {"{{ \"foo-bar_baz\" | title }}", "Foo-Bar_baz"},
        {"{{ \"aa bb CC\" | toUpper }}", "AA BB CC"},
        {"{{ \"aA bB CC\" | toLower }}", "aa bb cc"},
        {"{{ \"foo.example.com\" | stripPort }}", "foo.example.com"},
        {"{{ \"foo.example.com:12345\" | stripPort }}", "foo.example.com"},
        {"{{ \"192.0.2.1\" | stripPort }}", "192.0.2.1"},
        {"{{ \"192.0.2.1:12345\" | stripPort }}", "192.0.2.1"},
        {"{{ \"2001:0DB8::1\" | stripPort }}", "2001:0DB8::1"},
        {"{{ \"[2001:0DB8::1]:12345\" | stripPort }}", "2001:0DB8::1"},
        {"{{ \"[2001:0DB8::1]::12345\" | stripPort }}",
         "[2001:0DB8::1]::12345"},
        {"{{ \"foo.example.com\" | stripDomain }}", "foo"},
        {"{{ \"foo.example.com:12345\" | stripDomain }}", "foo:12345"},
        {"{{ \"192.0.2.1\" | stripDomain }}", "192.0.2.1"},
        {"{{ \"192.0.2.1:12345\" | stripDomain }}", "192.0.2.1:12345"},
        {"{{ \"2001:0DB8::1\" | stripDomain }}", "2001:0DB8::1"},
        {"{{ \"[2001:0DB8::1]:12345\" | stripDomain }}",
         "[2001:0DB8::1]:12345"},
        {"{{ \"[2001:0DB8::1]::12345\" | stripDomain }}",
         "[2001:0DB8::1]::12345"},
        {"{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", "true false"},
        {"{{ match \"b\" \"abc\" }} {{ match \"^b\" \"abc\" }}",
         "true false"},
        {"{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", "xa"},
        {"{{ reReplaceAll \"a\" \"X\" \"banana\" }}", "bXnXnX"},
        {"{{ reReplaceAll \"a*\" \"-\" \"baaac\" }}", "-b-c-"},
        {"{{ reReplaceAll \"(?P<h>[^:]+):(\\\\d+)\" \"${h} port $2\" "
         "\"host:80\" }}", "host port 80"},
        {"{{ reReplaceAll \"^x\" \"y\" \"xx\" }}", "yx"},
        {"{{ reReplaceAll \"\\\\bb\" \"B\" \"ab b\" }}", "ab B"},
        {"{{ reReplaceAll \"(x)\" \"$1$$ $0 $9 $1a\" \"x\" }}", "x$ x  "},
        {"{{ $labels.instance | reReplaceAll \":.*\" \"\" }}", "a"},
        {"{{ graphLink \"up\" }}", "/graph?g0.expr=up&g0.tab=0"},
        {"{{ tableLink \"up\" }}", "/graph?g0.expr=up&g0.tab=1"},
        {"{{ graphLink \"rate(x[5m])\" }}",
         "/graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=0"},
        {"{{ \"<b>\" | safeHtml }}", "<b>"},
        {"{{ pathPrefix }}", "/path/prefix"},
        {"{{ externalURL }}", "http://testhost:9090/path/prefix"},
    };

    (void)state;
    CHECK(cases);
}

/* Execution errors: Go's messages, at the failing node (1-based column,
 * where Go counts from 0), the node quoted whole as Go 1.19 quotes it
 * (checked with promtool 2.42). */
static void
test_exec_errors(void **state)
{
    static const struct ecase cases[] = {
        {"{{ humanize \"one\" }}", "executing \"test\" at <humanize \"one\">: "
         "error calling humanize: strconv.ParseFloat: parsing \"one\": "
         "invalid syntax", 1, 4},
        {"{{ \"one\" | humanizePercentage }}", "executing \"test\" at "
         "<humanizePercentage>: error calling humanizePercentage: "
         "strconv.ParseFloat: parsing \"one\": invalid syntax", 1, 12},
        {"{{ query \"missing\" | first }}", "executing \"test\" at <first>: "
         "error calling first: first() called on vector with no elements",
         1, 22},
        {"{{ (query \"missing\").banana }}", "executing \"test\" at "
         "<\"missing\">: can't evaluate field banana in type "
         "template.queryResult", 1, 11},
        {"{{ query \"bad\" }}", "executing \"test\" at <query \"bad\">: "
         "error calling query: parse error: unexpected end of input", 1, 4},
        {"{{ query `\"str\"` }}", "executing \"test\" at <query `\"str\"`>: "
         "error calling query: rule result is not a vector or scalar", 1, 4},
        {"{{ humanizeTimestamp -9223372036854775808 }}", "executing "
         "\"test\" at <humanizeTimestamp -9223372036854775808>: error "
         "calling humanizeTimestamp: -9.223372036854776e+18 cannot be "
         "represented "
         "as a nanoseconds timestamp since it overflows int64", 1, 4},
        {"{{ gt $value 1 }}", "executing \"test\" at <gt $value 1>: error "
         "calling gt: incompatible types for comparison", 1, 4},
        {"{{ lt true false }}", "executing \"test\" at <lt true false>: "
         "error calling lt: invalid type for comparison", 1, 4},
        {"{{ toUpper 1 }}", "executing \"test\" at <1>: expected string; "
         "found 1", 1, 12},
        {"{{ toUpper $value }}", "executing \"test\" at <$value>: wrong type "
         "for value; expected string; got float64", 1, 12},
        {"{{ title }}", "executing \"test\" at <title>: wrong number of args "
         "for title: want 1 got 0", 1, 4},
        {"{{ $labels.job 1 }}", "executing \"test\" at <$labels.job>: job "
         "is not a method but has arguments", 1, 4},
        {"{{ .Labels.job.x }}", "executing \"test\" at <.Labels.job.x>: "
         "can't evaluate field x in type string", 1, 4},
        {"{{ 1 2 }}", "executing \"test\" at <1>: can't give argument to "
         "non-function 1", 1, 4},
        {"{{ nil }}", "executing \"test\" at <nil>: nil is not a command",
         1, 4},
        {"x\n{{ template \"nope\" }}", "executing \"test\" at "
         "<{{template \"nope\"}}>: template \"nope\" not defined", 2, 13},
        {"{{ reReplaceAll \"(\" \"\" \"x\" }}", "executing \"test\" at "
         "<reReplaceAll \"(\" \"\" \"x\">: error calling reReplaceAll: "
         "regexp: Compile(`(`): error parsing regexp: missing closing ): "
         "`(`", 1, 4},
        {"{{ (toTime 1.0).Foo }}", "executing \"test\" at <1.0>: can't "
         "evaluate field Foo in type *time.Time", 1, 12},
        {"{{ (toTime 1.0).Format }}", "executing \"test\" at <1.0>: wrong "
         "number of args for Format: want 1 got 0", 1, 12},
        {"{{ define \"a\" }}{{ template \"a\" }}{{ end }}{{ template \"a\" }}",
         "executing \"a\" at <{{template \"a\"}}>: exceeded maximum template "
         "depth (1000)", 1, 29},
        {"{{ $x = 1 }}", "executing \"test\" at <1>: undefined "
         "variable: $x", 1, 9},
        {"{{ range 5 }}{{ end }}", "executing \"test\" at <range>: range "
         "can't iterate over 5", 1, 4},
        {"{{ slice \"abc\" 2 1 }}", "executing \"test\" at "
         "<slice \"abc\" 2 1>: error calling slice: invalid slice index: "
         "2 > 1", 1, 4},
        {"{{ slice \"abc\" 1 4 }}", "executing \"test\" at "
         "<slice \"abc\" 1 4>: error calling slice: index out of range: 4",
         1, 4},
        {"{{ index \"abc\" 4 }}", "executing \"test\" at "
         "<index \"abc\" 4>: error calling index: index out of range: 4",
         1, 4},
        {"{{ index \"abc\" \"x\" }}", "executing \"test\" at "
         "<index \"abc\" \"x\">: error calling index: cannot index "
         "slice/array with type string", 1, 4},
        {"{{ slice \"abc\" 1 2 3 }}", "executing \"test\" at "
         "<slice \"abc\" 1 2 3>: error calling slice: cannot 3-index slice "
         "a string", 1, 4},
        {"{{ parseDuration \"1x\" }}", "executing \"test\" at "
         "<parseDuration \"1x\">: error calling parseDuration: not a valid "
         "duration string: \"1x\"", 1, 4},
    };

    (void)state;
    check_errors(cases, sizeof cases / sizeof cases[0], false);
}

/* Parse errors: Go's messages at the offending token. */
static void
test_parse_errors(void **state)
{
    static const struct ecase cases[] = {
        {"{{", "unclosed action", 1, 3},
        {"{{ end }}", "unexpected {{end}}", 1, 1},
        {"{{ else }}", "unexpected {{else}}", 1, 1},
        {"{{ if true }}x", "unexpected EOF", 1, 15},
        {"{{ if }}{{ end }}", "missing value for if", 1, 7},
        {"a\n {{ $x }}", "undefined variable \"$x\"", 2, 5},
        {"{{ nofunc 1 }}", "function \"nofunc\" not defined", 1, 4},
        {"{{ break }}", "{{break}} outside {{range}}", 1, 4},
        {"{{ 1 | 2 }}", "non executable command in pipeline stage 2", 1, 8},
        {"a\nb {{ | .x }}", "unexpected \"|\" in command", 2, 6},
        {"{{ 1 2 3 4 5 6 7 8 9 10 11 12 :}}", "expected :=", 1, 31},
        {"{{ if true }}{{ end 1 }}", "unexpected \"1\" in end", 1, 21},
        {"{{ if true }}{{ else 12345678901 }}",
         "unexpected \"1234567890\"... in else", 1, 22},
        {"{{ \"abc }}", "unterminated quoted string", 1, 4},
        {"{{ /* x */ }}", "unrecognized character in action: U+002F '/'",
         1, 4},
        {"{{ define \"a\" }}x", "unexpected EOF", 1, 18},
        {"{{ 1 }", "unrecognized character in action: U+007D '}'", 1, 6},
        {"{{ (1 }}", "unclosed left paren", 1, 7},
        {"{{ 1) }}", "unexpected right paren", 1, 5},
        {"{{ if true }}{{ else }}{{ else }}{{ end }}",
         "expected end; found {{else}}", 1, 24},
        {"{{ template 1 }}", "unexpected \"1\" in template clause", 1, 13},
        {"{{ with $x := 1 }}{{ end }}{{ $x }}", "undefined variable \"$x\"",
         1, 31},
        {"{{ define \"t\" }}{{ $labels }}{{ end }}",
         "undefined variable \"$labels\"", 1, 20},
        {"{{/* x */ 1 }}", "comment ends before closing delimiter", 1, 3},
    };

    (void)state;
    check_errors(cases, sizeof cases / sizeof cases[0], true);
}

/* The output buffer's ceiling ends a run with an error. */
static void
test_ceiling(void **state)
{
    struct tmpl_data data = rule_data();
    struct tmpl *t;
    struct buf out;
    struct diag d;

    (void)state;
    t = tmpl_parse("test", "{{ range query \"metric\" }}0123456789{{ end }}",
                   &d);
    assert_non_null(t);
    buf_init(&out, 15);
    assert_int_equal(tmpl_exec(t, &data, &out, &d), -1);
    assert_string_equal(d.msg, "executing \"test\" at <0123456789>: output "
                        "larger than 15 bytes");
    assert_string_equal(buf_str(&out), "0123456789");
    buf_fini(&out);
    data.query = NULL;
    buf_init(&out, 0);
    assert_int_equal(tmpl_exec(t, &data, &out, &d), -1);
    assert_string_equal(d.msg, "executing \"test\" at <query \"metric\">: "
                        "error calling query: no query function available");
    buf_fini(&out);
    tmpl_free(t);
    tmpl_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_data),
        cmocka_unit_test(test_value_format),
        cmocka_unit_test(test_text_literals),
        cmocka_unit_test(test_control),
        cmocka_unit_test(test_pipelines),
        cmocka_unit_test(test_logic_compare),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_query_funcs),
        cmocka_unit_test(test_humanize),
        cmocka_unit_test(test_string_funcs),
        cmocka_unit_test(test_exec_errors),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_ceiling),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
