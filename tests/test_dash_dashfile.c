/*
 * Tests for src/dashfile: a complete dashboard file into the model, every
 * class of error with its file:line:col (counted by hand from the inputs
 * below), the unit and colour tables, series settings and overrides, the
 * example in promdeck-dashboard(5), and every shipped file in
 * dashboards/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <cmocka.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/regex.h"
#include "src/dash/dashbuiltin.h"
#include "src/dash/dashfile.h"
#include "src/dash/dashmodel.h"
#include "src/dash/vocab.h"
#include "ui/theme.h"
#include "tests/support/fs.h"

#define MAXERR 40

struct fixture {
    struct dashboard m;
    struct diag errs[MAXERR];
    size_t nerrs;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    *state = f;
    return f == NULL;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    dashmodel_fini(&f->m);
    free(f);
    return 0;
}

static int
load(struct fixture *f, const char *text)
{
    dashmodel_fini(&f->m);
    return dashfile_load_buf("t.yaml", text, strlen(text), &f->m, f->errs,
                             MAXERR, &f->nerrs);
}

/* The error at line:col, or NULL. */
static const struct diag *
error_at(const struct fixture *f, int line, int col)
{
    for (size_t i = 0; i < f->nerrs; i++)
        if (f->errs[i].line == line && f->errs[i].col == col)
            return &f->errs[i];
    return NULL;
}

static void
assert_error(const struct fixture *f, int line, int col, const char *part)
{
    const struct diag *d = error_at(f, line, col);

    if (d == NULL) {
        for (size_t i = 0; i < f->nerrs; i++)
            print_message("  have %d:%d %s\n", f->errs[i].line,
                          f->errs[i].col, f->errs[i].msg);
        fail_msg("no error at %d:%d (%s)", line, col, part);
    }
    if (strstr(d->msg, part) == NULL)
        fail_msg("error at %d:%d is '%s', expected '%s'", line, col, d->msg,
                 part);
    assert_string_equal(d->source, "t.yaml");
}

static const char complete[] =
    "title: Web shop\n"
    "refresh: 30s\n"
    "range: 6h\n"
    "variables:\n"
    "  - name: job\n"
    "    values: [api, web.1]\n"
    "    default: web.1\n"
    "  - name: instance\n"
    "    query: label_values(up{job=\"$job\"}, instance)\n"
    "    all: true\n"
    "  - name: env\n"
    "    query: label_values(env)\n"
    "    default: prod\n"
    "    all: true\n"
    "    all_value: \".*\"\n"
    "pages:\n"
    "  - title: Overview\n"
    "    rows:\n"
    "      - title: Traffic\n"
    "        height: 2\n"
    "        panels:\n"
    "          - title: Requests $job\n"
    "            type: graph\n"
    "            width: 3\n"
    "            unit: reqps\n"
    "            decimals: 1\n"
    "            min: 0\n"
    "            max: 100\n"
    "            stack: true\n"
    "            thresholds:\n"
    "              - color: green\n"
    "              - {value: 50, color: warning}\n"
    "              - {value: 80, color: bad}\n"
    "            queries:\n"
    "              - expr: sum by (code) (rate(x_total{job=\"$job\"}[5m]))\n"
    "                legend: \"{{code}}\"\n"
    "              - expr: sum(rate(x_total[5m]))\n"
    "                legend: total\n"
    "                unit: ops\n"
    "          - title: Latency\n"
    "            type: stat\n"
    "            unit: ms\n"
    "            expr: histogram_quantile(0.99, rate(d_bucket[5m])) * 1e3\n"
    "      - panels:\n"
    "          - title: Targets\n"
    "            type: table\n"
    "            top: 5\n"
    "            sort: asc\n"
    "            join: [job, instance]\n"
    "            queries:\n"
    "              - expr: up\n"
    "                column: health\n"
    "                style: health\n"
    "              - expr: rate(x_total[1m])\n"
    "                column: traffic\n"
    "                style: spark\n"
    "                unit: reqps\n"
    "          - title: Top paths\n"
    "            type: bars\n"
    "            top: 10\n"
    "            expr: topk(10, sum by (path) (rate(x_total[5m])))\n"
    "  - title: Notes\n"
    "    rows:\n"
    "      - panels:\n"
    "          - title: Read me\n"
    "            type: text\n"
    "            text: |\n"
    "              Dashboards are files.\n"
    "          - {title: s, type: sparkline, expr: up}\n"
    "          - {title: g, type: gauge, expr: up, unit: percent}\n"
    "          - {title: h, type: heatmap, expr: 'sum by (le) (x_bucket)'}\n";

