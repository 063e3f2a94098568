/*
 * Tests for src/dash: template variables in a running dashboard (titles
 * and queries expanded before compiling, recompiled when a variable
 * changes, label_values variables read from a real store), errors placed
 * in the query as written, the built-in dashboard compiling cleanly, and
 * the time grid: aligned as Grafana aligns a range query, never after now,
 * with the value at now (Prometheus's instant query) as the newest point;
 * frames in slices: nothing evaluated when one begins, a query at a time,
 * and keys that bring panels into sight queueing only those.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/dash/dash.h"
#include "src/dash/dashfile.h"
#include "src/dash/dashmodel.h"
#include "src/dash/vocab.h"
#include "store/store.h"

struct fixture {
    struct store *st;
    struct dash *d;
    int64_t now;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    *state = f;
    if (f == NULL)
        return -1;
    f->st = store_new(3600 * 1000, 0);
    f->now = time_now_ms();
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    dash_free(f->d);
    store_free(f->st);
    free(f);
    return 0;
}

/* Adds up{instance, job} = 1 a minute ago and now. */
static void
add_up(struct fixture *f, const char *instance, const char *job)
{
    struct label l[3] = {
        { "__name__", "up" }, { "instance", instance }, { "job", job },
    };
    struct labels ls = { l, 3 };
    uint32_t id = store_series_id(f->st, &ls);

    assert_int_equal(store_append(f->st, id, f->now - 60000, 1), 0);
    assert_int_equal(store_append(f->st, id, f->now - 1000, 1), 0);
}

static struct dash *
adopt(const char *yaml)
{
    struct dashboard m;
    struct diag errs[8];
    size_t n;

    if (dashfile_load_buf("t.yaml", yaml, strlen(yaml), &m, errs, 8, &n))
        fail_msg("%d:%d: %s", errs[0].line, errs[0].col, errs[0].msg);
    return dash_adopt(&m);
}

static const char vars_doc[] =
    "range: 10m\n"
    "variables:\n"
    "  - {name: job, query: 'label_values(job)', default: node}\n"
    "  - name: instance\n"
    "    query: label_values(up{job=\"$job\"}, instance)\n"
    "    all: true\n"
    "  - {name: w, values: [1m, 5m], default: 5m}\n"
    "rows:\n"
    "  - panels:\n"
    "      - title: Up on $job\n"
    "        expr: 'up{job=\"$job\",instance=~\"$instance\"}'\n"
    "      - title: '[[w]] rate'\n"
    "        expr: rate(x[$w])\n";

static void
test_expand_and_switch(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    struct panel *p;

    f->d = adopt(vars_doc);
    m = dash_model(f->d);
    p = m->pages[0].rows[0].panels;
    /* Before the store is read: job is its default, instance All of
     * nothing. */
    assert_string_equal(p[0].title, "Up on node");
    assert_string_equal(p[0].queries[0].expr,
                        "up{job=\"node\",instance=~\".*\"}");
    assert_null(p[0].queries[0].error);
    assert_string_equal(p[1].title, "5m rate");
    assert_string_equal(p[1].queries[0].expr, "rate(x[5m])");

    assert_int_equal(dash_set_variable(f->d, 2, 0), 0);
    assert_string_equal(p[1].title, "1m rate");
    assert_string_equal(p[1].queries[0].expr, "rate(x[1m])");
    assert_true(p[1].dirty);
    /* Out of range: no such variable, no such value, All not offered. */
    assert_int_equal(dash_set_variable(f->d, 3, 0), -1);
    assert_int_equal(dash_set_variable(f->d, 2, 3), -1);
    assert_int_equal(dash_set_variable(f->d, 2, 2), -1);
    assert_string_equal(p[1].queries[0].expr, "rate(x[1m])");
}

