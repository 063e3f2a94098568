/*
 * The scrape pool: schedule, fetch, parse and commit for every target.
 * Bodies stream from scrape/fetch into the exposition parser; samples are
 * staged per scrape and reach the store only once the whole body parsed.
 * Series labels go through scrape/relabel_target (target labels,
 * honor_labels, metric_relabel_configs) once per new raw series text;
 * the per-job limits (samples, labels, body size) fail a scrape as they
 * fail it in Prometheus. It does no discovery, and never blocks: all I/O
 * goes through the fetcher's multi handle. It runs just past 1000 lines:
 * the series cache, the limits and the target lifecycle all work on the
 * one private struct target, and splitting them would expose it.
 */
#include "scrape/pool.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/expo.h"
#include "scrape/fetch.h"
#include "scrape/relabel_target.h"
#include "src/base/arena.h"
#include "src/base/diag.h"
#include "src/base/duration.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"

/* The longest exposition line accepted. */
#define MAX_LINE ((size_t)1 << 20)
/* New targets start within this much (or their interval, if shorter). */
#define FIRST_SPREAD_MS 1000
/* The cache's id for a series metric_relabel_configs drops. */
#define DROPPED_ID UINT32_MAX

/* ORDER synth: the synthetic series every scrape writes. */
enum synth {
    SYN_UP,
    SYN_DURATION,
    SYN_SCRAPED,
    SYN_POST_RELABEL,
    SYN_SERIES_ADDED,
    SYN_COUNT
};
static const char *const synth_names[] = {
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added",
};
_Static_assert(sizeof(synth_names) / sizeof(synth_names[0]) == SYN_COUNT,
               "synth_names out of step with enum synth");

/* One entry of the series cache: raw series text to series id. */
struct cache_entry {
    char *key;              /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    uint32_t id;
    uint32_t iter;          /* the scrape that last saw it */
};

/* Open addressing with linear probing; cap is 0 or a power of two. */
struct series_cache {
    struct cache_entry *v;
    size_t cap, n;
};

/* A sample waiting for its scrape to finish. */
struct staged {
    uint32_t id;
    uint32_t seq;           /* position in the body: the first one wins */
    int64_t t;
    double v;
    bool tracked;           /* no explicit timestamp: subject to staleness */
};

/*
 * A target and its scrape state, grouped by concern. Invariants:
 * xfer.running is true exactly while xfer.conn is busy; stage.parser is
 * non-NULL only while running; series.prev holds the sorted, unique ids
 * of the tracked series of the last successful scrape (empty after a
 * failed one).
 */

/* Who the target is: fixed when it is created, but for discovered. */
struct target_ident {
    char *job, *url;
    char *shown_url;            /* url with any password as <secret> */
    const char *instance;       /* in labels, or "" */
    struct labels labels;       /* owned copies */
    char *discovered;           /* formatted, for the targets view */
    uint64_t hash;              /* of url and labels: identity and slot */
};

/* How it is scraped: its definition's settings, renewed by set_targets. */
struct target_conf {
    struct fetch_http http;     /* owned copies of the strings */
    bool has_http;
    int64_t timeout_ms;
    size_t max_body;
    bool ignore_timestamps;
    size_t sample_limit, label_limit, name_limit, value_limit;
    const struct relabel_rules *mrules;     /* borrowed; may be NULL */
    bool honor;
    char forced_error[200];     /* target_limit broken: never fetch */
};

/* When it is scraped. */
struct target_sched {
    int64_t interval_ms;
    int64_t next_ms;            /* when the next scrape is due */
};

/* The transfer in flight. */
struct target_xfer {
    struct fetch_conn *conn;
    bool running;
    int64_t start_ms;           /* wall clock: the scrape's timestamp */
    double mono_start;          /* monotonic: for its duration */
};

