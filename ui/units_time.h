/*
 * Grafana's time formatters: a value in a unit of time written in the
 * largest unit that keeps it from being tiny ("1.50 min"), durations
 * spelled out ("1 day, 2 hours"), hh:mm:ss, clocks, Unix times in
 * milliseconds as dates (Moment.js patterns, local time) and as "5
 * minutes ago". The number families are ui/units.c's.
 *
 * Ownership: out is the caller's (n bytes, always NUL-terminated).
 */
#ifndef UI_UNITS_TIME_H
#define UI_UNITS_TIME_H

#include <stddef.h>

#include "ui/model.h"

/* Writes finite v in the unit of row ui, one of the time families
 * (UF_TIME, UF_DURATION, UF_HMS, UF_CLOCK, UF_DATETIME, UF_FROMNOW);
 * decimals < 0: unset, as Grafana treats it for each. */
void units_time_write(double v, const struct unit_info *ui, int decimals,
                      char *out, size_t n);

#endif
