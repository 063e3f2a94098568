/*
 * prometheus.yml, the part promdeck uses: global intervals and external
 * labels, and scrape configs with static targets, params, limits and the
 * HTTP client config (auth, TLS, proxy, redirects). Every key Prometheus
 * 2.42 knows is accepted; those promdeck does not act on yet load with a
 * one-line warning each, and a key Prometheus does not know is an error.
 * It does not discover targets (beyond static_configs) or relabel.
 *
 * Ownership: the caller embeds struct config, and calls config_fini after
 * config_load whatever it returned. The config owns every string in it.
 * Diags filled by config_load point their source at the config's copy of
 * the path, so they stay printable until config_fini.
 */
#ifndef SRC_CONFIG_H
#define SRC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scrape/pool.h"
#include "src/diag.h"
#include "store/labels.h"

/* Prometheus's defaults. */
#define CONFIG_DEFAULT_INTERVAL_MS 60000
#define CONFIG_DEFAULT_TIMEOUT_MS 10000
#define CONFIG_DEFAULT_EVAL_MS 60000

/* One static_configs entry: addresses and the labels they share. */
struct config_static {
    char **targets;             /* "host:port" as written */
    size_t ntargets;
    struct labels labels;       /* sorted; owned strings */
};

/* One name of params: its values, in the order written. */
struct config_param {
    char *name;
    char **values;
    size_t nvalues;
};

struct config_job {
    char *name;
    char *scheme;               /* "http" or "https" */
    char *metrics_path;
    int64_t interval_ms;        /* after the global default */
    int64_t timeout_ms;         /* <= interval_ms */
    size_t body_size_limit;     /* bytes; 0: the scraper's default cap */
    bool honor_labels;          /* default false */
    bool honor_timestamps;      /* default true */
    size_t sample_limit;        /* 0 everywhere: no limit */
    size_t target_limit;        /* checked after relabelling */
    size_t label_limit;
    size_t label_name_length_limit;
    size_t label_value_length_limit;
    struct config_param *params;
    size_t nparams;
    /*
     * The HTTP client config, Prometheus's defaults filled in (follow
     * redirects, HTTP/2 on); bearer_token(_file) is stored as an
     * authorization of type Bearer, as Prometheus does; file paths are
     * relative to the config file's folder. Owned strings.
     */
    struct fetch_http http;
    struct config_static *statics;
    size_t nstatics;
};

struct config {
    char *path;                 /* the file loaded, or NULL */
    int64_t scrape_interval_ms;
    int64_t scrape_timeout_ms;
    int64_t evaluation_interval_ms;
    struct labels external_labels;  /* sorted; owned strings */
    struct config_job *jobs;
    size_t njobs;
};

/* An empty config with Prometheus's global defaults and no jobs. */
void config_init(struct config *cfg);
/* Releases everything the config holds; it may be initialised again. */
void config_fini(struct config *cfg);

/*
 * Initialises cfg and loads the file at path into it. Errors (up to
 * maxerrs, each with file:line:col) go to errs and warnings (up to
 * maxwarns) to warns; *nerrs and *nwarns say how many were stored.
 * Returns 0, or -1 when there was at least one error; cfg then holds
 * whatever did load and still needs config_fini.
 */
int config_load(struct config *cfg, const char *path, struct diag *errs,
                size_t maxerrs, size_t *nerrs, struct diag *warns,
                size_t maxwarns, size_t *nwarns);

/*
 * Appends a job of plain http targets (the built-in demo). The timeout
 * is the global one, capped at interval_ms; interval_ms <= 0 takes the
 * global interval.
 */
void config_add_static_job(struct config *cfg, const char *job,
                           const char *metrics_path, int64_t interval_ms,
                           const char *const *addresses, size_t n);

/*
 * The scrape targets of every job, as Prometheus 2.42 builds them: the
 * job label, instance = the address (with :80 or :443 added when it has
 * no port), then the static labels (which may set job or instance
 * themselves); labels starting with "__" and empty values dropped;
 * duplicates within a job removed. *defs is NULL when there are none;
 * free it with config_targets_free.
 */
size_t config_targets(const struct config *cfg,
                      struct scrape_target_def **defs);
void config_targets_free(struct scrape_target_def *defs, size_t n);

/*
 * For relabelling: the labels of one static target (static group g of j,
 * target address addr) before relabelling, as Prometheus 2.42 builds
 * them: the group's labels, then job, __address__, __scheme__,
 * __metrics_path__, __scrape_interval__, __scrape_timeout__ and
 * __param_<name> (first value) wherever the group did not set them.
 * out's strings are owned; free them with config_labels_free.
 */
void config_target_labels(const struct config_job *j,
                          const struct config_static *g, const char *addr,
                          struct labels *out);
/*
 * The target for labels ls after relabelling: the URL from __scheme__,
 * __address__ (port added), __metrics_path__ and the job's params with
 * __param_<name> values first; the labels without "__" ones, instance
 * defaulting to the address. def's strings are owned (free them with
 * config_targets_free); def->http points into j. Returns 0, or -1 when
 * ls has no __address__ (the target is dropped).
 */
int config_target_def(const struct config_job *j, const struct labels *ls,
                      struct scrape_target_def *def);
void config_labels_free(struct labels *ls);

/* Prints "file:line:col: warning: msg" for a warning from config_load. */
void config_print_warning(FILE *f, const struct diag *d);

#endif
