/*
 * The in-memory time-series store: every sample and every label string
 * promdeck holds. Series are found by label set or by matchers (through
 * postings per label pair); each keeps a ring of compressed chunks of
 * (timestamp ms, float64) samples, trimmed to the retention window and the
 * memory budget.
 *
 * Threads: one thread writes, any number read (promdeck serve). The
 * read functions below lock the store's data for the length of their
 * own call, so they may be called from any thread. The writer thread
 * holds store_write_lock around each batch of writes (a scrape's commit,
 * staleness markers, --load); readers' calls wait for the batch, and the
 * batch waits only for the calls in progress, never for a whole query.
 * What a reader keeps between calls (series ids, label strings, the
 * arrays of names and values) stays valid while it holds
 * store_read_lock, a pin that only store_gc, store_drop_idle and
 * store_clear must wait for: the writer calls those inside
 * store_trim_lock. store_trim drops and encodes chunks only, as appends
 * change them, so it runs in a batch. Neither lock is recursive; a
 * thread holding one must not take it again, and the
 * writer must not call the read functions inside its batch. A
 * single-threaded program (the TUI) need not lock at all, and says so
 * with store_set_shared(s, false): its read calls then take no lock.
 *
 * Ownership: the store owns all label strings (interned once) and all
 * samples: a series' head chunk in the store's chunk pool
 * (store/chunkpool.h), its sealed chunks in its chunk log
 * (store/chunklog.h), its encoded label set in its label slab; store_clear
 * and store_free free each of them whole. Other modules hold series ids, never pointers into chunks,
 * and get a series' labels as pairs built into their own array
 * (store_series_labels), whose strings they borrow until a gc. A
 * series is dropped by store_gc or store_drop_idle once it has had no
 * sample for a whole retention window, and only then may its id be
 * reused.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "src/base/regex.h"
#include "store/chunk.h"
#include "store/labels.h"

/* The NaN Prometheus writes as a staleness marker ("this series ended"). */
#define STORE_STALE_BITS 0x7ff0000000000002ULL

struct store;

struct sample {
    int64_t t;      /* milliseconds since the Unix epoch */
    double v;
};

enum store_match_op { STORE_EQ, STORE_NEQ, STORE_RE, STORE_NRE };

/* One label matcher; re is the compiled value for the regex ops. value
 * is a label string (a NUL byte as C0 80, see store/labels.h); a regex
 * matches the bytes a series' value stands for. */
struct store_matcher {
    enum store_match_op op;
    const char *name;
    const char *value;
    struct regex *re;
};

struct store_stats {
    size_t series;
    size_t samples;
    size_t chunks;
    size_t bytes;       /* memory held for chunks, index and strings */
    size_t strings;     /* distinct interned label names and values */
    size_t spare;       /* held besides bytes: the unused part of chunk
                           storage (the budget counts bytes only) */
    /* bytes, part by part */
    size_t series_bytes;    /* the series slots */
    size_t label_bytes;     /* encoded label sets (pairs of string ids) */
    size_t string_bytes;    /* interned strings and their table */
    size_t postings_bytes;  /* postings tables and id lists */
    size_t table_bytes;     /* the label-set hash table, free ids, the
                               bitmap of live series, the change
                               history, the idle list */
    size_t head_bytes;      /* the chunk each series appends to */
    size_t sealed_bytes;    /* full chunks */
};

/*
 * A store keeping retention_ms of history (<= 0: no time limit) in at most
 * max_bytes (0: no budget). store_gc applies both in one pass over all
 * series; a loop spreads the same work over its passes with store_trim
 * and store_drop_idle (see there).
 */
struct store *store_new(int64_t retention_ms, size_t max_bytes);
void store_free(struct store *s);
/* Drops every series and sample (the conformance runner's `clear`). */
void store_clear(struct store *s);

/*
 * The id of the series with exactly these labels, created if needed. ls is
 * sorted by name, has no empty values, and is copied (interned).
 */
uint32_t store_series_id(struct store *s, const struct labels *ls);
/* Looks a series up without creating it; false when there is none. */
bool store_series_find(const struct store *s, const struct labels *ls,
                       uint32_t *id);
