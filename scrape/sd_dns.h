/*
 * dns_sd_configs: A, AAAA or SRV lookups of a list of names, again every
 * refresh interval, with Prometheus 2.42's labels (__meta_dns_name,
 * __meta_dns_srv_record_target, __meta_dns_srv_record_port). Lookups run
 * in a short-lived child process that writes its answers to a pipe, so
 * the single-threaded loop never waits on the resolver: sd_dns_poll only
 * reads what has arrived. A failed lookup keeps the name's last good
 * group; a name that does not exist gives an empty one. It relabels
 * nothing.
 *
 * Ownership: sd_dns_new copies the config; sd_dns_free releases it, and
 * kills and reaps a lookup child still running. Groups and the error
 * string returned stay valid until the next sd_dns_poll or sd_dns_free.
 *
 * Environment: PROMDECK_DNS_SERVER=ip:port (IPv4), read only by the
 * lookup child, sends every query to that server instead of the ones in
 * /etc/resolv.conf, with a one-second timeout and one retry. It exists
 * for tests that serve records from a local server.
 */
#ifndef SCRAPE_SD_DNS_H
#define SCRAPE_SD_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/sd_group.h"

/* Prometheus's default refresh_interval for dns_sd_configs. */
#define SD_DNS_DEFAULT_REFRESH_MS 30000
/* A lookup child still running after this long is killed. */
#define SD_DNS_DEADLINE_MS 30000

enum sd_dns_type {
    SD_DNS_SRV,                 /* Prometheus's default */
    SD_DNS_A,
    SD_DNS_AAAA
};

struct sd_dns_config {
    const char *const *names;
    size_t nnames;
    enum sd_dns_type type;
    int port;                   /* for A and AAAA; ignored for SRV */
    int64_t refresh_ms;         /* > 0 */
};

struct sd_dns;

struct sd_dns *sd_dns_new(const struct sd_dns_config *c);
void sd_dns_free(struct sd_dns *d);
/*
 * Collects the answers of a running lookup without blocking, and starts
 * a new lookup when the refresh interval has passed since the last one
 * started (the first poll starts one at once). Returns true when the
 * groups changed.
 */
bool sd_dns_poll(struct sd_dns *d, int64_t now_ms);
/* When sd_dns_poll next has work: the next refresh, or soon while a
 * lookup runs (its answers may arrive at any moment). */
int64_t sd_dns_next_due(const struct sd_dns *d, int64_t now_ms);
/* True until the first lookup has finished. */
bool sd_dns_pending(const struct sd_dns *d);
/* True while a lookup child runs. */
bool sd_dns_running(const struct sd_dns *d);
/* One group per name that has answered, in config order; source = name. */
size_t sd_dns_group_count(const struct sd_dns *d);
const struct sd_group *sd_dns_group(const struct sd_dns *d, size_t i);
/* The errors of the last lookup, joined by "; ", or "". */
const char *sd_dns_error(const struct sd_dns *d);

#endif
