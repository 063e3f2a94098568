/*
 * Tests for src/grafana: the chapter-9 dashboards of "Learn Docker in a
 * Month of Lunches" (Grafana 6.4 JSON) against the panel list in
 * tests/data/promql/diamol-ch09-dashboard.promql, a synthetic modern
 * dashboard (gridPos rows, every panel type, variables, datasources), a
 * Grafana 4 dashboard with old-style rows, and the notes for what
 * promdeck cannot show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "query/query.h"
#include "src/dash/dashfile.h"
#include "src/dash/dashmodel.h"
#include "src/dash/grafana.h"
#include "src/dash/vocab.h"
#include "tests/support/fs.h"

struct fixture {
    struct dashboard m;
    struct grafana_notes notes;
    struct diag d;
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
    grafana_notes_fini(&f->notes);
    free(f);
    return 0;
}

static int
load_file(struct fixture *f, const char *name)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/diamol-ch09/%s", ts_testdata(), name);
    return grafana_load(path, &f->m, &f->notes, &f->d);
}

static int
load_text(struct fixture *f, const char *text)
{
    return grafana_load_buf("g.json", text, strlen(text), &f->m, &f->notes,
                            &f->d);
}

/* Whether a note contains every one of the NULL-ended parts. */
static bool
has_note(const struct fixture *f, ...)
{
    for (size_t i = 0; i < f->notes.n; i++) {
        va_list ap;
        const char *part;
        bool all = true;

        va_start(ap, f);
        while ((part = va_arg(ap, const char *)) != NULL)
            all = all && strstr(f->notes.v[i], part) != NULL;
        va_end(ap);
        if (all)
            return true;
    }
    return false;
}

static void
print_notes(const struct fixture *f)
{
    for (size_t i = 0; i < f->notes.n; i++)
        print_message("note: %s\n", f->notes.v[i]);
}

/* One line of the .promql list: a panel title, its expr, its comment. */
struct expect {
    char title[64];
    char expr[256];
    char comment[128];
};

static char *
trim(char *s)
{
    char *e;

    while (*s == ' ')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

/* Reads the list; "A / B / C" gives one entry per title. */
static size_t
read_expected(struct expect *out, size_t max)
{
    char path[512], line[1024];
    size_t n = 0;
    FILE *fp;

    snprintf(path, sizeof(path), "%s/promql/diamol-ch09-dashboard.promql",
             ts_testdata());
    fp = fopen(path, "r");
    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp) != NULL) {
        char *bar = strchr(line, '|'), *hash, *t = line;

        if (line[0] == '#' || bar == NULL)
            continue;
        *bar = '\0';
        hash = strstr(bar + 1, "  #");
        if (hash != NULL)
            *hash = '\0';
        while (t != NULL) {
            char *slash = strstr(t, " / ");

            if (slash != NULL)
                *slash = '\0';
            assert_true(n < max);
            snprintf(out[n].title, sizeof(out[n].title), "%s", trim(t));
            snprintf(out[n].expr, sizeof(out[n].expr), "%s", trim(bar + 1));
            snprintf(out[n].comment, sizeof(out[n].comment), "%s",
                     hash != NULL ? trim(hash + 3) : "");
            n++;
            t = slash != NULL ? slash + 3 : NULL;
        }
    }
    fclose(fp);
    return n;
}

/*
 * The list was written from the dashboard's first version; the fixture is
 * the repository's last, where upstream commit f3d4626 ("Fix metrics")
 * changed this one expression. The list marks it "(sic)".
 */
#define LIST_INFLIGHT "sum(image_gallery_requests_total) without(instance)"
#define JSON_INFLIGHT "sum(image_gallery_in_flight_requests) without(instance)"

