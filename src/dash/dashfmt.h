/*
 * How a template variable's value is written into a query: Grafana's
 * format options (${var:csv}, ${var:regex}, ${var:pipe}, ...) and, with
 * no option, what Grafana's Prometheus data source writes (a PromQL
 * string's escapes, or a regex for multi-value and All). It knows the
 * values only, not where they come from.
 *
 * Ownership: everything is borrowed for the call; output goes to a buf
 * the caller owns.
 */
#ifndef DASH_DASHFMT_H
#define DASH_DASHFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "src/base/buf.h"

/* The values a variable reference stands for. */
struct dashfmt_value {
    const char *name;           /* the variable's name (distributed,
                                 * queryparam) */
    const char *const *v;       /* the values ... */
    size_t n;                   /* ... and how many */
    bool list;                  /* a list (multi-value or All), as Grafana
                                 * passes an array to a format */
    bool regex;                 /* without a format, written as a regex:
                                 * escaped, several as (a|b) */
    bool all;                   /* All is selected (the text format says
                                 * "All") */
};

/*
 * Appends val in format fmt[0..len): csv, distributed, doublequote,
 * glob, html, json, lucene, percentencode, pipe, queryparam, raw, regex,
 * singlequote, sqlstring or text, as Grafana's documentation describes
 * them; an unknown format is glob, as in Grafana. len 0: the Prometheus
 * default (a string's \ and " escaped; with regex, regex metacharacters
 * escaped too and several values as (a|b), no values as .*).
 */
void dashfmt_write(struct buf *out, const struct dashfmt_value *val,
                   const char *fmt, size_t len);

#endif
