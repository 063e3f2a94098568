/*
 * Copies the rule set's groups, rules and active alerts into plain rows
 * for the alerts and rules views and the snapshot, and finds when alerts
 * fired on the series of the panels shown. Resolved alerts are left out,
 * as Prometheus's Alerts page and rules API leave them out.
 */
#include "src/rulelist.h"

#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/xalloc.h"

#define FIRING_QUERY "ALERTS{alertstate=\"firing\"}"

void
rule_list_init(struct rule_list *rl)
{
    memset(rl, 0, sizeof(*rl));
}

static void
free_rows(struct rule_list *rl)
{
    free(rl->groups);
    free(rl->rules);
    free(rl->alerts);
    rl->groups = NULL;
    rl->rules = NULL;
    rl->alerts = NULL;
}

static void
free_marks(struct rule_list *rl)
{
    free(rl->marks);
    free(rl->spans);
    rl->marks = NULL;
    rl->spans = NULL;
    rl->nmarks = 0;
    rl->view.marks = NULL;
    rl->view.nmarks = 0;
}

void
rule_list_fini(struct rule_list *rl)
{
    free_rows(rl);
    free_marks(rl);
    rule_list_init(rl);
}

/* The active alerts of rule i of g into rl->alerts from *na on; fills
 * the row's alerts, state and the view's counts. */
static void
fill_alerts(struct rule_list *rl, const struct ruleset_group *g, size_t i,
            struct rule_row *row, size_t *na)
{
    const struct rule_alert *a;
    size_t n = rule_group_alerts(g->group, i, &a);

    row->alerts = &rl->alerts[*na];
    row->state = ALERT_ROW_INACTIVE;
    for (size_t k = 0; k < n; k++) {
        struct alert_row *ar;

        if (a[k].state == ALERT_INACTIVE)
            continue;
        ar = &rl->alerts[(*na)++];
        ar->state = (enum alert_row_state)a[k].state;
        ar->labels = &a[k].labels;
        ar->annotations = &a[k].annotations;
        ar->active_at_ms = a[k].active_at;
        ar->keep_firing_since_ms = a[k].keeping ? a[k].keep_firing_since : 0;
        ar->value = a[k].value;
        row->nalerts++;
        if (ar->state > row->state)
            row->state = ar->state;
        if (ar->state == ALERT_ROW_FIRING)
            rl->view.firing++;
        else
            rl->view.pending++;
    }
}

static void
fill_rule(struct rule_list *rl, const struct ruleset_group *g, size_t i,
          struct rule_row *row, size_t *na)
{
    const struct rule_def *r = &g->def->rules[i];

    memset(row, 0, sizeof(*row));
    row->name = r->name;
    row->expr = r->expr;
    row->alerting = r->kind == RULE_ALERT;
    row->for_ms = r->for_ms;
    row->keep_firing_for_ms = r->keep_firing_for_ms;
    row->labels = &r->labels;
    row->annotations = &r->annotations;
    row->last_error = rule_group_error(g->group, i);
    row->last_eval_ms = g->rule_last_ms[i];
    row->eval_seconds = g->rule_seconds[i];
    row->health = row->last_eval_ms == 0 ? RULE_HEALTH_UNKNOWN
                  : row->last_error != NULL ? RULE_HEALTH_ERR
                                            : RULE_HEALTH_OK;
    if (row->alerting)
        fill_alerts(rl, g, i, row, na);
}

void
rule_list_fill(struct rule_list *rl, const struct ruleset *rs)
{
    const struct ruleset_group *gs = NULL;
    size_t ng = rs != NULL ? ruleset_groups(rs, &gs) : 0;
    size_t nr = 0, na = 0, nalerts = 0;

    free_rows(rl);
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < gs[i].def->nrules; j++) {
            const struct rule_alert *a;

            nalerts += rule_group_alerts(gs[i].group, j, &a);
        }
    rl->groups = xcalloc(ng + 1, sizeof(*rl->groups));
    rl->rules = xcalloc((rs != NULL ? ruleset_nrules(rs) : 0) + 1,
                        sizeof(*rl->rules));
    rl->alerts = xcalloc(nalerts + 1, sizeof(*rl->alerts));
    rl->view.firing = rl->view.pending = 0;
    for (size_t i = 0; i < ng; i++) {
        struct rule_group_row *gr = &rl->groups[i];

        gr->name = gs[i].def->name;
        gr->file = gs[i].file;
        gr->interval_ms = gs[i].def->interval_ms;
        gr->last_eval_ms = gs[i].last_ms;
        gr->eval_seconds = gs[i].last_seconds;
        gr->rules = &rl->rules[nr];
        gr->nrules = gs[i].def->nrules;
        for (size_t j = 0; j < gr->nrules; j++)
            fill_rule(rl, &gs[i], j, &rl->rules[nr++], &na);
    }
    rl->view.groups = rl->groups;
    rl->view.ngroups = ng;
    rl->view.nrules = nr;
    rl->view.remote = false;
    rl->view.note = NULL;
}

