/*
 * The scrape commit: from the exposition parser's samples to the store.
 * Samples, and the label sets of series not yet in the store, are staged
 * in the target's memory within a budget while a body parses; they reach
 * the store only once the whole body parsed, with the synthetic series
 * and staleness markers Prometheus writes, so a failed scrape leaves no
 * trace but those. The series cache maps raw series text to ids so a
 * known series skips relabelling. It never fetches or schedules.
 */
#include "scrape/commit.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/cache.h"
#include "scrape/relabel_target.h"
#include "src/base/arena.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"

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

/* ---- staging --------------------------------------------------------- */

/*
 * Go's %.50q, nearly: the first 50 bytes of the value v stands for,
 * quoted, with \ and " escaped and a newline and a NUL byte as Go writes
 * them.
 */
static void
quote50(char *out, size_t cap, const char *v)
{
    size_t o = 0;

    out[o++] = '"';
    for (size_t i = 0; v[0] != '\0' && i < 50 && o + 6 < cap; i++) {
        if (strncmp(v, LABELS_NUL, 2) == 0) {
            memcpy(out + o, "\\x00", 4);
            o += 4;
            v += 2;
            continue;
        }
        if (*v == '"' || *v == '\\')
            out[o++] = '\\';
        if (*v == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
            v++;
            continue;
        }
        out[o++] = *v++;
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
        /* Go's len: bytes of the value, a NUL byte counting one. */
        size_t vlen = labels_value_len(l->value);

        if (c->name_limit > 0 && strlen(l->name) > c->name_limit) {
            snprintf(err, errsz,
                     "label_name_length_limit exceeded (metric: %.*s, "
                     "label name: %.50s, length: %zu, limit: %zu)", mlen,
                     s->series, l->name, strlen(l->name), c->name_limit);
            return -1;
        }
        if (c->value_limit > 0 && vlen > c->value_limit) {
            quote50(q, sizeof(q), l->value);
            snprintf(err, errsz,
                     "label_value_length_limit exceeded (metric: %.*s, "
                     "label name: %.50s, value: %s, length: %zu, limit: "
                     "%zu)", mlen, s->series, l->name, q, vlen,
                     c->value_limit);
            return -1;
        }
    }
    return 0;
}

/* ---- the stage ------------------------------------------------------- */

/*
 * Adds n bytes to what the scrape holds; past its budget the scrape
 * fails, in Prometheus's words for a body over body_size_limit, since the
 * budget is a multiple of that limit.
 */
static int
charge(struct target *t, size_t n)
{
    struct target_stage *g = &t->stage;

    g->bytes += n;
    if (g->budget == 0 || g->bytes <= g->budget)
        return 0;
    g->too_big = true;
    snprintf(g->limit_error, sizeof(g->limit_error),
             "body size limit exceeded (staging it needs over %zu MiB)",
             g->budget >> 20);
    return -1;
}

/* Makes room for one more element in *v (n used of *cap, size bytes
 * each), charging the growth; -1 when that breaks the budget. */
static int
reserve(struct target *t, void **v, size_t n, size_t *cap, size_t size)
{
    size_t want;

    if (n < *cap)
        return 0;
    want = *cap != 0 ? *cap * 2 : 256;
    if (charge(t, (want - *cap) * size) != 0)
        return -1;
    *v = xreallocarray(*v, want, size);
    *cap = want;
    return 0;
}

/*
 * Stages the final label set of a series the scrape would create, packed
 * into the stage's arena, and returns its provisional id (STAGE_NEW plus
 * its index); -1 when that breaks the budget.
 */
