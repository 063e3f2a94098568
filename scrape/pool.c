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
 * A target and its scrape state. Invariants: running is true exactly while
 * conn is busy; parser is non-NULL only while running; prev holds the
 * sorted, unique ids of the tracked series of the last successful scrape
 * (empty after a failed one).
 */
struct target {
    struct scrape_pool *pool;
    char *job, *url;
    char *shown_url;            /* url with any password as <secret> */
    struct fetch_http http;     /* owned copies of the strings */
    bool has_http;
    bool ignore_timestamps;
    size_t sample_limit, label_limit, name_limit, value_limit;
    const char *instance;       /* in labels, or "" */
    struct labels labels;       /* owned copies */
    char *discovered;           /* formatted, for the targets view */
    const struct relabel_rules *mrules;     /* borrowed; may be NULL */
    bool honor;
    bool cache_stale;           /* clear the cache when this scrape ends */
    int64_t interval_ms, timeout_ms;
    size_t max_body;
    uint64_t hash;
    int64_t next_ms;
    struct fetch_conn *conn;
    uint32_t synth[SYN_COUNT];
    /* The scrape in flight. */
    bool running, parse_failed, series_failed;
    int64_t start_ms;
    double mono_start;
    struct expo *parser;
    struct diag pdiag;
    struct diag sdiag;          /* why a series failed the scrape */
    struct staged *staged;
    size_t nstaged, capstaged;
    char limit_error[400];      /* a label limit broke this scrape */
    char forced_error[200];     /* target_limit broken: never fetch */
    size_t series_added;
    uint32_t iter;
    struct series_cache cache;
    uint32_t *prev;
    size_t nprev, capprev;
    /* What the status shows. */
    int health;
    int64_t last_scrape_ms;
    double last_duration_s;
    size_t samples, scrapes, out_of_order, duplicates;
    char last_error[600];
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
 * t->limit_error set) when one is exceeded.
 */
