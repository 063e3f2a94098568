/*
 * What the screen shows, as plain data: a dashboard of pages, rows and
 * panels, each panel with the evaluated results of its queries, and the
 * list of scrape targets. src/ builds and fills it; ui/ only reads it (and
 * keeps its own view state elsewhere). Nothing here knows about curses.
 *
 * The names of panel kinds and units are written here once: dashboard
 * files, snapshots and the widgets all take them from model_kind_name and
 * model_unit_name. Units are Grafana's, each with the family of formatter
 * that writes it (ui/format.c).
 *
 * Ownership: the dashboard owns its strings and results, and each panel
 * its series overrides with their compiled patterns; src/ replaces a
 * query's result (freeing the old one) between frames, never during a
 * draw. The names and unit rows returned below are static.
 */
#ifndef UI_MODEL_H
#define UI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/value.h"

struct regex;               /* src/base/regex.h: overrides' patterns */

/*
 * ORDER panel_kind: keep in step with kind_names in ui/model.c and the
 * widget class table in ui/widget_registry.c.
 */
enum panel_kind {
    PANEL_GRAPH,
    PANEL_SPARKLINE,
    PANEL_BARS,
    PANEL_TABLE,
    PANEL_STAT,
    PANEL_GAUGE,
    PANEL_HEATMAP,
    PANEL_TEXT,
    PANEL_KIND_COUNT
};

/*
 * ORDER unit: the units code names come first in the unit table of
 * ui/model.c, in this order. The table's later rows are the rest of
 * Grafana's unit list, reached by name (model_unit_by_name): an enum unit
 * is any index below model_unit_count(), named here or not.
 */
enum unit {
    UNIT_AUTO,          /* none given: SI-scaled, 3 significant digits */
    UNIT_CUSTOM,        /* written out in a unit_text ("suffix: req") */
    UNIT_NONE,          /* Grafana's "none": the plain number */
    UNIT_SHORT,         /* 1.50 K, 2.30 Mil */
    UNIT_BYTES,         /* IEC: KiB, MiB, GiB */
    UNIT_SECONDS,       /* Grafana's "s": ms, s, min, hour, day */
    UNIT_PERCENT,       /* the value is already 0..100 */
    UNIT_PERCENTUNIT,   /* the value is 0..1, shown as 0..100 % */
    UNIT_REQPS,         /* req/s */
    UNIT_OPS,           /* ops/s */
    UNIT_NAMED          /* the first row code does not name */
};

/*
 * How a unit writes a value: one family per kind of Grafana formatter.
 * symbol and arg are the family's parameters, as each entry says.
 */
enum unit_family {
    UF_AUTO,            /* promdeck's compact SI (1.2k, 250m) */
    UF_CUSTOM,          /* parsed from the unit's text when written */
    UF_FIXED,           /* the number, then " symbol" unless empty */
    UF_PERCENT,         /* the number, then "%" */
    UF_PERCENTUNIT,     /* 100 times the number, then "%" */
    UF_SI,              /* SI prefixes on symbol; arg: the prefix of 1
                         * (-1 milli, 1 kilo, ...) */
    UF_IEC,             /* binary prefixes on symbol; arg: likewise */
    UF_SHORT,           /* arg 0: " K", " Mil", " Bil" ...;
                         * arg 1: "psi", "ksi", "Mpsi" */
    UF_COUNT,           /* "K", "M", "B", "T", then " symbol" */
    UF_CURRENCY,        /* symbol (arg 1: after), "K" .. "T" after */
    UF_HEX,             /* arg 1: with "0x" */
    UF_SCI,             /* 1.23e+4 */
    UF_LOCALE,          /* 1,234,567.891 */
    UF_STRING,          /* the number as JavaScript writes it */
    UF_TIME,            /* arg: enum unit_time, the unit of the value */
    UF_DURATION,        /* "1 day, 2 hours"; arg: UT_MS or UT_S */
    UF_HMS,             /* "01:02:03"; arg 1: "4 d 01:02:03" */
    UF_CLOCK,           /* "01h:02m:03s:004ms"; arg: UT_MS or UT_S */
    UF_DATETIME,        /* symbol: a Moment.js pattern, or "full|today"
                         * (the second when the time is today) */
    UF_FROMNOW,         /* "5 minutes ago" */
    UF_BOOL,            /* symbol: "true text/false text" */
};

