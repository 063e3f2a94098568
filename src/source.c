/*
 * The remote data source's side requests: the client set up from the
 * command line, the targets view, explore and its completion, the
 * unreachable-server banner. Each kind of request has at most one in
 * flight, so a slow server is never asked twice for the same thing.
 */
#include "src/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/config/config.h"

/* Completion names older than this are asked for again. */
#define NAMES_TTL_MS 60000
/* How long start-up waits for the server's scrape_interval. */
#define STATUS_WAIT_MS 3000

/* attach's default: the socket promdeck serve listens on. NULL (and a
 * message) without $XDG_RUNTIME_DIR. */
static char *
default_socket(void)
{
    const char *dir = getenv("XDG_RUNTIME_DIR");

    if (dir == NULL || *dir != '/') {
        fprintf(stderr, "promdeck: attach: XDG_RUNTIME_DIR is not set; "
                "give the socket as unix:PATH\n");
        return NULL;
    }
    return xasprintf("%s/promdeck/promdeck.sock", dir);
}

/* Reads --source-config into *cs, printing errors; 0 or 2. */
static int
load_settings(const struct cli *cli, struct config_source *cs)
{
    struct diag errs[20], warns[20];
    size_t nerr = 0, nwarn = 0;
    int rc;

    memset(cs, 0, sizeof(*cs));
    if (cli->source_config == NULL)
        return 0;
    rc = config_load_source(cs, cli->source_config, errs, 20, &nerr, warns,
                            20, &nwarn);
    for (size_t i = 0; i < nwarn; i++)
        config_print_warning(stderr, &warns[i]);
    for (size_t i = 0; i < nerr; i++)
        diag_print(stderr, &errs[i], NULL, 0);
    return rc < 0 ? 2 : 0;
}

/*
 * The targets' shortest scrape interval, when it is below the global one
 * (jobs often scrape faster than the global default says): a step below
 * it would show the same sample twice.
 */
static void
shortest_interval(struct source *s)
{
    s->min_step_ms = s->global_interval_ms;
    for (size_t i = 0; s->have_targets && i < s->targets.nactive; i++) {
        int64_t iv = s->targets.active[i].interval_ms;

        if (iv > 0 && (s->min_step_ms == 0 || iv < s->min_step_ms))
            s->min_step_ms = iv;
    }
}

static void
on_status(void *ctx, const struct api_reply *r)
{
    struct source *s = ctx;
    char *err = NULL;
    int64_t ms;

    if (r->error == NULL
        && api_decode_scrape_interval(r->data, &ms, &err) == 0) {
        s->global_interval_ms = ms;
        shortest_interval(s);
    }
    free(err);
}

static size_t
client_pending(const void *ctx)
{
    return api_client_pending(ctx);
}

int
source_open(struct source *s, const struct cli *cli, struct fetch *f)
{
    struct config_source cs;
    struct api_settings set = { 0 };
    char *sock = NULL, *err = NULL;

    memset(s, 0, sizeof(*s));
    if (load_settings(cli, &cs) != 0) {
        config_source_fini(&cs);
        return 2;
    }
    if (cli->source == NULL && (sock = default_socket()) == NULL) {
        config_source_fini(&cs);
        return 2;
    }
    if (cli->source != NULL && strncmp(cli->source, "unix:", 5) == 0)
        sock = xstrdup(cli->source + 5);
    set.url = sock != NULL ? "http://localhost" : cli->source;
    set.unix_socket = sock;
    set.http = cli->source_config != NULL ? &cs.http : NULL;
    set.headers = (const char *const *)cs.headers;
    set.timeout_ms = cs.timeout_ms;
    s->client = api_client_new(f, &set, &err);
    free(sock);
    config_source_fini(&cs);
    if (s->client == NULL) {
        fprintf(stderr, "promdeck: %s\n", err);
        free(err);
        return 2;
    }
    api_client_request(s->client, "/api/v1/status/config", NULL, on_status,
                       s);
    source_poll_targets(s);
    source_wait(f, time_now_ms() + STATUS_WAIT_MS, client_pending,
                s->client);
    return 0;
}

void
source_close(struct source *s)
{
    api_client_free(s->client);     /* cancels every request */
    api_targets_fini(&s->targets);
    api_alerts_fini(&s->alerts);
    api_groups_fini(&s->rules);
    free(s->alerts_error);
    free(s->rules_error);
    api_strings_fini(&s->names);
    for (size_t i = 0; i < SOURCE_VALUE_CACHE; i++) {
        free(s->values[i].label);
        api_strings_fini(&s->values[i].values);
    }
    free(s->values_label);
    free(s->targets_error);
    free(s->banner);
    memset(s, 0, sizeof(*s));
}

