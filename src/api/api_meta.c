/*
 * Series, label names and label values. A match[] parameter must be a
 * bare instant vector selector, as Prometheus's ParseMetricSelector
 * wants: it is compiled as PromQL and its matchers are read from the
 * root of the syntax tree (query/parse.h), the one place outside query/
 * that looks at the tree, so the two parsers cannot disagree.
 */
#include "src/api/api_meta.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "query/match.h"
#include "query/parse.h"
#include "src/api/apijson.h"
#include "src/api/reply.h"
#include "src/base/xalloc.h"
#include "store/labels.h"

/* The compiled match[] selectors of one request. */
struct selectors {
    struct query **q;
    size_t n;
};

static void
selectors_free(struct selectors *s)
{
    for (size_t i = 0; i < s->n; i++)
        qparse_free(s->q[i]);
    free(s->q);
}

/*
 * What Prometheus's selector parser says about text after a selector:
 * 'unexpected "("' or 'unexpected <offset>', at the byte where the bare
 * selector ends.
 */
static void
not_a_selector(struct http_response *rs, const char *param, const char *text)
{
    size_t i = 0, len = strlen(text);
    int depth = 0;
    char quote = 0;

    while (i < len && isspace((unsigned char)text[i]))
        i++;
    while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '_'
                       || text[i] == ':'))
        i++;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    for (; i < len && (depth > 0 || text[i] == '{'); i++) {
        if (quote != 0)
            quote = text[i] == '\\' ? (i++, quote)
                    : text[i] == quote ? 0 : quote;
        else if (text[i] == '"' || text[i] == '\'' || text[i] == '`')
            quote = text[i];
        else
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
    }
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (strncmp(text + i, "offset", 6) == 0)
        reply_error(rs, "bad_data", "invalid parameter \"%s\": 1:%zu: "
                    "parse error: unexpected <offset>", param, i + 1);
    else
        reply_error(rs, "bad_data", "invalid parameter \"%s\": 1:%zu: "
                    "parse error: unexpected \"%c\"", param, i + 1,
                    i < len ? text[i] : ' ');
}

/* A selector must match something besides the empty label set. */
static bool
some_matcher_nonempty(const struct qnode *n)
{
    for (size_t i = 0; i < n->nm; i++)
        if (!qmatch_matches(&n->m[i], ""))
            return true;
    return false;
}

static void
empty_selector(struct http_response *rs, const char *param)
{
    reply_error(rs, "bad_data", "invalid parameter \"%s\": %s "
                "must contain at least one non-empty matcher", param, param);
}

/*
 * PromQL refuses a selector whose matchers all accept "", but a bare
 * selector (ParseMetricSelector) may be one: such a text, which has no
 * metric name, is compiled with one matcher more that rejects "",
 * {__name__=~".+", ...}: the first in the list, for the caller to skip.
 */
static struct query *
compile_any(const char *text, struct diag *d)
{
    const char *brace = text + strspn(text, " \t\r\n");
    struct query *q;
    char *wide;

    if (*brace != '{')
        return NULL;
    wide = xasprintf("{__name__=~\".+\",%s", brace + 1);
    diag_clear(d);
    q = qparse_query(wide, strlen(wide), d);
    free(wide);
    return q;
}

struct query *
api_meta_selector(const char *param, const char *text, size_t *skip,
                  struct http_response *rs)
{
    bool nonempty = skip == NULL;
    const struct qnode *root;
    struct query *q;
    struct diag d;

    if (skip != NULL)
        *skip = 0;
    diag_clear(&d);
    if ((q = qparse_query(text, strlen(text), &d)) == NULL) {
        bool empty = strstr(d.msg, "at least one non-empty matcher")
                     != NULL;
        char *msg = api_parse_error_text(param, &d);

        if (empty && !nonempty && (q = compile_any(text, &d)) != NULL) {
            free(msg);
            *skip = 1;
            return q;
        }
        /* The API checks this before the parser does, in its own
         * words. */
        if (empty)
            empty_selector(rs, param);
        else
            reply_error(rs, "bad_data", "%s", msg);
        free(msg);
        return NULL;
    }
    root = qparse_root(q);
    if (root->kind != QN_SELECTOR || root->range != 0
        || root->has_offset || root->at != QAT_NONE) {
        not_a_selector(rs, param, text);
    } else if (nonempty && !some_matcher_nonempty(root)) {
        empty_selector(rs, param);
    } else {
        return q;
    }
    qparse_free(q);
    return NULL;
}

/* Compiles every match[]; false after replying 400. */
static bool
parse_selectors(const struct api_params *p, struct selectors *s,
                struct http_response *rs)
{
    size_t n = api_params_count(p, "match[]");

    s->q = xcalloc(n + 1, sizeof(*s->q));
    s->n = 0;
    for (size_t i = 0; i < n; i++) {
        const char *text = api_params_nth(p, "match[]", i);

        if ((s->q[s->n] = api_meta_selector("match[]", text, NULL, rs))
            == NULL)
            return false;
        s->n++;
    }
    return true;
}

static int
cmp_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* Whether the series has a sample in [start, end]. */
static bool
in_range(const struct store *st, uint32_t id, int64_t start, int64_t end)
{
    struct sample s;

    return store_last(st, id, end, &s) && s.t >= start;
}

/*
 * The ids of the series any selector matches with a sample in [start,
 * end], ascending and distinct; the caller frees them. Under the read
 * lock.
 */
