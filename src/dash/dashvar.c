/*
 * Grafana's variable queries against promdeck's store. The query forms
 * are recognised with the patterns Grafana's Prometheus source uses
 * (label_values' label is the last name before ')', so a selector may
 * hold commas), and a variable's regex runs with JavaScript's rules
 * (src/base/regex.h's search flavour). Selectors are evaluated at now:
 * promdeck holds recent data, where Grafana asks for a whole time range.
 */
#include "src/dash/dashvar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/json.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "src/dash/dashmodel.h"

/* The query forms, as Grafana matches them (the s flag lets a query run
 * over several lines). ORDER dashvar_kind. */
static const char *const forms[] = {
    "^label_names\\((.*)\\)\\s*$",
    "^label_values\\((?:(.+),\\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\\)\\s*$",
    "^metrics\\((.+)\\)\\s*$",
    "^query_result\\((.+)\\)\\s*$",
};

void
dashvar_query_fini(struct dashvar_query *q)
{
    free(q->expr);
    free(q->arg);
    qparse_free(q->compiled);
    regex_free(q->re);
    memset(q, 0, sizeof(*q));
}

void
dashvar_list_fini(struct dashvar_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void
list_add(struct dashvar_list *l, char *s)
{
    l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = s;
}

/* Group g of re's last match in s, malloc'd, or NULL when unset. */
static char *
group(const struct regex *re, const char *s, int g)
{
    size_t a, b;

    return regex_group(re, g, &a, &b) ? xstrndup(s + a, b - a) : NULL;
}

/* Which form text takes, its groups into q; DASHVAR_SERIES for none. */
static void
match_form(const char *text, struct dashvar_query *q)
{
    struct diag d;

    q->kind = DASHVAR_SERIES;
    for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
        struct regex *re = regex_new_search(forms[k], REGEX_DOTALL, &d);

        if (re != NULL && regex_search(re, text, strlen(text), 0)) {
            q->kind = (enum dashvar_kind)k;
            q->expr = k != DASHVAR_METRICS ? group(re, text, 1) : NULL;
            q->arg = k == DASHVAR_LABEL_VALUES ? group(re, text, 2)
                     : k == DASHVAR_METRICS ? group(re, text, 1) : NULL;
        }
        regex_free(re);
        if (q->kind != DASHVAR_SERIES)
            return;
    }
    q->expr = xstrdup(text);
}

/*
 * query = "label_names(" [ selector ] ")"
 *       | "label_values(" [ selector "," ] label ")"
 *       | "metrics(" regex ")" | "query_result(" expr ")" | selector
 */
int
dashvar_parse(const char *text, struct dashvar_query *q, char **err)
{
    struct diag d;

    memset(q, 0, sizeof(*q));
    while (isspace((unsigned char)*text))
        text++;
    match_form(text, q);
    if (q->expr != NULL && *q->expr == '\0') {
        free(q->expr);
        q->expr = NULL;
    }
    if (q->expr == NULL && (q->kind == DASHVAR_SERIES
                            || q->kind == DASHVAR_QUERY_RESULT)) {
        *err = xstrdup("expected a PromQL expression");
        dashvar_query_fini(q);
        return -1;
    }
    diag_clear(&d);
    if (q->expr != NULL
        && (q->compiled = qparse_query(q->expr, strlen(q->expr), &d))
           == NULL) {
        *err = xasprintf("%d:%d: %s", d.line, d.col, d.msg);
        dashvar_query_fini(q);
        return -1;
    }
    if (q->kind == DASHVAR_METRICS
        && (q->re = regex_new_search(q->arg, 0, &d)) == NULL) {
        *err = xstrdup(d.msg);
        dashvar_query_fini(q);
        return -1;
    }
    return 0;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts l and drops repeats, as Prometheus's label APIs answer. */
static void
sort_unique(struct dashvar_list *l)
{
    size_t k = 0;

    if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), cmp_str);
    for (size_t i = 0; i < l->n; i++) {
        if (k > 0 && strcmp(l->v[k - 1], l->v[i]) == 0)
            free(l->v[i]);
        else
            l->v[k++] = l->v[i];
    }
    l->n = k;
}

