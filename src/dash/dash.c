/*
 * The running dashboard: a model (built in, src/dash/dashbuiltin.c, or from a
 * file) with its template variables expanded and its PromQL compiled,
 * evaluated per frame against the store, or on a Prometheus-compatible
 * server (dash_set_remote: src/api/range.h keeps each query's points, and
 * the answers arrive while the loop runs). Each panel has its own step,
 * Grafana's for its width (src/dash/dashmodel.h). It draws nothing and
 * reads no files. It runs just past 1000 lines because the store and the
 * server paths share every step of a frame (variables, intervals,
 * queueing, the value at now) and read best side by side.
 */
#include "src/dash/dash.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "query/incr.h"
#include "query/query.h"
#include "src/api/decode.h"
#include "src/api/range.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/dash/dashbuiltin.h"
#include "src/dash/dashmodel.h"
#include "src/dash/dashvar.h"

/* One compiled query and where its results go. */
struct dash_query {
    struct panel_query *pq;
    struct panel *panel;
    size_t pnl;                 /* its panel's index in dash.panels */
    int page;
    struct query *compiled;     /* NULL when the expression is bad */
    char *tmpl;                 /* the expression before $var expansion */
    struct qincr *incr;         /* its last result, refreshed by step */
    struct api_range *remote;   /* the same, on the server */
    struct dash *dash;
    size_t slot;                /* its panel on its page, layout order */
    int64_t done_at;            /* the frame it was last evaluated for */
    uint64_t done_version;      /* and the store's version then */
};

/*
 * A panel: its title as written, before $var expansion, and the
 * interval its width gives its queries ($__interval, $__rate_interval
 * and the step), as Grafana gives each panel its own.
 */
struct dash_panel {
    struct panel *panel;
    char *tmpl;
    int page;
    size_t slot;                /* on its page, layout order */
    int width;                  /* cells, from the width function; 0:
                                 * not known (DASHMODEL_DEFAULT_WIDTH) */
    struct dashmodel_interval iv;
};

struct dash {
    struct dashboard model;
    struct dash_query *queries;
    size_t nqueries;
    struct dash_panel *panels;
    size_t npanels;
    struct dashmodel_interval iv;   /* at the default width: the model's
                                     * step_ms, variables, explore */
    int64_t scrape_ms;          /* the source's scrape interval; 0: not
                                 * known */
    dash_width_fn width_fn;     /* panels' widths, or NULL */
    void *width_ctx;
    struct qcache *cache;       /* decoded series, kept across frames,
                                 * and a frame's shared aggregations */
    bool vars_stale;            /* variables to read again before the
                                 * next evaluation */
    char **var_errors;          /* per variable: why its query failed */
    struct qeval_ctl ctl;       /* each query's budget and stop flag */

    /* Remote (dash_set_remote): the server, the variable being read
     * (var_order[var_k]) and whether any changed in this pass. */
    struct api_client *client;
    struct api_req *var_req;
    size_t *var_order, var_k;
    bool var_changed;
    int64_t var_now;
    /* The frame being evaluated (dash_frame_begin): its clock, the
     * queries left (indexes, in order) and how many failed. */
    int64_t frame_now;
    size_t *queue;
    size_t nqueue, next, failed;
};

/* At most this much decoded history and results is kept. */
#define FRAME_CACHE_BYTES (256u << 20)

/* The byte offset of 1-based line and col in text. */
static size_t
offset_of(const char *text, int line, int col)
{
    size_t off = 0;

    for (int l = 1; l < line && text[off] != '\0'; off++)
        if (text[off] == '\n')
            l++;
    for (int c = 1; c < col && text[off] != '\0'; c++)
        off++;
    return off;
}

/*
 * err followed by the query that failed: "; expanded query: ..." when
 * variables changed it from tmpl as written, else "; query: ...". A
 * malloc'd string.
 */
static char *
with_query(const char *err, const char *tmpl, const char *expanded)
{
    bool same = strcmp(tmpl, expanded) == 0;

    return xasprintf("%s; %squery: %s", err, same ? "" : "expanded ",
                     expanded);
}

/* Expands dq's template, compiles it and keeps the error (its position
 * in the template, as written, and the expanded query) when it does not
 * compile. */