static void
test_complete_file(void **state)
{
    struct fixture *f = *state;
    const struct dashboard *m = &f->m;

    assert_int_equal(load(f, complete), 0);
    assert_int_equal(f->nerrs, 0);
    assert_string_equal(m->title, "Web shop");
    assert_int_equal(m->refresh_ms, 30000);
    assert_int_equal(m->range_ms, 6 * 3600 * 1000);
    assert_int_equal(m->nvariables, 3);
    assert_string_equal(m->variables[0].name, "job");
    assert_int_equal(m->variables[0].nvalues, 2);
    assert_string_equal(m->variables[0].values[1], "web.1");
    assert_int_equal(m->variables[0].current, 1);
    assert_false(m->variables[0].all);
    /* A query variable without a default starts on All, with no values. */
    assert_string_equal(m->variables[1].query,
                        "label_values(up{job=\"$job\"}, instance)");
    assert_true(m->variables[1].all);
    assert_int_equal(m->variables[1].nvalues, 0);
    assert_int_equal(m->variables[1].current, 0);
    /* With a default, the default is its one value until the store is read. */
    assert_int_equal(m->variables[2].nvalues, 1);
    assert_string_equal(m->variables[2].values[0], "prod");
    assert_int_equal(m->variables[2].current, 0);
    assert_string_equal(m->variables[2].all_value, ".*");
}

static void
test_complete_file_panels(void **state)
{
    struct fixture *f = *state;
    const struct dashboard *m = &f->m;
    const struct panel *p;

    assert_int_equal(load(f, complete), 0);
    assert_int_equal(m->npages, 2);
    assert_string_equal(m->pages[0].title, "Overview");
    assert_int_equal(m->pages[0].nrows, 2);
    assert_string_equal(m->pages[0].rows[0].title, "Traffic");
    assert_int_equal(m->pages[0].rows[0].height, 2);
    assert_null(m->pages[0].rows[1].title);
    assert_int_equal(m->pages[0].rows[1].height, 1);

    p = &m->pages[0].rows[0].panels[0];
    /* Titles and exprs keep $var: src/dash/dash.c expands them. */
    assert_string_equal(p->title, "Requests $job");
    assert_int_equal(p->kind, PANEL_GRAPH);
    assert_int_equal(p->width, 3);
    assert_int_equal(p->unit, UNIT_REQPS);
    assert_int_equal(p->decimals, 1);
    assert_true(p->min == 0 && p->max == 100);
    assert_true(p->stack);
    assert_int_equal(p->nthresholds, 3);
    assert_true(isinf(p->thresholds[0].value) && p->thresholds[0].value < 0);
    assert_int_equal(p->thresholds[0].role, vocab_color_role("good"));
    assert_true(p->thresholds[1].value == 50);
    assert_int_equal(p->thresholds[1].role, vocab_color_role("warn"));
    assert_true(p->thresholds[2].value == 80);
    assert_int_equal(p->thresholds[2].role, vocab_color_role("crit"));
    assert_int_equal(p->nqueries, 2);
    assert_string_equal(p->queries[0].expr,
                        "sum by (code) (rate(x_total{job=\"$job\"}[5m]))");
    assert_string_equal(p->queries[0].legend, "{{code}}");
    assert_int_equal(p->queries[0].unit, UNIT_AUTO);
    assert_string_equal(p->queries[1].legend, "total");
    assert_int_equal(p->queries[1].unit, UNIT_OPS);

    /* ms is a unit of its own: the query stays as written. */
    p = &m->pages[0].rows[0].panels[1];
    assert_int_equal(p->kind, PANEL_STAT);
    assert_string_equal(model_unit_name(p->unit), "ms");
    assert_int_equal(p->decimals, -1);
    assert_true(isnan(p->min) && isnan(p->max));
    assert_string_equal(p->queries[0].expr,
                        "histogram_quantile(0.99, rate(d_bucket[5m])) * 1e3");

}

