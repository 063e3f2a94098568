/*
 * Decoding of the API's "data" trees (web/api/v1/api.go's response
 * structs as Prometheus 2.42 writes them). Unknown fields are ignored, as
 * Grafana ignores them, so Thanos's and Mimir's additions pass; missing
 * required ones are errors naming the field. Native histograms
 * ("histogram", "histograms") are not read.
 */
#include "src/api/decode.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/duration.h"
#include "src/base/xalloc.h"

int
api_decode_value(const char *s, double *v)
{
    char *end;

    if (s == NULL || *s == '\0')
        return -1;
    /* strtod reads "NaN", "+Inf" and "-Inf" as well as Go's shortest
     * decimals, correctly rounded, so the value is the server's. */
    errno = 0;
    *v = strtod(s, &end);
    return *end == '\0' && (errno == 0 || errno == ERANGE) ? 0 : -1;
}

/* A string field, copied into a; "" when absent. */
static const char *
field(struct arena *a, const struct yaml_node *map, const char *key)
{
    const char *s = yaml_scalar(yaml_get(map, key));

    return arena_strdup(a, s != NULL && !yaml_is_null(yaml_get(map, key))
                           ? s : "");
}

static int
cmp_label(const void *a, const void *b)
{
    return strcmp(((const struct label *)a)->name,
                  ((const struct label *)b)->name);
}

/* A JSON object of label names to values into ls (sorted, in a). */
static int
decode_labels(struct arena *a, const struct yaml_node *n, struct labels *ls,
              char **err)
{
    size_t k = yaml_map_size(n);

    ls->n = 0;
    ls->v = arena_calloc(a, k + 1, sizeof(*ls->v));
    if (n == NULL || yaml_is_null(n))
        return 0;
    if (!yaml_is_map(n)) {
        *err = xasprintf("%d:%d: expected labels (an object), found %s",
                         n->line, n->col, yaml_kind_name(n));
        return -1;
    }
    for (size_t i = 0; i < k; i++) {
        const struct yaml_pair *p = yaml_map_at(n, i);
        const char *v = yaml_scalar(p->value);

        if (v == NULL) {
            *err = xasprintf("%d:%d: expected a label value (a string), "
                             "found %s", p->value->line, p->value->col,
                             yaml_kind_name(p->value));
            return -1;
        }
        ls->v[ls->n].name = arena_strdup(a, yaml_scalar(p->key));
        ls->v[ls->n++].value = arena_strdup(a, v);
    }
    qsort(ls->v, ls->n, sizeof(*ls->v), cmp_label);
    return 0;
}

/* [t, "v"] into a point. */
static int
decode_pair(const struct yaml_node *n, struct qpoint *p, char **err)
{
    const char *t, *v;

    if (!yaml_is_seq(n) || yaml_seq_size(n) != 2
        || (t = yaml_scalar(yaml_seq_at(n, 0))) == NULL
        || (v = yaml_scalar(yaml_seq_at(n, 1))) == NULL) {
        *err = xasprintf("%d:%d: expected a sample [time, \"value\"]",
                         n != NULL ? n->line : 0, n != NULL ? n->col : 0);
        return -1;
    }
    if (time_parse(t, &p->t) < 0 || api_decode_value(v, &p->v) < 0) {
        *err = xasprintf("%d:%d: bad sample [%s, \"%s\"]", n->line, n->col,
                         t, v);
        return -1;
    }
    return 0;
}

/* One series of a vector ("value") or matrix ("values"). */
static int
decode_series(struct qresult *r, const struct yaml_node *n,
              struct qseries *s, char **err)
{
    const struct yaml_node *vals;

    if (!yaml_is_map(n)) {
        *err = xasprintf("%d:%d: expected a series (an object)", n->line,
                         n->col);
        return -1;
    }
    if (decode_labels(r->arena, yaml_get(n, "metric"), &s->labels, err) < 0)
        return -1;
    if (r->type == QV_VECTOR) {
        s->points = arena_alloc(r->arena, sizeof(*s->points));
        s->npoints = 1;
        return decode_pair(yaml_get(n, "value"), &s->points[0], err);
    }
    vals = yaml_get(n, "values");
    if (vals != NULL && !yaml_is_seq(vals) && !yaml_is_null(vals)) {
        *err = xasprintf("%d:%d: expected \"values\" (a list)", vals->line,
                         vals->col);
        return -1;
    }
    s->npoints = yaml_seq_size(vals);
    s->points = arena_alloc(r->arena, (s->npoints + 1) * sizeof(*s->points));
    for (size_t i = 0; i < s->npoints; i++)
        if (decode_pair(yaml_seq_at(vals, i), &s->points[i], err) < 0)
            return -1;
    return 0;
}

