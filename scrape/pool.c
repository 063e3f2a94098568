/*
 * The scrape pool: the targets, their schedule and their transfers. Each
 * target is scraped on its slot (scrape/sched.h); its body streams from scrape/fetch into
 * the exposition parser, whose samples scrape/commit stages and, when
 * the transfer ends, commits; the families' TYPE, HELP and UNIT go to
 * the pool's metadata registry (scrape/meta.h). Targets that stay
 * across set_targets keep their state. It does no discovery and never
 * blocks: all I/O goes through the fetcher's multi handle. A built-in
 * source (src/collect/) is the one exception to the transfer: its scrape
 * is a call that reads local files and hands back the text, parsed and
 * committed on the spot.
 */
#include "scrape/pool.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/commit.h"
#include "scrape/expo.h"
#include "scrape/fetch.h"
#include "scrape/meta.h"
#include "scrape/relabel.h"
#include "scrape/relabel_target.h"
#include "scrape/sched.h"
#include "scrape/target.h"
#include "src/base/arena.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/base/duration.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"

/* The longest exposition line accepted. */
#define MAX_LINE ((size_t)1 << 20)
/* A scrape this late or less carries its slot's time (see stamp_time). */
#define STAMP_TOLERANCE_MS 10

/* The parser's metadata sink: the family goes to the target's record. */
static void
on_meta(void *ctx, const struct expo_meta *m)
{
    struct target *t = ctx;

    meta_scrape_record(t->meta, m);
}

/* The parser starts at the headers, or at the first data when there were
 * none to call: a body without a Content-Type is read as text. */
static void
make_parser(struct target *t, const char *content_type)
{
    struct expo_sink sink = { .ctx = t, .sample = commit_stage,
                              .meta = on_meta, .skip_labels = true,
                              .expect = commit_expect };

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
    t->xfer.got_body |= n > 0;
    if (expo_feed(t->stage.parser, p, n, &t->stage.pdiag) != 0) {
        t->stage.parse_failed = true;
        return 1;
    }
    return 0;
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
    commit_error(t, error);
    ok = t->status.last_error[0] == '\0';
    if (!ok)
        log_debug("%s: %s: %s", __func__, t->ident.shown_url,
                  t->status.last_error);
    /*
     * A body cut short by our own parser or limits still counts; one
     * whose staging outgrew its budget counts as empty, as Prometheus
     * counts a body over its size limit.
     */
    counted = (error == NULL || t->stage.parse_failed) && !t->stage.too_big;
    dur = time_mono_s() - t->xfer.mono_start;
    commit_scrape(t, ok, counted, dur);
    /* As Prometheus's iterDone: only a good, non-empty body ages the
     * metadata of families that stopped appearing. */
    meta_scrape_end(t->meta, ok && t->xfer.got_body);
    if (t->series.cache_stale)
        commit_forget(t);
    t->series.cache_stale = false;
    commit_end(t);
    t->xfer.running = false;
    t->status.health = ok ? 1 : 2;
    t->status.last_scrape_ms = t->xfer.start_ms;
    t->status.last_duration_s = dur;
    t->status.scrapes++;
    t->pool->finished++;
}

/*
 * A built-in source's scrape, start to end in one call: its text goes
 * through the same parser and commit as a body. A note from a call that
 * succeeded is kept as the last error, so the targets view shows it.
 */
static void
run_builtin(struct target *t)
{
    const struct scrape_builtin *b = t->conf.builtin;
    char err[sizeof(t->status.last_error)] = "";
    struct buf out;

    buf_init(&out, 0);
    if (b->collect(b->ctx, &out, err, sizeof(err)) < 0) {
        on_done(t, err[0] != '\0' ? err : "collector failed");
    } else {
        if (out.len > 0)
            on_data(t, out.data, out.len);
        on_done(t, NULL);
        if (t->status.health == 1 && err[0] != '\0')
            snprintf(t->status.last_error, sizeof(t->status.last_error),
                     "%s", err);
    }
    buf_fini(&out);
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
    t->xfer.got_body = false;
    t->sched.news = false;
    commit_begin(t);
    meta_scrape_begin(t->meta);
    t->xfer.start_ms = now_ms;
    t->xfer.mono_start = time_mono_s();
    if (t->conf.forced_error[0] != '\0')
        on_done(t, t->conf.forced_error);
    else if (t->conf.builtin != NULL)
        run_builtin(t);
    else
        fetch_start(t->xfer.conn, &req, &cb);
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
    fetch_http_fini(&t->conf.http);
    t->conf.has_http = def->http != NULL;
    if (def->http != NULL)
        fetch_http_copy(&t->conf.http, def->http);
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
    t->conf.builtin = def->builtin;
    if (def->builtin != NULL)
        id->url = xasprintf("builtin:%s", def->builtin->name);
    else if (def->params != NULL && def->params[0] != '\0')
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
    id->hash = target_hash_bytes(id->url, strlen(id->url),
                                 labels_hash(&id->labels));
    return t;
}

/* Makes a new target live, its first scrape soon (sched_first). */
static void
target_activate(struct scrape_pool *p, struct target *t, int64_t now_ms)
{
    if (t->conf.builtin == NULL)
        t->xfer.conn = fetch_conn_new(p->fetch);
    commit_synth_ids(t);
    t->meta = meta_target_new(p->meta, &t->ident.labels);
    t->sched.next_ms = sched_first(t, now_ms);
}