static void
test_complete_file_tables_and_text(void **state)
{
    struct fixture *f = *state;
    const struct dashboard *m = &f->m;
    const struct panel *p;

    assert_int_equal(load(f, complete), 0);
    p = &m->pages[0].rows[1].panels[0];
    assert_int_equal(p->kind, PANEL_TABLE);
    assert_int_equal(p->topn, 5);
    assert_int_equal(p->sort, SORT_ASC);
    assert_int_equal(p->njoin, 2);
    assert_string_equal(p->join[1], "instance");
    assert_string_equal(p->queries[0].column, "health");
    assert_int_equal(p->queries[0].style, COLUMN_HEALTH);
    assert_int_equal(p->queries[1].style, COLUMN_SPARK);
    assert_int_equal(p->queries[1].unit, UNIT_REQPS);
    p = &m->pages[0].rows[1].panels[1];
    assert_int_equal(p->kind, PANEL_BARS);
    assert_int_equal(p->topn, 10);
    assert_int_equal(p->sort, SORT_DESC);   /* top implies the largest */

    assert_string_equal(m->pages[1].title, "Notes");
    p = &m->pages[1].rows[0].panels[0];
    assert_int_equal(p->kind, PANEL_TEXT);
    assert_string_equal(p->text, "Dashboards are files.\n");
    assert_int_equal(p->nqueries, 0);
    assert_int_equal(m->pages[1].rows[0].panels[1].kind, PANEL_SPARKLINE);
    assert_int_equal(m->pages[1].rows[0].panels[2].kind, PANEL_GAUGE);
    assert_int_equal(m->pages[1].rows[0].panels[2].unit, UNIT_PERCENT);
    assert_int_equal(m->pages[1].rows[0].panels[3].kind, PANEL_HEATMAP);
}

static void
test_rows_only_is_one_page(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load(f, "title: Solo\nrows:\n"
                             "  - panels:\n      - expr: up\n"), 0);
    assert_int_equal(f->m.npages, 1);
    assert_string_equal(f->m.pages[0].title, "Solo");
    assert_int_equal(f->m.range_ms, 3600 * 1000);   /* default 1h */
    assert_int_equal(f->m.pages[0].rows[0].panels[0].kind, PANEL_GRAPH);
    assert_int_equal(f->m.pages[0].rows[0].panels[0].width, 1);
    assert_string_equal(f->m.pages[0].rows[0].panels[0].title, "");
}

/* A query's series settings match it by its refId; a panel's overrides
 * match by name or /regex/, after the queries' own. */
static void
test_series_settings(void **state)
{
    struct fixture *f = *state;
    const struct panel *p;
    const struct series_override *o;

    assert_int_equal(load(f,
        "rows:\n"
        "  - panels:\n"
        "      - unit: bps\n"
        "        stack: percent\n"
        "        queries:\n"
        "          - expr: rx\n"
        "          - expr: tx\n"
        "            negative_y: true\n"
        "            color: series3\n"
        "            axis: right\n"
        "            stack: false\n"
        "            hide: legend\n"
        "        overrides:\n"
        "          - match: /^lo /i\n"
        "            hide: graph\n"
        "          - match: eth0 in\n"
        "            name: '${__field.labels.device} receive'\n"
        "            color: dark-blue\n"
        "            unit: suffix:frames\n"
        "            decimals: 1\n"), 0);
    p = &f->m.pages[0].rows[0].panels[0];
    assert_true(p->stack && p->stack_percent);
    assert_null(p->queries[0].ref_id);
    assert_string_equal(p->queries[1].ref_id, "B");
    assert_int_equal(p->noverrides, 3);
    o = &p->overrides[0];
    assert_int_equal(o->match, MATCH_QUERY);
    assert_string_equal(o->pattern, "B");
    assert_int_equal(o->set, OVR_NEGATIVE | OVR_COLOR | OVR_AXIS | OVR_STACK
                     | OVR_HIDE);
    assert_true(o->negative && o->right);
    assert_int_equal(o->role, ROLE_SERIES3);
    assert_int_equal(o->stack, STACK_NONE);
    assert_int_equal(o->hide, HIDE_LEGEND);
    o = &p->overrides[1];
    assert_int_equal(o->match, MATCH_REGEX);
    assert_true(regex_match(o->re, "LO in", 5));
    assert_false(regex_match(o->re, "eth0 in", 7));
    assert_int_equal(o->hide, HIDE_GRAPH);
    o = &p->overrides[2];
    assert_int_equal(o->match, MATCH_NAME);
    assert_string_equal(o->pattern, "eth0 in");
    assert_string_equal(o->display_name, "${__field.labels.device} receive");
    assert_int_equal(o->role, ROLE_SERIES2);
    assert_int_equal(o->unit, UNIT_CUSTOM);
    assert_string_equal(o->unit_text, "suffix:frames");
    assert_int_equal(o->decimals, 1);
}