/* --- a server's rules --------------------------------------------------- */

static enum alert_row_state
state_of(const char *s)
{
    return s == NULL ? ALERT_ROW_INACTIVE
           : strcmp(s, "firing") == 0 ? ALERT_ROW_FIRING
           : strcmp(s, "pending") == 0 ? ALERT_ROW_PENDING
                                       : ALERT_ROW_INACTIVE;
}

/* Rule r's alerts into rl->alerts from *na on; the view's counts. */
static void
fill_api_alerts(struct rule_list *rl, const struct api_rule *r,
                struct rule_row *row, size_t *na)
{
    row->alerts = &rl->alerts[*na];
    for (size_t k = 0; k < r->nalerts; k++) {
        struct alert_row *ar = &rl->alerts[(*na)++];

        ar->state = state_of(r->alerts[k].state);
        ar->labels = &r->alerts[k].labels;
        ar->annotations = &r->alerts[k].annotations;
        ar->active_at_ms = r->alerts[k].active_at_ms;
        ar->keep_firing_since_ms = r->alerts[k].keep_firing_since_ms;
        ar->value = r->alerts[k].value;
        row->nalerts++;
        if (ar->state == ALERT_ROW_FIRING)
            rl->view.firing++;
        else if (ar->state == ALERT_ROW_PENDING)
            rl->view.pending++;
    }
}

static void
fill_api_rule(struct rule_list *rl, const struct api_rule *r,
              struct rule_row *row, size_t *na)
{
    memset(row, 0, sizeof(*row));
    row->name = r->name;
    row->expr = r->query;
    row->alerting = r->alerting;
    row->for_ms = (int64_t)(r->duration_s * 1000.0);
    row->keep_firing_for_ms = (int64_t)(r->keep_firing_for_s * 1000.0);
    row->labels = &r->labels;
    row->annotations = &r->annotations;
    row->state = state_of(r->state);
    row->last_error = r->last_error != NULL && *r->last_error != '\0'
                      ? r->last_error : NULL;
    row->last_eval_ms = r->last_eval_ms;
    row->eval_seconds = r->eval_s;
    row->health = r->health != NULL && strcmp(r->health, "ok") == 0
                  ? RULE_HEALTH_OK
                  : r->health != NULL && strcmp(r->health, "err") == 0
                  ? RULE_HEALTH_ERR : RULE_HEALTH_UNKNOWN;
    if (row->alerting)
        fill_api_alerts(rl, r, row, na);
}

/* The firing and pending alerts of /api/v1/alerts, which count the
 * alerts of every rule, also those of rules the rules answer lacks. */
static void
count_api_alerts(struct rule_list *rl, const struct api_alerts *a)
{
    rl->view.firing = rl->view.pending = 0;
    for (size_t i = 0; i < a->n; i++) {
        enum alert_row_state st = state_of(a->v[i].state);

        rl->view.firing += st == ALERT_ROW_FIRING;
        rl->view.pending += st == ALERT_ROW_PENDING;
    }
}

void
rule_list_fill_remote(struct rule_list *rl, const struct api_groups *g,
                      const struct api_alerts *alerts, const char *error)
{
    size_t ng = g != NULL ? g->n : 0, nr = 0, na = 0, nrules = 0, nal = 0;

    free_rows(rl);
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < g->v[i].nrules; j++, nrules++)
            nal += g->v[i].rules[j].nalerts;
    rl->groups = xcalloc(ng + 1, sizeof(*rl->groups));
    rl->rules = xcalloc(nrules + 1, sizeof(*rl->rules));
    rl->alerts = xcalloc(nal + 1, sizeof(*rl->alerts));
    rl->view.firing = rl->view.pending = 0;
    for (size_t i = 0; i < ng; i++) {
        struct rule_group_row *gr = &rl->groups[i];

        gr->name = g->v[i].name;
        gr->file = g->v[i].file;
        gr->interval_ms = (int64_t)(g->v[i].interval_s * 1000.0);
        gr->last_eval_ms = g->v[i].last_eval_ms;
        gr->eval_seconds = g->v[i].eval_s;
        gr->rules = &rl->rules[nr];
        gr->nrules = g->v[i].nrules;
        for (size_t j = 0; j < gr->nrules; j++)
            fill_api_rule(rl, &g->v[i].rules[j], &rl->rules[nr++], &na);
    }
    if (alerts != NULL)
        count_api_alerts(rl, alerts);
    rl->view.groups = rl->groups;
    rl->view.ngroups = ng;
    rl->view.nrules = nr;
    rl->view.remote = true;
    rl->view.note = error;
}

/* Whether every label of s but its name is on the alert series a, and
 * s has one at least. */
static bool
alert_on(const struct labels *s, const struct labels *a)
{
    size_t n = 0;

    for (size_t i = 0; i < s->n; i++) {
        const char *v;

        if (strcmp(s->v[i].name, LABEL_METRIC_NAME) == 0)
            continue;
        v = labels_get(a, s->v[i].name);
        if (v == NULL || strcmp(v, s->v[i].value) != 0)
            return false;
        n++;
    }
    return n > 0;
}

