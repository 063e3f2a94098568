/*
 * The serve command. One loop thread owns scraping, discovery, rule
 * evaluation, notification, reloads and the store's writes (in write
 * batches, store/store.h); the HTTP server's threads answer the API and
 * only read the store (each query pinning it). Everything else the API
 * shows, the loop renders and publishes (src/serve_docs.h,
 * src/serve_rules.h), so no other state is shared.
 */
#include "src/cmd_serve.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/api/api.h"
#include "src/api/http.h"
#include "src/api/listen.h"
#include "src/api/logfmt.h"
#include "src/api/webconfig.h"
#include "src/base/duration.h"
#include "src/base/version.h"
#include "src/base/xalloc.h"
#include "src/collect/collect.h"
#include "src/load.h"
#include "src/serve_docs.h"
#include "src/serve_rules.h"
#include "src/startup.h"

/* Longest single wait, so signals and /-/reload are seen promptly. */
#define MAX_WAIT_MS 250
/* How often old chunks are trimmed from the store. */
#define GC_EVERY_MS (60 * 1000)
/* A trim waits for no query; after this long of queries always running,
 * the next one waits for those in progress. */
#define GC_PATIENCE_MS (5 * 60 * 1000)
/* How often targets and metrics are published to the API. */
#define PUBLISH_EVERY_MS 1000

#define LOG_INFO(...) logfmt("info", __FILE__, __LINE__, __VA_ARGS__, NULL)
#define LOG_WARN(...) logfmt("warn", __FILE__, __LINE__, __VA_ARGS__, NULL)
#define LOG_ERROR(...) logfmt("error", __FILE__, __LINE__, __VA_ARGS__, NULL)

/* One address served. */
struct listener {
    char *addr;                 /* as given or defaulted, for the log */
    char *unix_path;            /* a Unix socket to remove at exit */
    struct http_server *http;
};

struct serve {
    struct loop *l;
    struct api *api;
    struct collect_set *exposed;    /* --collector.expose, or NULL */
    char *expose_paths[API_MAX_EXPOSE];
    struct webcfg *web;
    struct listener ls[CLI_MAX_LISTEN + 1];
    int nls;
    struct serve_docs docs;
    char listen_names[1024];
    bool trim_left;             /* store_trim left work: no wait */
};

static void
http_log(const char *msg)
{
    LOG_WARN("HTTP server", "err", msg);
}

/* The default address: the user's Unix socket. */
static char *
default_addr(void)
{
    char path[512];
    bool fallback;

    if (listen_default_path(path, sizeof(path), &fallback) < 0)
        return NULL;
    if (fallback)
        LOG_WARN("XDG_RUNTIME_DIR is not set; using a socket under /tmp "
                 "in a folder only this user can open", "path", path);
    return xasprintf("unix:%s", path);
}

/* Opens one address and starts serving it; false after logging why. */
static bool
open_listener(struct serve *s, const char *addr)
{
    struct listener *L = &s->ls[s->nls];
    struct http_options o = { .web = s->web, .handler = api_handle,
                              .ctx = s->api, .log = http_log };
    bool is_unix = strncmp(addr, "unix:", 5) == 0;
    char err[512];

    if (is_unix && s->web != NULL && webcfg_tls(s->web))
        LOG_WARN("TLS is for TCP listeners; the Unix socket is served "
                 "without it", "address", addr);
    o.fd = is_unix ? listen_unix(addr + 5, err, sizeof(err))
                   : listen_tcp(addr, err, sizeof(err));
    if (o.fd < 0) {
        LOG_ERROR("Cannot listen", "address", addr, "err", err);
        return false;
    }
    if (is_unix)
        o.web = NULL;   /* mode 0600 is the Unix socket's protection */
    if ((L->http = http_start(&o, err, sizeof(err))) == NULL) {
        LOG_ERROR("Cannot serve", "address", addr, "err", err);
        if (is_unix)
            listen_unix_remove(addr + 5);
        return false;
    }
    L->addr = xstrdup(addr);
    L->unix_path = is_unix ? xstrdup(addr + 5) : NULL;
    s->nls++;
    LOG_INFO("Listening", "address", addr, "tls", !is_unix && s->web
             && webcfg_tls(s->web) ? "true" : "false");
    return true;
}