static int
stage_series(struct target *t, const struct labels *ls, uint32_t *id)
{
    struct target_stage *g = &t->stage;
    size_t size = 1;
    char *p;

    for (size_t i = 0; i < ls->n; i++)
        size += strlen(ls->v[i].name) + strlen(ls->v[i].value) + 2;
    if (g->nfresh >= STAGE_NEW - 1 || charge(t, size + 16) != 0 ||
        reserve(t, (void **)&g->fresh, g->nfresh, &g->capfresh,
                sizeof(*g->fresh)) != 0)
        return -1;
    if (g->labels == NULL)
        g->labels = arena_new();
    p = arena_alloc(g->labels, size);
    g->fresh[g->nfresh] = p;
    for (size_t i = 0; i < ls->n; i++) {
        size_t nn = strlen(ls->v[i].name) + 1, vn = strlen(ls->v[i].value);

        memcpy(p, ls->v[i].name, nn);
        memcpy(p + nn, ls->v[i].value, vn + 1);
        p += nn + vn + 1;
    }
    *p = '\0';
    *id = STAGE_NEW | (uint32_t)g->nfresh++;
    return 0;
}

/*
 * A scraped value as a label string. Prometheus 2.42 keeps a NUL byte
 * inside a label value (its lexers skip NULs in a value, and the value
 * is the raw bytes between the quotes), so the value must not end at it:
 * the store carries it as C0 80 (store/labels.h).
 */
static const char *
label_string(struct arena *a, const char *v, size_t n)
{
    struct buf b;
    char *out;

    if (memchr(v, '\0', n) == NULL)
        return arena_strndup(a, v, n);
    buf_init(&b, 0);
    labels_nul_encode(v, n, &b);
    out = arena_strndup(a, buf_str(&b), b.len);
    buf_fini(&b);
    return out;
}

/*
 * The series for a sample the cache does not know: the scraped name and
 * labels through relabel_series_labels (target labels attached as
 * honor_labels says, then metric_relabel_configs), then the label limits;
 * its final label set is staged, not yet created. Returns CACHE_DROPPED for
 * a series the rules drop; fails (-1) for a series without a valid name
 * (t->stage.sdiag set), over a label limit or over the budget
 * (t->stage.limit_error set), which fails the whole scrape as in
 * Prometheus.
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
        v[n++].value = label_string(a, l->value, l->value_len);
    }
    ls.v = v;
    ls.n = n;
    rc = relabel_series_labels(&ls, &t->ident.labels, t->conf.honor,
                               t->conf.mrules, p->lb, &t->stage.sdiag);
    if (rc < 0) {
        t->stage.series_failed = true;
        return -1;
    }
    if (rc == 0) {
        *id = CACHE_DROPPED;
        return 0;
    }
    if (check_label_limits(t, s, relabel_builder_labels(p->lb)) != 0)
        return -1;
    return stage_series(t, relabel_builder_labels(p->lb), id);
}

/* Stages one sample of series id; -1 when that breaks the budget. */
static int
stage_sample(struct target *t, const struct expo_sample *s, uint32_t id)
{
    struct target_stage *g = &t->stage;
    struct staged *st;

    if (reserve(t, (void **)&g->staged, g->nstaged, &g->capstaged,
                sizeof(*g->staged)) != 0)
        return -1;
    st = &g->staged[g->nstaged++];
    st->id = id;
    st->v = s->value;
    st->ts = STAGE_NO_TS;
    /* honor_timestamps: an exposed timestamp wins over the scrape's,
     * unless the job says to ignore them; then staleness applies. */
    if (s->has_ts && !t->conf.ignore_timestamps) {
        if (reserve(t, (void **)&g->ts, g->nts, &g->capts,
                    sizeof(*g->ts)) != 0)
            return -1;
        st->ts = (uint32_t)g->nts;
        g->ts[g->nts++] = s->ts;
    }
    return 0;
}

/*
 * The series first, from the cache when it is there; then the sample.
 * Past sample_limit the scrape has failed already: samples are counted,
 * not kept.
 */