static void
test_ch09_rows_panels_and_queries(void **state)
{
    struct fixture *f = *state;
    static const char *const rows[] = {
        "Image Gallery", "Image of the Day API", "Access Log", "Docker",
    };
    static const size_t npanels[] = { 4, 5, 4, 8 };
    struct expect want[32];
    size_t nwant = read_expected(want, 32), k = 0;
    const struct page *pg;

    assert_int_equal(load_file(f, "exercises-grafana-dashboard.json"), 0);
    assert_string_equal(f->m.title, "Image Gallery");
    assert_int_equal(f->m.range_ms, 6 * 3600 * 1000);   /* now-6h */
    assert_int_equal(f->m.npages, 1);
    pg = &f->m.pages[0];
    assert_int_equal(pg->nrows, 4);
    assert_int_equal(nwant, 20);
    for (size_t r = 0; r < 4; r++) {
        assert_string_equal(pg->rows[r].title, rows[r]);
        assert_int_equal(pg->rows[r].npanels, npanels[r]);
        /* Graphs are 6 grid units high; the Docker row's stacked stats
         * fit inside them. */
        assert_int_equal(pg->rows[r].height, 6);
        for (size_t i = 0; i < pg->rows[r].npanels; i++) {
            const struct panel *p = &pg->rows[r].panels[i];
            struct diag d;
            struct query *q;

            assert_int_equal(p->nqueries, 1);
            q = qparse_query(p->queries[0].expr,
                             strlen(p->queries[0].expr), &d);
            assert_non_null(q);
            qparse_free(q);
            if (strcmp(p->title, "Failed Health Checks") == 0) {
                /* In the JSON, not in the list. */
                assert_string_equal(p->queries[0].expr,
                                    "engine_daemon_health_checks_failed_total");
                continue;
            }
            assert_true(k < nwant);
            assert_string_equal(p->title, want[k].title);
            if (strcmp(want[k].expr, LIST_INFLIGHT) == 0)
                assert_string_equal(p->queries[0].expr, JSON_INFLIGHT);
            else
                assert_string_equal(p->queries[0].expr, want[k].expr);
            if (strncmp(want[k].comment, "legend ", 7) == 0)
                assert_string_equal(p->queries[0].legend,
                                    want[k].comment + 7);
            k++;
        }
    }
    assert_int_equal(k, nwant);
}

static void
test_ch09_kinds_units_thresholds(void **state)
{
    struct fixture *f = *state;
    const struct row *r;
    const struct panel *p;

    assert_int_equal(load_file(f, "exercises-grafana-dashboard.json"), 0);
    r = f->m.pages[0].rows;
    /* graph, gridPos w 5 5 4 4; legendFormat "" is no legend. */
    p = &r[0].panels[0];
    assert_int_equal(p->kind, PANEL_GRAPH);
    assert_int_equal(p->unit, UNIT_SHORT);      /* yaxes format "short" */
    assert_null(p->queries[0].legend);
    assert_int_equal(p->width, 5);
    assert_int_equal(r[0].panels[2].width, 4);
    assert_false(p->stack);
    assert_int_equal(p->nthresholds, 0);
    /* Gauges of Grafana 6.4: options.fieldOptions.defaults. */
    p = &r[1].panels[1];
    assert_string_equal(p->title, "Image Loads from NASA");
    assert_int_equal(p->kind, PANEL_GAUGE);
    assert_int_equal(p->width, 3);
    assert_true(p->min == 0 && p->max == 100);
    assert_int_equal(p->nthresholds, 3);
    assert_true(isinf(p->thresholds[0].value));
    assert_int_equal(p->thresholds[0].role, vocab_color_role("green"));
    assert_true(p->thresholds[1].value == 3);
    assert_int_equal(p->thresholds[1].role, vocab_color_role("orange"));
    assert_true(p->thresholds[2].value == 10);
    assert_int_equal(p->thresholds[2].role, vocab_color_role("red"));
    /* dark-red, #EAB839 (a yellow) and green, in that order. */
    p = &r[1].panels[2];
    assert_int_equal(p->thresholds[0].role, vocab_color_role("crit"));
    assert_true(p->thresholds[1].value == 1);
    assert_int_equal(p->thresholds[1].role, vocab_color_role("warn"));
    assert_int_equal(p->thresholds[2].role, vocab_color_role("good"));
    /* Docker: singlestats in the order of x, then y. */
    assert_string_equal(r[3].panels[1].title, "Health Checks");
    assert_string_equal(r[3].panels[2].title, "Failed Health Checks");
    assert_string_equal(r[3].panels[3].title, "Version");
    assert_string_equal(r[3].panels[5].title, "OS Type");
    for (size_t i = 1; i <= 5; i++) {
        assert_int_equal(r[3].panels[i].kind, PANEL_STAT);
        assert_int_equal(r[3].panels[i].unit, UNIT_NONE);  /* "none" */
        assert_int_equal(r[3].panels[i].nthresholds, 0);  /* "" */
    }
    /* tableColumn: the label's value as the legend, with a note. */
    assert_string_equal(r[3].panels[3].queries[0].legend, "{{version}}");
    assert_string_equal(r[3].panels[4].queries[0].legend,
                        "{{architecture}}");
    assert_string_equal(r[3].panels[5].queries[0].legend, "{{os_type}}");
    assert_true(has_note(f, "'Version'", "label 'version'", "legend", NULL));
    assert_true(has_note(f, "'Failed Health Checks'", "below 'Health "
                         "Checks'", NULL));
    assert_true(has_note(f, "'OS Type'", "below 'Version'", NULL));
    assert_true(has_note(f, "'Health Checks'", "'avg'", NULL));
    assert_true(has_note(f, "'Image Loads from Cache'", "'mean'", NULL));
    /* Each note once. */
    for (size_t i = 0; i < f->notes.n; i++)
        for (size_t j = i + 1; j < f->notes.n; j++)
            assert_string_not_equal(f->notes.v[i], f->notes.v[j]);
}