static void
compile_one(struct dash *d, struct dash_query *dq)
{
    struct dashboard *m = &d->model;
    struct diag diag;
    size_t *map;

    free(dq->pq->expr);
    free(dq->pq->error);
    dq->pq->error = NULL;
    qparse_free(dq->compiled);
    dq->pq->expr = dashmodel_expand(dq->tmpl, m->variables, m->nvariables,
                                    &d->panels[dq->pnl].iv, m->range_ms,
                                    &map);
    diag_clear(&diag);
    dq->compiled = qparse_query(dq->pq->expr, strlen(dq->pq->expr), &diag);
    if (dq->compiled == NULL) {
        size_t off = map[offset_of(dq->pq->expr, diag.line, diag.col)];
        struct diag at;
        char *msg;

        diag_set_at(&at, dq->tmpl, strlen(dq->tmpl), off, 1, "%s",
                    diag.msg);
        msg = xasprintf("%d:%d: %s", at.line, at.col, diag.msg);
        dq->pq->error = with_query(msg, dq->tmpl, dq->pq->expr);
        free(msg);
    }
    free(map);
    dq->pq->pending = dq->compiled != NULL;
    dq->panel->dirty = true;
    dq->done_at = INT64_MIN;
}

/* Expands panel k's title with its interval. */
static void
expand_title(struct dash *d, size_t k)
{
    struct dashboard *m = &d->model;
    struct dash_panel *dp = &d->panels[k];

    free(dp->panel->title);
    dp->panel->title = dashmodel_expand(dp->tmpl, m->variables,
                                        m->nvariables, &dp->iv, m->range_ms,
                                        NULL);
}

/* Expands every panel title and recompiles every query, after a change
 * of a variable or of the range. */
static void
recompile(struct dash *d)
{
    for (size_t i = 0; i < d->npanels; i++)
        expand_title(d, i);
    for (size_t i = 0; i < d->nqueries; i++)
        compile_one(d, &d->queries[i]);
}

/*
 * Gives panel k the interval of its width (Grafana's, at the range and
 * the scrape interval); when it changes, its title and queries are
 * expanded and compiled again, and so evaluated afresh (on a server: the
 * whole grid is fetched at the new step). True when it changed.
 */
static bool
set_interval(struct dash *d, size_t k, bool recompile_now)
{
    struct dash_panel *dp = &d->panels[k];
    const struct panel *p = dp->panel;
    /* Grafana's maxDataPoints, when the panel sets it, in place of its
     * width. */
    struct dashmodel_interval iv = dashmodel_interval_min(
        d->model.range_ms, p->max_points > 0 ? p->max_points : dp->width,
        d->scrape_ms, p->min_interval_ms);

    if (iv.step_ms == dp->iv.step_ms && iv.rate_ms == dp->iv.rate_ms)
        return false;
    dp->iv = iv;
    dp->panel->step_ms = iv.step_ms;
    if (!recompile_now)
        return true;
    expand_title(d, k);
    for (size_t i = 0; i < d->nqueries; i++)
        if (d->queries[i].pnl == k)
            compile_one(d, &d->queries[i]);
    return true;
}

/* Takes the templates of one panel's title and queries; slot is the
 * panel's place on its page in layout order. */
static void
take_panel(struct dash *d, struct panel *p, int page, size_t slot)
{
    struct dash_panel *dp;

    d->panels = xreallocarray(d->panels, d->npanels + 1, sizeof(*d->panels));
    dp = &d->panels[d->npanels++];
    memset(dp, 0, sizeof(*dp));
    dp->panel = p;
    dp->tmpl = p->title;
    dp->page = page;
    dp->slot = slot;
    p->title = NULL;
    for (size_t q = 0; q < p->nqueries; q++) {
        struct dash_query *dq;

        d->queries = xreallocarray(d->queries, d->nqueries + 1,
                                   sizeof(*d->queries));
        dq = &d->queries[d->nqueries++];
        memset(dq, 0, sizeof(*dq));
        dq->pq = &p->queries[q];
        dq->panel = p;
        dq->pnl = d->npanels - 1;
        dq->dash = d;
        dq->page = page;
        dq->slot = slot;
        dq->done_at = INT64_MIN;
        dq->tmpl = dq->pq->expr;
        dq->pq->expr = NULL;
    }
}

