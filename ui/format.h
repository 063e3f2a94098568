/*
 * Text for numbers, label sets and times as the widgets show them: values
 * scaled per unit (SI, IEC for bytes, ms/s/m/h for seconds, percent, rates)
 * with three significant digits or fixed decimals, legend templates and
 * Prometheus-style label sets. No colours, no layout.
 *
 * Ownership: results go into caller-provided storage; arguments are
 * borrowed for the call.
 */
#ifndef UI_FORMAT_H
#define UI_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "store/labels.h"
#include "ui/model.h"

/* Enough for any value format_value writes. */
#define FORMAT_VALUE_MAX 48

/*
 * Writes v in unit u into out (n bytes, always NUL-terminated).
 * decimals < 0: three significant digits with trailing zeros dropped
 * ("1.5 KiB", "250 µs", "1.23k"); decimals >= 0: exactly that many after
 * the point. NaN, +Inf and -Inf are written as such.
 */
void format_value(double v, enum unit u, int decimals, char *out, size_t n);
/* Appends the legend for ls: tmpl with every {{name}} replaced by that
 * label's value ("" when missing); tmpl NULL or "" formats the set. */
void format_legend(const char *tmpl, const struct labels *ls,
                   struct buf *out);
/* "3.2s ago", "4m ago", "never" (then_ms 0) for then_ms seen at now_ms. */
void format_ago(int64_t now_ms, int64_t then_ms, char *out, size_t n);
/* A duration in seconds as format_value writes it: "12.3 ms", "1.5 s". */
void format_duration(double s, char *out, size_t n);
/* "HH:MM" of a Unix time in ms, in local time. */
void format_hhmm(int64_t ms, char *out, size_t n);

#endif
