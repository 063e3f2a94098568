/*
 * The TSDB status page as Prometheus 2.42 shapes it: headStats (series,
 * distinct label pairs, chunks, oldest and newest sample) and four lists
 * of the ten largest: series by metric name, distinct values by label
 * name, bytes of values by label name, series by label pair.
 */
#include "src/api/api_tsdb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/api/apijson.h"
#include "src/api/reply.h"
#include "src/base/version.h"
#include "src/base/xalloc.h"
#include "store/labels.h"

#define TOP 10

struct stat {
    const char *name;       /* borrowed from the store or built */
    char *owned;            /* name when built here */
    uint64_t value;
};

struct pair {
    const char *name, *value;
};

static int
cmp_stat(const void *a, const void *b)
{
    const struct stat *x = a, *y = b;

    return x->value != y->value ? (x->value < y->value ? 1 : -1)
                                : labels_strcmp(x->name, y->name);
}

static int
cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    int c = labels_strcmp(x->name, y->name);

    return c != 0 ? c : labels_strcmp(x->value, y->value);
}

/* [{"name":..,"value":..}] of the TOP largest, then frees the stats. */
static void
put_top(struct buf *out, const char *key, struct stat *s, size_t n)
{
    if (n > 0)
        qsort(s, n, sizeof(*s), cmp_stat);
    buf_printf(out, ",\"%s\":[", key);
    for (size_t i = 0; i < n && i < TOP; i++) {
        buf_puts(out, i ? ",{\"name\":" : "{\"name\":");
        api_json_go_string(out, s[i].name);
        buf_printf(out, ",\"value\":%llu}", (unsigned long long)s[i].value);
    }
    buf_putc(out, ']');
    for (size_t i = 0; i < n; i++)
        free(s[i].owned);
    free(s);
}

/* Runs of equal pairs (sorted) as stats: by name only, or name=value. */
static size_t
count_runs(const struct pair *p, size_t n, bool by_pair, struct stat **out)
{
    struct stat *s = xcalloc(n + 1, sizeof(*s));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        bool same = i > 0 && strcmp(p[i].name, p[i - 1].name) == 0
                    && (!by_pair || strcmp(p[i].value, p[i - 1].value) == 0);

        if (same) {
            s[k - 1].value++;
            continue;
        }
        s[k].owned = by_pair ? xasprintf("%s=%s", p[i].name, p[i].value)
                             : NULL;
        s[k].name = by_pair ? s[k].owned : p[i].value;
        s[k++].value = 1;
    }
    *out = s;
    return k;
}

/* Per label name: distinct values, and the bytes of those values. */
static void
per_name(const struct store *st, struct buf *out, uint64_t *pairs)
{
    const char **names;
    size_t nn = store_label_names(st, &names);
    struct stat *count = xcalloc(nn + 1, sizeof(*count));
    struct stat *bytes = xcalloc(nn + 1, sizeof(*bytes));

    *pairs = 0;
    for (size_t i = 0; i < nn; i++) {
        const char **values;
        size_t nv = store_label_values(st, names[i], &values);

        count[i].name = bytes[i].name = names[i];
        count[i].value = nv;
        for (size_t j = 0; j < nv; j++)
            bytes[i].value += strlen(values[j]);
        *pairs += nv;
        free(values);
    }
    put_top(out, "labelValueCountByLabelName", count, nn);
    put_top(out, "memoryInBytesByLabelName", bytes, nn);
    free(names);
}

/* The oldest and newest sample of the series. */
static void
time_span(const struct store *st, const uint32_t *ids, size_t n,
          int64_t *mint, int64_t *maxt)
{
    struct sample *buf = NULL, last;
    size_t cap = 0;

    *mint = INT64_MAX;
    *maxt = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        /* Reading only up to the oldest time seen so far keeps this to
         * about one chunk per series. */
        if (store_read(st, ids[i], INT64_MIN, *mint, &buf, &cap) > 0
            && buf[0].t < *mint)
            *mint = buf[0].t;
        if (store_last(st, ids[i], INT64_MAX, &last) && last.t > *maxt)
            *maxt = last.t;
    }
    free(buf);
}

static void
write_status(const struct store *st, struct buf *out)
{
    struct store_matcher all = { STORE_NEQ, "__name__", "", NULL };
    struct store_stats stats;
    struct pair *p = NULL, *names;
    struct label *ls = NULL;
    struct stat *s;
    size_t n, np = 0, nnames = 0, lcap = 0;
    uint32_t *ids;
    int64_t mint, maxt;
    uint64_t pairs;
    struct buf lists;

    store_get_stats(st, &stats);
    n = store_select(st, &all, 1, &ids);
    time_span(st, ids, n, &mint, &maxt);
    names = xcalloc(n + 1, sizeof(*names));
    for (size_t i = 0; i < n; i++) {
        size_t nl = store_series_labels(st, ids[i], &ls, &lcap, 0);

        p = xreallocarray(p, np + nl + 1, sizeof(*p));
        for (size_t j = 0; j < nl; j++) {
            p[np].name = ls[j].name;
            p[np++].value = ls[j].value;
            if (strcmp(ls[j].name, "__name__") == 0)
                names[nnames++] = p[np - 1];
        }
    }
    free(ls);
    buf_init(&lists, 0);
    if (nnames > 0)
        qsort(names, nnames, sizeof(*names), cmp_pair);
    put_top(&lists, "seriesCountByMetricName", s,
            count_runs(names, nnames, false, &s));
    per_name(st, &lists, &pairs);
    if (np > 0)
        qsort(p, np, sizeof(*p), cmp_pair);
    put_top(&lists, "seriesCountByLabelValuePair", s,
            count_runs(p, np, true, &s));
    buf_printf(out, "{\"headStats\":{\"numSeries\":%zu,\"numLabelPairs\":"
               "%llu,\"chunkCount\":%zu,\"minTime\":%lld,\"maxTime\":%lld}",
               n, (unsigned long long)pairs, stats.chunks, (long long)mint,
               (long long)maxt);
    buf_puts(out, buf_str(&lists));
    buf_putc(out, '}');
    buf_fini(&lists);
    free(p);
    free(names);
    free(ids);
}

void
api_tsdb_status(const struct store *st, struct http_response *rs)
{
    struct buf data;

    buf_init(&data, 0);
    store_read_lock(st);
    write_status(st, &data);
    store_read_unlock(st);
    reply_data(rs, buf_str(&data));
    buf_fini(&data);
}

void
api_tsdb_buildinfo(struct http_response *rs)
{
    reply_data(rs, "{\"version\":\"" PROMDECK_VERSION "\",\"revision\":\"\","
               "\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\","
               "\"goVersion\":\"\"}");
}
