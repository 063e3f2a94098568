/*
 * The scrape commit: from the exposition parser's samples to the store.
 * Samples are staged while a body parses and reach the store only once
 * the whole body parsed, with the synthetic series and staleness markers
 * Prometheus writes. The series cache maps raw series text to ids so a
 * known series skips relabelling. It never fetches or schedules.
 */
#include "scrape/commit.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/relabel_target.h"
#include "src/base/arena.h"
#include "src/base/xalloc.h"

/* The cache's id for a series metric_relabel_configs drops. */
#define DROPPED_ID UINT32_MAX
/* FNV-1a's offset basis, where a cache key's hash starts. */
#define FNV_OFFSET 0xcbf29ce484222325ULL

/* ORDER synth */
static const char *const synth_names[] = {
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added",
};
_Static_assert(sizeof(synth_names) / sizeof(synth_names[0]) == SYN_COUNT,
               "synth_names out of step with enum synth");

/* ---- the series cache ---------------------------------------------- */

static struct cache_entry *
cache_slot(struct series_cache *c, const char *key, size_t len, uint64_t h)
{
    size_t mask = c->cap - 1;

    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct cache_entry *e = &c->v[i];

        if (e->key == NULL || (e->hash == h && e->len == len &&
                               memcmp(e->key, key, len) == 0))
            return e;
    }
}

static struct cache_entry *
cache_find(struct series_cache *c, const char *key, size_t len, uint64_t h)
{
    struct cache_entry *e;

    if (c->cap == 0)
        return NULL;
    e = cache_slot(c, key, len, h);
    return e->key != NULL ? e : NULL;
}

/* Re-inserts the entries (seen in scrape keep_iter, or all when keep_all)
 * into a table of new_cap slots, freeing the others' keys. */
static void
cache_rebuild(struct series_cache *c, size_t new_cap, bool keep_all,
              uint32_t keep_iter)
{
    struct cache_entry *old = c->v;
    size_t old_cap = c->cap;

    c->v = xcalloc(new_cap, sizeof(*c->v));
    c->cap = new_cap;
    c->n = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key == NULL)
            continue;
        if (!keep_all && old[i].iter != keep_iter) {
            free(old[i].key);
            continue;
        }
        *cache_slot(c, old[i].key, old[i].len, old[i].hash) = old[i];
        c->n++;
    }
    free(old);
}

static void
cache_insert(struct series_cache *c, const char *key, size_t len,
             uint64_t h, uint32_t id, uint32_t iter)
{
    struct cache_entry *e;

    if ((c->n + 1) * 4 > c->cap * 3)
        cache_rebuild(c, c->cap != 0 ? c->cap * 2 : 64, true, 0);
    e = cache_slot(c, key, len, h);
    assert(e->key == NULL);
    e->key = xstrndup(key, len);
    e->len = len;
    e->hash = h;
    e->id = id;
    e->iter = iter;
    c->n++;
}

/* Drops entries not seen in scrape iter, shrinking the table with them. */
static void
cache_sweep(struct series_cache *c, uint32_t iter)
{
    size_t live = 0, cap = 64;

    for (size_t i = 0; i < c->cap; i++)
        if (c->v[i].key != NULL && c->v[i].iter == iter)
            live++;
    if (live == c->n)
        return;
    while (live * 4 > cap * 3 / 2)
        cap *= 2;
    cache_rebuild(c, cap, false, iter);
}

static void
cache_clear(struct series_cache *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->v[i].key);
    free(c->v);
    memset(c, 0, sizeof(*c));
}

/* ---- staging --------------------------------------------------------- */

/* Go's %.50q, nearly: the first 50 bytes, quoted, with \ and " escaped. */
static void
quote50(char *out, size_t cap, const char *v)
{
    size_t o = 0;

    out[o++] = '"';
    for (size_t i = 0; v[i] != '\0' && i < 50 && o + 4 < cap; i++) {
        if (v[i] == '"' || v[i] == '\\')
            out[o++] = '\\';
        if (v[i] == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
            continue;
        }
        out[o++] = v[i];
    }
    out[o++] = '"';
    out[o] = '\0';
}

/*
 * label_limit, label_name_length_limit and label_value_length_limit on
 * the final label set of a new series, in Prometheus's words; -1 (and
 * t->stage.limit_error set) when one is exceeded.
 */