static void
on_targets(void *ctx, const struct api_reply *r)
{
    struct source *s = ctx;
    struct api_targets t;
    char *err = NULL;

    s->targets_req = NULL;
    s->targets_new = true;
    free(s->targets_error);
    s->targets_error = NULL;
    if (r->error != NULL) {
        s->targets_error = xstrdup(r->error);
    } else if (api_decode_targets(r->data, &t, &err) < 0) {
        s->targets_error = err;
    } else {
        api_targets_fini(&s->targets);
        s->targets = t;
        s->have_targets = true;
        shortest_interval(s);
    }
}

void
source_poll_targets(struct source *s)
{
    struct api_req *rq;

    if (s->targets_req != NULL)
        return;
    rq = api_client_request(s->client, "/api/v1/targets?state=active",
                            NULL, on_targets, s);
    if (rq != NULL)
        s->targets_req = rq;
}

/* The error text of a failed alerts or rules request (malloc'd). */
static char *
view_error(const struct api_reply *r, const char *path)
{
    if (r->status == 404)
        return xasprintf("this server has no %s (HTTP 404)", path);
    return xstrdup(r->error);
}

static void
on_alerts(void *ctx, const struct api_reply *r)
{
    struct source *s = ctx;
    struct api_alerts a;
    char *err = NULL;

    s->alerts_req = NULL;
    free(s->alerts_error);
    s->alerts_error = NULL;
    if (r->error != NULL) {
        s->alerts_error = view_error(r, "/api/v1/alerts");
    } else if (api_decode_alerts(r->data, &a, &err) < 0) {
        s->alerts_error = err;
    } else {
        api_alerts_fini(&s->alerts);
        s->alerts = a;
        s->have_alerts = true;
    }
}

static void
on_rules(void *ctx, const struct api_reply *r)
{
    struct source *s = ctx;
    struct api_groups g;
    char *err = NULL;

    s->rules_req = NULL;
    free(s->rules_error);
    s->rules_error = NULL;
    if (r->error != NULL) {
        s->rules_error = view_error(r, "/api/v1/rules");
    } else if (api_decode_rules(r->data, &g, &err) < 0) {
        s->rules_error = err;
    } else {
        api_groups_fini(&s->rules);
        s->rules = g;
        s->have_rules = true;
    }
}

void
source_poll_alerts(struct source *s)
{
    struct api_req *rq;

    if (s->alerts_req == NULL
        && (rq = api_client_request(s->client, "/api/v1/alerts", NULL,
                                    on_alerts, s)) != NULL)
        s->alerts_req = rq;
}

void
source_poll_rules(struct source *s)
{
    struct api_req *rq;

    if (s->rules_req == NULL
        && (rq = api_client_request(s->client, "/api/v1/rules", NULL,
                                    on_rules, s)) != NULL)
        s->rules_req = rq;
}

void
source_poll_rule_views(struct source *s, int64_t now)
{
    if (now < s->rules_next)
        return;
    s->rules_next = now + SOURCE_RULES_EVERY_MS;
    source_poll_alerts(s);
    source_poll_rules(s);
}

static void
on_explore(void *ctx, const struct api_reply *r)
{
    struct source *s = ctx;
    struct qresult *res = NULL;
    struct diag d;
    char *err = NULL;

    s->explore_req = NULL;
    if (s->ui == NULL)
        return;
    diag_clear(&d);
    if (r->error != NULL)
        diag_set(&d, 0, 0, 0, "%s", r->error);
    else if (api_decode_result(r->data, &res, &err) < 0)
        diag_set(&d, 0, 0, 0, "%s", err);
    free(err);
    ui_explore_result(s->ui, res, res == NULL ? &d : NULL);
}

void
source_explore(struct source *s, const char *expr, int64_t now,
               int64_t range_ms, int64_t step_ms)
{
    struct diag d;
    struct query *q;
    struct buf form;
    bool range = false;
    struct api_req *rq;

    /* The type decides range or instant; an expression promdeck cannot
     * parse is the server's to judge (an instant query). */
    diag_clear(&d);
    if ((q = qparse_query(expr, strlen(expr), &d)) != NULL) {
        enum qvalue_type t = qparse_type(q);

        range = t == QV_VECTOR || t == QV_SCALAR;
        qparse_free(q);
    }
    api_client_cancel(s->explore_req);
    s->explore_req = NULL;
    buf_init(&form, 0);
    api_client_form(&form, "query", expr);
    if (range) {
        api_client_form_time(&form, "start", now - range_ms);
        api_client_form_time(&form, "end", now);
        api_client_form_time(&form, "step", step_ms);
    } else {
        api_client_form_time(&form, "time", now);
    }
    rq = api_client_request(s->client, range ? "/api/v1/query_range"
                                             : "/api/v1/query",
                            buf_str(&form), on_explore, s);
    if (rq != NULL)
        s->explore_req = rq;
    buf_fini(&form);
}

