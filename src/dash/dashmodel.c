/*
 * Freeing a dashboard model and expanding template variables. Expansion is
 * textual, as Grafana does it before a query leaves the browser: the
 * result is parsed as PromQL afterwards. It knows nothing of the store.
 */
#include "src/dash/dashmodel.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "src/dash/dashfmt.h"

/* The scrape interval Grafana's Prometheus data source assumes when
 * none is set (its "Scrape interval" setting's default). */
#define SCRAPE_INTERVAL_MS 15000
/* Grafana's safe resolution: Prometheus refuses more than 11,000 points
 * per series, so no step is below range / 11000. */
#define SAFE_RESOLUTION 11000

static void
override_fini(struct series_override *o)
{
    free(o->pattern);
    regex_free(o->re);
    for (size_t i = 0; i < o->nnames; i++)
        free(o->names[i]);
    free(o->names);
    free(o->display_name);
    free(o->unit_text);
    free(o->stack_group);
}

void
dashmodel_panel_fini(struct panel *p)
{
    for (size_t q = 0; q < p->nqueries; q++) {
        free(p->queries[q].expr);
        free(p->queries[q].legend);
        free(p->queries[q].column);
        free(p->queries[q].error);
        free(p->queries[q].unit_text);
        free(p->queries[q].ref_id);
        qresult_free(p->queries[q].result);
    }
    for (size_t j = 0; j < p->njoin; j++)
        free(p->join[j]);
    free(p->join);
    free(p->queries);
    free(p->thresholds);
    free(p->text);
    free(p->title);
    free(p->unit_text);
    free(p->display_name);
    for (size_t i = 0; i < p->noverrides; i++)
        override_fini(&p->overrides[i]);
    free(p->overrides);
    memset(p, 0, sizeof(*p));
}

void
dashmodel_var_fini(struct variable *v)
{
    for (size_t i = 0; i < v->nvalues; i++)
        free(v->values[i]);
    free(v->values);
    free(v->name);
    free(v->query);
    free(v->all_value);
    free(v->default_value);
    free(v->regex);
    memset(v, 0, sizeof(*v));
}

/*
 * Grafana's "nice" intervals (roundInterval in grafana-data's
 * rangeutil.ts): an interval in [lower bound, next bound) becomes the
 * value beside it, so 18 s (range 1h over 200 points) becomes 20 s.
 */
static const struct {
    int64_t below, value;
} nice[] = {
    { 10, 1 }, { 15, 10 }, { 35, 20 }, { 75, 50 }, { 150, 100 },
    { 350, 200 }, { 750, 500 }, { 1500, 1000 }, { 3500, 2000 },
    { 7500, 5000 }, { 12500, 10000 }, { 17500, 15000 }, { 25000, 20000 },
    { 45000, 30000 }, { 90000, 60000 }, { 210000, 120000 },
    { 450000, 300000 }, { 750000, 600000 }, { 1050000, 900000 },
    { 1500000, 1200000 }, { 2700000, 1800000 }, { 5400000, 3600000 },
    { 9000000, 7200000 }, { 16200000, 10800000 }, { 32400000, 21600000 },
    { 86400000, 43200000 }, { 604800000, 86400000 },
    { 1814400000, 604800000 }, { 3628800000, 2592000000 },
};

int64_t
dashmodel_round_interval(double ms)
{
    for (size_t i = 0; i < sizeof(nice) / sizeof(nice[0]); i++)
        if (ms < (double)nice[i].below)
            return nice[i].value;
    return 31536000000;     /* a year */
}

struct dashmodel_interval
dashmodel_interval(int64_t range_ms, int width, int64_t scrape_ms)
{
    return dashmodel_interval_min(range_ms, width, scrape_ms, 0);
}

struct dashmodel_interval
dashmodel_interval_min(int64_t range_ms, int width, int64_t scrape_ms,
                       int64_t min_ms)
{
    struct dashmodel_interval iv;
    int64_t scrape = scrape_ms > 0 ? scrape_ms : SCRAPE_INTERVAL_MS;
    int64_t low = min_ms > 0 ? min_ms : scrape;
    int64_t safe = dashmodel_round_interval((double)range_ms
                                            / SAFE_RESOLUTION);
    int64_t interval;

    if (width <= 0)
        width = DASHMODEL_DEFAULT_WIDTH;
    /* The panel's interval: range over its width, made nice, never
     * below the scrape interval or the panel's own min interval
     * (calculateInterval's low limit). */
    interval = dashmodel_round_interval((double)range_ms / width);
    if (interval < low)
        interval = low;
    /* The step also keeps within Prometheus's 11,000 points. */
    iv.step_ms = interval > safe ? interval : safe;
    /* Long enough for rate() to see two samples whatever the step:
     * max(interval + scrape interval, 4 scrape intervals). */
    iv.rate_ms = interval + scrape > 4 * scrape ? interval + scrape
                                                : 4 * scrape;
    return iv;
}

