/*
 * Regular expressions with Prometheus's semantics, on top of pcre2: every
 * pattern is fully anchored (as if written ^(?:re)$), `.` does not match a
 * newline, `$` means the end of the text, and patterns use the RE2 syntax
 * that PromQL and relabelling accept. Not thread-safe: a regex keeps its
 * match data.
 */
#ifndef BASE_REGEX_H
#define BASE_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "src/base/buf.h"
#include "src/base/diag.h"

struct regex;

/* Compiles pattern; NULL with d set (column inside the pattern) on error. */
struct regex *regex_new(const char *pattern, struct diag *d);
void regex_free(struct regex *re);
/* True when the whole of s[0..len) matches. */
bool regex_match(struct regex *re, const char *s, size_t len);
/*
 * When the whole of s matches, appends repl to out with $1, ${1}, $name and
 * ${name} replaced by the groups (Go's Regexp.Expand rules: $$ is a dollar,
 * an unknown group is empty) and returns 1; returns 0 when s does not match
 * and -1 when out is over its ceiling.
 */
int regex_expand(struct regex *re, const char *s, size_t len,
                 const char *repl, struct buf *out);

#endif
