/*
 * Targets named on the command line (`promdeck localhost:9100`, `promdeck
 * https://host/prom/metrics`) as scrape jobs, so no prometheus.yml is
 * needed: one job per host, named after it, each argument one static
 * target whose scheme, path and query parameters come from the URL. It
 * reads no file and scrapes nothing.
 *
 * Ownership: config_url_parse fills a struct config_url whose strings it
 * owns until config_url_fini. The jobs config_add_url_targets appends
 * belong to the config (config_fini releases them). Arguments are
 * borrowed for the call only.
 */
#ifndef CONFIG_CONFIG_URL_H
#define CONFIG_CONFIG_URL_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/relabel_target.h"
#include "src/base/diag.h"
#include "src/config/config.h"

/* One command-line target, taken apart. */
struct config_url {
    char *scheme;               /* "http" or "https" */
    char *host;                 /* without brackets or port: the job name */
    char *address;              /* host:port, the scheme's default port
                                 * filled in; a user name is kept, so the
                                 * target check can refuse it */
    char *path;                 /* decoded; "/metrics" for "" and "/" */
    char *query;                /* as written after '?', or "" */
    struct relabel_param *params;   /* the query, decoded, in order */
    size_t nparams;
};

/*
 * Parses one argument: HOST:PORT[/PATH][?QUERY] (http), or
 * http[s]://HOST[:PORT][/PATH][?QUERY] (a fragment is ignored). The
 * address then goes through the check every config target gets
 * (scrape/relabel_target), so a user name and password in it are refused
 * as they are in a prometheus.yml. Returns 0, or -1 with d's message set
 * (no position) and *u empty.
 */
int config_url_parse(const char *arg, struct config_url *u, struct diag *d);
/* Releases what config_url_parse filled; u may be parsed into again. */
void config_url_fini(struct config_url *u);

/*
 * arg with the password of a user:password@ part shown as <secret>, as
 * Prometheus shows secrets, for messages. Returns a copy to free.
 */
char *config_url_shown(const char *arg);

/*
 * Appends one job per distinct host of args (in the order hosts first
 * appear), scraped every interval_ms with the timeout the global one
 * capped at the interval. A target's instance label is its host:port;
 * when two arguments of one host share it, host:port/path[?query], and
 * when even that is shared (only the scheme differs) the whole URL. An
 * argument given twice is scraped once. Returns 0, or -1 with d set for
 * the first bad argument, adding nothing.
 */
int config_add_url_targets(struct config *cfg, const char *const *args,
                           size_t n, int64_t interval_ms, struct diag *d);

#endif