/* A scalar or string result: [t, "v"]. */
static int
decode_scalar(struct qresult *r, const struct yaml_node *res, char **err)
{
    struct qpoint p;

    if (r->type == QV_STRING) {
        const char *t = yaml_scalar(yaml_seq_at(res, 0));
        const char *v = yaml_scalar(yaml_seq_at(res, 1));

        if (yaml_seq_size(res) != 2 || t == NULL || v == NULL
            || time_parse(t, &r->t) < 0) {
            *err = xstrdup("expected a string result [time, \"text\"]");
            return -1;
        }
        r->string = arena_strdup(r->arena, v);
        return 0;
    }
    if (decode_pair(res, &p, err) < 0)
        return -1;
    r->t = p.t;
    r->scalar = p.v;
    return 0;
}

/* The newest time in a vector or matrix, for qresult.t. */
static int64_t
newest(const struct qresult *r)
{
    int64_t t = 0;

    for (size_t i = 0; i < r->nseries; i++)
        for (size_t k = 0; k < r->series[i].npoints; k++)
            if (r->series[i].points[k].t > t)
                t = r->series[i].points[k].t;
    return t;
}

int
api_decode_result(const struct yaml_node *data, struct qresult **out,
                  char **err)
{
    static const char *const types[] = {
        [QV_SCALAR] = "scalar", [QV_VECTOR] = "vector",
        [QV_MATRIX] = "matrix", [QV_STRING] = "string",
    };
    const char *type = yaml_scalar(yaml_get(data, "resultType"));
    const struct yaml_node *res = yaml_get(data, "result");
    struct arena *a;
    struct qresult *r;
    int rc = 0;

    if (type == NULL || res == NULL) {
        *err = xstrdup("bad JSON: expected data with resultType and result");
        return -1;
    }
    a = arena_new();
    r = arena_calloc(a, 1, sizeof(*r));
    r->arena = a;
    for (int t = QV_SCALAR; t <= QV_STRING; t++)
        if (strcmp(type, types[t]) == 0)
            r->type = (enum qvalue_type)t;
    if (r->type == QV_NONE) {
        *err = xasprintf("unknown resultType \"%s\"", type);
        rc = -1;
    } else if (r->type == QV_SCALAR || r->type == QV_STRING) {
        rc = decode_scalar(r, res, err);
    } else if (!yaml_is_seq(res)) {
        *err = xstrdup("bad JSON: expected result to be a list");
        rc = -1;
    } else {
        r->nseries = yaml_seq_size(res);
        r->series = arena_calloc(a, r->nseries + 1, sizeof(*r->series));
        for (size_t i = 0; i < r->nseries && rc == 0; i++)
            rc = decode_series(r, yaml_seq_at(res, i), &r->series[i], err);
        r->t = newest(r);
    }
    if (rc < 0) {
        arena_free(a);
        return -1;
    }
    *out = r;
    return 0;
}

int
api_decode_strings(const struct yaml_node *data, struct api_strings *out,
                   char **err)
{
    memset(out, 0, sizeof(*out));
    if (!yaml_is_seq(data) && !yaml_is_null(data)) {
        *err = xasprintf("bad JSON: expected a list of strings, found %s",
                         yaml_kind_name(data));
        return -1;
    }
    out->arena = arena_new();
    out->v = arena_calloc(out->arena, yaml_seq_size(data) + 1,
                          sizeof(*out->v));
    for (size_t i = 0; i < yaml_seq_size(data); i++) {
        const char *s = yaml_scalar(yaml_seq_at(data, i));

        if (s != NULL)
            out->v[out->n++] = arena_strdup(out->arena, s);
    }
    return 0;
}

void
api_strings_fini(struct api_strings *s)
{
    arena_free(s->arena);
    memset(s, 0, sizeof(*s));
}

/* An RFC 3339 time field as ms; 0 when absent or Go's zero time. */
static int64_t
time_field(const struct yaml_node *map, const char *key)
{
    const char *s = yaml_scalar(yaml_get(map, key));
    int64_t ms;

    if (s == NULL || strncmp(s, "0001-01-01", 10) == 0
        || time_parse(s, &ms) < 0)
        return 0;
    return ms;
}

/* A number field; 0 when absent or not a number. */
static double
number_field(const struct yaml_node *map, const char *key)
{
    double v = 0;

    if (api_decode_value(yaml_scalar(yaml_get(map, key)), &v) < 0)
        return 0;
    return v;
}

