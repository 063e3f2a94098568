/*
 * The documents serve publishes: /api/v1/targets in Prometheus 2.42's
 * shape (from the same target list the TUI's targets view shows), the
 * config file, the flags, runtime information, and the loop's metrics in
 * the text exposition format. Rendering happens on the loop thread, so
 * the API threads never touch the scrape pool.
 */
#include "src/serve_docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/api/apijson.h"
#include "src/base/duration.h"
#include "src/base/json.h"
#include "src/base/version.h"
#include "src/base/xalloc.h"

/* Upper bounds of the scrape duration histogram, seconds. */
static const double buckets[11] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 10,
};

void
serve_docs_init(struct serve_docs *d, const char *listen)
{
    memset(d, 0, sizeof(*d));
    d->start_ms = d->config_ms = time_now_ms();
    d->config_ok = true;
    d->listen = listen;
}

void
serve_docs_fini(struct serve_docs *d)
{
    free(d->seen);
    d->seen = NULL;
}

void
serve_docs_targets_changed(struct serve_docs *d)
{
    free(d->seen);
    d->seen = NULL;
    d->nseen = 0;
}

void
serve_docs_rfc3339(struct buf *b, int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;

    if (ms <= 0) {
        buf_puts(b, "\"0001-01-01T00:00:00Z\"");
        return;
    }
    gmtime_r(&secs, &tm);
    buf_printf(b, "\"%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (ms % 1000 != 0) {
        char frac[8];
        int n = snprintf(frac, sizeof(frac), "%03d", (int)(ms % 1000));

        while (n > 0 && frac[n - 1] == '0')
            frac[--n] = '\0';
        buf_printf(b, ".%s", frac);
    }
    buf_puts(b, "Z\"");
}

static const struct config_job *
find_job(const struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->njobs; i++)
        if (strcmp(cfg->jobs[i].name, name) == 0)
            return &cfg->jobs[i];
    return NULL;
}

static void
put_duration(struct buf *b, int64_t ms)
{
    char s[32];

    duration_format(ms, s, sizeof(s));
    json_string(b, s);
}

/* One entry of activeTargets. */
static void
put_target(struct buf *b, const struct target_row *r,
           const struct config *cfg)
{
    static const char *const health[] = {
        [HEALTH_UNKNOWN] = "unknown", [HEALTH_UP] = "up",
        [HEALTH_DOWN] = "down",
    };
    const struct config_job *job = find_job(cfg, r->job);
    struct labels none = { NULL, 0 };

    buf_puts(b, "{\"discoveredLabels\":");
    labels_json(r->discovered_set ? r->discovered_set : &none, b);
    buf_puts(b, ",\"labels\":");
    labels_json(r->label_set ? r->label_set : &none, b);
    buf_puts(b, ",\"scrapePool\":");
    api_json_go_string(b, r->job);
    buf_puts(b, ",\"scrapeUrl\":");
    api_json_go_string(b, r->url);
    buf_puts(b, ",\"globalUrl\":");
    api_json_go_string(b, r->url);
    buf_puts(b, ",\"lastError\":");
    api_json_go_string(b, r->last_error);
    buf_puts(b, ",\"lastScrape\":");
    serve_docs_rfc3339(b, r->last_scrape_ms);
    buf_puts(b, ",\"lastScrapeDuration\":");
    json_number(b, r->last_duration_s);
    buf_printf(b, ",\"health\":\"%s\",\"scrapeInterval\":",
               health[r->health]);
    put_duration(b, job ? job->interval_ms : cfg->scrape_interval_ms);
    buf_puts(b, ",\"scrapeTimeout\":");
    put_duration(b, job ? job->timeout_ms : cfg->scrape_timeout_ms);
    buf_putc(b, '}');
}

static void
publish_targets(struct loop *l, struct api *a)
{
    struct buf b;

    buf_init(&b, 0);
    buf_puts(&b, "{\"activeTargets\":[");
    for (size_t i = 0; i < l->targets.view.n; i++) {
        if (i > 0)
            buf_putc(&b, ',');
        put_target(&b, &l->targets.rows[i], l->cfg);
    }
    /* Dropped targets are known by their formatted labels only; the
     * list stays empty until they are kept as sets. */
    buf_puts(&b, "],\"droppedTargets\":[]}");
    api_publish(a, API_DOC_TARGETS, buf_str(&b));
    buf_fini(&b);
}

/* Counts the scrapes that finished since the last look. */
static void
count_scrapes(struct serve_docs *d, const struct scrape_pool *pool)
{
    size_t n = scrape_pool_count(pool);
    bool fresh = d->seen == NULL || d->nseen != n;

    if (fresh) {
        free(d->seen);
        d->seen = xcalloc(n + 1, sizeof(*d->seen));
        d->nseen = n;
    }
    for (size_t i = 0; i < n; i++) {
        struct scrape_status st;
        size_t b = 0;

        scrape_pool_status(pool, i, &st);
        if (st.scrapes == d->seen[i])
            continue;
        if (!fresh) {
            while (b < 11 && st.last_duration_s > buckets[b])
                b++;
            d->duration_hist[b]++;
            d->duration_sum += st.last_duration_s;
            d->scrapes++;
            d->appended += st.samples;
        }
        d->seen[i] = st.scrapes;
    }
}

