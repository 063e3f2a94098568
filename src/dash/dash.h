/*
 * The dashboard behind the screen and the snapshot: pages, rows, panels
 * and their PromQL, compiled once and evaluated per frame against the
 * store. It fills ui/model.h's plain structs; it draws nothing.
 *
 * Ownership: a dash owns its model, its compiled queries and every result
 * hanging off the model; results are replaced (the old freed) only inside
 * dash_evaluate and dash_frame_step, never while a frame is drawn.
 */
#ifndef DASH_DASH_H
#define DASH_DASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "ui/model.h"

struct dash;
struct api_client;
struct qeval_ctl;

/*
 * The times a range query reads: points at start, start + step, ... end.
 * Grafana aligns them to multiples of the step so that they stay put as
 * time passes (only new points appear), and never after now.
 */
struct dash_grid {
    int64_t start;      /* ms */
    int64_t end;        /* ms, the newest step boundary at or before now */
    int64_t step;       /* ms, > 0 */
};

/*
 * The grid a panel shows at now_ms over range_ms with step_ms, as Grafana
 * aligns a range query: end = floor(now / step) * step and start =
 * floor((now - range) / step) * step (which is end - range when the range
 * is a multiple of the step).
 */
struct dash_grid dash_grid_at(int64_t range_ms, int64_t step_ms,
                              int64_t now_ms);

/*
 * Takes over everything model points to (a loader built it with xmalloc;
 * *model is left zeroed), sets the steps from model->range_ms, expands the
 * template variables in every title and query and compiles every query (a
 * bad one keeps its error on the panel: the line and column in the query
 * as written, the message, then the query as expanded). The model's
 * exprs and titles then hold the expanded text.
 */
struct dash *dash_adopt(struct dashboard *model);
/* The budget and stop flag of every query d evaluates from now on
 * (copied; by default Prometheus's, with no flag). */
void dash_set_limits(struct dash *d, const struct qeval_ctl *ctl);
/*
 * Changes the time range (and with it the steps) the graphs show. Each
 * panel's step, $__interval and $__rate_interval are Grafana's for its
 * width (src/dash/dashmodel.h, dashmodel_interval: range / width made a
 * "nice" interval, never below the scrape interval), so each point on
 * screen is one point of the range query; the model's step_ms is that
 * of a panel DASHMODEL_DEFAULT_WIDTH cells wide, which variables use.
 */
void dash_set_range(struct dash *d, int64_t range_ms);
/* The width in cells of the panel in layout order slot of page, as it
 * is (or will be) drawn; 0 when not known. */
typedef int (*dash_width_fn)(void *ctx, int page, size_t slot);
/*
 * Where panel widths come from (fn NULL: none, every panel
 * DASHMODEL_DEFAULT_WIDTH cells). Each frame asks for the widths of the
 * panels of its page; a panel whose width changed gets its new interval
 * and is evaluated afresh.
 */
void dash_set_width_fn(struct dash *d, dash_width_fn fn, void *ctx);
/* The shortest scrape interval of the data (0: not known, 15 s as
 * Grafana assumes): no step is below it. */
void dash_set_scrape_interval(struct dash *d, int64_t ms);
/* The step a panel width cells wide gets at the current range. */
int64_t dash_step_for(const struct dash *d, int width);
/* The built-in golden-signals dashboard (traffic, errors, latency,
 * saturation) and the per-target table. */
struct dash *dash_new_builtin(int64_t range_ms);
void dash_free(struct dash *d);
/* The model the UI and the snapshot read; owned by d. */
struct dashboard *dash_model(struct dash *d);
/*
 * Evaluates the queries of one page (page < 0: every page) as range
 * queries over dash_grid_at(now_ms) at their panel's step, replacing each query's result or
 * error and marking panels dirty; the model's now_ms becomes now_ms.
 * Each series then gets its value at now_ms itself (an instant
 * evaluation, what stats, gauges, bars and tables show) as its newest
 * point, unless now_ms is on the grid; a series with no value at now
 * keeps the grid's points only. Variables whose values are stale (never read,
 * empty, or depending on a variable or range that changed) are read from
 * the store first. Returns how many queries failed.
 */
size_t dash_evaluate(struct dash *d, const struct store *st, int64_t now_ms,
                     int page);
