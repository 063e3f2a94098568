/*
 * The bodies of Prometheus 2.42's HTTP API, byte for byte: a query's
 * result (/api/v1/query and /api/v1/query_range), and the error body every
 * endpoint answers with. `promdeck query -o json` prints the same bodies,
 * so the command and the server cannot drift apart.
 */
#ifndef API_APIJSON_H
#define API_APIJSON_H

#include "query/value.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "store/labels.h"

/* {"status":"success","data":{"resultType":...,"result":...}}, no
 * newline. */
void api_json_result(const struct qresult *r, struct buf *out);
/*
 * {"status":"error","errorType":type,"error":error}, no newline, in the
 * order Prometheus's response struct has them (data and warnings are
 * left out when empty).
 */
void api_json_error(struct buf *out, const char *type, const char *error);
/*
 * s as a JSON string the way Go's encoding/json writes one: besides RFC
 * 8259's escapes, <, > and & as \u003c, \u003e and \u0026, and U+2028
 * and U+2029 escaped.
 */
void api_json_go_string(struct buf *out, const char *s);
/* A label set (sorted) as Go writes a labels.Labels: an object, names
 * in order, strings as api_json_go_string writes them. */
void api_json_labels(struct buf *out, const struct labels *ls);
/*
 * How the API words a parameter that does not parse as PromQL:
 * "invalid parameter \"query\": 1:5: parse error: MSG" (line and byte
 * column of the error's start, both from 1). Type errors are parse
 * errors there too. The caller frees the string.
 */
char *api_parse_error_text(const char *param, const struct diag *d);

#endif