static bool open_all(struct serve *s, char **dflt_out);

/*
 * Opens every address. The HTTP threads start with SIGINT, SIGTERM and
 * SIGHUP blocked (threads inherit the mask), so those signals always
 * reach the loop thread, whose wait they cut short.
 */
static bool
open_listeners(struct serve *s)
{
    char *dflt = NULL;
    bool ok;
    sigset_t block, old;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    ok = open_all(s, &dflt);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(dflt);
    return ok;
}

/* Every --listen address, or the default socket (*dflt, to free). */
static bool
open_all(struct serve *s, char **dflt_out)
{
    const struct cli *cli = s->l->cli;
    char *dflt = NULL;
    bool ok = true;

    if (cli->nlisten == 0 && (dflt = default_addr()) == NULL) {
        LOG_ERROR("Cannot make the default socket path (too long)");
        return false;
    }
    for (int i = 0; ok && i < (cli->nlisten ? cli->nlisten : 1); i++) {
        const char *addr = cli->nlisten ? cli->listen[i] : dflt;

        ok = open_listener(s, addr);
        if (ok)
            snprintf(s->listen_names + strlen(s->listen_names),
                     sizeof(s->listen_names) - strlen(s->listen_names),
                     "%s%s", i ? "," : "", addr);
    }
    *dflt_out = dflt;
    return ok;
}

static void
close_listeners(struct serve *s)
{
    for (int i = 0; i < s->nls; i++) {
        http_stop(s->ls[i].http);
        if (s->ls[i].unix_path != NULL)
            listen_unix_remove(s->ls[i].unix_path);
        free(s->ls[i].unix_path);
        free(s->ls[i].addr);
    }
    s->nls = 0;
}

/*
 * --collector.expose: each built-in collector answers /metrics/JOB
 * (/metrics/node, /metrics/cadvisor), collecting at each request as an
 * exporter does. The set is opened here, apart from the one the loop
 * scrapes, so HTTP threads and the loop never share a collector's state.
 */
static void
expose_collectors(struct serve *s)
{
    struct collect_set *set;

    if (!s->l->cli->collector_expose)
        return;
    set = s->exposed = collect_set_open("");
    for (size_t i = 0; i < collect_set_count(set)
         && i < API_MAX_EXPOSE; i++) {
        const struct scrape_builtin *b = collect_set_builtin(set, i);

        if (b == NULL) {
            LOG_WARN("Collector not available", "collector",
                     collect_set_job(set, i), "err",
                     collect_set_error(set, i));
            continue;
        }
        s->expose_paths[i] = xasprintf("/metrics/%s", b->name);
        api_add_exposition(s->api, s->expose_paths[i], b->collect, b->ctx);
        LOG_INFO("Serving collector", "collector", b->name, "path",
                 s->expose_paths[i]);
    }
}

/* --load files into the store, as promdeck query --load does. */
static bool
load_files(struct serve *s)
{
    const struct cli *cli = s->l->cli;
    int64_t now = time_now_ms();

    for (int i = 0; i < cli->nload; i++) {
        struct diag d;
        size_t n = 0;
        char count[32];
        int rc;

        diag_clear(&d);
        d.source = cli->load[i];
        store_write_lock(s->l->store);
        rc = load_file(s->l->store, cli->load[i], now, &n, &d);
        store_write_unlock(s->l->store);
        if (rc < 0) {
            char *where = xasprintf("%s:%d", cli->load[i], d.line);

            LOG_ERROR("Cannot load", "file", where, "err", d.msg);
            free(where);
            return false;
        }
        snprintf(count, sizeof(count), "%zu", n);
        LOG_INFO("Loaded", "file", cli->load[i], "samples", count);
    }
    return true;
}