static int
check_label_limits(struct target *t, const struct expo_sample *s,
                   const struct labels *ls)
{
    const struct target_conf *c = &t->conf;
    char *err = t->stage.limit_error;
    size_t errsz = sizeof(t->stage.limit_error);
    int mlen = s->series_len < 50 ? (int)s->series_len : 50;
    char q[128];

    if (c->label_limit > 0 && ls->n > c->label_limit) {
        snprintf(err, errsz,
                 "label_limit exceeded (metric: %.*s, number of labels: "
                 "%zu, limit: %zu)", mlen, s->series, ls->n, c->label_limit);
        return -1;
    }
    for (size_t i = 0; i < ls->n; i++) {
        const struct label *l = &ls->v[i];

        if (c->name_limit > 0 && strlen(l->name) > c->name_limit) {
            snprintf(err, errsz,
                     "label_name_length_limit exceeded (metric: %.*s, "
                     "label name: %.50s, length: %zu, limit: %zu)", mlen,
                     s->series, l->name, strlen(l->name), c->name_limit);
            return -1;
        }
        if (c->value_limit > 0 && strlen(l->value) > c->value_limit) {
            quote50(q, sizeof(q), l->value);
            snprintf(err, errsz,
                     "label_value_length_limit exceeded (metric: %.*s, "
                     "label name: %.50s, value: %s, length: %zu, limit: "
                     "%zu)", mlen, s->series, l->name, q, strlen(l->value),
                     c->value_limit);
            return -1;
        }
    }
    return 0;
}

/*
 * The series id for a sample the cache does not know: the scraped name
 * and labels through relabel_series_labels (target labels attached as
 * honor_labels says, then metric_relabel_configs), then the label limits.
 * Returns DROPPED_ID for a series the rules drop; fails (-1) for a series
 * without a valid name (t->stage.sdiag set) or over a label limit
 * (t->stage.limit_error set), which fails the whole scrape as in Prometheus.
 */
static int
resolve_series(struct scrape_pool *p, struct target *t,
               const struct expo_sample *s, uint32_t *id)
{
    struct arena *a = p->scratch;
    size_t n = 0;
    struct label *v;
    struct labels ls;
    int rc;

    arena_reset(a);
    v = arena_alloc(a, (1 + s->nlabels) * sizeof(*v));
    v[n].name = LABEL_METRIC_NAME;
    v[n++].value = arena_strndup(a, s->name, s->name_len);
    for (size_t i = 0; i < s->nlabels; i++) {
        const struct expo_label *l = &s->labels[i];

        v[n].name = arena_strndup(a, l->name, l->name_len);
        v[n++].value = arena_strndup(a, l->value, l->value_len);
    }
    ls.v = v;
    ls.n = n;
    rc = relabel_series_labels(&ls, &t->ident.labels, t->conf.honor,
                               t->conf.mrules, p->lb, &t->stage.sdiag);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        *id = DROPPED_ID;
        return 0;
    }
    if (check_label_limits(t, s, relabel_builder_labels(p->lb)) != 0)
        return -1;
    *id = store_series_id(p->st, relabel_builder_labels(p->lb));
    return 0;
}

/* The series first, from the cache when it is there; then the sample. */
int
commit_stage(void *ctx, const struct expo_sample *s)
{
    struct target *t = ctx;
    struct target_stage *g = &t->stage;
    struct target_series *sr = &t->series;
    uint64_t h = target_hash_bytes(s->series, s->series_len, FNV_OFFSET);
    struct cache_entry *e = cache_find(&sr->cache, s->series, s->series_len,
                                       h);
    struct staged *st;
    uint32_t id;

    if (e != NULL) {
        e->iter = sr->iter;
        id = e->id;
    } else {
        if (resolve_series(t->pool, t, s, &id) != 0) {
            g->series_failed = true;
            return 1;
        }
        cache_insert(&sr->cache, s->series, s->series_len, h, id, sr->iter);
        if (id != DROPPED_ID)
            g->series_added++;
    }
    /* A dropped series is remembered so the next scrape skips it cheaply. */
    if (id == DROPPED_ID)
        return 0;
    if (g->nstaged == g->capstaged) {
        g->capstaged = g->capstaged != 0 ? g->capstaged * 2 : 256;
        g->staged = xreallocarray(g->staged, g->capstaged,
                                  sizeof(*g->staged));
    }
    st = &g->staged[g->nstaged];
    st->id = id;
    st->seq = (uint32_t)g->nstaged++;
    /* honor_timestamps: an exposed timestamp wins over the scrape's,
     * unless the job says to ignore them; then staleness applies. */
    st->tracked = !s->has_ts || t->conf.ignore_timestamps;
    st->t = st->tracked ? t->xfer.start_ms : s->ts;
    st->v = s->value;
    return 0;
}

/* ---- commit ---------------------------------------------------------- */