static void
test_refresh_from_store(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    struct panel *p;
    struct variable *v;

    add_up(f, "h1:9100", "node");
    add_up(f, "h2:9100", "node");
    add_up(f, "c1:8080", "cadvisor");
    f->d = adopt(vars_doc);
    m = dash_model(f->d);
    p = m->pages[0].rows[0].panels;
    v = m->variables;

    assert_int_equal(dash_refresh_variables(f->d, f->st), 2);
    assert_int_equal(v[0].nvalues, 2);
    assert_string_equal(v[0].values[0], "cadvisor");
    assert_string_equal(v[0].values[1], "node");
    assert_int_equal(v[0].current, 1);                  /* still node */
    assert_int_equal(v[1].nvalues, 2);
    assert_string_equal(v[1].values[0], "h1:9100");
    assert_string_equal(v[1].values[1], "h2:9100");
    assert_int_equal(v[1].current, 2);                  /* All */
    assert_string_equal(p[0].queries[0].expr,
                        "up{job=\"node\",instance=~\"(h1:9100|h2:9100)\"}");
    /* Nothing changed: nothing to recompile. */
    assert_int_equal(dash_refresh_variables(f->d, f->st), 0);

    /* Another job: instance follows on the next refresh. */
    assert_int_equal(dash_set_variable(f->d, 0, 0), 0);
    assert_string_equal(p[0].title, "Up on cadvisor");
    assert_int_equal(dash_refresh_variables(f->d, f->st), 1);
    assert_int_equal(v[1].nvalues, 1);
    assert_string_equal(v[1].values[0], "c1:8080");
    /* All of one value is that value, as Grafana writes it. */
    assert_string_equal(p[0].queries[0].expr,
                        "up{job=\"cadvisor\",instance=~\"c1:8080\"}");

    /* The expanded query runs against the store. */
    assert_int_equal(dash_evaluate(f->d, f->st, f->now, -1), 0);
    assert_non_null(p[0].queries[0].result);
    assert_int_equal(p[0].queries[0].result->nseries, 1);
}

static void
test_error_in_query_as_written(void **state)
{
    struct fixture *f = *state;
    struct dashboard m;
    struct diag errs[4];
    size_t n;
    const struct panel_query *q;
    static const char doc[] =
        "variables: [{name: w, values: [15m]}]\n"
        "rows: [{panels: [{expr: 'rate(x[5m])'}]}]\n";

    assert_int_equal(dashfile_load_buf("t.yaml", doc, strlen(doc), &m, errs,
                                       4, &n), 0);
    /* A query that only breaks once expanded, as a file could not say. */
    free(m.pages[0].rows[0].panels[0].queries[0].expr);
    m.pages[0].rows[0].panels[0].queries[0].expr = strdup("rate(x[$w]");
    f->d = dash_adopt(&m);
    q = &dash_model(f->d)->pages[0].rows[0].panels[0].queries[0];
    assert_string_equal(q->expr, "rate(x[15m]");
    assert_non_null(q->error);
    /* Column 12 of the expansion is column 11 of the text as written;
     * the error then shows the query as it was parsed. */
    assert_string_equal(q->error, "1:11: expected ',' or ')' in function "
                        "call, found end of input; expanded query: "
                        "rate(x[15m]");
    assert_int_equal(dash_evaluate(f->d, f->st, f->now, -1), 1);
}

static void
test_builtin_compiles(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    size_t queries = 0;

    f->d = dash_new_builtin(3600 * 1000);
    m = dash_model(f->d);
    assert_string_equal(m->title, "Golden signals");
    /* Grafana's step for 200 cells: 1h / 200 = 18 s, made 20 s. */
    assert_int_equal(m->step_ms, 20000);
    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++)
            for (size_t i = 0; i < m->pages[pg].rows[r].npanels; i++) {
                struct panel *p = &m->pages[pg].rows[r].panels[i];

                assert_non_null(p->title);
                for (size_t q = 0; q < p->nqueries; q++, queries++)
                    assert_null(p->queries[q].error);
            }
    assert_int_equal(queries, 20);
    assert_int_equal(dash_evaluate(f->d, f->st, f->now, -1), 0);
    assert_string_equal(vocab_kind_name(PANEL_TABLE), "table");
    dash_set_range(f->d, 6 * 3600 * 1000);
    assert_int_equal(m->step_ms, 120000);   /* 108 s -> 2m */
    assert_string_equal(m->pages[0].rows[0].panels[0].title, "Traffic");
}

/* A time every grid below has a point at: a multiple of 1h (7d over 200
 * cells), 5m (24h) and 5s (15m). */
#define ALIGNED ((int64_t)3024000 * 600000)
#define DAY_MS ((int64_t)86400000)
#define WEEK_MS (7 * DAY_MS)

