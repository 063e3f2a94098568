/*
 * Service discovery: the providers of every scrape job (static_configs,
 * dns_sd_configs, file_sd_configs, docker_sd_configs), polled from the main loop, and the
 * target groups each one currently gives. The config layer turns groups
 * into targets through relabelling; this module neither relabels nor
 * scrapes, and never blocks (DNS lookups run in a child process).
 *
 * Ownership: the caller owns the discovery (discovery_new/_free), which
 * copies every config and group it is given. Groups, statuses and error
 * strings returned are borrowed until the next discovery_poll or
 * discovery_free.
 *
 * Loop use: call discovery_poll(d, now) on every pass (it returns at
 * once when nothing is due) and wake no later than discovery_next_due;
 * when discovery_changed(d) says so, rebuild the targets from the
 * groups and hand them to scrape_pool_set_targets.
 */
#ifndef SCRAPE_DISCOVERY_H
#define SCRAPE_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/sd_dns.h"
#include "scrape/sd_docker.h"
#include "scrape/sd_file.h"
#include "scrape/sd_group.h"
#include "store/labels.h"

enum discovery_kind {
    DISCOVERY_STATIC,
    DISCOVERY_DNS,
    DISCOVERY_FILE,
    DISCOVERY_DOCKER
};

/* What a provider shows in the targets view. */
struct discovery_status {
    size_t job;                 /* the caller's job index */
    enum discovery_kind kind;
    const char *error;          /* the last refresh's errors, or "" */
    size_t ngroups;
    bool pending;               /* no answer yet (a first DNS lookup) */
    bool busy;                  /* a DNS lookup is running now */
};

struct discovery;

struct discovery *discovery_new(void);
/* Frees every provider (killing a running DNS lookup child); NULL is ok. */
void discovery_free(struct discovery *d);

/*
 * Adds a provider for job (any index the caller uses) and returns its
 * index; providers keep the order they were added in. A static provider
 * is one group, source "index", of targets with __address__ set to each
 * address and the given labels (may be NULL) as group labels.
 */
size_t discovery_add_static(struct discovery *d, size_t job,
                            const char *const *addresses, size_t n,
                            const struct labels *labels, size_t index);
size_t discovery_add_dns(struct discovery *d, size_t job,
                         const struct sd_dns_config *c);
size_t discovery_add_file(struct discovery *d, size_t job,
                          const struct sd_file_config *c);
size_t discovery_add_docker(struct discovery *d, size_t job,
                            const struct sd_docker_config *c);

/* Moves every provider along without blocking (see the header comment). */
void discovery_poll(struct discovery *d, int64_t now_ms);
/* The latest time the loop should call discovery_poll again. */
int64_t discovery_next_due(const struct discovery *d, int64_t now_ms);
/* True once after the groups changed (and after creation); clears. */
bool discovery_changed(struct discovery *d);
/* True while some DNS provider has not answered for the first time
 * (--once waits for it, up to a deadline of its own). */
bool discovery_pending(const struct discovery *d);

size_t discovery_count(const struct discovery *d);
void discovery_status(const struct discovery *d, size_t i,
                      struct discovery_status *out);
/* The groups of provider i, in the provider's order. */
size_t discovery_group_count(const struct discovery *d, size_t i);
const struct sd_group *discovery_group(const struct discovery *d, size_t i,
                                       size_t g);

#endif
