/*
 * The YAML dashboard loader: a file of pages, rows, panels and queries
 * becomes a struct dashboard. It checks everything it can before the
 * screen starts (unknown keys, types, ranges, every PromQL expression)
 * and collects every error with its file position. It evaluates nothing.
 * It runs to about 1200 lines because every key of the format, its check
 * and its message live here, one short function per object, so the file
 * reads in the order of promdeck-dashboard(5).
 */
#include "src/dash/dashfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/dash/dashmodel.h"
#include "src/dash/vocab.h"

#define MAX_FILE_BYTES (16u << 20)

struct loader {
    const char *name;           /* borrowed: every diag's source */
    const char *text;           /* the document, for positions in exprs */
    size_t len;
    struct diag *errs;
    size_t maxerrs;
    size_t nerrs;
    size_t total;               /* errors found, kept or not */
    struct dashboard *m;
};

/* Records one error; only the first maxerrs are kept. */
static void
add_error(struct loader *l, int line, int col, int span, const char *hint,
          const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
add_error(struct loader *l, int line, int col, int span, const char *hint,
          const char *fmt, ...)
{
    struct diag *d;
    va_list ap;

    l->total++;
    if (l->nerrs >= l->maxerrs)
        return;
    d = &l->errs[l->nerrs++];
    diag_clear(d);
    diag_set(d, line, col, span < 1 ? 1 : span, "%s", "");
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    if (hint != NULL && hint[0] != '\0')
        diag_hint(d, "%s", hint);
    d->source = l->name;
}

/* An error at node n; the span covers a scalar's text. */
static void
node_error(struct loader *l, const struct yaml_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
node_error(struct loader *l, const struct yaml_node *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    int span = yaml_is_scalar(n) ? (int)n->u.scalar.len : 1;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    add_error(l, n != NULL ? n->line : 0, n != NULL ? n->col : 0,
              span > 80 ? 80 : span, NULL, "%s", msg);
}

/* Keeps a diag that a yaml_get_* call filled. */
static void
keep_diag(struct loader *l, const struct diag *d)
{
    add_error(l, d->line, d->col, d->span, d->hint, "%s", d->msg);
}

static bool
get_string(struct loader *l, const struct yaml_node *n, const char **out)
{
    struct diag d;

    if (yaml_is_scalar(n) && !yaml_is_null(n))
        return yaml_get_string(n, out, &d) == 0;
    node_error(l, n, "expected a string, found %s", yaml_kind_name(n));
    return false;
}

static bool
get_int(struct loader *l, const struct yaml_node *n, int64_t lo, int64_t hi,
        int64_t *out)
{
    struct diag d;

    if (yaml_get_int(n, out, &d) != 0) {
        keep_diag(l, &d);
        return false;
    }
    if (*out < lo || *out > hi) {
        node_error(l, n, "expected an integer from %lld to %lld, found %lld",
                   (long long)lo, (long long)hi, (long long)*out);
        return false;
    }
    return true;
}

static bool
get_double(struct loader *l, const struct yaml_node *n, double *out)
{
    struct diag d;

    if (yaml_get_double(n, out, &d) == 0)
        return true;
    keep_diag(l, &d);
    return false;
}

static bool
get_bool(struct loader *l, const struct yaml_node *n, bool *out)
{
    struct diag d;

    if (yaml_get_bool(n, out, &d) == 0)
        return true;
    keep_diag(l, &d);
    return false;
}

static bool
get_duration(struct loader *l, const struct yaml_node *n, int64_t *ms)
{
    struct diag d;

    if (yaml_get_duration(n, ms, &d) == 0)
        return true;
    keep_diag(l, &d);
    return false;
}

/* A copy of a string value, or NULL (error recorded) when n is not one. */
static char *
dup_string(struct loader *l, const struct yaml_node *n)
{
    const char *s;

    return get_string(l, n, &s) ? xstrdup(s) : NULL;
}

/*
 * Checks that n is a mapping whose keys are all in keys (NULL-ended);
 * each unknown key is an error listing the expected ones.
 */
static bool
check_map(struct loader *l, const struct yaml_node *n, const char *what,
          const char *const *keys)
{
    if (!yaml_is_map(n)) {
        node_error(l, n, "expected %s (a mapping), found %s", what,
                   yaml_kind_name(n));
        return false;
    }
    for (size_t i = 0; i < yaml_map_size(n); i++) {
        const struct yaml_node *k = yaml_map_at(n, i)->key;
        const char *name = yaml_scalar(k);
        struct buf list;
        size_t j = 0;

        while (keys[j] != NULL && (name == NULL || strcmp(keys[j], name)))
            j++;
        if (keys[j] != NULL)
            continue;
        buf_init(&list, 0);
        for (j = 0; keys[j] != NULL; j++)
            buf_printf(&list, "%s%s", j > 0 ? ", " : "", keys[j]);
        node_error(l, k, "unknown key '%s' in %s; expected one of: %s",
                   name != NULL ? name : "?", what, buf_str(&list));
        buf_fini(&list);
    }
    return true;
}

/* Checks that n is a non-empty sequence. */
static bool
check_seq(struct loader *l, const struct yaml_node *n, const char *what)
{
    if (!yaml_is_seq(n)) {
        node_error(l, n, "expected a list of %s, found %s", what,
                   yaml_kind_name(n));
        return false;
    }
    if (yaml_seq_size(n) == 0) {
        node_error(l, n, "expected at least one of %s, found an empty list",
                   what);
        return false;
    }
    return true;
}

/* The byte offset of 1-based (line, col) in text. */
static size_t
offset_of(const char *text, size_t len, int line, int col)
{
    size_t off = 0;

    for (int ln = 1; ln < line && off < len; off++)
        if (text[off] == '\n')
            ln++;
    for (int c = 1; c < col && off < len && text[off] != '\n'; c++)
        off++;
    return off;
}

/* Where a block scalar's content starts: the line after the indicator,
 * past its indentation; *indent gets that indentation. */
static size_t
block_start(const struct loader *l, size_t p, size_t *indent)
{
    while (p < l->len && l->text[p] != '\n')
        p++;
    if (p < l->len)
        p++;
    *indent = 0;
    while (p + *indent < l->len && l->text[p + *indent] == ' ')
        (*indent)++;
    return p + *indent;
}

/*
 * The file offset of byte voff of scalar n's value: walks the source as
 * written (quotes, escapes, line folding, block indentation). Exact for
 * single-line scalars and literal blocks; close for folded text.
 */
static size_t
value_offset(const struct loader *l, const struct yaml_node *n, size_t voff)
{
    enum yaml_style st = n->u.scalar.style;
    size_t p = offset_of(l->text, l->len, n->line, n->col), indent = 0;
    bool block = st == YAML_STYLE_LITERAL || st == YAML_STYLE_FOLDED;

    if (block)
        p = block_start(l, p, &indent);
    else if (st != YAML_STYLE_PLAIN)
        p++;
    for (size_t v = 0; v < voff && p < l->len; v++) {
        char c = l->text[p];

        if (c == '\n') {
            size_t sp = 0;

            p++;
            while (p < l->len && (l->text[p] == ' ' || l->text[p] == '\t')
                   && (!block || sp < indent))
                p++, sp++;
        } else if (st == YAML_STYLE_DOUBLE && c == '\\') {
            char e = p + 1 < l->len ? l->text[p + 1] : 0;

            p += e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
        } else if (st == YAML_STYLE_SINGLE && c == '\'') {
            p += 2;
        } else {
            p++;
        }
    }
    return p;
}

/*
 * Expands the variables in expr (node n) and parses it as PromQL; a
 * syntax error is reported at its place in the file.
 */
static void
check_expr(struct loader *l, const struct yaml_node *n, const char *expr)
{
    struct dashboard *m = l->m;
    size_t *map;
    struct dashmodel_interval iv = dashmodel_interval(m->range_ms, 0, 0);
    char *x = dashmodel_expand(expr, m->variables, m->nvariables, &iv,
                               m->range_ms, &map);
    struct diag d;
    struct query *q;

    diag_clear(&d);
    q = qparse_query(x, strlen(x), &d);
    if (q == NULL) {
        size_t off = map[offset_of(x, strlen(x), d.line, d.col)];
        struct diag at;

        diag_set_at(&at, l->text, l->len, value_offset(l, n, off), 1, "x");
        add_error(l, at.line, at.col, d.span, d.hint, "bad PromQL: %s",
                  d.msg);
    }
    qparse_free(q);
    free(map);
    free(x);
}

/* A name $name can refer to: a letter or _, then letters, digits, _. */
static bool
valid_var_name(const char *s)
{
    if (!(s[0] == '_' || isalpha((unsigned char)s[0])))
        return false;
    for (; *s != '\0'; s++)
        if (!(*s == '_' || isalnum((unsigned char)*s)))
            return false;
    return true;
}

/* values: [a, b, ...] into v. */
static void
load_var_values(struct loader *l, const struct yaml_node *n,
                struct variable *v)
{
    if (!check_seq(l, n, "values"))
        return;
    v->values = xcalloc(yaml_seq_size(n), sizeof(*v->values));
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        char *s = dup_string(l, yaml_seq_at(n, i));

        if (s != NULL)
            v->values[v->nvalues++] = s;
    }
}

/* query: label_values(...), checked now so a typo shows at load. */
static void
load_var_query(struct loader *l, const struct yaml_node *n,
               struct variable *v)
{
    const char *why;
    char *sel, *label;
    size_t off;
    struct diag at;

    if ((v->query = dup_string(l, n)) == NULL)
        return;
    if (dashmodel_label_values(v->query, &sel, &label, &why, &off) != 0) {
        diag_set_at(&at, l->text, l->len, value_offset(l, n, off), 1, "x");
        add_error(l, at.line, at.col, 1, "write label_values(label) or "
                  "label_values(metric, label)", "%s", why);
        return;
    }
    if (sel != NULL)
        check_expr(l, n, sel);
    free(sel);
    free(label);
}

/* Picks the starting value: the default, else All or the first. */
static void
start_variable(struct loader *l, const struct yaml_node *def,
               struct variable *v)
{
    size_t i = 0;

    if (v->query != NULL && v->default_value != NULL) {
        /* Until the store is read, the default is the only value. */
        v->values = xcalloc(1, sizeof(*v->values));
        v->values[v->nvalues++] = xstrdup(v->default_value);
    }
    if (v->default_value == NULL) {
        v->current = v->all ? v->nvalues : 0;
        return;
    }
    while (i < v->nvalues && strcmp(v->values[i], v->default_value) != 0)
        i++;
    if (i == v->nvalues)
        node_error(l, def, "default '%s' is not one of the variable's "
                   "values", v->default_value);
    v->current = i < v->nvalues ? i : 0;
}

/*
 * variable = { name, (query | values), [default], [all], [all_value] }
 */
static void
load_variable(struct loader *l, const struct yaml_node *n, struct variable *v)
{
    static const char *const keys[] = {
        "name", "query", "values", "default", "all", "all_value", NULL,
    };
    const struct yaml_node *name = yaml_get(n, "name");
    const struct yaml_node *query = yaml_get(n, "query");
    const struct yaml_node *values = yaml_get(n, "values");

    if (!check_map(l, n, "a variable", keys))
        return;
    if (name == NULL)
        node_error(l, n, "expected 'name' in a variable");
    else if ((v->name = dup_string(l, name)) != NULL
             && !valid_var_name(v->name))
        node_error(l, name, "expected a variable name (letters, digits "
                   "and _, not starting with a digit), found '%s'", v->name);
    if ((query == NULL) == (values == NULL))
        node_error(l, n, "expected exactly one of 'query' and 'values' in "
                   "variable '%s'", v->name != NULL ? v->name : "?");
    if (values != NULL)
        load_var_values(l, values, v);
    if (query != NULL)
        load_var_query(l, query, v);
    if (yaml_get(n, "all") != NULL)
        get_bool(l, yaml_get(n, "all"), &v->all);
    if (yaml_get(n, "all_value") != NULL) {
        v->all_value = dup_string(l, yaml_get(n, "all_value"));
        if (!v->all)
            node_error(l, yaml_get(n, "all_value"), "'all_value' needs "
                       "'all: true'");
    }
    if (yaml_get(n, "default") != NULL)
        v->default_value = dup_string(l, yaml_get(n, "default"));
    start_variable(l, yaml_get(n, "default"), v);
}

/* variables: a list; each name once. Later queries can use earlier ones. */
static void
load_variables(struct loader *l, const struct yaml_node *n)
{
    struct dashboard *m = l->m;

    if (!check_seq(l, n, "variables"))
        return;
    m->variables = xcalloc(yaml_seq_size(n), sizeof(*m->variables));
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        struct variable *v = &m->variables[m->nvariables];

        load_variable(l, yaml_seq_at(n, i), v);
        if (v->name == NULL) {
            dashmodel_var_fini(v);
            continue;
        }
        for (size_t j = 0; j < m->nvariables; j++)
            if (strcmp(m->variables[j].name, v->name) == 0)
                node_error(l, yaml_get(yaml_seq_at(n, i), "name"),
                           "variable '%s' is defined twice", v->name);
        m->nvariables++;
    }
}

