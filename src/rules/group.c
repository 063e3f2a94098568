/*
 * Rule evaluation, following Prometheus 2.42's rules/manager.go,
 * recording.go and alerting.go: one evaluation time for a whole group,
 * rule labels over the result's labels, the alert state machine with its
 * `for` hold, 15 minutes of memory for resolved alerts, the group limit,
 * and staleness markers for series a rule no longer writes. Alerts are
 * always treated as restored (promdeck keeps no state across runs), so
 * ALERTS and ALERTS_FOR_STATE are written from the first evaluation.
 * Alert labels and annotations are expanded per result sample, as
 * alerting.go does, with query() reading the store at the evaluation time.
 */
#include "src/rules/group.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/xalloc.h"
#include "src/rules/ruletmpl.h"

/* The state of one rule between evaluations. */
struct rule_state {
    char *error;                /* last evaluation's error, or NULL */
    uint32_t *written;          /* series written at the last evaluation */
    size_t nwritten;
    struct rule_alert *alerts;  /* alerting rules: active and resolved */
    size_t nalerts;
};

struct rule_group {
    const struct rule_group_def *def;
    struct rule_state *rules;
    struct labels ext_labels;   /* owned, sorted */
    char *ext_url;              /* owned, "" when not set */
    struct qeval_ctl budget;    /* each query's; stopped is unused */
};

/* One output sample of a rule, its labels owned. */
struct out_sample {
    struct labels labels;
    struct labels annotations;  /* alert candidates: expanded, owned */
    double v;
};

struct outvec {
    struct out_sample *v;
    size_t n, cap;
};

struct rule_group *
rule_group_new(const struct rule_group_def *def)
{
    struct rule_group *g = xcalloc(1, sizeof(*g));

    g->def = def;
    g->rules = xcalloc(def->nrules + 1, sizeof(*g->rules));
    g->ext_url = xstrdup("");
    qeval_ctl_init(&g->budget);
    return g;
}

void
rule_group_set_opts(struct rule_group *g, const struct rule_group_opts *o)
{
    labels_release(&g->ext_labels);
    free(g->ext_url);
    if (o->external_labels != NULL)
        labels_dup(&g->ext_labels, o->external_labels);
    labels_sort(&g->ext_labels);
    g->ext_url = xstrdup(o->external_url != NULL ? o->external_url : "");
    if (o->budget != NULL)
        g->budget = *o->budget;
    else
        qeval_ctl_init(&g->budget);
}

static void
alert_release(struct rule_alert *a)
{
    labels_release(&a->labels);
    labels_release(&a->annotations);
}

void
rule_group_free(struct rule_group *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->def->nrules; i++) {
        struct rule_state *rs = &g->rules[i];

        free(rs->error);
        free(rs->written);
        for (size_t j = 0; j < rs->nalerts; j++)
            alert_release(&rs->alerts[j]);
        free(rs->alerts);
    }
    free(g->rules);
    labels_release(&g->ext_labels);
    free(g->ext_url);
    free(g);
}

const char *
rule_alert_state_name(enum alert_state s)
{
    static const char *const names[] = { "inactive", "pending", "firing" };

    return names[s];
}

static void
outvec_fini(struct outvec *o)
{
    for (size_t i = 0; i < o->n; i++) {
        labels_release(&o->v[i].labels);
        labels_release(&o->v[i].annotations);
    }
    free(o->v);
    o->v = NULL;
    o->n = o->cap = 0;
}

/* Appends a sample, taking over ls (an owned set). */
static void
outvec_take(struct outvec *o, struct labels *ls, double v)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 8;
        o->v = xreallocarray(o->v, o->cap, sizeof(*o->v));
    }
    o->v[o->n].labels = *ls;
    o->v[o->n].annotations = (struct labels){ NULL, 0 };
    o->v[o->n++].v = v;
    ls->v = NULL;
    ls->n = 0;
}

/*
 * Sets name to value in an owned set, as Prometheus's labels.Builder
 * does: an empty value removes the label.
 */
static void
label_set(struct labels *ls, const char *name, const char *value)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].name, name) != 0 || *value != '\0')
            continue;
        free((char *)ls->v[i].name);
        free((char *)ls->v[i].value);
        ls->v[i] = ls->v[--ls->n];
        return;
    }
    if (*value != '\0')
        labels_put(ls, name, value);
}