static void
test_ch09_lab(void **state)
{
    struct fixture *f = *state;
    const struct row *r;
    static const char *const exprs[] = {
        "todo_tasks_created_total", "http_requests_received_total",
        "http_requests_in_progress",
    };

    assert_int_equal(load_file(f, "lab-grafana-dashboard.json"), 0);
    assert_string_equal(f->m.title, "TODO List");
    assert_int_equal(f->m.range_ms, 5 * 60 * 1000);
    assert_int_equal(f->m.pages[0].nrows, 1);
    r = &f->m.pages[0].rows[0];
    assert_null(r->title);
    assert_int_equal(r->height, 9);
    assert_int_equal(r->npanels, 3);
    assert_string_equal(r->panels[0].title, "Tasks Created");
    assert_string_equal(r->panels[2].title, "HTTP Requests in Progress");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(r->panels[i].kind, PANEL_GRAPH);
        assert_int_equal(r->panels[i].width, 7 + (int)i);
        assert_string_equal(r->panels[i].queries[0].expr, exprs[i]);
    }
    print_notes(f);
    assert_int_equal(f->notes.n, 0);
}

static const char modern[] =
    "{\"__inputs\": [{\"name\": \"DS_LOKI\", \"pluginId\": \"loki\","
    "  \"type\": \"datasource\"}],\n"
    " \"title\": \"Modern\", \"refresh\": \"30s\",\n"
    " \"time\": {\"from\": \"now-24h\", \"to\": \"now\"},\n"
    " \"templating\": {\"list\": [\n"
    "  {\"type\": \"query\", \"name\": \"job\", \"query\": {\"query\":"
    "   \"label_values(up, job)\", \"refId\": \"A\"}, \"includeAll\": true,"
    "   \"allValue\": \".*\", \"multi\": true,"
    "   \"current\": {\"text\": \"All\", \"value\": [\"$__all\"]}},\n"
    "  {\"type\": \"custom\", \"name\": \"quantile\","
    "   \"query\": \"0.5, 0.9,0.99\", \"current\": {\"value\": \"0.9\"}},\n"
    "  {\"type\": \"interval\", \"name\": \"iv\", \"query\": \"1m,5m\","
    "   \"auto\": true, \"current\": {\"value\": \"5m\"}},\n"
    "  {\"type\": \"constant\", \"name\": \"cluster\", \"query\": \"prod\"},\n"
    "  {\"type\": \"datasource\", \"name\": \"ds\","
    "   \"query\": \"prometheus\"},\n"
    "  {\"type\": \"query\", \"name\": \"q2\", \"query\": \"query_result(up)\","
    "   \"current\": {\"value\": \"x\"}}]},\n"
    " \"panels\": [\n"
    "  {\"type\": \"row\", \"title\": \"Overview\", \"collapsed\": false,"
    "   \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": 24, \"h\": 1},"
    "   \"panels\": []},\n"
    "  {\"type\": \"timeseries\", \"title\": \"Rate\","
    "   \"gridPos\": {\"x\": 0, \"y\": 1, \"w\": 12, \"h\": 8},"
    "   \"datasource\": {\"type\": \"prometheus\", \"uid\": \"abc\"},"
    "   \"fieldConfig\": {\"defaults\": {\"unit\": \"ms\", \"decimals\": 2,"
    "     \"min\": 0, \"custom\": {\"stacking\": {\"mode\": \"normal\"}},"
    "     \"thresholds\": {\"mode\": \"absolute\", \"steps\": ["
    "       {\"color\": \"green\", \"value\": null},"
    "       {\"color\": \"#EAB839\", \"value\": 80},"
    "       {\"color\": \"red\", \"value\": 90}]}}, \"overrides\": []},"
    "   \"targets\": [{\"expr\": \"rate(x[$iv])\", \"legendFormat\":"
    "     \"{{job}}\", \"refId\": \"A\"},"
    "    {\"expr\": \"up\", \"hide\": true, \"refId\": \"B\"},"
    "    {\"expr\": \"\", \"refId\": \"C\"}]},\n"
    "  {\"type\": \"bargauge\", \"title\": \"Bars\","
    "   \"gridPos\": {\"x\": 12, \"y\": 1, \"w\": 6, \"h\": 8},"
    "   \"fieldConfig\": {\"defaults\": {\"unit\": \"Bps\"}},"
    "   \"targets\": [{\"expr\": \"sum by (job) (up)\","
    "     \"legendFormat\": \"__auto\", \"refId\": \"A\"}]},\n"
    "  {\"type\": \"piechart\", \"title\": \"Pie\","
    "   \"gridPos\": {\"x\": 18, \"y\": 1, \"w\": 6, \"h\": 4},"
    "   \"targets\": [{\"expr\": \"sum by (code) (x)\", \"refId\": \"A\"}]},\n"
    "  {\"type\": \"table\", \"title\": \"Tab\","
    "   \"gridPos\": {\"x\": 18, \"y\": 5, \"w\": 6, \"h\": 4},"
    "   \"transformations\": [{\"id\": \"organize\"}],"
    "   \"targets\": [{\"expr\": \"up\", \"refId\": \"A\","
    "     \"format\": \"table\", \"legendFormat\": \"Up\"}]},\n"
    "  {\"type\": \"row\", \"title\": \"Logs\", \"collapsed\": true,"
    "   \"gridPos\": {\"x\": 0, \"y\": 9, \"w\": 24, \"h\": 1}, \"panels\": [\n"
    "   {\"type\": \"logs\", \"title\": \"Logs\", \"datasource\":"
    "    \"${DS_LOKI}\", \"gridPos\": {\"x\": 0, \"y\": 10, \"w\": 24,"
    "    \"h\": 6}, \"targets\": [{\"expr\": \"{job=\\\"x\\\"}\","
    "    \"refId\": \"A\"}]},\n"
    "   {\"type\": \"heatmap\", \"title\": \"Heat\","
    "    \"gridPos\": {\"x\": 0, \"y\": 16, \"w\": 12, \"h\": 6},"
    "    \"targets\": [{\"expr\": \"sum by (le) (rate(x_bucket[5m]))\","
    "     \"refId\": \"A\", \"format\": \"heatmap\"}]},\n"
    "   {\"type\": \"text\", \"title\": \"Doc\","
    "    \"gridPos\": {\"x\": 12, \"y\": 16, \"w\": 12, \"h\": 6},"
    "    \"options\": {\"content\": \"# Hello\", \"mode\": \"markdown\"}},\n"
    "   {\"title\": \"Shared\", \"libraryPanel\": {\"uid\": \"u1\","
    "    \"name\": \"Shared\"}, \"gridPos\": {\"x\": 0, \"y\": 16,"
    "    \"w\": 1, \"h\": 1}},\n"
    "   {\"type\": \"dashlist\", \"title\": \"Links\","
    "    \"gridPos\": {\"x\": 0, \"y\": 22, \"w\": 24, \"h\": 3}},\n"
    "   {\"type\": \"timeseries\", \"title\": \"Mixed\","
    "    \"gridPos\": {\"x\": 0, \"y\": 25, \"w\": 24, \"h\": 5},"
    "    \"datasource\": {\"type\": \"datasource\", \"uid\": \"-- Mixed --\"},"
    "    \"targets\": [{\"expr\": \"up\", \"refId\": \"A\", \"datasource\":"
    "      {\"type\": \"prometheus\", \"uid\": \"p\"}},"
    "     {\"expr\": \"{a=\\\"b\\\"}\", \"refId\": \"B\", \"datasource\":"
    "      {\"type\": \"loki\", \"uid\": \"l\"}}]}]}]}\n";