/* threshold = { [value], color }; no value (or null) is the base. */
static bool
load_threshold(struct loader *l, const struct yaml_node *n,
               struct threshold *t)
{
    static const char *const keys[] = { "value", "color", NULL };
    const struct yaml_node *v = yaml_get(n, "value");
    const struct yaml_node *c = yaml_get(n, "color");
    const char *name;

    if (!check_map(l, n, "a threshold", keys))
        return false;
    t->value = -INFINITY;
    if (v != NULL && !yaml_is_null(v) && !get_double(l, v, &t->value))
        return false;
    if (c == NULL) {
        node_error(l, n, "expected 'color' in a threshold");
        return false;
    }
    if (!get_string(l, c, &name))
        return false;
    if ((t->role = vocab_color_role(name)) < 0) {
        struct buf list;

        buf_init(&list, 0);
        vocab_list_colors(&list, "or");
        node_error(l, c, "unknown color '%s'; expected %s", name,
                   buf_str(&list));
        buf_fini(&list);
        return false;
    }
    return true;
}

/* thresholds: ascending by value. */
static void
load_thresholds(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    if (!check_seq(l, n, "thresholds"))
        return;
    p->thresholds = xcalloc(yaml_seq_size(n), sizeof(*p->thresholds));
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        struct threshold *t = &p->thresholds[p->nthresholds];

        if (!load_threshold(l, yaml_seq_at(n, i), t))
            continue;
        if (p->nthresholds > 0 && t->value <= t[-1].value) {
            node_error(l, yaml_seq_at(n, i), "thresholds must ascend: "
                       "expected a value above %g", t[-1].value);
            continue;
        }
        p->nthresholds++;
    }
}

