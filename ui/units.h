/*
 * The families of Grafana's value formatters that write plain numbers:
 * fixed symbols, percent, SI and IEC prefixes, "short", counts, currency,
 * hexadecimal, scientific, locale, string and boolean, and the custom
 * units ("suffix:X", "si:X", ...). Times, durations and dates are
 * ui/units_time.c's. ui/format.c calls in here; widgets call format.c.
 *
 * Ownership: out is the caller's (n bytes, always NUL-terminated);
 * everything else is borrowed for the call.
 */
#ifndef UI_UNITS_H
#define UI_UNITS_H

#include <stddef.h>

#include "ui/model.h"

/* Writes finite v in the unit of row ui (not UF_AUTO or UF_CUSTOM);
 * decimals < 0: Grafana's automatic decimals. */
void units_write(double v, const struct unit_info *ui, int decimals,
                 char *out, size_t n);
/* Writes finite v in a custom unit: text as Grafana takes it (see
 * format_value_as). */
void units_write_custom(double v, const char *text, int decimals, char *out,
                        size_t n);

#endif
