/*
 * The query subcommand. Output follows the two references people compare
 * with: promtool's text and the body of /api/v1/query(_range). Errors go
 * to stderr with the caret under the offending span; stdout then stays
 * empty, except that with -o json a failed evaluation also prints the
 * error body Prometheus's API returns. Evaluation keeps Prometheus's
 * budget (--query.max-samples, --query.timeout) and stops on a signal.
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

/* [t,"v"] as in the API's value pairs. */
static void
put_pair(struct buf *out, int64_t t, double v)
{
    buf_putc(out, '[');
    put_time(out, t);
    buf_putc(out, ',');
    json_prom_value(out, v);
    buf_putc(out, ']');
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
        put_pair(out, r->t, r->scalar);
    } else if (r->type == QV_STRING) {
        buf_putc(out, '[');
        put_time(out, r->t);
        buf_putc(out, ',');
        json_string(out, r->string);
        buf_putc(out, ']');
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
    struct buf out;

    if (ctl->stopped == QEVAL_CANCELED) {
        fputs("promdeck: interrupted\n", stderr);
        return 128 + *loop_quit_flag();
    }
    diag_print(stderr, d, cli->expr, strlen(cli->expr));
    if (cli->output != CLI_JSON)
        return 1;
    buf_init(&out, 0);
    buf_printf(&out, "{\"status\":\"error\",\"errorType\":\"%s\","
               "\"error\":", ctl->stopped == QEVAL_TIMEOUT ? "timeout"
                                                          : "execution");
    json_string(&out, d->msg);
    buf_puts(&out, "}\n");
    fputs(buf_str(&out), stdout);
    buf_fini(&out);
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
