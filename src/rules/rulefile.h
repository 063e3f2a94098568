/*
 * Rule files as Prometheus 2.42 reads them: groups of recording and alerting
 * rules, every key checked, every expression compiled at load, and the
 * checks promtool check rules makes (names, labels, repeated groups); the
 * label and annotation templates of alerting rules are parsed at load. It
 * does not evaluate rules (src/rules/group.h) or expand templates.
 *
 * Ownership: rulefile_load returns a struct rulefile the caller owns and
 * releases with rulefile_free; every string, label set and compiled query
 * reachable from it belongs to it. Errors are written into an array the
 * caller provides; their source is the path the caller passed, borrowed.
 */
#ifndef RULES_RULEFILE_H
#define RULES_RULEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/rules/template.h"
#include "store/labels.h"

enum rule_kind {
    RULE_RECORD,            /* record: writes a series */
    RULE_ALERT              /* alert: pending and firing alerts */
};

struct rule_def {
    enum rule_kind kind;
    char *name;                 /* the record or alert name */
    char *expr;                 /* the expression's text */
    struct query *query;        /* compiled expr */
    int64_t for_ms;             /* alerting rules: how long pending */
    int64_t keep_firing_for_ms; /* alerting rules: how long a firing alert
                                 * stays firing after its condition
                                 * clears (keep_firing_for); 0: not at all */
    struct labels labels;       /* owned, sorted by name */
    struct labels annotations;  /* owned, sorted by name */
    /* alerting rules: the parsed template of each label and annotation,
     * in the order of labels and annotations (owned); NULL otherwise */
    struct tmpl **label_tmpls;
    struct tmpl **annotation_tmpls;
    int line, col;              /* where the rule's mapping starts */
};

struct rule_group_def {
    char *name;
    int64_t interval_ms;        /* the default interval when not given */
    int64_t limit;              /* 0: no limit */
    struct rule_def *rules;
    size_t nrules;
    int line, col;
};

struct rulefile {
    struct rule_group_def *groups;
    size_t ngroups;
};

/*
 * How an error reads in promtool's words (cmd_check prints them that way):
 * RULEFILE_ERR_YAML errors are decoding errors ("field x not found in type
 * rulefmt.Rule"), grouped under one "yaml: unmarshal errors:" line with
 * their line numbers; RULEFILE_ERR_RULE errors are the validation ones,
 * whose message already names the group and rule; RULEFILE_ERR_PLAIN is
 * a read or YAML syntax error whose message stands alone.
 */
enum rulefile_err_kind {
    RULEFILE_ERR_PLAIN,
    RULEFILE_ERR_YAML,
    RULEFILE_ERR_RULE
};

struct rulefile_err {
    enum rulefile_err_kind kind;
    struct diag d;              /* line 0: no position */
};

/*
 * Loads and validates the rule file at path; groups without an interval
 * get default_interval_ms. Returns the file, or NULL with up to maxerrs
 * errors in errs and their count in *nerrs (more errors than fit are
 * dropped; *nerrs stays at maxerrs). As in Prometheus, decoding errors
 * (unknown keys, wrong types) stop the load before validation, and a
 * file with only validation errors reports them all. An empty file is a
 * file with no groups.
 */
struct rulefile *rulefile_load(const char *path, int64_t default_interval_ms,
                               struct rulefile_err *errs, size_t maxerrs,
                               size_t *nerrs);
/* The same for a buffer of len bytes; name labels the errors. */
struct rulefile *rulefile_load_buf(const char *name, const char *text,
                                   size_t len, int64_t default_interval_ms,
                                   struct rulefile_err *errs, size_t maxerrs,
                                   size_t *nerrs);
/* Releases the file; NULL does nothing. */
void rulefile_free(struct rulefile *rf);
/* The number of rules in every group. */
size_t rulefile_nrules(const struct rulefile *rf);

/*
 * Appends the errors as promtool prints them, one line each ending in a
 * newline: "FILE: [L:C: ]msg", the decoding ones gathered under one
 * "FILE: yaml: unmarshal errors:" line ("  line N: msg", and promdeck's
 * "    hint: ..." when there is one).
 */
void rulefile_errors_text(const char *path, const struct rulefile_err *errs,
                          size_t n, struct buf *out);

/*
 * A PromQL parse error as Prometheus words it: "L:C: parse error: MSG".
 * The message is promdeck's own, except that running out of input reads
 * "unexpected end of input" as Prometheus's parser says it.
 */
void rulefile_expr_error(const struct diag *d, struct buf *out);

/* A valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
bool rulefile_valid_metric_name(const char *s);
/* A valid label name ([a-zA-Z_][a-zA-Z0-9_]*). */
bool rulefile_valid_label_name(const char *s);

#endif