static void
test_grid_is_aligned_and_never_after_now(void **state)
{
    static const int64_t ranges[] = { 15 * 60000, DAY_MS, WEEK_MS };
    struct dash_grid g;

    (void)state;
    for (size_t r = 0; r < 3; r++) {
        int64_t step = dashmodel_interval(ranges[r], 0, 0).step_ms;
        const int64_t phases[] = { 0, 1, step / 2, step - 1 };

        for (size_t p = 0; p < 4; p++) {
            int64_t now = ALIGNED + phases[p];

            g = dash_grid_at(ranges[r], step, now);
            assert_int_equal(g.step, step);
            /* Grafana: end = floor(now / step) * step, start = end -
             * range when the range is a whole number of steps. */
            assert_int_equal(g.end, ALIGNED);
            assert_int_equal(g.start, ALIGNED - ranges[r]);
            assert_true(g.end <= now && now - g.end < step);
        }
    }
    /* A step that does not divide the range: the start is still on the
     * grid, at or before now - range (Grafana floors both ends). */
    g = dash_grid_at(1000000, 300000, 2000000);
    assert_int_equal(g.end, 1800000);
    assert_int_equal(g.start, 900000);
    /* Before the epoch the floor goes down, not towards zero. */
    g = dash_grid_at(60000, 15000, -1);
    assert_int_equal(g.end, -15000);
    assert_int_equal(g.start, -75000);
}

/* x = t / 1000 every 15 s from 20 minutes before now to 1 s before it. */
static void
add_clock(struct store *st, int64_t now)
{
    struct label l[1] = { { "__name__", "x" } };
    struct labels ls = { l, 1 };
    uint32_t id = store_series_id(st, &ls);

    for (int64_t t = now - 1000 - 80 * 15000; t <= now - 1000; t += 15000)
        assert_int_equal(store_append(st, id, t, (double)t / 1000), 0);
}

/* x's value at t by Prometheus's rule: the newest sample at or before t,
 * no older than the 5 m lookback; NAN when there is none. */
static double
clock_at(int64_t now, int64_t t)
{
    int64_t first = now - 1000 - 80 * 15000, s;

    if (t < first)
        return NAN;
    s = first + (t - first) / 15000 * 15000;
    if (s > now - 1000)
        s = now - 1000;
    return t - s <= 5 * 60000 ? (double)s / 1000 : NAN;
}

static void
check_series(const struct qseries *s, const struct dash_grid *g,
             int64_t now)
{
    int64_t t = g->start;
    size_t i = 0;

    /* The grid's points, wherever the lookback finds a sample ... */
    for (; t <= g->end; t += g->step) {
        double want = clock_at(now, t);

        if (isnan(want))
            continue;
        assert_true(i < s->npoints);
        assert_int_equal(s->points[i].t, t);
        assert_true(s->points[i].v == want);
        i++;
    }
    /* ... then the value at now, unless now is itself on the grid. */
    if (now != g->end) {
        assert_true(i < s->npoints);
        assert_int_equal(s->points[i].t, now);
        assert_true(s->points[i].v == (double)(now - 1000) / 1000);
        i++;
    }
    assert_int_equal(s->npoints, i);
}

static void
test_evaluate_at_phases(void **state)
{
    struct fixture *f = *state;
    static const char *const docs[] = {
        "range: 24h\nrows: [{panels: [{type: stat, expr: x}, {expr: x}]}]\n",
        "range: 7d\nrows: [{panels: [{type: table, expr: x}, {expr: x}]}]\n",
    };

    for (size_t r = 0; r < 2; r++) {
        /* Grafana's steps for 200 cells: 24h / 200 = 7.2 m made 5 m,
         * 7d / 200 = 50.4 m made 1 h. */
        int64_t step = r == 0 ? 300000 : 3600000;
        const int64_t phases[] = { 0, 1, 2000, step / 2, step - 1 };

        for (size_t p = 0; p < 5; p++) {
            int64_t now = ALIGNED + phases[p];
            struct dash_grid g;
            struct row *row;

            store_clear(f->st);
            add_clock(f->st, now);
            dash_free(f->d);
            f->d = adopt(docs[r]);
            assert_int_equal(dash_evaluate(f->d, f->st, now, -1), 0);
            assert_int_equal(dash_model(f->d)->now_ms, now);
            g = dash_grid_at(dash_model(f->d)->range_ms, step, now);
            row = &dash_model(f->d)->pages[0].rows[0];
            for (size_t i = 0; i < row->npanels; i++) {
                const struct qresult *res = row->panels[i].queries[0].result;

                assert_non_null(res);
                assert_int_equal(res->nseries, 1);
                check_series(&res->series[0], &g, now);
            }
        }
    }
}

/* The value at now comes per series: a series that ended has no point
 * at now, and one that only exists now has that point alone. */
