/*
 * Helpers on ui/model.h's dashboard that need neither the store nor the
 * evaluator: freeing a model, and template variables (what $var stands
 * for, expanding $var, ${var}, [[var]] and Grafana's $__interval family
 * in a text, reading label_values(...)).
 * Loaders and src/dash/dash.c share them.
 * It does not resolve variables from the store: src/dash/dash.c does that.
 *
 * Ownership: every returned char * is malloc'd and the caller frees it.
 * A model passed to dashmodel_fini owns its strings (built with xmalloc).
 */
#ifndef DASH_DASHMODEL_H
#define DASH_DASHMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/model.h"

/* The time range a loaded dashboard shows when its file names none. */
#define DASHMODEL_DEFAULT_RANGE_MS (60 * 60 * 1000)

/* Frees everything m points to (results, variables) and zeroes *m. */
void dashmodel_fini(struct dashboard *m);
/*
 * What Grafana's built-in interval variables stand for in one panel,
 * and so the step of its range queries.
 */
struct dashmodel_interval {
    int64_t step_ms;    /* $__interval and the query's step */
    int64_t rate_ms;    /* $__rate_interval */
};
/* The panel width assumed where none is known (a variable's query, a
 * panel not laid out yet): 200 cells. */
#define DASHMODEL_DEFAULT_WIDTH 200
/* Grafana's "nice" interval for ms (its roundInterval): 18000 gives
 * 20000, 3000 gives 2000; 1 below 10 ms, a year at 6 weeks and above. */
int64_t dashmodel_round_interval(double ms);
/*
 * The interval Grafana's Prometheus data source gives a panel width
 * cells wide (its maxDataPoints; <= 0: DASHMODEL_DEFAULT_WIDTH) showing
 * range_ms, with the data source's scrape interval scrape_ms (0: not
 * known, Grafana's 15 s): interval = range / width made nice, never
 * below the scrape interval; step = the larger of that and range /
 * 11000 made nice (Prometheus's point limit); rate = max(interval +
 * scrape, 4 scrape).
 */
struct dashmodel_interval dashmodel_interval(int64_t range_ms, int width,
                                             int64_t scrape_ms);
/* The same for a panel with its own "Min interval" min_ms (0: none),
 * which takes the scrape interval's place as the lowest interval (not
 * in $__rate_interval, which keeps the scrape interval), as in
 * Grafana. */
struct dashmodel_interval dashmodel_interval_min(int64_t range_ms,
                                                 int width,
                                                 int64_t scrape_ms,
                                                 int64_t min_ms);
/*
 * Moves from's pages and variables to the end of into's (for several -d
 * files shown as one dashboard) and frees the rest of from.
 */
void dashmodel_append(struct dashboard *into, struct dashboard *from);
/* Frees one panel's strings, queries and results (not p itself). */
void dashmodel_panel_fini(struct panel *p);
/* Frees one variable's strings and values (not v itself). */
void dashmodel_var_fini(struct variable *v);
/* Replaces v's values with a copy of vals[0..n), keeping the selection
 * by value when it still exists, else the default, else All or the first. */
void dashmodel_var_set_values(struct variable *v, const char *const *vals,
                              size_t n);

/*
 * The text v stands for, as Grafana's Prometheus data source writes it:
 * values[current] with \ and " escaped for a PromQL double-quoted
 * string (regex metacharacters escaped too when v->regex_value); for All,
 * all_value or the alternation "(a|b)" of every value with regex
 * metacharacters escaped (".*" with no values); "" when v has no value.
 */
char *dashmodel_var_text(const struct variable *v);

/*
 * Expands every $name, ${name}, [[name]], ${name:format} and
 * [[name:format]] of a variable in vars (formats as src/dash/dashfmt.h
 * writes them; other names are left as written), and $__interval
 * (iv->step_ms), $__rate_interval (iv->rate_ms) and $__range (range_ms)
 * as Prometheus durations, $__interval_ms, $__rate_interval_ms,
 * $__range_ms and $__range_s as numbers. When
 * map is not NULL, *map gets a malloc'd array giving, for each byte of the
 * result (and its terminating NUL), the offset in text it came from, so
 * errors in the expansion can point into the original. Never fails.
 */
char *dashmodel_expand(const char *text, const struct variable *vars,
                       size_t nvars, const struct dashmodel_interval *iv,
                       int64_t range_ms, size_t **map);
/* dashmodel_expand with fmt as the format of references that give none
 * (Grafana expands a variable's regex with "regex"); NULL: none. */
char *dashmodel_expand_fmt(const char *text, const struct variable *vars,
                           size_t nvars, const struct dashmodel_interval *iv,
                           int64_t range_ms, const char *fmt, size_t **map);
/* Whether text refers to the variable name ($name, ${name...}, ...). */
bool dashmodel_refers(const char *text, const char *name);

/*
 * Splits "label_values(label)" or "label_values(selector, label)": 0 with
 * *selector (NULL in the first form) and *label malloc'd, or -1 with *why
 * a static message and *off the byte offset of the problem.
 */
int dashmodel_label_values(const char *query, char **selector, char **label,
                           const char **why, size_t *off);

#endif