static void
test_modern_layout_and_panels(void **state)
{
    struct fixture *f = *state;
    const struct row *r;
    const struct panel *p;

    if (load_text(f, modern) != 0)
        fail_msg("%d:%d: %s", f->d.line, f->d.col, f->d.msg);
    print_notes(f);
    assert_string_equal(f->m.title, "Modern");
    assert_int_equal(f->m.range_ms, 24 * 3600 * 1000);
    assert_int_equal(f->m.refresh_ms, 30000);
    assert_int_equal(f->m.pages[0].nrows, 3);
    r = f->m.pages[0].rows;
    /* Overview: four panels in one band from y 1 to 9, by x. */
    assert_string_equal(r[0].title, "Overview");
    assert_int_equal(r[0].height, 8);
    assert_int_equal(r[0].npanels, 4);
    assert_string_equal(r[0].panels[0].title, "Rate");
    assert_string_equal(r[0].panels[1].title, "Bars");
    assert_string_equal(r[0].panels[2].title, "Pie");
    assert_string_equal(r[0].panels[3].title, "Tab");
    assert_true(has_note(f, "'Tab'", "below 'Pie'", NULL));

    p = &r[0].panels[0];
    assert_int_equal(p->kind, PANEL_GRAPH);
    assert_int_equal(p->width, 12);
    assert_string_equal(model_unit_name(p->unit), "ms");
    assert_int_equal(p->decimals, 2);
    assert_true(p->min == 0 && isnan(p->max));
    assert_true(p->stack);
    assert_int_equal(p->nthresholds, 3);
    assert_int_equal(p->thresholds[0].role, vocab_color_role("good"));
    assert_true(p->thresholds[1].value == 80);
    assert_int_equal(p->thresholds[1].role, vocab_color_role("warn"));
    assert_int_equal(p->thresholds[2].role, vocab_color_role("crit"));
    /* The hidden target is left out; the empty one with a note. */
    assert_int_equal(p->nqueries, 1);
    assert_string_equal(p->queries[0].expr, "rate(x[$iv])");
    assert_string_equal(p->queries[0].legend, "{{job}}");
    assert_true(has_note(f, "'Rate'", "target C has no PromQL", NULL));

}