/* Resident memory (bytes), CPU time (s) and threads from /proc. */
static void
process_figures(double *rss, double *cpu, long *threads)
{
    FILE *f = fopen("/proc/self/stat", "r");
    unsigned long ut = 0, stime = 0;
    long th = 0, pages = 0;
    long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);

    /* Fields 14, 15 (utime, stime), 20 (threads), 24 (rss); the command
     * name in field 2 is skipped up to its closing parenthesis. */
    if (f != NULL && fscanf(f, "%*d (%*[^)]) %*c %*d %*d %*d %*d %*d %*u "
                            "%*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %ld "
                            "%*d %*u %*u %ld", &ut, &stime, &th, &pages)
                     != 4)
        ut = stime = 0, th = pages = 0;
    if (f != NULL)
        fclose(f);
    *rss = (double)pages * (double)page;
    *cpu = tick > 0 ? (double)(ut + stime) / (double)tick : 0;
    *threads = th;
}

static void
metric(struct buf *b, const char *name, const char *type, const char *help,
       double v)
{
    buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s ", name, help, name, type,
               name);
    json_format_value(v, b);
    buf_putc(b, '\n');
}

static void
publish_metrics(struct serve_docs *d, struct loop *l, struct api *a)
{
    struct store_stats st;
    double rss, cpu, cum = 0;
    long threads;
    struct buf b;

    store_get_stats(l->store, &st);     /* the writer's own thread */
    process_figures(&rss, &cpu, &threads);
    buf_init(&b, 0);
    buf_printf(&b, "# HELP promdeck_build_info promdeck's version.\n"
               "# TYPE promdeck_build_info gauge\n"
               "promdeck_build_info{version=\"%s\"} 1\n", PROMDECK_VERSION);
    metric(&b, "promdeck_store_series", "gauge", "Series in the store.",
           (double)st.series);
    metric(&b, "promdeck_store_samples", "gauge", "Samples in the store.",
           (double)st.samples);
    metric(&b, "promdeck_store_bytes", "gauge", "Memory the store holds "
           "for chunks, index and strings.", (double)st.bytes);
    metric(&b, "promdeck_samples_appended_total", "counter", "Samples of "
           "finished scrapes committed to the store.", (double)d->appended);
    metric(&b, "promdeck_targets", "gauge", "Scrape targets.",
           (double)l->targets.view.n);
    metric(&b, "promdeck_targets_up", "gauge", "Scrape targets up.",
           (double)l->targets.up);
    buf_puts(&b, "# HELP promdeck_scrape_duration_seconds Duration of "
             "finished scrapes.\n# TYPE promdeck_scrape_duration_seconds "
             "histogram\n");
    for (size_t i = 0; i < 12; i++) {
        cum += (double)d->duration_hist[i];
        if (i < 11)
            buf_printf(&b, "promdeck_scrape_duration_seconds_bucket{le=\""
                       "%g\"} %.0f\n", buckets[i], cum);
        else
            buf_printf(&b, "promdeck_scrape_duration_seconds_bucket{le=\""
                       "+Inf\"} %.0f\n", cum);
    }
    buf_printf(&b, "promdeck_scrape_duration_seconds_sum %.9g\n"
               "promdeck_scrape_duration_seconds_count %llu\n",
               d->duration_sum, (unsigned long long)d->scrapes);
    metric(&b, "process_resident_memory_bytes", "gauge", "Resident memory "
           "size in bytes.", rss);
    metric(&b, "process_cpu_seconds_total", "counter", "Total user and "
           "system CPU time spent in seconds.", cpu);
    metric(&b, "process_start_time_seconds", "gauge", "Start time of the "
           "process since unix epoch in seconds.",
           (double)d->start_ms / 1000);
    metric(&b, "process_threads", "gauge", "Threads of the process.",
           (double)threads);
    api_publish(a, API_DOC_METRICS, buf_str(&b));
    buf_fini(&b);
}

void
serve_docs_publish(struct serve_docs *d, struct loop *l, struct api *a)
{
    targets_fill(&l->targets, l->pool, l->dropped, l->ndropped, l->disc,
                 l->cfg);
    count_scrapes(d, l->pool);
    publish_targets(l, a);
    publish_metrics(d, l, a);
}

/* A YAML scalar, double-quoted (JSON's escapes are YAML's too). */
static void
put_yaml_string(struct buf *b, const char *s)
{
    json_string(b, s);
}

/* One job's static targets. */
static void
put_statics(struct buf *b, const struct config_job *j)
{
    if (j->nstatics == 0)
        return;
    buf_puts(b, "  static_configs:\n");
    for (size_t k = 0; k < j->nstatics; k++) {
        const struct config_static *sc = &j->statics[k];

        buf_puts(b, "  - targets:\n");
        for (size_t t = 0; t < sc->ntargets; t++) {
            buf_puts(b, "    - ");
            put_yaml_string(b, sc->targets[t]);
            buf_putc(b, '\n');
        }
        if (sc->labels.n > 0)
            buf_puts(b, "    labels:\n");
        for (size_t i = 0; i < sc->labels.n; i++) {
            buf_printf(b, "      %s: ", sc->labels.v[i].name);
            put_yaml_string(b, sc->labels.v[i].value);
            buf_putc(b, '\n');
        }
    }
}

