/*
 * Query results and errors as the Prometheus API writes them
 * (web/api/v1/api.go and its jsoniter encoders): samples as [t,"v"],
 * scalars and strings as [t,"v"] with t in seconds, labels as an object.
 */
#include "src/api/apijson.h"

#include <stdlib.h>

#include "src/base/json.h"
#include "src/base/xalloc.h"
#include "store/labels.h"

/* [t,"v"] as the API writes a sample (jsonutil's MarshalTimestamp and
 * MarshalValue). */
static void
put_pair(struct buf *out, int64_t t, double v)
{
    buf_putc(out, '[');
    json_time_ms(out, t);
    buf_putc(out, ',');
    json_prom_value(out, v);
    buf_putc(out, ']');
}

/* [t,"v"] as the API writes a scalar or string result: Go's encoding/json
 * on t/1000, and a scalar's value in FormatFloat(v, 'f', -1, 64). */
static void
put_scalar(struct buf *out, int64_t t, const double *v, const char *str)
{
    buf_putc(out, '[');
    json_number(out, (double)t / 1000.0);
    buf_puts(out, v != NULL ? ",\"" : ",");
    if (v != NULL)
        json_format_value(*v, out);
    else
        json_string(out, str);
    buf_puts(out, v != NULL ? "\"]" : "]");
}

static void
put_series(struct buf *out, const struct qresult *r, const struct qseries *s)
{
    buf_puts(out, "{\"metric\":");
    labels_json(&s->labels, out);
    if (r->type == QV_VECTOR) {
        buf_puts(out, ",\"value\":");
        put_pair(out, s->points[0].t, s->points[0].v);
    } else {
        buf_puts(out, ",\"values\":[");
        for (size_t k = 0; k < s->npoints; k++) {
            if (k > 0)
                buf_putc(out, ',');
            put_pair(out, s->points[k].t, s->points[k].v);
        }
        buf_putc(out, ']');
    }
    buf_putc(out, '}');
}

void
api_json_result(const struct qresult *r, struct buf *out)
{
    static const char *const types[] = {
        [QV_SCALAR] = "scalar", [QV_VECTOR] = "vector",
        [QV_MATRIX] = "matrix", [QV_STRING] = "string",
    };

    buf_printf(out, "{\"status\":\"success\",\"data\":{\"resultType\":"
               "\"%s\",\"result\":", types[r->type]);
    if (r->type == QV_SCALAR) {
        put_scalar(out, r->t, &r->scalar, NULL);
    } else if (r->type == QV_STRING) {
        put_scalar(out, r->t, NULL, r->string);
    } else {
        buf_putc(out, '[');
        for (size_t i = 0; i < r->nseries; i++) {
            if (i > 0)
                buf_putc(out, ',');
            put_series(out, r, &r->series[i]);
        }
        buf_putc(out, ']');
    }
    buf_puts(out, "}}");
}

void
api_json_go_string(struct buf *out, const char *s)
{
    struct buf b;

    buf_init(&b, 0);
    json_string(&b, s);
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];

        if (c == '<' || c == '>' || c == '&') {
            buf_printf(out, "\\u%04x", c);
        } else if (c == 0xe2 && i + 2 < b.len
                   && (unsigned char)b.data[i + 1] == 0x80
                   && ((unsigned char)b.data[i + 2] & 0xfe) == 0xa8) {
            buf_printf(out, "\\u%04x", 0x2028 + (b.data[i + 2] & 1));
            i += 2;
        } else {
            buf_putc(out, (char)c);
        }
    }
    buf_fini(&b);
}

void
api_json_labels(struct buf *out, const struct labels *ls)
{
    buf_putc(out, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (i > 0)
            buf_putc(out, ',');
        api_json_go_string(out, ls->v[i].name);
        buf_putc(out, ':');
        api_json_go_string(out, ls->v[i].value);
    }
    buf_putc(out, '}');
}

void
api_json_error(struct buf *out, const char *type, const char *error)
{
    buf_printf(out, "{\"status\":\"error\",\"errorType\":\"%s\","
               "\"error\":", type);
    api_json_go_string(out, error);
    buf_putc(out, '}');
}

char *
api_parse_error_text(const char *param, const struct diag *d)
{
    return xasprintf("invalid parameter \"%s\": %d:%d: parse error: %s",
                     param, d->line > 0 ? d->line : 1,
                     d->col > 0 ? d->col : 1, d->msg);
}