/* The units of time values come in, for UF_TIME and its kin. */
enum unit_time { UT_NS, UT_US, UT_MS, UT_S, UT_M, UT_H, UT_D, UT_TICKS };

/* One row of the unit table. */
struct unit_info {
    const char *name;       /* Grafana's id, as dashboards write it */
    enum unit_family family;
    const char *symbol;
    int arg;
};

/* The kind's name as dashboards write it ("graph", "stat", ...), or NULL
 * out of range. */
const char *model_kind_name(enum panel_kind k);
/* The unit's name ("bytes", "s", ...), or NULL out of range. */
const char *model_unit_name(enum unit u);
/* The unit's row, or NULL out of range. */
const struct unit_info *model_unit(enum unit u);
/* The number of rows in the unit table: every enum unit is below it. */
size_t model_unit_count(void);
/* The unit named name (UNIT_CUSTOM has no name); 0, or -1 when none. */
int model_unit_by_name(const char *name, enum unit *u);

/* How a table shows one query's column. */
enum column_style {
    COLUMN_VALUE,       /* the value at the end of the range */
    COLUMN_SPARK,       /* a sparkline of the points over the range */
    COLUMN_HEALTH,      /* 1 = "up" (good colour), 0 = "down" (bad colour) */
};

/* How bars and tables order their rows (by the first query's value). */
enum panel_sort {
    SORT_NONE,          /* as the query returns them (by label set) */
    SORT_DESC,          /* largest first; what `top` implies */
    SORT_ASC,
};

struct threshold {
    double value;       /* from this value upwards ... */
    int role;           /* ... use this theme role (enum theme_role) */
};

struct panel_query {
    char *expr;             /* PromQL, as written */
    char *legend;           /* "{{label}}" template, or NULL: label set */
    char *column;           /* table column header, or NULL */
    enum column_style style;
    enum unit unit;         /* overrides the panel's when not UNIT_AUTO */
    struct qresult *result; /* matrix over the dashboard range, or NULL */
    char *error;            /* why the last evaluation failed, or NULL */
    bool pending;           /* not evaluated since it was compiled: with
                             * no result yet the panel says "loading"
                             * rather than "no data" */

    /* How its series are shown, as Grafana configures it. */
    char *unit_text;        /* UNIT_CUSTOM's text ("suffix: req"), or NULL */
    char *ref_id;           /* Grafana's refId ("A"), overrides match it */
};

/* How a graph stacks series: not, on each other, or as shares of 100%. */
enum stack_mode { STACK_NONE, STACK_NORMAL, STACK_PERCENT };

/* How an override picks its series, as Grafana's field matchers do. */
enum series_match {
    MATCH_NAME,         /* the display name is pattern (byName) */
    MATCH_REGEX,        /* the display name matches re, or is one of
                         * names (byRegexp, byRegexpOrNames) */
    MATCH_QUERY,        /* the query's ref_id is pattern (byFrameRefID) */
    MATCH_NAMES,        /* the name is one of names, or with exclude is
                         * none of them (byNames) */
    MATCH_ALL,          /* every series (byType "number") */
};

/* What an override sets: its OVR_* bits. */
enum {
    OVR_NAME = 1 << 0,
    OVR_COLOR = 1 << 1,
    OVR_UNIT = 1 << 2,
    OVR_DECIMALS = 1 << 3,
    OVR_AXIS = 1 << 4,
    OVR_NEGATIVE = 1 << 5,
    OVR_STACK = 1 << 6,
    OVR_HIDE = 1 << 7,
    OVR_MIN = 1 << 8,
    OVR_MAX = 1 << 9,
};

/* Where a series is hidden: HIDE_* bits. */
enum { HIDE_LEGEND = 1, HIDE_GRAPH = 2 };

/*
 * Settings for the series an override matches, Grafana's field overrides
 * and the old graph's series overrides alike; a panel applies its
 * overrides in order, so a later one wins. Only what `set` says is set.
 */