/*
 * Appends the labels of series id, sorted by name, to *buf past its
 * first len pairs (grown with xrealloc, *cap its capacity, as store_read
 * grows its buffer) and returns how many pairs it appended. The store
 * keeps each set as pairs of string ids (store/lset.h), not as pairs of
 * pointers, and builds the pairs on each call: the array is the
 * caller's, to free; the strings in it are the store's, borrowed until
 * the next store_gc or store_clear (store_series_gen says when). A
 * reader that keeps the labels of many series (a selection) appends
 * them all to one buffer and points into it once it is done growing.
 */
size_t store_series_labels(const struct store *s, uint32_t id,
                           struct label **buf, size_t *cap, size_t len);

/*
 * Appends one sample. Returns -1 (and stores nothing) when t is not after
 * the series' newest sample; an equal t with an equal value is accepted as
 * a no-op (0), as Prometheus does for duplicate scrapes.
 */
int store_append(struct store *s, uint32_t id, int64_t t, double v);

/*
 * A hint for a writer about to append to many series in a row (a
 * scrape's commit): starts loading from memory what store_append(s, id,
 * ...) is going to touch, so that the appends do not wait for it one
 * after another. step 0 loads the series' slot, step 1 its head chunk
 * and step 2 where the next sample goes in it; each step reads what the
 * one before loaded, so call them for one id in that order, a few
 * appends apart. It changes nothing and ignores ids without a series.
 */
void store_prefetch(const struct store *s, uint32_t id, int step);

/*
 * The ids of the series that match every matcher, in ascending order, in a
 * malloc'd array the caller frees; returns the count (*ids NULL when 0).
 */
size_t store_select(const struct store *s, const struct store_matcher *m,
                    size_t n, uint32_t **ids);
/*
 * Appends the series' samples with mint <= t <= maxt, oldest first, to
 * *buf (grown with xrealloc, *cap its capacity); returns how many were
 * appended. Staleness markers are included; callers filter them.
 */
size_t store_read(const struct store *s, uint32_t id, int64_t mint,
                  int64_t maxt, struct sample **buf, size_t *cap);
/*
 * Where a reader stopped in a series (store_read_on): the chunk, by its
 * first timestamp, and the decoder's state in it. Chunks decode forward
 * only, so without it reading the newest samples again means decoding
 * their chunk from its start. Zero it to start afresh.
 */
struct store_cursor {
    bool started;           /* last, chunk and it are set */
    uint64_t version;       /* the store's when it last read */
    int64_t last;           /* the timestamp of the last sample read */
    int64_t chunk;          /* the mint of the chunk it is in */
    struct chunk_iter it;   /* the decoder's state there (it.c unused) */
};

/*
 * Reads on from *cur: appends to *buf, past its first len samples (grown
 * as store_read grows it), the samples of id newer than the last one cur
 * read and not older than mint, oldest first, markers included; moves
 * cur past them and returns how many it appended. A zeroed cursor starts
 * at mint. Only what was appended since the last call is decoded, and
 * a series with nothing appended since is told apart mostly without
 * loading it: the store keeps the version of the last append per run
 * of ids (a few hundred), so that a reader syncing a million series of
 * which a tenth were scraped pays for that tenth. The
 * cursor holds while its last sample is in the store: after a chunk
 * at or after cur->last was dropped, or the id was reused
 * (store_changes_since says when), zero it and read again.
 */
size_t store_read_on(const struct store *s, uint32_t id,
                     struct store_cursor *cur, int64_t mint,
                     struct sample **buf, size_t *cap, size_t len);
/* The newest sample with t <= maxt into *out; false when there is none. */
bool store_last(const struct store *s, uint32_t id, int64_t maxt,
                struct sample *out);

/*
 * Sorted distinct label names, or values of one name, across all series,
 * as a malloc'd array of borrowed strings (valid until store_gc); returns
 * the count.
 */
size_t store_label_names(const struct store *s, const char ***out);
size_t store_label_values(const struct store *s, const char *name,
                          const char ***out);

/*
 * What changed in the store since a version, for readers that keep
 * results between frames (query/incr.h): the oldest timestamp appended
 * since (INT64_MAX: none) and the newest timestamp of a dropped chunk
 * (retention, budget or a dropped series; INT64_MIN: none).
 */