static void
test_value_at_now_per_series(void **state)
{
    struct fixture *f = *state;
    struct label a[2] = { { "__name__", "y" }, { "k", "old" } };
    struct label b[2] = { { "__name__", "y" }, { "k", "new" } };
    struct labels la = { a, 2 }, lb = { b, 2 };
    int64_t now = ALIGNED + 200000;
    const struct qresult *res;

    /* old: samples 7.5 and 6 minutes ago (past the lookback at now,
     * inside it at the grid's end, 200 s before now; the point before
     * that, 500 s before now, precedes both); new: one sample 1 s ago. */
    assert_int_equal(store_append(f->st, store_series_id(f->st, &la),
                                  now - 450000, 1), 0);
    assert_int_equal(store_append(f->st, store_series_id(f->st, &la),
                                  now - 360000, 2), 0);
    assert_int_equal(store_append(f->st, store_series_id(f->st, &lb),
                                  now - 1000, 3), 0);
    f->d = adopt("range: 24h\nrows: [{panels: [{type: stat, expr: y}]}]\n");
    assert_int_equal(dash_evaluate(f->d, f->st, now, -1), 0);
    res = dash_model(f->d)->pages[0].rows[0].panels[0].queries[0].result;
    assert_int_equal(res->nseries, 2);
    /* Sorted by labels: k="new" before k="old". */
    assert_string_equal(labels_get(&res->series[0].labels, "k"), "new");
    assert_int_equal(res->series[0].npoints, 1);
    assert_int_equal(res->series[0].points[0].t, now);
    assert_true(res->series[0].points[0].v == 3);
    assert_string_equal(labels_get(&res->series[1].labels, "k"), "old");
    assert_int_equal(res->series[1].npoints, 1);
    assert_int_equal(res->series[1].points[0].t, ALIGNED);
    assert_true(res->series[1].points[0].v == 2);
}

/* At 7d the grid's newest point is up to 50 minutes old; variables are
 * read at now, on the first evaluation, so a fresh store fills them. */
static void
test_variables_filled_at_first_evaluation(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    const struct panel_query *q;

    f->now = ALIGNED + 3000000;
    add_up(f, "h1:9100", "node");
    f->d = adopt("range: 7d\n"
                 "variables:\n"
                 "  - name: instance\n"
                 "    query: label_values(up{job=\"node\"}, instance)\n"
                 "rows: [{panels: [{type: stat,"
                 " expr: 'up{instance=\"$instance\"}'}]}]\n");
    m = dash_model(f->d);
    assert_int_equal(m->variables[0].nvalues, 0);
    assert_int_equal(dash_evaluate(f->d, f->st, f->now, -1), 0);
    assert_int_equal(m->variables[0].nvalues, 1);
    assert_string_equal(m->variables[0].values[0], "h1:9100");
    q = &m->pages[0].rows[0].panels[0].queries[0];
    assert_string_equal(q->expr, "up{instance=\"h1:9100\"}");
    assert_int_equal(q->result->nseries, 1);
    assert_int_equal(q->result->series[0].npoints, 1);
    assert_int_equal(q->result->series[0].points[0].t, f->now);
}

/*
 * Each panel within the budget of --query.max-samples: the panel that
 * would hold too many samples shows Prometheus's error, the others their
 * results, frame after frame (the later frames refresh incrementally).
 */
static void
test_panel_over_budget(void **state)
{
    struct fixture *f = *state;
    const struct panel *heavy, *light;
    struct qeval_ctl ctl;

    add_up(f, "h1:9100", "node");
    add_up(f, "h2:9100", "node");
    add_up(f, "h3:9100", "node");
    /* A 1h:1s subquery holds 3,600 points at once. */
    f->d = adopt("rows: [{panels: [{type: stat,"
                 " expr: 'max_over_time(vector(1)[1h:1s])'},"
                 " {expr: up}]}]\n");
    qeval_ctl_init(&ctl);
    ctl.max_samples = 3000;
    dash_set_limits(f->d, &ctl);
    heavy = &dash_model(f->d)->pages[0].rows[0].panels[0];
    light = &dash_model(f->d)->pages[0].rows[0].panels[1];
    for (int frame = 0; frame < 3; frame++) {
        assert_int_equal(dash_evaluate(f->d, f->st, f->now + frame * 1000,
                                       -1), 1);
        assert_null(heavy->queries[0].result);
        assert_string_equal(heavy->queries[0].error,
                            "query processing would load too many samples "
                            "into memory in query execution; query: "
                            "max_over_time(vector(1)[1h:1s])");
        assert_null(light->queries[0].error);
        assert_int_equal(light->queries[0].result->nseries, 3);
    }
    /* With Prometheus's default budget the heavy panel works. */
    qeval_ctl_init(&ctl);
    dash_set_limits(f->d, &ctl);
    assert_int_equal(dash_evaluate(f->d, f->st, f->now + 3000, -1), 0);
    assert_int_equal(heavy->queries[0].result->nseries, 1);
}