struct series_override {
    enum series_match match;
    char *pattern;          /* MATCH_NAME, MATCH_QUERY; MATCH_REGEX's text */
    struct regex *re;       /* MATCH_REGEX, compiled */
    char **names;           /* MATCH_NAMES, MATCH_REGEX */
    size_t nnames;
    bool exclude;           /* MATCH_NAMES: every name but these */
    unsigned set;           /* OVR_* */
    char *display_name;     /* may hold ${__field.labels.NAME} */
    int role;               /* colour: an enum theme_role */
    enum unit unit;
    char *unit_text;        /* UNIT_CUSTOM's text */
    int decimals;
    bool right;             /* on the right-hand value axis */
    bool negative;          /* drawn below zero (Grafana's negative-Y) */
    enum stack_mode stack;
    char *stack_group;      /* series stack with their group; NULL: "A" */
    unsigned hide;          /* HIDE_* */
    double min, max;        /* its axis' ends */
};

struct panel {
    char *title;
    enum panel_kind kind;
    enum unit unit;
    int decimals;           /* -1: automatic */
    double min, max;        /* NaN: automatic */
    struct threshold *thresholds;
    size_t nthresholds;
    bool stack;             /* graphs: stack series */
    int topn;               /* bars/tables: show the N largest; 0: all */
    char **join;            /* tables: labels that key the rows */
    size_t njoin;
    char *text;             /* PANEL_TEXT */
    int width;              /* relative width inside its row, >= 1 */
    struct panel_query *queries;
    size_t nqueries;
    bool dirty;             /* results changed since the last draw */
    enum panel_sort sort;   /* bars/tables: order of the rows */
    int64_t step_ms;        /* its queries' step (each panel has its
                             * own, from its width); 0: the dashboard's */
    int64_t min_interval_ms;    /* Grafana's "Min interval": the lowest
                                 * step, instead of the scrape interval;
                                 * 0: none */
    int max_points;         /* Grafana's maxDataPoints: the width the
                             * step is worked out for; 0: its own */

    /* How its series are shown, as Grafana configures it. */
    char *unit_text;        /* UNIT_CUSTOM's text ("suffix: req"), or NULL */
    bool stack_percent;     /* with stack: each series as a share of 100% */
    char *display_name;     /* every series' name ("${__field.labels.x}"),
                             * or NULL: the legend */
    struct series_override *overrides;
    size_t noverrides;
};

/*
 * A row with a title heads a section: itself and the untitled rows after
 * it, up to the next row with a title. A section can be folded to a
 * one-line header, as Grafana collapses its rows.
 */
struct row {
    char *title;            /* may be NULL */
    int height;             /* relative height inside the page, >= 1 */
    struct panel *panels;
    size_t npanels;
    bool collapsed;         /* titled rows: the section starts folded */
};

struct page {
    char *title;
    struct row *rows;
    size_t nrows;
};

/*
 * A template variable: $name, ${name} and [[name]] in expressions and
 * titles stand for values[current]. When all is true, current == nvalues
 * selects "All", which stands for all_value when set, else for the regex
 * alternation (a|b|...) of every value (".*" while there are none), as
 * Grafana writes it for =~"$name". query, when set, is read from the
 * store and the values are replaced on each refresh: label_values(...),
 * or from Grafana also label_names(), metrics(re), query_result(expr) or
 * a series selector; regex and sort then shape the values as Grafana's
 * variable options do.
 */
struct variable {
    char *name;
    char **values;
    size_t nvalues;
    size_t current;
    bool all;
    char *query;            /* what the values come from, or NULL */
    char *all_value;        /* custom All text (".*"), or NULL */
    char *default_value;    /* value to select when values change, or NULL */
    char *regex;            /* Grafana's filter: /re/flags or re, or NULL */
    int sort;               /* Grafana's sort, 0 (as read) to 8 */
    bool multi;             /* Grafana's multi-value: a list in formats */
    bool regex_value;       /* a selection is written regex-escaped, as
                             * Grafana does for multi-value and All */
};

