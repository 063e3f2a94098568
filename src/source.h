/*
 * A Prometheus-compatible server as the data source (--source URL,
 * promdeck attach): the API client built from the command line and
 * --source-config, and what the loop asks of the server besides the
 * dashboard's queries: the targets view, the alerts and rules views
 * (its rules and alerts APIs, asked again every few seconds), explore's
 * expressions and Tab completion (label names and values, kept and asked
 * again now and then), and a banner while the server cannot be reached.
 *
 * Ownership: the loop owns a source (source_open / source_close). The
 * fetcher and the ui are borrowed and outlive it. Nothing here blocks
 * except source_wait, which --once and start-up use.
 */
#ifndef SRC_SOURCE_H
#define SRC_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "src/api/client.h"
#include "src/api/decode.h"
#include "src/cli.h"
#include "ui/ui.h"

/* How often the alerts and rules are asked for (ms). */
#define SOURCE_RULES_EVERY_MS 5000
/* Values of this many labels are kept for completion. */
#define SOURCE_VALUE_CACHE 8

struct source {
    struct api_client *client;
    int64_t min_step_ms;        /* the server's shortest scrape interval
                                 * (its targets', else its global one),
                                 * or 0 when not known; follows each
                                 * targets answer */
    int64_t global_interval_ms; /* its global scrape_interval, or 0 */
    struct ui *ui;              /* explore's answers go here; NULL: none */

    struct api_targets targets; /* the last /api/v1/targets answer */
    bool have_targets;
    bool targets_new;           /* an answer came since the view took it */
    char *targets_error;        /* why the last one failed, or NULL */
    struct api_req *targets_req;

    struct api_strings names;   /* /api/v1/labels, for completion */
    int64_t names_at;           /* when they were asked for */
    struct api_req *names_req;
    struct {
        char *label;
        struct api_strings values;
        int64_t at;
    } values[SOURCE_VALUE_CACHE];
    struct api_req *values_req;
    char *values_label;         /* the label values_req asks for */
    bool names_redraw;          /* names came and explore took a Tab
                                 * with them: draw the screen now */

    /* For the alerts and rules views: the last answers, or why not. */
    struct api_alerts alerts;
    bool have_alerts;
    char *alerts_error;
    struct api_req *alerts_req;
    struct api_groups rules;
    bool have_rules;
    char *rules_error;
    struct api_req *rules_req;
    int64_t rules_next;         /* when both are asked for again */

    struct api_req *explore_req;
    char *banner;               /* the last banner text, owned */
};

/*
 * Builds the client for cli->source (or, for attach without one, the
 * default socket $XDG_RUNTIME_DIR/promdeck/promdeck.sock) with the
 * settings of cli->source_config, on fetcher f. Then asks the server for
 * its config and its targets (at most 3 s; a server that is down is no
 * error here: the loop shows it) for the shortest scrape interval, the
 * smallest step worth asking for. Returns 0, or 2 after printing why
 * not.
 */
int source_open(struct source *s, const struct cli *cli, struct fetch *f);
/* Cancels everything and frees what s holds; s may be opened again. */
void source_close(struct source *s);

/* Asks for /api/v1/targets unless a request is in flight. */
void source_poll_targets(struct source *s);
/*
 * Ask for /api/v1/alerts and /api/v1/rules unless a request is in
 * flight; the answers replace alerts and rules (have_alerts, have_rules)
 * or set alerts_error and rules_error: for a 404 (Thanos Query, Mimir's
 * querier without the ruler) "this server has no /api/v1/alerts (HTTP
 * 404)", so the view can say so.
 */
void source_poll_alerts(struct source *s);
void source_poll_rules(struct source *s);
/* Both of the above, when SOURCE_RULES_EVERY_MS has passed since they
 * were last asked for (at once the first time). */
void source_poll_rule_views(struct source *s, int64_t now);
/*
 * Runs expr for explore: a range query over range_ms up to now by step
 * when it parses as a vector or scalar, else an instant query at now; the
 * answer goes to ui_explore_result when it comes. A previous one still in
 * flight is dropped.
 */
void source_explore(struct source *s, const char *expr, int64_t now,
                    int64_t range_ms, int64_t step_ms);
/* explore's complete_fn on ctx = the source: names kept from the server
 * (asked for again when a minute old or never asked). When they come,
 * a Tab that found none while they were on their way is answered
 * (ui_explore_names_arrived) and names_redraw set. */
size_t source_complete(void *ctx, const char *label, const char ***out);
/* explore's pending on ctx = the source: whether label names or values
 * are on their way. */
bool source_names_pending(void *ctx);
/* Asks for the label and metric names now, so that the first Tab has
 * them. */
void source_prefetch_names(struct source *s);
/* The banner while the server cannot be reached ("promdeck serve at
 * unix:/run/... unreachable: connection refused", then "; retrying"
 * while the screen is up), or NULL. Valid until the next call. */
const char *source_banner(struct source *s, bool attach);
/*
 * Pumps f until pending(ctx) is 0, or deadline_ms (real time) passes, or
 * a SIGINT: for --once and start-up. True when nothing is pending.
 */
bool source_wait(struct fetch *f, int64_t deadline_ms,
                 size_t (*pending)(const void *ctx), const void *ctx);

#endif