/* Copies borrowed strings into l (optionally those re finds). */
static void
add_all(struct dashvar_list *l, const char **v, size_t n, struct regex *re)
{
    for (size_t i = 0; i < n; i++)
        if (re == NULL || regex_search(re, v[i], strlen(v[i]), 0))
            list_add(l, xstrdup(v[i]));
}

/* name{a="x",b="y"}, Grafana's text for a series (no name: {...}). */
static void
series_text(const struct labels *ls, struct buf *b)
{
    const char *name = labels_get(ls, "__name__");
    bool first = true;

    buf_puts(b, name != NULL ? name : "");
    buf_putc(b, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].name, "__name__") == 0)
            continue;
        buf_printf(b, "%s%s=\"%s\"", first ? "" : ",", ls->v[i].name,
                   ls->v[i].value);
        first = false;
    }
    buf_putc(b, '}');
}

/* query_result's text: the series, its value as Prometheus's API writes
 * it and the time in ms as JavaScript computes seconds * 1000. */
static char *
result_text(const struct qseries *s, int64_t t)
{
    struct buf b;

    buf_init(&b, 0);
    series_text(&s->labels, &b);
    buf_putc(&b, ' ');
    json_format_value(s->points[0].v, &b);
    buf_putc(&b, ' ');
    json_format_value((double)t / 1000 * 1000, &b);
    return buf_steal(&b);
}

/* One value per series (or per label) of an instant result. */
static void
from_result(const struct dashvar_query *q, const struct qresult *r,
            struct dashvar_list *l)
{
    for (size_t i = 0; i < r->nseries; i++) {
        const struct qseries *s = &r->series[i];
        const char *v = q->arg != NULL ? labels_get(&s->labels, q->arg)
                                       : NULL;
        struct buf b;

        if (q->kind == DASHVAR_LABEL_VALUES && v != NULL) {
            list_add(l, xstrdup(v));
        } else if (q->kind == DASHVAR_LABEL_NAMES) {
            for (size_t j = 0; j < s->labels.n; j++)
                list_add(l, xstrdup(s->labels.v[j].name));
        } else if (q->kind == DASHVAR_QUERY_RESULT && s->npoints > 0) {
            list_add(l, result_text(s, r->t));
        } else if (q->kind == DASHVAR_SERIES) {
            buf_init(&b, 0);
            series_text(&s->labels, &b);
            list_add(l, buf_steal(&b));
        }
    }
}

/* A scalar or string query_result is its one value. */
static void
from_scalar(const struct qresult *r, struct dashvar_list *l)
{
    struct buf b;

    buf_init(&b, 0);
    if (r->type == QV_SCALAR)
        json_format_value(r->scalar, &b);
    else
        buf_puts(&b, r->string != NULL ? r->string : "");
    list_add(l, buf_steal(&b));
}

/* Values from the store's index, where no PromQL is involved. */
static bool
from_index(const struct dashvar_query *q, const struct store *st,
           struct dashvar_list *out)
{
    const char **v = NULL;
    size_t n;

    if (q->kind == DASHVAR_LABEL_NAMES && q->compiled == NULL)
        n = store_label_names(st, &v);
    else if (q->kind == DASHVAR_LABEL_VALUES && q->compiled == NULL)
        n = store_label_values(st, q->arg, &v);
    else if (q->kind == DASHVAR_METRICS)
        n = store_label_values(st, "__name__", &v);
    else
        return false;
    add_all(out, v, n, q->kind == DASHVAR_METRICS ? q->re : NULL);
    free(v);
    return true;
}