/* Compiles every query of the model; a bad one keeps its error text. */
static void
compile_all(struct dash *d)
{
    struct dashboard *m = &d->model;

    for (size_t pg = 0; pg < m->npages; pg++) {
        size_t slot = 0;

        for (size_t r = 0; r < m->pages[pg].nrows; r++) {
            struct row *row = &m->pages[pg].rows[r];

            for (size_t i = 0; i < row->npanels; i++)
                take_panel(d, &row->panels[i], (int)pg, slot++);
        }
    }
    d->queue = xcalloc(d->nqueries + 1, sizeof(*d->queue));
    for (size_t k = 0; k < d->npanels; k++)
        set_interval(d, k, false);
    recompile(d);
}

struct dash *
dash_adopt(struct dashboard *model)
{
    struct dash *d = xcalloc(1, sizeof(*d));

    d->model = *model;
    memset(model, 0, sizeof(*model));
    d->var_errors = xcalloc(d->model.nvariables + 1,
                            sizeof(*d->var_errors));
    d->cache = qcache_new(FRAME_CACHE_BYTES);
    d->vars_stale = true;
    qeval_ctl_init(&d->ctl);
    dash_set_range(d, d->model.range_ms);
    compile_all(d);
    return d;
}

void
dash_set_limits(struct dash *d, const struct qeval_ctl *ctl)
{
    d->ctl = *ctl;
}

void
dash_set_range(struct dash *d, int64_t range_ms)
{
    d->model.range_ms = range_ms;
    /* A step below the scrape interval would show the same sample
     * twice: Grafana's min interval. */
    d->iv = dashmodel_interval(range_ms, 0, d->scrape_ms);
    d->model.step_ms = d->iv.step_ms;
    d->vars_stale = true;
    /* $__interval, $__rate_interval and $__range follow the range. */
    for (size_t k = 0; k < d->npanels; k++)
        set_interval(d, k, false);
    if (d->npanels > 0)
        recompile(d);
}

void
dash_set_scrape_interval(struct dash *d, int64_t ms)
{
    d->scrape_ms = ms > 0 ? ms : 0;
    dash_set_range(d, d->model.range_ms);
}

void
dash_set_width_fn(struct dash *d, dash_width_fn fn, void *ctx)
{
    d->width_fn = fn;
    d->width_ctx = ctx;
}

int64_t
dash_step_for(const struct dash *d, int width)
{
    return dashmodel_interval(d->model.range_ms, width, d->scrape_ms)
           .step_ms;
}

int
dash_set_variable(struct dash *d, size_t var, size_t value)
{
    struct variable *v;

    if (var >= d->model.nvariables)
        return -1;
    v = &d->model.variables[var];
    if (value > v->nvalues || (value == v->nvalues && !v->all))
        return -1;
    if (v->current != value) {
        v->current = value;
        /* Variables whose queries use this one follow it. */
        d->vars_stale = true;
        recompile(d);
    }
    return 0;
}

/* Whether v's values differ from vals[0..n). */
static bool
values_differ(const struct variable *v, char *const *vals, size_t n)
{
    if (v->nvalues != n)
        return true;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v->values[i], vals[i]) != 0)
            return true;
    return false;
}

/* Replaces variable i's error with err (taken; NULL: none), naming the
 * expanded query. */
static void
set_var_error(struct dash *d, size_t i, char *err, const char *text)
{
    free(d->var_errors[i]);
    d->var_errors[i] = err != NULL ? with_query(err, d->model.variables[i]
                                                .query, text) : NULL;
    free(err);
}

/*
 * Reads variable i's query and regex, expanded with the other
 * variables' values now; with st, from the store at now (else only
 * parsed, for checking). True when its values changed.
 */
static bool
read_variable(struct dash *d, size_t i, const struct store *st, int64_t now)
{
    struct dashboard *m = &d->model;
    struct variable *v = &m->variables[i];
    struct dashvar_list l = { NULL, 0 };
    struct dashvar_query q;
    char *text = dashmodel_expand(v->query, m->variables, m->nvariables,
                                  &d->iv, m->range_ms, NULL);
    char *re = v->regex == NULL ? NULL
               : dashmodel_expand_fmt(v->regex, m->variables, m->nvariables,
                                      &d->iv, m->range_ms, "regex", NULL);
    char *err = NULL;
    bool changed = false;
    struct qeval_ctl ctl = d->ctl;

    ctl.interrupt = NULL;       /* a variable's values are read whole */
    if (dashvar_parse(text, &q, &err) == 0) {
        if ((st == NULL || dashvar_run(&q, st, now, &ctl, &l, &err) == 0)
            && dashvar_shape(re, v->sort, &l, &err) == 0 && st != NULL
            && values_differ(v, l.v, l.n)) {
            dashmodel_var_set_values(v, (const char *const *)l.v, l.n);
            changed = true;
        }
        dashvar_query_fini(&q);
    }
    set_var_error(d, i, err, text);
    dashvar_list_fini(&l);
    free(text);
    free(re);
    return changed;
}