/* Each line of text as one log entry of level warn or error. */
static void
log_lines(const char *level, const char *msg, const char *text)
{
    for (const char *line = text, *nl; *line != '\0'; line = nl + 1) {
        char *one;

        nl = strchr(line, '\n');
        if (nl == NULL)
            nl = line + strlen(line) - 1;
        one = xstrndup(line, (size_t)(nl - line + (*nl != '\n')));
        logfmt(level, __FILE__, __LINE__, msg, "err", one, NULL);
        free(one);
    }
}

/*
 * The rule files at start, as the TUI loads them: a glob that matches
 * nothing is a warning, a bad file stops serve (before it listens), each
 * error logged. Then the groups' options and the Alertmanager notifier.
 */
static bool
start_rules(struct serve *s)
{
    struct loop *l = s->l;
    struct ruleset_source src;
    struct buf errors, notes;
    char n[32];
    int rc;

    startup_rule_source(l->cli, l->cfg, &src);
    buf_init(&errors, 0);
    buf_init(&notes, 0);
    rc = ruleset_load(l->rules, &src, l->store, time_now_ms(), &errors,
                      &notes);
    log_lines("warn", "Rule files", buf_str(&notes));
    if (rc < 0)
        log_lines("error", "Error loading rules", buf_str(&errors));
    buf_fini(&errors);
    buf_fini(&notes);
    if (rc < 0)
        return false;
    loop_rules_start(l);
    snprintf(n, sizeof(n), "%zu", ruleset_nrules(l->rules));
    if (ruleset_nrules(l->rules) > 0)
        LOG_INFO("Rule files loaded", "rules", n);
    serve_rules_publish(l->rules, s->api);
    return true;
}

/* SIGHUP or /-/reload: the config again; the log and the API say how it
 * went. */
static void
reload(struct serve *s, int64_t now, bool asked)
{
    struct loop *l = s->l;

    store_write_lock(l->store);
    loop_reload(l, now);
    store_write_unlock(l->store);
    serve_docs_targets_changed(&s->docs);
    s->docs.config_ok = l->reload_error == NULL;
    if (l->reload_error == NULL) {
        s->docs.config_ms = now;
        LOG_INFO("Completed loading of configuration file", "filename",
                 l->cli->config ? l->cli->config : "");
    } else {
        LOG_ERROR("Error reloading config", "err", l->reload_error);
    }
    serve_docs_publish_config(&s->docs, l, s->api);
    serve_rules_publish(l->rules, s->api);
    if (asked)
        api_reload_done(s->api, l->reload_error);
}

/*
 * Idle series out (their old chunks go in each batch, store_trim), when
 * no query holds the store pinned (store/store.h); with queries always
 * running, after GC_PATIENCE_MS it waits for them.
 */
static void
trim(struct serve *s, int64_t now, int64_t *next_gc, int64_t *gc_due)
{
    struct store *st = s->l->store;

    if (now < *next_gc)
        return;
    if (!store_trim_lock(st, now - *gc_due >= GC_PATIENCE_MS))
        return;                 /* a query runs: try on the next pass */
    store_drop_idle(st, now);
    store_trim_unlock(st);
    *gc_due = *next_gc = now + GC_EVERY_MS;
}

/* Milliseconds to wait: until the next scrape, rule or notification,
 * at most MAX_WAIT_MS. */
static int
wait_ms(const struct loop *l, int64_t now)
{
    int64_t due = scrape_pool_next_due(l->pool);
    int64_t rd = loop_rules_next_due(l, now);

    due = (rd < due ? rd : due) - now;
    return due < 0 ? 0 : due > MAX_WAIT_MS ? MAX_WAIT_MS : (int)due;
}