static int
check_label_limits(struct target *t, const struct expo_sample *s,
                   const struct labels *ls)
{
    int mlen = s->series_len < 50 ? (int)s->series_len : 50;
    char q[128];

    if (t->label_limit > 0 && ls->n > t->label_limit) {
        snprintf(t->limit_error, sizeof(t->limit_error),
                 "label_limit exceeded (metric: %.*s, number of labels: "
                 "%zu, limit: %zu)", mlen, s->series, ls->n, t->label_limit);
        return -1;
    }
    for (size_t i = 0; i < ls->n; i++) {
        const struct label *l = &ls->v[i];

        if (t->name_limit > 0 && strlen(l->name) > t->name_limit) {
            snprintf(t->limit_error, sizeof(t->limit_error),
                     "label_name_length_limit exceeded (metric: %.*s, "
                     "label name: %.50s, length: %zu, limit: %zu)", mlen,
                     s->series, l->name, strlen(l->name), t->name_limit);
            return -1;
        }
        if (t->value_limit > 0 && strlen(l->value) > t->value_limit) {
            quote50(q, sizeof(q), l->value);
            snprintf(t->limit_error, sizeof(t->limit_error),
                     "label_value_length_limit exceeded (metric: %.*s, "
                     "label name: %.50s, value: %s, length: %zu, limit: "
                     "%zu)", mlen, s->series, l->name, q, strlen(l->value),
                     t->value_limit);
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
 * without a valid name (t->sdiag set) or over a label limit
 * (t->limit_error set), which fails the whole scrape as in Prometheus.
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
    rc = relabel_series_labels(&ls, &t->labels, t->honor, t->mrules, p->lb,
                               &t->sdiag);
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
    uint64_t h = hash_bytes(s->series, s->series_len, 0xcbf29ce484222325ULL);
    struct cache_entry *e = cache_find(&t->cache, s->series, s->series_len,
                                       h);
    struct staged *st;
    uint32_t id;

    if (e != NULL) {
        e->iter = t->iter;
        id = e->id;
    } else {
        if (resolve_series(t->pool, t, s, &id) != 0) {
            t->series_failed = true;
            return 1;
        }
        cache_insert(&t->cache, s->series, s->series_len, h, id, t->iter);
        if (id != DROPPED_ID)
            t->series_added++;
    }
    /* A dropped series is remembered so the next scrape skips it cheaply. */
    if (id == DROPPED_ID)
        return 0;
    if (t->nstaged == t->capstaged) {
        t->capstaged = t->capstaged != 0 ? t->capstaged * 2 : 256;
        t->staged = xreallocarray(t->staged, t->capstaged,
                                  sizeof(*t->staged));
    }
    st = &t->staged[t->nstaged];
    st->id = id;
    st->seq = (uint32_t)t->nstaged++;
    /* honor_timestamps: an exposed timestamp wins over the scrape's,
     * unless the job says to ignore them; then staleness applies. */
    st->tracked = !s->has_ts || t->ignore_timestamps;
    st->t = st->tracked ? t->start_ms : s->ts;
    st->v = s->value;
    return 0;
}

static void
make_parser(struct target *t, const char *content_type)
{
    struct expo_sink sink = { .ctx = t, .sample = stage_sample };

    if (t->parser == NULL)
        t->parser = expo_new(expo_format_for(content_type), &sink, MAX_LINE);
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
    if (expo_feed(t->parser, p, n, &t->pdiag) != 0) {
        t->parse_failed = true;
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
        t->out_of_order++;
}

/*
 * Writes the staged samples, first of each series only, and collects the
 * tracked series of this scrape (sorted, unique) into *cur.
 */
static size_t
commit_staged(struct target *t, uint32_t **cur, size_t *capcur)
{
    size_t n = 0;

    qsort(t->staged, t->nstaged, sizeof(*t->staged), cmp_staged);
    for (size_t i = 0; i < t->nstaged; i++) {
        const struct staged *s = &t->staged[i];

        if (i > 0 && t->staged[i - 1].id == s->id) {
            t->duplicates++;
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
    uint32_t *cur = NULL;
    size_t ncur = 0, capcur = 0, scraped;
    double synth[SYN_COUNT];

    if (ok) {
        ncur = commit_staged(t, &cur, &capcur);
        mark_gone(t, t->prev, t->nprev, cur, ncur, t->start_ms);
        free(t->prev);
        t->prev = cur;
        t->nprev = ncur;
        t->capprev = capcur;
        cache_sweep(&t->cache, t->iter);
    } else {
        mark_gone(t, t->prev, t->nprev, NULL, 0, t->start_ms);
        t->nprev = 0;
        cache_clear(&t->cache);
    }
    scraped = counted && t->parser != NULL ? expo_count(t->parser) : 0;
    synth[SYN_UP] = ok ? 1 : 0;
    synth[SYN_DURATION] = duration_s;
    synth[SYN_SCRAPED] = (double)scraped;
    /* Only samples metric_relabel_configs kept were staged. */
    synth[SYN_POST_RELABEL] = counted ? (double)t->nstaged : 0;
    synth[SYN_SERIES_ADDED] = counted ? (double)t->series_added : 0;
    for (int i = 0; i < SYN_COUNT; i++)
        append(t, t->synth[i], t->start_ms, synth[i]);
    t->samples = scraped;
}

/*
 * The text of a scrape's failure, "" when it succeeded. A broken limit
 * says so in Prometheus's words, ahead of the parse error or the abort
 * it caused; sample_limit counts every sample the body held.
 */
static void
scrape_error(struct target *t, const char *error)
{
    if (t->limit_error[0] != '\0')
        snprintf(t->last_error, sizeof(t->last_error), "%s",
                 t->limit_error);
    else if (t->series_failed)
        snprintf(t->last_error, sizeof(t->last_error), "%s", t->sdiag.msg);
    else if (t->parse_failed && t->pdiag.line > 0)
        snprintf(t->last_error, sizeof(t->last_error),
                 "parse error at line %d: %s", t->pdiag.line, t->pdiag.msg);
    else if (t->parse_failed)
        snprintf(t->last_error, sizeof(t->last_error), "parse error: %s",
                 t->pdiag.msg);
    else if (error != NULL)
        snprintf(t->last_error, sizeof(t->last_error), "%s", error);
    else if (t->sample_limit > 0 && t->nstaged > t->sample_limit)
        snprintf(t->last_error, sizeof(t->last_error),
                 "sample limit exceeded");
    else
        t->last_error[0] = '\0';
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
        if (expo_finish(t->parser, &t->pdiag) != 0)
            t->parse_failed = true;
    }
    scrape_error(t, error);
    ok = t->last_error[0] == '\0';
    if (!ok)
        log_debug("%s: %s: %s", __func__, t->shown_url, t->last_error);
    /* A body cut short by our own parser or limits still counts. */
    counted = error == NULL || t->parse_failed;
    dur = time_mono_s() - t->mono_start;
    commit_scrape(t, ok, counted, dur);
    if (t->cache_stale)
        cache_clear(&t->cache);
    t->cache_stale = false;
    expo_free(t->parser);
    t->parser = NULL;
    /* A thousand idle targets should not each hold a body's worth. */
    free(t->staged);
    t->staged = NULL;
    t->nstaged = t->capstaged = 0;
    t->running = false;
    t->health = ok ? 1 : 2;
    t->last_scrape_ms = t->start_ms;
    t->last_duration_s = dur;
    t->scrapes++;
    t->pool->finished++;
}

static void
start_scrape(struct target *t, int64_t now_ms)
{
    struct fetch_request req = {
        .url = t->url,
        .timeout_ms = t->timeout_ms,
        .max_body = t->max_body,
        .http = t->has_http ? &t->http : NULL,
    };
    struct fetch_callbacks cb = {
        .ctx = t,
        .headers = on_headers,
        .data = on_data,
        .done = on_done,
    };

    t->running = true;
    t->parse_failed = false;
    t->limit_error[0] = '\0';
    t->series_failed = false;
    diag_clear(&t->pdiag);
    diag_clear(&t->sdiag);
    t->start_ms = now_ms;
    t->mono_start = time_mono_s();
    t->nstaged = 0;
    t->series_added = 0;
    t->iter++;
    if (t->forced_error[0] != '\0')
        on_done(t, t->forced_error);
    else
        fetch_start(t->conn, &req, &cb);
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
    t->interval_ms = def->interval_ms > 0 ? def->interval_ms : 60000;
    t->timeout_ms = def->timeout_ms > 0 ? def->timeout_ms : 10000;
    t->max_body = def->body_size_limit;
    t->ignore_timestamps = def->ignore_timestamps;
    t->sample_limit = def->sample_limit;
    t->label_limit = def->label_limit;
    t->name_limit = def->label_name_length_limit;
    t->value_limit = def->label_value_length_limit;
    snprintf(t->forced_error, sizeof(t->forced_error), "%s",
             def->forced_error != NULL ? def->forced_error : "");
    http_free(&t->http);
    t->has_http = def->http != NULL;
    if (def->http != NULL)
        http_copy(&t->http, def->http);
}

/* The target's identity and labels, copied from def; not yet scheduled. */
static struct target *
target_new(struct scrape_pool *p, const struct scrape_target_def *def)
{
    struct target *t = xcalloc(1, sizeof(*t));
    const char *inst;

    t->pool = p;
    t->job = xstrdup(def->job != NULL ? def->job : "");
    if (def->params != NULL && def->params[0] != '\0')
        t->url = xasprintf("%s://%s%s?%s", def->scheme, def->address,
                           def->metrics_path, def->params);
    else
        t->url = xasprintf("%s://%s%s", def->scheme, def->address,
                           def->metrics_path);
    t->shown_url = shown_url(t->url);
    t->discovered = xstrdup(def->discovered != NULL ? def->discovered : "");
    t->mrules = def->metric_relabel;
    t->honor = def->honor_labels;
    t->labels.n = def->labels.n;
    t->labels.v = xcalloc(def->labels.n + 1, sizeof(*t->labels.v));
    for (size_t i = 0; i < def->labels.n; i++) {
        t->labels.v[i].name = xstrdup(def->labels.v[i].name);
        t->labels.v[i].value = xstrdup(def->labels.v[i].value);
    }
    labels_sort(&t->labels);
    inst = labels_get(&t->labels, "instance");
    t->instance = inst != NULL ? inst : "";
    target_settings(t, def);
    t->hash = hash_bytes(t->url, strlen(t->url), labels_hash(&t->labels));
    return t;
}

/* The synthetic series' ids: the target labels plus the metric name. */
static void
target_synth_ids(struct scrape_pool *p, struct target *t)
{
    struct label *v = xcalloc(t->labels.n + 1, sizeof(*v));
    struct labels ls = { .v = v };

    for (int i = 0; i < SYN_COUNT; i++) {
        ls.n = 0;
        v[ls.n].name = LABEL_METRIC_NAME;
        v[ls.n++].value = synth_names[i];
        for (size_t j = 0; j < t->labels.n; j++)
            if (t->labels.v[j].value[0] != '\0')
                v[ls.n++] = t->labels.v[j];
        labels_sort(&ls);
        t->synth[i] = store_series_id(p->st, &ls);
    }
    free(v);
}

/* The first time after x that falls on the target's slot in its interval. */
static int64_t
next_slot_after(const struct target *t, int64_t x)
{
    int64_t offset = (int64_t)(t->hash % (uint64_t)t->interval_ms);
    int64_t r = (x - offset) % t->interval_ms;

    if (r < 0)
        r += t->interval_ms;
    return x - r + t->interval_ms;
}

/*
 * Makes a new target live. Its first scrape comes within a second (or its
 * interval, if shorter), spread by its hash so a thousand new targets do
 * not fire at once; later ones sit on its slot.
 */
static void
target_activate(struct scrape_pool *p, struct target *t, int64_t now_ms)
{
    int64_t spread = t->interval_ms < FIRST_SPREAD_MS ? t->interval_ms
                                                      : FIRST_SPREAD_MS;

    t->conn = fetch_conn_new(p->fetch);
    target_synth_ids(p, t);
    t->next_ms = now_ms + (int64_t)(t->hash % (uint64_t)spread);
}

static void
target_free(struct target *t)
{
    if (t == NULL)
        return;
    fetch_conn_free(t->conn);
    expo_free(t->parser);
    cache_clear(&t->cache);
    for (size_t i = 0; i < t->labels.n; i++) {
        free((char *)t->labels.v[i].name);
        free((char *)t->labels.v[i].value);
    }
    free(t->labels.v);
    free(t->job);
    free(t->url);
    free(t->shown_url);
    http_free(&t->http);
    free(t->discovered);
    free(t->staged);
    free(t->prev);
    free(t);
}

/* A target leaves: its scrape is cancelled and its series end at now_ms. */
static void
target_retire(struct target *t, int64_t now_ms)
{
    if (t->running) {
        fetch_conn_free(t->conn);
        t->conn = NULL;
        t->running = false;
    }
    mark_gone(t, t->prev, t->nprev, NULL, 0, now_ms);
    if (t->scrapes > 0)
        for (int i = 0; i < SYN_COUNT; i++)
            append(t, t->synth[i], now_ms, store_stale_nan());
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

        if (o != NULL && o->hash == t->hash && strcmp(o->url, t->url) == 0
            && labels_equal(&o->labels, &t->labels)) {
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
    int64_t old_interval = o->interval_ms;
    size_t limits[3] = { o->label_limit, o->name_limit, o->value_limit };
    char *disc = o->discovered;

    o->discovered = t->discovered;
    t->discovered = disc;
    target_settings(o, def);
    if (o->mrules != t->mrules || o->honor != t->honor ||
        limits[0] != o->label_limit || limits[1] != o->name_limit ||
        limits[2] != o->value_limit) {
        if (o->running)
            o->cache_stale = true;
        else
            cache_clear(&o->cache);
    }
    o->mrules = t->mrules;
    o->honor = t->honor;
    if (old_interval != o->interval_ms && !o->running)
        o->next_ms = next_slot_after(o, now_ms);
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
        if (p->t[i]->next_ms < due)
            due = p->t[i]->next_ms;
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

        if (t->next_ms > now_ms)
            continue;
        if (t->running) {
            t->next_ms = next_slot_after(t, now_ms);
            continue;
        }
        t->next_ms = next_slot_after(t, now_ms + t->interval_ms / 2);
        start_scrape(t, now_ms);
    }
}

void
scrape_pool_start_all(struct scrape_pool *p, int64_t now_ms)
{
    for (size_t i = 0; i < p->n; i++) {
        struct target *t = p->t[i];

        if (t->running)
            continue;
        t->next_ms = next_slot_after(t, now_ms + t->interval_ms / 2);
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
    out->job = t->job;
    out->instance = t->instance;
    out->url = t->shown_url;
    out->labels = &t->labels;
    out->discovered = t->discovered;
    out->health = t->health;
    out->last_scrape_ms = t->last_scrape_ms;
    out->last_duration_s = t->last_duration_s;
    out->samples = t->samples;
    out->scrapes = t->scrapes;
    out->last_error = t->last_error;
    out->out_of_order = t->out_of_order;
    out->duplicates = t->duplicates;
}