static void
test_series_setting_errors(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load(f,
        "rows:\n"                                   /* 1 */
        "  - panels:\n"                             /* 2 */
        "      - queries:\n"                        /* 3 */
        "          - expr: rx\n"                    /* 4 */
        "            color: plaid\n"                /* 5 */
        "            axis: up\n"                    /* 6 */
        "            hide: both\n"                  /* 7 */
        "        overrides:\n"                      /* 8 */
        "          - color: red\n"                  /* 9 */
        "          - match: /([/\n"                 /* 10 */
        "            negative_y: maybe\n"           /* 11 */
        "            unit: Bytes\n"), -1);          /* 12 */
    assert_error(f, 5, 20, "unknown color 'plaid'");
    assert_error(f, 6, 19, "unknown axis 'up'; expected left or right");
    assert_error(f, 7, 19, "unknown hide 'both'");
    assert_error(f, 9, 13, "expected 'match'");
    assert_error(f, 10, 20, "bad regex");
    assert_error(f, 11, 25, "boolean");
    assert_error(f, 12, 19, "unknown unit 'Bytes'");
    assert_int_equal(f->nerrs, 7);
    /* A typo in a unit name gets the nearest name as a hint. */
    assert_string_equal(error_at(f, 12, 19)->hint, "did you mean 'bytes'?");
}

/* Line numbers in the comments; columns counted from them. */
static const char broken[] =
    "title: Bad\n"                                        /* 1 */
    "range: 0s\n"                                         /* 2 */
    "refresh: soon\n"                                     /* 3 */
    "colour: red\n"                                       /* 4 */
    "variables:\n"                                        /* 5 */
    "  - name: 9lives\n"                                  /* 6 */
    "    values: [a]\n"                                   /* 7 */
    "  - name: job\n"                                     /* 8 */
    "    values: [a, b]\n"                                /* 9 */
    "    query: label_values(job)\n"                      /* 10 */
    "  - name: ok\n"                                      /* 11 */
    "    query: label_values(up{job=\"x\"} instance)\n"   /* 12 */
    "  - name: d\n"                                       /* 13 */
    "    values: [a]\n"                                   /* 14 */
    "    default: z\n"                                    /* 15 */
    "    all_value: \".*\"\n"                             /* 16 */
    "rows:\n"                                             /* 17 */
    "  - height: 0\n"                                     /* 18 */
    "    panels:\n"                                       /* 19 */
    "      - title: A\n"                                  /* 20 */
    "        type: pie\n"                                 /* 21 */
    "        expr: up\n"                                  /* 22 */
    "      - title: B\n"                                  /* 23 */
    "        width: wide\n"                               /* 24 */
    "        unit: furlongs\n"                            /* 25 */
    "        expr: sum(rate(x[5m])) by (job\n"            /* 26 */
    "      - title: C\n"                                  /* 27 */
    "        thresholds:\n"                               /* 28 */
    "          - {value: 10, color: red}\n"               /* 29 */
    "          - {value: 5, color: red}\n"                /* 30 */
    "          - {value: 20, color: purple}\n"            /* 31 */
    "        queries:\n"                                  /* 32 */
    "          - legend: x\n"                             /* 33 */
    "          - expr: \"rate(x{a=\\\"b\\\"}[5m]) +\"\n"  /* 34 */
    "            colour: 1\n"                             /* 35 */
    "      - title: D\n"                                  /* 36 */
    "        type: text\n"                                /* 37 */
    "        join: [a]\n"                                 /* 38 */
    "      - title: E\n"                                  /* 39 */
    "        expr: |\n"                                   /* 40 */
    "          sum by (job) (\n"                          /* 41 */
    "            rate(x[5m]) +\n"                         /* 42 */
    "          ) / 2\n";                                  /* 43 */

static void
test_every_error_with_position(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load(f, broken), -1);
    assert_error(f, 2, 8, "expected a range above 0s");
    assert_error(f, 3, 10, "duration");
    assert_error(f, 4, 1, "unknown key 'colour' in a dashboard");
    assert_error(f, 6, 11, "expected a variable name");
    assert_error(f, 8, 5, "exactly one of 'query' and 'values'");
    assert_error(f, 12, 27, "expected ')' after the label name");
    assert_error(f, 15, 14, "default 'z' is not one of");
    assert_error(f, 16, 16, "'all_value' needs 'all: true'");
    assert_error(f, 18, 13, "expected an integer from 1 to 1000");
    assert_error(f, 21, 15, "unknown panel type 'pie'");
    assert_error(f, 24, 16, "expected an integer");
    assert_error(f, 25, 15, "unknown unit 'furlongs'");
    /* PromQL errors point inside the expression: here, its end. */
    assert_error(f, 26, 39, "bad PromQL: expected ',' or ')' in label list");
    assert_error(f, 30, 13, "thresholds must ascend");
    assert_error(f, 31, 32, "unknown color 'purple'");
    assert_error(f, 33, 13, "expected 'expr' in a query");
    /* Inside a double-quoted scalar, escapes count as written. */
    assert_error(f, 34, 42, "bad PromQL: expected expression");
    assert_error(f, 35, 13, "unknown key 'colour' in a query");
    assert_error(f, 36, 9, "expected 'text' in a text panel");
    assert_error(f, 38, 15, "'join' is for table panels, not text");
    /* Inside a literal block: the ')' on the third line of the block. */
    assert_error(f, 43, 11, "bad PromQL: expected expression, found ')'");
    assert_int_equal(f->nerrs, 21);
    /* A failed load leaves nothing behind. */
    assert_null(f->m.pages);
    assert_null(f->m.title);
}

