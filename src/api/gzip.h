/*
 * gzip for served answers (Content-Encoding: gzip, RFC 1952), on zlib:
 * the only module that includes <zlib.h>. One whole buffer at a time;
 * it keeps no state between calls.
 *
 * Ownership: in is borrowed for the call; out is the caller's.
 */
#ifndef API_GZIP_H
#define API_GZIP_H

#include <stddef.h>

#include "src/base/buf.h"

/* Appends in (n bytes) as one gzip member to out. Returns 0, or -1 when
 * zlib fails (out then holds what it held before). */
int gzip_compress(const char *in, size_t n, struct buf *out);

#endif
