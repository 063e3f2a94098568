/*
 * The templates of one alerting rule's labels and annotations, parsed and
 * expanded the way Prometheus 2.42's rules do it: the text runs after four
 * definitions ($labels, $externalLabels, $externalURL, $value) under the
 * name __alert_NAME, and an expansion that fails yields Prometheus's
 * "<error expanding template: ...>" text instead of the value.
 *
 * Ownership: ruletmpl_parse's result belongs to the caller (tmpl_free).
 */
#ifndef RULES_RULETMPL_H
#define RULES_RULETMPL_H

#include <stddef.h>

#include "src/base/buf.h"
#include "src/rules/template.h"

/*
 * Parses text as a template of the alerting rule alert. NULL on a syntax
 * error, with Go's message in err ("template: __alert_A:1: unclosed
 * action", as promtool check rules prints it).
 */
struct tmpl *ruletmpl_parse(const char *alert, const char *text, char *err,
                            size_t errsize);
/*
 * Appends t expanded for data to out; on an execution error appends
 * "<error expanding template: error executing template __alert_A:
 * template: ...>" (what Prometheus puts in the label or annotation).
 * Returns 0, or -1 after an error.
 */
int ruletmpl_expand(const struct tmpl *t, const char *alert,
                    const struct tmpl_data *data, struct buf *out);

#endif
