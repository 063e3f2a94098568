/*
 * prometheus.yml, the part promdeck uses: global intervals and external
 * labels, the rule_files globs, and scrape configs with static, DNS and
 * file targets, their relabel rules, params, limits and HTTP client
 * config (auth, TLS, proxy, redirects). Every key Prometheus 2.42 knows
 * is accepted; those promdeck does not act on yet load with a one-line
 * warning each, and a key Prometheus does not know is an error.
 * Discovery itself runs in scrape/discovery; src/config_targets turns
 * what it finds into targets.
 *
 * Ownership: the caller embeds struct config, and calls config_fini after
 * config_load whatever it returned. The config owns every string in it.
 * Diags filled by config_load point their source at the config's copy of
 * the path, so they stay printable until config_fini.
 */
#ifndef CONFIG_CONFIG_H
#define CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scrape/pool.h"
#include "scrape/relabel.h"
#include "scrape/relabel_target.h"
#include "src/base/diag.h"
#include "src/config/config_sd.h"
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

struct config_job {
    char *name;
    char *scheme;               /* "http" or "https" */
    char *metrics_path;
    int64_t interval_ms;        /* after the global default */
    int64_t timeout_ms;         /* <= interval_ms */
    size_t body_size_limit;     /* bytes; 0 (not given): the scraper's
                                   default cap; SIZE_MAX (given as 0):
                                   none */
    bool honor_labels;          /* default false */
    bool honor_timestamps;      /* default true */
    size_t sample_limit;        /* 0 everywhere: no limit */
    size_t target_limit;        /* checked after relabelling */
    size_t label_limit;
    size_t label_name_length_limit;
    size_t label_value_length_limit;
    struct relabel_param *params;   /* name=value pairs; owned strings */
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
    struct config_sd sd;                    /* dns_sd and file_sd configs */
    struct relabel_rules *relabel;          /* relabel_configs; NULL: none */
    struct relabel_rules *metric_relabel;   /* metric_relabel_configs */
    /* A built-in source its targets are scraped from instead of HTTP
     * (the host collector); borrowed, NULL for every job of a file. */
    const struct scrape_builtin *builtin;
};

struct config {
    char *path;                 /* the file loaded, or NULL */
    int64_t scrape_interval_ms;
    int64_t scrape_timeout_ms;
    int64_t evaluation_interval_ms;
    struct labels external_labels;  /* sorted; owned strings */
    char **rule_files;          /* rule_files globs, joined to the config
                                 * file's folder; owned */
    size_t nrule_files;
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
/* Same for a document of len bytes in memory; name stands for the path
 * (in diags, and as the folder relative file_sd paths start from). */
int config_load_buf(struct config *cfg, const char *name, const char *text,
                    size_t len, struct diag *errs, size_t maxerrs,
                    size_t *nerrs, struct diag *warns, size_t maxwarns,
                    size_t *nwarns);

/*
 * Appends a job named job (copied) with the defaults of a scrape config
 * that sets nothing but its name: http, /metrics, no targets. The timeout
 * is the global one, capped at interval_ms; interval_ms <= 0 takes the
 * global interval. The pointer is the config's and stays valid until the
 * next job is added or config_fini.
 */
struct config_job *config_add_job(struct config *cfg, const char *job,
                                  int64_t interval_ms);
/*
 * Appends a job of plain http targets (the built-in demo). The timeout
 * is the global one, capped at interval_ms; interval_ms <= 0 takes the
 * global interval.
 */
void config_add_static_job(struct config *cfg, const char *job,
                           const char *metrics_path, int64_t interval_ms,
                           const char *const *addresses, size_t n);

/*
 * The scrape targets of every job's static_configs, as Prometheus 2.42
 * builds them (relabel_configs included; see config_targets_build in
 * src/config/config_targets.h, which also takes discovered targets). *defs is
 * NULL when there are none; free it with config_target_defs_free
 * (src/config/config_targets.h).
 */
size_t config_targets(const struct config *cfg,
                      struct scrape_target_def **defs);


/* Prints "file:line:col: warning: msg" for a warning from config_load. */
void config_print_warning(FILE *f, const struct diag *d);

#endif