/*
 * One pass: wait for the network (at most MAX_WAIT_MS, and not at all
 * while store_trim has work left), then, as one write batch, move
 * transfers along (commits happen there), follow discovery, start due
 * scrapes and trim a slice of the store. Queries on other threads read
 * between batches, so neither waits for the other for long. Then the
 * rules that are due, outside any batch: they read as the API's queries
 * do and take the write lock only around each rule's appends
 * (src/rules/group.h), so no query waits for a whole rule.
 */
static void
step(struct serve *s, int64_t *next_gc, int64_t *gc_due,
     int64_t *next_publish)
{
    struct loop *l = s->l;
    int64_t now = time_now_ms();
    bool changed;

    scrape_pool_wait(l->pool, -1, s->trim_left ? 0 : wait_ms(l, now), NULL);
    now = time_now_ms();
    store_write_lock(l->store);
    scrape_pool_pump(l->pool, now);
    changed = loop_sync_targets(l, now);
    scrape_pool_start_due(l->pool, now);
    s->trim_left = store_trim(l->store, now);   /* a slice each pass */
    store_write_unlock(l->store);
    if (loop_rules_step(l, now))
        serve_rules_publish(l->rules, s->api);
    trim(s, now, next_gc, gc_due);
    if (changed)
        serve_docs_targets_changed(&s->docs);
    if (loop_reload_requested() || api_reload_pending(s->api))
        reload(s, now, api_reload_pending(s->api));
    if (now >= *next_publish) {
        serve_docs_publish(&s->docs, l, s->api);
        *next_publish = now + PUBLISH_EVERY_MS;
    }
}

static int
run(struct serve *s)
{
    int64_t now = time_now_ms(), next_gc = now + GC_EVERY_MS;
    int64_t gc_due = next_gc, next_publish = now;

    serve_docs_publish_config(&s->docs, s->l, s->api);
    api_set_ready(s->api);
    LOG_INFO("Server is ready to receive web requests.");
    while (!loop_quit_requested())
        step(s, &next_gc, &gc_due, &next_publish);
    LOG_INFO("Received a stop signal, exiting gracefully...");
    return 0;
}

int
cmd_serve_run(const struct cli *cli, struct loop *l)
{
    struct api_limits lim = { .timeout_ms = cli->query_timeout_ms,
                              .max_samples = cli->query_max_samples,
                              .max_concurrency = cli->query_max_concurrency };
    struct serve s = { .l = l };
    struct diag d;
    int rc = 1;

    LOG_INFO("Starting promdeck serve", "version", PROMDECK_VERSION);
    diag_clear(&d);
    if (cli->web_config != NULL
        && (s.web = webcfg_load(cli->web_config, &d)) == NULL) {
        char *where = d.line > 0 ? xasprintf("%s:%d:%d", d.source, d.line,
                                             d.col)
                                 : xstrdup(cli->web_config);

        LOG_ERROR("Bad web config", "file", where, "err", d.msg);
        free(where);
        return 2;
    }
    s.api = api_new(l->store, &lim);
    api_set_meta(s.api, scrape_pool_meta(l->pool));
    expose_collectors(&s);
    targets_init(&l->targets);
    serve_docs_init(&s.docs, s.listen_names);
    if (!start_rules(&s))
        rc = 2;
    else if (load_files(&s) && open_listeners(&s))
        rc = run(&s);
    api_cancel(s.api);
    close_listeners(&s);
    loop_rules_stop(l);
    serve_docs_fini(&s.docs);
    targets_fini(&l->targets);
    config_dropped_free(l->dropped, l->ndropped);
    l->dropped = NULL;
    free(l->reload_error);
    l->reload_error = NULL;
    api_free(s.api);
    collect_set_free(s.exposed);
    for (size_t i = 0; i < API_MAX_EXPOSE; i++)
        free(s.expose_paths[i]);
    webcfg_free(s.web);
    LOG_INFO("See you next time!");
    return rc;
}
