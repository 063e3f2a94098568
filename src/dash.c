/*
 * The dashboard model and its evaluation. The built-in dashboard is the
 * golden-signals view of any set of HTTP services that expose the usual
 * client-library names (*_requests_total{code}, *_request_duration_seconds,
 * *_in_flight_requests, process_*, go_*), so it works for the demo and for
 * most real targets without a dashboard file.
 */
#include "src/dash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/xalloc.h"

/* Request counters with a status code, the promhttp handler excluded. */
#define REQ "{__name__=~\".+_requests_total\",__name__!~\"promhttp_.+\"," \
            "code!=\"\""
#define REQ_ALL  REQ "}"
#define REQ_5XX  REQ ",code=~\"5..\"}"
#define LAT "{__name__=~\".+_request_duration_seconds_bucket\"}"
#define BY_TARGET "sum by (job, instance) "

/* One compiled query and where its results go. */
struct dash_query {
    struct panel_query *pq;
    struct panel *panel;
    int page;
    struct query *compiled;     /* NULL when the expression is bad */
};

struct dash {
    struct dashboard model;
    struct dash_query *queries;
    size_t nqueries;
};

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
        { "In flight", PANEL_STAT, UNIT_NONE, 1,
          { { "sum({__name__=~\".+_in_flight_requests\"})", NULL, NULL,
              0, 0 } } },
        { "Targets up", PANEL_STAT, UNIT_NONE, 1,
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
        { "In-flight requests", PANEL_GRAPH, UNIT_NONE, 1,
          { { "sum by (job) ({__name__=~\".+_in_flight_requests\"})",
              "{{job}}", NULL, 0, 0 } } },
    } },
    { 2, {
        { "Memory (resident)", PANEL_GRAPH, UNIT_BYTES, 1,
          { { "sum by (job) (process_resident_memory_bytes)", "{{job}}",
              NULL, 0, 0 } } },
        { "Goroutines", PANEL_GRAPH, UNIT_NONE, 1,
          { { "sum by (job) (go_goroutines)", "{{job}}", NULL, 0, 0 } } },
    } },
};

static const struct def_row target_rows[] = {
    { 1, {
        { "Targets", PANEL_TABLE, UNIT_NONE, 1, {
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

/* Compiles every query of the model; a bad one keeps its error text. */
static void
compile_all(struct dash *d)
{
    struct dashboard *m = &d->model;

    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++) {
            struct row *row = &m->pages[pg].rows[r];

            for (size_t i = 0; i < row->npanels; i++) {
                struct panel *p = &row->panels[i];

                for (size_t q = 0; q < p->nqueries; q++) {
                    struct dash_query *dq;
                    struct diag diag;

                    d->queries = xreallocarray(d->queries, d->nqueries + 1,
                                               sizeof(*d->queries));
                    dq = &d->queries[d->nqueries++];
                    dq->pq = &p->queries[q];
                    dq->panel = p;
                    dq->page = (int)pg;
                    diag_clear(&diag);
                    dq->compiled = qparse_query(dq->pq->expr,
                                                strlen(dq->pq->expr), &diag);
                    if (dq->compiled == NULL)
                        dq->pq->error = xasprintf("%d:%d: %s", diag.line,
                                                  diag.col, diag.msg);
                }
            }
        }
}

struct dash *
dash_adopt(struct dashboard *model)
{
    struct dash *d = xcalloc(1, sizeof(*d));

    d->model = *model;
    memset(model, 0, sizeof(*model));
    dash_set_range(d, d->model.range_ms);
    compile_all(d);
    return d;
}

void
dash_set_range(struct dash *d, int64_t range_ms)
{
    int64_t step = range_ms / 200;

    d->model.range_ms = range_ms;
    /* About 200 points across, in whole seconds, as Grafana picks. */
    d->model.step_ms = step < 1000 ? 1000 : (step + 999) / 1000 * 1000;
}

struct dash *
dash_new_builtin(int64_t range_ms)
{
    struct dashboard m = { .range_ms = range_ms };

    m.title = xstrdup("Golden signals");
    m.npages = 2;
    m.pages = xcalloc(2, sizeof(*m.pages));
    build_page(&m.pages[0], "Golden signals", golden_rows,
               sizeof(golden_rows) / sizeof(golden_rows[0]));
    build_page(&m.pages[1], "Containers", target_rows,
               sizeof(target_rows) / sizeof(target_rows[0]));
    return dash_adopt(&m);
}

static void
free_panel(struct panel *p)
{
    for (size_t q = 0; q < p->nqueries; q++) {
        free(p->queries[q].expr);
        free(p->queries[q].legend);
        free(p->queries[q].column);
        free(p->queries[q].error);
        qresult_free(p->queries[q].result);
    }
    for (size_t j = 0; j < p->njoin; j++)
        free(p->join[j]);
    free(p->join);
    free(p->queries);
    free(p->thresholds);
    free(p->text);
    free(p->title);
}

void
dash_model_fini(struct dashboard *m)
{
    for (size_t pg = 0; pg < m->npages; pg++) {
        for (size_t r = 0; r < m->pages[pg].nrows; r++) {
            struct row *row = &m->pages[pg].rows[r];

            for (size_t i = 0; i < row->npanels; i++)
                free_panel(&row->panels[i]);
            free(row->panels);
            free(row->title);
        }
        free(m->pages[pg].rows);
        free(m->pages[pg].title);
    }
    free(m->pages);
    free(m->title);
    memset(m, 0, sizeof(*m));
}

void
dash_free(struct dash *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->nqueries; i++)
        qparse_free(d->queries[i].compiled);
    free(d->queries);
    dash_model_fini(&d->model);
    free(d);
}

struct dashboard *
dash_model(struct dash *d)
{
    return &d->model;
}

size_t
dash_evaluate(struct dash *d, const struct store *st, int64_t now_ms,
              int page)
{
    struct dashboard *m = &d->model;
    int64_t end = now_ms - now_ms % m->step_ms;
    size_t failed = 0;

    m->now_ms = end;
    for (size_t i = 0; i < d->nqueries; i++) {
        struct dash_query *dq = &d->queries[i];
        struct qresult *res;
        struct diag diag;

        if (dq->compiled == NULL) {
            failed++;
            continue;
        }
        if (page >= 0 && dq->page != page)
            continue;
        diag_clear(&diag);
        res = qeval_range(dq->compiled, st, end - m->range_ms, end,
                          m->step_ms, &diag);
        qresult_free(dq->pq->result);
        free(dq->pq->error);
        dq->pq->result = res;
        dq->pq->error = res == NULL ? xstrdup(diag.msg) : NULL;
        dq->panel->dirty = true;
        failed += res == NULL;
    }
    return failed;
}

const char *
dash_kind_name(enum panel_kind k)
{
    /* ORDER panel_kind */
    static const char *const names[] = {
        "graph", "sparkline", "bars", "table", "stat", "gauge", "heatmap",
        "text",
    };
    _Static_assert(sizeof(names) / sizeof(names[0]) == PANEL_KIND_COUNT,
                   "panel kind names out of step with enum panel_kind");

    return (unsigned)k < PANEL_KIND_COUNT ? names[k] : "unknown";
}