/* unit: a name vocab_unit knows; a custom unit keeps its text. */
static void
load_unit(struct loader *l, const struct yaml_node *n, enum unit *u,
          char **text)
{
    const char *name, *near;
    char hint[160];

    if (!get_string(l, n, &name))
        return;
    if (vocab_unit(name, u) == 0) {
        if (*u == UNIT_CUSTOM)
            *text = xstrdup(name);
        return;
    }
    near = vocab_unit_suggest(name);
    if (near != NULL)
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    else
        snprintf(hint, sizeof hint, "units are Grafana's ids (bytes, s, "
                 "percent, reqps, ...); write suffix:%s for a unit of your "
                 "own", name);
    add_error(l, n->line, n->col, (int)strlen(name), hint,
              "unknown unit '%s'", name);
}

/* color: a series colour (vocab_series_color); -1 with an error. */
static int
load_series_color(struct loader *l, const struct yaml_node *n)
{
    const char *name;
    int role;

    if (!get_string(l, n, &name))
        return -1;
    if ((role = vocab_series_color(name)) < 0)
        node_error(l, n, "unknown color '%s'; expected series1 .. series8, "
                   "a status colour or a Grafana colour (blue, "
                   "dark-purple, #5794F2, ...)", name);
    return role;
}

/* One of the words in names (NULL-ended); -1 with an error. */
static int
load_word(struct loader *l, const struct yaml_node *n, const char *key,
          const char *const *names)
{
    const char *s;

    if (!get_string(l, n, &s))
        return -1;
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    node_error(l, n, "unknown %s '%s'; expected %s or %s", key, s, names[0],
               names[1]);
    return -1;
}