static void
target_free(struct target *t)
{
    if (t == NULL)
        return;
    fetch_conn_free(t->xfer.conn);
    commit_end(t);
    commit_forget(t);
    meta_target_free(t->meta);
    labels_release(&t->ident.labels);
    free(t->ident.job);
    free(t->ident.url);
    free(t->ident.shown_url);
    fetch_http_fini(&t->conf.http);
    free(t->ident.discovered);
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
    commit_retire(t, now_ms);
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
    p->meta = meta_reg_new();
    sched_init(&p->sched);
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
    sched_fini(&p->sched);
    free(p->polled);
    fetch_free(p->fetch);
    arena_free(p->scratch);
    relabel_builder_free(p->lb);
    meta_reg_free(p->meta);
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
            commit_forget(o);
    }
    c->mrules = t->conf.mrules;
    c->honor = t->conf.honor;
    if (old_interval != o->sched.interval_ms && !o->xfer.running)
        o->sched.next_ms = sched_slot_after(o, now_ms);
}

/*
 * The pool's indexes of its targets, made again after the list changed:
 * the schedule's heap, and the built-in sources that want their poll
 * called on every pass (a few at most).
 */
static void
index_targets(struct scrape_pool *p)
{
    sched_rebuild(&p->sched, p->t, p->n);
    free(p->polled);
    p->polled = xcalloc(p->n + 1, sizeof(*p->polled));
    p->npolled = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct scrape_builtin *b = p->t[i]->conf.builtin;

        if (b != NULL && b->poll != NULL)
            p->polled[p->npolled++] = p->t[i];
    }
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
    index_targets(p);
}

int64_t
scrape_pool_next_due(const struct scrape_pool *p)
{
    const struct target *t = sched_top(&p->sched);

    return t != NULL ? t->sched.next_ms : INT64_MAX;
}

/*
 * Whether a built-in source with news (scrape_builtin.poll) is to be
 * scraped now, before its slot: not while it runs, and not sooner than
 * SCRAPE_NEWS_GAP_MS after its last scrape started; the news waits.
 */
static bool
news_due(struct target *t, int64_t now_ms)
{
    const struct scrape_builtin *b = t->conf.builtin;

    if (b == NULL || b->poll == NULL)
        return false;
    if (b->poll(b->ctx, now_ms))
        t->sched.news = true;
    return t->sched.news && !t->xfer.running
           && now_ms - t->xfer.start_ms >= SCRAPE_NEWS_GAP_MS;
}

/*
 * The time a scrape's samples carry: the time it was due when it starts
 * at most STAMP_TOLERANCE_MS after that, else when it starts. Prometheus
 * does the same within 2 ms (its scrape timestamp alignment), so that a
 * series' timestamps lie exactly an interval apart and each costs one
 * bit in its chunk instead of 16. Here one loop runs scrapes, input and
 * frame slices of up to about 8 ms, so starts come later than Go's
 * timers; the tolerance is wider, and as in Prometheus it applies only
 * to intervals a hundred times longer than itself.
 */
static int64_t
stamp_time(const struct target_sched *sc, int64_t due, int64_t now_ms)
{
    if (sc->interval_ms > 100 * STAMP_TOLERANCE_MS && now_ms >= due
        && now_ms - due <= STAMP_TOLERANCE_MS)
        return due;
    return now_ms;
}

/*
 * The targets due, earliest first, each taken from the top of the heap
 * and put back at its next slot (scrape/sched.h): a scrape still running
 * at its slot is not started twice, that slot is skipped; a loop that
 * woke late does not catch up. Every next slot lies after now_ms, so
 * each due target is taken once. Then the built-in sources with news.
 */
void
scrape_pool_start_due(struct scrape_pool *p, int64_t now_ms)
{
    struct target *t;

    while ((t = sched_top(&p->sched)) != NULL
           && t->sched.next_ms <= now_ms) {
        struct target_sched *sc = &t->sched;
        int64_t due = sc->next_ms;
        bool running = t->xfer.running;

        sc->next_ms = sched_slot_after(t, running ? now_ms
                                       : now_ms + sc->interval_ms / 2);
        sched_top_moved(&p->sched);
        if (!running)
            start_scrape(t, stamp_time(sc, due, now_ms));
    }
    for (size_t i = 0; i < p->npolled; i++)
        if (news_due(p->polled[i], now_ms))
            start_scrape(p->polled[i], now_ms);
}

void
scrape_pool_start_all(struct scrape_pool *p, int64_t now_ms)
{
    for (size_t i = 0; i < p->n; i++) {
        struct target *t = p->t[i];
        struct target_sched *sc = &t->sched;

        if (t->xfer.running)
            continue;
        sc->next_ms = sched_slot_after(t, now_ms + sc->interval_ms / 2);
        start_scrape(t, now_ms);
    }
    sched_rebuild(&p->sched, p->t, p->n);
}

int
scrape_pool_wait(struct scrape_pool *p, int extra_fd, int timeout_ms,
                 bool *extra_ready)
{
    return fetch_wait(p->fetch, extra_fd, timeout_ms, extra_ready);
}

size_t
scrape_pool_pump_until(struct scrape_pool *p, int64_t now_ms,
                       fetch_stop_fn stop, void *ctx)
{
    size_t n;

    (void)now_ms;
    fetch_pump_until(p->fetch, stop, ctx);
    n = p->finished;
    p->finished = 0;
    return n;
}

size_t
scrape_pool_pump(struct scrape_pool *p, int64_t now_ms)
{
    return scrape_pool_pump_until(p, now_ms, NULL, NULL);
}

struct fetch *
scrape_pool_fetch(struct scrape_pool *p)
{
    return p->fetch;
}

struct meta_reg *
scrape_pool_meta(struct scrape_pool *p)
{
    return p->meta;
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