static void
test_modern_panel_kinds_and_notes(void **state)
{
    struct fixture *f = *state;
    const struct row *r;
    const struct panel *p;

    assert_int_equal(load_text(f, modern), 0);
    r = f->m.pages[0].rows;
    p = &r[0].panels[1];
    assert_int_equal(p->kind, PANEL_BARS);
    assert_string_equal(model_unit_name(p->unit), "Bps");
    assert_null(p->queries[0].legend);          /* __auto */
    assert_false(has_note(f, "'Bars'", "unit", NULL));
    assert_int_equal(r[0].panels[2].kind, PANEL_TABLE);
    assert_true(has_note(f, "panel 'Pie': type 'piechart' is not supported;"
                         " shown as a table", NULL));
    assert_int_equal(r[0].panels[3].kind, PANEL_TABLE);
    assert_true(has_note(f, "'Tab'", "transformations", NULL));

    /* Logs (Loki only) is left out, so the row's title goes to the next
     * band, and with it the row's fold: Logs stays collapsed, as in
     * Grafana, without a note. The dashlist is left out with its row. */
    assert_false(has_note(f, "row 'Logs'", NULL));
    assert_false(r[0].collapsed);
    assert_true(r[1].collapsed);
    assert_false(r[2].collapsed);
    assert_true(has_note(f, "'Logs'", "datasource '${DS_LOKI}' targets "
                         "skipped", NULL));
    assert_true(has_note(f, "'Logs'", "no Prometheus queries; left out",
                         NULL));
    assert_true(has_note(f, "panel 'Shared': a library panel", NULL));
    assert_true(has_note(f, "panel 'Links': type 'dashlist' is not "
                         "supported; left out", NULL));
    assert_string_equal(r[1].title, "Logs");
    assert_int_equal(r[1].height, 6);
    assert_int_equal(r[1].npanels, 2);
    assert_int_equal(r[1].panels[0].kind, PANEL_HEATMAP);
    assert_int_equal(r[1].panels[1].kind, PANEL_TEXT);
    assert_string_equal(r[1].panels[1].text, "# Hello");
    assert_int_equal(r[1].panels[1].nqueries, 0);
    /* Mixed: the Prometheus target stays, the Loki one is a note. */
    assert_null(r[2].title);
    assert_int_equal(r[2].npanels, 1);
    assert_int_equal(r[2].panels[0].nqueries, 1);
    assert_string_equal(r[2].panels[0].queries[0].expr, "up");
    assert_true(has_note(f, "'Mixed'", "datasource 'loki' targets skipped",
                         NULL));
}

