/*
 * Postings: for each label pair name=value, the ascending ids of the series
 * that carry it, grouped by name so that the values of one name can be
 * listed or scanned (regex matchers, label values). Names and values are
 * interned strings and are keyed by pointer. Also the set operations on
 * sorted id arrays that selection needs. Not thread-safe.
 *
 * Ownership: the postings borrow the interned strings (the series that
 * carry a pair hold its references) and own their id arrays. Pointers
 * returned into them stay valid until the next add, mark/sweep or clear.
 */
#ifndef STORE_POSTINGS_H
#define STORE_POSTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct postings;

/* Called for each value of a name with that pair's ids. */
typedef void (*postings_visit_fn)(const char *value, const uint32_t *ids,
                                  size_t n, void *ctx);
/* True when series id is being dropped. */
typedef bool (*postings_dead_fn)(uint32_t id, void *ctx);

struct postings *postings_new(void);
void postings_free(struct postings *p);
/* Forgets every pair. */
void postings_clear(struct postings *p);
/* Adds id under name=value (interned pointers), keeping the order. */
void postings_add(struct postings *p, const char *name, const char *value,
                  uint32_t id);
/* The ids for name=value, NULL (and *n 0) when there are none. */
const uint32_t *postings_get(const struct postings *p, const char *name,
                             const char *value, size_t *n);
/* How many distinct values name has (0 for an unknown name). */
size_t postings_nvalues(const struct postings *p, const char *name);
/* Calls fn for every value of name, in no particular order. */
void postings_each_value(const struct postings *p, const char *name,
                         postings_visit_fn fn, void *ctx);
/* The distinct names into a malloc'd array (unsorted); the count. */
size_t postings_names(const struct postings *p, const char ***out);
/*
 * Notes that the list of name=value holds a dying series; postings_sweep
 * then rewrites each noted list once without the ids dead() reports, and
 * drops lists and names left empty. This keeps dropping many series from
 * one big list linear.
 */
void postings_mark(struct postings *p, const char *name, const char *value);
void postings_sweep(struct postings *p, postings_dead_fn dead, void *ctx);
/*
 * Gives back the room of the lists that grew by doubling and have not
 * filled it: each list is cut to its length when it uses less than
 * 7/8 of its room. One pass over every list, for a periodic gc.
 */
void postings_trim(struct postings *p);
/* Bytes held for tables and id arrays. */
size_t postings_bytes(const struct postings *p);

/* a := a ∩ b for ascending arrays; returns the new length of a. */
size_t postings_intersect(uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb);

#endif