void
dashmodel_append(struct dashboard *into, struct dashboard *from)
{
    into->pages = xreallocarray(into->pages, into->npages + from->npages,
                                sizeof(*into->pages));
    memcpy(into->pages + into->npages, from->pages,
           from->npages * sizeof(*from->pages));
    into->npages += from->npages;
    into->variables = xreallocarray(into->variables,
                                    into->nvariables + from->nvariables,
                                    sizeof(*into->variables));
    memcpy(into->variables + into->nvariables, from->variables,
           from->nvariables * sizeof(*from->variables));
    into->nvariables += from->nvariables;
    free(from->pages);
    free(from->variables);
    from->pages = NULL;
    from->variables = NULL;
    from->npages = from->nvariables = 0;
    dashmodel_fini(from);
}

void
dashmodel_fini(struct dashboard *m)
{
    for (size_t pg = 0; pg < m->npages; pg++) {
        for (size_t r = 0; r < m->pages[pg].nrows; r++) {
            struct row *row = &m->pages[pg].rows[r];

            for (size_t i = 0; i < row->npanels; i++)
                dashmodel_panel_fini(&row->panels[i]);
            free(row->panels);
            free(row->title);
        }
        free(m->pages[pg].rows);
        free(m->pages[pg].title);
    }
    for (size_t i = 0; i < m->nvariables; i++)
        dashmodel_var_fini(&m->variables[i]);
    free(m->variables);
    free(m->pages);
    free(m->title);
    memset(m, 0, sizeof(*m));
}

static size_t
find_value(char *const *vals, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (want != NULL && strcmp(vals[i], want) == 0)
            return i;
    return n;
}

void
dashmodel_var_set_values(struct variable *v, const char *const *vals,
                         size_t n)
{
    char *keep = NULL;
    char **nv = xcalloc(n ? n : 1, sizeof(*nv));
    bool was_all = v->all && v->current >= v->nvalues;

    if (!was_all && v->current < v->nvalues)
        keep = xstrdup(v->values[v->current]);
    for (size_t i = 0; i < v->nvalues; i++)
        free(v->values[i]);
    free(v->values);
    for (size_t i = 0; i < n; i++)
        nv[i] = xstrdup(vals[i]);
    v->values = nv;
    v->nvalues = n;
    /* Keep what the user picked; else the default; else All or the first. */
    if (was_all)
        v->current = n;
    else if (find_value(nv, n, keep) < n)
        v->current = find_value(nv, n, keep);
    else if (find_value(nv, n, v->default_value) < n)
        v->current = find_value(nv, n, v->default_value);
    else
        v->current = v->all ? n : 0;
    free(keep);
}

/* fmt[0..len) is the format name want. */
static bool
fmt_is(const char *fmt, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(fmt, want, len) == 0;
}

/*
 * What v stands for in format fmt[0..len) (len 0: Prometheus's default).
 * A custom All value is written as it is, as Grafana does, except in the
 * text and percentencode formats.
 */
static char *
var_text(const struct variable *v, const char *fmt, size_t len)
{
    static const char *const none[] = { "" };
    struct dashfmt_value val = { .name = v->name, .v = none, .n = 1 };
    bool all = v->all && v->current >= v->nvalues;
    const char *custom = all ? v->all_value : NULL;
    struct buf b;

    buf_init(&b, 0);
    if (custom != NULL && fmt_is(fmt, len, "text")) {
        buf_puts(&b, "All");
    } else if (custom != NULL && !fmt_is(fmt, len, "percentencode")) {
        buf_puts(&b, custom);
    } else {
        if (custom != NULL) {
            val.v = (const char *const *)&v->all_value;
        } else if (all) {
            val.v = (const char *const *)v->values;
            val.n = v->nvalues;
            val.list = val.regex = val.all = true;
        } else if (v->current < v->nvalues) {
            val.v = (const char *const *)&v->values[v->current];
            val.list = v->multi;
            val.regex = v->regex_value;
        }
        dashfmt_write(&b, &val, fmt, len);
    }
    return buf_steal(&b);
}

