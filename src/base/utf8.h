/*
 * UTF-8 the way Prometheus (Go) reads it: one decoder for the exposition
 * parser, relabelling, the JSON writer and the screen, so a label value
 * is valid or not everywhere alike. Pure functions; nothing allocates
 * except through the caller's buf.
 */
#ifndef BASE_UTF8_H
#define BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"

/*
 * Decodes the sequence at s[0..n) (n > 0) as Go's utf8.DecodeRune does:
 * returns its width, 1 to 4, and sets *cp; returns 0 for an invalid or
 * cut sequence (overlong forms, surrogates and values past U+10FFFF are
 * invalid).
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Whether all of s[0..n) is valid UTF-8, as Go's utf8.Valid says. */
bool utf8_valid(const char *s, size_t n);
/* Appends cp (at most U+10FFFF) as UTF-8. */
void utf8_put(uint32_t cp, struct buf *out);

#endif
