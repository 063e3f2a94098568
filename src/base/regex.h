/*
 * Regular expressions with Prometheus's semantics, on top of pcre2: Go's
 * RE2 syntax (what Go rejects is rejected, with Go's error text), every
 * pattern fully anchored (as if written ^(?:re)$), `.` not matching a
 * newline, `$` the end of the text, and Go's answers for every text, in
 * time linear in the text. A second flavour, made with regex_new_search,
 * finds a match anywhere in a text as JavaScript's RegExp.exec does
 * (Grafana's variable regexes). Not thread-safe: a regex keeps its match
 * data.
 *
 * Ownership: regex_new's result belongs to the caller (regex_free). The
 * other functions borrow their arguments for the call only.
 */
#ifndef BASE_REGEX_H
#define BASE_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "src/base/buf.h"
#include "src/base/diag.h"

struct regex;

/*
 * Compiles pattern; NULL on error with d (when not NULL) set to Go's
 * message as Prometheus shows it, e.g. "error parsing regexp: invalid or
 * unsupported Perl syntax: `(?=`", its column inside the pattern.
 */
struct regex *regex_new(const char *pattern, struct diag *d);
/* Releases re; regex_free(NULL) does nothing. */
void regex_free(struct regex *re);
/*
 * True when the whole of s[0..len) matches. Invalid UTF-8 in s reads as
 * U+FFFD, one per bad byte, as Go reads it. False also when the match
 * could not be decided within promdeck's limits: regex_error then says so.
 */
bool regex_match(struct regex *re, const char *s, size_t len);
/*
 * When the whole of s matches, appends repl to out with $1, ${1}, $name
 * and ${name} replaced by the groups of Go's leftmost-first match (Go's
 * Regexp.Expand rules: $$ is a dollar, an unknown group is empty) and
 * returns 1; returns 0 when s does not match, and -1 when out is over
 * its ceiling or the match could not be decided (regex_error then says
 * so; out is left as it was).
 */
int regex_expand(struct regex *re, const char *s, size_t len,
                 const char *repl, struct buf *out);
/*
 * NULL when the last regex_match or regex_expand on re was decided, else
 * why not, e.g. "regular expression too complex for this input". Valid
 * until the next call on re; the next match call clears it.
 */
const char *regex_error(const struct regex *re);
/*
 * How many matches on re, since regex_new, could not be decided. It only
 * grows, so a caller that matches many texts (a selector over every value
 * of a label) compares it before and after, then reads regex_error.
 */
size_t regex_undecided(const struct regex *re);

/*
 * A caller's "time to stop?" (a query's deadline or cancellation): true
 * ends the match in progress as undecided, regex_error saying
 * "regular expression match stopped".
 */
typedef bool (*regex_stop_fn)(void *ctx);
/*
 * Sets re's hook (fn NULL: none). regex_match asks it before each match
 * that needs pcre2, and during a long one between segments of a few tens
 * of bytes, so one slow text cannot outlast the caller's deadline by
 * more than a segment's work. The hook must be cheap; fn and ctx are
 * borrowed until the hook is reset.
 */
void regex_set_stop(struct regex *re, regex_stop_fn fn, void *ctx);

/* JavaScript's RegExp flags that regex_new_search honours. */
enum {
    REGEX_ICASE = 1,        /* i */
    REGEX_MULTILINE = 2,    /* m: ^ and $ at line breaks */
    REGEX_DOTALL = 4,       /* s: . matches a newline */
};

/*
 * Compiles pattern unanchored, with flags (REGEX_*), for regex_search;
 * NULL with d set on error. regex_match and regex_expand do not take it.
 */
struct regex *regex_new_search(const char *pattern, int flags,
                               struct diag *d);
/*
 * Finds the leftmost match in s[0..len) that starts at or after from.
 * True when there is one; regex_group then reads its groups.
 */
bool regex_search(struct regex *re, const char *s, size_t len, size_t from);
/*
 * Group g (0: the whole match) of the last successful regex_search as
 * [*start, *end) offsets into its text; false when the group took no
 * part in the match or does not exist.
 */
bool regex_group(const struct regex *re, int g, size_t *start, size_t *end);
/* The number of capture groups in a regex_new_search pattern. */
int regex_ngroups(const struct regex *re);
/* The number of the group named name, or -1 when there is none. */
int regex_group_number(const struct regex *re, const char *name);

#endif
