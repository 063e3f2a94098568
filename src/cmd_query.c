/*
 * The query subcommand. Output follows the two references people compare
 * with: promtool's text and the body of /api/v1/query(_range). Errors go
 * to stderr with the caret under the offending span; stdout then stays
 * empty.
 */
#include "src/cmd_query.h"

#include <stdio.h>
#include <string.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/json.h"
#include "src/load.h"

/* Prometheus writes times as seconds, with a fraction only when needed. */
static void
put_time(struct buf *out, int64_t ms)
{
    json_format_value((double)ms / 1000.0, out);
}

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
write_json(const struct qresult *r, struct buf *out)
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
            const struct qseries *s = &r->series[i];

            buf_puts(out, i ? ",{\"metric\":" : "{\"metric\":");
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
        buf_putc(out, ']');
    }
    buf_puts(out, "}}\n");
}

/* promtool's layout: one line per series; ranges list "value @time". */
static void
write_text(const struct qresult *r, struct buf *out)
{
    if (r->type == QV_SCALAR || r->type == QV_STRING) {
        if (r->type == QV_SCALAR)
            json_format_value(r->scalar, out);
        else
            buf_puts(out, r->string);
        buf_putc(out, '\n');
        return;
    }
    for (size_t i = 0; i < r->nseries; i++) {
        const struct qseries *s = &r->series[i];

        labels_format(&s->labels, out);
        if (r->type == QV_VECTOR) {
            buf_putc(out, ' ');
            json_format_value(s->points[0].v, out);
            buf_putc(out, '\n');
            continue;
        }
        buf_putc(out, '\n');
        for (size_t k = 0; k < s->npoints; k++) {
            buf_puts(out, "  ");
            json_format_value(s->points[k].v, out);
            buf_puts(out, " @");
            put_time(out, s->points[k].t);
            buf_putc(out, '\n');
        }
    }
}

/* Fills the store from --load files or by scraping; 0 or exit status. */
static int
fill_store(const struct cli *cli, struct loop *l)
{
    int64_t now = time_now_ms();

    for (int i = 0; i < cli->nload; i++) {
        struct diag d;
        size_t n;

        diag_clear(&d);
        d.source = cli->load[i];
        if (load_file(l->store, cli->load[i], now, &n, &d) < 0) {
            diag_print(stderr, &d, NULL, 0);
            return 1;
        }
    }
    if (cli->nload == 0 && !loop_collect(l))
        return 1;
    return 0;
}

int
cmd_query_run(const struct cli *cli, struct loop *l)
{
    struct diag d;
    struct query *q;
    struct qresult *r;
    struct buf out;
    int rc;

    diag_clear(&d);
    d.source = "query";
    if ((q = qparse_query(cli->expr, strlen(cli->expr), &d)) == NULL) {
        diag_print(stderr, &d, cli->expr, strlen(cli->expr));
        return 2;
    }
    if ((rc = fill_store(cli, l)) != 0) {
        qparse_free(q);
        return rc;
    }
    r = cli->has_range
        ? qeval_range(q, l->store, cli->start_ms, cli->end_ms, cli->step_ms,
                      &d)
        : qeval_instant(q, l->store, cli->has_time ? cli->time_ms
                                                   : time_now_ms(), &d);
    if (r == NULL) {
        diag_print(stderr, &d, cli->expr, strlen(cli->expr));
        qparse_free(q);
        return 1;
    }
    buf_init(&out, 0);
    if (cli->output == CLI_JSON)
        write_json(r, &out);
    else
        write_text(r, &out);
    fputs(buf_str(&out), stdout);
    buf_fini(&out);
    qresult_free(r);
    qparse_free(q);
    return 0;
}
