/*
 * Text for numbers, label sets and times as the widgets show them: values
 * in any of Grafana's units (ui/model.c's table) written as Grafana writes
 * them, promdeck's own compact form when a panel names no unit, legend
 * and display-name templates and Prometheus-style label sets. Times and
 * durations are ui/format_time.c's. No colours, no layout.
 *
 * Ownership: results go into caller-provided storage, always
 * NUL-terminated and cut at a character boundary when they do not fit;
 * arguments are borrowed for the call.
 */
#ifndef UI_FORMAT_H
#define UI_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "store/labels.h"
#include "ui/model.h"

/* Enough for any value format_value writes with a unit of the table. */
#define FORMAT_VALUE_MAX 128

/*
 * Writes v in unit u into out (n bytes). decimals < 0 picks them as
 * Grafana does: none for whole numbers, else about three significant
 * digits, trailing zeros kept ("1.50 KiB", "250 ms"); UNIT_AUTO instead
 * drops trailing zeros and steps up SI prefixes ("1.5k", "250m"), as
 * promdeck writes a value of no stated unit. decimals >= 0: exactly that
 * many after the point. NaN, +Inf and -Inf are written as such.
 */
void format_value(double v, enum unit u, int decimals, char *out, size_t n);
/*
 * Like format_value, with text the unit as written when u is UNIT_CUSTOM:
 * Grafana's "prefix:X", "suffix:X", "si:X", "count:X", "currency:X",
 * "bool:yes/no" and "time:YYYY-MM-DD", or any other text, which follows
 * the number as a suffix (" X"), as Grafana shows an unknown unit.
 */
void format_value_as(double v, enum unit u, const char *text, int decimals,
                     char *out, size_t n);
/* Grafana's toFixed: v (finite) with decimals after the point, or as
 * many as format_value picks when decimals < 0. */
void format_fixed(double v, int decimals, char *out, size_t n);
/* Drops the trailing zeros of the number s starts with ("1.50 KiB" is
 * "1.5 KiB", "100.0%" is "100%"), as Grafana writes axis ticks when no
 * decimals are set; text that does not start with a number is kept. */
void format_trim_zeros(char *s);
/* v as JavaScript's String(v) writes it: "0.1", "1e-7", "1e+21". */
void format_js_number(double v, char *out, size_t n);
/* Appends the legend for ls: tmpl with every {{name}} replaced by that
 * label's value ("" when missing); tmpl NULL or "" formats the set. */
void format_legend(const char *tmpl, const struct labels *ls,
                   struct buf *out);
/*
 * Appends a Grafana display name: tmpl with ${__field.labels.NAME} (the
 * label's value), ${__field.labels} (the set, without the metric name),
 * and ${__field.name}, ${__series.name} and ${__field.displayName} (all
 * three the series' name, name) replaced; any other ${...} is kept.
 */
void format_display_name(const char *tmpl, const struct labels *ls,
                         const char *name, struct buf *out);
/* "3.2s ago", "4m ago", "never" (then_ms 0) for then_ms seen at now_ms. */
void format_ago(int64_t now_ms, int64_t then_ms, char *out, size_t n);
/* A duration in seconds as format_value writes it: "12.3 ms", "1.50 s". */
void format_duration(double s, char *out, size_t n);
/* "HH:MM" of a Unix time in ms, in local time. */
void format_hhmm(int64_t ms, char *out, size_t n);

#endif