static void
test_error_limit_and_shape_errors(void **state)
{
    struct fixture *f = *state;
    struct diag few[3];
    size_t n;

    assert_int_equal(dashfile_load_buf("t.yaml", broken, strlen(broken),
                                       &f->m, few, 3, &n), -1);
    assert_int_equal(n, 3);
    /* The dashboard's keys are checked first, then refresh, then range. */
    assert_int_equal(few[0].line, 4);
    assert_int_equal(few[1].line, 3);
    assert_int_equal(few[2].line, 2);

    assert_int_equal(load(f, "title: x\n"), -1);
    assert_error(f, 1, 1, "expected 'pages' or 'rows' in a dashboard");
    assert_int_equal(load(f, "pages: []\nrows: []\n"), -1);
    assert_error(f, 2, 7, "either 'pages' or 'rows', not both");
    assert_int_equal(load(f, "rows: []\n"), -1);
    assert_error(f, 1, 7, "expected at least one of rows");
    assert_int_equal(load(f, "- a\n"), -1);
    assert_error(f, 1, 1, "expected a dashboard (a mapping), found");
    assert_int_equal(load(f, "rows:\n  - panels:\n      - title: x\n"), -1);
    assert_error(f, 3, 9, "expected 'queries' or 'expr' in panel 'x'");
    assert_int_equal(load(f, "rows:\n  - panels:\n      - {expr: up, "
                             "queries: [{expr: up}]}\n"), -1);
    assert_error(f, 3, 16, "either 'queries' or 'expr', not both");
    assert_int_equal(load(f, "rows:\n  - panels:\n      - {expr: up, "
                             "min: 5, max: 1}\n"), -1);
    assert_error(f, 3, 33, "max (1) must be above min (5)");
    assert_int_equal(load(f, "rows:\n  - panels:\n      - {expr: up, "
                             "stack: maybe}\n"), -1);
    assert_error(f, 3, 27, "expected a boolean");
    /* The YAML parser's own errors and duplicate keys keep positions. */
    assert_int_equal(load(f, "title: a\ntitle: b\nrows: []\n"), -1);
    assert_int_equal(f->nerrs, 1);
    assert_int_equal(f->errs[0].line, 2);
    assert_int_equal(load(f, "rows: [\n"), -1);
    assert_int_equal(f->nerrs, 1);
    assert_true(f->errs[0].line > 0);
}

static void
test_variables_checked_with_their_values(void **state)
{
    struct fixture *f = *state;
    const char *doc =
        "variables:\n"
        "  - {name: w, values: [1m, 5m]}\n"
        "  - {name: i, query: 'label_values(up, instance)', all: true}\n"
        "  - {name: w, values: [x]}\n"
        "rows:\n"
        "  - panels:\n"
        "      - expr: rate(x{i=~\"$i\"}[$w]) + rate(y[$__rate_interval])\n"
        "      - expr: rate(x[$nope])\n"
        "      - expr: 'rate(x[${w}]) / [[w]]'\n";

    /* $w is 1m and $i is ".*" at check time; $nope is left as written,
     * and the error points at it (line 8, col 22). */
    assert_int_equal(load(f, doc), -1);
    assert_error(f, 4, 12, "variable 'w' is defined twice");
    assert_error(f, 8, 22, "bad PromQL");
    assert_error(f, 9, 32, "bad PromQL");
    assert_int_equal(f->nerrs, 3);
}

/* The escapes the man page's example uses, and what they stand for. */
static const char *const roff_escapes[][2] = {
    { "\\-", "-" }, { "\\e", "\\" }, { "\\(aq", "'" }, { "\\(dq", "\"" },
    { "\\&", "" },
};

/* The complete example of the man page (the .EX block after the comment
 * that marks it), with roff's escapes undone. */