static int
cmp_staged(const void *a, const void *b)
{
    const struct staged *x = a, *y = b;

    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
append(struct target *t, uint32_t id, int64_t ts, double v)
{
    if (store_append(t->pool->st, id, ts, v) != 0)
        t->status.out_of_order++;
}

/*
 * Writes the staged samples, first of each series only, and collects the
 * tracked series of this scrape (sorted, unique) into *cur.
 */
static size_t
write_staged(struct target *t, uint32_t **cur, size_t *capcur)
{
    struct target_stage *g = &t->stage;
    size_t n = 0;

    qsort(g->staged, g->nstaged, sizeof(*g->staged), cmp_staged);
    for (size_t i = 0; i < g->nstaged; i++) {
        const struct staged *s = &g->staged[i];

        if (i > 0 && g->staged[i - 1].id == s->id) {
            t->status.duplicates++;
            continue;
        }
        append(t, s->id, s->t, s->v);
        if (!s->tracked)
            continue;
        if (n == *capcur) {
            *capcur = *capcur != 0 ? *capcur * 2 : 64;
            *cur = xreallocarray(*cur, *capcur, sizeof(**cur));
        }
        (*cur)[n++] = s->id;
    }
    return n;
}

/* Marks stale, at ts, every series of prev that cur (both sorted) lacks. */
static void
mark_gone(struct target *t, const uint32_t *prev, size_t nprev,
          const uint32_t *cur, size_t ncur, int64_t ts)
{
    size_t j = 0;

    for (size_t i = 0; i < nprev; i++) {
        while (j < ncur && cur[j] < prev[i])
            j++;
        if (j < ncur && cur[j] == prev[i])
            continue;
        append(t, prev[i], ts, store_stale_nan());
    }
}

/*
 * All or nothing, as Prometheus does. The cache is cleared on failure: a
 * long outage can outlive the store's retention and let ids be reused.
 * Transport errors do not count their partial bodies because Prometheus
 * never parses them; a parse error keeps its counts.
 */
void
commit_scrape(struct target *t, bool ok, bool counted, double duration_s)
{
    struct target_series *sr = &t->series;
    int64_t ts = t->xfer.start_ms;
    uint32_t *cur = NULL;
    size_t ncur = 0, capcur = 0, scraped;
    double synth[SYN_COUNT];

    if (ok) {
        ncur = write_staged(t, &cur, &capcur);
        mark_gone(t, sr->prev, sr->nprev, cur, ncur, ts);
        free(sr->prev);
        sr->prev = cur;
        sr->nprev = ncur;
        sr->capprev = capcur;
        cache_sweep(&sr->cache, sr->iter);
    } else {
        mark_gone(t, sr->prev, sr->nprev, NULL, 0, ts);
        sr->nprev = 0;
        cache_clear(&sr->cache);
    }
    scraped = counted && t->stage.parser != NULL ? expo_count(t->stage.parser)
                                                 : 0;
    synth[SYN_UP] = ok ? 1 : 0;
    synth[SYN_DURATION] = duration_s;
    synth[SYN_SCRAPED] = (double)scraped;
    /* Only samples metric_relabel_configs kept were staged. */
    synth[SYN_POST_RELABEL] = counted ? (double)t->stage.nstaged : 0;
    synth[SYN_SERIES_ADDED] = counted ? (double)t->stage.series_added : 0;
    for (int i = 0; i < SYN_COUNT; i++)
        append(t, sr->synth[i], ts, synth[i]);
    t->status.samples = scraped;
}

/* sample_limit counts the samples staged, those metric_relabel_configs
 * kept, as Prometheus counts after relabelling. */
void
commit_error(struct target *t, const char *error)
{
    const struct target_stage *g = &t->stage;
    char *out = t->status.last_error;
    size_t cap = sizeof(t->status.last_error);

    if (g->limit_error[0] != '\0')
        snprintf(out, cap, "%s", g->limit_error);
    else if (g->series_failed)
        snprintf(out, cap, "%s", g->sdiag.msg);
    else if (g->parse_failed && g->pdiag.line > 0)
        snprintf(out, cap, "parse error at line %d: %s", g->pdiag.line,
                 g->pdiag.msg);
    else if (g->parse_failed)
        snprintf(out, cap, "parse error: %s", g->pdiag.msg);
    else if (error != NULL)
        snprintf(out, cap, "%s", error);
    else if (t->conf.sample_limit > 0 && g->nstaged > t->conf.sample_limit)
        snprintf(out, cap, "sample limit exceeded");
    else
        out[0] = '\0';
}

void
commit_synth_ids(struct target *t)
{
    struct label *v = xcalloc(t->ident.labels.n + 1, sizeof(*v));
    struct labels ls = { .v = v };

    for (int i = 0; i < SYN_COUNT; i++) {
        ls.n = 0;
        v[ls.n].name = LABEL_METRIC_NAME;
        v[ls.n++].value = synth_names[i];
        for (size_t j = 0; j < t->ident.labels.n; j++)
            if (t->ident.labels.v[j].value[0] != '\0')
                v[ls.n++] = t->ident.labels.v[j];
        labels_sort(&ls);
        t->series.synth[i] = store_series_id(t->pool->st, &ls);
    }
    free(v);
}

void
commit_retire(struct target *t, int64_t now_ms)
{
    assert(!t->xfer.running);
    mark_gone(t, t->series.prev, t->series.nprev, NULL, 0, now_ms);
    if (t->status.scrapes > 0)
        for (int i = 0; i < SYN_COUNT; i++)
            append(t, t->series.synth[i], now_ms, store_stale_nan());
}

void
commit_forget(struct target *t)
{
    cache_clear(&t->series.cache);
}