/* dash_width_fn over an array of widths by slot. */
static int
widths_of(void *ctx, int page, size_t slot)
{
    const int *w = ctx;

    (void)page;
    return w[slot];
}

/* The spacing of a result's first two points. */
static int64_t
spacing(const struct panel *p)
{
    const struct qresult *r = p->queries[0].result;

    assert_non_null(r);
    assert_true(r->nseries > 0 && r->series[0].npoints > 2);
    return r->series[0].points[1].t - r->series[0].points[0].t;
}

/*
 * Each panel gets Grafana's interval for its own width: 1h over 118
 * cells is 30 s, over 58 cells 1 m (src/dash/dashmodel.h; the numbers
 * are checked against Grafana's algorithm in test_dash_dashmodel.c).
 * $__interval and $__rate_interval follow, and a panel whose width
 * changes is expanded and evaluated again at its new step.
 */
static void
test_step_per_panel_width(void **state)
{
    struct fixture *f = *state;
    int widths[2] = { 118, 58 };
    int64_t now = ALIGNED;
    struct row *row;

    add_clock(f->st, now);
    f->d = adopt("range: 1h\nrows: [{panels: ["
                 "{expr: 'sum_over_time(x[$__interval])'},"
                 "{expr: 'rate(x[$__rate_interval])'}]}]\n");
    dash_set_scrape_interval(f->d, 5000);
    dash_set_width_fn(f->d, widths_of, widths);
    assert_int_equal(dash_evaluate(f->d, f->st, now, -1), 0);
    row = &dash_model(f->d)->pages[0].rows[0];
    assert_string_equal(row->panels[0].queries[0].expr,
                        "sum_over_time(x[30s])");
    assert_int_equal(row->panels[0].step_ms, 30000);
    assert_int_equal(spacing(&row->panels[0]), 30000);
    /* rate: max(1m + 5s, 4 * 5s) */
    assert_string_equal(row->panels[1].queries[0].expr, "rate(x[1m5s])");
    assert_int_equal(row->panels[1].step_ms, 60000);
    assert_int_equal(spacing(&row->panels[1]), 60000);
    /* The second panel widens (a resize): same clock, new step. */
    widths[1] = 118;
    assert_int_equal(dash_evaluate(f->d, f->st, now, -1), 0);
    assert_string_equal(row->panels[1].queries[0].expr, "rate(x[35s])");
    assert_int_equal(spacing(&row->panels[1]), 30000);
    /* A width not known keeps the last one. */
    widths[0] = 0;
    assert_int_equal(dash_evaluate(f->d, f->st, now, -1), 0);
    assert_int_equal(row->panels[0].step_ms, 30000);
    /* Grafana's maxDataPoints stands for the width, and a Min interval
     * for the scrape interval (as a Grafana import sets them). */
    row->panels[0].max_points = 60;
    row->panels[1].min_interval_ms = 120000;
    dash_set_range(f->d, 3600000);
    assert_int_equal(row->panels[0].step_ms, 60000);
    assert_string_equal(row->panels[0].queries[0].expr,
                        "sum_over_time(x[1m])");
    assert_int_equal(row->panels[1].step_ms, 120000);
    assert_string_equal(row->panels[1].queries[0].expr, "rate(x[2m5s])");
}

/* Two pages: three panels on the first, two on the second. */
static const char two_pages[] =
    "pages:\n"
    "  - title: One\n"
    "    rows: [{panels: [{expr: up}, {expr: 'sum(up)'},"
    " {expr: 'count(up)'}]}]\n"
    "  - title: Two\n"
    "    rows: [{panels: [{expr: 'max(up)'}, {expr: 'min(up)'}]}]\n";

/* Whether the query of panel i of page pg waits for its first
 * evaluation. */
static bool
is_pending(struct fixture *f, int pg, size_t i)
{
    return dash_model(f->d)->pages[pg].rows[0].panels[i].queries[0].pending;
}

/*
 * A query is pending ("loading" on screen) from its compilation until its
 * first evaluation ends; beginning a frame evaluates nothing, and a
 * slice whose time is up returns after one query, so the loop reads keys
 * between two panels.
 */