/* Copies src into an owned set, leaving out __name__ when drop_name. */
static void
labels_copy(struct labels *dst, const struct labels *src, bool drop_name)
{
    dst->v = NULL;
    dst->n = 0;
    for (size_t i = 0; i < src->n; i++)
        if (!drop_name || strcmp(src->v[i].name, LABEL_METRIC_NAME) != 0)
            label_set(dst, src->v[i].name, src->v[i].value);
}

/* Rule labels over ls. */
static void
apply_rule_labels(struct labels *ls, const struct rule_def *r)
{
    for (size_t i = 0; i < r->labels.n; i++)
        label_set(ls, r->labels.v[i].name, r->labels.v[i].value);
}

/* Sets the rule's error, printf-style. */
static void
set_error(struct rule_state *rs, const char *fmt, const char *arg)
{
    free(rs->error);
    rs->error = xasprintf(fmt, arg);
}

/*
 * Runs the rule's query at t within the group's budget into (labels,
 * value) pairs, borrowed from *res: a vector's samples, or one sample
 * without labels for a scalar, as Prometheus's rule query function turns
 * scalars into vectors. A query cut off by its budget fails with the
 * engine's words ("query timed out in expression evaluation"), which
 * Prometheus keeps as the rule's lastError.
 */
static int
run_query(const struct rule_group *g, const struct rule_def *r,
          const struct store *st, int64_t t, struct qresult **res,
          struct rule_state *rs)
{
    struct qeval_ctl ctl = g->budget;
    struct diag d;

    diag_clear(&d);
    *res = qeval_instant_ctl(r->query, st, t, &ctl, &d);
    if (*res == NULL) {
        set_error(rs, "%s", d.msg);
        return -1;
    }
    if ((*res)->type != QV_VECTOR && (*res)->type != QV_SCALAR) {
        set_error(rs, "%s", "rule result is not a vector or scalar");
        qresult_free(*res);
        return -1;
    }
    return 0;
}

static size_t
result_len(const struct qresult *res)
{
    return res->type == QV_SCALAR ? 1 : res->nseries;
}

/* Sample k of a result: its labels and value. */
static double
result_at(const struct qresult *res, size_t k, const struct labels **ls)
{
    static const struct labels none = { NULL, 0 };

    if (res->type == QV_SCALAR) {
        *ls = &none;
        return res->scalar;
    }
    *ls = &res->series[k].labels;
    return res->series[k].points[res->series[k].npoints - 1].v;
}

static int
cmp_out(const void *a, const void *b)
{
    return labels_cmp(&((const struct out_sample *)a)->labels,
                      &((const struct out_sample *)b)->labels);
}

/* Sorts every label set and the samples; true if two sets are equal. */
static bool
sort_has_dup(struct outvec *o)
{
    for (size_t i = 0; i < o->n; i++)
        labels_sort(&o->v[i].labels);
    if (o->n > 1)
        qsort(o->v, o->n, sizeof(*o->v), cmp_out);
    for (size_t i = 1; i < o->n; i++)
        if (labels_equal(&o->v[i - 1].labels, &o->v[i].labels))
            return true;
    return false;
}

/* A recording rule (recording.go Eval): its samples into out. */
static int
eval_record(const struct rule_group *g, const struct rule_def *r,
            struct rule_state *rs, const struct store *st, int64_t t,
            struct outvec *out)
{
    int64_t limit = g->def->limit;
    struct qresult *res;
    char msg[96];

    if (run_query(g, r, st, t, &res, rs) < 0)
        return -1;
    for (size_t k = 0; k < result_len(res); k++) {
        const struct labels *src;
        double v = result_at(res, k, &src);
        struct labels ls;

        labels_copy(&ls, src, true);
        label_set(&ls, LABEL_METRIC_NAME, r->name);
        apply_rule_labels(&ls, r);
        outvec_take(out, &ls, v);
    }
    qresult_free(res);
    if (sort_has_dup(out)) {
        set_error(rs, "%s", "vector contains metrics with the same labelset "
                  "after applying rule labels");
        return -1;
    }
    if (limit > 0 && (int64_t)out->n > limit) {
        snprintf(msg, sizeof(msg), "exceeded limit %lld with %zu series",
                 (long long)limit, out->n);
        set_error(rs, "%s", msg);
        return -1;
    }
    return 0;
}

/* What a template's query() runs on: the group's store at its time,
 * within the group's budget. */
struct query_ctx {
    const struct store *st;
    int64_t t;
    const struct qeval_ctl *budget;
};