/* The parse of the scrape in flight and the samples it staged. */
struct target_stage {
    struct expo *parser;
    bool parse_failed, series_failed;
    struct diag pdiag;
    struct diag sdiag;          /* why a series failed the scrape */
    char limit_error[400];      /* a label limit broke this scrape */
    struct staged *staged;
    size_t nstaged, capstaged;
    size_t series_added;
};

/* The series it reports: the cache of ids, and what staleness needs. */
struct target_series {
    struct series_cache cache;
    bool cache_stale;           /* clear the cache when this scrape ends */
    uint32_t iter;              /* the scrape number cache entries carry */
    uint32_t *prev;
    size_t nprev, capprev;
    uint32_t synth[SYN_COUNT];  /* the synthetic series' ids */
};

/* What the status shows: the last finished scrape, and totals. */
struct target_status {
    int health;
    int64_t last_scrape_ms;
    double last_duration_s;
    size_t samples, scrapes, out_of_order, duplicates;
    char last_error[600];
};

struct target {
    struct scrape_pool *pool;
    struct target_ident ident;
    struct target_conf conf;
    struct target_sched sched;
    struct target_xfer xfer;
    struct target_stage stage;
    struct target_series series;
    struct target_status status;
};

struct scrape_pool {
    struct store *st;
    struct fetch *fetch;
    struct target **t;
    size_t n;
    struct arena *scratch;      /* labels of one new series at a time */
    struct relabel_builder *lb; /* its final labels */
    size_t finished;            /* scrapes committed in this pump */
};

/* FNV-1a over the raw series text: the keys are short, and a target that
 * crafts colliding names only slows down its own cache. */
