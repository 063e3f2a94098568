/*
 * The dashboard behind the screen and the snapshot: pages, rows, panels
 * and their PromQL, compiled once and evaluated per frame against the
 * store. It fills ui/model.h's plain structs; it draws nothing.
 *
 * Ownership: a dash owns its model, its compiled queries and every result
 * hanging off the model; results are replaced (the old freed) only inside
 * dash_evaluate, never while a frame is drawn.
 */
#ifndef DASH_DASH_H
#define DASH_DASH_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "ui/model.h"

struct dash;
struct qeval_ctl;

/*
 * Takes over everything model points to (a loader built it with xmalloc;
 * *model is left zeroed), sets the step from model->range_ms, expands the
 * template variables in every title and query and compiles every query (a
 * bad one keeps its error, positioned in the query as written, on the
 * panel). The model's exprs and titles then hold the expanded text.
 */
struct dash *dash_adopt(struct dashboard *model);
/* The budget and stop flag of every query d evaluates from now on
 * (copied; by default Prometheus's, with no flag). */
void dash_set_limits(struct dash *d, const struct qeval_ctl *ctl);
/* Changes the time range (and with it the step) the graphs show. */
void dash_set_range(struct dash *d, int64_t range_ms);
/* The built-in golden-signals dashboard (traffic, errors, latency,
 * saturation) and the per-target table. */
struct dash *dash_new_builtin(int64_t range_ms);
void dash_free(struct dash *d);
/* The model the UI and the snapshot read; owned by d. */
struct dashboard *dash_model(struct dash *d);
/*
 * Evaluates the queries of one page (page < 0: every page) as range
 * queries over the dashboard's range, ending at the first step boundary
 * at or after now_ms, replacing each query's result or error and marking
 * panels dirty.
 * Returns how many queries failed.
 */
size_t dash_evaluate(struct dash *d, const struct store *st, int64_t now_ms,
                     int page);
/*
 * Selects value (an index into the variable's values; nvalues selects All
 * when the variable has all set) of variable var, then expands every
 * title and query again and recompiles them. -1 when var or value is out
 * of range.
 */
int dash_set_variable(struct dash *d, size_t var, size_t value);
/*
 * Fills the label_values(...) variables from the store: label_values(l)
 * takes every value of l in the store, label_values(selector, l) the
 * values of l on the series the selector matches over the dashboard's
 * range. A variable keeps its selection when the value still exists.
 * Recompiles when anything changed; returns how many variables changed.
 */
size_t dash_refresh_variables(struct dash *d, const struct store *st);

#endif
