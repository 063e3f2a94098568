/*
 * Prometheus's number and time formatting functions for templates:
 * humanize, humanize1024, humanizeDuration, humanizePercentage,
 * humanizeTimestamp, toTime and parseDuration, each taking what
 * Prometheus's convertToFloat takes (float64, int, a numeric string).
 *
 * Ownership: the functions follow tfunc_fn's contract (template_funcs.h).
 */
#ifndef RULES_TEMPLATE_HUMANIZE_H
#define RULES_TEMPLATE_HUMANIZE_H

#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"

#include "src/rules/template_funcs.h"
#include "src/rules/template_value.h"

/* humanize: SI prefixes, "1.235M", "120m". */
int tfunc_humanize(struct tfunc_ctx *c, const struct tval *a,
                   size_t n, struct tval *res);
/* humanize1024: binary prefixes, "1Mi". */
int tfunc_humanize1024(struct tfunc_ctx *c, const struct tval *a,
                       size_t n, struct tval *res);
/* humanizeDuration: seconds as "1d 2h 3m 4s", "1.5s", "100ms". */
int tfunc_humanize_duration(struct tfunc_ctx *c, const struct tval *a,
                            size_t n, struct tval *res);
/* humanizePercentage: a ratio as "12.35%". */
int tfunc_humanize_percentage(struct tfunc_ctx *c, const struct tval *a,
                              size_t n, struct tval *res);
/* humanizeTimestamp: Unix seconds as Go prints a UTC time. */
int tfunc_humanize_timestamp(struct tfunc_ctx *c, const struct tval *a,
                             size_t n, struct tval *res);
/* toTime: Unix seconds as a time value. */
int tfunc_to_time(struct tfunc_ctx *c, const struct tval *a,
                  size_t n, struct tval *res);
/* parseDuration: a Prometheus duration in seconds. */
int tfunc_parse_duration(struct tfunc_ctx *c, const struct tval *a,
                         size_t n, struct tval *res);
/*
 * Appends the time ms (Unix ms, UTC) as Go's Time.Format(layout) writes
 * it: 2006 01 02 15 04 05 Jan January Mon Monday MST -0700 Z07:00 PM
 * .000 .999 and the other elements of Go's reference time.
 */
void tfunc_time_format(struct buf *b, int64_t ms, const char *layout);

#endif
