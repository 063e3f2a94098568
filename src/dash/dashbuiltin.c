/*
 * The built-in dashboard, as data: the golden-signals view of any set of
 * HTTP services that expose the usual client-library names
 * (*_requests_total{code}, *_request_duration_seconds, *_in_flight_requests,
 * process_*, go_*), and a per-target table. dashboards/golden-signals.yaml
 * is the same dashboard as a file. It compiles and evaluates nothing.
 */
#include "src/dash/dashbuiltin.h"

#include <math.h>
#include <string.h>

#include "src/base/xalloc.h"

/* Request counters with a status code, the promhttp handler excluded. */
#define REQ "{__name__=~\".+_requests_total\",__name__!~\"promhttp_.+\"," \
            "code!=\"\""
#define REQ_ALL  REQ "}"
#define REQ_5XX  REQ ",code=~\"5..\"}"
#define LAT "{__name__=~\".+_request_duration_seconds_bucket\"}"
#define BY_TARGET "sum by (job, instance) "

/* The built-in definition, as data. */
struct def_query {
    const char *expr, *legend, *column;
    enum column_style style;
    enum unit unit;
};

struct def_panel {
    const char *title;
    enum panel_kind kind;
    enum unit unit;
    int width;
    struct def_query q[8];
};

struct def_row {
    int height;
    struct def_panel p[6];
};

static const struct def_row golden_rows[] = {
    { 1, {
        { "Traffic", PANEL_STAT, UNIT_REQPS, 1,
          { { "sum(rate(" REQ_ALL "[1m]))", NULL, NULL, 0, 0 } } },
        { "Errors", PANEL_STAT, UNIT_PERCENTUNIT, 1,
          { { "(sum(rate(" REQ_5XX "[1m])) or vector(0))"
              " / sum(rate(" REQ_ALL "[1m]))", NULL, NULL, 0, 0 } } },
        { "Latency p99", PANEL_STAT, UNIT_SECONDS, 1,
          { { "histogram_quantile(0.99, sum by (le) (rate(" LAT "[1m])))",
              NULL, NULL, 0, 0 } } },
        { "In flight", PANEL_STAT, UNIT_AUTO, 1,
          { { "sum({__name__=~\".+_in_flight_requests\"})", NULL, NULL,
              0, 0 } } },
        { "Targets up", PANEL_STAT, UNIT_AUTO, 1,
          { { "sum(up)", NULL, NULL, 0, 0 } } },
    } },
    { 2, {
        { "Traffic by status code", PANEL_GRAPH, UNIT_REQPS, 2,
          { { "sum by (code) (rate(" REQ_ALL "[1m]))", "{{code}}", NULL,
              0, 0 } } },
        { "Errors (5xx share)", PANEL_GRAPH, UNIT_PERCENTUNIT, 1,
          { { "sum by (job) (rate(" REQ_5XX "[1m]))"
              " / sum by (job) (rate(" REQ_ALL "[1m]))", "{{job}}", NULL,
              0, 0 } } },
    } },
    { 2, {
        { "Latency", PANEL_GRAPH, UNIT_SECONDS, 1,
          { { "histogram_quantile(0.5, sum by (le) (rate(" LAT "[1m])))",
              "p50", NULL, 0, 0 },
            { "histogram_quantile(0.95, sum by (le) (rate(" LAT "[1m])))",
              "p95", NULL, 0, 0 },
            { "histogram_quantile(0.99, sum by (le) (rate(" LAT "[1m])))",
              "p99", NULL, 0, 0 } } },
        { "In-flight requests", PANEL_GRAPH, UNIT_AUTO, 1,
          { { "sum by (job) ({__name__=~\".+_in_flight_requests\"})",
              "{{job}}", NULL, 0, 0 } } },
    } },
    { 2, {
        { "Memory (resident)", PANEL_GRAPH, UNIT_BYTES, 1,
          { { "sum by (job) (process_resident_memory_bytes)", "{{job}}",
              NULL, 0, 0 } } },
        { "Goroutines", PANEL_GRAPH, UNIT_AUTO, 1,
          { { "sum by (job) (go_goroutines)", "{{job}}", NULL, 0, 0 } } },
    } },
};