char *
dashmodel_var_text(const struct variable *v)
{
    return var_text(v, NULL, 0);
}

static bool
is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The text of a built-in $__ variable, or NULL when name is none. */
static char *
builtin_text(const char *name, size_t len,
             const struct dashmodel_interval *iv, int64_t range)
{
    char out[64];
    int64_t step = iv->step_ms, rate = iv->rate_ms;

    if (len == 10 && memcmp(name, "__interval", len) == 0)
        duration_format(step, out, sizeof(out));
    else if (len == 15 && memcmp(name, "__rate_interval", len) == 0)
        duration_format(rate, out, sizeof(out));
    else if (len == 7 && memcmp(name, "__range", len) == 0)
        duration_format(range, out, sizeof(out));
    else if (len == 13 && memcmp(name, "__interval_ms", len) == 0)
        return xasprintf("%lld", (long long)step);
    else if (len == 18 && memcmp(name, "__rate_interval_ms", len) == 0)
        return xasprintf("%lld", (long long)rate);
    else if (len == 10 && memcmp(name, "__range_ms", len) == 0)
        return xasprintf("%lld", (long long)range);
    else if (len == 9 && memcmp(name, "__range_s", len) == 0)
        return xasprintf("%lld", (long long)(range / 1000));
    else
        return NULL;
    return xstrdup(out);
}

/* A reference in a text: $name, ${name:fmt} or [[name:fmt]]. */
struct ref {
    const char *name;
    size_t nlen;
    const char *fmt;        /* the format after ':', or NULL */
    size_t flen;
};

/* The replacement for reference r, or NULL to keep it as written. */
static char *
lookup(const struct ref *r, const struct variable *vars, size_t nvars,
       const struct dashmodel_interval *iv, int64_t range)
{
    struct dashfmt_value val = { .n = 1 };
    struct buf b;
    char *text;

    for (size_t i = 0; i < nvars; i++)
        if (strlen(vars[i].name) == r->nlen
            && memcmp(vars[i].name, r->name, r->nlen) == 0)
            return var_text(&vars[i], r->fmt, r->flen);
    text = builtin_text(r->name, r->nlen, iv, range);
    if (text == NULL || r->flen == 0)
        return text;
    /* A built-in is one plain value; a format may still quote it. */
    buf_init(&b, 0);
    val.name = "";
    val.v = (const char *const *)&text;
    dashfmt_write(&b, &val, r->fmt, r->flen);
    free(text);
    return buf_steal(&b);
}

/* The length of the run of name characters at s. */
static size_t
name_len(const char *s)
{
    size_t n = 0;

    while (is_name_char(s[n]))
        n++;
    return n;
}

/*
 * reference = "$" name | "${" name [ ":" format ] "}"
 *           | "[[" name [ ":" name ] "]]"
 * format = any characters but "}", as Grafana reads them.
 * Fills *r and returns the reference's length, or 0 when text does not
 * start one.
 */
static size_t
scan_reference(const char *text, struct ref *r)
{
    size_t n, f = 0;

    memset(r, 0, sizeof(*r));
    if (text[0] == '$' && text[1] == '{') {
        r->name = text + 2;
        n = r->nlen = name_len(r->name);
        if (n > 0 && text[2 + n] == ':')
            while (text[3 + n + f] != '\0' && text[3 + n + f] != '}')
                f++;
        if (f > 0) {
            r->fmt = text + 3 + n;
            r->flen = f;
            n += f + 1;
        }
        return r->nlen > 0 && text[2 + n] == '}' ? n + 3 : 0;
    }
    if (text[0] == '$') {
        r->name = text + 1;
        r->nlen = name_len(r->name);
        return r->nlen > 0 ? r->nlen + 1 : 0;
    }
    if (text[0] != '[' || text[1] != '[')
        return 0;
    r->name = text + 2;
    n = r->nlen = name_len(r->name);
    if (n > 0 && text[2 + n] == ':' && (f = name_len(text + 3 + n)) > 0) {
        r->fmt = text + 3 + n;
        r->flen = f;
        n += f + 1;
    }
    return r->nlen > 0 && text[2 + n] == ']' && text[3 + n] == ']' ? n + 4
                                                                   : 0;
}

bool
dashmodel_refers(const char *text, const char *name)
{
    struct ref r;

    for (size_t i = 0; text[i] != '\0'; i++)
        if (scan_reference(text + i, &r) > 0 && strlen(name) == r.nlen
            && memcmp(r.name, name, r.nlen) == 0)
            return true;
    return false;
}