static void
test_frame_slices_and_pending(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;

    add_up(f, "h1:9100", "node");
    f->d = adopt(two_pages);
    m = dash_model(f->d);
    for (size_t i = 0; i < 3; i++)
        assert_true(is_pending(f, 0, i));
    dash_frame_begin(f->d, f->st, f->now, 0, NULL, NULL);
    for (size_t i = 0; i < 3; i++) {
        assert_true(is_pending(f, 0, i));
        assert_null(m->pages[0].rows[0].panels[i].queries[0].result);
    }
    /* A slice that is over at once still evaluates one query. */
    assert_false(dash_frame_step(f->d, f->st, 1.0));
    assert_false(is_pending(f, 0, 0));
    assert_true(is_pending(f, 0, 1));
    assert_false(dash_frame_step(f->d, f->st, 1.0));
    assert_false(is_pending(f, 0, 1));
    assert_true(dash_frame_step(f->d, f->st, 1.0));
    for (size_t i = 0; i < 3; i++) {
        assert_false(is_pending(f, 0, i));
        assert_int_equal(m->pages[0].rows[0].panels[i].queries[0]
                         .result->nseries, 1);
    }
    /* The page not shown was not evaluated. */
    assert_true(is_pending(f, 1, 0));
    assert_true(is_pending(f, 1, 1));
}

/* dash_shown_fn: only slot 1 is in sight. */
static bool
only_slot_1(void *ctx, size_t slot)
{
    (void)ctx;
    return slot == 1;
}

static bool
all_slots(void *ctx, size_t slot)
{
    (void)ctx;
    (void)slot;
    return true;
}

/*
 * A key that shows another page (or scrolls) queues that page's panels
 * in sight at the clock of the last frame, never those evaluated for it
 * already; a view with no page empties the queue, and the panels left
 * keep waiting for their first evaluation.
 */
static void
test_frame_refocus(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    const struct qseries *s;

    add_up(f, "h1:9100", "node");
    f->d = adopt(two_pages);
    m = dash_model(f->d);
    /* Before any frame there is no clock to evaluate at. */
    assert_int_equal(dash_frame_refocus(f->d, 0, all_slots, NULL), 0);
    dash_frame_begin(f->d, f->st, f->now, 0, NULL, NULL);
    assert_true(dash_frame_step(f->d, f->st, 0));
    /* Page 1, slot 1 only in sight: one query, at the frame's clock. */
    assert_int_equal(dash_frame_refocus(f->d, 1, only_slot_1, NULL), 1);
    assert_true(dash_frame_step(f->d, f->st, 0));
    assert_true(is_pending(f, 1, 0));
    assert_false(is_pending(f, 1, 1));
    assert_int_equal(m->now_ms, f->now);
    s = &m->pages[1].rows[0].panels[1].queries[0].result->series[0];
    assert_int_equal(s->points[s->npoints - 1].t, f->now);
    /* Scrolled: the other one comes; done ones never again. */
    assert_int_equal(dash_frame_refocus(f->d, 1, all_slots, NULL), 1);
    assert_true(dash_frame_step(f->d, f->st, 0));
    assert_false(is_pending(f, 1, 0));
    assert_int_equal(dash_frame_refocus(f->d, 1, all_slots, NULL), 0);
    assert_int_equal(dash_frame_refocus(f->d, 0, all_slots, NULL), 0);
    /* A new frame on page 0, one slice, then the targets view (no
     * page): the rest of the queue is dropped. */
    dash_frame_begin(f->d, f->st, f->now + 1000, 0, NULL, NULL);
    assert_false(dash_frame_step(f->d, f->st, 1.0));
    assert_int_equal(dash_frame_refocus(f->d, -1, all_slots, NULL), 0);
    assert_true(dash_frame_step(f->d, f->st, 0));
    /* Back on page 0: the two not evaluated at the new clock. */
    assert_int_equal(dash_frame_refocus(f->d, 0, all_slots, NULL), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_expand_and_switch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refresh_from_store, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_in_query_as_written,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_compiles, setup,
                                        teardown),
        cmocka_unit_test(test_grid_is_aligned_and_never_after_now),
        cmocka_unit_test_setup_teardown(test_evaluate_at_phases, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_value_at_now_per_series, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_variables_filled_at_first_evaluation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_panel_over_budget, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_step_per_panel_width, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_frame_slices_and_pending, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_frame_refocus, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
