/*
 * Go's regular expression syntax as Prometheus 2.42 reads it (Go 1.19's
 * regexp/syntax with Perl flags, every pattern compiled as ^(?:re)$):
 * checked with Go's own error texts and rewritten into a PCRE2 pattern
 * that matches the same texts. It knows nothing of the PCRE2 API and
 * matches nothing itself; src/base/regex.c does that.
 *
 * Ownership: the function borrows its arguments for the call only and
 * allocates only through the caller's bufs.
 */
#ifndef BASE_REGEX_SYNTAX_H
#define BASE_REGEX_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

#include "src/base/buf.h"
#include "src/base/diag.h"

/*
 * Appends to out PCRE2 class items that, in a class PCRE2 matches
 * caselessly, stand for the Unicode property prop ("Lu", "sc:Greek")
 * widened by the case partners of its members, or with neg for what is
 * left outside that widened set. Go widens \p classes under (?i); PCRE2
 * widens only characters it sees listed, so the caller lists them.
 */
typedef void regex_syntax_fold_fn(const char *prop, bool neg,
                                  struct buf *out);

/*
 * Checks pattern[0..len) as Prometheus compiles a label matcher:
 * ^(?:pattern)$ must parse, and so must pattern alone (so "a)(b" is
 * refused). On success appends to pcre a PCRE2 pattern that matches
 * exactly the texts Go's ^(?:pattern)$ matches, with Go's capturing
 * groups in Go's order and no other, to be compiled with PCRE2_UTF,
 * PCRE2_ALT_CIRCUMFLEX and PCRE2_NO_AUTO_CAPTURE and LF as newline;
 * appends to names one NUL-terminated name per group ("" when unnamed);
 * returns the number of groups. fold spells out \p classes under (?i)
 * (see above); with fold NULL they stay \p, which (?i) does not widen.
 * On error returns -1, leaves pcre and names as they were and sets d:
 * the message is Go's, "error parsing regexp: CODE: `EXPR`" with EXPR
 * quoted from the wrapped text as Prometheus shows it, and the column
 * and span point into pattern.
 */
int regex_syntax_translate(const char *pattern, size_t len,
                           regex_syntax_fold_fn *fold, struct buf *pcre,
                           struct buf *names, struct diag *d);

#endif