/* Reads every query variable, each after those it refers to, so that
 * a chain (job, then instance of that job) settles in one pass. */
static size_t
read_variables(struct dash *d, const struct store *st, int64_t now)
{
    struct dashboard *m = &d->model;
    size_t *order = xcalloc(m->nvariables + 1, sizeof(*order));
    size_t changed = 0, failed = 0;

    dashvar_order(m->variables, m->nvariables, order);
    for (size_t k = 0; k < m->nvariables; k++) {
        size_t i = order[k];

        if (m->variables[i].query == NULL)
            continue;
        changed += read_variable(d, i, st, now);
        failed += d->var_errors[i] != NULL;
    }
    free(order);
    if (changed > 0)
        recompile(d);
    return st != NULL ? changed : failed;
}

/*
 * Remote variables: one request at a time, in dependency order, each
 * started from the answer of the one before (a chain such as job, then
 * instance of that job, needs the first value to ask for the second).
 * Index queries go to /api/v1/labels and /api/v1/label/NAME/values over
 * the dashboard's range, as Grafana asks; the others are instant queries
 * at now, read as dashvar_run reads a local result.
 */
static void remote_next_variable(struct dash *d);

/* The answer for variable var_order[var_k]. */
static void
on_variable(void *ctx, const struct api_reply *rep)
{
    struct dash *d = ctx;
    struct dashboard *m = &d->model;
    size_t i = d->var_order[d->var_k];
    struct variable *v = &m->variables[i];
    char *text = dashmodel_expand(v->query, m->variables, m->nvariables,
                                  &d->iv, m->range_ms, NULL);
    char *re = v->regex == NULL ? NULL
               : dashmodel_expand_fmt(v->regex, m->variables, m->nvariables,
                                      &d->iv, m->range_ms, "regex", NULL);
    struct dashvar_list l = { NULL, 0 };
    struct dashvar_query q;
    struct api_strings names;
    struct qresult *r;
    char *err = rep->error != NULL ? xstrdup(rep->error) : NULL;

    d->var_req = NULL;
    if (err == NULL && dashvar_parse(text, &q, &err) == 0) {
        if (dashvar_index_label(&q) != NULL) {
            if (api_decode_strings(rep->data, &names, &err) == 0) {
                dashvar_take_names(&q, (const char *const *)names.v,
                                   names.n, &l, &err);
                api_strings_fini(&names);
            }
        } else if (api_decode_result(rep->data, &r, &err) == 0) {
            dashvar_take_result(&q, r, &l, &err);
            qresult_free(r);
        }
        dashvar_query_fini(&q);
    }
    if (err == NULL && dashvar_shape(re, v->sort, &l, &err) == 0
        && values_differ(v, l.v, l.n)) {
        dashmodel_var_set_values(v, (const char *const *)l.v, l.n);
        d->var_changed = true;
    }
    set_var_error(d, i, err, text);
    dashvar_list_fini(&l);
    free(text);
    free(re);
    d->var_k++;
    remote_next_variable(d);
}

/* The request that reads q on the server at now. */
static struct api_req *
variable_request(struct dash *d, const struct dashvar_query *q, int64_t now)
{
    const char *label = dashvar_index_label(q);
    struct buf form;
    struct api_req *rq;
    char *path;

    buf_init(&form, 0);
    if (label != NULL) {
        api_client_form_time(&form, "start", now - d->model.range_ms);
        api_client_form_time(&form, "end", now);
        path = *label == '\0' ? xasprintf("/api/v1/labels?%s", form.data)
               : xasprintf("/api/v1/label/%s/values?%s", label, form.data);
        rq = api_client_request(d->client, path, NULL, on_variable, d);
        free(path);
    } else {
        api_client_form(&form, "query", q->expr);
        api_client_form_time(&form, "time", now);
        rq = api_client_request(d->client, "/api/v1/query",
                                buf_str(&form), on_variable, d);
    }
    buf_fini(&form);
    return rq;
}

