/*
 * Label sets: the identity of a series. A set is an array of (name, value)
 * pairs sorted by name with unique names, the metric name being the label
 * __name__. The strings are borrowed: interned by the store, or owned by
 * whoever built the set (a query result's arena, a parser's buffer).
 *
 * Owned sets: a set built with labels_put or labels_dup owns its array and
 * a copy of every string (config labels, discovered targets); it is
 * released with labels_release, the one place such strings are freed.
 *
 * NUL bytes: a label value is any UTF-8 text, U+0000 included (Prometheus
 * 2.42 keeps a NUL byte of a scraped value), but label strings here are
 * NUL-terminated. A NUL byte is therefore carried as the pair C0 80, as
 * Modified UTF-8 does: that pair is never valid UTF-8, so it cannot stand
 * for anything else, and every other byte is itself. Whatever brings text
 * in that may hold a NUL (the scrape, a PromQL string escape) encodes it
 * with labels_nul_encode; whatever compares, matches or writes values
 * works on what they stand for: equality is plain strcmp (one encoding),
 * order is labels_strcmp, lengths labels_value_len, regular expressions
 * see the decoded bytes (labels_nul_decode), JSON writes \u0000 and the
 * PromQL form \x00. Label names never hold a NUL.
 */
#ifndef STORE_LABELS_H
#define STORE_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "src/base/regex.h"

#define LABEL_METRIC_NAME "__name__"

struct label {
    const char *name;
    const char *value;
};

struct labels {
    struct label *v;
    size_t n;
};

/* A NUL byte of a label value, as label strings carry it. */
#define LABELS_NUL "\xc0\x80"

/* Sorts v by name in place (names must already be unique). */
void labels_sort(struct labels *ls);
/* The value of name, or NULL when the set has no such label. */
const char *labels_get(const struct labels *ls, const char *name);
/* Orders two label strings as Go orders the strings they stand for. */
int labels_strcmp(const char *a, const char *b);
/* The length in bytes of the value s stands for (C0 80 counts one). */
size_t labels_value_len(const char *s);
/* Whether s stands for valid UTF-8, as Go's utf8.ValidString says. */
bool labels_value_valid(const char *s);
/* Appends s[0..n), raw bytes that may hold NULs, as a label string (NUL
 * bytes as C0 80; the buf stays NUL-terminated). */
void labels_nul_encode(const char *s, size_t n, struct buf *out);
/* Appends the bytes the label string s stands for (C0 80 as a NUL byte);
 * out->len says how many, since they may hold NULs. */
void labels_nul_decode(const char *s, struct buf *out);
/* Whether re matches the whole of the value the label string v stands
 * for (a NUL byte as itself). */
bool labels_regex_match(struct regex *re, const char *v);
/* regex_expand on the value the label string v stands for; what it
 * appends to out is a label string again. Returns as regex_expand. */
int labels_regex_expand(struct regex *re, const char *v, const char *repl,
                        struct buf *out);
/* Orders sets as Prometheus's labels.Compare does: pair by pair. */
int labels_cmp(const struct labels *a, const struct labels *b);
bool labels_equal(const struct labels *a, const struct labels *b);
/* A 64-bit hash of the whole set (names and values, in order). */
uint64_t labels_hash(const struct labels *ls);
/*
 * Appends the set as PromQL writes it: name{a="x", b="y"} (or {..} alone
 * when there is no __name__), with \\, \", \n and a NUL byte (\x00, as
 * Go's strconv.Quote writes it) escaped.
 */
void labels_format(const struct labels *ls, struct buf *out);
/* Appends s with PromQL escapes for a double-quoted string. */
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