/* Whether the panel in layout order slot of the page is in sight. */
typedef bool (*dash_shown_fn)(void *ctx, size_t slot);
/*
 * dash_evaluate in slices, so that the caller can handle keys between
 * them (DESIGN.md, "Data flow"). dash_frame_begin starts a frame at
 * now_ms: it reads stale variables, sets the model's now_ms and queues
 * the queries of page (< 0: every page) whose panels shown says are in
 * sight (shown NULL: all of them), except those already evaluated for
 * this now_ms with the store unchanged since, so a frame begun again at
 * the same now_ms only adds the panels that came into sight. Panels out
 * of sight keep their last results, and their incremental state catches
 * up when they are shown. A frame begun while another is unfinished
 * replaces it.
 */
void dash_frame_begin(struct dash *d, const struct store *st, int64_t now_ms,
                      int page, dash_shown_fn shown, void *ctx);
/*
 * For a key that changed what is in sight (another page, a scroll, a
 * zoom): the frame under way, or the last one finished, gets as its
 * queue the queries of page (none when page < 0) whose panels shown says
 * are in sight and that were not evaluated at its clock, so they are
 * evaluated at the clock the other panels show. A panel whose width
 * changed gets its new interval first. Queries out of sight leave the
 * queue and keep their results; nothing is evaluated here, and nothing
 * is queued before the first dash_frame_begin. Returns how many queries
 * are queued.
 */
size_t dash_frame_refocus(struct dash *d, int page, dash_shown_fn shown,
                          void *ctx);
/*
 * Evaluates queued queries, replacing each one's result as it goes, until
 * none is left (true) or time_mono_s() reaches until after a query
 * (false; until <= 0: no limit). The store may change between two calls
 * (scrapes landing); each query reads it as it is when it runs. A query
 * the limits' interrupt hook stops (QEVAL_INTERRUPTED) also ends the
 * call (false): its panel keeps its result and the next call runs that
 * query again.
 */
bool dash_frame_step(struct dash *d, const struct store *st, double until);
/* How many queries of the frame failed so far, or do not compile. */
size_t dash_frame_failed(const struct dash *d);
/*
 * Selects value (an index into the variable's values; nvalues selects All
 * when the variable has all set) of variable var, then expands every
 * title and query again and recompiles them. -1 when var or value is out
 * of range.
 */
int dash_set_variable(struct dash *d, size_t var, size_t value);
/*
 * Reads the query variables from the store at now_ms, as
 * src/dash/dashvar.h reads them (label_values, label_names, metrics,
 * query_result, a selector; then regex and sort), each after the
 * variables its query refers to, expanded with their new values. A
 * variable keeps its selection when the value still exists. A query that
 * fails leaves the values as they were and its error for
 * dash_variable_error. Recompiles when anything changed; returns how
 * many variables changed.
 */
size_t dash_refresh_variables_at(struct dash *d, const struct store *st,
                                 int64_t now_ms);
/* dash_refresh_variables_at the current time. */
size_t dash_refresh_variables(struct dash *d, const struct store *st);
/*
 * Parses every query variable's query (expanded with the selected
 * values) and regex without reading a store, as `promdeck check` does,
 * and keeps the errors for dash_variable_error; returns how many failed.
 */
size_t dash_check_variables(struct dash *d);
/*
 * Why variable var's query failed when last read or checked, ending with
 * the query as expanded; NULL when it did not (or var is out of range).
 * Valid until the next read or check.
 */
const char *dash_variable_error(const struct dash *d, size_t var);

/*
 * Evaluates on the server c (borrowed; it must outlive d) instead of the
 * store: from now on dash_evaluate and the variable reads start requests
 * (a query whose last refresh is still in flight is left alone) and the
 * answers replace results and errors as they arrive, while the loop
 * pumps; the store arguments are then unused. min_step_ms is the
 * server's scrape interval (0: unknown), as dash_set_scrape_interval.
 */
void dash_set_remote(struct dash *d, struct api_client *c,
                     int64_t min_step_ms);
/* The scrape interval of the last dash_set_remote or
 * dash_set_scrape_interval; 0 when not known. */
int64_t dash_min_step(const struct dash *d);
/* Remote refreshes and variable reads still in flight. */
size_t dash_pending(const struct dash *d);
/* Queries whose current result is an error (a bad query or, remote, the
 * server's answer). */
size_t dash_failed(const struct dash *d);

#endif
