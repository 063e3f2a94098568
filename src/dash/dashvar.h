/*
 * Template variables read from the store, the way Grafana's Prometheus
 * data source reads them: label_names(), label_values(label),
 * label_values(selector, label), metrics(regex), query_result(expr) or
 * else a series selector; then the variable's regex and sort, and the
 * order in which chained variables must be read. Queries arrive expanded
 * (src/dash/dashmodel.c); this module does not know the dashboard.
 *
 * Ownership: a dashvar_query and a dashvar_list own what they point to
 * and are released with their _fini. Error messages are malloc'd and the
 * caller frees them.
 */
#ifndef DASH_DASHVAR_H
#define DASH_DASHVAR_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "ui/model.h"

struct qeval_ctl;
struct query;
struct regex;

enum dashvar_kind {
    DASHVAR_LABEL_NAMES,    /* label_names() or label_names(selector) */
    DASHVAR_LABEL_VALUES,   /* label_values([selector, ] label) */
    DASHVAR_METRICS,        /* metrics(regex): metric names */
    DASHVAR_QUERY_RESULT,   /* query_result(expr): its series as text */
    DASHVAR_SERIES,         /* anything else: a selector's series */
};

struct dashvar_query {
    enum dashvar_kind kind;
    char *expr;             /* the PromQL in it, or NULL */
    char *arg;              /* label_values' label or metrics' regex */
    struct query *compiled; /* expr compiled, or NULL */
    struct regex *re;       /* metrics' regex, or NULL */
};

/* Values, in the order Grafana would list them. */
struct dashvar_list {
    char **v;
    size_t n;
};

/*
 * Reads an expanded variable query into *q as Grafana's Prometheus source
 * reads it and compiles its PromQL. 0, or -1 with *err (what is wrong,
 * with the line and column in the PromQL when it does not parse).
 */
int dashvar_parse(const char *text, struct dashvar_query *q, char **err);
void dashvar_query_fini(struct dashvar_query *q);

/*
 * The values q gives at now_ms into *out (which the caller zeroed):
 * selectors and expressions are evaluated at now_ms (5 m lookback) where
 * Grafana asks Prometheus for the series of its time range, within ctl's
 * budget (NULL: as qeval_instant_ctl takes NULL). label_names and
 * label_values sort their values, as Prometheus's API does. query_result
 * writes each series as Grafana does, name{l="v",...} value
 * timestamp_ms. 0, or -1 with *err when the evaluation fails.
 */
int dashvar_run(const struct dashvar_query *q, const struct store *st,
                int64_t now_ms, struct qeval_ctl *ctl,
                struct dashvar_list *out, char **err);

/*
 * Applies a variable's regex (Grafana's /re/flags, or re as ^re$) and
 * sort (0 to 8) to l in place, as Grafana's variable options do: values
 * the regex does not match are dropped, a capture group (or the group
 * named value or text) extracts the value, the g flag gives one value per
 * match; duplicates go. regex may be NULL or "". 0, or -1 with *err when
 * the regex is bad (l is then unchanged).
 */
int dashvar_shape(const char *regex, int sort, struct dashvar_list *l,
                  char **err);
void dashvar_list_fini(struct dashvar_list *l);

/*
 * Fills order[0..n) with the indexes of vars in the order to read them:
 * each variable after those its query or regex refers to, else in file
 * order (a cycle is broken where it closes).
 */
void dashvar_order(const struct variable *vars, size_t n, size_t *order);

#endif
