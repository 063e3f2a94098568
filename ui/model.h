/*
 * What the screen shows, as plain data: a dashboard of pages, rows and
 * panels, each panel with the evaluated results of its queries, and the
 * list of scrape targets. src/ builds and fills it; ui/ only reads it (and
 * keeps its own view state elsewhere). Nothing here knows about curses.
 *
 * The names of panel kinds and units are written here once: dashboard
 * files, snapshots and the widgets all take them from model_kind_name and
 * model_unit_name.
 *
 * Ownership: the dashboard owns its strings and results; src/ replaces a
 * query's result (freeing the old one) between frames, never during a draw.
 * The names returned below are static.
 */
#ifndef UI_MODEL_H
#define UI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/value.h"

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

/* ORDER unit: keep in step with unit_names in ui/model.c and the unit
 * table in ui/format.c. */
enum unit {
    UNIT_NONE,          /* plain number, SI-scaled (1.2k, 3.4M) */
    UNIT_BYTES,         /* IEC: KiB, MiB, GiB */
    UNIT_SECONDS,       /* ms, s, m, h */
    UNIT_PERCENT,       /* the value is already 0..100 */
    UNIT_PERCENTUNIT,   /* the value is 0..1, shown as 0..100 % */
    UNIT_REQPS,         /* req/s */
    UNIT_OPS,           /* ops/s */
    UNIT_COUNT
};

/* The kind's name as dashboards write it ("graph", "stat", ...), or NULL
 * out of range. */
const char *model_kind_name(enum panel_kind k);
/* The unit's key name ("bytes", "seconds", ...), or NULL out of range. */
const char *model_unit_name(enum unit u);

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
    enum unit unit;         /* overrides the panel's when not UNIT_NONE */
    struct qresult *result; /* matrix over the dashboard range, or NULL */
    char *error;            /* why the last evaluation failed, or NULL */
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
};

struct row {
    char *title;            /* may be NULL */
    int height;             /* relative height inside the page, >= 1 */
    struct panel *panels;
    size_t npanels;
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
};

/* A target that relabelling dropped, like Prometheus's "dropped" list. */
struct dropped_row {
    const char *job;
    const char *discovered;     /* formatted labels before relabelling */
    const char *reason;         /* e.g. "dropped by relabel rule 2 (drop)" */
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

#endif
