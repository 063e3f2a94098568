/*
 * Label sets: the identity of a series. A set is an array of (name, value)
 * pairs sorted by name with unique names, the metric name being the label
 * __name__. The strings are borrowed: interned by the store, or owned by
 * whoever built the set (a query result's arena, a parser's buffer).
 *
 * Owned sets: a set built with labels_put or labels_dup owns its array and
 * a copy of every string (config labels, discovered targets); it is
 * released with labels_release, the one place such strings are freed.
 */
#ifndef STORE_LABELS_H
#define STORE_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"

#define LABEL_METRIC_NAME "__name__"

struct label {
    const char *name;
    const char *value;
};

struct labels {
    struct label *v;
    size_t n;
};

/* Sorts v by name in place (names must already be unique). */
void labels_sort(struct labels *ls);
/* The value of name, or NULL when the set has no such label. */
const char *labels_get(const struct labels *ls, const char *name);
/* Orders sets as Prometheus's labels.Compare does: pair by pair. */
int labels_cmp(const struct labels *a, const struct labels *b);
bool labels_equal(const struct labels *a, const struct labels *b);
/* A 64-bit hash of the whole set (names and values, in order). */
uint64_t labels_hash(const struct labels *ls);
/*
 * Appends the set as PromQL writes it: name{a="x", b="y"} (or {..} alone
 * when there is no __name__), with \\, \" and \n escaped.
 */
void labels_format(const struct labels *ls, struct buf *out);
/* Appends s with PromQL/exposition escapes for a double-quoted string. */
void labels_escape(const char *s, struct buf *out);
/* Sets name to a copy of value in an owned set, adding the pair at the end
 * (unsorted) when name is new. */
void labels_put(struct labels *ls, const char *name, const char *value);
/* Makes dst an owned deep copy of src. */
void labels_dup(struct labels *dst, const struct labels *src);
/* Frees an owned set's strings and array and leaves it empty. */
void labels_release(struct labels *ls);
/* Appends the set as a JSON object {"name":"value", ...}, as Prometheus's
 * API writes a series' labels. */
void labels_json(const struct labels *ls, struct buf *out);

#endif
