/*
 * Writing JSON into a buf: strings with the escapes RFC 8259 requires,
 * numbers exact and in the shortest form that reads back to the same
 * double, times and sample values as Prometheus's API writes them. It
 * writes fragments; the caller places commas and brackets. Output never
 * depends on the locale.
 */
#ifndef BASE_JSON_H
#define BASE_JSON_H

#include <stdint.h>

#include "src/base/buf.h"

/*
 * Appends s as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD,
 * except the overlong pair C0 80 (Modified UTF-8's U+0000, the form the
 * store carries a NUL byte of a label value in), which becomes \u0000.
 */
void json_string(struct buf *out, const char *s);
/*
 * Appends v as a JSON number the way Go's encoding/json writes a float64:
 * the shortest decimal that reads back to v, positional between 1e-6 and
 * 1e21 (1796233220.5, 0.1), else with an exponent (1e+21, 5e-324, 1e-7).
 * NaN and infinities, which JSON lacks, become null.
 */
void json_number(struct buf *out, double v);
/*
 * Appends a time in milliseconds as Prometheus's API writes timestamps:
 * seconds, with a three-digit fraction only when it is not zero
 * (1796233220, 1796233220.500, -1.005). Exact for every int64.
 */
void json_time_ms(struct buf *out, int64_t ms);
/*
 * Appends v as Prometheus's API writes sample values: a string holding
 * Go's FormatFloat(v, 'f', -1, 64), or FormatFloat(v, 'e', -1, 64) when
 * v is not 0 and |v| < 1e-6 or |v| >= 1e21 ("0.1", "1e+21", "NaN",
 * "+Inf", "-Inf").
 */
void json_prom_value(struct buf *out, double v);
/* Appends v as Go's FormatFloat(v, 'f', -1, 64) writes it, unquoted
 * ("NaN", "+Inf" and "-Inf" for the others): promtool's sample values. */
void json_format_value(double v, struct buf *out);
/* Appends v as Go's FormatFloat(v, 'e', -1, 64) writes it, unquoted
 * ("1e+00", "2.5e-07", "0e+00", "NaN", "+Inf"): an alert's value in the
 * rules and alerts APIs. */
void json_format_exp(double v, struct buf *out);

#endif