static void
test_modern_variables(void **state)
{
    struct fixture *f = *state;
    const struct variable *v;

    assert_int_equal(load_text(f, modern), 0);
    assert_int_equal(f->m.nvariables, 5);
    v = &f->m.variables[0];
    assert_string_equal(v->name, "job");
    assert_string_equal(v->query, "label_values(up, job)");
    assert_true(v->all);
    assert_string_equal(v->all_value, ".*");
    assert_int_equal(v->current, v->nvalues);           /* All */
    assert_true(v->multi && v->regex_value);
    assert_true(has_note(f, "variable 'job': one value (or All)", NULL));
    v = &f->m.variables[1];
    assert_string_equal(v->name, "quantile");
    assert_int_equal(v->nvalues, 3);
    assert_string_equal(v->values[0], "0.5");
    assert_string_equal(v->values[2], "0.99");
    assert_int_equal(v->current, 1);
    v = &f->m.variables[2];
    assert_string_equal(v->name, "iv");
    assert_int_equal(v->nvalues, 2);
    assert_int_equal(v->current, 1);
    assert_true(has_note(f, "variable 'iv': the auto interval", NULL));
    v = &f->m.variables[3];
    assert_string_equal(v->name, "cluster");
    assert_int_equal(v->nvalues, 1);
    assert_string_equal(v->values[0], "prod");
    /* A Prometheus data source variable is promdeck's own source. */
    assert_false(has_note(f, "variable 'ds'", NULL));
    /* Any query is read from the store; until then, the saved value. */
    v = &f->m.variables[4];
    assert_string_equal(v->name, "q2");
    assert_string_equal(v->query, "query_result(up)");
    assert_int_equal(v->nvalues, 1);
    assert_string_equal(v->values[0], "x");
    assert_false(has_note(f, "variable 'q2'", NULL));
}

/* Grafana 4: rows with spans, singlestat and graph thresholds, and the
 * API's {"dashboard": ...} wrapper. */
static const char old_style[] =
    "{\"meta\": {\"slug\": \"old\"}, \"dashboard\": {\n"
    " \"title\": \"Old\", \"time\": {\"from\": \"now-1d/d\", \"to\": "
    "\"now\"},\n"
    " \"rows\": [\n"
    "  {\"title\": \"Hidden title\", \"showTitle\": false, \"height\": "
    "\"300px\", \"panels\": [\n"
    "   {\"type\": \"singlestat\", \"title\": \"Load\", \"span\": 4,"
    "    \"format\": \"percentunit\", \"decimals\": 1,"
    "    \"thresholds\": \"0.5,0.8\","
    "    \"colors\": [\"#299c46\", \"rgba(237, 129, 40, 0.89)\","
    "     \"#d44a3a\"], \"valueName\": \"current\","
    "    \"targets\": [{\"expr\": \"avg(x)\", \"refId\": \"A\"}]},\n"
    "   {\"type\": \"graph\", \"title\": \"Lat\", \"span\": 8,"
    "    \"yaxes\": [{\"format\": \"s\", \"min\": \"0\", \"max\": null},"
    "     {\"format\": \"short\"}],"
    "    \"thresholds\": [{\"value\": 1, \"colorMode\": \"warning\","
    "     \"op\": \"gt\"}, {\"value\": 2, \"colorMode\": \"critical\","
    "     \"op\": \"gt\"}],"
    "    \"targets\": [{\"expr\": \"histogram_quantile(0.9, x)\","
    "     \"refId\": \"A\"}]}]},\n"
    "  {\"title\": \"Second\", \"showTitle\": true, \"height\": 150,"
    "   \"panels\": [{\"type\": \"text\", \"title\": \"T\","
    "    \"content\": \"hi\", \"mode\": \"markdown\"}]}]}}\n";