/* An override's own keys: [name], [unit], [decimals]. */
static void
load_override_keys(struct loader *l, const struct yaml_node *n,
                   struct series_override *o)
{
    const struct yaml_node *v;
    int64_t d;

    if ((v = yaml_get(n, "name")) != NULL
        && (o->display_name = dup_string(l, v)) != NULL)
        o->set |= OVR_NAME;
    if ((v = yaml_get(n, "unit")) != NULL) {
        load_unit(l, v, &o->unit, &o->unit_text);
        o->set |= OVR_UNIT;
    }
    if ((v = yaml_get(n, "decimals")) != NULL && get_int(l, v, 0, 15, &d)) {
        o->decimals = (int)d;
        o->set |= OVR_DECIMALS;
    }
}

/*
 * The series settings of a query or an override: [color], [axis: left |
 * right], [negative_y], [stack], [hide: legend | graph].
 */
static void
load_series_keys(struct loader *l, const struct yaml_node *n,
                 const struct panel *p, struct series_override *o)
{
    static const char *const sides[] = { "left", "right", NULL };
    static const char *const hides[] = { "legend", "graph", NULL };
    const struct yaml_node *v;
    bool b;
    int w;

    if ((v = yaml_get(n, "color")) != NULL
        && (o->role = load_series_color(l, v)) >= 0)
        o->set |= OVR_COLOR;
    if ((v = yaml_get(n, "axis")) != NULL
        && (w = load_word(l, v, "axis", sides)) >= 0) {
        o->right = w == 1;
        o->set |= OVR_AXIS;
    }
    if ((v = yaml_get(n, "negative_y")) != NULL && get_bool(l, v, &b)) {
        o->negative = b;
        o->set |= OVR_NEGATIVE;
    }
    if ((v = yaml_get(n, "stack")) != NULL && get_bool(l, v, &b)) {
        o->stack = !b ? STACK_NONE : p->stack_percent ? STACK_PERCENT
                                                      : STACK_NORMAL;
        o->set |= OVR_STACK;
    }
    if ((v = yaml_get(n, "hide")) != NULL
        && (w = load_word(l, v, "hide", hides)) >= 0) {
        o->hide = w == 0 ? HIDE_LEGEND : HIDE_GRAPH;
        o->set |= OVR_HIDE;
    }
}

/* A new override at the end of p's, matching nothing yet. */
static struct series_override *
add_override(struct panel *p)
{
    struct series_override *o;

    p->overrides = xreallocarray(p->overrides, p->noverrides + 1,
                                 sizeof(*p->overrides));
    o = &p->overrides[p->noverrides++];
    memset(o, 0, sizeof(*o));
    o->min = o->max = NAN;
    return o;
}

/* A query's own series settings become an override matching it by the
 * refId it is given here: A, B, ... Z, then q27, q28, ... */
static void
query_series_keys(struct loader *l, const struct yaml_node *n,
                  struct panel *p, struct panel_query *q)
{
    static const char *const keys[] = {
        "color", "axis", "negative_y", "stack", "hide",
    };
    struct series_override *o;
    size_t i = 0;

