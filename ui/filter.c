/*
 * The series filter. Parsing is a single split at the first matcher
 * operator after a label name; anything else is a substring search, so
 * every text the user types means something and no error is possible.
 * A regex match that cannot be decided (too complex for a value, or past
 * the draw's time budget) lets the series through and leaves a note,
 * since hiding it would be an answer the filter does not have.
 */
#include "ui/filter.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "store/labels.h"
#include "ui/format.h"

enum fop { F_SUBSTR, F_EQ, F_NE, F_RE, F_NRE };

struct series_filter {
    enum fop op;
    char *name;             /* label name; NULL for F_SUBSTR */
    char *value;            /* the value, or the substring */
    struct regex *re;       /* F_RE and F_NRE */
    double deadline;        /* filter_panel's budget ends (CPU time) */
    bool undecided;         /* some match could not be decided */
};

/*
 * The CPU time one panel's filtering may spend matching, so that a slow
 * regex cannot freeze the screen: the series left are let through.
 */
#define PANEL_BUDGET_S 0.1

static bool
name_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (!first && c >= '0' && c <= '9');
}

/* Drops surrounding blanks and one pair of double quotes. */
static char *
unquote(const char *s)
{
    size_t n;

    s += strspn(s, " ");
    n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    return xstrndup(s, n);
}

/* matcher := name ( "=" | "!=" | "=~" | "!~" ) value */
static bool
parse_matcher(struct series_filter *f, const char *text)
{
    const char *s = text + strspn(text, " "), *name = s;
    size_t nlen;

    if (!name_char(*s, true))
        return false;
    while (name_char(*s, false))
        s++;
    nlen = (size_t)(s - name);
    s += strspn(s, " ");
    if (strncmp(s, "=~", 2) == 0 || strncmp(s, "!~", 2) == 0
        || strncmp(s, "!=", 2) == 0) {
        f->op = s[1] == '~' ? (s[0] == '=' ? F_RE : F_NRE) : F_NE;
        s += 2;
    } else if (*s == '=') {
        f->op = F_EQ;
        s++;
    } else {
        return false;
    }
    f->name = xstrndup(name, nlen);
    f->value = unquote(s);
    if (f->op == F_RE || f->op == F_NRE) {
        struct diag d;

        f->re = regex_new(f->value, &d);
        if (f->re == NULL) {
            free(f->name);
            free(f->value);
            f->name = f->value = NULL;
            return false;
        }
    }
    return true;
}

struct series_filter *
filter_new(const char *text)
{
    struct series_filter *f;

    if (text == NULL || text[strspn(text, " ")] == '\0')
        return NULL;
    f = xcalloc(1, sizeof *f);
    if (!parse_matcher(f, text)) {
        f->op = F_SUBSTR;
        f->value = xstrdup(text);
    }
    return f;
}

void
filter_free(struct series_filter *f)
{
    if (f == NULL)
        return;
    regex_free(f->re);
    free(f->name);
    free(f->value);
    free(f);
}

/* The value of label name in ls, "" when absent (as PromQL reads it). */
static const char *
label_value(const struct labels *ls, const char *name)
{
    for (size_t i = 0; i < ls->n; i++)
        if (strcmp(ls->v[i].name, name) == 0)
            return ls->v[i].value;
    return "";
}

bool
filter_match(struct series_filter *f, const struct labels *ls)
{
    const char *v;
    struct buf b;
    size_t before;
    bool hit;

    if (f == NULL)
        return true;
    if (f->op == F_SUBSTR) {
        buf_init(&b, 0);
        labels_format(ls, &b);
        hit = strstr(buf_str(&b), f->value) != NULL;
        buf_fini(&b);
        return hit;
    }
    v = label_value(ls, f->name);
    switch (f->op) {
    case F_EQ: return strcmp(v, f->value) == 0;
    case F_NE: return strcmp(v, f->value) != 0;
    default: break;
    }
    before = regex_undecided(f->re);
    hit = labels_regex_match(f->re, v);
    if (regex_undecided(f->re) != before) {
        f->undecided = true;
        return true;
    }
    return hit == (f->op == F_RE);
}

const char *
filter_note(const struct series_filter *f)
{
    return f != NULL && f->undecided
           ? "regex undecided for some series (too complex or too slow): "
             "shown unfiltered" : NULL;
}

/* The regex's stop hook: past the panel's budget. */
static bool
past_budget(void *ctx)
{
    const struct series_filter *f = ctx;

    return time_cpu_s() > f->deadline;
}

/* A copy of r holding only the series that pass. */
static struct qresult *
filter_result(struct series_filter *f, const struct qresult *r)
{
    struct qresult *out = xmalloc(sizeof *out);

    *out = *r;
    out->arena = NULL;
    if (r->type != QV_VECTOR && r->type != QV_MATRIX)
        return out;
    out->series = xcalloc(r->nseries + 1, sizeof *out->series);
    out->nseries = 0;
    for (size_t i = 0; i < r->nseries; i++)
        if (filter_match(f, &r->series[i].labels))
            out->series[out->nseries++] = r->series[i];
    return out;
}

void
filter_panel(struct series_filter *f, const struct panel *p,
             struct panel *out)
{
    *out = *p;
    out->queries = xcalloc(p->nqueries + 1, sizeof *out->queries);
    if (f != NULL && f->re != NULL) {
        f->deadline = time_cpu_s() + PANEL_BUDGET_S;
        regex_set_stop(f->re, past_budget, f);
    }
    for (size_t i = 0; i < p->nqueries; i++) {
        out->queries[i] = p->queries[i];
        if (p->queries[i].result != NULL)
            out->queries[i].result = filter_result(f, p->queries[i].result);
    }
    if (f != NULL && f->re != NULL)
        regex_set_stop(f->re, NULL, NULL);
}

void
filter_panel_fini(struct panel *out)
{
    for (size_t i = 0; i < out->nqueries; i++) {
        struct qresult *r = out->queries[i].result;

        if (r == NULL)
            continue;
        if (r->type == QV_VECTOR || r->type == QV_MATRIX)
            free(r->series);
        free(r);
    }
    free(out->queries);
    out->queries = NULL;
    out->nqueries = 0;
}
