/*
 * The running dashboard: a model (built in, src/dash/dashbuiltin.c, or from a
 * file) with its template variables expanded and its PromQL compiled,
 * evaluated per frame against the store. It draws nothing and reads no
 * files.
 */
#include "src/dash/dash.h"

#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/dash/dashbuiltin.h"
#include "src/dash/dashmodel.h"

/* One compiled query and where its results go. */
struct dash_query {
    struct panel_query *pq;
    struct panel *panel;
    int page;
    struct query *compiled;     /* NULL when the expression is bad */
    char *tmpl;                 /* the expression before $var expansion */
};

/* A panel title as written, before $var expansion. */
struct dash_title {
    struct panel *panel;
    char *tmpl;
};

struct dash {
    struct dashboard model;
    struct dash_query *queries;
    size_t nqueries;
    struct dash_title *titles;
    size_t ntitles;
    struct qcache *cache;       /* this frame's decoded series and
                                 * aggregations, shared by its panels */
    struct qeval_ctl ctl;       /* each query's budget and stop flag */
};

/* At most this much decoded history and results is kept per frame. */
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

/* Expands dq's template, compiles it and keeps the error (its position
 * in the template, as written) when it does not compile. */
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
                                    m->step_ms, m->range_ms, &map);
    diag_clear(&diag);
    dq->compiled = qparse_query(dq->pq->expr, strlen(dq->pq->expr), &diag);
    if (dq->compiled == NULL) {
        size_t off = map[offset_of(dq->pq->expr, diag.line, diag.col)];
        struct diag at;

        diag_set_at(&at, dq->tmpl, strlen(dq->tmpl), off, 1, "%s",
                    diag.msg);
        dq->pq->error = xasprintf("%d:%d: %s", at.line, at.col, diag.msg);
    }
    free(map);
    dq->panel->dirty = true;
}

/* Expands every panel title and recompiles every query, after a change
 * of a variable or of the step. */
static void
recompile(struct dash *d)
{
    struct dashboard *m = &d->model;

    for (size_t i = 0; i < d->ntitles; i++) {
        struct dash_title *t = &d->titles[i];

        free(t->panel->title);
        t->panel->title = dashmodel_expand(t->tmpl, m->variables,
                                           m->nvariables, m->step_ms,
                                           m->range_ms, NULL);
    }
    for (size_t i = 0; i < d->nqueries; i++)
        compile_one(d, &d->queries[i]);
}

/* Takes the templates of one panel's title and queries. */
static void
take_panel(struct dash *d, struct panel *p, int page)
{
    d->titles = xreallocarray(d->titles, d->ntitles + 1, sizeof(*d->titles));
    d->titles[d->ntitles].panel = p;
    d->titles[d->ntitles++].tmpl = p->title;
    p->title = NULL;
    for (size_t q = 0; q < p->nqueries; q++) {
        struct dash_query *dq;

        d->queries = xreallocarray(d->queries, d->nqueries + 1,
                                   sizeof(*d->queries));
        dq = &d->queries[d->nqueries++];
        memset(dq, 0, sizeof(*dq));
        dq->pq = &p->queries[q];
        dq->panel = p;
        dq->page = page;
        dq->tmpl = dq->pq->expr;
        dq->pq->expr = NULL;
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

            for (size_t i = 0; i < row->npanels; i++)
                take_panel(d, &row->panels[i], (int)pg);
        }
    recompile(d);
}

struct dash *
dash_adopt(struct dashboard *model)
{
    struct dash *d = xcalloc(1, sizeof(*d));

    d->model = *model;
    memset(model, 0, sizeof(*model));
    d->cache = qcache_new(FRAME_CACHE_BYTES);
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
    d->model.step_ms = dashmodel_step_for(range_ms);
    /* $__interval and $__range follow the range. */
    if (d->ntitles > 0)
        recompile(d);
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
        recompile(d);
    }
    return 0;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct values of label among the series selector matches over
 * the dashboard's range, sorted, as borrowed strings from *res. */
static size_t
series_values(struct dash *d, const struct store *st, const char *selector,
              const char *label, struct qresult **res, const char ***out)
{
    struct dashboard *m = &d->model;
    int64_t end = m->now_ms > 0 ? m->now_ms : time_now_ms();
    struct diag diag;
    char *text = dashmodel_expand(selector, m->variables, m->nvariables,
                                  m->step_ms, m->range_ms, NULL);
    struct query *q = qparse_query(text, strlen(text), &diag);
    size_t n = 0, k = 0;

    *out = NULL;
    *res = q != NULL ? qeval_range_ctl(q, st, NULL, end - m->range_ms, end,
                                       m->step_ms, &d->ctl, &diag) : NULL;
    qparse_free(q);
    free(text);
    if (*res == NULL)
        return 0;
    *out = xcalloc((*res)->nseries + 1, sizeof(**out));
    for (size_t i = 0; i < (*res)->nseries; i++) {
        const struct labels *ls = &(*res)->series[i].labels;

        for (size_t j = 0; j < ls->n; j++)
            if (strcmp(ls->v[j].name, label) == 0)
                (*out)[n++] = ls->v[j].value;
    }
    qsort(*out, n, sizeof(**out), cmp_str);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp((*out)[k - 1], (*out)[i]) != 0)
            (*out)[k++] = (*out)[i];
    return k;
}

/* Whether v's values differ from vals[0..n). */
static bool
values_differ(const struct variable *v, const char *const *vals, size_t n)
{
    if (v->nvalues != n)
        return true;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v->values[i], vals[i]) != 0)
            return true;
    return false;
}

size_t
dash_refresh_variables(struct dash *d, const struct store *st)
{
    size_t changed = 0;

    for (size_t i = 0; i < d->model.nvariables; i++) {
        struct variable *v = &d->model.variables[i];
        struct qresult *res = NULL;
        const char **vals = NULL, *why;
        char *sel, *label;
        size_t n, off;

        if (v->query == NULL
            || dashmodel_label_values(v->query, &sel, &label, &why, &off))
            continue;
        n = sel == NULL ? store_label_values(st, label, &vals)
                        : series_values(d, st, sel, label, &res, &vals);
        if (values_differ(v, vals, n)) {
            dashmodel_var_set_values(v, vals, n);
            changed++;
        }
        free(vals);
        qresult_free(res);
        free(sel);
        free(label);
    }
    if (changed > 0)
        recompile(d);
    return changed;
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
    for (size_t i = 0; i < d->nqueries; i++) {
        qparse_free(d->queries[i].compiled);
        free(d->queries[i].tmpl);
    }
    for (size_t i = 0; i < d->ntitles; i++)
        free(d->titles[i].tmpl);
    free(d->titles);
    free(d->queries);
    dashmodel_fini(&d->model);
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
    int64_t rem = now_ms % m->step_ms;
    /* End on the step grid at or after now: the newest samples are in the
     * window, and the points only move when a step boundary passes. */
    int64_t end = now_ms - rem + (rem != 0 ? m->step_ms : 0);
    size_t failed = 0;

    m->now_ms = end;
    /* The store has changed since the last frame: read afresh, once. */
    qcache_clear(d->cache);
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
        res = qeval_range_ctl(dq->compiled, st, d->cache,
                              end - m->range_ms, end, m->step_ms, &d->ctl,
                              &diag);
        qresult_free(dq->pq->result);
        free(dq->pq->error);
        dq->pq->result = res;
        dq->pq->error = res == NULL ? xstrdup(diag.msg) : NULL;
        dq->panel->dirty = true;
        failed += res == NULL;
    }
    qcache_clear(d->cache);
    return failed;
}