    while (i < sizeof(keys) / sizeof(keys[0]) && yaml_get(n, keys[i]) == NULL)
        i++;
    if (i == sizeof(keys) / sizeof(keys[0]))
        return;
    q->ref_id = p->nqueries < 26 ? xasprintf("%c", 'A' + (int)p->nqueries)
                                 : xasprintf("q%zu", p->nqueries + 1);
    o = add_override(p);
    o->match = MATCH_QUERY;
    o->pattern = xstrdup(q->ref_id);
    load_series_keys(l, n, p, o);
}

/* override = { match: name | "/regex/", series settings... } */
static void
load_override(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    static const char *const keys[] = {
        "match", "name", "unit", "decimals", "color", "axis", "negative_y",
        "stack", "hide", NULL,
    };
    const struct yaml_node *m = yaml_get(n, "match");
    struct series_override *o;
    struct buf re;
    struct diag d;
    const char *pattern;

    if (!check_map(l, n, "an override", keys))
        return;
    if (m == NULL) {
        node_error(l, n, "expected 'match' (a series name or /regex/) in "
                   "an override");
        return;
    }
    if (!get_string(l, m, &pattern))
        return;
    o = add_override(p);
    o->pattern = xstrdup(pattern);
    buf_init(&re, 0);
    if (vocab_series_regex(pattern, &re)) {
        o->match = MATCH_REGEX;
        if ((o->re = regex_new(buf_str(&re), &d)) == NULL)
            node_error(l, m, "bad regex: %s", d.msg);
    }
    buf_fini(&re);
    load_override_keys(l, n, o);
    load_series_keys(l, n, p, o);
}

/* overrides: [override, ...], applied in order. */
static void
load_overrides(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    if (!check_seq(l, n, "overrides"))
        return;
    for (size_t i = 0; i < yaml_seq_size(n); i++)
        load_override(l, yaml_seq_at(n, i), p);
}

/* style: value | spark | health */
static void
load_style(struct loader *l, const struct yaml_node *n, enum column_style *s)
{
    static const char *const names[] = { "value", "spark", "health" };
    const char *name;

    if (!get_string(l, n, &name))
        return;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(names[i], name) == 0) {
            *s = (enum column_style)i;
            return;
        }
    node_error(l, n, "unknown style '%s'; expected value, spark or health",
               name);
}

/*
 * query = { expr, [legend], [column], [style], [unit], [color], [axis],
 *           [negative_y], [stack], [hide] }
 */
static bool
load_query(struct loader *l, const struct yaml_node *n, struct panel *p,
           struct panel_query *q)
{
    static const char *const keys[] = {
        "expr", "legend", "column", "style", "unit", "color", "axis",
        "negative_y", "stack", "hide", NULL,
    };
    const struct yaml_node *e = yaml_get(n, "expr");
    const char *expr;

    if (!check_map(l, n, "a query", keys))
        return false;
    if (e == NULL) {
        node_error(l, n, "expected 'expr' in a query");
        return false;
    }
    if (!get_string(l, e, &expr))
        return false;
    check_expr(l, e, expr);
    if (yaml_get(n, "legend") != NULL)
        q->legend = dup_string(l, yaml_get(n, "legend"));
    if (yaml_get(n, "column") != NULL)
        q->column = dup_string(l, yaml_get(n, "column"));
    if (yaml_get(n, "style") != NULL)
        load_style(l, yaml_get(n, "style"), &q->style);
    if (yaml_get(n, "unit") != NULL)
        load_unit(l, yaml_get(n, "unit"), &q->unit, &q->unit_text);
    query_series_keys(l, n, p, q);
    q->expr = xstrdup(expr);
    return true;
}

/* queries: [query, ...], or the shorthand expr (and legend) on the panel. */
static void
load_queries(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    const struct yaml_node *qs = yaml_get(n, "queries");
    const struct yaml_node *e = yaml_get(n, "expr");
    const char *expr;

    if (qs != NULL && e != NULL) {
        node_error(l, e, "a panel has either 'queries' or 'expr', not both");
        return;
    }
    if (e != NULL) {
        if (!get_string(l, e, &expr))
            return;
        check_expr(l, e, expr);
        p->queries = xcalloc(1, sizeof(*p->queries));
        p->queries[0].expr = xstrdup(expr);
        if (yaml_get(n, "legend") != NULL)
            p->queries[0].legend = dup_string(l, yaml_get(n, "legend"));
        p->nqueries = 1;
        return;
    }
    if (!check_seq(l, qs, "queries"))
        return;
    p->queries = xcalloc(yaml_seq_size(qs), sizeof(*p->queries));
    for (size_t i = 0; i < yaml_seq_size(qs); i++)
        if (load_query(l, yaml_seq_at(qs, i), p, &p->queries[p->nqueries]))
            p->nqueries++;
}

/* join: [label, ...] */
static void
load_join(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    if (!check_seq(l, n, "labels"))
        return;
    p->join = xcalloc(yaml_seq_size(n), sizeof(*p->join));
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        char *s = dup_string(l, yaml_seq_at(n, i));

        if (s != NULL)
            p->join[p->njoin++] = s;
    }
}

