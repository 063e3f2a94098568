/*
 * The two metadata endpoints, as web/api/v1/api.go of Prometheus 2.42
 * answers them. /api/v1/metadata merges every target's entries into one
 * object: per metric, the distinct (type, help, unit) triples; limit
 * caps the number of metrics (Prometheus takes them in map order, this
 * in name order). /api/v1/targets/metadata lists entries per target;
 * its limit stops taking targets once that many entries are listed, so
 * the last target may pass it, as Prometheus's loop does.
 */
#include "src/api/api_metadata.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query/match.h"
#include "query/parse.h"
#include "src/api/api_meta.h"
#include "src/api/apijson.h"
#include "src/api/reply.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"

/*
 * The limit parameter as Go's strconv.Atoi reads it: an optional sign
 * and decimal digits that fit 64 bits; absent or empty is -1 (none).
 * False after replying 400 in Prometheus's words.
 */
static bool
limit_param(const struct api_params *p, struct http_response *rs,
            long long *limit)
{
    const char *s = api_params_get(p, "limit"), *d;
    char *end;

    *limit = -1;
    if (s == NULL || *s == '\0')
        return true;
    d = s + (*s == '+' || *s == '-');
    errno = 0;
    if (*d >= '0' && *d <= '9') {
        *limit = strtoll(s, &end, 10);
        if (errno == 0 && *end == '\0')
            return true;
    }
    reply_error(rs, "bad_data", "limit must be a number");
    return false;
}

/* A string as Go's encoder writes it. */
static void
put_str(struct buf *b, const char *s)
{
    api_json_go_string(b, s);
}

/* "type":...,"help":...,"unit":... */
static void
put_fields(struct buf *b, const struct meta_info *m)
{
    buf_puts(b, "\"type\":");
    put_str(b, m->type);
    buf_puts(b, ",\"help\":");
    put_str(b, m->help);
    buf_puts(b, ",\"unit\":");
    put_str(b, m->unit);
}

/* --- /api/v1/metadata ---------------------------------------------------- */

/* A target's set and its place, to visit each distinct set once. */
struct keyed {
    const void *key;
    size_t i;
};

static int
cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    uintptr_t kx = (uintptr_t)x->key, ky = (uintptr_t)y->key;

    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int
cmp_info(const void *a, const void *b)
{
    const struct meta_info *x = a, *y = b;
    int c = strcmp(x->metric, y->metric);

    if (c == 0)
        c = strcmp(x->type, y->type);
    if (c == 0)
        c = strcmp(x->help, y->help);
    return c != 0 ? c : strcmp(x->unit, y->unit);
}

/* The entries (of metric only, when not NULL) of the distinct sets in
 * v, sorted; *out is the caller's to free. Identical sets are visited
 * once: a thousand targets of one exporter cost one pass. */
static size_t
gather(const struct meta_view *v, const char *metric, struct meta_info **out)
{
    size_t nt = meta_view_count(v), n = 0, cap = 0;
    struct keyed *k = xcalloc(nt + 1, sizeof(*k));
    struct meta_info *e = NULL;

    for (size_t i = 0; i < nt; i++)
        k[i] = (struct keyed){ meta_view_set_key(v, i), i };
    qsort(k, nt, sizeof(*k), cmp_keyed);
    for (size_t x = 0; x < nt; x++) {
        size_t i = k[x].i;
        size_t ne = metric != NULL ? 1 : meta_view_entries(v, i);

        if (x > 0 && k[x].key == k[x - 1].key)
            continue;
        if (n + ne > cap) {
            cap = (n + ne) * 2;
            e = xreallocarray(e, cap, sizeof(*e));
        }
        if (metric != NULL)
            n += meta_view_find(v, i, metric, &e[n]);
        else
            for (size_t j = 0; j < ne; j++)
                meta_view_entry(v, i, j, &e[n++]);
    }
    free(k);
    if (n > 0)
        qsort(e, n, sizeof(*e), cmp_info);
    *out = e;
    return n;
}

