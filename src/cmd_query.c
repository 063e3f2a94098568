/*
 * The query subcommand. Output follows the two references people compare
 * with: promtool's text and the body of /api/v1/query(_range). Errors go
 * to stderr with the caret under the offending span; with -o json stdout
 * gets the error body Prometheus 2.42's API sends for the same failure
 * (web/api/v1/api.go), else it stays empty. Evaluation keeps Prometheus's
 * budget (--query.max-samples, --query.timeout) and stops on a signal.
 */
#include "src/cmd_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/json.h"
#include "src/base/xalloc.h"
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

/*
 * s as a JSON string the way Go's encoding/json (Go 1.19, which built
 * Prometheus 2.42) writes one: besides RFC 8259's escapes it writes <, >
 * and & as \u003c, \u003e and \u0026, and U+2028 and U+2029 escaped.
 */
static void
put_go_string(struct buf *out, const char *s)
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

/*
 * The body of a failed API call: {"status":"error","errorType":T,
 * "error":E}, in the order Prometheus's response struct has them (data
 * and warnings are left out when empty).
 */
static void
write_json_error(const char *type, const char *error)
{
    struct buf out;

    buf_init(&out, 0);
    buf_printf(&out, "{\"status\":\"error\",\"errorType\":\"%s\","
               "\"error\":", type);
    put_go_string(&out, error);
    buf_puts(&out, "}\n");
    fputs(buf_str(&out), stdout);
    buf_fini(&out);
}

/*
 * A query that does not parse, as the API reports it: the parameter
 * wrapped around promql's ParseErr, "1:5: parse error: MSG" (line and
 * byte column of the error's start, both from 1). Type errors are parse
 * errors there too.
 */
static void
parse_error_json(const struct diag *d)
{
    char *msg = xasprintf("invalid parameter \"query\": %d:%d: parse "
                          "error: %s", d->line > 0 ? d->line : 1,
                          d->col > 0 ? d->col : 1, d->msg);

    write_json_error("bad_data", msg);
    free(msg);
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

/*
 * Evaluates q within the budget of --query.max-samples and
 * --query.timeout; SIGINT and SIGTERM (the loop's quit flag) stop it at
 * the evaluator's next safe point.
 */
static struct qresult *
evaluate(const struct cli *cli, struct loop *l, const struct query *q,
         struct qeval_ctl *ctl, struct diag *d)
{
    qeval_ctl_init(ctl);
    ctl->max_samples = cli->query_max_samples;
    ctl->timeout_ms = cli->query_timeout_ms;
    ctl->cancel = loop_quit_flag();
    if (cli->has_range)
        return qeval_range_ctl(q, l->store, NULL, cli->start_ms, cli->end_ms,
                               cli->step_ms, ctl, d);
    return qeval_instant_ctl(q, l->store, cli->has_time ? cli->time_ms
                                                        : time_now_ms(),
                             ctl, d);
}

/*
 * A failed evaluation: the message with its caret on stderr and, with
 * -o json, the body Prometheus's API answers with (errorType "timeout"
 * for a timeout, "execution" for the rest). A signal ends it with
 * 128 + the signal's number and nothing on stdout.
 */
static int
eval_failed(const struct cli *cli, const struct qeval_ctl *ctl,
            const struct diag *d)
{
    if (ctl->stopped == QEVAL_CANCELED) {
        fputs("promdeck: interrupted\n", stderr);
        return 128 + *loop_quit_flag();
    }
    diag_print(stderr, d, cli->expr, strlen(cli->expr));
    if (cli->output == CLI_JSON)     /* returnAPIError's types */
        write_json_error(ctl->stopped == QEVAL_TIMEOUT ? "timeout"
                                                       : "execution", d->msg);
    return 1;
}

int
cmd_query_run(const struct cli *cli, struct loop *l)
{
    struct qeval_ctl ctl;
    struct diag d;
    struct query *q;
    struct qresult *r;
    struct buf out;
    int rc;

    diag_clear(&d);
    d.source = "query";
    if ((q = qparse_query(cli->expr, strlen(cli->expr), &d)) == NULL) {
        diag_print(stderr, &d, cli->expr, strlen(cli->expr));
        if (cli->output == CLI_JSON)
            parse_error_json(&d);
        return 2;
    }
    if ((rc = fill_store(cli, l)) != 0) {
        qparse_free(q);
        return rc;
    }
    if ((r = evaluate(cli, l, q, &ctl, &d)) == NULL) {
        qparse_free(q);
        return eval_failed(cli, &ctl, &d);
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