/* Names or values came: a Tab waiting for them is taken. (Not after a
 * failure: asking again at once would loop while the server fails.) */
static void
names_came(struct source *s, bool ok)
{
    if (ok && s->ui != NULL && ui_explore_names_arrived(s->ui))
        s->names_redraw = true;
}

bool
source_names_pending(void *ctx)
{
    const struct source *s = ctx;

    return s->names_req != NULL || s->values_req != NULL;
}

static void
on_names(void *ctx, const struct api_reply *r)
{
    struct source *s = ctx;
    struct api_strings got;
    char *err = NULL;

    s->names_req = NULL;
    if (r->error == NULL && api_decode_strings(r->data, &got, &err) == 0) {
        api_strings_fini(&s->names);
        s->names = got;
    }
    free(err);
    names_came(s, err == NULL && r->error == NULL);
}

/* The cache entry for label: its own, else the oldest (emptied). */
static size_t
value_slot(struct source *s, const char *label, bool take)
{
    size_t oldest = 0;

    for (size_t i = 0; i < SOURCE_VALUE_CACHE; i++) {
        if (s->values[i].label != NULL
            && strcmp(s->values[i].label, label) == 0)
            return i;
        if (s->values[i].at < s->values[oldest].at)
            oldest = i;
    }
    if (take) {
        free(s->values[oldest].label);
        api_strings_fini(&s->values[oldest].values);
        s->values[oldest].label = xstrdup(label);
        s->values[oldest].at = 0;
    }
    return take ? oldest : SOURCE_VALUE_CACHE;
}

static void
on_values(void *ctx, const struct api_reply *r)
{
    struct source *s = ctx;
    struct api_strings got;
    char *err = NULL;
    size_t i;

    s->values_req = NULL;
    if (r->error == NULL && api_decode_strings(r->data, &got, &err) == 0) {
        i = value_slot(s, s->values_label, true);
        api_strings_fini(&s->values[i].values);
        s->values[i].values = got;
        s->values[i].at = time_now_ms();
    }
    free(err);
    names_came(s, err == NULL && r->error == NULL);
}

/* Asks for label's values (label NULL: the names) when none are kept or
 * they are old, unless such a request is in flight. */
static void
refresh_names(struct source *s, const char *label, int64_t at)
{
    struct api_req *rq;
    char *path;

    if (time_now_ms() - at < NAMES_TTL_MS)
        return;
    if (label == NULL && s->names_req == NULL) {
        s->names_at = time_now_ms();
        rq = api_client_request(s->client, "/api/v1/labels", NULL,
                                on_names, s);
        if (rq != NULL)
            s->names_req = rq;
    } else if (label != NULL && s->values_req == NULL
               && strspn(label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                         "OPQRSTUVWXYZ0123456789_") == strlen(label)) {
        free(s->values_label);
        s->values_label = xstrdup(label);
        path = xasprintf("/api/v1/label/%s/values", label);
        rq = api_client_request(s->client, path, NULL, on_values, s);
        if (rq != NULL)
            s->values_req = rq;
        free(path);
    }
}

size_t
source_complete(void *ctx, const char *label, const char ***out)
{
    struct source *s = ctx;
    const struct api_strings *l = &s->names;
    size_t i;

    if (label == NULL) {
        refresh_names(s, NULL, s->names_at);
    } else {
        i = value_slot(s, label, false);
        refresh_names(s, label, i < SOURCE_VALUE_CACHE ? s->values[i].at
                                                       : 0);
        i = value_slot(s, label, false);
        l = i < SOURCE_VALUE_CACHE ? &s->values[i].values : NULL;
    }
    *out = xcalloc(l != NULL && l->n > 0 ? l->n : 1, sizeof(**out));
    for (i = 0; l != NULL && i < l->n; i++)
        (*out)[i] = l->v[i];
    return l != NULL ? l->n : 0;
}

void
source_prefetch_names(struct source *s)
{
    refresh_names(s, NULL, s->names_at);
    refresh_names(s, "__name__", 0);
}

const char *
source_banner(struct source *s, bool attach)
{
    const char *down = api_client_down(s->client);

    free(s->banner);
    s->banner = NULL;
    if (down == NULL)
        return NULL;
    s->banner = xasprintf("%s %s unreachable: %s%s",
                          attach ? "promdeck serve at" : "source",
                          api_client_url(s->client), down,
                          s->ui != NULL ? "; retrying" : "");
    return s->banner;
}

bool
source_wait(struct fetch *f, int64_t deadline_ms,
            size_t (*pending)(const void *ctx), const void *ctx)
{
    int64_t now;

    while (pending(ctx) > 0 && (now = time_now_ms()) < deadline_ms) {
        int64_t left = deadline_ms - now;

        fetch_wait(f, -1, left > 250 ? 250 : (int)left, NULL);
        fetch_pump(f);
    }
    return pending(ctx) == 0;
}