static char *
man_example(void)
{
    FILE *fp = fopen("man/promdeck-dashboard.5", "r");
    struct buf b;
    char line[1024];
    int state = 0;      /* 0: before the mark, 1: after it, 2: inside */

    assert_non_null(fp);
    buf_init(&b, 0);
    while (fgets(line, sizeof(line), fp) != NULL) {
        if (state == 0 && strstr(line, "complete example") != NULL)
            state = 1;
        else if (state == 1 && strncmp(line, ".EX", 3) == 0)
            state = 2;
        else if (state == 2 && strncmp(line, ".EE", 3) == 0)
            break;
        else if (state == 2)
            for (const char *s = line; *s != '\0';) {
                size_t i = 0, n = sizeof(roff_escapes)
                                  / sizeof(roff_escapes[0]);

                while (i < n && strncmp(s, roff_escapes[i][0],
                                        strlen(roff_escapes[i][0])) != 0)
                    i++;
                if (i < n) {
                    buf_puts(&b, roff_escapes[i][1]);
                    s += strlen(roff_escapes[i][0]);
                } else {
                    buf_putc(&b, *s++);
                }
            }
    }
    fclose(fp);
    return buf_steal(&b);
}

static void
test_man_page_example_loads(void **state)
{
    struct fixture *f = *state;
    char *text = man_example();

    assert_true(strlen(text) > 500);
    if (load(f, text) != 0)
        for (size_t i = 0; i < f->nerrs; i++)
            print_message("%d:%d %s\n", f->errs[i].line, f->errs[i].col,
                          f->errs[i].msg);
    assert_int_equal(f->nerrs, 0);
    assert_int_equal(f->m.nvariables, 3);
    assert_int_equal(f->m.npages, 2);
    assert_string_equal(model_unit_name(f->m.pages[0].rows[1].panels[1].unit),
                        "ms");
    /* The network panel: transmit below zero, two overrides after it. */
    assert_int_equal(f->m.pages[0].rows[1].panels[2].noverrides, 3);
    assert_true(f->m.pages[0].rows[1].panels[2].overrides[0].negative);
    assert_int_equal(f->m.pages[1].rows[0].panels[2].kind, PANEL_TEXT);
    free(text);
}

/* Parses every query of m with its variables expanded. */
static size_t
parse_all(const struct dashboard *m)
{
    size_t n = 0;

    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++)
            for (size_t i = 0; i < m->pages[pg].rows[r].npanels; i++) {
                const struct panel *p = &m->pages[pg].rows[r].panels[i];

                for (size_t q = 0; q < p->nqueries; q++) {
                    struct dashmodel_interval iv = { 15000, 60000 };
                    char *x = dashmodel_expand(p->queries[q].expr,
                                               m->variables, m->nvariables,
                                               &iv, m->range_ms, NULL);
                    struct diag d;
                    struct query *cq = qparse_query(x, strlen(x), &d);

                    if (cq == NULL)
                        fail_msg("%s: %s: %s", p->title, x, d.msg);
                    qparse_free(cq);
                    free(x);
                    n++;
                }
            }
    return n;
}

static void
test_shipped_dashboards_load(void **state)
{
    struct fixture *f = *state;
    DIR *dir = opendir("dashboards");
    struct dirent *e;
    size_t files = 0;

    assert_non_null(dir);
    while ((e = readdir(dir)) != NULL) {
        char path[512];
        struct dashfile_counts c;
        struct grafana_notes notes = { NULL, 0 };
        size_t len = strlen(e->d_name);

        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        snprintf(path, sizeof(path), "dashboards/%s", e->d_name);
        if (dashfile_check(path, &c, f->errs, MAXERR, &f->nerrs,
                           &notes) != 0) {
            for (size_t i = 0; i < f->nerrs; i++)
                print_message("%s:%d:%d: %s\n", path, f->errs[i].line,
                              f->errs[i].col, f->errs[i].msg);
            fail_msg("%s does not load", path);
        }
        assert_int_equal(notes.n, 0);
        grafana_notes_fini(&notes);
        assert_true(c.pages >= 1 && c.panels >= 4 && c.queries >= c.panels);
        dashmodel_fini(&f->m);
        assert_int_equal(dashfile_load(path, &f->m, f->errs, MAXERR,
                                       &f->nerrs), 0);
        assert_int_equal(parse_all(&f->m), c.queries);
        files++;
    }
    closedir(dir);
    assert_int_equal(files, 5);
}

/* Whether " name " is among the fixture's names, directly or as the
 * base of a histogram or summary series (_bucket, _count, _sum). */