static void
remote_next_variable(struct dash *d)
{
    struct dashboard *m = &d->model;

    for (; d->var_k < m->nvariables; d->var_k++) {
        struct variable *v = &m->variables[d->var_order[d->var_k]];
        char *text, *err = NULL;
        struct dashvar_query q;
        struct api_req *rq;

        if (v->query == NULL)
            continue;
        text = dashmodel_expand(v->query, m->variables, m->nvariables,
                                &d->iv, m->range_ms, NULL);
        if (dashvar_parse(text, &q, &err) < 0) {
            set_var_error(d, d->var_order[d->var_k], err, text);
            free(text);
            continue;
        }
        /* NULL: answered already (and the chain went on from there). */
        if ((rq = variable_request(d, &q, d->var_now)) != NULL)
            d->var_req = rq;
        dashvar_query_fini(&q);
        free(text);
        return;
    }
    if (d->var_changed)
        recompile(d);
    d->var_changed = false;
}

/* Starts a pass over the variables unless one is under way; 0 (the
 * changes show when the answers come). */
static size_t
remote_variables(struct dash *d, int64_t now)
{
    if (d->var_req != NULL)
        return 0;
    free(d->var_order);
    d->var_order = xcalloc(d->model.nvariables + 1, sizeof(*d->var_order));
    dashvar_order(d->model.variables, d->model.nvariables, d->var_order);
    d->var_k = 0;
    d->var_now = now;
    d->var_changed = false;
    remote_next_variable(d);
    return 0;
}

size_t
dash_refresh_variables(struct dash *d, const struct store *st)
{
    return dash_refresh_variables_at(d, st, time_now_ms());
}

size_t
dash_refresh_variables_at(struct dash *d, const struct store *st,
                          int64_t now_ms)
{
    d->vars_stale = false;
    if (d->client != NULL)
        return remote_variables(d, now_ms);
    return read_variables(d, st, now_ms);
}

size_t
dash_check_variables(struct dash *d)
{
    return read_variables(d, NULL, 0);
}

const char *
dash_variable_error(const struct dash *d, size_t var)
{
    return var < d->model.nvariables ? d->var_errors[var] : NULL;
}

struct dash *
dash_new_builtin(int64_t range_ms)
{
    struct dashboard m;

    dashbuiltin_model(&m, range_ms);
    return dash_adopt(&m);
}

void
dash_free(struct dash *d)
{
    if (d == NULL)
        return;
    qcache_free(d->cache);
    api_client_cancel(d->var_req);
    free(d->var_order);
    for (size_t i = 0; i < d->nqueries; i++) {
        api_range_free(d->queries[i].remote);
        qparse_free(d->queries[i].compiled);
        qincr_free(d->queries[i].incr);
        free(d->queries[i].tmpl);
    }
    for (size_t i = 0; i < d->npanels; i++)
        free(d->panels[i].tmpl);
    for (size_t i = 0; i < d->model.nvariables; i++)
        free(d->var_errors[i]);
    free(d->var_errors);
    free(d->panels);
    free(d->queries);
    free(d->queue);
    dashmodel_fini(&d->model);
    free(d);
}

struct dashboard *
dash_model(struct dash *d)
{
    return &d->model;
}

/* floor(t / step) * step, for negative t too. */
static int64_t
floor_to(int64_t t, int64_t step)
{
    int64_t q = t / step;

    if (t % step < 0)
        q--;
    return q * step;
}

struct dash_grid
dash_grid_at(int64_t range_ms, int64_t step_ms, int64_t now_ms)
{
    struct dash_grid g;

    assert(step_ms > 0);
    /* Aligned, so the points stay put as now moves: a later refresh
     * only adds the steps that have passed. */
    g.step = step_ms;
    g.end = floor_to(now_ms, step_ms);
    g.start = floor_to(now_ms - range_ms, step_ms);
    return g;
}

/* Appends (t, v) to s, growing its points in the result's arena. */
static void
append_point(struct arena *a, struct qseries *s, int64_t t, double v)
{
    struct qpoint *p = arena_realloc(a, s->points,
                                     s->npoints * sizeof(*p),
                                     (s->npoints + 1) * sizeof(*p));

    p[s->npoints].t = t;
    p[s->npoints].v = v;
    s->points = p;
    s->npoints++;
}