static uint64_t
hash_bytes(const char *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

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

/* The parser's sink: finds the series (cache first) and stages the sample. */
static int
stage_sample(void *ctx, const struct expo_sample *s)
{
    struct target *t = ctx;
    struct target_stage *g = &t->stage;
    struct target_series *sr = &t->series;
    uint64_t h = hash_bytes(s->series, s->series_len, 0xcbf29ce484222325ULL);
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

static void
make_parser(struct target *t, const char *content_type)
{
    struct expo_sink sink = { .ctx = t, .sample = stage_sample };

    if (t->stage.parser == NULL)
        t->stage.parser = expo_new(expo_format_for(content_type), &sink,
                                   MAX_LINE);
}

static void
on_headers(void *ctx, const char *content_type)
{
    make_parser(ctx, content_type);
}

static int
on_data(void *ctx, const char *p, size_t n)
{
    struct target *t = ctx;

    make_parser(t, NULL);
    if (expo_feed(t->stage.parser, p, n, &t->stage.pdiag) != 0) {
        t->stage.parse_failed = true;
        return 1;
    }
    return 0;
}

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
commit_staged(struct target *t, uint32_t **cur, size_t *capcur)
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
 * Commits a finished scrape. On success the staged samples go in and the
 * series that vanished since the last success get staleness markers; on
 * failure nothing staged is stored and every series of the last success
 * is marked stale, as Prometheus does. The cache is cleared on failure:
 * a long outage can outlive the store's retention and let ids be reused.
 * counted is false for transport errors, whose partial bodies count as
 * empty (Prometheus never parses them); a parse error keeps its counts.
 */
static void
commit_scrape(struct target *t, bool ok, bool counted, double duration_s)
{
    struct target_series *sr = &t->series;
    int64_t ts = t->xfer.start_ms;
    uint32_t *cur = NULL;
    size_t ncur = 0, capcur = 0, scraped;
    double synth[SYN_COUNT];

    if (ok) {
        ncur = commit_staged(t, &cur, &capcur);
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

/*
 * The text of a scrape's failure, "" when it succeeded. A broken limit
 * says so in Prometheus's words, ahead of the parse error or the abort
 * it caused; sample_limit counts every sample the body held.
 */
static void
scrape_error(struct target *t, const char *error)
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

/* The fetcher's done callback: the scrape ends here, one way or another. */
static void
on_done(void *ctx, const char *error)
{
    struct target *t = ctx;
    double dur;
    bool ok, counted;

    if (error == NULL) {
        make_parser(t, NULL);
        if (expo_finish(t->stage.parser, &t->stage.pdiag) != 0)
            t->stage.parse_failed = true;
    }
    scrape_error(t, error);
    ok = t->status.last_error[0] == '\0';
    if (!ok)
        log_debug("%s: %s: %s", __func__, t->ident.shown_url,
                  t->status.last_error);
    /* A body cut short by our own parser or limits still counts. */
    counted = error == NULL || t->stage.parse_failed;
    dur = time_mono_s() - t->xfer.mono_start;
    commit_scrape(t, ok, counted, dur);
    if (t->series.cache_stale)
        cache_clear(&t->series.cache);
    t->series.cache_stale = false;
    expo_free(t->stage.parser);
    t->stage.parser = NULL;
    /* A thousand idle targets should not each hold a body's worth. */
    free(t->stage.staged);
    t->stage.staged = NULL;
    t->stage.nstaged = t->stage.capstaged = 0;
    t->xfer.running = false;
    t->status.health = ok ? 1 : 2;
    t->status.last_scrape_ms = t->xfer.start_ms;
    t->status.last_duration_s = dur;
    t->status.scrapes++;
    t->pool->finished++;
}

static void
start_scrape(struct target *t, int64_t now_ms)
{
    struct fetch_request req = {
        .url = t->ident.url,
        .timeout_ms = t->conf.timeout_ms,
        .max_body = t->conf.max_body,
        .http = t->conf.has_http ? &t->conf.http : NULL,
    };
    struct fetch_callbacks cb = {
        .ctx = t,
        .headers = on_headers,
        .data = on_data,
        .done = on_done,
    };

    t->xfer.running = true;
    t->stage.parse_failed = false;
    t->stage.limit_error[0] = '\0';
    t->stage.series_failed = false;
    diag_clear(&t->stage.pdiag);
    diag_clear(&t->stage.sdiag);
    t->xfer.start_ms = now_ms;
    t->xfer.mono_start = time_mono_s();
    t->stage.nstaged = 0;
    t->stage.series_added = 0;
    t->series.iter++;
    if (t->conf.forced_error[0] != '\0')
        on_done(t, t->conf.forced_error);
    else
        fetch_start(t->xfer.conn, &req, &cb);
}

/* The number of string fields in a fetch_http. */
#define HTTP_STRINGS 11

/* Pointers to the string fields of h, for copying and freeing them. */
static void
http_strings(struct fetch_http *h, const char **f[HTTP_STRINGS])
{
    f[0] = &h->proxy_url;
    f[1] = &h->username;
    f[2] = &h->password;
    f[3] = &h->password_file;
    f[4] = &h->auth_type;
    f[5] = &h->credentials;
    f[6] = &h->credentials_file;
    f[7] = &h->ca_file;
    f[8] = &h->cert_file;
    f[9] = &h->key_file;
    f[10] = &h->server_name;
}

/* Frees the strings, wiping them first: some are secrets. */
static void
http_free(struct fetch_http *h)
{
    const char **f[HTTP_STRINGS];

    http_strings(h, f);
    for (size_t i = 0; i < HTTP_STRINGS; i++)
        if (*f[i] != NULL) {
            memset((char *)*f[i], 0, strlen(*f[i]));
            free((char *)*f[i]);
        }
    memset(h, 0, sizeof(*h));
}

/* Deep copy of src into dst (which holds nothing). */
static void
http_copy(struct fetch_http *dst, const struct fetch_http *src)
{
    const char **f[HTTP_STRINGS];

    *dst = *src;
    http_strings(dst, f);
    for (size_t i = 0; i < HTTP_STRINGS; i++)
        if (*f[i] != NULL)
            *f[i] = xstrdup(*f[i]);
}

/* The URL as shown: a password in its address becomes <secret>. */
static char *
shown_url(const char *url)
{
    const char *auth = strstr(url, "://"), *end;
    char *authority, *shown, *out;

    if (auth == NULL)
        return xstrdup(url);
    auth += 3;
    end = auth + strcspn(auth, "/?#");
    authority = xstrndup(auth, (size_t)(end - auth));
    shown = relabel_target_shown_address(authority);
    out = xasprintf("%.*s%s%s", (int)(auth - url), url, shown, end);
    memset(authority, 0, strlen(authority));
    free(authority);
    free(shown);
    return out;
}

/* The settings a kept target takes from its new definition. */
static void
target_settings(struct target *t, const struct scrape_target_def *def)
{
    t->sched.interval_ms = def->interval_ms > 0 ? def->interval_ms : 60000;
    t->conf.timeout_ms = def->timeout_ms > 0 ? def->timeout_ms : 10000;
    t->conf.max_body = def->body_size_limit;
    t->conf.ignore_timestamps = def->ignore_timestamps;
    t->conf.sample_limit = def->sample_limit;
    t->conf.label_limit = def->label_limit;
    t->conf.name_limit = def->label_name_length_limit;
    t->conf.value_limit = def->label_value_length_limit;
    snprintf(t->conf.forced_error, sizeof(t->conf.forced_error), "%s",
             def->forced_error != NULL ? def->forced_error : "");
    http_free(&t->conf.http);
    t->conf.has_http = def->http != NULL;
    if (def->http != NULL)
        http_copy(&t->conf.http, def->http);
}

/* The target's identity and labels, copied from def; not yet scheduled. */
static struct target *
target_new(struct scrape_pool *p, const struct scrape_target_def *def)
{
    struct target *t = xcalloc(1, sizeof(*t));
    struct target_ident *id = &t->ident;
    const char *inst;

    t->pool = p;
    id->job = xstrdup(def->job != NULL ? def->job : "");
    if (def->params != NULL && def->params[0] != '\0')
        id->url = xasprintf("%s://%s%s?%s", def->scheme, def->address,
                            def->metrics_path, def->params);
    else
        id->url = xasprintf("%s://%s%s", def->scheme, def->address,
                            def->metrics_path);
    id->shown_url = shown_url(id->url);
    id->discovered = xstrdup(def->discovered != NULL ? def->discovered : "");
    t->conf.mrules = def->metric_relabel;
    t->conf.honor = def->honor_labels;
    id->labels.n = def->labels.n;
    id->labels.v = xcalloc(def->labels.n + 1, sizeof(*id->labels.v));
    for (size_t i = 0; i < def->labels.n; i++) {
        id->labels.v[i].name = xstrdup(def->labels.v[i].name);
        id->labels.v[i].value = xstrdup(def->labels.v[i].value);
    }
    labels_sort(&id->labels);
    inst = labels_get(&id->labels, "instance");
    id->instance = inst != NULL ? inst : "";
    target_settings(t, def);
    id->hash = hash_bytes(id->url, strlen(id->url), labels_hash(&id->labels));
    return t;
}

/* The synthetic series' ids: the target labels plus the metric name. */
static void
target_synth_ids(struct scrape_pool *p, struct target *t)
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
        t->series.synth[i] = store_series_id(p->st, &ls);
    }
    free(v);
}

/* The first time after x that falls on the target's slot in its interval. */
static int64_t
next_slot_after(const struct target *t, int64_t x)
{
    int64_t iv = t->sched.interval_ms;
    int64_t offset = (int64_t)(t->ident.hash % (uint64_t)iv);
    int64_t r = (x - offset) % iv;

    if (r < 0)
        r += iv;
    return x - r + iv;
}

/*
 * Makes a new target live. Its first scrape comes within a second (or its
 * interval, if shorter), spread by its hash so a thousand new targets do
 * not fire at once; later ones sit on its slot.
 */
static void
target_activate(struct scrape_pool *p, struct target *t, int64_t now_ms)
{
    int64_t iv = t->sched.interval_ms;
    int64_t spread = iv < FIRST_SPREAD_MS ? iv : FIRST_SPREAD_MS;

    t->xfer.conn = fetch_conn_new(p->fetch);
    target_synth_ids(p, t);
    t->sched.next_ms = now_ms + (int64_t)(t->ident.hash % (uint64_t)spread);
}

static void
target_free(struct target *t)
{
    if (t == NULL)
        return;
    fetch_conn_free(t->xfer.conn);
    expo_free(t->stage.parser);
    cache_clear(&t->series.cache);
    for (size_t i = 0; i < t->ident.labels.n; i++) {
        free((char *)t->ident.labels.v[i].name);
        free((char *)t->ident.labels.v[i].value);
    }
    free(t->ident.labels.v);
    free(t->ident.job);
    free(t->ident.url);
    free(t->ident.shown_url);
    http_free(&t->conf.http);
    free(t->ident.discovered);
    free(t->stage.staged);
    free(t->series.prev);
    free(t);
}

/* A target leaves: its scrape is cancelled and its series end at now_ms. */
static void
target_retire(struct target *t, int64_t now_ms)
{
    if (t->xfer.running) {
        fetch_conn_free(t->xfer.conn);
        t->xfer.conn = NULL;
        t->xfer.running = false;
    }
    mark_gone(t, t->series.prev, t->series.nprev, NULL, 0, now_ms);
    if (t->status.scrapes > 0)
        for (int i = 0; i < SYN_COUNT; i++)
            append(t, t->series.synth[i], now_ms, store_stale_nan());
    target_free(t);
}

struct scrape_pool *
scrape_pool_new(struct store *st)
{
    struct scrape_pool *p = xcalloc(1, sizeof(*p));

    p->st = st;
    p->fetch = fetch_new();
    if (p->fetch == NULL)
        xalloc_fatal("cannot initialise libcurl", 0);
    p->scratch = arena_new();
    p->lb = relabel_builder_new();
    return p;
}

void
scrape_pool_free(struct scrape_pool *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++)
        target_free(p->t[i]);
    free(p->t);
    fetch_free(p->fetch);
    arena_free(p->scratch);
    relabel_builder_free(p->lb);
    free(p);
}

/* The old target with the same URL and labels as t, taken out of old. */
static struct target *
take_match(struct target **old, size_t nold, const struct target *t)
{
    for (size_t i = 0; i < nold; i++) {
        struct target *o = old[i];

        if (o != NULL && o->ident.hash == t->ident.hash
            && strcmp(o->ident.url, t->ident.url) == 0
            && labels_equal(&o->ident.labels, &t->ident.labels)) {
            old[i] = NULL;
            return o;
        }
    }
    return NULL;
}

/*
 * A kept target takes the new definition's settings and discovered
 * labels. New series rules or limits make every cached id suspect, so
 * the cache starts again (after a running scrape, which still uses it;
 * its new series already see the new rules).
 */
static void
target_update(struct target *o, struct target *t,
              const struct scrape_target_def *def, int64_t now_ms)
{
    struct target_conf *c = &o->conf;
    int64_t old_interval = o->sched.interval_ms;
    size_t limits[3] = { c->label_limit, c->name_limit, c->value_limit };
    char *disc = o->ident.discovered;

    o->ident.discovered = t->ident.discovered;
    t->ident.discovered = disc;
    target_settings(o, def);
    if (c->mrules != t->conf.mrules || c->honor != t->conf.honor ||
        limits[0] != c->label_limit || limits[1] != c->name_limit ||
        limits[2] != c->value_limit) {
        if (o->xfer.running)
            o->series.cache_stale = true;
        else
            cache_clear(&o->series.cache);
    }
    c->mrules = t->conf.mrules;
    c->honor = t->conf.honor;
    if (old_interval != o->sched.interval_ms && !o->xfer.running)
        o->sched.next_ms = next_slot_after(o, now_ms);
}

void
scrape_pool_set_targets(struct scrape_pool *p,
                        const struct scrape_target_def *defs, size_t n,
                        int64_t now_ms)
{
    struct target **old = p->t, **nt = xcalloc(n + 1, sizeof(*nt));
    size_t nold = p->n;

    for (size_t i = 0; i < n; i++) {
        struct target *t = target_new(p, &defs[i]);
        struct target *o = take_match(old, nold, t);

        if (o != NULL) {
            target_update(o, t, &defs[i], now_ms);
            target_free(t);
            nt[i] = o;
        } else {
            target_activate(p, t, now_ms);
            nt[i] = t;
        }
    }
    for (size_t i = 0; i < nold; i++)
        if (old[i] != NULL)
            target_retire(old[i], now_ms);
    free(old);
    p->t = nt;
    p->n = n;
}

int64_t
scrape_pool_next_due(const struct scrape_pool *p)
{
    int64_t due = INT64_MAX;

    for (size_t i = 0; i < p->n; i++)
        if (p->t[i]->sched.next_ms < due)
            due = p->t[i]->sched.next_ms;
    return due;
}

/*
 * A scrape still running at its next slot is not started twice: that
 * slot is skipped. A loop that woke late does not catch up either.
 */
void
scrape_pool_start_due(struct scrape_pool *p, int64_t now_ms)
{
    for (size_t i = 0; i < p->n; i++) {
        struct target *t = p->t[i];
        struct target_sched *sc = &t->sched;

        if (sc->next_ms > now_ms)
            continue;
        if (t->xfer.running) {
            sc->next_ms = next_slot_after(t, now_ms);
            continue;
        }
        sc->next_ms = next_slot_after(t, now_ms + sc->interval_ms / 2);
        start_scrape(t, now_ms);
    }
}

void
scrape_pool_start_all(struct scrape_pool *p, int64_t now_ms)
{
    for (size_t i = 0; i < p->n; i++) {
        struct target *t = p->t[i];
        struct target_sched *sc = &t->sched;

        if (t->xfer.running)
            continue;
        sc->next_ms = next_slot_after(t, now_ms + sc->interval_ms / 2);
        start_scrape(t, now_ms);
    }
}

int
scrape_pool_wait(struct scrape_pool *p, int extra_fd, int timeout_ms,
                 bool *extra_ready)
{
    return fetch_wait(p->fetch, extra_fd, timeout_ms, extra_ready);
}

size_t
scrape_pool_pump(struct scrape_pool *p, int64_t now_ms)
{
    size_t n;

    (void)now_ms;
    fetch_pump(p->fetch);
    n = p->finished;
    p->finished = 0;
    return n;
}

size_t
scrape_pool_running(const struct scrape_pool *p)
{
    return fetch_running(p->fetch);
}

size_t
scrape_pool_count(const struct scrape_pool *p)
{
    return p->n;
}

void
scrape_pool_status(const struct scrape_pool *p, size_t i,
                   struct scrape_status *out)
{
    const struct target *t;

    assert(i < p->n);
    t = p->t[i];
    out->job = t->ident.job;
    out->instance = t->ident.instance;
    out->url = t->ident.shown_url;
    out->labels = &t->ident.labels;
    out->discovered = t->ident.discovered;
    out->health = t->status.health;
    out->last_scrape_ms = t->status.last_scrape_ms;
    out->last_duration_s = t->status.last_duration_s;
    out->samples = t->status.samples;
    out->scrapes = t->status.scrapes;
    out->last_error = t->status.last_error;
    out->out_of_order = t->status.out_of_order;
    out->duplicates = t->status.duplicates;
}