/*
 * The template query function (rules.EngineQueryFunc): an instant query
 * at the evaluation time; parse errors read as Prometheus words them.
 */
static struct qresult *
template_query(void *ctx, const char *expr, struct diag *d)
{
    const struct query_ctx *qc = ctx;
    struct query *q = qparse_query(expr, strlen(expr), d);
    struct qeval_ctl ctl = *qc->budget;
    struct qresult *res;
    struct buf msg;

    if (q == NULL) {
        buf_init(&msg, 0);
        rulefile_expr_error(d, &msg);
        diag_set(d, 0, 0, 0, "%s", buf_str(&msg));
        buf_fini(&msg);
        return NULL;
    }
    res = qeval_instant_ctl(q, qc->st, qc->t, &ctl, d);
    qparse_free(q);
    return res;
}

/*
 * The rule's labels over ls, then alertname, and its annotations into
 * ann, each expanded for the sample (labels src, value v) as
 * alerting.go does: an empty label value removes the label, an empty
 * annotation stays.
 */
static void
expand_alert(const struct rule_group *g, const struct rule_def *r,
             const struct labels *src, double v, struct query_ctx *qc,
             struct labels *ls, struct labels *ann)
{
    struct tmpl_data data = {
        .labels = src, .external_labels = &g->ext_labels,
        .external_url = g->ext_url, .value = v, .query = template_query,
        .query_ctx = qc, .time_ms = qc->t,
    };
    struct buf b;

    buf_init(&b, 0);
    for (size_t i = 0; i < r->labels.n; i++) {
        buf_reset(&b);
        ruletmpl_expand(r->label_tmpls[i], r->name, &data, &b);
        label_set(ls, r->labels.v[i].name, buf_str(&b));
    }
    label_set(ls, "alertname", r->name);
    for (size_t i = 0; i < r->annotations.n; i++) {
        buf_reset(&b);
        ruletmpl_expand(r->annotation_tmpls[i], r->name, &data, &b);
        labels_put(ann, r->annotations.v[i].name, buf_str(&b));
    }
    buf_fini(&b);
}

/* The alerts the expression gives at this evaluation, sorted. */
static int
alert_candidates(const struct rule_group *g, const struct rule_def *r,
                 struct rule_state *rs, const struct store *st, int64_t t,
                 struct outvec *cand)
{
    struct query_ctx qc = { st, t, &g->budget };
    struct qresult *res;

    if (run_query(g, r, st, t, &res, rs) < 0)
        return -1;
    for (size_t k = 0; k < result_len(res); k++) {
        const struct labels *src;
        double v = result_at(res, k, &src);
        struct labels ls, ann = { NULL, 0 };

        labels_copy(&ls, src, true);
        expand_alert(g, r, src, v, &qc, &ls, &ann);
        outvec_take(cand, &ls, v);
        cand->v[cand->n - 1].annotations = ann;
    }
    qresult_free(res);
    if (sort_has_dup(cand)) {
        set_error(rs, "%s", "vector contains metrics with the same labelset "
                  "after applying alert labels");
        return -1;
    }
    return 0;
}

static struct rule_alert *
find_alert(struct rule_state *rs, const struct labels *ls)
{
    for (size_t j = 0; j < rs->nalerts; j++)
        if (labels_equal(&rs->alerts[j].labels, ls))
            return &rs->alerts[j];
    return NULL;
}

/*
 * New results become pending alerts (a resolved alert with the same
 * labels starts over); alerts still active get the new value and
 * annotations. The candidates' annotations are taken over.
 */
static void
merge_alerts(struct rule_state *rs, struct outvec *cand, int64_t t)
{
    for (size_t k = 0; k < cand->n; k++) {
        struct rule_alert *a = find_alert(rs, &cand->v[k].labels);

        if (a != NULL && a->state != ALERT_INACTIVE) {
            a->value = cand->v[k].v;
            labels_release(&a->annotations);
            a->annotations = cand->v[k].annotations;
            cand->v[k].annotations = (struct labels){ NULL, 0 };
            continue;
        }
        if (a == NULL) {
            rs->alerts = xreallocarray(rs->alerts, rs->nalerts + 1,
                                       sizeof(*rs->alerts));
            a = &rs->alerts[rs->nalerts++];
        } else {
            alert_release(a);
        }
        memset(a, 0, sizeof(*a));
        labels_dup(&a->labels, &cand->v[k].labels);
        a->annotations = cand->v[k].annotations;
        cand->v[k].annotations = (struct labels){ NULL, 0 };
        a->state = ALERT_PENDING;
        a->value = cand->v[k].v;
        a->active_at = t;
    }
}