int
commit_stage(void *ctx, const struct expo_sample *s)
{
    struct target *t = ctx;
    struct target_stage *g = &t->stage;
    struct target_series *sr = &t->series;
    struct cache_entry *e;
    uint32_t id;

    /* The parser compared the text with the one the cache expects. */
    if (s->expected)
        e = cache_take(&sr->cache);
    else
        e = cache_find(&sr->cache, s->series, s->series_len);
    if (e != NULL && e->id != CACHE_DROPPED && e->iter == sr->iter) {
        /* The same series text again in this body: the first one wins. */
        g->kept++;
        g->dups++;
        return 0;
    }
    if (e != NULL) {
        e->iter = sr->iter;
        id = e->id;
    } else if (s->labels_skipped) {
        return EXPO_SINK_NEED_LABELS;   /* new: relabelling needs them */
    } else {
        /* What the cache may come to hold for it: its key and entry
         * twice over (both grow by doubling) and two table slots (the
         * table is at most 3/4 full and doubles too). */
        if (resolve_series(t->pool, t, s, &id) != 0 ||
            charge(t, 2 * (s->series_len + sizeof(*e)) +
                      4 * sizeof(uint64_t)) != 0)
            return 1;
        cache_insert(&sr->cache, s->series, s->series_len, id, sr->iter);
        if (id != CACHE_DROPPED)
            g->series_added++;
    }
    /* A dropped series is remembered so the next scrape skips it cheaply. */
    if (id == CACHE_DROPPED)
        return 0;
    g->kept++;
    if (t->conf.sample_limit > 0 && g->kept > t->conf.sample_limit)
        return 0;
    return stage_sample(t, s, id) != 0;
}

const char *
commit_expect(void *ctx, size_t *len)
{
    struct target *t = ctx;

    return cache_peek(&t->series.cache, len);
}

void
commit_begin(struct target *t)
{
    struct target_stage *g = &t->stage;
    size_t body = t->conf.max_body != 0 ? t->conf.max_body
                                        : FETCH_DEFAULT_MAX_BODY;

    assert(g->parser == NULL);
    commit_end(t);
    memset(g, 0, sizeof(*g));
    g->budget = body <= SIZE_MAX / COMMIT_STAGE_FACTOR
                ? body * COMMIT_STAGE_FACTOR : 0;
    if (g->budget != 0 && g->budget < COMMIT_STAGE_FLOOR)
        g->budget = COMMIT_STAGE_FLOOR;
    t->series.iter++;
    cache_rewind(&t->series.cache);
}

void
commit_end(struct target *t)
{
    struct target_stage *g = &t->stage;

    expo_free(g->parser);
    g->parser = NULL;
    /* A thousand idle targets should not each hold a body's worth. */
    free(g->staged);
    free(g->ts);
    free(g->fresh);
    arena_free(g->labels);
    g->staged = NULL;
    g->ts = NULL;
    g->fresh = NULL;
    g->labels = NULL;
    g->nstaged = g->capstaged = g->nts = g->capts = 0;
    g->nfresh = g->capfresh = 0;
}

/* ---- commit ---------------------------------------------------------- */

static void
append(struct target *t, uint32_t id, int64_t ts, double v)
{
    if (store_append(t->pool->st, id, ts, v) != 0)
        t->status.out_of_order++;
}

/*
 * Creates (or finds) the series the scrape staged, in the store, now that
 * it succeeded; returns their ids by index (NULL when there are none).
 */
static uint32_t *
create_series(struct target *t)
{
    struct target_stage *g = &t->stage;
    uint32_t *ids = g->nfresh ? xreallocarray(NULL, g->nfresh, sizeof(*ids))
                              : NULL;
    struct label *v = NULL;
    size_t cap = 0;

    for (size_t i = 0; i < g->nfresh; i++) {
        struct labels ls = { v, 0 };

        for (const char *p = g->fresh[i]; *p != '\0'; ls.n++) {
            if (ls.n == cap) {
                cap = cap ? cap * 2 : 16;
                v = xreallocarray(v, cap, sizeof(*v));
            }
            v[ls.n].name = p;
            v[ls.n].value = p + strlen(p) + 1;
            p = v[ls.n].value + strlen(v[ls.n].value) + 1;
        }
        ls.v = v;
        ids[i] = store_series_id(t->pool->st, &ls);
    }
    free(v);
    return ids;
}

/* The store id of a staged id. */
static uint32_t
real_id(const uint32_t *fresh, uint32_t id)
{
    return (id & STAGE_NEW) != 0 ? fresh[id & ~STAGE_NEW] : id;
}

static int
cmp_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/*
 * How many appends ahead write_staged asks the store to load each step
 * of an append (store_prefetch): far enough for a cache miss to land,
 * near enough that what it loaded is still there.
 */