static int
decode_target(struct arena *a, const struct yaml_node *n,
              struct api_target *t, char **err)
{
    const char *iv = yaml_scalar(yaml_get(n, "scrapeInterval"));

    if (decode_labels(a, yaml_get(n, "labels"), &t->labels, err) < 0
        || decode_labels(a, yaml_get(n, "discoveredLabels"), &t->discovered,
                         err) < 0)
        return -1;
    t->job = field(a, n, "scrapePool");
    t->instance = arena_strdup(a, labels_get(&t->labels, "instance")
                                  ? labels_get(&t->labels, "instance") : "");
    t->url = field(a, n, "scrapeUrl");
    t->health = field(a, n, "health");
    t->last_error = field(a, n, "lastError");
    t->last_scrape_ms = time_field(n, "lastScrape");
    t->last_duration_s = number_field(n, "lastScrapeDuration");
    if (iv == NULL || duration_parse(iv, strlen(iv), &t->interval_ms) < 0)
        t->interval_ms = 0;
    return 0;
}

int
api_decode_targets(const struct yaml_node *data, struct api_targets *out,
                   char **err)
{
    const struct yaml_node *act = yaml_get(data, "activeTargets");
    const struct yaml_node *drop = yaml_get(data, "droppedTargets");
    struct arena *a;

    memset(out, 0, sizeof(*out));
    if (!yaml_is_map(data) || (act != NULL && !yaml_is_seq(act)
                               && !yaml_is_null(act))) {
        *err = xstrdup("bad JSON: expected activeTargets");
        return -1;
    }
    a = out->arena = arena_new();
    out->active = arena_calloc(a, yaml_seq_size(act) + 1,
                               sizeof(*out->active));
    out->dropped = arena_calloc(a, yaml_seq_size(drop) + 1,
                                sizeof(*out->dropped));
    for (size_t i = 0; i < yaml_seq_size(act); i++)
        if (decode_target(a, yaml_seq_at(act, i),
                          &out->active[out->nactive++], err) < 0)
            goto fail;
    for (size_t i = 0; i < yaml_seq_size(drop); i++)
        if (decode_labels(a, yaml_get(yaml_seq_at(drop, i),
                                      "discoveredLabels"),
                          &out->dropped[out->ndropped++].discovered,
                          err) < 0)
            goto fail;
    return 0;
fail:
    api_targets_fini(out);
    return -1;
}

void
api_targets_fini(struct api_targets *t)
{
    arena_free(t->arena);
    memset(t, 0, sizeof(*t));
}

static int
decode_alert(struct arena *a, const struct yaml_node *n, struct api_alert *al,
             char **err)
{
    if (decode_labels(a, yaml_get(n, "labels"), &al->labels, err) < 0
        || decode_labels(a, yaml_get(n, "annotations"), &al->annotations,
                         err) < 0)
        return -1;
    al->state = field(a, n, "state");
    al->active_at_ms = time_field(n, "activeAt");
    al->keep_firing_since_ms = time_field(n, "keepFiringSince");
    al->value = number_field(n, "value");
    return 0;
}

/* A list of alerts into *v, *n (in a). */
static int
decode_alert_list(struct arena *a, const struct yaml_node *list,
                  struct api_alert **v, size_t *n, char **err)
{
    *n = 0;
    *v = arena_calloc(a, yaml_seq_size(list) + 1, sizeof(**v));
    for (size_t i = 0; i < yaml_seq_size(list); i++)
        if (decode_alert(a, yaml_seq_at(list, i), &(*v)[(*n)++], err) < 0)
            return -1;
    return 0;
}

int
api_decode_alerts(const struct yaml_node *data, struct api_alerts *out,
                  char **err)
{
    const struct yaml_node *list = yaml_get(data, "alerts");

    memset(out, 0, sizeof(*out));
    if (!yaml_is_seq(list) && !yaml_is_null(list)) {
        *err = xstrdup("bad JSON: expected alerts (a list)");
        return -1;
    }
    out->arena = arena_new();
    if (decode_alert_list(out->arena, list, &out->v, &out->n, err) < 0) {
        api_alerts_fini(out);
        return -1;
    }
    return 0;
}

void
api_alerts_fini(struct api_alerts *a)
{
    arena_free(a->arena);
    memset(a, 0, sizeof(*a));
}