/* sort: desc | asc | none */
static void
load_sort(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    const char *s;

    if (!get_string(l, n, &s))
        return;
    if (strcmp(s, "desc") == 0)
        p->sort = SORT_DESC;
    else if (strcmp(s, "asc") == 0)
        p->sort = SORT_ASC;
    else if (strcmp(s, "none") == 0)
        p->sort = SORT_NONE;
    else
        node_error(l, n, "unknown sort '%s'; expected desc, asc or none", s);
}

/* Keys that only some kinds take: an error on any other kind. */
static void
check_kind_keys(struct loader *l, const struct yaml_node *n,
                const struct panel *p)
{
    static const struct {
        const char *key;
        enum panel_kind kinds[2];   /* the kinds that take it ... */
        size_t nkinds;              /* ... and how many */
    } only[] = {
        { "stack", { PANEL_GRAPH }, 1 },
        { "join", { PANEL_TABLE }, 1 },
        { "sort", { PANEL_TABLE, PANEL_BARS }, 2 },
        { "top", { PANEL_TABLE, PANEL_BARS }, 2 },
        { "text", { PANEL_TEXT }, 1 },
    };

    for (size_t i = 0; i < sizeof(only) / sizeof(only[0]); i++) {
        const struct yaml_node *v = yaml_get(n, only[i].key);
        bool takes = false;
        struct buf which;

        for (size_t k = 0; k < only[i].nkinds; k++)
            takes = takes || only[i].kinds[k] == p->kind;
        if (v == NULL || takes)
            continue;
        buf_init(&which, 0);
        for (size_t k = 0; k < only[i].nkinds; k++)
            buf_printf(&which, "%s%s", k > 0 ? " and " : "",
                       vocab_kind_name(only[i].kinds[k]));
        node_error(l, v, "'%s' is for %s panels, not %s", only[i].key,
                   buf_str(&which), vocab_kind_name(p->kind));
        buf_fini(&which);
    }
}

/* type: one of the panel kinds; graph when absent. */
static void
load_kind(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    const char *s;
    struct buf list;

    p->kind = PANEL_GRAPH;
    if (n == NULL || !get_string(l, n, &s))
        return;
    if (vocab_kind_by_name(s, &p->kind) == 0)
        return;
    buf_init(&list, 0);
    vocab_list_kinds(&list, "or");
    node_error(l, n, "unknown panel type '%s'; expected %s", s,
               buf_str(&list));
    buf_fini(&list);
}

/* stack: true | false | normal | percent */
static void
load_stack(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    const char *s = yaml_is_scalar(n) ? yaml_scalar(n) : "";

    p->stack_percent = strcmp(s, "percent") == 0;
    if (p->stack_percent || strcmp(s, "normal") == 0)
        p->stack = true;
    else
        get_bool(l, n, &p->stack);
}

/* The scalar settings of a panel: width, decimals, min, max, stack, top. */
static void
load_panel_numbers(struct loader *l, const struct yaml_node *n,
                   struct panel *p)
{
    int64_t v;

    if (yaml_get(n, "width") != NULL
        && get_int(l, yaml_get(n, "width"), 1, 1000, &v))
        p->width = (int)v;
    if (yaml_get(n, "decimals") != NULL
        && get_int(l, yaml_get(n, "decimals"), 0, 15, &v))
        p->decimals = (int)v;
    if (yaml_get(n, "top") != NULL
        && get_int(l, yaml_get(n, "top"), 0, 100000, &v)) {
        p->topn = (int)v;
        p->sort = v > 0 ? SORT_DESC : p->sort;
    }
    if (yaml_get(n, "min") != NULL)
        get_double(l, yaml_get(n, "min"), &p->min);
    if (yaml_get(n, "max") != NULL)
        get_double(l, yaml_get(n, "max"), &p->max);
    if (p->min >= p->max)
        node_error(l, yaml_get(n, "max"), "max (%g) must be above min (%g)",
                   p->max, p->min);
    if (yaml_get(n, "stack") != NULL)
        load_stack(l, yaml_get(n, "stack"), p);
}

/*
 * panel = { [title], [type], [width], [unit], [decimals], [min], [max],
 *           [thresholds], [stack], [sort], [top], [join], [overrides],
 *           (queries | expr [legend] | text) }
 */