static const struct def_row target_rows[] = {
    { 1, {
        { "Targets", PANEL_TABLE, UNIT_AUTO, 1, {
            { "up", NULL, "health", COLUMN_HEALTH, 0 },
            { BY_TARGET "(rate(" REQ_ALL "[1m]))", NULL, "req/s",
              COLUMN_VALUE, UNIT_REQPS },
            { "(" BY_TARGET "(rate(" REQ_5XX "[1m])) or "
              BY_TARGET "(rate(" REQ_ALL "[1m])) * 0) / "
              BY_TARGET "(rate(" REQ_ALL "[1m]))", NULL, "errors",
              COLUMN_VALUE, UNIT_PERCENTUNIT },
            { BY_TARGET "({__name__=~\".+_in_flight_requests\"})", NULL,
              "in-flight", COLUMN_VALUE, 0 },
            { BY_TARGET "(process_resident_memory_bytes)", NULL, "memory",
              COLUMN_VALUE, UNIT_BYTES },
            { BY_TARGET "(go_goroutines)", NULL, "goroutines",
              COLUMN_VALUE, 0 },
            { BY_TARGET "(rate(" REQ_ALL "[1m]))", NULL, "traffic",
              COLUMN_SPARK, UNIT_REQPS },
        } },
    } },
};

static char *
dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

static void
build_panel(struct panel *p, const struct def_panel *def)
{
    static const char *const join[] = { "job", "instance" };
    size_t n = 0;

    while (n < 8 && def->q[n].expr != NULL)
        n++;
    memset(p, 0, sizeof(*p));
    p->title = xstrdup(def->title);
    p->kind = def->kind;
    p->unit = def->unit;
    p->decimals = -1;
    p->min = p->max = NAN;
    p->width = def->width;
    p->nqueries = n;
    p->queries = xcalloc(n, sizeof(*p->queries));
    for (size_t i = 0; i < n; i++) {
        p->queries[i].expr = xstrdup(def->q[i].expr);
        p->queries[i].legend = dup_or_null(def->q[i].legend);
        p->queries[i].column = dup_or_null(def->q[i].column);
        p->queries[i].style = def->q[i].style;
        p->queries[i].unit = def->q[i].unit;
    }
    if (p->kind == PANEL_TABLE) {
        p->njoin = 2;
        p->join = xcalloc(2, sizeof(*p->join));
        for (size_t i = 0; i < 2; i++)
            p->join[i] = xstrdup(join[i]);
    }
    p->dirty = true;
}

static void
build_page(struct page *pg, const char *title, const struct def_row *rows,
           size_t nrows)
{
    pg->title = xstrdup(title);
    pg->nrows = nrows;
    pg->rows = xcalloc(nrows, sizeof(*pg->rows));
    for (size_t r = 0; r < nrows; r++) {
        struct row *row = &pg->rows[r];
        size_t n = 0;

        while (n < 6 && rows[r].p[n].title != NULL)
            n++;
        row->height = rows[r].height;
        row->npanels = n;
        row->panels = xcalloc(n, sizeof(*row->panels));
        for (size_t i = 0; i < n; i++)
            build_panel(&row->panels[i], &rows[r].p[i]);
    }
}

void
dashbuiltin_model(struct dashboard *m, int64_t range_ms)
{
    memset(m, 0, sizeof(*m));
    m->range_ms = range_ms;
    m->title = xstrdup("Golden signals");
    m->npages = 2;
    m->pages = xcalloc(2, sizeof(*m->pages));
    build_page(&m->pages[0], "Overview", golden_rows,
               sizeof(golden_rows) / sizeof(golden_rows[0]));
    build_page(&m->pages[1], "Containers", target_rows,
               sizeof(target_rows) / sizeof(target_rows[0]));
}

