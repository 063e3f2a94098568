/*
 * A scrape target's state, shared by the two halves of the scrape pool:
 * scrape/pool.c (the transfers, the target lifecycle and the pool API),
 * scrape/sched.c (when each target is scraped) and scrape/commit.c (what
 * a scrape puts in the store).
 * It holds data and one small hash, no behaviour of its own.
 *
 * Private to scrape/pool.c, scrape/sched.c and scrape/commit.c: no
 * other file includes it (tests may); everything else uses the opaque pool of scrape/pool.h.
 *
 * Ownership: a target owns every string, array and handle it points to,
 * except pool (its owner) and conf.mrules (borrowed from the config, see
 * scrape/pool.h); pool.c frees a target whole. The pool owns its targets,
 * its fetcher and the scratch space new series are relabelled in.
 */
#ifndef SCRAPE_TARGET_H
#define SCRAPE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/expo.h"
#include "scrape/fetch.h"
#include "scrape/meta.h"
#include "scrape/relabel.h"
#include "scrape/sched.h"
#include "src/base/arena.h"
#include "src/base/diag.h"
#include "store/labels.h"
#include "store/store.h"

/* ORDER synth: the synthetic series every scrape writes; their names
 * are in scrape/commit.c. */
enum synth {
    SYN_UP,
    SYN_DURATION,
    SYN_SCRAPED,
    SYN_POST_RELABEL,
    SYN_SERIES_ADDED,
    SYN_COUNT
};

/*
 * One series of the cache: its raw text, as the bytes it shares with the
 * previous entry's (shared) and the rest of it in the key bytes from off
 * (up to the next entry's off), its id and the scrape that last saw it.
 * 16 bytes; entries are kept in the order their series first came, which
 * is the body's order.
 */
struct cache_entry {
    uint32_t off;           /* the key's own bytes start here */
    uint32_t shared;        /* its first bytes, as the previous key's */
    uint32_t id;
    uint32_t iter;          /* the scrape that last saw it */
};

/*
 * The series cache (scrape/cache.h): the keys front-coded back to back
 * in one buffer (each as what it adds to the previous one, every 16th
 * whole), the entries in arrival order, and a hash table of entry
 * indexes (cap 0 or a power of two). next is the entry the next sample
 * is expected to be: a body lists its series in the same order scrape
 * after scrape, so most lookups are one comparison with no hashing. cur
 * holds the whole key of one entry, from which the next one is built.
 */
struct series_cache {
    char *keys;
    size_t klen, kcap;
    struct cache_entry *v;
    size_t n, vcap;
    uint32_t *slots;        /* entry index + 1; 0: empty */
    size_t cap;
    size_t next;
    char *cur;
    size_t curcap;
    size_t cur1;            /* the entry whose key cur holds, + 1;
                               0: none */
};

/*
 * A sample waiting for its scrape to finish, in 16 bytes: its series (a
 * store id, or STAGE_NEW plus the index of a series the scrape would
 * create), its value, and where its own timestamp is kept (STAGE_NO_TS:
 * none, it takes the scrape's and staleness applies). Body order is kept:
 * the first sample of a series wins.
 */
struct staged {
    double v;
    uint32_t id;
    uint32_t ts;
};

#define STAGE_NEW   0x80000000u
#define STAGE_NO_TS UINT32_MAX

/*
 * A target and its scrape state, grouped by concern. Invariants:
 * xfer.running is true exactly while xfer.conn is busy; stage.parser is
 * non-NULL only while running; series.prev holds the sorted, unique ids
 * of the tracked series of the last successful scrape (empty after a
 * failed one).
 */

/* Who the target is: fixed when it is created, but for discovered. */
struct target_ident {
    char *job, *url;
    char *shown_url;            /* url with any password as <secret> */
    const char *instance;       /* in labels, or "" */
    struct labels labels;       /* owned copies */
    char *discovered;           /* formatted, for the targets view */
    uint64_t hash;              /* of url and labels: identity and slot */
};