static void
load_panel(struct loader *l, const struct yaml_node *n, struct panel *p)
{
    static const char *const keys[] = {
        "title", "type", "width", "unit", "decimals", "min", "max",
        "thresholds", "stack", "sort", "top", "join", "text", "queries",
        "expr", "legend", "overrides", NULL,
    };

    p->decimals = -1;
    p->min = p->max = NAN;
    p->width = 1;
    p->dirty = true;
    if (!check_map(l, n, "a panel", keys))
        return;
    p->title = yaml_get(n, "title") != NULL
               ? dup_string(l, yaml_get(n, "title")) : NULL;
    if (p->title == NULL)
        p->title = xstrdup("");
    load_kind(l, yaml_get(n, "type"), p);
    check_kind_keys(l, n, p);
    load_panel_numbers(l, n, p);
    if (yaml_get(n, "unit") != NULL)
        load_unit(l, yaml_get(n, "unit"), &p->unit, &p->unit_text);
    if (yaml_get(n, "thresholds") != NULL)
        load_thresholds(l, yaml_get(n, "thresholds"), p);
    if (yaml_get(n, "sort") != NULL)
        load_sort(l, yaml_get(n, "sort"), p);
    if (yaml_get(n, "join") != NULL)
        load_join(l, yaml_get(n, "join"), p);
    if (p->kind == PANEL_TEXT) {
        if (yaml_get(n, "text") == NULL)
            node_error(l, n, "expected 'text' in a text panel");
        else
            p->text = dup_string(l, yaml_get(n, "text"));
        if (yaml_get(n, "queries") != NULL || yaml_get(n, "expr") != NULL)
            node_error(l, n, "a text panel has no queries");
    } else if (yaml_get(n, "queries") == NULL && yaml_get(n, "expr") == NULL) {
        node_error(l, n, "expected 'queries' or 'expr' in panel '%s'",
                   p->title);
    } else {
        load_queries(l, n, p);
    }
    if (yaml_get(n, "overrides") != NULL)
        load_overrides(l, yaml_get(n, "overrides"), p);
}

/* collapsed: true folds the row's section until the user opens it; only
 * a titled row has a header to show while folded. */
static void
load_row_fold(struct loader *l, const struct yaml_node *n, struct row *r)
{
    const struct yaml_node *c = yaml_get(n, "collapsed");

    if (c == NULL || !get_bool(l, c, &r->collapsed) || !r->collapsed
        || r->title != NULL)
        return;
    node_error(l, c, "a collapsed row needs a title, which is what shows "
               "while it is folded");
}

/* row = { [title], [height], [collapsed], panels } */
static void
load_row(struct loader *l, const struct yaml_node *n, struct row *r)
{
    static const char *const keys[] = { "title", "height", "collapsed",
                                        "panels", NULL };
    const struct yaml_node *ps = yaml_get(n, "panels");
    int64_t h;

    r->height = 1;
    if (!check_map(l, n, "a row", keys))
        return;
    if (yaml_get(n, "title") != NULL)
        r->title = dup_string(l, yaml_get(n, "title"));
    if (yaml_get(n, "height") != NULL
        && get_int(l, yaml_get(n, "height"), 1, 1000, &h))
        r->height = (int)h;
    load_row_fold(l, n, r);
    if (ps == NULL) {
        node_error(l, n, "expected 'panels' in a row");
        return;
    }
    if (!check_seq(l, ps, "panels"))
        return;
    r->panels = xcalloc(yaml_seq_size(ps), sizeof(*r->panels));
    r->npanels = yaml_seq_size(ps);
    for (size_t i = 0; i < r->npanels; i++)
        load_panel(l, yaml_seq_at(ps, i), &r->panels[i]);
}

static void
load_rows(struct loader *l, const struct yaml_node *n, struct page *pg)
{
    if (!check_seq(l, n, "rows"))
        return;
    pg->rows = xcalloc(yaml_seq_size(n), sizeof(*pg->rows));
    pg->nrows = yaml_seq_size(n);
    for (size_t i = 0; i < pg->nrows; i++)
        load_row(l, yaml_seq_at(n, i), &pg->rows[i]);
}

/* page = { [title], rows } */
static void
load_pages(struct loader *l, const struct yaml_node *n)
{
    static const char *const keys[] = { "title", "rows", NULL };
    struct dashboard *m = l->m;

    if (!check_seq(l, n, "pages"))
        return;
    m->pages = xcalloc(yaml_seq_size(n), sizeof(*m->pages));
    m->npages = yaml_seq_size(n);
    for (size_t i = 0; i < m->npages; i++) {
        const struct yaml_node *p = yaml_seq_at(n, i);

        if (!check_map(l, p, "a page", keys))
            continue;
        m->pages[i].title = yaml_get(p, "title") != NULL
                            ? dup_string(l, yaml_get(p, "title")) : NULL;
        if (m->pages[i].title == NULL)
            m->pages[i].title = xasprintf("Page %zu", i + 1);
        if (yaml_get(p, "rows") == NULL)
            node_error(l, p, "expected 'rows' in a page");
        else
            load_rows(l, yaml_get(p, "rows"), &m->pages[i]);
    }
}

/*
 * dashboard = { [title], [refresh], [range], [variables], (pages | rows) }
 */