/* Adds the spans of a's points (consecutive steps join) to *sp. */
static void
add_spans(const struct qseries *a, int64_t step, int64_t **sp, size_t *n)
{
    for (size_t k = 0; k < a->npoints; k++) {
        int64_t t = a->points[k].t;

        if (*n > 0 && (*sp)[2 * *n - 1] >= t - step) {
            if (t > (*sp)[2 * *n - 1])
                (*sp)[2 * *n - 1] = t;
            continue;
        }
        *sp = xreallocarray(*sp, 2 * (*n + 1), sizeof(**sp));
        (*sp)[2 * *n] = t;
        (*sp)[2 * *n + 1] = t;
        (*n)++;
    }
}

static int
cmp_span(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Sorts the spans by start and joins those that touch. */
static size_t
merge_spans(int64_t *sp, size_t n, int64_t step)
{
    size_t m = 0;

    if (n > 1)
        qsort(sp, n, 2 * sizeof(*sp), cmp_span);
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && sp[2 * i] <= sp[2 * m - 1] + step) {
            if (sp[2 * i + 1] > sp[2 * m - 1])
                sp[2 * m - 1] = sp[2 * i + 1];
            continue;
        }
        sp[2 * m] = sp[2 * i];
        sp[2 * m + 1] = sp[2 * i + 1];
        m++;
    }
    return m;
}

/* The firing spans of panel p's series in fired; 0 when none. */
static size_t
panel_spans(const struct panel *p, const struct qresult *fired,
            int64_t step, int64_t **sp)
{
    size_t n = 0;

    *sp = NULL;
    for (size_t a = 0; a < fired->nseries; a++) {
        bool on = false;

        for (size_t q = 0; q < p->nqueries && !on; q++) {
            const struct qresult *r = p->queries[q].result;

            for (size_t s = 0; r != NULL && s < r->nseries && !on; s++)
                on = alert_on(&r->series[s].labels,
                              &fired->series[a].labels);
        }
        if (on)
            add_spans(&fired->series[a], step, sp, &n);
    }
    return merge_spans(*sp, n, step);
}

/* Keeps panel p's spans (taken over) as a mark of the list. */
static void
add_mark(struct rule_list *rl, const struct panel *p, int64_t *sp, size_t n,
         int64_t ***all, size_t *nall)
{
    rl->marks = xreallocarray(rl->marks, rl->nmarks + 1, sizeof(*rl->marks));
    rl->marks[rl->nmarks++] = (struct panel_alert_marks){ p, sp, n };
    *all = xreallocarray(*all, *nall + 1, sizeof(**all));
    (*all)[(*nall)++] = sp;
}

/* The range query of every firing ALERTS series over the dashboard's
 * range, or NULL when there is none. */
static struct qresult *
firing_history(const struct dashboard *d, const struct store *st,
               int64_t now)
{
    struct diag err;
    struct query *q = qparse_query(FIRING_QUERY, strlen(FIRING_QUERY), &err);
    struct qresult *r;

    if (q == NULL)
        return NULL;
    r = qeval_range(q, st, now - d->range_ms, now, d->step_ms, &err);
    qparse_free(q);
    if (r != NULL && r->nseries == 0) {
        qresult_free(r);
        r = NULL;
    }
    return r;
}

void
rule_list_mark_panels(struct rule_list *rl, const struct dashboard *d,
                      int page, const struct store *st, int64_t now)
{
    struct qresult *fired;
    int64_t **all = NULL, *sp;
    size_t nall = 0, total = 0, n;

    free_marks(rl);
    if (page < 0 || (size_t)page >= d->npages || d->step_ms <= 0
        || (fired = firing_history(d, st, now)) == NULL)
        return;
    for (size_t r = 0; r < d->pages[page].nrows; r++)
        for (size_t i = 0; i < d->pages[page].rows[r].npanels; i++) {
            const struct panel *p = &d->pages[page].rows[r].panels[i];

            if ((n = panel_spans(p, fired, d->step_ms, &sp)) > 0) {
                add_mark(rl, p, sp, n, &all, &nall);
                total += n;
            } else {
                free(sp);
            }
        }
    qresult_free(fired);
    /* One array of spans for the list, so the marks free in one go. */
    rl->spans = xcalloc(2 * total + 1, sizeof(*rl->spans));
    total = 0;
    for (size_t k = 0; k < rl->nmarks; k++) {
        memcpy(rl->spans + 2 * total, all[k],
               2 * rl->marks[k].nspans * sizeof(*rl->spans));
        rl->marks[k].spans = rl->spans + 2 * total;
        total += rl->marks[k].nspans;
        free(all[k]);
    }
    free(all);
    rl->view.marks = rl->marks;
    rl->view.nmarks = rl->nmarks;
}
