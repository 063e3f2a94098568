/*
 * docker_sd_configs: the containers of a Docker Engine (over its Unix
 * socket, or tcp:// and http(s):// hosts), listed again every refresh
 * interval, with Prometheus 2.42's targets and labels: one target per
 * container, network and TCP port (or one at the configured port when a
 * container exposes none; host_networking_host for host-mode ones) and
 * the __meta_docker_container_*, __meta_docker_network_* and
 * __meta_docker_port_* labels. It asks GET /containers/json (with the
 * filters) and GET /networks on a fetch of its own, moved along at every
 * poll and never waited on; a failed or garbled answer keeps the last
 * good group and reports the error. It relabels nothing.
 *
 * Ownership: sd_docker_new copies the config (its HTTP settings too);
 * sd_docker_free releases it.
 * Groups and the error string stay valid until the next sd_docker_poll
 * or sd_docker_free.
 */
#ifndef SCRAPE_SD_DOCKER_H
#define SCRAPE_SD_DOCKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "scrape/sd_group.h"

/* Prometheus's defaults for docker_sd_configs. */
#define SD_DOCKER_DEFAULT_REFRESH_MS 60000
#define SD_DOCKER_DEFAULT_PORT 80

struct sd_docker_filter {
    const char *name;
    const char *const *values;
    size_t nvalues;
};

struct sd_docker_config {
    const char *host;               /* unix:///path, tcp://h:p, http(s):// */
    int port;
    const struct sd_docker_filter *filters;
    size_t nfilters;
    const char *host_networking_host;   /* "localhost" by default */
    int64_t refresh_ms;             /* > 0 */
    /* The HTTP client settings (auth, TLS, proxy, redirects), used for
     * http:// and https:// hosts as Prometheus uses them; the Docker
     * client Prometheus hands unix:// and tcp:// to takes none of them.
     * NULL: none. */
    const struct fetch_http *http;
};

struct sd_docker;

struct sd_docker *sd_docker_new(const struct sd_docker_config *c);
void sd_docker_free(struct sd_docker *d);
/* Takes answers that arrived and starts a refresh when one is due (the
 * first poll starts one at once). Returns true when the group changed. */
bool sd_docker_poll(struct sd_docker *d, int64_t now_ms);
/* The next refresh, or soon while one is in flight. */
int64_t sd_docker_next_due(const struct sd_docker *d, int64_t now_ms);
/* True until the first refresh has finished. */
bool sd_docker_pending(const struct sd_docker *d);
/* One group, source "Docker", once a refresh has succeeded; else none. */
size_t sd_docker_group_count(const struct sd_docker *d);
const struct sd_group *sd_docker_group(const struct sd_docker *d, size_t i);
/* The last refresh's error, or "". */
const char *sd_docker_error(const struct sd_docker *d);

/*
 * Builds the group (initialised here, source "Docker") from the bodies of
 * GET /containers/json and GET /networks as Prometheus 2.42's refresh
 * does. Returns 0, or -1 with err filled (g left empty) when a body is
 * not the JSON list expected. Pure: no I/O.
 */
int sd_docker_build(const char *containers, size_t clen,
                    const char *networks, size_t nlen, int port,
                    const char *host_networking_host, struct sd_group *g,
                    char *err, size_t errsz);

/* The query string of filters as the Engine API takes them:
 * ?filters=URL-encoded {"name":["v",...],...}, or "" for none. */
void sd_docker_filters_query(const struct sd_docker_filter *f, size_t n,
                             char *out, size_t size);

#endif
