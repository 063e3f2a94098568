/*
 * From config and discovery to scrape targets: every discovered target
 * (static_configs first, then DNS, then files, job by job) goes through
 * its job's relabel_configs exactly as Prometheus 2.42 builds targets,
 * giving the pool's definitions and, apart, the targets relabelling
 * dropped or refused. It runs no discovery and scrapes nothing.
 *
 * Ownership: config_discovery_new returns a discovery the caller frees
 * with discovery_free; the config must outlive it. Definitions and
 * dropped lists belong to the caller (config_target_defs_free,
 * config_dropped_free); a definition's metric_relabel points into the
 * config, which must outlive the pool that keeps it.
 */
#ifndef CONFIG_CONFIG_TARGETS_H
#define CONFIG_CONFIG_TARGETS_H

#include <stddef.h>

#include "scrape/discovery.h"
#include "scrape/pool.h"

struct config;

/* A target that relabel_configs dropped, or that Prometheus would refuse
 * (its logs' "Creating target failed"), for the targets view. */
struct config_dropped {
    char *job;                  /* job_name */
    char *discovered;           /* labels before relabelling, formatted */
    char *reason;               /* "dropped by relabel rule 2 (keep)", or
                                   Prometheus's error for a refused one */
    bool refused;               /* refused, not dropped by a rule */
};

/*
 * A discovery with every job's providers: static_configs groups (ready at
 * once), dns_sd_configs and file_sd_configs (ready after polling). The
 * provider's job is the index in cfg->jobs.
 */
struct discovery *config_discovery_new(const struct config *cfg);

/*
 * The targets of every group d holds, relabelled by their job; duplicates
 * (same labels and URL) within a job appear once. Returns the number of
 * definitions (*defs NULL when 0). When dropped is not NULL, *dropped and
 * *ndropped get the dropped and refused targets.
 */
size_t config_targets_build(const struct config *cfg,
                            const struct discovery *d,
                            struct scrape_target_def **defs,
                            struct config_dropped **dropped,
                            size_t *ndropped);
void config_target_defs_free(struct scrape_target_def *defs, size_t n);
void config_dropped_free(struct config_dropped *v, size_t n);

#endif