static void
test_old_style_rows(void **state)
{
    struct fixture *f = *state;
    const struct row *r;
    const struct panel *p;

    assert_int_equal(load_text(f, old_style), 0);
    print_notes(f);
    assert_string_equal(f->m.title, "Old");
    assert_int_equal(f->m.range_ms, 24 * 3600 * 1000);  /* 1d, "/d" off */
    assert_int_equal(f->m.pages[0].nrows, 2);
    r = f->m.pages[0].rows;
    assert_null(r[0].title);                    /* showTitle false */
    assert_int_equal(r[0].height, 10);          /* 300px / 30 */
    assert_string_equal(r[1].title, "Second");
    assert_int_equal(r[1].height, 5);           /* 150 / 30 */
    assert_int_equal(r[0].npanels, 2);
    p = &r[0].panels[0];
    assert_int_equal(p->kind, PANEL_STAT);
    assert_int_equal(p->width, 8);              /* span 4 of 12 */
    assert_int_equal(p->unit, UNIT_PERCENTUNIT);
    assert_int_equal(p->decimals, 1);
    assert_int_equal(p->nthresholds, 3);
    assert_int_equal(p->thresholds[0].role, vocab_color_role("good"));
    assert_true(p->thresholds[1].value == 0.5);
    assert_int_equal(p->thresholds[1].role, vocab_color_role("warn"));
    assert_true(p->thresholds[2].value == 0.8);
    assert_int_equal(p->thresholds[2].role, vocab_color_role("crit"));
    p = &r[0].panels[1];
    assert_int_equal(p->kind, PANEL_GRAPH);
    assert_int_equal(p->width, 16);
    assert_int_equal(p->unit, UNIT_SECONDS);
    assert_true(p->min == 0 && isnan(p->max));
    assert_int_equal(p->nthresholds, 3);
    assert_true(p->thresholds[1].value == 1);
    assert_int_equal(p->thresholds[1].role, vocab_color_role("warn"));
    assert_int_equal(p->thresholds[2].role, vocab_color_role("crit"));
    assert_int_equal(r[1].panels[0].kind, PANEL_TEXT);
    assert_string_equal(r[1].panels[0].text, "hi");
    assert_int_equal(f->notes.n, 0);
}

/* Out-of-range gridPos values (make asan runs these under UBSan, where
 * the casts of 1e99 and the sum y + h of INT_MAX used to overflow) are
 * clamped as Grafana's grid would show them, each with a note. */
static const char huge_grid[] =
    "{\"panels\": [\n"
    " {\"type\": \"stat\", \"title\": \"Far\", \"gridPos\": {\"x\": 0,"
    "  \"y\": 1e99, \"w\": 1e99, \"h\": 2147483647},"
    "  \"targets\": [{\"expr\": \"up\"}]},\n"
    " {\"type\": \"stat\", \"title\": \"Near\", \"gridPos\": {\"x\": -3,"
    "  \"y\": 2147483647, \"w\": 6, \"h\": 8},"
    "  \"targets\": [{\"expr\": \"up\"}]},\n"
    " {\"type\": \"stat\", \"title\": \"Top\", \"gridPos\": {\"x\": 1e300,"
    "  \"y\": -1e99, \"w\": 0, \"h\": -2147483649},"
    "  \"targets\": [{\"expr\": \"up\"}]}]}\n";

static void
test_huge_grid_positions(void **state)
{
    struct fixture *f = *state;
    const struct row *r;

    assert_int_equal(load_text(f, huge_grid), 0);
    print_notes(f);
    assert_true(has_note(f, "panel 'Far': gridPos y 1e+99 is outside "
                         "0-1000000; using 1000000", NULL));
    assert_true(has_note(f, "panel 'Far': gridPos w 1e+99", "using 24",
                         NULL));
    assert_true(has_note(f, "panel 'Far': gridPos h 2147483647", NULL));
    assert_true(has_note(f, "panel 'Near': gridPos x -3", "using 0", NULL));
    assert_true(has_note(f, "panel 'Near': gridPos y 2147483647", NULL));
    assert_true(has_note(f, "panel 'Top': gridPos x 1e+300", "using 23",
                         NULL));
    assert_true(has_note(f, "panel 'Top': gridPos y -1e+99", "using 0",
                         NULL));
    /* Top (y 0, the default 12x8) is alone in the first band; Far and
     * Near both start at the clamped bottom, side by side. */
    assert_int_equal(f->m.pages[0].nrows, 2);
    r = f->m.pages[0].rows;
    assert_int_equal(r[0].npanels, 1);
    assert_string_equal(r[0].panels[0].title, "Top");
    assert_int_equal(r[0].panels[0].width, 12);
    assert_int_equal(r[0].height, 8);
    assert_int_equal(r[1].npanels, 2);
    assert_int_equal(r[1].height, 1000000);
    assert_int_equal(r[1].panels[0].width + r[1].panels[1].width, 30);
}

