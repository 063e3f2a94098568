/*
 * The words dashboards are written in: panel kinds, units and threshold
 * colours as promdeck's YAML format names them, and as Grafana's JSON
 * names them (its panel types, unit ids and colours; both formats take
 * Grafana's unit ids). Both loaders read
 * names through here, so each name is written once. It reads no files
 * and knows nothing of either format's structure.
 *
 * Ownership: returned names are static; lists are appended to a buf the
 * caller owns. Colour roles are enum theme_role values (ui/theme.h).
 */
#ifndef DASH_VOCAB_H
#define DASH_VOCAB_H

#include <stdbool.h>

#include "src/base/buf.h"
#include "ui/model.h"

/* The kind's name as dashboard files and snapshots write it ("graph"),
 * or "unknown" out of range. */
const char *vocab_kind_name(enum panel_kind k);
/* The kind a dashboard file's type: names; 0, or -1 when none has it. */
int vocab_kind_by_name(const char *name, enum panel_kind *k);
/*
 * The kind that shows a Grafana panel type: Grafana's own names for
 * promdeck's kinds (graph, stat, gauge, table, heatmap, text) and its
 * types promdeck draws alike (timeseries as graph, singlestat as stat,
 * bargauge and barchart as bars, table-old as table). 0, or -1 for any
 * other type.
 */
int vocab_grafana_kind(const char *type, enum panel_kind *k);

/*
 * The unit a name stands for: any id of Grafana's unit list (none, short,
 * bytes, decbytes, bps, Bps, s, ms, dtdurations, celsius, currencyEUR, ...;
 * the table is ui/model.c's), "auto" (promdeck's compact numbers), and
 * the other spellings seconds (s), us (µs) and farenheit, which Grafana
 * also takes. A custom unit (prefix:X, suffix:X, si:X, count:X,
 * currency:X, bool:X/Y, time:PATTERN) gives UNIT_CUSTOM: the caller keeps
 * the name as its text. 0, or -1 when the name is none of these.
 */
int vocab_unit(const char *name, enum unit *u);
/* The unit name closest to name (a different letter case, or one or two
 * letters off), for a "did you mean" hint; NULL when none is close. */
const char *vocab_unit_suggest(const char *name);

/*
 * The theme role a threshold colour name stands for in a dashboard file:
 * good/ok/green, warn/warning/yellow/orange, crit/critical/bad/red.
 * -1 if unknown.
 */
int vocab_color_role(const char *name);
/*
 * The status role a Grafana colour stands for: a named colour by the
 * colour word in it ("dark-red", "semi-dark-orange"), the most severe
 * first; "#rgb", "#rrggbb" or "rgb(a)(...)" by its hue when it is
 * saturated enough. -1 for colours with no status meaning (blues,
 * purples, greys).
 */
int vocab_grafana_color(const char *color);
/*
 * The theme role that draws a series in a Grafana colour: a named colour
 * ("red", "dark-blue", "semi-dark-purple"), "#rgb", "#rrggbb" or
 * "rgb(a)(...)", by the role whose colour in the default theme is nearest
 * in hue (reds the critical role, greens the good one, blues, purples,
 * oranges and yellows series colours). -1 for greys, white, black and
 * "transparent": the series keeps its own colour.
 */
int vocab_grafana_series_color(const char *color);
/* The role a dashboard file's series colour names: series1 .. series8,
 * a status colour (see vocab_color_role), or a Grafana colour as
 * vocab_grafana_series_color reads it; -1 for none of these. */
int vocab_series_color(const char *name);
/*
 * A series pattern as Grafana writes one, for src/base/regex.h: text
 * "/re/flags" (flags from g, i, m, s and y) is a JavaScript regex that
 * matches anywhere in a name (the flags i, m and s kept), appended to out
 * in the anchored syntax; true. Any other text is a plain name (or, to
 * Grafana's byRegexp, a regex of the whole name): false, out untouched.
 */
bool vocab_series_regex(const char *text, struct buf *out);
/* The role of an old Grafana graph threshold's colorMode: "ok" good,
 * "warning" warn, anything else (critical, custom) crit. */
int vocab_grafana_color_mode(const char *mode);

/* Appends every kind name or colour name a dashboard file takes, as
 * "a, b, ... <last> z" (last is "or" or "and"). */
void vocab_list_kinds(struct buf *out, const char *last);
void vocab_list_colors(struct buf *out, const char *last);

#endif