struct store_changes {
    int64_t min_added;
    int64_t max_dropped;
};

/*
 * The store's version: it grows with every append and every dropped
 * chunk. Keep it with whatever was computed from the store.
 */
uint64_t store_version(const struct store *s);
/*
 * Fills *out with the changes since version (from store_version). False
 * when the store no longer knows: too many changes since, a store_clear,
 * or a version it never had; the reader then treats everything as
 * changed. The history costs the store a fixed 256 KiB.
 */
bool store_changes_since(const struct store *s, uint64_t version,
                         struct store_changes *out);

/*
 * The store's series generation: it grows whenever a series is created,
 * on every store_gc and store_clear, and when store_drop_idle drops a
 * series. A selection (store_select),
 * and the labels of the series in it, hold while it stays the same.
 */
uint64_t store_series_gen(const struct store *s);

/*
 * Retention in one pass over all series: drops the chunks whose samples
 * are all older than now_ms - retention and the series that have had no
 * sample (or creation) since then, then the oldest chunks across all
 * series while over the budget. At a million series the pass takes
 * tens of milliseconds: a loop that answers keys calls store_trim and
 * store_drop_idle instead, which do the same in slices.
 */
void store_gc(struct store *s, int64_t now_ms);
/*
 * Retention in slices, for a writer calling it on every pass of its
 * loop. It walks the series slot by slot, coming round to every one
 * once a minute: each call is owed the share of the slots that the time
 * since the last call is of that minute (all of them on the first call
 * or after a minute), adds it to what earlier calls left, and visits
 * them until it has done a fixed amount of work (under half a
 * millisecond at a million series). At each it drops
 * the chunks wholly out of the window, and encodes the oldest chunk
 * again without its expired samples once they span a quarter of the
 * retention (a sealed chunk would otherwise stay until its newest
 * sample left, up to a chunk's span past the window); a series that
 * will have had no sample for a whole retention within two minutes goes
 * on the idle list for store_drop_idle. Returns true when it left work
 * for the next call: the caller comes back soon, without waiting a
 * whole period. Readers see its drops as dropped chunks
 * (store_changes_since); the samples kept are the same, bit for bit.
 * The writer calls it in its batch, as it does its appends.
 */
bool store_trim(struct store *s, int64_t now_ms);
/*
 * Drops the series on the idle list that have had no sample since
 * now_ms - retention, then the oldest chunks while over the budget, as
 * store_gc does. Called every minute or so after store_trim's walk, it
 * drops the same series store_gc would, at the same time, having
 * checked only the list: the walk puts each series on it ahead of its
 * expiry. The series generation grows only when a series is dropped.
 */
void store_drop_idle(struct store *s, int64_t now_ms);
void store_get_stats(const struct store *s, struct store_stats *st);

/*
 * Whether threads other than the writer's call the read functions (true
 * from store_new). With false they take no lock: for a program that
 * reads and writes on one thread only, as the TUI does: there the
 * uncontended lock and unlock around every read took about a tenth of
 * a frame's evaluation, under perf at 200 targets. Set it before the
 * store is read.
 */
void store_set_shared(struct store *s, bool shared);
/* A reader's pin (see the top): ids and strings stay valid until
 * store_read_unlock. */
void store_read_lock(const struct store *s);
void store_read_unlock(const struct store *s);
/* The writer's batch of appends and new series. */
void store_write_lock(struct store *s);
void store_write_unlock(struct store *s);
/*
 * Exclusive use for store_gc, store_drop_idle or store_clear: waits for
 * pinned readers to finish when wait is true, else returns false at once
 * if any reader holds a pin (the writer tries again later rather than
 * stall scrapes).
 */
bool store_trim_lock(struct store *s, bool wait);
void store_trim_unlock(struct store *s);

static inline double
store_stale_nan(void)
{
    uint64_t bits = STORE_STALE_BITS;
    double v;

    memcpy(&v, &bits, sizeof(v));
    return v;
}

static inline bool
store_is_stale(double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof(bits));
    return bits == STORE_STALE_BITS;
}

#endif
