/*
 * Percent-decoding of URL parts, as Go's net/url does it: %XX is the byte
 * 0xXX (either case of hex digit), and in a query (or a form body) '+'
 * is a space. Nothing else: no parsing of whole URLs, no encoding.
 *
 * Ownership: s is borrowed for the call; out is the caller's buf.
 */
#ifndef BASE_URL_H
#define BASE_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "src/base/buf.h"

/*
 * Appends s[0..len) decoded to out, '+' as a space when plus is set (Go's
 * QueryUnescape; PathUnescape without). Returns 0, or -1 when a '%' is
 * not followed by two hex digits; out then holds a part the caller
 * discards. The bytes may hold a NUL (%00): out->len says how many.
 */
int url_unescape(const char *s, size_t len, bool plus, struct buf *out);

#endif