static int
cmp_series(const void *a, const void *b)
{
    return labels_cmp(&((const struct qseries *)a)->labels,
                      &((const struct qseries *)b)->labels);
}

/* The series of m (sorted by labels) with labels ls, or a new one at the
 * end (ls copied into m's arena; the caller sorts again). */
static struct qseries *
series_for(struct qresult *m, const struct labels *ls, size_t nsorted)
{
    struct qseries key = { .labels = *ls }, *s;

    s = nsorted > 0 ? bsearch(&key, m->series, nsorted, sizeof(key),
                              cmp_series) : NULL;
    if (s != NULL)
        return s;
    m->series = arena_realloc(m->arena, m->series,
                              m->nseries * sizeof(*s),
                              (m->nseries + 1) * sizeof(*s));
    s = &m->series[m->nseries++];
    memset(s, 0, sizeof(*s));
    s->labels.n = ls->n;
    s->labels.v = arena_calloc(m->arena, ls->n ? ls->n : 1,
                               sizeof(*s->labels.v));
    for (size_t i = 0; i < ls->n; i++) {
        s->labels.v[i].name = arena_strdup(m->arena, ls->v[i].name);
        s->labels.v[i].value = arena_strdup(m->arena, ls->v[i].value);
    }
    return s;
}

/*
 * Adds the value at now to the range result m: at is the same query
 * over the one-step grid at now (what Prometheus's instant query at now
 * returns, as a matrix), or a server's instant answer at at->t (a vector
 * or scalar), and each of its series' point goes onto m's series with
 * its labels as the newest point.
 */
static void
merge_value_at_now(struct qresult *m, const struct qresult *at)
{
    static const struct labels none = { NULL, 0 };
    size_t nsorted;

    if (m->type != QV_MATRIX)
        return;
    if (m->nseries > 1)
        qsort(m->series, m->nseries, sizeof(*m->series), cmp_series);
    nsorted = m->nseries;
    if (at->type == QV_SCALAR)
        append_point(m->arena, series_for(m, &none, nsorted), at->t,
                     at->scalar);
    for (size_t i = 0; at->type != QV_SCALAR && i < at->nseries; i++) {
        const struct qseries *s = &at->series[i];

        if (s->npoints > 0)
            append_point(m->arena, series_for(m, &s->labels, nsorted),
                         at->type == QV_MATRIX ? s->points[0].t : at->t,
                         s->points[0].v);
    }
    if (m->nseries > nsorted && m->nseries > 1)
        qsort(m->series, m->nseries, sizeof(*m->series), cmp_series);
}

/*
 * A copy of the matrix src in an arena of its own, with room for one more
 * point per series: the incremental state shares its kept result with the
 * panel, and nobody changes a shared result, so the value at now goes
 * onto a copy.
 */
static struct qresult *
copy_matrix(const struct qresult *src)
{
    struct arena *a = arena_new();
    struct qresult *m = arena_calloc(a, 1, sizeof(*m));

    m->type = src->type;
    m->t = src->t;
    m->arena = a;
    m->nseries = src->nseries;
    m->series = arena_calloc(a, src->nseries + 1, sizeof(*m->series));
    for (size_t i = 0; i < src->nseries; i++) {
        const struct qseries *from = &src->series[i];
        struct qseries *to = &m->series[i];

        to->labels.n = from->labels.n;
        to->labels.v = arena_calloc(a, from->labels.n + 1,
                                    sizeof(*to->labels.v));
        for (size_t k = 0; k < from->labels.n; k++) {
            to->labels.v[k].name = arena_strdup(a, from->labels.v[k].name);
            to->labels.v[k].value = arena_strdup(a,
                                                 from->labels.v[k].value);
        }
        to->points = arena_alloc(a, (from->npoints + 1)
                                    * sizeof(*to->points));
        memcpy(to->points, from->points,
               from->npoints * sizeof(*to->points));
        to->npoints = from->npoints;
    }
    return m;
}