/* ALERTS{..., alertstate} 1 and ALERTS_FOR_STATE{...} active_at (s). */
static void
alert_series(const struct rule_alert *a, struct outvec *out)
{
    struct labels ls;

    labels_copy(&ls, &a->labels, true);
    label_set(&ls, LABEL_METRIC_NAME, "ALERTS");
    label_set(&ls, "alertstate", rule_alert_state_name(a->state));
    labels_sort(&ls);
    outvec_take(out, &ls, 1);
    labels_copy(&ls, &a->labels, true);
    label_set(&ls, LABEL_METRIC_NAME, "ALERTS_FOR_STATE");
    labels_sort(&ls);
    outvec_take(out, &ls, (double)(a->active_at / 1000));
}

/*
 * Whether a firing alert whose condition is gone at t stays firing by
 * keep_firing_for: it does until keep_firing_for has passed since the
 * first evaluation it was missing from (alerting.go's KeepFiringSince).
 */
static bool
keeps_firing(const struct rule_def *r, struct rule_alert *a, int64_t t)
{
    if (a->state != ALERT_FIRING || r->keep_firing_for_ms <= 0)
        return false;
    if (!a->keeping) {
        a->keeping = true;
        a->keep_firing_since = t;
    }
    return t - a->keep_firing_since < r->keep_firing_for_ms;
}

/*
 * Moves every alert along (alerting.go Eval): gone pending alerts are
 * dropped, gone firing ones keep firing for keep_firing_for, then resolve
 * and are dropped 15 minutes later, pending ones held for `for` fire.
 * Returns the number still active.
 */
static size_t
step_alerts(const struct rule_def *r, struct rule_state *rs,
            const struct outvec *cand, int64_t t, struct outvec *out)
{
    size_t active = 0, kept = 0;

    for (size_t j = 0; j < rs->nalerts; j++) {
        struct rule_alert *a = &rs->alerts[j];
        struct out_sample key = { .labels = a->labels };
        bool present = cand->n > 0 &&
                       bsearch(&key, cand->v, cand->n, sizeof(*cand->v),
                               cmp_out) != NULL;

        bool keep = !present && keeps_firing(r, a, t);

        if (present)
            a->keeping = false;
        if (!present && (a->state == ALERT_PENDING ||
                         (a->resolved_at != 0 &&
                          t - a->resolved_at > RULE_RESOLVED_RETENTION_MS))) {
            alert_release(a);
            continue;
        }
        if (!present && !keep && a->state != ALERT_INACTIVE) {
            a->state = ALERT_INACTIVE;
            a->resolved_at = t;
            a->keeping = false;
        }
        if (present || keep) {
            active++;
            if (a->state == ALERT_PENDING && t - a->active_at >= r->for_ms) {
                a->state = ALERT_FIRING;
                a->fired_at = t;
            }
            alert_series(a, out);
        }
        rs->alerts[kept++] = *a;
    }
    rs->nalerts = kept;
    return active;
}

/* An alerting rule: its ALERTS samples into out. */
static int
eval_alert(const struct rule_group *g, const struct rule_def *r,
           struct rule_state *rs, const struct store *st, int64_t t,
           struct outvec *out)
{
    struct outvec cand = { NULL, 0, 0 };
    size_t active;
    char msg[96];

    int64_t limit = g->def->limit;

    if (alert_candidates(g, r, rs, st, t, &cand) < 0) {
        outvec_fini(&cand);
        return -1;
    }
    merge_alerts(rs, &cand, t);
    active = step_alerts(r, rs, &cand, t, out);
    outvec_fini(&cand);
    if (limit > 0 && (int64_t)active > limit) {
        for (size_t j = 0; j < rs->nalerts; j++)
            alert_release(&rs->alerts[j]);
        rs->nalerts = 0;
        outvec_fini(out);
        snprintf(msg, sizeof(msg), "exceeded limit of %lld with %zu alerts",
                 (long long)limit, active);
        set_error(rs, "%s", msg);
        return -1;
    }
    return 0;
}

static int
cmp_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/*
 * Appends the rule's samples at t and a staleness marker to every series
 * it wrote last time and not now (manager.go Eval), as one write batch.
 * A sample the store refuses (not newer than the series' last) is
 * skipped, as Prometheus skips out-of-order appends, and does not count
 * as written.
 */
