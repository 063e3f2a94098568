/*
 * dns_sd_configs, file_sd_configs and docker_sd_configs of a scrape config, read from the
 * YAML tree with Prometheus 2.42's defaults, checks and wording, and a
 * file:line:col on every error. It starts no discovery: scrape/discovery
 * takes the parsed configs.
 *
 * Ownership: struct config_sd is embedded by its owner (zeroed, released
 * with config_sd_fini) and owns every string in it. The tree is borrowed for
 * the call. Diags point their source at the tree's document name.
 */
#ifndef CONFIG_CONFIG_SD_H
#define CONFIG_CONFIG_SD_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "scrape/sd_dns.h"
#include "scrape/sd_docker.h"
#include "scrape/sd_file.h"
#include "src/base/diag.h"
#include "src/base/yaml.h"

struct config_sd_dns {
    char **names;
    size_t nnames;
    enum sd_dns_type type;
    int port;
    int64_t refresh_ms;
};

struct config_sd_file {
    char **files;               /* relative ones joined to the config's dir */
    size_t nfiles;
    int64_t refresh_ms;
};

struct config_sd_docker {
    char *host;
    int port;
    struct sd_docker_filter *filters;   /* owned names and values */
    size_t nfilters;
    char *host_networking_host;
    int64_t refresh_ms;
    /* basic_auth, authorization, tls_config, proxy_url, follow_redirects,
     * enable_http2: the scrape jobs' reader fills these
     * (src/config/config.c), this one only sets the defaults. */
    struct fetch_http http;
};

struct config_sd {
    struct config_sd_dns *dns;
    size_t ndns;
    struct config_sd_file *file;
    size_t nfile;
    struct config_sd_docker *docker;
    size_t ndocker;
};

void config_sd_fini(struct config_sd *sd);

/*
 * Parses a dns_sd_configs list (seq; NULL or null is empty) into sd.
 * Every error is appended at errs[*nerrs], advancing *nerrs but never
 * past maxerrs. Returns 0, or -1 when there was any error.
 */
int config_sd_parse_dns(const struct yaml_node *seq, struct config_sd *sd,
                        struct diag *errs, size_t maxerrs, size_t *nerrs);
/* The same for file_sd_configs; relative paths are taken from dir (the
 * config file's directory; NULL or "" leaves them as they are). */
int config_sd_parse_file(const struct yaml_node *seq, const char *dir,
                         struct config_sd *sd, struct diag *errs,
                         size_t maxerrs, size_t *nerrs);

/* The same for docker_sd_configs. The HTTP client keys are accepted and
 * left for the caller to read into each config's http (items and configs
 * match one to one when this returns 0). */
int config_sd_parse_docker(const struct yaml_node *seq, struct config_sd *sd,
                           struct diag *errs, size_t maxerrs, size_t *nerrs);

/* The configs in the form scrape/discovery takes; the views borrow from
 * c and stay valid while it does. */
struct sd_dns_config config_sd_dns_view(const struct config_sd_dns *c);
struct sd_file_config config_sd_file_view(const struct config_sd_file *c);
struct sd_docker_config config_sd_docker_view(const struct config_sd_docker *c);

#endif