/*
 * Evaluates one query over the grid, incrementally (only the steps that
 * are new or that new samples reach: query/incr.h), then at now: the
 * grid's points are Grafana's (aligned, so they stay put), and the value
 * at now, which stats, gauges, bars and tables show and graphs end on, is
 * what Prometheus's instant query returns. Without it a panel would show
 * a value up to a step old (7 minutes at 24 h), or none at all for the
 * first step after promdeck starts. The value at now is evaluated as a
 * grid of one step through the frame cache, so that panels reading the
 * same series decode them once and share their aggregations, as the
 * grids do, even with scrapes landed between them (qeval_frame_at);
 * tests/test_query_incr.c holds it equal to the instant query.
 * False when the query failed.
 */
static bool
evaluate_one(struct dash *d, struct dash_query *dq, const struct store *st,
             const struct dash_grid *g, int64_t now)
{
    struct qresult *res, *at, *copy;
    struct diag diag;

    diag_clear(&diag);
    if (dq->incr == NULL)
        dq->incr = qincr_new();
    res = qincr_range(dq->incr, dq->compiled, st, d->cache, g->start,
                      g->end, g->step, &d->ctl, &diag);
    if (res != NULL && res->type == QV_MATRIX && now != g->end) {
        at = qeval_frame_at(dq->compiled, st, d->cache, now, &d->ctl,
                            &diag);
        copy = at != NULL ? copy_matrix(res) : NULL;
        /* Failing at now (the budget, say) fails the panel: without its
         * value at now it would show an older one as current. */
        qresult_free(res);
        res = copy;
        if (res != NULL)
            merge_value_at_now(res, at);
        qresult_free(at);
    }
    /* Interrupted: the panel keeps what it shows until asked again. */
    if (res == NULL && d->ctl.stopped == QEVAL_INTERRUPTED)
        return false;
    qresult_free(dq->pq->result);
    free(dq->pq->error);
    dq->pq->result = res;
    dq->pq->error = res == NULL ? with_query(diag.msg, dq->tmpl,
                                             dq->pq->expr) : NULL;
    dq->pq->pending = false;
    dq->panel->dirty = true;
    return res != NULL;
}

/*
 * A refresh's answer from the server: the grid's matrix (kept points and
 * the new tail) and the value at now, put together as evaluate_one does
 * locally; an error replaces the result, as a local one does.
 */
static void
on_remote(void *ctx, struct qresult *range, struct qresult *at,
          const char *error)
{
    struct dash_query *dq = ctx;
    struct qresult *copy;

    if (range != NULL && at != NULL) {
        copy = copy_matrix(range);
        qresult_free(range);
        range = copy;
        merge_value_at_now(range, at);
    }
    qresult_free(at);
    qresult_free(dq->pq->result);
    free(dq->pq->error);
    dq->pq->pending = false;
    dq->pq->result = range;
    dq->pq->error = error != NULL ? with_query(error, dq->tmpl,
                                               dq->pq->expr) : NULL;
    dq->panel->dirty = true;
}

/* Starts dq's refresh on the server unless the last is in flight (a slow
 * server then gets no pile of requests); the panel keeps its result. */
static void
evaluate_remote(struct dash_query *dq, const struct dash_grid *g,
                int64_t now)
{
    if (dq->remote == NULL)
        dq->remote = api_range_new(dq->dash->client);
    api_range_refresh(dq->remote, dq->pq->expr, g->start, g->end, g->step,
                      now, false, on_remote, dq);
}

/* Whether a query variable has no values yet: it is read on every
 * evaluation until it has some, so the first scrape fills it. */
static bool
variables_empty(const struct dashboard *m)
{
    for (size_t i = 0; i < m->nvariables; i++)
        if (m->variables[i].query != NULL && m->variables[i].nvalues == 0)
            return true;
    return false;
}

/*
 * The widths of page's panels (page < 0: every page's) as the width
 * function gives them now; a panel whose width changed (a resize, zoom)
 * gets its new interval. A width not known keeps the last one.
 */
static void
take_widths(struct dash *d, int page)
{
    for (size_t k = 0; d->width_fn != NULL && k < d->npanels; k++) {
        struct dash_panel *dp = &d->panels[k];
        int w;

        if (page >= 0 && dp->page != page)
            continue;
        w = d->width_fn(d->width_ctx, dp->page, dp->slot);
        if (w > 0 && w != dp->width) {
            dp->width = w;
            set_interval(d, k, true);
        }
    }
}