static void
write_samples(struct rule_state *rs, struct store *st, int64_t t,
              const struct outvec *out)
{
    uint32_t *ids = xcalloc(out->n + 1, sizeof(*ids));
    size_t n = 0;

    store_write_lock(st);
    for (size_t k = 0; k < out->n; k++) {
        uint32_t id = store_series_id(st, &out->v[k].labels);

        if (store_append(st, id, t, out->v[k].v) == 0)
            ids[n++] = id;
    }
    qsort(ids, n, sizeof(*ids), cmp_id);
    for (size_t k = 0; k < rs->nwritten; k++)
        if (bsearch(&rs->written[k], ids, n, sizeof(*ids), cmp_id) == NULL)
            store_append(st, rs->written[k], t, store_stale_nan());
    store_write_unlock(st);
    free(rs->written);
    rs->written = ids;
    rs->nwritten = n;
}

int
rule_group_eval_rule(struct rule_group *g, struct store *st, int64_t t,
                     size_t i)
{
    const struct rule_def *r = &g->def->rules[i];
    struct rule_state *rs = &g->rules[i];
    struct outvec out = { NULL, 0, 0 };
    int rc;

    free(rs->error);
    rs->error = NULL;
    /* The pin keeps the results' label strings valid until they are
     * copied into out (store/store.h); the writes come after it. */
    store_read_lock(st);
    if (r->kind == RULE_RECORD)
        rc = eval_record(g, r, rs, st, t, &out);
    else
        rc = eval_alert(g, r, rs, st, t, &out);
    store_read_unlock(st);
    /* A failed rule writes nothing and marks nothing stale. */
    if (rc == 0)
        write_samples(rs, st, t, &out);
    outvec_fini(&out);
    return rc;
}

size_t
rule_group_eval(struct rule_group *g, struct store *st, int64_t t)
{
    size_t failed = 0;

    for (size_t i = 0; i < g->def->nrules; i++)
        failed += rule_group_eval_rule(g, st, t, i) < 0;
    return failed;
}

const char *
rule_group_error(const struct rule_group *g, size_t i)
{
    return g->rules[i].error;
}

size_t
rule_group_alerts(const struct rule_group *g, size_t i,
                  const struct rule_alert **out)
{
    *out = g->rules[i].alerts;
    return g->rules[i].nalerts;
}

size_t
rule_group_due_alerts(struct rule_group *g, size_t i, int64_t t,
                      int64_t resend_ms, const struct rule_alert **out)
{
    struct rule_state *rs = &g->rules[i];
    int64_t delta = resend_ms > g->def->interval_ms ? resend_ms
                                                   : g->def->interval_ms;
    size_t n = 0;

    for (size_t j = 0; j < rs->nalerts; j++) {
        struct rule_alert *a = &rs->alerts[j];

        if (a->state == ALERT_PENDING)
            continue;
        if (a->sent && a->resolved_at <= a->last_sent_at &&
            a->last_sent_at + resend_ms >= t)
            continue;
        a->sent = true;
        a->last_sent_at = t;
        a->valid_until = t + 4 * delta;
        out[n++] = a;
    }
    return n;
}

const struct rule_group_def *
rule_group_def(const struct rule_group *g)
{
    return g->def;
}

/* A reload: the state moves, so alerts and staleness carry on. */
void
rule_group_move_state(struct rule_group *g, size_t i,
                      struct rule_group *from, size_t j)
{
    struct rule_state *dst = &g->rules[i], *src = &from->rules[j];

    free(dst->error);
    free(dst->written);
    for (size_t k = 0; k < dst->nalerts; k++)
        alert_release(&dst->alerts[k]);
    free(dst->alerts);
    *dst = *src;
    memset(src, 0, sizeof(*src));
    /* Only alerting rules keep alerts, as Prometheus copies them only
     * from one alerting rule to another. */
    if (g->def->rules[i].kind != RULE_ALERT) {
        for (size_t k = 0; k < dst->nalerts; k++)
            alert_release(&dst->alerts[k]);
        free(dst->alerts);
        dst->alerts = NULL;
        dst->nalerts = 0;
    }
}

void
rule_group_mark_stale(struct rule_group *g, size_t i, struct store *st,
                      int64_t t)
{
    struct rule_state *rs = &g->rules[i];

    for (size_t k = 0; k < rs->nwritten; k++)
        store_append(st, rs->written[k], t, store_stale_nan());
    free(rs->written);
    rs->written = NULL;
    rs->nwritten = 0;
}