static int
decode_rule(struct arena *a, const struct yaml_node *n, struct api_rule *r,
            char **err)
{
    const char *type = yaml_scalar(yaml_get(n, "type"));

    r->alerting = type != NULL && strcmp(type, "alerting") == 0;
    r->name = field(a, n, "name");
    r->query = field(a, n, "query");
    r->health = field(a, n, "health");
    r->last_error = field(a, n, "lastError");
    r->duration_s = number_field(n, "duration");
    r->keep_firing_for_s = number_field(n, "keepFiringFor");
    r->state = field(a, n, "state");
    r->eval_s = number_field(n, "evaluationTime");
    r->last_eval_ms = time_field(n, "lastEvaluation");
    if (decode_labels(a, yaml_get(n, "labels"), &r->labels, err) < 0
        || decode_labels(a, yaml_get(n, "annotations"), &r->annotations,
                         err) < 0)
        return -1;
    return decode_alert_list(a, yaml_get(n, "alerts"), &r->alerts,
                             &r->nalerts, err);
}

static int
decode_group(struct arena *a, const struct yaml_node *n, struct api_group *g,
             char **err)
{
    const struct yaml_node *rules = yaml_get(n, "rules");

    g->name = field(a, n, "name");
    g->file = field(a, n, "file");
    g->interval_s = number_field(n, "interval");
    g->eval_s = number_field(n, "evaluationTime");
    g->last_eval_ms = time_field(n, "lastEvaluation");
    g->rules = arena_calloc(a, yaml_seq_size(rules) + 1, sizeof(*g->rules));
    for (size_t i = 0; i < yaml_seq_size(rules); i++)
        if (decode_rule(a, yaml_seq_at(rules, i), &g->rules[g->nrules++],
                        err) < 0)
            return -1;
    return 0;
}

int
api_decode_rules(const struct yaml_node *data, struct api_groups *out,
                 char **err)
{
    const struct yaml_node *list = yaml_get(data, "groups");

    memset(out, 0, sizeof(*out));
    if (!yaml_is_seq(list) && !yaml_is_null(list)) {
        *err = xstrdup("bad JSON: expected groups (a list)");
        return -1;
    }
    out->arena = arena_new();
    out->v = arena_calloc(out->arena, yaml_seq_size(list) + 1,
                          sizeof(*out->v));
    for (size_t i = 0; i < yaml_seq_size(list); i++)
        if (decode_group(out->arena, yaml_seq_at(list, i), &out->v[out->n++],
                         err) < 0) {
            api_groups_fini(out);
            return -1;
        }
    return 0;
}

void
api_groups_fini(struct api_groups *g)
{
    arena_free(g->arena);
    memset(g, 0, sizeof(*g));
}

int
api_decode_metadata(const struct yaml_node *data,
                    struct api_metadata_list *out, char **err)
{
    memset(out, 0, sizeof(*out));
    if (!yaml_is_map(data) && !yaml_is_null(data)) {
        *err = xstrdup("bad JSON: expected metadata (an object)");
        return -1;
    }
    out->arena = arena_new();
    out->v = arena_calloc(out->arena, yaml_map_size(data) + 1,
                          sizeof(*out->v));
    for (size_t i = 0; i < yaml_map_size(data); i++) {
        const struct yaml_pair *p = yaml_map_at(data, i);
        const struct yaml_node *first = yaml_seq_at(p->value, 0);
        struct api_metadata *m;

        if (!yaml_is_seq(p->value) || yaml_seq_size(p->value) == 0)
            continue;
        m = &out->v[out->n++];
        m->metric = arena_strdup(out->arena, yaml_scalar(p->key));
        m->type = field(out->arena, first, "type");
        m->help = field(out->arena, first, "help");
        m->unit = field(out->arena, first, "unit");
    }
    return 0;
}

void
api_metadata_fini(struct api_metadata_list *m)
{
    arena_free(m->arena);
    memset(m, 0, sizeof(*m));
}

int
api_decode_scrape_interval(const struct yaml_node *data, int64_t *ms,
                           char **err)
{
    const char *text = yaml_scalar(yaml_get(data, "yaml"));
    const char *iv;
    struct yaml_node *cfg;
    struct diag d;
    int rc = 0;

    if (text == NULL) {
        *err = xstrdup("bad JSON: expected the config's yaml");
        return -1;
    }
    if ((cfg = yaml_load_buf("config", text, strlen(text), &d)) == NULL) {
        *err = xasprintf("the server's config: %d:%d: %s", d.line, d.col,
                         d.msg);
        return -1;
    }
    iv = yaml_scalar(yaml_get(yaml_get(cfg, "global"), "scrape_interval"));
    *ms = 60000;
    if (iv != NULL && duration_parse(iv, strlen(iv), ms) < 0) {
        *err = xasprintf("the server's scrape_interval \"%s\" is not a "
                         "duration", iv);
        rc = -1;
    }
    yaml_tree_free(cfg);
    return rc;
}
