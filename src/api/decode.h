/*
 * The "data" of Prometheus HTTP API answers (as src/api/client.h hands
 * it over) into promdeck's own types: query results into query/value.h's
 * qresult, exactly as the local evaluator would make them (times in ms
 * read from the decimal text, values read as Prometheus writes them:
 * "NaN", "+Inf", "-Inf", shortest round-trip decimals); label lists; the
 * targets, alerts, rules and metadata endpoints into plain structs; the
 * scrape_interval of /api/v1/status/config. Pure: no I/O.
 *
 * Ownership: every decode function returns 0 and fills an out value the
 * caller owns (qresults with qresult_free, the structs with their _fini),
 * or -1 with *err, a malloc'd "what is wrong" text, and nothing to free.
 * Strings of the structs live in the struct's own arena.
 */
#ifndef API_DECODE_H
#define API_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/value.h"
#include "src/base/arena.h"
#include "src/base/yaml.h"
#include "store/labels.h"

/* /api/v1/query and /api/v1/query_range: vector, matrix, scalar or
 * string, as resultType says. */
int api_decode_result(const struct yaml_node *data, struct qresult **out,
                      char **err);

/* A list of strings: /api/v1/labels and /api/v1/label/NAME/values. */
struct api_strings {
    char **v;
    size_t n;
    struct arena *arena;
};
int api_decode_strings(const struct yaml_node *data, struct api_strings *out,
                       char **err);
void api_strings_fini(struct api_strings *s);

/* One active target of /api/v1/targets. */
struct api_target {
    const char *job;            /* scrapePool */
    const char *instance;       /* labels.instance, or "" */
    const char *url;            /* scrapeUrl */
    const char *health;         /* "up", "down" or "unknown" */
    const char *last_error;     /* "" when none */
    int64_t last_scrape_ms;     /* 0: never */
    double last_duration_s;
    int64_t interval_ms;        /* scrapeInterval, 0 when not given */
    struct labels labels, discovered;
};
/* A dropped target: only its labels before relabelling. */
struct api_dropped {
    struct labels discovered;
};
struct api_targets {
    struct api_target *active;
    size_t nactive;
    struct api_dropped *dropped;
    size_t ndropped;
    struct arena *arena;
};
int api_decode_targets(const struct yaml_node *data, struct api_targets *out,
                       char **err);
void api_targets_fini(struct api_targets *t);

/* One alert, of /api/v1/alerts or inside an alerting rule. */
struct api_alert {
    struct labels labels, annotations;
    const char *state;          /* "pending" or "firing" */
    int64_t active_at_ms;       /* 0: not given */
    int64_t keep_firing_since_ms;   /* keepFiringSince; 0: not kept */
    double value;
};
struct api_alerts {
    struct api_alert *v;
    size_t n;
    struct arena *arena;
};
int api_decode_alerts(const struct yaml_node *data, struct api_alerts *out,
                      char **err);
void api_alerts_fini(struct api_alerts *a);

/* One rule of /api/v1/rules. */
struct api_rule {
    bool alerting;              /* type "alerting", else "recording" */
    const char *name;
    const char *query;
    const char *health;         /* "ok", "err" or "unknown" */
    const char *last_error;     /* "" when none */
    double duration_s;          /* "for" of an alerting rule */
    double keep_firing_for_s;   /* keepFiringFor of an alerting rule */
    const char *state;          /* alerting: "inactive", "pending" or
                                 * "firing"; recording: "" */
    struct labels labels, annotations;
    struct api_alert *alerts;
    size_t nalerts;
    double eval_s;              /* evaluationTime */
    int64_t last_eval_ms;       /* 0: never */
};
struct api_group {
    const char *name;
    const char *file;
    double interval_s;
    double eval_s;              /* evaluationTime of its last round */
    int64_t last_eval_ms;       /* 0: never */
    struct api_rule *rules;
    size_t nrules;
};
struct api_groups {
    struct api_group *v;
    size_t n;
    struct arena *arena;
};
int api_decode_rules(const struct yaml_node *data, struct api_groups *out,
                     char **err);
void api_groups_fini(struct api_groups *g);

/* /api/v1/metadata: the first entry given for each metric. */
struct api_metadata {
    const char *metric;
    const char *type;           /* "counter", "gauge", ... */
    const char *help;
    const char *unit;
};
struct api_metadata_list {
    struct api_metadata *v;
    size_t n;
    struct arena *arena;
};
int api_decode_metadata(const struct yaml_node *data,
                        struct api_metadata_list *out, char **err);
void api_metadata_fini(struct api_metadata_list *m);

/*
 * The global scrape_interval of /api/v1/status/config's YAML, in ms;
 * Prometheus's default 1m when the file does not set it. -1 with *err
 * when data is not such an answer.
 */
int api_decode_scrape_interval(const struct yaml_node *data, int64_t *ms,
                               char **err);

/* A sample value as Prometheus writes it; -1 when it is not one. */
int api_decode_value(const char *s, double *v);

#endif