void
api_metadata_metrics(struct meta_reg *reg, const struct api_params *p,
                     struct http_response *rs)
{
    const char *metric = api_params_get(p, "metric");
    struct meta_view *v;
    struct meta_info *e = NULL;
    long long limit, names = 0;
    struct buf b;
    size_t n;

    if (!limit_param(p, rs, &limit))
        return;
    buf_init(&b, 0);
    buf_putc(&b, '{');
    v = reg != NULL ? meta_view_new(reg) : NULL;
    n = v != NULL ? gather(v, metric != NULL && *metric != '\0' ? metric
                                                                : NULL, &e)
                  : 0;
    for (size_t i = 0; i < n; i++) {
        bool first = i == 0 || strcmp(e[i].metric, e[i - 1].metric) != 0;

        if (!first && cmp_info(&e[i], &e[i - 1]) == 0)
            continue;           /* the same triple from another set */
        if (first && limit >= 0 && names >= limit)
            break;
        if (first) {
            buf_puts(&b, names++ > 0 ? "]," : "");
            put_str(&b, e[i].metric);
            buf_puts(&b, ":[");
        } else {
            buf_putc(&b, ',');
        }
        buf_putc(&b, '{');
        put_fields(&b, &e[i]);
        buf_putc(&b, '}');
    }
    buf_puts(&b, names > 0 ? "]}" : "}");
    free(e);
    meta_view_free(v);
    reply_data(rs, buf_str(&b));
    buf_fini(&b);
}

/* --- /api/v1/targets/metadata -------------------------------------------- */

/* Whether a target's labels pass the matchers (past the first skip),
 * a missing label counting as "". */
static bool
target_matches(const struct labels *ls, const struct qnode *sel, size_t skip)
{
    for (size_t i = skip; sel != NULL && i < sel->nm; i++) {
        const char *v = labels_get(ls, sel->m[i].name);

        if (!qmatch_matches(&sel->m[i], v != NULL ? v : ""))
            return false;
    }
    return true;
}

/* One element; metric NULL leaves "metric" out (omitempty). */
static void
put_target_entry(struct buf *b, size_t *count, const struct labels *ls,
                 const struct meta_info *m, bool with_metric)
{
    buf_puts(b, (*count)++ > 0 ? ",{\"target\":" : "{\"target\":");
    api_json_labels(b, ls);
    if (with_metric) {
        buf_puts(b, ",\"metric\":");
        put_str(b, m->metric);
    }
    buf_putc(b, ',');
    put_fields(b, m);
    buf_putc(b, '}');
}

void
api_metadata_targets(struct meta_reg *reg, const struct api_params *p,
                     struct http_response *rs)
{
    const char *metric = api_params_get(p, "metric");
    const char *match = api_params_get(p, "match_target");
    const struct qnode *sel = NULL;
    struct query *q = NULL;
    struct meta_view *v;
    size_t count = 0, skip = 0;
    long long limit;
    struct buf b;

    if (!limit_param(p, rs, &limit))
        return;
    if (match != NULL && *match != '\0') {
        if ((q = api_meta_selector("match_target", match, &skip, rs)) == NULL)
            return;
        sel = qparse_root(q);
    }
    buf_init(&b, 0);
    buf_putc(&b, '[');
    v = reg != NULL ? meta_view_new(reg) : NULL;
    for (size_t i = 0; v != NULL && i < meta_view_count(v); i++) {
        const struct labels *ls = meta_view_labels(v, i);
        struct meta_info m;

        if (limit >= 0 && (long long)count >= limit)
            break;
        if (!target_matches(ls, sel, skip))
            continue;
        if (metric != NULL && *metric != '\0') {
            if (meta_view_find(v, i, metric, &m))
                put_target_entry(&b, &count, ls, &m, false);
            continue;
        }
        for (size_t j = 0; j < meta_view_entries(v, i); j++) {
            meta_view_entry(v, i, j, &m);
            put_target_entry(&b, &count, ls, &m, true);
        }
    }
    buf_putc(&b, ']');
    meta_view_free(v);
    qparse_free(q);
    reply_data(rs, buf_str(&b));
    buf_fini(&b);
}
