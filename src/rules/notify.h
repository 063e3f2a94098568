/*
 * The Alertmanager notifier, after Prometheus 2.42's notifier/notifier.go
 * and the sending half of its rules: after each evaluation the alerts that
 * are due (firing, just resolved, or not sent for the resend delay) get
 * the external labels, go through alert_relabel_configs and join one
 * bounded queue (oldest dropped and counted); batches of up to 64 are
 * POSTed as JSON to every discovered Alertmanager through the loop's one
 * fetcher, one batch at a time. Nothing here waits: an Alertmanager that
 * is down, slow or refuses costs a queue slot, never a key press, and its
 * last error is kept for the screens.
 *
 * Ownership: notifier_new copies the config's external labels and URL and
 * the alertmanager entries, adopts the discovery, and borrows the rest
 * (the fetcher, HTTP configs, relabel rules: they must outlive the
 * notifier). A notifier_alert is owned by whoever holds it;
 * notifier_push takes the ones it is given. Strings in a status stay
 * valid until the next notifier call.
 *
 * Loop use: notifier_send(n, group, now) after each evaluation of a
 * group (or notifier_send_rule after each of its alerting rules), notifier_tick(n, now) on every pass (it polls discovery and
 * starts the next batch), and wake no later than notifier_next_due.
 */
#ifndef RULES_NOTIFY_H
#define RULES_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/discovery.h"
#include "scrape/fetch.h"
#include "scrape/relabel.h"
#include "src/base/buf.h"
#include "src/rules/group.h"
#include "store/labels.h"

#define NOTIFIER_QUEUE_CAPACITY 10000   /* --alertmanager.notification-
                                         * queue-capacity's default */
#define NOTIFIER_BATCH 64               /* alerts per request, as 2.42 */
#define NOTIFIER_RESEND_MS 60000        /* --rules.alert.resend-delay */

/* One alerting.alertmanagers entry; pointers borrowed. */
struct notifier_am_config {
    const char *scheme;                 /* "http" or "https" */
    const char *path_prefix;            /* "" or "/prefix" */
    int api_version;                    /* 1 or 2 */
    int64_t timeout_ms;                 /* > 0 */
    const struct fetch_http *http;      /* NULL: plain defaults */
    const struct relabel_rules *relabel;    /* NULL: none */
};

struct notifier_config {
    const struct notifier_am_config *ams;   /* copied */
    size_t nams;
    struct discovery *discovery;    /* adopted: its providers' job index
                                     * is an index into ams; NULL: none */
    const struct relabel_rules *alert_relabel;  /* NULL: none */
    const struct labels *external_labels;       /* copied; NULL: none */
    const char *external_url;       /* generatorURL's base; NULL: "" */
    struct fetch *fetch;            /* borrowed */
    size_t queue_capacity;          /* 0: NOTIFIER_QUEUE_CAPACITY */
    int64_t resend_delay_ms;        /* 0: NOTIFIER_RESEND_MS */
};

/* An alert as Alertmanager receives it. */
struct notifier_alert {
    struct labels labels;           /* owned */
    struct labels annotations;      /* owned */
    int64_t starts_at, ends_at;     /* ms since the epoch */
    char *generator_url;            /* owned */
};

/* One Alertmanager, for the screens. */
struct notifier_am_status {
    const char *url;                /* scheme://host:port/path */
    const char *error;              /* the last request's, or NULL */
    int64_t last_ok_ms;             /* 0: never accepted a batch */
    uint64_t sent;                  /* alerts sent (accepted or not) */
    uint64_t errors;                /* requests that failed */
};

struct notifier_status {
    size_t queue_len, queue_capacity;
    uint64_t dropped;               /* alerts dropped: queue full, or no
                                     * Alertmanager took their batch */
    const struct notifier_am_status *ams;   /* discovered, deduplicated */
    size_t nams;
    const char *discovery_error;    /* a provider's error, or NULL */
};

/* A notifier for c (see the ownership note). */
struct notifier *notifier_new(const struct notifier_config *c);
/* Cancels requests in flight, drops the queue; NULL does nothing. */
void notifier_free(struct notifier *n);
/*
 * A reloaded config: c's Alertmanager entries, discovery, relabelling,
 * external labels and URL replace n's (with the same ownership as
 * notifier_new; c's fetch, capacity and resend delay are not used). The
 * queue stays, as Prometheus's ApplyConfig keeps it; requests in flight
 * are cancelled.
 */
void notifier_apply(struct notifier *n, const struct notifier_config *c);

/*
 * Queues the alerts of g's alerting rules that are due at now (see
 * rule_group_due_alerts), marking them sent; call after each evaluation.
 */
void notifier_send(struct notifier *n, struct rule_group *g, int64_t now);
/* The same for rule i of g alone, for a caller that evaluates a group
 * rule by rule (Prometheus sends right after each alerting rule). */
void notifier_send_rule(struct notifier *n, struct rule_group *g, size_t i,
                        int64_t now);
/*
 * Adds external labels (where absent) and applies alert_relabel_configs
 * to each alert, then queues the ones kept, dropping the oldest past the
 * capacity. Takes every alert given (v itself stays the caller's).
 */
void notifier_push(struct notifier *n, struct notifier_alert *v,
                   size_t count);
/* Polls discovery and, when no batch is in flight, sends the next one. */
void notifier_tick(struct notifier *n, int64_t now);
/* The latest time notifier_tick should run again. */
int64_t notifier_next_due(const struct notifier *n, int64_t now);
/* The queue, the drop count and each Alertmanager's state. */
void notifier_status(struct notifier *n, struct notifier_status *out);

/*
 * Takes up to max alerts from the head of the queue into out (room for
 * max), as the sender does for a batch; returns how many. For tests and
 * for a caller that sends by other means.
 */
size_t notifier_take(struct notifier *n, struct notifier_alert *out,
                     size_t max);
/*
 * Appends the alerts as the JSON body of POST /api/v2/alerts
 * (Alertmanager's PostableAlerts): annotations, endsAt, startsAt,
 * generatorURL, labels, times in RFC 3339 with milliseconds, UTC.
 */
void notifier_json(const struct notifier_alert *v, size_t count,
                   struct buf *out);
/* Releases what a (taken) alert owns. */
void notifier_alert_fini(struct notifier_alert *a);

#endif