/* How it is scraped: its definition's settings, renewed by set_targets. */
struct target_conf {
    struct fetch_http http;     /* owned copies of the strings */
    bool has_http;
    int64_t timeout_ms;
    size_t max_body;
    bool ignore_timestamps;
    size_t sample_limit, label_limit, name_limit, value_limit;
    const struct relabel_rules *mrules;     /* borrowed; may be NULL */
    bool honor;
    char forced_error[200];     /* target_limit broken: never fetch */
    const struct scrape_builtin *builtin;   /* borrowed; NULL: HTTP */
};

/* When it is scraped. */
struct target_sched {
    int64_t interval_ms;
    int64_t next_ms;            /* when the next scrape is due */
    bool news;                  /* a built-in source asked for a scrape
                                   before its slot (scrape_builtin.poll) */
};

/* The transfer in flight. */
struct target_xfer {
    struct fetch_conn *conn;
    bool running;
    int64_t start_ms;           /* wall clock: the scrape's timestamp */
    double mono_start;          /* monotonic: for its duration */
    bool got_body;              /* some of a body arrived */
};

/*
 * The parse of the scrape in flight and what it staged, all of it in the
 * target's own memory until the commit: samples, their explicit
 * timestamps, and the final label sets of the series it would create,
 * packed ("name\0value\0...\0") in one arena. bytes counts that memory
 * (and what new series add to the cache) against budget (0: none).
 */
struct target_stage {
    struct expo *parser;
    bool parse_failed, series_failed;
    bool too_big;               /* staging went over its budget */
    struct diag pdiag;
    struct diag sdiag;          /* why a series failed the scrape */
    char limit_error[400];      /* a limit broke this scrape */
    struct staged *staged;
    size_t nstaged, capstaged;
    int64_t *ts;
    size_t nts, capts;
    struct arena *labels;       /* packed label sets of new series */
    const char **fresh;         /* each one's start in labels */
    size_t nfresh, capfresh;
    size_t kept;                /* samples metric_relabel_configs kept */
    size_t dups;                /* repeats of a series text, not staged */
    size_t series_added;
    size_t bytes, budget;
};

/* The series it reports: the cache of ids, and what staleness needs. */
struct target_series {
    struct series_cache cache;
    bool cache_stale;           /* clear the cache when this scrape ends */
    uint32_t iter;              /* the scrape number cache entries carry */
    uint32_t *prev;
    size_t nprev, capprev;
    uint32_t synth[SYN_COUNT];  /* the synthetic series' ids */
};

/* What the status shows: the last finished scrape, and totals. */
struct target_status {
    int health;
    int64_t last_scrape_ms;
    double last_duration_s;
    size_t samples, scrapes, out_of_order, duplicates;
    char last_error[600];
};

struct target {
    struct scrape_pool *pool;
    struct target_ident ident;
    struct target_conf conf;
    struct target_sched sched;
    struct target_xfer xfer;
    struct target_stage stage;
    struct target_series series;
    struct target_status status;
    struct meta_target *meta;   /* its TYPE/HELP/UNIT (scrape/meta.h) */
};

/* The pool (opaque in scrape/pool.h): the targets and what they share. */
struct scrape_pool {
    struct store *st;
    struct fetch *fetch;
    struct target **t;          /* in set_targets order */
    size_t n;
    struct sched sched;         /* the same targets by due time */
    struct target **polled;     /* those with a builtin's poll */
    size_t npolled;
    struct arena *scratch;      /* labels of one new series at a time */
    struct relabel_builder *lb; /* its final labels */
    struct meta_reg *meta;      /* every target's metadata */
    size_t finished;            /* scrapes committed in this pump */
};

/*
 * FNV-1a over n bytes of p, continuing from h (FNV's offset basis for a
 * fresh hash): a target's identity hash.
 */
static inline uint64_t
target_hash_bytes(const char *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#endif
