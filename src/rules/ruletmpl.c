/*
 * Rule templates as Prometheus's rules/alerting.go and rulefmt build them:
 * the user's text is appended to four variable definitions and parsed as
 * one template, so line numbers and columns in errors are the ones
 * Prometheus prints. The engine itself is template.c; this file only
 * frames the text and words the errors.
 */
#include "src/rules/ruletmpl.h"

#include <stdio.h>
#include <stdlib.h>

#include "src/base/xalloc.h"

/* What Prometheus puts before every rule template (one line, no newline:
 * the user's line 1 is the template's line 1). */
static const char defs[] =
    "{{$labels := .Labels}}"
    "{{$externalLabels := .ExternalLabels}}"
    "{{$externalURL := .ExternalURL}}"
    "{{$value := .Value}}";

struct tmpl *
ruletmpl_parse(const char *alert, const char *text, char *err,
               size_t errsize)
{
    char *name = xasprintf("__alert_%s", alert);
    char *full = xasprintf("%s%s", defs, text);
    struct diag d;
    struct tmpl *t = tmpl_parse(name, full, &d);

    /* text/template's parse errors: "template: NAME:LINE: msg" */
    if (t == NULL)
        snprintf(err, errsize, "template: %s:%d: %s", name, d.line, d.msg);
    free(full);
    free(name);
    return t;
}

int
ruletmpl_expand(const struct tmpl *t, const char *alert,
                const struct tmpl_data *data, struct buf *out)
{
    struct buf tmp;
    struct diag d;
    int rc;

    buf_init(&tmp, 0);
    rc = tmpl_exec(t, data, &tmp, &d);
    if (rc == 0) {
        buf_append(out, tmp.data, tmp.len);
    } else {
        /*
         * Go's ExecError: "template: NAME:LINE:COL: executing ...", its
         * column counted from 0 where the diag counts from 1; Expand
         * wraps it and drops what was written before the failure.
         */
        buf_printf(out, "<error expanding template: error executing "
                   "template __alert_%s: template: __alert_%s:%d:%d: %s>",
                   alert, alert, d.line, d.col > 0 ? d.col - 1 : 0, d.msg);
    }
    buf_fini(&tmp);
    return rc;
}
