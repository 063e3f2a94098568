/*
 * What a scrape puts in the store. While a body parses, each sample's
 * series is found (in the target's series cache, or relabelled and
 * checked against the label limits when new) and the sample is staged in
 * the target's own memory, new series as label sets; when the scrape
 * ends, the staged samples are committed all or nothing, with the
 * synthetic series (up, scrape_duration_seconds, ...) and staleness
 * markers for the series that vanished. A failed scrape creates no
 * series. It does no I/O and keeps no schedule: scrape/pool.c decides
 * when scrapes start and end.
 *
 * Private to scrape/pool.c: other files use scrape/pool.h (tests may
 * include it).
 *
 * Ownership: every function works on a target of a pool (scrape/target.h)
 * and writes into that pool's store. What it allocates (cache keys, the
 * staged samples and label sets, the ids of the last scrape) belongs to
 * the target.
 */
#ifndef SCRAPE_COMMIT_H
#define SCRAPE_COMMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "scrape/expo.h"
#include "scrape/target.h"

/*
 * How much a scrape may stage: this many times the body size limit (the
 * default limit when none is set; no bound when the limit is off), and
 * at least COMMIT_STAGE_FLOOR, so a small limit stays the one that binds.
 */
#define COMMIT_STAGE_FACTOR 4
#define COMMIT_STAGE_FLOOR ((size_t)16 << 20)

/*
 * Starts t's next scrape: empties the stage (its parser must be gone),
 * sets its budget from t->conf.max_body and moves the cache to the next
 * scrape number.
 */
void commit_begin(struct target *t);

/*
 * The exposition parser's sink; ctx is the target. Finds the sample's
 * series and stages the sample at t->xfer.start_ms (or its own timestamp,
 * as honor_timestamps says); a series metric_relabel_configs drops is
 * remembered and skipped, a repeat of a series text in the same body is
 * counted and skipped. A sample whose labels the parser skipped
 * (skip_labels) is taken when its series text is cached, else answered
 * EXPO_SINK_NEED_LABELS. Returns 1 to stop the parse when a series has no
 * valid name (t->stage.sdiag set), breaks a label limit, or the stage
 * outgrows its budget (t->stage.limit_error set: "body size limit
 * exceeded ..."), which fails the scrape.
 */
int commit_stage(void *ctx, const struct expo_sample *s);
/*
 * The parser's expect (struct expo_sink); ctx is the target: the series
 * text its series cache expects next, in the order of the last scrape's
 * body. commit_stage takes a sample marked expected without a lookup.
 */
const char *commit_expect(void *ctx, size_t *len);

/*
 * Sets t->status.last_error to why the scrape failed, or "" when it
 * succeeded. error is the transfer's own error, NULL when the body
 * arrived whole. A broken limit wins over the parse error or the abort
 * it caused, as Prometheus words them.
 */
void commit_error(struct target *t, const char *error);

/*
 * Commits the finished scrape of t. ok: the new series are created, the
 * staged samples go in (the first of each series) and the series that
 * vanished since the last success get staleness markers. Not ok: nothing
 * staged goes in and no series is created, every series of the last
 * success is marked stale and the cache is emptied.
 * Either way the synthetic series get a sample at the scrape's start.
 * counted is false for transport errors, whose partial bodies count as
 * empty; duration_s is scrape_duration_seconds. Sets t->status.samples.
 */
void commit_scrape(struct target *t, bool ok, bool counted,
                   double duration_s);

/* Frees everything the scrape staged, and its parser. */
void commit_end(struct target *t);

/* Looks up the ids of t's synthetic series: its non-empty target labels
 * plus each name. Call once, before t's first scrape. */
void commit_synth_ids(struct target *t);

/*
 * t leaves the pool: every series of its last successful scrape, and its
 * synthetic series once it has been scraped, get a staleness marker at
 * now_ms. t's scrape must not be running.
 */
void commit_retire(struct target *t, int64_t now_ms);

/* Empties t's series cache, freeing its keys: the next scrape relabels
 * every series again. */
void commit_forget(struct target *t);

#endif