static bool
exposed(const char *names, const char *word)
{
    static const char *const sufs[] = { "_bucket", "_count", "_sum" };
    char key[300];
    size_t n = strlen(word);

    snprintf(key, sizeof(key), " %s ", word);
    if (strstr(names, key) != NULL)
        return true;
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(sufs[i]);

        if (n > k && strcmp(word + n - k, sufs[i]) == 0) {
            snprintf(key, sizeof(key), " %.*s ", (int)(n - k), word);
            if (strstr(names, key) != NULL)
                return true;
        }
    }
    return false;
}

/* Every metric name starting with prefix in a shipped file is one the
 * exposition fixture declares with # TYPE. */
static void
check_metric_names(const char *file, const char *prefix, const char *fixture)
{
    char path[512], line[4096];
    struct buf names;
    size_t checked = 0;
    FILE *fp;

    snprintf(path, sizeof(path), "%s/exposition/%s", ts_testdata(), fixture);
    assert_non_null(fp = fopen(path, "r"));
    buf_init(&names, 0);
    buf_putc(&names, ' ');
    while (fgets(line, sizeof(line), fp) != NULL)
        if (strncmp(line, "# TYPE ", 7) == 0) {
            buf_append(&names, line + 7, strcspn(line + 7, " \n"));
            buf_putc(&names, ' ');
        }
    fclose(fp);
    assert_non_null(fp = fopen(file, "r"));
    while (fgets(line, sizeof(line), fp) != NULL)
        for (char *s = line[strspn(line, " ")] == '#' ? NULL
                       : strstr(line, prefix); s != NULL;
             s = strstr(s + 1, prefix)) {
            char word[256];
            size_t n = 0;

            if (s > line && (s[-1] == '_' || isalnum((unsigned char)s[-1])))
                continue;
            while (n + 1 < sizeof(word)
                   && (isalnum((unsigned char)s[n]) || s[n] == '_')) {
                word[n] = s[n];
                n++;
            }
            word[n] = '\0';
            if (!exposed(buf_str(&names), word))
                fail_msg("%s: %s is not in %s", file, word, fixture);
            checked++;
        }
    fclose(fp);
    buf_fini(&names);
    assert_true(checked > 0);
}

static void
test_shipped_names_exist(void **state)
{
    (void)state;
    check_metric_names("dashboards/node-exporter.yaml", "node_",
                       "node_exporter-1.5.0.prom");
    check_metric_names("dashboards/docker-engine.yaml", "engine_daemon_",
                       "docker-engine-24.0.7-mimic.prom");
    check_metric_names("dashboards/docker-engine.yaml", "builder_",
                       "docker-engine-24.0.7-mimic.prom");
    check_metric_names("dashboards/prometheus.yaml", "prometheus_",
                       "prometheus-2.42.0.prom");
}

static void
test_golden_signals_file_is_the_builtin(void **state)
{
    struct fixture *f = *state;
    struct dashboard b;

    assert_int_equal(dashfile_load("dashboards/golden-signals.yaml", &f->m,
                                   f->errs, MAXERR, &f->nerrs), 0);
    dashbuiltin_model(&b, 3600 * 1000);
    assert_string_equal(f->m.title, b.title);
    assert_int_equal(f->m.range_ms, b.range_ms);
    assert_int_equal(f->m.npages, b.npages);
    for (size_t pg = 0; pg < b.npages; pg++) {
        const struct page *x = &f->m.pages[pg], *y = &b.pages[pg];

        assert_string_equal(x->title, y->title);
        assert_int_equal(x->nrows, y->nrows);
        for (size_t r = 0; r < y->nrows; r++) {
            assert_int_equal(x->rows[r].height, y->rows[r].height);
            assert_int_equal(x->rows[r].npanels, y->rows[r].npanels);
            for (size_t i = 0; i < y->rows[r].npanels; i++) {
                const struct panel *p = &x->rows[r].panels[i];
                const struct panel *q = &y->rows[r].panels[i];

                assert_string_equal(p->title, q->title);
                assert_int_equal(p->kind, q->kind);
                assert_int_equal(p->unit, q->unit);
                assert_int_equal(p->width, q->width);
                assert_int_equal(p->njoin, q->njoin);
                for (size_t j = 0; j < q->njoin; j++)
                    assert_string_equal(p->join[j], q->join[j]);
                assert_int_equal(p->nqueries, q->nqueries);
                for (size_t k = 0; k < q->nqueries; k++) {
                    const struct panel_query *a = &p->queries[k];
                    const struct panel_query *c = &q->queries[k];

                    assert_string_equal(a->expr, c->expr);
                    if (c->legend != NULL)
                        assert_string_equal(a->legend, c->legend);
                    else
                        assert_null(a->legend);
                    if (c->column != NULL)
                        assert_string_equal(a->column, c->column);
                    else
                        assert_null(a->column);
                    assert_int_equal(a->style, c->style);
                    assert_int_equal(a->unit, c->unit);
                }
            }
        }
    }
    dashmodel_fini(&b);
}