int
dashvar_run(const struct dashvar_query *q, const struct store *st,
            int64_t now_ms, struct qeval_ctl *ctl, struct dashvar_list *out,
            char **err)
{
    struct qresult *r;
    struct diag d;

    if (from_index(q, st, out))
        return 0;
    diag_clear(&d);
    if ((r = qeval_instant_ctl(q->compiled, st, now_ms, ctl, &d)) == NULL) {
        *err = xstrdup(d.msg);
        return -1;
    }
    if (r->type == QV_VECTOR) {
        from_result(q, r, out);
    } else if (q->kind == DASHVAR_QUERY_RESULT && r->type != QV_MATRIX) {
        from_scalar(r, out);
    } else {
        *err = xasprintf("expected an instant vector%s, found a %s",
                         q->kind == DASHVAR_QUERY_RESULT ? ", a scalar or "
                         "a string" : "", r->type == QV_MATRIX ? "range "
                         "vector" : "scalar");
        qresult_free(r);
        return -1;
    }
    qresult_free(r);
    if (q->kind != DASHVAR_QUERY_RESULT && q->kind != DASHVAR_SERIES)
        sort_unique(out);
    return 0;
}

/*
 * regex = "/" re "/" { "g" | "i" | "m" | "s" | "y" } | re
 * Grafana's stringToJsRegex: "/re/flags" is re with its flags; anything
 * else is ^re$. *global tells whether g was given.
 */
static struct regex *
js_regex(const char *text, bool *global, char **err)
{
    const char *end = strrchr(text, '/');
    struct diag d;
    struct regex *re;
    char *pat;
    int flags = 0;

    *global = false;
    if (text[0] != '/') {
        pat = xasprintf("^%s$", text);
    } else {
        if (end == text || strspn(end + 1, "gimsy") != strlen(end + 1)) {
            *err = xasprintf("'%s' is not a valid regular expression",
                             text);
            return NULL;
        }
        for (const char *f = end + 1; *f != '\0'; f++) {
            *global |= *f == 'g';
            flags |= *f == 'i' ? REGEX_ICASE : *f == 'm' ? REGEX_MULTILINE
                     : *f == 's' ? REGEX_DOTALL : 0;
        }
        pat = xstrndup(text + 1, (size_t)(end - text - 1));
    }
    re = regex_new_search(pat, flags, &d);
    free(pat);
    if (re == NULL)
        *err = xstrdup(d.msg);
    return re;
}

/* The non-empty group named name of the current match, or NULL. */
static char *
named(const struct regex *re, const char *s, const char *name)
{
    int g = regex_group_number(re, name);
    char *v = g > 0 ? group(re, s, g) : NULL;

    if (v != NULL && *v == '\0') {
        free(v);
        v = NULL;
    }
    return v;
}

/* Frees firsts[from..n). */
static void
free_from(char **firsts, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++)
        free(firsts[i]);
}

/*
 * What one value becomes under re, appended to out: Grafana takes the
 * group named value (else text) of the first match that has one; else
 * group 1 of each match (one match, or every match with the g flag);
 * without groups, the value itself. No match drops it.
 */
static void
shape_one(struct regex *re, bool global, const char *s,
          struct dashvar_list *out)
{
    size_t len = strlen(s), from = 0, a, b, n = 0;
    char *value = NULL, *text = NULL, *firsts[64];
    bool groups = regex_ngroups(re) > 0;

    while (n < 64 && regex_search(re, s, len, from)) {
        regex_group(re, 0, &a, &b);
        if (value == NULL)
            value = named(re, s, "value");
        if (text == NULL)
            text = named(re, s, "text");
        firsts[n++] = groups ? group(re, s, 1) : NULL;
        from = b;
        if (!global || a == b)
            break;
    }
    if (value != NULL || text != NULL) {
        list_add(out, value != NULL ? value : text);
        free(value != NULL ? text : NULL);
        free_from(firsts, 0, n);
    } else if (n > 0 && !groups) {
        list_add(out, xstrdup(s));
    } else {
        /* A group that took no part gives no value. */
        for (size_t i = 0; i < n; i++)
            if (firsts[i] != NULL)
                list_add(out, firsts[i]);
    }
}

/* Grafana's sort keys: the first run of digits (-1 with none). */
static long long
first_number(const char *s)
{
    while (*s != '\0' && !isdigit((unsigned char)*s))
        s++;
    return *s != '\0' ? strtoll(s, NULL, 10) : -1;
}