static size_t
select_ids(const struct store *st, const struct selectors *s, int64_t start,
           int64_t end, uint32_t **out)
{
    uint32_t *all = NULL;
    size_t n = 0, k = 0;

    for (size_t i = 0; i < s->n; i++) {
        const struct qnode *root = qparse_root(s->q[i]);
        uint32_t *ids;
        size_t m = store_select(st, root->m, root->nm, &ids);

        all = xreallocarray(all, n + m + 1, sizeof(*all));
        if (m > 0)
            memcpy(all + n, ids, m * sizeof(*ids));
        n += m;
        free(ids);
    }
    if (n > 0)
        qsort(all, n, sizeof(*all), cmp_id);
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || all[i] != all[i - 1])
            && in_range(st, all[i], start, end))
            all[k++] = all[i];
    *out = all;
    return k;
}

static int
cmp_sets(const void *a, const void *b)
{
    return labels_cmp(a, b);
}

/*
 * The label sets of the series ids[0..n), sorted as Prometheus sorts
 * series, in a malloc'd array; their pairs, built by the store, in
 * *pairs, which the caller frees with it. Under the read lock.
 */
static struct labels *
sorted_sets(const struct store *st, const uint32_t *ids, size_t n,
            struct label **pairs)
{
    struct labels *sets = xcalloc(n + 1, sizeof(*sets));
    size_t cap = 0, len = 0;

    *pairs = NULL;
    for (size_t i = 0; i < n; i++) {
        sets[i].n = store_series_labels(st, ids[i], pairs, &cap, len);
        len += sets[i].n;
    }
    /* Pointed at only now: the buffer moves while it grows. */
    for (size_t i = 0, at = 0; i < n; at += sets[i++].n)
        sets[i].v = *pairs + at;
    if (n > 1)
        qsort(sets, n, sizeof(*sets), cmp_sets);
    return sets;
}

/* start and end, defaulting to all time; false after replying 400. */
static bool
time_range(const struct api_params *p, struct http_response *rs,
           int64_t *start, int64_t *end)
{
    return reply_time_param(rs, p, "start", INT64_MIN, start)
           && reply_time_param(rs, p, "end", INT64_MAX, end);
}

void
api_meta_series(const struct store *st, const struct api_params *p,
                struct http_response *rs)
{
    struct selectors s = { 0 };
    struct buf data;
    struct labels *sets;
    struct label *pairs;
    uint32_t *ids;
    int64_t start, end;
    size_t n;

    if (api_params_count(p, "match[]") == 0) {
        reply_error(rs, "bad_data", "no match[] parameter provided");
        return;
    }
    if (!time_range(p, rs, &start, &end) || !parse_selectors(p, &s, rs)) {
        selectors_free(&s);
        return;
    }
    buf_init(&data, 0);
    buf_putc(&data, '[');
    store_read_lock(st);
    n = select_ids(st, &s, start, end, &ids);
    sets = sorted_sets(st, ids, n, &pairs);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(&data, ',');
        labels_json(&sets[i], &data);
    }
    store_read_unlock(st);
    free(sets);
    free(pairs);
    buf_putc(&data, ']');
    reply_data(rs, buf_str(&data));
    buf_fini(&data);
    free(ids);
    selectors_free(&s);
}

static int
cmp_str(const void *a, const void *b)
{
    return labels_strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A JSON array of the strings, sorted and distinct (they may repeat). */
static void
put_strings(struct buf *out, const char **v, size_t n)
{
    size_t k = 0;

    if (n > 0)
        qsort(v, n, sizeof(*v), cmp_str);
    buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && labels_strcmp(v[i], v[i - 1]) == 0)
            continue;
        if (k++ > 0)
            buf_putc(out, ',');
        api_json_go_string(out, v[i]);
    }
    buf_putc(out, ']');
}

/*
 * The label names (name NULL) or the values of one name, of the series
 * the selectors match, or of every series without selectors. Under the
 * read lock.
 */
static void
collect(const struct store *st, const struct selectors *s, const char *name,
        int64_t start, int64_t end, struct buf *out)
{
    const char **v = NULL;
    struct label *ls = NULL;
    uint32_t *ids = NULL;
    size_t n = 0, nids, lcap = 0;

    if (s->n == 0) {
        n = name == NULL ? store_label_names(st, &v)
                         : store_label_values(st, name, &v);
        put_strings(out, v, n);
        free(v);
        return;
    }
    nids = select_ids(st, s, start, end, &ids);
    for (size_t i = 0; i < nids; i++) {
        size_t nl = store_series_labels(st, ids[i], &ls, &lcap, 0);

        v = xreallocarray(v, n + nl + 1, sizeof(*v));
        for (size_t j = 0; j < nl; j++)
            if (name == NULL)
                v[n++] = ls[j].name;
            else if (strcmp(ls[j].name, name) == 0)
                v[n++] = ls[j].value;
    }
    put_strings(out, v, n);
    free(v);
    free(ls);
    free(ids);
}

static void
names_or_values(const struct store *st, const char *name,
                const struct api_params *p, struct http_response *rs)
{
    struct selectors s = { 0 };
    int64_t start, end;
    struct buf data;

    if (!time_range(p, rs, &start, &end) || !parse_selectors(p, &s, rs)) {
        selectors_free(&s);
        return;
    }
    buf_init(&data, 0);
    store_read_lock(st);
    collect(st, &s, name, start, end, &data);
    store_read_unlock(st);
    reply_data(rs, buf_str(&data));
    buf_fini(&data);
    selectors_free(&s);
}

void
api_meta_labels(const struct store *st, const struct api_params *p,
                struct http_response *rs)
{
    names_or_values(st, NULL, p, rs);
}

void
api_meta_label_values(const struct store *st, const char *name,
                      const struct api_params *p, struct http_response *rs)
{
    if (!api_label_name_valid(name)) {
        reply_error(rs, "bad_data", "invalid label name: \"%s\"", name);
        return;
    }
    names_or_values(st, name, p, rs);
}