#define PREFETCH_AHEAD 8

/* Asks the store to load, for the staged sample i, step 0 of its append,
 * for i - PREFETCH_AHEAD step 1 and for i - 2 * PREFETCH_AHEAD step 2. */
static void
prefetch_staged(struct target *t, const uint32_t *fresh, size_t i)
{
    const struct target_stage *g = &t->stage;

    for (int step = 0; step < 3; step++, i -= PREFETCH_AHEAD) {
        if (i < g->nstaged)
            store_prefetch(t->pool->st, real_id(fresh, g->staged[i].id),
                           step);
    }
}

/*
 * Writes the staged samples in body order, the first of each series only,
 * and returns the tracked series of this scrape (sorted, unique) in *cur,
 * a malloc'd array; the return value is their count.
 */
static size_t
write_staged(struct target *t, const uint32_t *fresh, uint32_t **cur)
{
    struct target_stage *g = &t->stage;
    uint32_t lo = UINT32_MAX, hi = 0;
    uint64_t *seen;
    size_t n = 0;

    /* The bitmap of ids written spans this scrape's ids only: a target's
     * series were mostly created together, so that is a few words, where
     * one from id 0 up took 128 KiB to clear each scrape at a million
     * series. */
    for (size_t i = 0; i < g->nstaged; i++) {
        uint32_t id = real_id(fresh, g->staged[i].id);

        lo = id < lo ? id : lo;
        hi = id > hi ? id : hi;
    }
    seen = xcalloc(lo <= hi ? (size_t)(hi - lo) / 64 + 1 : 1, sizeof(*seen));
    *cur = xreallocarray(NULL, g->nstaged ? g->nstaged : 1, sizeof(**cur));
    t->status.duplicates += g->dups;
    for (size_t i = 0; i < g->nstaged; i++) {
        const struct staged *s = &g->staged[i];
        uint32_t id = real_id(fresh, s->id), bit = id - lo;

        prefetch_staged(t, fresh, i + 3 * PREFETCH_AHEAD);
        if (seen[bit / 64] & (1ULL << (bit % 64))) {
            t->status.duplicates++;
            continue;
        }
        seen[bit / 64] |= 1ULL << (bit % 64);
        append(t, id, s->ts == STAGE_NO_TS ? t->xfer.start_ms : g->ts[s->ts],
               s->v);
        if (s->ts == STAGE_NO_TS)
            (*cur)[n++] = id;
    }
    free(seen);
    /* A body lists its series in the order they were created as a rule,
     * so the ids are sorted already, and qsort would still compare
     * n log n times each scrape. */
    for (size_t i = 1; i < n; i++) {
        if ((*cur)[i - 1] > (*cur)[i]) {
            qsort(*cur, n, sizeof(**cur), cmp_id);
            break;
        }
    }
    /* Kept until the next scrape: only as long as it needs to be. */
    *cur = xreallocarray(*cur, n ? n : 1, sizeof(**cur));
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
    uint32_t *cur = NULL, *fresh;
    size_t ncur = 0, scraped;
    double synth[SYN_COUNT];

    if (ok) {
        fresh = create_series(t);
        /* Provisional ids are this scrape's new series only. */
        if (fresh != NULL)
            cache_settle(&sr->cache, fresh);
        ncur = write_staged(t, fresh, &cur);
        free(fresh);
        mark_gone(t, sr->prev, sr->nprev, cur, ncur, ts);
        free(sr->prev);
        sr->prev = cur;
        sr->nprev = ncur;
        sr->capprev = ncur;
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
    /* Samples metric_relabel_configs kept, repeats included. */
    synth[SYN_POST_RELABEL] = counted ? (double)t->stage.kept : 0;
    synth[SYN_SERIES_ADDED] = counted ? (double)t->stage.series_added : 0;
    for (int i = 0; i < SYN_COUNT; i++)
        append(t, sr->synth[i], ts, synth[i]);
    t->status.samples = scraped;
}

/* sample_limit counts the samples metric_relabel_configs kept, as
 * Prometheus counts after relabelling. */
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
    else if (t->conf.sample_limit > 0 && g->kept > t->conf.sample_limit)
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
