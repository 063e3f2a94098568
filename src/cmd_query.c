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
#include "src/api/apijson.h"
#include "src/base/duration.h"
#include "src/base/json.h"
#include "src/base/xalloc.h"
#include "src/api/decode.h"
#include "src/load.h"
#include "src/source.h"

/* Prometheus writes times as seconds, with a fraction only when needed. */
static void
put_time(struct buf *out, int64_t ms)
{
    json_format_value((double)ms / 1000.0, out);
}

/* An API body (src/api/apijson.h) on stdout, ended by a newline. */
static void
print_body(struct buf *body)
{
    buf_putc(body, '\n');
    fputs(buf_str(body), stdout);
}

/* The error body Prometheus's API sends for the same failure. */
static void
write_json_error(const char *type, const char *error)
{
    struct buf out;

    buf_init(&out, 0);
    api_json_error(&out, type, error);
    print_body(&out);
    buf_fini(&out);
}

/* A query that does not parse, as the API reports it. */
static void
parse_error_json(const struct diag *d)
{
    char *msg = api_parse_error_text("query", d);

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

/* A remote query's answer, for cmd_query_run. */
struct remote_answer {
    struct qresult *r;
    char *error, *type, *server_error;
    bool done;
};

static void
on_answer(void *ctx, const struct api_reply *rep)
{
    struct remote_answer *a = ctx;
    char *err = NULL;

    a->done = true;
    if (rep->error != NULL) {
        a->error = xstrdup(rep->error);
        a->type = xstrdup(rep->error_type != NULL ? rep->error_type
                                                  : "execution");
        a->server_error = xstrdup(rep->server_error != NULL
                                  ? rep->server_error : rep->error);
    } else if (api_decode_result(rep->data, &a->r, &err) < 0) {
        a->error = err;
        a->type = xstrdup("execution");
        a->server_error = xstrdup(err);
    }
}

static size_t
answer_pending(const void *ctx)
{
    return !((const struct remote_answer *)ctx)->done;
}

/*
 * The query on the --source server, as Grafana sends it (a form POST to
 * /api/v1/query or /api/v1/query_range); at most --timeout. NULL with
 * the error printed (and, with -o json, the server's error body).
 */
static struct qresult *
query_remote(const struct cli *cli, struct loop *l)
{
    struct remote_answer a = { 0 };
    struct buf form;

    buf_init(&form, 0);
    api_client_form(&form, "query", cli->expr);
    if (cli->has_range) {
        api_client_form_time(&form, "start", cli->start_ms);
        api_client_form_time(&form, "end", cli->end_ms);
        api_client_form_time(&form, "step", cli->step_ms);
    } else {
        api_client_form_time(&form, "time", cli->has_time ? cli->time_ms
                                                          : time_now_ms());
    }
    api_client_request(l->source->client, cli->has_range
                       ? "/api/v1/query_range" : "/api/v1/query",
                       buf_str(&form), on_answer, &a);
    buf_fini(&form);
    if (!source_wait(scrape_pool_fetch(l->pool), time_now_ms()
                     + cli->timeout_ms, answer_pending, &a)) {
        a.error = xstrdup("no answer within --timeout");
        a.type = xstrdup("timeout");
        a.server_error = xstrdup(a.error);
    }
    if (a.error != NULL) {
        fprintf(stderr, "promdeck: %s: %s\n",
                api_client_url(l->source->client), a.error);
        if (cli->output == CLI_JSON)
            write_json_error(a.type, a.server_error);
    }
    free(a.error);
    free(a.type);
    free(a.server_error);
    return a.r;
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
    if (l->source != NULL) {
        /* The server evaluates, within its own limits. */
        qparse_free(q);
        q = NULL;
        if ((r = query_remote(cli, l)) == NULL)
            return 1;
    } else if ((rc = fill_store(cli, l)) != 0) {
        qparse_free(q);
        return rc;
    } else if ((r = evaluate(cli, l, q, &ctl, &d)) == NULL) {
        qparse_free(q);
        return eval_failed(cli, &ctl, &d);
    }
    buf_init(&out, 0);
    if (cli->output == CLI_JSON) {
        api_json_result(r, &out);
        print_body(&out);
    } else {
        write_text(r, &out);
        fputs(buf_str(&out), stdout);
    }
    buf_fini(&out);
    qresult_free(r);
    qparse_free(q);
    return 0;
}