/* Natural order, as localeCompare with numeric: digit runs by value,
 * letters without regard to case first, then with it. */
static int
natural_cmp(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            char *ea, *eb;
            unsigned long long x = strtoull(a, &ea, 10);
            unsigned long long y = strtoull(b, &eb, 10);

            if (x != y)
                return x < y ? -1 : 1;
            a = ea;
            b = eb;
            continue;
        }
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return tolower((unsigned char)*a) - tolower((unsigned char)*b);
        a++;
        b++;
    }
    if (*a != '\0' || *b != '\0')
        return *a != '\0' ? 1 : -1;
    return 0;
}

struct keyed {
    char *s;
    size_t i;       /* position before sorting: the sort is stable */
    int type;       /* ceil(sort / 2) */
};

static int
cmp_keyed(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    long long x, y;
    int c = 0;

    if (a->type == 1) {
        c = strcmp(a->s, b->s);
    } else if (a->type == 2) {
        x = first_number(a->s);
        y = first_number(b->s);
        c = x < y ? -1 : x > y;
    } else if (a->type == 3) {
        c = strcasecmp(a->s, b->s);
    } else if (a->type == 4) {
        c = natural_cmp(a->s, b->s);
        if (c == 0)
            c = strcmp(a->s, b->s);
    }
    return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

/* Grafana's sortVariableValues: 1-2 alphabetical, 3-4 numerical, 5-6
 * alphabetical ignoring case, 7-8 natural; even numbers descending (the
 * ascending order reversed). */
static void
sort_values(struct dashvar_list *l, int sort)
{
    struct keyed *k;

    if (sort <= 0 || sort > 8 || l->n < 2)
        return;
    k = xcalloc(l->n, sizeof(*k));
    for (size_t i = 0; i < l->n; i++)
        k[i] = (struct keyed){ l->v[i], i, (sort + 1) / 2 };
    qsort(k, l->n, sizeof(*k), cmp_keyed);
    for (size_t i = 0; i < l->n; i++)
        l->v[sort % 2 == 0 ? l->n - 1 - i : i] = k[i].s;
    free(k);
}

/* Drops repeated values, keeping the first of each (uniqBy). */
static void
drop_repeats(struct dashvar_list *l)
{
    size_t k = 0;

    for (size_t i = 0; i < l->n; i++) {
        bool seen = false;

        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(l->v[j], l->v[i]) == 0;
        if (seen)
            free(l->v[i]);
        else
            l->v[k++] = l->v[i];
    }
    l->n = k;
}

int
dashvar_shape(const char *regex, int sort, struct dashvar_list *l,
              char **err)
{
    struct dashvar_list out = { NULL, 0 };
    struct regex *re;
    bool global;

    if (regex != NULL && *regex != '\0') {
        if ((re = js_regex(regex, &global, err)) == NULL)
            return -1;
        for (size_t i = 0; i < l->n; i++)
            shape_one(re, global, l->v[i], &out);
        regex_free(re);
        dashvar_list_fini(l);
        *l = out;
    }
    drop_repeats(l);
    sort_values(l, sort);
    return 0;
}

/* Appends i to order after the variables it refers to (depth first). */
static void
visit(const struct variable *vars, size_t n, size_t i, char *state,
      size_t *order, size_t *k)
{
    state[i] = 1;
    for (size_t j = 0; j < n; j++) {
        if (j == i || state[j] != 0)
            continue;
        if ((vars[i].query != NULL
             && dashmodel_refers(vars[i].query, vars[j].name))
            || (vars[i].regex != NULL
                && dashmodel_refers(vars[i].regex, vars[j].name)))
            visit(vars, n, j, state, order, k);
    }
    state[i] = 2;
    order[(*k)++] = i;
}

void
dashvar_order(const struct variable *vars, size_t n, size_t *order)
{
    char *state = xcalloc(n ? n : 1, 1);
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (state[i] == 0)
            visit(vars, n, i, state, order, &k);
    free(state);
}
