/*
 * Writing JSON into a buf: strings with the escapes RFC 8259 requires,
 * numbers in the shortest form that reads back to the same double. It
 * writes fragments; the caller places commas and brackets.
 */
#ifndef BASE_JSON_H
#define BASE_JSON_H

#include "src/base/buf.h"

/* Appends s as a quoted JSON string (invalid UTF-8 bytes become U+FFFD). */
void json_string(struct buf *out, const char *s);
/* Appends v as a JSON number; NaN and infinities, which JSON lacks,
 * become null. */
void json_number(struct buf *out, double v);
/* Appends v as Prometheus's API writes sample values: a string holding
 * the shortest decimal that reads back to v ("NaN", "+Inf", "-Inf"). */
void json_prom_value(struct buf *out, double v);
/* Appends v as Go's FormatFloat(v, 'f', -1, 64) writes it, unquoted:
 * what promtool and the Prometheus API show for a sample value. */
void json_format_value(double v, struct buf *out);
/* Writes the shortest %g form of v that reads back to v into out. */
void json_shortest(double v, char *out, size_t size);

#endif