/* Grafana 4's span and row height, as huge as numbers go. */
static void
test_huge_old_rows(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load_text(f, "{\"rows\": [{\"height\": \"1e99px\","
                               " \"panels\": [{\"type\": \"text\", "
                               "\"span\": 1e99, \"content\": \"a\"}]},"
                               " {\"height\": \"nan\", \"panels\": "
                               "[{\"type\": \"text\", \"content\": \"b\"}]}]}"),
                     0);
    assert_int_equal(f->m.pages[0].nrows, 2);
    assert_int_equal(f->m.pages[0].rows[0].height, 1000000);
    assert_int_equal(f->m.pages[0].rows[0].panels[0].width, 24);
    assert_int_equal(f->m.pages[0].rows[1].height, 8);     /* 250px */
}

static void
test_not_a_dashboard(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load_text(f, "{\"title\": \"x\"}"), -1);
    assert_string_equal(f->d.source, "g.json");
    assert_int_equal(f->d.line, 1);
    assert_int_equal(f->d.col, 1);
    assert_non_null(strstr(f->d.msg, "expected a Grafana dashboard"));
    assert_null(f->m.pages);
    assert_int_equal(load_text(f, "{\"panels\": [\n  {\"title\": \"x\"]}"), -1);
    assert_int_equal(f->d.line, 2);
    assert_int_equal(load_text(f, "{\"panels\": [{\"type\": \"dashlist\"}]}"),
                     -1);
    assert_non_null(strstr(f->d.msg, "no panel promdeck can show"));
    assert_int_equal(grafana_load("no/such.json", &f->m, &f->notes, &f->d),
                     -1);
    assert_non_null(strstr(f->d.msg, "cannot open"));
}

/*
 * A panel's query options: Min interval (the old ">1m" too) and Max
 * data points are kept for the step (src/dash/dash.c); an interval that
 * is a variable is noted and not used.
 */
static void
test_query_options(void **state)
{
    struct fixture *f = *state;
    const struct panel *p;

    assert_int_equal(load_text(f, "{\"panels\": ["
        "{\"type\": \"graph\", \"title\": \"a\", \"interval\": \"2m\","
        " \"maxDataPoints\": 50, \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": 8},"
        " \"targets\": [{\"expr\": \"up\"}]},"
        "{\"type\": \"graph\", \"title\": \"b\", \"interval\": \">30s\","
        " \"gridPos\": {\"x\": 8, \"y\": 0, \"w\": 8},"
        " \"targets\": [{\"expr\": \"up\"}]},"
        "{\"type\": \"graph\", \"title\": \"c\", \"interval\": \"$iv\","
        " \"gridPos\": {\"x\": 16, \"y\": 0, \"w\": 8},"
        " \"targets\": [{\"expr\": \"up\"}]}]}"), 0);
    p = f->m.pages[0].rows[0].panels;
    assert_int_equal(p[0].min_interval_ms, 120000);
    assert_int_equal(p[0].max_points, 50);
    assert_int_equal(p[1].min_interval_ms, 30000);
    assert_int_equal(p[1].max_points, 0);
    assert_int_equal(p[2].min_interval_ms, 0);
    assert_true(has_note(f, "panel 'c'", "min interval '$iv'", NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ch09_rows_panels_and_queries,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ch09_kinds_units_thresholds,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ch09_lab, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modern_layout_and_panels, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_modern_panel_kinds_and_notes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_modern_variables, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_old_style_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_grid_positions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_huge_old_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_options, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_not_a_dashboard, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
