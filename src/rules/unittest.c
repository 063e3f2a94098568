/*
 * promtool test rules, after cmd/promtool/unittest.go of Prometheus 2.42:
 * the same evaluation loop (every rule group at 0, interval, 2*interval, ...
 * up to the last eval_time; alerts checked at the evaluation that covers
 * their eval_time), the same comparisons and the same error texts. Input
 * series are loaded in full before the loop, which queries cannot tell
 * apart from promtool's loading them as time passes. The file is decoded
 * as strictly as promtool decodes it (unknown keys fail it); unlike
 * promtool, a test group needing more than UNITTEST_MAX_EVALS steps of
 * the loop is refused rather than run for hours.
 */
#include "src/rules/unittest.h"

#include <glob.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/rules/group.h"
#include "src/rules/notation.h"
#include "src/rules/rulefile.h"
#include "store/store.h"

#define MINUTE_MS 60000
#define MAX_RULE_ERRS 64

/* One test group's run: its store, its rule groups in evaluation order. */
struct run {
    const struct yaml_node *tg;     /* the test group's mapping */
    size_t index;                   /* its place in tests */
    int64_t eval_interval, interval;
    struct store *st;
    struct rulefile **files;
    size_t nfiles;
    const struct rule_group_def **defs;
    struct rule_group **groups;
    size_t ngroups;
    struct labels ext_labels;       /* the test group's external_labels */
    struct rule_group_opts opts;
    struct unittest_result *res;
};

