/*
 * Target and series label sets as Prometheus 2.42 builds them: a
 * discovered target's labels through the scrape config's defaults,
 * relabel_configs and scrape/target.go's PopulateLabels (default port,
 * instance, checks, URL), and a scraped series' labels through the target
 * labels, honor_labels and metric_relabel_configs. No I/O, no config files.
 *
 * Ownership: relabel_target_new returns a result the caller releases with
 * relabel_target_free; one result may be filled again and again. Every
 * string and view it returns stays valid until the next
 * relabel_target_labels on it or its free. Arguments are borrowed for the
 * call only.
 */
#ifndef SCRAPE_RELABEL_TARGET_H
#define SCRAPE_RELABEL_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/relabel.h"
#include "src/base/diag.h"
#include "store/labels.h"

/* One value of a scrape config's params; a name may repeat. */
struct relabel_param {
    const char *name;
    const char *value;
};

/* The parts of a scrape config that shape a target's labels. */
struct relabel_target_config {
    const char *job;                /* job_name */
    int64_t interval_ms;            /* scrape_interval */
    int64_t timeout_ms;             /* scrape_timeout */
    const char *metrics_path;       /* "/metrics" by default */
    const char *scheme;             /* "http" by default */
    const struct relabel_param *params;     /* in config order */
    size_t nparams;
    const struct relabel_rules *rules;      /* relabel_configs; may be NULL */
    bool no_default_port;   /* Prometheus's no-default-scrape-port flag */
};

enum relabel_target_state {
    RELABEL_TARGET_ACTIVE,      /* to be scraped */
    RELABEL_TARGET_DROPPED,     /* dropped by relabel_configs */
    RELABEL_TARGET_FAILED       /* invalid; Prometheus logs it and skips it */
};

struct relabel_target;

struct relabel_target *relabel_target_new(void);
void relabel_target_free(struct relabel_target *t);

/*
 * Builds one target from its discovered labels: target (for a static
 * config, __address__) and group (the group's labels; target wins on a
 * name both have; may be NULL). Returns the state. ACTIVE fills every
 * accessor below; DROPPED fills only the discovered labels; FAILED fills
 * nothing and sets d's message in Prometheus's wording (no position).
 */
enum relabel_target_state
relabel_target_labels(struct relabel_target *t,
                      const struct relabel_target_config *cfg,
                      const struct labels *target, const struct labels *group,
                      struct diag *d);

/* For a DROPPED target: the index of the relabel rule that dropped it. */
size_t relabel_target_dropped_by(const struct relabel_target *t);
/* The labels before relabelling ("discoveredLabels" in the API). */
const struct labels *relabel_target_discovered(const struct relabel_target *t);
/* The final labels, "__" ones included (__address__, __param_x, ...). */
const struct labels *relabel_target_all(const struct relabel_target *t);
/* The final labels without those starting with "__" (the API's "labels"),
 * which every scraped series of the target gets. */
const struct labels *relabel_target_public(const struct relabel_target *t);
/* URL parts: scheme, host:port, path, and the encoded query ("" if none). */
const char *relabel_target_scheme(const struct relabel_target *t);
const char *relabel_target_address(const struct relabel_target *t);
const char *relabel_target_path(const struct relabel_target *t);
const char *relabel_target_query(const struct relabel_target *t);
/* The whole scrape URL as Prometheus prints it ("scrapeUrl"). */
const char *relabel_target_url(const struct relabel_target *t);
/*
 * An address as shown: a password in it (user:password@host) becomes
 * <secret>, as Prometheus shows secrets. Returns a copy to free. Such
 * a target is refused, but its discovered labels are still shown.
 */
char *relabel_target_shown_address(const char *addr);
/* The scrape interval and timeout as the final __scrape_interval__ and
 * __scrape_timeout__ labels say: relabelling may change them per target. */
int64_t relabel_target_interval_ms(const struct relabel_target *t);
int64_t relabel_target_timeout_ms(const struct relabel_target *t);

/*
 * A scraped series' final labels, as Prometheus's mutateSampleLabels and
 * its checks after it: the target's public labels are added (honor_labels
 * keeps the scraped value on a clash, otherwise the scraped one is kept as
 * exported_<name>), then metric_relabel_configs (rules, may be NULL) run.
 * Returns 1 with the set in out, 0 when the rules drop the series, or -1
 * with d's message set (no position) when the result has no metric name or
 * an invalid name or value, which fails the whole scrape in Prometheus,
 * or when a rule's regex match could not be decided (never read as "no
 * match").
 */
int relabel_series_labels(const struct labels *scraped,
                          const struct labels *target_public, bool honor,
                          const struct relabel_rules *rules,
                          struct relabel_builder *out, struct diag *d);

/*
 * The labels of a synthetic report series (up, scrape_duration_seconds,
 * ...) as mutateReportSampleLabels builds them: each target label is set,
 * a clashing series label moving to exported_<name>. Never fails.
 */
void relabel_report_labels(const struct labels *series,
                           const struct labels *target_public,
                           struct relabel_builder *out);

#endif
