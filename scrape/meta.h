/*
 * Metric metadata (TYPE, HELP, UNIT) per target, as Prometheus 2.42's
 * scrape cache keeps it for /api/v1/metadata and /api/v1/targets/metadata:
 * one entry per family named in a # TYPE, # HELP or # UNIT line, keyed
 * by that name as written ("http_requests" for an OpenMetrics counter
 * whose samples are http_requests_total, "rpc" for a histogram); a line
 * updates only the field it gives; an entry stays 10 successful scrapes
 * after its family stopped appearing, and all go when the target goes.
 *
 * Compact: every string is interned once for the whole registry, and a
 * target's entries form an immutable set that is itself interned, so a
 * thousand exporters of one version share one set and one copy of each
 * HELP text. A scrape whose metadata matches what its target had (the
 * usual case) costs one comparison per family and takes no lock; only a
 * change builds, interns and publishes a new set.
 *
 * Threads: the loop thread owns the targets (meta_target_*); any thread
 * may take a view (meta_view_*) at the same time. One mutex guards the
 * string and set tables and the target list; it is held only to swap a
 * set or take or release a view, never while a view is read.
 *
 * Ownership: the registry owns every string, set and target record. A
 * view holds references, so what it shows stays valid until
 * meta_view_free even if its targets leave meanwhile. Strings a view
 * returns are borrowed until then; within one view equal strings are the
 * same pointer (empty ones are ""), so they may be compared as pointers.
 */
#ifndef SCRAPE_META_H
#define SCRAPE_META_H

#include <stdbool.h>
#include <stddef.h>

#include "scrape/expo.h"
#include "store/labels.h"

struct meta_reg;
struct meta_target;
struct meta_view;

/* One family's metadata as the API shows it. */
struct meta_info {
    const char *metric;
    const char *type;           /* Prometheus's word: "counter", "unknown" */
    const char *help;           /* "" when none */
    const char *unit;           /* "" when none */
};

/* The word Prometheus's API uses for a type: text 0.0.4's untyped is
 * "unknown". */
const char *meta_type_name(enum expo_type t);

struct meta_reg *meta_reg_new(void);
/* Frees r; every target must have been freed. NULL: nothing. */
void meta_reg_free(struct meta_reg *r);
/* Bytes the registry holds: strings, sets, targets and tables. The loop
 * thread's (it reads the targets' scrape state). */
size_t meta_reg_bytes(struct meta_reg *r);

/*
 * What the first target that has one says of metric: its type and HELP
 * copied into type (tsize bytes) and help (hsize), cut to fit. False
 * when no target has an entry for it. Any thread.
 */
bool meta_reg_find(struct meta_reg *r, const char *metric, char *type,
                   size_t tsize, char *help, size_t hsize);

/* --- the loop thread's side ---------------------------------------------- */

/* A target with no metadata yet, listed in r; labels are copied. */
struct meta_target *meta_target_new(struct meta_reg *r,
                                    const struct labels *labels);
/* The target leaves r (views that hold it keep it until they go). */
void meta_target_free(struct meta_target *t);
/* A scrape of t starts. */
void meta_scrape_begin(struct meta_target *t);
/* One family's metadata from the body (an expo_sink meta callback's
 * argument); its strings are borrowed for the call only. */
void meta_scrape_record(struct meta_target *t, const struct expo_meta *m);
/*
 * The scrape ended. flush: it succeeded with a non-empty body, so it
 * counts as a scrape for the 10-scrape grace of vanished families (as
 * Prometheus's iterDone(true)). Publishes the new set if anything changed.
 */
void meta_scrape_end(struct meta_target *t, bool flush);

/* --- readers, any thread ------------------------------------------------- */

/* A snapshot of every target now in r, in the order they were added. */
struct meta_view *meta_view_new(struct meta_reg *r);
void meta_view_free(struct meta_view *v);
size_t meta_view_count(const struct meta_view *v);
/* Target i's labels (sorted). */
const struct labels *meta_view_labels(const struct meta_view *v, size_t i);
/* The same non-NULL key for targets whose metadata is identical. */
const void *meta_view_set_key(const struct meta_view *v, size_t i);
/* How many families target i has, and family j of them. */
size_t meta_view_entries(const struct meta_view *v, size_t i);
void meta_view_entry(const struct meta_view *v, size_t i, size_t j,
                     struct meta_info *out);
/* Target i's entry for metric, if it has one. */
bool meta_view_find(const struct meta_view *v, size_t i, const char *metric,
                    struct meta_info *out);

#endif
