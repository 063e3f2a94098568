/*
 * The scrape pool: the targets, when each is scraped, and what a scrape
 * puts in the store. Each target is scraped at a stable offset inside its
 * interval (offset = hash of its URL and labels % interval, as Prometheus
 * spreads targets); a new one first within a second, spread the same
 * way; after each start, the first slot half an interval on; a slot
 * that finds the last scrape running is skipped, and a late loop does
 * not catch up. The targets wait in a min-heap by due time, so the next
 * due time costs O(1) and each due target O(log n), whatever the count
 * (scrape/sched.h has the details). Its body is parsed as it arrives
 * and committed all or nothing, with the synthetic series (up,
 * scrape_duration_seconds, ...) and staleness markers Prometheus writes. Each new series goes through the
 * target's metric_relabel_configs once. Discovery and target relabelling
 * live elsewhere: the pool gets final target definitions.
 *
 * Ownership: the caller owns the pool and the store, which must outlive
 * it. scrape_pool_set_targets copies the definitions, their HTTP client
 * config included, except the metric_relabel rules: the pool keeps that
 * pointer, so the rules must outlive every set_targets naming them (the
 * config owns them). Strings and labels in a scrape_status are borrowed
 * until the next scrape_pool_set_targets or scrape_pool_free; last_error
 * also changes at the next scrape_pool_pump.
 */
#ifndef SCRAPE_POOL_H
#define SCRAPE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "scrape/meta.h"
#include "scrape/relabel.h"
#include "store/labels.h"
#include "store/store.h"

struct buf;
struct scrape_pool;

/*
 * A built-in source (src/collect/): a target whose scrape is a call
 * instead of an HTTP request. collect appends one scrape's exposition
 * text (0.0.4) to out, which then goes through the parser, relabelling
 * and commit like a body; -1 fails the scrape with err as its error, and
 * a note left in err by a successful call shows as the target's last
 * error while it stays up. It runs on the loop's thread, so it must be
 * quick (it reads local files). ctx and name are borrowed.
 */
struct scrape_builtin {
    const char *name;           /* the target's URL is builtin:NAME */
    int (*collect)(void *ctx, struct buf *out, char *err, size_t errsz);
    void *ctx;
    /*
     * Optional (NULL: none): called on every scrape_pool_start_due, on
     * the loop's thread, to move the source's own I/O along without
     * waiting (an event stream); true when it learned something its next
     * collect shows (a container stopped), and the pool then scrapes it
     * at once, at most every SCRAPE_NEWS_GAP_MS, its schedule unchanged.
     */
    bool (*poll)(void *ctx, int64_t now_ms);
};

/* The least time between two scrapes of a built-in source, so that a
 * burst of news does not crowd its samples (and its rates). */
#define SCRAPE_NEWS_GAP_MS 1000

struct scrape_target_def {
    const char *job;
    const char *scheme;         /* "http" or "https" */
    const char *address;        /* host:port */
    const char *metrics_path;   /* "/metrics" */
    struct labels labels;       /* final target labels, incl. job, instance */
    int64_t interval_ms;
    int64_t timeout_ms;         /* <= interval_ms */
    size_t body_size_limit;     /* bytes; 0: 64 MiB; SIZE_MAX: none. A
                                   scrape may stage 4 times it (16 MiB at
                                   least); more fails it as over it */
    /* From relabelling (NULL, false: none, as for a plain static job). */
    const char *params;         /* encoded URL query "a=1&b=2", or NULL */
    const char *discovered;     /* the labels before relabelling, formatted */
    const struct relabel_rules *metric_relabel; /* borrowed, see below */
    bool honor_labels;          /* scraped labels win, no exported_ */
    /* The job's HTTP client and limits (zero: none, as for a plain job). */
    const struct fetch_http *http;  /* auth, TLS, proxy; NULL: none */
    bool ignore_timestamps;     /* honor_timestamps: false */
    size_t sample_limit;        /* 0: none; more fails the scrape */
    size_t label_limit;         /* labels per series, __name__ included */
    size_t label_name_length_limit;
    size_t label_value_length_limit;
    /* When set (the job broke its target_limit), every scrape fails at
     * once with this error, reporting up 0, as Prometheus does. */
    const char *forced_error;
    /* A built-in source scraped instead of the URL; NULL: HTTP. Borrowed:
     * it must outlive the pool. */
    const struct scrape_builtin *builtin;
};