void
dash_frame_begin(struct dash *d, const struct store *st, int64_t now_ms,
                 int page, dash_shown_fn shown, void *ctx)
{
    struct dashboard *m = &d->model;
    /* (On a server there need be no store: dash_set_remote.) */
    uint64_t version = st != NULL ? store_version(st) : 0;

    if (d->vars_stale || variables_empty(m))
        dash_refresh_variables_at(d, st, now_ms);
    take_widths(d, page);
    d->frame_now = m->now_ms = now_ms;
    d->nqueue = d->next = d->failed = 0;
    /* The cache reads on from where the last frame left each series. */
    qcache_frame(d->cache, st);
    for (size_t i = 0; i < d->nqueries; i++) {
        struct dash_query *dq = &d->queries[i];

        if (dq->compiled == NULL) {
            d->failed++;
            continue;
        }
        if ((page >= 0 && dq->page != page) ||
            (shown != NULL && !shown(ctx, dq->slot)) ||
            (dq->done_at == now_ms && dq->done_version == version))
            continue;
        d->queue[d->nqueue++] = i;
    }
}

size_t
dash_frame_refocus(struct dash *d, int page, dash_shown_fn shown, void *ctx)
{
    size_t n = 0;

    /* No frame begun yet (a dashboard just loaded): its first frame
     * queues them at a real clock. */
    if (d->frame_now == 0)
        page = -1;
    if (page >= 0)
        take_widths(d, page);
    for (size_t i = 0; i < d->nqueries; i++) {
        const struct dash_query *dq = &d->queries[i];

        /* Those still queued, the one a key interrupted among them,
         * are not done at this clock either, nor is a query compiled
         * again for a new width. */
        if (page >= 0 && dq->compiled != NULL && dq->page == page
            && shown(ctx, dq->slot) && dq->done_at != d->frame_now)
            d->queue[n++] = i;
    }
    /* The panels already evaluated for the frame keep their count of
     * failures; the queue now holds only what the screen shows. */
    d->nqueue = n;
    d->next = 0;
    return n;
}

bool
dash_frame_step(struct dash *d, const struct store *st, double until)
{
    bool ok;

    while (d->next < d->nqueue) {
        struct dash_query *dq = &d->queries[d->queue[d->next++]];
        struct dash_grid grid;

        /* A signal stopped the last query: the rest would stop too. */
        if (d->ctl.cancel != NULL && *d->ctl.cancel != 0) {
            d->next = d->nqueue;
            break;
        }
        grid = dash_grid_at(d->model.range_ms,
                            d->panels[dq->pnl].iv.step_ms, d->frame_now);
        if (d->client != NULL) {
            evaluate_remote(dq, &grid, d->frame_now);
            dq->done_at = d->frame_now;
            continue;
        }
        /* Scrapes may land between two slices: the cache reads on. */
        ok = evaluate_one(d, dq, st, &grid, d->frame_now);
        if (!ok && d->ctl.stopped == QEVAL_INTERRUPTED) {
            d->next--;          /* the next slice asks again */
            return false;
        }
        d->failed += !ok;
        dq->done_at = d->frame_now;
        dq->done_version = store_version(st);
        if (until > 0 && d->next < d->nqueue && time_mono_s() >= until)
            return false;
    }
    return true;
}

size_t
dash_frame_failed(const struct dash *d)
{
    return d->client != NULL ? dash_failed(d) : d->failed;
}

size_t
dash_evaluate(struct dash *d, const struct store *st, int64_t now_ms,
              int page)
{
    dash_frame_begin(d, st, now_ms, page, NULL, NULL);
    dash_frame_step(d, st, 0);
    return dash_frame_failed(d);
}

void
dash_set_remote(struct dash *d, struct api_client *c, int64_t min_step_ms)
{
    d->client = c;
    d->vars_stale = true;
    dash_set_scrape_interval(d, min_step_ms);
}

int64_t
dash_min_step(const struct dash *d)
{
    return d->scrape_ms;
}

size_t
dash_pending(const struct dash *d)
{
    size_t n = d->var_req != NULL;

    for (size_t i = 0; i < d->nqueries; i++)
        n += d->queries[i].remote != NULL
             && api_range_busy(d->queries[i].remote);
    return n;
}

size_t
dash_failed(const struct dash *d)
{
    size_t n = 0;

    for (size_t i = 0; i < d->nqueries; i++)
        n += d->queries[i].pq->error != NULL;
    return n;
}