/*
 * The running config as YAML, written from what was loaded (as
 * Prometheus marshals its config) rather than the file's text: the file
 * may hold passwords and tokens, and no secret leaves promdeck. Jobs
 * show their schedule, path, scheme and static targets.
 */
static char *
config_yaml(const struct loop *l)
{
    struct buf b;
    char iv[32], to[32], ev[32];

    buf_init(&b, 0);
    duration_format(l->cfg->scrape_interval_ms, iv, sizeof(iv));
    duration_format(l->cfg->scrape_timeout_ms, to, sizeof(to));
    duration_format(l->cfg->evaluation_interval_ms, ev, sizeof(ev));
    buf_printf(&b, "global:\n  scrape_interval: %s\n  scrape_timeout: %s\n"
               "  evaluation_interval: %s\n", iv, to, ev);
    buf_puts(&b, l->cfg->njobs ? "scrape_configs:\n" : "");
    for (size_t i = 0; i < l->cfg->njobs; i++) {
        const struct config_job *j = &l->cfg->jobs[i];

        duration_format(j->interval_ms, iv, sizeof(iv));
        duration_format(j->timeout_ms, to, sizeof(to));
        buf_puts(&b, "- job_name: ");
        put_yaml_string(&b, j->name);
        buf_printf(&b, "\n  honor_timestamps: %s\n  scrape_interval: %s\n"
                   "  scrape_timeout: %s\n  metrics_path: %s\n"
                   "  scheme: %s\n", j->honor_timestamps ? "true" : "false",
                   iv, to, j->metrics_path, j->scheme);
        put_statics(&b, j);
    }
    return buf_steal(&b);
}

/* "name":"value" of status/flags. */
static void
flag(struct buf *b, const char *name, const char *value, bool first)
{
    if (!first)
        buf_putc(b, ',');
    api_json_go_string(b, name);
    buf_putc(b, ':');
    api_json_go_string(b, value != NULL ? value : "");
}

static void
publish_flags(const struct serve_docs *d, const struct loop *l,
              struct api *a)
{
    char ret[32], iv[32];
    struct buf b;

    duration_format(l->cli->retention_ms, ret, sizeof(ret));
    duration_format(l->cli->scrape_interval_ms, iv, sizeof(iv));
    buf_init(&b, 0);
    buf_putc(&b, '{');
    flag(&b, "config.file", l->cli->config, true);
    flag(&b, "demo", l->cli->demo ? "true" : "false", false);
    flag(&b, "retention", ret, false);
    flag(&b, "scrape-interval", iv, false);
    flag(&b, "web.config.file", l->cli->web_config, false);
    flag(&b, "listen", d->listen, false);
    buf_putc(&b, '}');
    api_publish(a, API_DOC_FLAGS, buf_str(&b));
    buf_fini(&b);
}

static void
publish_runtime(const struct serve_docs *d, const struct loop *l,
                struct api *a)
{
    char cwd[4096], ret[32];
    struct buf b;
    double rss, cpu;
    long threads;

    if (getcwd(cwd, sizeof(cwd)) == NULL)
        cwd[0] = '\0';
    duration_format(l->cli->retention_ms, ret, sizeof(ret));
    process_figures(&rss, &cpu, &threads);
    buf_init(&b, 0);
    buf_puts(&b, "{\"startTime\":");
    serve_docs_rfc3339(&b, d->start_ms);
    buf_puts(&b, ",\"CWD\":");
    api_json_go_string(&b, cwd);
    buf_printf(&b, ",\"reloadConfigSuccess\":%s,\"lastConfigTime\":",
               d->config_ok ? "true" : "false");
    serve_docs_rfc3339(&b, d->config_ms / 1000 * 1000);
    buf_printf(&b, ",\"corruptionCount\":0,\"goroutineCount\":%ld,"
               "\"GOMAXPROCS\":%ld,\"GOGC\":\"\",\"GODEBUG\":\"\","
               "\"storageRetention\":\"%s\"}", threads,
               sysconf(_SC_NPROCESSORS_ONLN), ret);
    api_publish(a, API_DOC_RUNTIME, buf_str(&b));
    buf_fini(&b);
}

void
serve_docs_publish_config(struct serve_docs *d, struct loop *l,
                          struct api *a)
{
    char *yaml = config_yaml(l);
    struct buf b;

    buf_init(&b, 0);
    buf_puts(&b, "{\"yaml\":");
    api_json_go_string(&b, yaml);
    buf_putc(&b, '}');
    api_publish(a, API_DOC_CONFIG, buf_str(&b));
    buf_fini(&b);
    free(yaml);
    publish_flags(d, l, a);
    publish_runtime(d, l, a);
}
