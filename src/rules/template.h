/*
 * Templates of alerting rules: Prometheus's template language (Go's
 * text/template with Prometheus's function map) for annotations and
 * labels. A template sees $labels, $externalLabels, $externalURL and
 * $value, as Prometheus defines them before expanding a rule's text.
 * It does not do html/template's contextual escaping.
 *
 * Ownership: tmpl_parse's result belongs to the caller (tmpl_free). The
 * data given to tmpl_exec is borrowed for the call only; a result the
 * query callback returns belongs to the template run, which frees it.
 */
#ifndef RULES_TEMPLATE_H
#define RULES_TEMPLATE_H

#include <stdint.h>

#include "query/value.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "store/labels.h"

struct tmpl;   /* a parsed template */

struct tmpl_data {                 /* what a rule template sees */
    const struct labels *labels;   /* $labels / .Labels */
    const struct labels *external_labels; /* $externalLabels */
    const char *external_url;      /* $externalURL */
    double value;                  /* $value / .Value */
    /* for the query function; NULL: query is an error */
    struct qresult *(*query)(void *ctx, const char *expr, struct diag *d);
    void *query_ctx;
    int64_t time_ms;               /* evaluation time */
};

/*
 * Parses text as the template called name (name is copied). NULL on a
 * syntax error, with d set to Go's message and the line and column of the
 * offending token in text, e.g. `unexpected "}" in operand`.
 */
struct tmpl *tmpl_parse(const char *name, const char *text, struct diag *d);
/*
 * Expands t for data, appending to out. Returns 0, or -1 with d set to
 * the line and column of the failing action and Go's message, e.g.
 * `executing "name" at <humanize "x">: error calling humanize: ...`;
 * out then holds what was written before the failure. A query callback
 * that returns NULL must fill its diag; a string or matrix result is an
 * error, a scalar reads as one sample without labels.
 */
int tmpl_exec(const struct tmpl *t, const struct tmpl_data *data,
              struct buf *out, struct diag *d);
/* Releases t; tmpl_free(NULL) does nothing. */
void tmpl_free(struct tmpl *t);

#endif