static void
add_error(struct unittest_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
add_error(struct unittest_result *res, const char *fmt, ...)
{
    va_list ap;
    struct buf b;

    buf_init(&b, 0);
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    res->errors = xreallocarray(res->errors, res->n + 1,
                                sizeof(*res->errors));
    res->errors[res->n++] = buf_steal(&b);
}

void
unittest_result_fini(struct unittest_result *res)
{
    for (size_t i = 0; i < res->n; i++)
        free(res->errors[i]);
    free(res->errors);
    res->errors = NULL;
    res->n = 0;
}

/* A time.Duration as Go prints it: 0s, 59s, 1m0s, 24h0m0s, 1.5s. */
static void
go_duration(int64_t ms, char *out, size_t size)
{
    int64_t h = ms / 3600000, m = ms / MINUTE_MS % 60, s = ms / 1000 % 60;
    int64_t frac = ms % 1000;
    char sec[32];

    if (ms > 0 && ms < 1000) {
        snprintf(out, size, "%lldms", (long long)ms);
        return;
    }
    if (frac == 0)
        snprintf(sec, sizeof(sec), "%llds", (long long)s);
    else
        snprintf(sec, sizeof(sec), "%lld.%03lld", (long long)s,
                 (long long)frac);
    if (frac != 0) {
        size_t l = strlen(sec);

        while (sec[l - 1] == '0')
            sec[--l] = '\0';
        snprintf(sec + l, sizeof(sec) - l, "s");
    }
    if (h > 0)
        snprintf(out, size, "%lldh%lldm%s", (long long)h, (long long)m, sec);
    else if (m > 0)
        snprintf(out, size, "%lldm%s", (long long)m, sec);
    else
        snprintf(out, size, "%s", sec);
}

/* A model.Duration as Prometheus prints it (5m, 1d, 0s). */
static const char *
prom_duration(int64_t ms, char *out, size_t size)
{
    duration_format(ms, out, size);
    return out;
}

/* Go's strconv.FormatFloat(v, 'E', -1, 64): the shortest exact form. */
static void
go_float_e(double v, struct buf *out)
{
    char tmp[40];

    if (v != v) {
        buf_puts(out, "NaN");
        return;
    }
    if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
        buf_puts(out, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    for (int p = 0; p < 17; p++) {
        snprintf(tmp, sizeof(tmp), "%.*E", p, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    buf_puts(out, tmp);
}

/* A label set as Go's labels.Labels.String writes it: {a="b", c="d"}. */
static void
go_labels(const struct labels *ls, struct buf *out)
{
    buf_putc(out, '{');
    for (size_t i = 0; i < ls->n; i++) {
        buf_printf(out, "%s%s=\"", i > 0 ? ", " : "", ls->v[i].name);
        labels_escape(ls->v[i].value, out);
        buf_putc(out, '"');
    }
    buf_putc(out, '}');
}

/* A string as Go's %q writes it (the escapes PromQL strings share). */
static char *
go_quote(const char *s)
{
    struct buf b;

    buf_init(&b, 0);
    buf_putc(&b, '"');
    labels_escape(s, &b);
    buf_putc(&b, '"');
    return buf_steal(&b);
}

static const char *
str_or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* A duration field, or dflt when absent; -1 after an error. */
static int
get_duration(const struct yaml_node *n, int64_t dflt, int64_t *ms,
             struct unittest_result *res)
{
    struct diag d;

    *ms = dflt;
    if (n == NULL || yaml_is_null(n))
        return 0;
    diag_clear(&d);
    if (yaml_get_duration(n, ms, &d) == 0)
        return 0;
    add_error(res, "%s:%d:%d: %s", n->source, d.line, d.col, d.msg);
    return -1;
}

/*
 * Loads input_series into the store, "series values" as promtool's lazy
 * loader reads each line, the samples interval apart.
 */
static int
load_series(struct run *r)
{
    const struct yaml_node *in = yaml_get(r->tg, "input_series");
    char err[200];
    int col;

    for (size_t i = 0; i < yaml_seq_size(in); i++) {
        const struct yaml_node *s = yaml_seq_at(in, i);
        const char *series = yaml_scalar(yaml_get(s, "series"));
        const char *values = yaml_scalar(yaml_get(s, "values"));
        char *line = xasprintf("%s %s", str_or_empty(series),
                               str_or_empty(values));
        struct notation_series ns;
        uint32_t id;

        if (notation_parse_line(line, 1, r->interval, &ns, err,
                                sizeof(err)) < 0) {
            free(line);
            if (sscanf(err, "column %d: ", &col) == 1)
                add_error(r->res, "1:%d: parse error: %s", col,
                          strchr(err, ':') + 2);
            else
                add_error(r->res, "%s", err);
            return -1;
        }
        free(line);
        id = store_series_id(r->st, &ns.ls);
        for (size_t k = 0; k < ns.n; k++)
            store_append(r->st, id, ns.v[k].t, ns.v[k].v);
        notation_series_fini(&ns);
    }
    return 0;
}

/* Each load error as its own error text, decoding errors as one. */
static void
rulefile_errors(struct run *r, const char *path,
                const struct rulefile_err *errs, size_t n)
{
    struct buf b;
    bool yaml = false;

    for (size_t i = 0; i < n; i++)
        yaml |= errs[i].kind == RULEFILE_ERR_YAML;
    for (size_t i = 0; i < n; i++) {
        buf_init(&b, 0);
        rulefile_errors_text(path, yaml ? errs : &errs[i], yaml ? n : 1,
                             &b);
        if (b.len > 0)
            b.data[--b.len] = '\0';
        add_error(r->res, "%s", buf_str(&b));
        buf_fini(&b);
        if (yaml)
            break;
    }
}

/* Loads one rule file (a path already resolved); -1 after errors. */
static int
load_rule_file(struct run *r, const char *path)
{
    struct rulefile_err *errs = xcalloc(MAX_RULE_ERRS, sizeof(*errs));
    size_t nerrs = 0;
    struct rulefile *rf = rulefile_load(path, r->interval, errs,
                                        MAX_RULE_ERRS, &nerrs);

    if (rf == NULL)
        rulefile_errors(r, path, errs, nerrs);
    else {
        r->files = xreallocarray(r->files, r->nfiles + 1, sizeof(*r->files));
        r->files[r->nfiles++] = rf;
    }
    free(errs);
    return rf == NULL ? -1 : 0;
}

/* rule_files, relative to the test file's folder and globbed. */
static int
load_rule_files(struct run *r, const struct yaml_node *list, const char *dir)
{
    int rc = 0;

    for (size_t i = 0; i < yaml_seq_size(list); i++) {
        const char *f = yaml_scalar(yaml_seq_at(list, i));
        char *path;
        glob_t g;

        if (f == NULL)
            continue;
        path = f[0] == '/' || strcmp(dir, ".") == 0
                   ? xstrdup(f) : xasprintf("%s/%s", dir, f);
        if (glob(path, GLOB_NOCHECK, NULL, &g) == 0) {
            for (size_t k = 0; k < g.gl_pathc; k++)
                rc |= load_rule_file(r, g.gl_pathv[k]);
            globfree(&g);
        }
        free(path);
    }
    return rc;
}

/* The groups, ordered by group_eval_order (the rest first, in file order,
 * as the order map gives them index 0). */
static void
order_groups(struct run *r, const struct yaml_node *order)
{
    size_t n = 0;

    for (size_t f = 0; f < r->nfiles; f++)
        n += r->files[f]->ngroups;
    r->defs = xcalloc(n + 1, sizeof(*r->defs));
    r->groups = xcalloc(n + 1, sizeof(*r->groups));
    for (size_t f = 0; f < r->nfiles; f++)
        for (size_t g = 0; g < r->files[f]->ngroups; g++)
            r->defs[r->ngroups++] = &r->files[f]->groups[g];
    /* A stable insertion sort by position in group_eval_order. */
    for (size_t i = 1; i < n; i++) {
        const struct rule_group_def *d = r->defs[i];
        size_t rank = 0, j = i;

        for (size_t k = 0; k < yaml_seq_size(order); k++)
            if (strcmp(str_or_empty(yaml_scalar(yaml_seq_at(order, k))),
                       d->name) == 0)
                rank = k;
        while (j > 0) {
            size_t prev = 0;

            for (size_t k = 0; k < yaml_seq_size(order); k++)
                if (strcmp(str_or_empty(yaml_scalar(yaml_seq_at(order, k))),
                           r->defs[j - 1]->name) == 0)
                    prev = k;
            if (prev <= rank)
                break;
            r->defs[j] = r->defs[j - 1];
            j--;
        }
        r->defs[j] = d;
    }
    for (size_t i = 0; i < n; i++) {
        r->groups[i] = rule_group_new(r->defs[i]);
        rule_group_set_opts(r->groups[i], &r->opts);
    }
}

/* One alert as promtool compares them: labels, then annotations. */
struct la {
    struct labels labels, annotations;
};

static int
la_cmp(const void *a, const void *b)
{
    const struct la *x = a, *y = b;
    int c = labels_cmp(&x->labels, &y->labels);

    return c != 0 ? c : labels_cmp(&x->annotations, &y->annotations);
}

/* labelsAndAnnotations.String(), indented as unittest.go indents it. */
static void
la_list_text(const struct la *v, size_t n, struct buf *out)
{
    const char *ind = "\n            ";

    if (n == 0) {
        buf_puts(out, "[]");
        return;
    }
    buf_puts(out, "[");
    for (size_t i = 0; i < n; i++) {
        buf_printf(out, "%s%s%zu:%s  Labels:", i > 0 ? "," : "", ind, i,
                   ind);
        go_labels(&v[i].labels, out);
        buf_printf(out, "%s  Annotations:", ind);
        go_labels(&v[i].annotations, out);
    }
    buf_printf(out, "%s]", ind);
}

static void
la_free(struct la *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        labels_release(&v[i].labels);
        labels_release(&v[i].annotations);
    }
    free(v);
}

/*
 * A map of strings into an owned, sorted set. Empty values stay, as
 * labels.FromMap keeps them (an empty expected annotation matches an
 * annotation that expanded to nothing).
 */
static void
map_labels(const struct yaml_node *m, struct labels *out)
{
    for (size_t i = 0; i < yaml_map_size(m); i++) {
        const struct yaml_pair *p = yaml_map_at(m, i);
        const char *v = yaml_scalar(p->value);

        if (yaml_scalar(p->key) != NULL)
            labels_put(out, yaml_scalar(p->key), v != NULL ? v : "");
    }
    labels_sort(out);
}

/* The firing alerts of every alerting rule named name, in all groups. */
static void
firing_alerts(const struct run *r, const char *name, struct la **out,
              size_t *n)
{
    for (size_t g = 0; g < r->ngroups; g++)
        for (size_t i = 0; i < r->defs[g]->nrules; i++) {
            const struct rule_def *rd = &r->defs[g]->rules[i];
            const struct rule_alert *a;
            size_t na;

            if (rd->kind != RULE_ALERT || strcmp(rd->name, name) != 0)
                continue;
            na = rule_group_alerts(r->groups[g], i, &a);
            for (size_t k = 0; k < na; k++) {
                if (a[k].state != ALERT_FIRING)
                    continue;
                *out = xreallocarray(*out, *n + 1, sizeof(**out));
                labels_dup(&(*out)[*n].labels, &a[k].labels);
                labels_dup(&(*out)[*n].annotations, &a[k].annotations);
                (*n)++;
            }
        }
}

/* The expected alerts of one alert_rule_test entry. */
static size_t
expected_alerts(const struct yaml_node *at, const char *name, struct la **out)
{
    const struct yaml_node *exp = yaml_get(at, "exp_alerts");
    size_t n = yaml_seq_size(exp);

    *out = xcalloc(n + 1, sizeof(**out));
    for (size_t i = 0; i < n; i++) {
        const struct yaml_node *e = yaml_seq_at(exp, i);

        map_labels(yaml_get(e, "exp_labels"), &(*out)[i].labels);
        labels_put(&(*out)[i].labels, "alertname", name);
        labels_sort(&(*out)[i].labels);
        map_labels(yaml_get(e, "exp_annotations"), &(*out)[i].annotations);
    }
    return n;
}

static bool
la_equal(const struct la *a, size_t na, const struct la *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (la_cmp(&a[i], &b[i]) != 0)
            return false;
    return true;
}

/* One alert_rule_test entry against the alerts of the evaluation. */
static void
check_alert_test(struct run *r, const struct yaml_node *at, int64_t t)
{
    const char *name = yaml_scalar(yaml_get(at, "alertname"));
    const char *tname = yaml_scalar(yaml_get(r->tg, "name"));
    struct la *got = NULL, *exp;
    size_t ngot = 0, nexp;
    char dur[32];
    struct buf b;

    if (name == NULL)
        name = "";
    prom_duration(t, dur, sizeof(dur));
    firing_alerts(r, name, &got, &ngot);
    nexp = expected_alerts(at, name, &exp);
    if (ngot > 1)
        qsort(got, ngot, sizeof(*got), la_cmp);
    if (nexp > 1)
        qsort(exp, nexp, sizeof(*exp), la_cmp);
    if (!la_equal(exp, nexp, got, ngot)) {
        buf_init(&b, 0);
        if (tname != NULL && *tname != '\0')
            buf_printf(&b, "    name: %s,\n", tname);
        buf_printf(&b, "    alertname: %s, time: %s, \n        exp:", name,
                   dur);
        la_list_text(exp, nexp, &b);
        buf_puts(&b, ", \n        got:");
        la_list_text(got, ngot, &b);
        add_error(r->res, "%s", buf_str(&b));
        buf_fini(&b);
    }
    la_free(got, ngot);
    la_free(exp, nexp);
}

/* Checks every alert test whose eval_time falls in [ts, ts + interval). */
static void
check_alerts_at(struct run *r, int64_t ts)
{
    const struct yaml_node *tests = yaml_get(r->tg, "alert_rule_test");

    for (size_t i = 0; i < yaml_seq_size(tests); i++) {
        const struct yaml_node *at = yaml_seq_at(tests, i);
        int64_t t;
        struct unittest_result scratch = { NULL, 0 };

        if (get_duration(yaml_get(at, "eval_time"), 0, &t, &scratch) < 0) {
            unittest_result_fini(&scratch);
            continue;
        }
        if (ts <= t && t < ts + r->eval_interval)
            check_alert_test(r, at, t);
    }
}

/*
 * The last eval_time of any test, and which test asks for it (list and
 * index; *list stays NULL when there are none); every one must be a
 * duration.
 */
static int
max_eval_time(struct run *r, int64_t *maxt, const char **list, size_t *at)
{
    static const char *const lists[] = { "alert_rule_test",
                                         "promql_expr_test" };
    int64_t t;

    *maxt = 0;
    *list = NULL;
    *at = 0;
    for (size_t l = 0; l < 2; l++) {
        const struct yaml_node *tests = yaml_get(r->tg, lists[l]);

        for (size_t i = 0; i < yaml_seq_size(tests); i++) {
            if (get_duration(yaml_get(yaml_seq_at(tests, i), "eval_time"),
                             0, &t, r->res) < 0)
                return -1;
            if (*list == NULL || t > *maxt) {
                *maxt = t;
                *list = lists[l];
                *at = i;
            }
        }
    }
    return 0;
}

/*
 * promtool evaluates every rule group from 0 up to the last eval_time,
 * however many steps that takes (106700d at 1m is 153 million); past
 * UNITTEST_MAX_EVALS steps the test group is refused instead, naming the
 * test that asks for it.
 */
static int
check_eval_count(struct run *r, int64_t maxt, const char *list, size_t at)
{
    const char *name = yaml_scalar(yaml_get(r->tg, "name"));
    int64_t steps = maxt / r->eval_interval + 1;
    char t[32], every[32];

    if (steps <= UNITTEST_MAX_EVALS)
        return 0;
    add_error(r->res, "    tests[%zu]%s%s%s, %s[%zu]: eval_time %s needs "
              "%lld evaluations of the rule groups (one every %s from 0s), "
              "more than promdeck's limit of %d",
              r->index, name != NULL ? " (name: " : "",
              name != NULL ? name : "", name != NULL ? ")" : "", list, at,
              prom_duration(maxt, t, sizeof(t)), (long long)steps,
              prom_duration(r->eval_interval, every, sizeof(every)),
              UNITTEST_MAX_EVALS);
    return -1;
}

/*
 * The evaluation loop: every group at each step, rule errors end the test
 * group at once (as promtool does), alert tests checked as time passes.
 */
static int
eval_loop(struct run *r)
{
    int64_t maxt;
    size_t before, at;
    const char *list;
    char dur[96];

    if (max_eval_time(r, &maxt, &list, &at) < 0 ||
        check_eval_count(r, maxt, list, at) < 0)
        return -1;
    for (int64_t ts = 0; ts <= maxt; ts += r->eval_interval) {
        before = r->res->n;
        for (size_t g = 0; g < r->ngroups; g++) {
            rule_group_eval(r->groups[g], r->st, ts);
            for (size_t i = 0; i < r->defs[g]->nrules; i++) {
                const char *e = rule_group_error(r->groups[g], i);

                if (e == NULL)
                    continue;
                go_duration(ts, dur, sizeof(dur));
                add_error(r->res, "    rule: %s, time: %s, err: %s",
                          r->defs[g]->rules[i].name, dur, e);
            }
        }
        if (r->res->n > before)
            return -1;
        check_alerts_at(r, ts);
    }
    return 0;
}

/* A result or expectation sample: its labels (owned) and value. */
struct ps {
    struct labels labels;
    double v;
};

static int
ps_cmp(const void *a, const void *b)
{
    return labels_cmp(&((const struct ps *)a)->labels,
                      &((const struct ps *)b)->labels);
}

static void
ps_free(struct ps *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        labels_release(&v[i].labels);
    free(v);
}

/* parsedSamplesString: "nil", or "{...} 1E+00, {...} 2E+00". */
static void
ps_text(const struct ps *v, size_t n, struct buf *out)
{
    if (n == 0)
        buf_puts(out, "nil");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_puts(out, ", ");
        go_labels(&v[i].labels, out);
        buf_putc(out, ' ');
        go_float_e(v[i].v, out);
    }
}

/* The query's samples at t; -1 with the error text in err. */
static int
query_samples(struct run *r, const char *expr, int64_t t, struct ps **out,
              size_t *n, struct buf *err)
{
    struct diag d;
    struct query *q;
    struct qresult *res;

    diag_clear(&d);
    *out = NULL;
    *n = 0;
    q = qparse_query(expr, strlen(expr), &d);
    if (q == NULL) {
        buf_printf(err, "%d:%d: parse error: %s", d.line, d.col, d.msg);
        return -1;
    }
    res = qeval_instant(q, r->st, t, &d);
    qparse_free(q);
    if (res == NULL || (res->type != QV_VECTOR && res->type != QV_SCALAR)) {
        buf_puts(err, res == NULL ? d.msg
                                  : "rule result is not a vector or scalar");
        qresult_free(res);
        return -1;
    }
    *n = res->type == QV_SCALAR ? 1 : res->nseries;
    *out = xcalloc(*n + 1, sizeof(**out));
    for (size_t i = 0; i < *n && res->type == QV_VECTOR; i++) {
        labels_dup(&(*out)[i].labels, &res->series[i].labels);
        (*out)[i].v = res->series[i].points[res->series[i].npoints - 1].v;
    }
    if (res->type == QV_SCALAR)
        (*out)[0].v = res->scalar;
    qresult_free(res);
    return 0;
}

/* The exp_samples; -1 with the error text in err on bad labels. */
static int
expected_samples(const struct yaml_node *list, struct ps **out, size_t *n,
                 struct buf *err)
{
    char msg[200];
    struct diag d;

    *n = yaml_seq_size(list);
    *out = xcalloc(*n + 1, sizeof(**out));
    for (size_t i = 0; i < *n; i++) {
        const struct yaml_node *e = yaml_seq_at(list, i);
        const char *ls = yaml_scalar(yaml_get(e, "labels"));
        struct notation_series ns;
        char *line;

        diag_clear(&d);
        if (yaml_get_double(yaml_get(e, "value"), &(*out)[i].v, &d) < 0)
            (*out)[i].v = 0;
        if (ls == NULL || *ls == '\0')
            continue;
        line = xasprintf("%s 0", ls);
        if (notation_parse_line(line, 1, 1, &ns, msg, sizeof(msg)) < 0) {
            free(line);
            buf_printf(err, "labels \"%s\": %s", ls, msg);
            return -1;
        }
        free(line);
        (*out)[i].labels = ns.ls;
        ns.ls.v = NULL;
        ns.ls.n = 0;
        notation_series_fini(&ns);
    }
    return 0;
}

static bool
ps_equal(const struct ps *a, size_t na, const struct ps *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!labels_equal(&a[i].labels, &b[i].labels) || a[i].v != b[i].v)
            return false;
    return true;
}

/* One promql_expr_test entry. */
static void
check_expr_test(struct run *r, const struct yaml_node *et)
{
    const char *expr = yaml_scalar(yaml_get(et, "expr"));
    struct ps *got = NULL, *exp = NULL;
    size_t ngot = 0, nexp = 0;
    int64_t t;
    char dur[32], *q;
    struct buf err, b;

    if (get_duration(yaml_get(et, "eval_time"), 0, &t, r->res) < 0)
        return;
    q = go_quote(expr != NULL ? expr : "");
    prom_duration(t, dur, sizeof(dur));
    buf_init(&err, 0);
    buf_init(&b, 0);
    if (query_samples(r, expr != NULL ? expr : "", t, &got, &ngot,
                      &err) < 0 ||
        expected_samples(yaml_get(et, "exp_samples"), &exp, &nexp,
                         &err) < 0) {
        add_error(r->res, "    expr: %s, time: %s, err: %s", q, dur,
                  buf_str(&err));
    } else {
        if (ngot > 1)
            qsort(got, ngot, sizeof(*got), ps_cmp);
        if (nexp > 1)
            qsort(exp, nexp, sizeof(*exp), ps_cmp);
        if (!ps_equal(exp, nexp, got, ngot)) {
            buf_printf(&b, "    expr: %s, time: %s,\n        exp: ", q, dur);
            ps_text(exp, nexp, &b);
            buf_puts(&b, "\n        got: ");
            ps_text(got, ngot, &b);
            add_error(r->res, "%s", buf_str(&b));
        }
    }
    ps_free(got, ngot);
    ps_free(exp, nexp);
    buf_fini(&err);
    buf_fini(&b);
    free(q);
}

static void
run_fini(struct run *r)
{
    for (size_t g = 0; g < r->ngroups; g++)
        rule_group_free(r->groups[g]);
    free(r->groups);
    free(r->defs);
    for (size_t f = 0; f < r->nfiles; f++)
        rulefile_free(r->files[f]);
    free(r->files);
    store_free(r->st);
    labels_release(&r->ext_labels);
}

/* One entry of tests: load, evaluate, compare (testGroup.test). */
static void
run_test_group(const struct yaml_node *root, size_t index,
               int64_t eval_interval, const char *dir,
               struct unittest_result *res)
{
    struct run r = { .tg = yaml_seq_at(yaml_get(root, "tests"), index),
                     .index = index, .eval_interval = eval_interval,
                     .res = res };
    const struct yaml_node *tg = r.tg;
    const struct yaml_node *pt = yaml_get(tg, "promql_expr_test");

    if (get_duration(yaml_get(tg, "interval"), eval_interval, &r.interval,
                     res) < 0)
        return;
    if (r.interval <= 0)
        r.interval = eval_interval;
    r.st = store_new(0, 0);
    map_labels(yaml_get(tg, "external_labels"), &r.ext_labels);
    r.opts.external_labels = &r.ext_labels;
    r.opts.external_url = yaml_scalar(yaml_get(tg, "external_url"));
    if (load_series(&r) == 0 &&
        load_rule_files(&r, yaml_get(root, "rule_files"), dir) == 0) {
        order_groups(&r, yaml_get(root, "group_eval_order"));
        if (eval_loop(&r) == 0)
            for (size_t i = 0; i < yaml_seq_size(pt); i++)
                check_expr_test(&r, yaml_seq_at(pt, i));
    }
    run_fini(&r);
}

/*
 * The fields of each struct promtool decodes a test file into, and the
 * struct (if any) under each field: promtool decodes strictly, so an
 * unknown key anywhere fails the whole file before any test runs.
 */
struct schema {
    const char *type;                   /* Go's name, for the message */
    const char *const *keys;
    const struct schema *const *under;  /* per key; NULL: a plain value */
};

static const struct schema sample_schema = {
    "main.sample", (const char *const[]){ "labels", "value", NULL },
    (const struct schema *const[]){ NULL, NULL },
};
static const struct schema promql_schema = {
    "main.promqlTestCase",
    (const char *const[]){ "expr", "eval_time", "exp_samples", NULL },
    (const struct schema *const[]){ NULL, NULL, &sample_schema },
};
static const struct schema alert_schema = {
    "main.alert",
    (const char *const[]){ "exp_labels", "exp_annotations", NULL },
    (const struct schema *const[]){ NULL, NULL },
};
static const struct schema alert_test_schema = {
    "main.alertTestCase",
    (const char *const[]){ "eval_time", "alertname", "exp_alerts", NULL },
    (const struct schema *const[]){ NULL, NULL, &alert_schema },
};
static const struct schema series_schema = {
    "main.series", (const char *const[]){ "series", "values", NULL },
    (const struct schema *const[]){ NULL, NULL },
};
static const struct schema group_schema = {
    "main.testGroup",
    (const char *const[]){ "interval", "input_series", "alert_rule_test",
                           "promql_expr_test", "external_labels",
                           "external_url", "name", NULL },
    (const struct schema *const[]){ NULL, &series_schema,
                                    &alert_test_schema, &promql_schema,
                                    NULL, NULL, NULL },
};
static const struct schema file_schema = {
    "main.unitTestFile",
    (const char *const[]){ "rule_files", "evaluation_interval",
                           "group_eval_order", "tests", NULL },
    (const struct schema *const[]){ NULL, NULL, NULL, &group_schema },
};

/*
 * Appends a line per unknown key of the mapping n to out, in document
 * order as promtool's decoder meets them (every struct under a field is
 * an item of a list).
 */
static void
unknown_keys(const struct yaml_node *n, const struct schema *sc,
             struct buf *out)
{
    for (size_t i = 0; i < yaml_map_size(n); i++) {
        const struct yaml_pair *p = yaml_map_at(n, i);
        const char *name = yaml_scalar(p->key);
        size_t k = 0;

        while (sc->keys[k] != NULL &&
               (name == NULL || strcmp(sc->keys[k], name) != 0))
            k++;
        if (sc->keys[k] == NULL)
            buf_printf(out, "\n  line %d: field %s not found in type %s",
                       p->key->line, name != NULL ? name : "?", sc->type);
        else if (sc->under[k] != NULL && yaml_is_seq(p->value))
            for (size_t j = 0; j < yaml_seq_size(p->value); j++)
                unknown_keys(yaml_seq_at(p->value, j), sc->under[k], out);
    }
}

/* promtool's strict decoding: one error listing every unknown key. */
static int
check_keys(const struct yaml_node *root, struct unittest_result *res)
{
    struct buf b;
    int rc = 0;

    buf_init(&b, 0);
    unknown_keys(root, &file_schema, &b);
    if (b.len > 0) {
        add_error(res, "yaml: unmarshal errors:%s", buf_str(&b));
        rc = -1;
    }
    buf_fini(&b);
    return rc;
}

int
unittest_run(const char *path, struct unittest_result *res)
{
    struct diag d;
    struct yaml_node *root;
    int64_t eval_interval;
    const struct yaml_node *tests;
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');

    res->errors = NULL;
    res->n = 0;
    if (slash != NULL)
        *slash = '\0';
    diag_clear(&d);
    root = yaml_load_file(path, &d);
    if (root == NULL)
        add_error(res, "%s", d.msg);
    else if (yaml_is_map(root) && check_keys(root, res) == 0 &&
             get_duration(yaml_get(root, "evaluation_interval"), MINUTE_MS,
                          &eval_interval, res) == 0) {
        if (eval_interval <= 0)
            eval_interval = MINUTE_MS;
        tests = yaml_get(root, "tests");
        for (size_t i = 0; i < yaml_seq_size(tests); i++)
            run_test_group(root, i, eval_interval,
                           slash != NULL ? dir : ".", res);
    }
    yaml_tree_free(root);
    free(dir);
    return res->n == 0 ? 0 : -1;
}