static void
test_missing_file(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(dashfile_load("no/such/file.yaml", &f->m, f->errs,
                                   MAXERR, &f->nerrs), -1);
    assert_int_equal(f->nerrs, 1);
    assert_string_equal(f->errs[0].source, "no/such/file.yaml");
    assert_non_null(strstr(f->errs[0].msg, "cannot open"));
}

static void
test_open_picks_the_format(void **state)
{
    struct fixture *f = *state;
    struct grafana_notes notes = { 0 };
    char path[512];

    snprintf(path, sizeof(path), "%s/diamol-ch09/lab-grafana-dashboard.json",
             ts_testdata());
    assert_int_equal(dashfile_open(path, &f->m, f->errs, MAXERR, &f->nerrs,
                                   &notes), 0);
    assert_string_equal(f->m.title, "TODO List");
    dashmodel_fini(&f->m);
    assert_int_equal(dashfile_open("dashboards/prometheus.yaml", &f->m,
                                   f->errs, MAXERR, &f->nerrs, &notes), 0);
    assert_string_equal(f->m.title, "Prometheus");
    dashmodel_fini(&f->m);
    /* JSON that is no dashboard: one diag, from the Grafana reader. */
    snprintf(path, sizeof(path), "%s/promql/golden.json", ts_testdata());
    assert_int_equal(dashfile_open(path, &f->m, f->errs, MAXERR, &f->nerrs,
                                   &notes), -1);
    assert_int_equal(f->nerrs, 1);
    assert_non_null(strstr(f->errs[0].msg, "expected a Grafana dashboard"));
    /* YAML that is no dashboard: our loader's errors. */
    snprintf(path, sizeof(path), "%s/diamol-ch09/"
             "exercises-docker-compose.yml", ts_testdata());
    assert_int_equal(dashfile_open(path, &f->m, f->errs, MAXERR, &f->nerrs,
                                   &notes), -1);
    assert_non_null(strstr(f->errs[0].msg, "unknown key"));
    assert_int_equal(dashfile_open("no/such/file.json", &f->m, f->errs,
                                   MAXERR, &f->nerrs, &notes), -1);
    assert_int_equal(f->nerrs, 1);
    assert_int_equal(notes.n, 0);
    grafana_notes_fini(&notes);
}

/* collapsed: a titled row's section starts folded; an untitled row has
 * no header to show, so folding it is an error. */
static void
test_collapsed_rows(void **state)
{
    struct fixture *f = *state;
    const struct page *pg;

    assert_int_equal(load(f,
        "rows:\n"
        "  - title: Open\n"
        "    panels: [{title: A, expr: up}]\n"
        "  - title: Folded\n"
        "    collapsed: true\n"
        "    panels: [{title: B, expr: up}]\n"
        "  - collapsed: false\n"
        "    panels: [{title: C, expr: up}]\n"), 0);
    pg = &f->m.pages[0];
    assert_int_equal(pg->nrows, 3);
    assert_false(pg->rows[0].collapsed);
    assert_true(pg->rows[1].collapsed);
    assert_false(pg->rows[2].collapsed);
    assert_int_equal(load(f,
        "rows:\n"
        "  - collapsed: true\n"
        "    panels: [{title: A, expr: up}]\n"
        "  - title: T\n"
        "    collapsed: maybe\n"
        "    panels: [{title: B, expr: up}]\n"), -1);
    assert_int_equal(f->nerrs, 2);
    assert_error(f, 2, 16, "a collapsed row needs a title");
    assert_error(f, 5, 16, "expected a boolean");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_complete_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_file_panels, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_complete_file_tables_and_text,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_only_is_one_page, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_collapsed_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_every_error_with_position,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_limit_and_shape_errors,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_variables_checked_with_their_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_man_page_example_loads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shipped_dashboards_load, setup,
                                        teardown),
        cmocka_unit_test(test_shipped_names_exist),
        cmocka_unit_test_setup_teardown(
            test_golden_signals_file_is_the_builtin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_picks_the_format, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_series_settings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_series_setting_errors, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