struct dashboard {
    char *title;
    struct page *pages;
    size_t npages;
    int64_t range_ms;       /* graphs show [now - range, now] */
    int64_t step_ms;        /* range-query resolution */
    int64_t now_ms;         /* end of the range at the last evaluation */
    int64_t refresh_ms;     /* how often to re-evaluate; 0: every frame */
    struct variable *variables; /* template variables, in file order */
    size_t nvariables;
};

enum target_health { HEALTH_UNKNOWN, HEALTH_UP, HEALTH_DOWN };

struct target_row {
    const char *job;
    const char *instance;
    const char *url;
    const char *labels;         /* formatted {a="b", ...}, after relabelling */
    enum target_health health;
    int64_t last_scrape_ms;     /* 0: never */
    double last_duration_s;
    size_t samples;
    const char *last_error;     /* "" when none */
    const char *discovered;     /* formatted labels before relabelling,
                                 * or NULL when not known */
    const struct labels *label_set;         /* labels as a set, or NULL */
    const struct labels *discovered_set;    /* discovered, or NULL */
};

/* A target that relabelling dropped, like Prometheus's "dropped" list. */
struct dropped_row {
    const char *job;
    const char *discovered;     /* formatted labels before relabelling */
    const char *reason;         /* e.g. "dropped by relabel rule 2 (drop)" */
    const struct labels *discovered_set;    /* discovered, or NULL */
    bool refused;               /* not dropped: Prometheus would refuse
                                 * to create it ("Creating target failed") */
};

/* Everything the targets view shows; all of it borrowed from src/. */
struct target_view {
    const struct target_row *rows;
    size_t n;
    const struct dropped_row *dropped;
    size_t ndropped;
    const char *const *errors;  /* discovery errors, "job: message" */
    size_t nerrors;
};

/*
 * ORDER alert_row_state: as enum alert_state in src/rules/group.h, so
 * src/ converts one to the other by value.
 */
enum alert_row_state { ALERT_ROW_INACTIVE, ALERT_ROW_PENDING,
                       ALERT_ROW_FIRING };

/* A rule's health, as Prometheus's rules API gives it. */
enum rule_health { RULE_HEALTH_UNKNOWN, RULE_HEALTH_OK, RULE_HEALTH_ERR };

/* One active alert of an alerting rule. */
struct alert_row {
    enum alert_row_state state;
    const struct labels *labels;        /* alertname included, sorted */
    const struct labels *annotations;   /* sorted */
    int64_t active_at_ms;
    int64_t keep_firing_since_ms;       /* its condition cleared then and
                                         * keep_firing_for holds it firing;
                                         * 0: not kept */
    double value;
};

/* One rule and, for an alerting rule, its active alerts. */
struct rule_row {
    const char *name;
    const char *expr;
    bool alerting;
    int64_t for_ms;
    int64_t keep_firing_for_ms;         /* alerting: keep_firing_for */
    const struct labels *labels;        /* the rule's own */
    const struct labels *annotations;
    enum alert_row_state state;         /* its most urgent alert's */
    enum rule_health health;
    const char *last_error;             /* NULL when none */
    int64_t last_eval_ms;               /* 0: not evaluated yet */
    double eval_seconds;
    const struct alert_row *alerts;
    size_t nalerts;
};

struct rule_group_row {
    const char *name;
    const char *file;
    int64_t interval_ms;
    int64_t last_eval_ms;               /* 0: not evaluated yet */
    double eval_seconds;
    const struct rule_row *rules;
    size_t nrules;
};

/*
 * When an alert on one of a panel's series was firing: spans [from, to]
 * in ms over the dashboard's range, in time order.
 */
struct panel_alert_marks {
    const struct panel *panel;
    const int64_t *spans;               /* 2 * nspans: from, to */
    size_t nspans;
};

/* Everything the alerts and rules views show; all borrowed from src/. */
struct rule_view {
    const struct rule_group_row *groups;
    size_t ngroups;
    size_t nrules;
    size_t firing, pending;             /* active alerts by state */
    const struct panel_alert_marks *marks;
    size_t nmarks;
    bool remote;                        /* a server's rules (--source,
                                         * attach), not the rule files */
    const char *note;                   /* why a server's rules are not
                                         * (all) shown, or NULL */
};

#endif