/* Appends the bytes of s, each mapped to source offset off. */
static void
put_mapped(struct buf *b, size_t **map, size_t *cap, const char *s,
           size_t n, size_t off, bool same)
{
    size_t at = b->len;

    buf_append(b, s, n);
    if (map == NULL)
        return;
    if (*cap < b->len + 1) {
        *cap = (b->len + 1) * 2;
        *map = xreallocarray(*map, *cap, sizeof(**map));
    }
    for (size_t i = 0; i < n; i++)
        (*map)[at + i] = same ? off + i : off;
}

char *
dashmodel_expand(const char *text, const struct variable *vars,
                 size_t nvars, const struct dashmodel_interval *iv,
                 int64_t range_ms, size_t **map)
{
    return dashmodel_expand_fmt(text, vars, nvars, iv, range_ms, NULL, map);
}

char *
dashmodel_expand_fmt(const char *text, const struct variable *vars,
                     size_t nvars, const struct dashmodel_interval *iv,
                     int64_t range_ms, const char *fmt, size_t **map)
{
    struct buf b;
    size_t cap = 0, i = 0;

    buf_init(&b, 0);
    if (map != NULL)
        *map = NULL;
    while (text[i] != '\0') {
        struct ref r;
        size_t ref = scan_reference(text + i, &r);
        char *rep;

        if (ref > 0 && r.flen == 0 && fmt != NULL) {
            r.fmt = fmt;
            r.flen = strlen(fmt);
        }
        rep = ref > 0 ? lookup(&r, vars, nvars, iv, range_ms) : NULL;

        if (rep != NULL) {
            put_mapped(&b, map, &cap, rep, strlen(rep), i, false);
            free(rep);
            i += ref;
        } else {
            put_mapped(&b, map, &cap, text + i, 1, i, true);
            i++;
        }
    }
    put_mapped(&b, map, &cap, "", 0, i, true);
    if (map != NULL) {
        if (*map == NULL)
            *map = xcalloc(1, sizeof(**map));
        (*map)[b.len] = i;
    }
    return buf_steal(&b);
}

static const char *
skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* The end of a selector: the first ',' outside braces, quotes and
 * parentheses, or the end of s. */
static const char *
selector_end(const char *s)
{
    int depth = 0;
    char quote = 0;

    for (; *s != '\0'; s++) {
        if (quote != 0) {
            if (*s == '\\' && s[1] != '\0')
                s++;
            else if (*s == quote)
                quote = 0;
        } else if (*s == '"' || *s == '\'' || *s == '`') {
            quote = *s;
        } else if (*s == '{' || *s == '(') {
            depth++;
        } else if (*s == '}' || *s == ')') {
            if (depth-- == 0)
                return s;
        } else if (*s == ',' && depth == 0) {
            return s;
        }
    }
    return s;
}

static int
lv_fail(const char *query, const char *at, const char *msg,
        const char **why, size_t *off)
{
    *why = msg;
    *off = (size_t)(at - query);
    return -1;
}

/* label_values = "label_values" "(" [ selector "," ] label ")" */
int
dashmodel_label_values(const char *query, char **selector, char **label,
                       const char **why, size_t *off)
{
    const char *p = skip_space(query), *a, *e;

    *selector = *label = NULL;
    if (strncmp(p, "label_values", 12) != 0)
        return lv_fail(query, p, "expected label_values(...)", why, off);
    p = skip_space(p + 12);
    if (*p != '(')
        return lv_fail(query, p, "expected '(' after label_values", why,
                       off);
    a = skip_space(p + 1);
    e = selector_end(a);
    if (*e == ',') {
        const char *t = e;

        while (t > a && isspace((unsigned char)t[-1]))
            t--;
        if (t == a)
            return lv_fail(query, a, "expected a selector before ','", why,
                           off);
        *selector = xstrndup(a, (size_t)(t - a));
        a = skip_space(e + 1);
    }
    for (e = a; is_name_char(*e); e++)
        ;
    if (e == a || isdigit((unsigned char)*a)) {
        free(*selector);
        *selector = NULL;
        return lv_fail(query, a, "expected a label name", why, off);
    }
    *label = xstrndup(a, (size_t)(e - a));
    p = skip_space(e);
    if (*p != ')' || *skip_space(p + 1) != '\0') {
        free(*selector);
        free(*label);
        *selector = *label = NULL;
        return lv_fail(query, p, "expected ')' after the label name (or "
                       "',' between the selector and the label)", why, off);
    }
    return 0;
}