static void
load_dashboard(struct loader *l, const struct yaml_node *root)
{
    static const char *const keys[] = {
        "title", "refresh", "range", "variables", "pages", "rows", NULL,
    };
    struct dashboard *m = l->m;
    const struct yaml_node *n;

    m->range_ms = DASHMODEL_DEFAULT_RANGE_MS;
    if (!check_map(l, root, "a dashboard", keys))
        return;
    n = yaml_get(root, "title");
    m->title = n != NULL ? dup_string(l, n) : xstrdup("Dashboard");
    if ((n = yaml_get(root, "refresh")) != NULL)
        get_duration(l, n, &m->refresh_ms);
    if ((n = yaml_get(root, "range")) != NULL && get_duration(l, n,
                                                              &m->range_ms)
        && m->range_ms <= 0) {
        node_error(l, n, "expected a range above 0s");
        m->range_ms = DASHMODEL_DEFAULT_RANGE_MS;
    }
    if ((n = yaml_get(root, "variables")) != NULL)
        load_variables(l, n);
    if (yaml_get(root, "pages") != NULL && yaml_get(root, "rows") != NULL)
        node_error(l, yaml_get(root, "rows"), "a dashboard has either "
                   "'pages' or 'rows', not both");
    else if (yaml_get(root, "pages") != NULL)
        load_pages(l, yaml_get(root, "pages"));
    else if (yaml_get(root, "rows") == NULL)
        node_error(l, root, "expected 'pages' or 'rows' in a dashboard");
    else {
        /* A file with only rows is one page named after the dashboard. */
        m->pages = xcalloc(1, sizeof(*m->pages));
        m->npages = 1;
        m->pages[0].title = xstrdup(m->title != NULL ? m->title : "");
        load_rows(l, yaml_get(root, "rows"), &m->pages[0]);
    }
}

int
dashfile_load_buf(const char *name, const char *text, size_t len,
                  struct dashboard *out, struct diag *errs, size_t maxerrs,
                  size_t *nerrs)
{
    struct loader l = {
        .name = name, .text = text, .len = len, .errs = errs,
        .maxerrs = maxerrs, .m = out,
    };
    struct diag d;
    struct yaml_node *root;

    memset(out, 0, sizeof(*out));
    *nerrs = 0;
    diag_clear(&d);
    root = yaml_load_buf(name, text, len, &d);
    if (root == NULL) {
        keep_diag(&l, &d);
        *nerrs = l.nerrs;
        return -1;
    }
    load_dashboard(&l, root);
    yaml_tree_free(root);
    *nerrs = l.nerrs;
    if (l.total == 0)
        return 0;
    dashmodel_fini(out);
    return -1;
}

int
dashfile_load(const char *path, struct dashboard *out, struct diag *errs,
              size_t maxerrs, size_t *nerrs)
{
    struct loader l = { .name = path, .errs = errs, .maxerrs = maxerrs };
    struct buf b;
    struct diag d;
    int rc;

    memset(out, 0, sizeof(*out));
    if (buf_read_file(&b, path, MAX_FILE_BYTES, &d) != 0) {
        add_error(&l, 0, 0, 0, NULL, "%s", d.msg);
        *nerrs = l.nerrs;
        return -1;
    }
    rc = dashfile_load_buf(path, buf_str(&b), b.len, out, errs, maxerrs,
                           nerrs);
    buf_fini(&b);
    return rc;
}

/* Whether the file at path starts, after blanks, with '{'. */
static bool
starts_with_brace(const char *path)
{
    FILE *f = fopen(path, "rb");
    int c = EOF;

    if (f == NULL)
        return false;
    do
        c = getc(f);
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
    fclose(f);
    return c == '{';
}

int
dashfile_open(const char *path, struct dashboard *out, struct diag *errs,
              size_t maxerrs, size_t *nerrs, struct grafana_notes *notes)
{
    return dashfile_open_with(path, NULL, 0, out, errs, maxerrs, nerrs,
                              notes);
}

int
dashfile_open_with(const char *path, const char *const *set, size_t nset,
                   struct dashboard *out, struct diag *errs, size_t maxerrs,
                   size_t *nerrs, struct grafana_notes *notes)
{
    struct diag d;

    if (!starts_with_brace(path))
        return dashfile_load(path, out, errs, maxerrs, nerrs);
    *nerrs = 0;
    if (grafana_load_with(path, set, nset, out, notes, &d) == 0)
        return 0;
    if (maxerrs > 0)
        errs[(*nerrs)++] = d;
    return -1;
}

int
dashfile_check(const char *path, struct dashfile_counts *counts,
               struct diag *errs, size_t maxerrs, size_t *nerrs,
               struct grafana_notes *notes)
{
    struct dashboard m;

    memset(counts, 0, sizeof(*counts));
    if (dashfile_open(path, &m, errs, maxerrs, nerrs, notes) != 0)
        return -1;
    counts->pages = m.npages;
    counts->variables = m.nvariables;
    for (size_t pg = 0; pg < m.npages; pg++)
        for (size_t r = 0; r < m.pages[pg].nrows; r++) {
            const struct row *row = &m.pages[pg].rows[r];

            counts->rows++;
            counts->panels += row->npanels;
            for (size_t i = 0; i < row->npanels; i++)
                counts->queries += row->panels[i].nqueries;
        }
    dashmodel_fini(&m);
    return 0;
}