struct scrape_status {
    const char *job, *instance;
    const char *url;            /* a password in it shows as <secret> */
    const struct labels *labels;
    const char *discovered;     /* as in the definition; "" when none */
    int health;                 /* 0 unknown, 1 up, 2 down */
    int64_t last_scrape_ms;     /* start of the last finished scrape; 0 */
    double last_duration_s;
    size_t samples;             /* scrape_samples_scraped, last scrape */
    size_t scrapes;             /* finished scrapes since added */
    const char *last_error;     /* "" after a successful scrape */
    size_t out_of_order;        /* appends the store refused, in total */
    size_t duplicates;          /* repeated series in a body, in total */
};

/* A pool writing into st, with no targets. */
struct scrape_pool *scrape_pool_new(struct store *st);
/* Cancels running scrapes and frees the pool (not the store). */
void scrape_pool_free(struct scrape_pool *p);

/*
 * Replaces the target list by defs (copied). Targets that remain (same
 * URL and labels) keep their state and schedule; new ones are scraped
 * soon; removed ones get staleness markers at now_ms for every series
 * they last reported and for their synthetic series. Status indexes
 * follow the order of defs afterwards.
 */
void scrape_pool_set_targets(struct scrape_pool *p,
                             const struct scrape_target_def *defs, size_t n,
                             int64_t now_ms);
/* The earliest due time (ms) of a scrape; INT64_MAX without targets.
 * O(1). */
int64_t scrape_pool_next_due(const struct scrape_pool *p);
/* Starts every scrape due at now_ms that is not still running, earliest
 * due first; O(log n) per due target, O(1) when none is due (plus the
 * poll of each built-in source that has one). */
void scrape_pool_start_due(struct scrape_pool *p, int64_t now_ms);
/*
 * Starts every target that is not running now, whatever its schedule
 * (for --once and a refresh key); each then continues on its own slot.
 */
void scrape_pool_start_all(struct scrape_pool *p, int64_t now_ms);
/*
 * Waits up to timeout_ms for network activity or extra_fd (< 0: none);
 * see fetch_wait. Returns 0, or -1 when polling failed.
 */
int scrape_pool_wait(struct scrape_pool *p, int extra_fd, int timeout_ms,
                     bool *extra_ready);
/*
 * Moves transfers along and commits every scrape that finished; returns
 * how many finished (the store changed when it is not 0).
 */
size_t scrape_pool_pump(struct scrape_pool *p, int64_t now_ms);
/*
 * scrape_pool_pump that stops once stop(ctx) says so (see
 * fetch_pump_until): the scrapes not committed yet, and the bodies not
 * read yet, wait for the next pump, which the next scrape_pool_wait does
 * not wait for. A held scrape keeps its timestamp and its staleness; its
 * scrape_duration_seconds includes the wait.
 */
size_t scrape_pool_pump_until(struct scrape_pool *p, int64_t now_ms,
                              fetch_stop_fn stop, void *ctx);
/* The fetcher the pool's scrapes run on; API requests (src/api) start on
 * it too, so one wait and one pump move everything along. Owned by p. */
struct fetch *scrape_pool_fetch(struct scrape_pool *p);
/* The targets' metadata (TYPE, HELP, UNIT). Owned by p; other threads
 * may take views of it (scrape/meta.h) until scrape_pool_free. */
struct meta_reg *scrape_pool_meta(struct scrape_pool *p);
/* Scrapes in flight. */
size_t scrape_pool_running(const struct scrape_pool *p);
size_t scrape_pool_count(const struct scrape_pool *p);
/* The state of target i (0 <= i < count), in set_targets order. */
void scrape_pool_status(const struct scrape_pool *p, size_t i,
                        struct scrape_status *out);

#endif
