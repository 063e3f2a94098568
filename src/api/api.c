/*
 * The API's router and its query endpoints. A query is parsed without
 * any lock, then evaluated and written out with the store pinned (the
 * result's labels point into the store; store/store.h), then sent. The
 * store's read calls lock for themselves, so the scrapes' write batches
 * slip in between them rather than wait for a whole evaluation. At most
 * max_concurrency evaluations run at once, as Prometheus's
 * --query.max-concurrency; others wait their turn, which is what keeps
 * a burst of heavy queries from taking every core from the scrapes.
 */
#include "src/api/api.h"

#include <pthread.h>
#include <ctype.h>
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "query/query.h"
#include "src/api/api_meta.h"
#include "src/api/api_tsdb.h"
#include "src/api/apijson.h"
#include "src/api/gzip.h"
#include "src/api/reply.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"

/* Prometheus refuses ranges of more points than this per series. */
#define MAX_POINTS 11000
/* How much nicer than the loop thread a thread evaluating queries runs:
 * on a busy machine the scrapes get the CPU first. */
#define EVAL_NICE 5
/* How long /-/reload waits for the loop thread's answer. */
#define RELOAD_WAIT_S 60

/* Upper bounds of the query duration histogram, seconds. */
static const double buckets[] = {
    0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60,
};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct api {
    struct store *st;
    struct api_limits lim;
    sem_t slots;                    /* evaluations that may run */
    volatile sig_atomic_t cancel;   /* set once at shutdown */
    pthread_mutex_t mu;             /* guards everything below */
    char *doc[API_DOC_COUNT];
    bool ready;
    /* /-/reload: asked counts requests, done answers. */
    pthread_cond_t reloaded;
    uint64_t reload_asked, reload_done;
    char *reload_error;
    /* the API's own metrics */
    uint64_t requests[2];           /* instant, range */
    uint64_t hist[2][NBUCKETS + 1];
    double seconds[2];
    /* exporters' paths; fixed before serving, so read without mu */
    struct expose {
        const char *path;
        api_expose_fn fn;
        void *ctx;
        pthread_mutex_t mu;         /* one call at a time */
    } expose[API_MAX_EXPOSE];
    size_t nexpose;
};

static const char *const empty_docs[API_DOC_COUNT] = {
    [API_DOC_TARGETS] = "{\"activeTargets\":[],\"droppedTargets\":[]}",
    [API_DOC_RULES] = "{\"groups\":[]}",
    [API_DOC_RULES_ALERT] = "{\"groups\":[]}",
    [API_DOC_RULES_RECORD] = "{\"groups\":[]}",
    [API_DOC_ALERTS] = "{\"alerts\":[]}",
    [API_DOC_METADATA] = "{}",
    [API_DOC_CONFIG] = "{\"yaml\":\"\"}",
    [API_DOC_FLAGS] = "{}",
    [API_DOC_RUNTIME] = "{}",
    [API_DOC_METRICS] = "",
};

struct api *
api_new(struct store *st, const struct api_limits *lim)
{
    struct api *a = xcalloc(1, sizeof(*a));

    a->st = st;
    a->lim = *lim;
    if (a->lim.max_concurrency == 0)
        a->lim.max_concurrency = 20;
    if (a->lim.max_samples <= 0)
        a->lim.max_samples = QEVAL_MAX_SAMPLES;
    sem_init(&a->slots, 0, a->lim.max_concurrency);
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->reloaded, NULL);
    for (int i = 0; i < API_DOC_COUNT; i++)
        a->doc[i] = xstrdup(empty_docs[i]);
    return a;
}

void
api_free(struct api *a)
{
    if (a == NULL)
        return;
    for (int i = 0; i < API_DOC_COUNT; i++)
        free(a->doc[i]);
    for (size_t i = 0; i < a->nexpose; i++)
        pthread_mutex_destroy(&a->expose[i].mu);
    free(a->reload_error);
    pthread_cond_destroy(&a->reloaded);
    pthread_mutex_destroy(&a->mu);
    sem_destroy(&a->slots);
    free(a);
}

void
api_publish(struct api *a, enum api_doc doc, const char *text)
{
    char *copy = xstrdup(text);

    pthread_mutex_lock(&a->mu);
    free(a->doc[doc]);
    a->doc[doc] = copy;
    pthread_mutex_unlock(&a->mu);
}

void
api_set_ready(struct api *a)
{
    pthread_mutex_lock(&a->mu);
    a->ready = true;
    pthread_mutex_unlock(&a->mu);
}

void
api_cancel(struct api *a)
{
    a->cancel = 1;
    /* Wake a /-/reload waiter: nobody will reload any more. */
    api_reload_done(a, "promdeck is shutting down");
}

/* A published document as the data of a success reply. */
static void
reply_doc(struct api *a, enum api_doc doc, struct http_response *rs)
{
    pthread_mutex_lock(&a->mu);
    reply_data(rs, a->doc[doc]);
    pthread_mutex_unlock(&a->mu);
}

/* --- queries ------------------------------------------------------------ */

static void
record(struct api *a, int kind, double secs)
{
    size_t b = 0;

    while (b < NBUCKETS && secs > buckets[b])
        b++;
    pthread_mutex_lock(&a->mu);
    a->requests[kind]++;
    a->hist[kind][b]++;
    a->seconds[kind] += secs;
    pthread_mutex_unlock(&a->mu);
}

/* Parses the query parameter; NULL after replying 400. */
static struct query *
parse_param(const struct api_params *p, struct http_response *rs)
{
    const char *text = api_params_get(p, "query");
    struct query *q;
    struct diag d;

    if (text == NULL)
        text = "";
    diag_clear(&d);
    if (text[strspn(text, " \t\r\n")] == '\0') {
        /* Clients test for Prometheus's words for this one. */
        reply_error(rs, "bad_data", "invalid parameter \"query\": 1:1: "
                    "parse error: no expression found in input");
        return NULL;
    }
    if ((q = qparse_query(text, strlen(text), &d)) == NULL) {
        char *msg = api_parse_error_text("query", &d);

        reply_error(rs, "bad_data", "%s", msg);
        free(msg);
    }
    return q;
}

/* The timeout parameter, capped by --query.timeout; false after 400. */
static bool
timeout_param(const struct api *a, const struct api_params *p,
              struct http_response *rs, int64_t *ms)
{
    const char *v = api_params_get(p, "timeout");
    char err[256];

    *ms = a->lim.timeout_ms;
    if (v == NULL || *v == '\0')
        return true;
    if (api_parse_duration(v, ms, err, sizeof(err)) < 0) {
        reply_error(rs, "bad_data", "invalid parameter \"timeout\": %s",
                    err);
        return false;
    }
    if (a->lim.timeout_ms > 0 && (*ms <= 0 || *ms > a->lim.timeout_ms))
        *ms = a->lim.timeout_ms;
    return true;
}

/* What one evaluation asks for. */
struct eval_req {
    bool range;
    int64_t t, start, end, step, timeout_ms;
};

/*
 * Lowers the calling thread's priority once (Linux nice values are per
 * thread), so evaluations yield the CPU to the loop thread's scrapes.
 * Failing changes nothing but the priority.
 */
static void
be_nice(void)
{
    static _Thread_local bool done;
    pid_t tid = gettid();

    if (done)
        return;
    done = true;
    setpriority(PRIO_PROCESS, (id_t)tid,
                getpriority(PRIO_PROCESS, (id_t)tid) + EVAL_NICE);
}

/* The errorType of a failed evaluation, as Prometheus's
 * returnAPIError picks it: too many samples is an execution error. */
static const char *
error_type(const struct qeval_ctl *ctl)
{
    return ctl->stopped == QEVAL_TIMEOUT ? "timeout"
           : ctl->stopped == QEVAL_CANCELED ? "canceled" : "execution";
}

/*
 * Evaluates with the store pinned and writes the body, within the
 * budget: --query.max-samples, the request's timeout (at most
 * --query.timeout) and the shutdown flag.
 */
static void
evaluate(struct api *a, const struct query *q, const struct eval_req *e,
         struct http_response *rs)
{
    double t0 = time_mono_s();
    struct qeval_ctl ctl;
    struct qresult *r;
    struct diag d;

    diag_clear(&d);
    qeval_ctl_init(&ctl);
    ctl.max_samples = a->lim.max_samples;
    ctl.timeout_ms = e->timeout_ms;
    ctl.cancel = &a->cancel;
    be_nice();
    while (sem_wait(&a->slots) != 0 && errno == EINTR)
        ;
    store_read_lock(a->st);
    r = e->range ? qeval_range_ctl(q, a->st, NULL, e->start, e->end,
                                   e->step, &ctl, &d)
                 : qeval_instant_ctl(q, a->st, e->t, &ctl, &d);
    if (r != NULL) {
        rs->status = 200;
        rs->content_type = "application/json";
        api_json_result(r, &rs->body);
    }
    store_read_unlock(a->st);
    sem_post(&a->slots);
    if (r == NULL)
        reply_error(rs, error_type(&ctl), "%s", d.msg);
    qresult_free(r);
    record(a, e->range, time_mono_s() - t0);
}

static void
handle_query(struct api *a, const struct api_params *p,
             struct http_response *rs)
{
    struct eval_req e = { .range = false };
    struct query *q;

    if (!reply_time_param(rs, p, "time", time_now_ms(), &e.t)
        || !timeout_param(a, p, rs, &e.timeout_ms)
        || (q = parse_param(p, rs)) == NULL)
        return;
    evaluate(a, q, &e, rs);
    qparse_free(q);
}

/* One of start, end, step: required, errors as Prometheus words them. */
static bool
range_param(const struct api_params *p, const char *name, bool duration,
            int64_t *ms, struct http_response *rs)
{
    const char *v = api_params_get(p, name);
    char err[256];
    int rc;

    rc = duration ? api_parse_duration(v ? v : "", ms, err, sizeof(err))
                  : api_parse_time(v ? v : "", ms, err, sizeof(err));
    if (rc < 0)
        reply_error(rs, "bad_data", "invalid parameter \"%s\": %s", name,
                    err);
    return rc == 0;
}

static void
handle_query_range(struct api *a, const struct api_params *p,
                   struct http_response *rs)
{
    struct eval_req e = { .range = true };
    struct query *q;

    if (!range_param(p, "start", false, &e.start, rs)
        || !range_param(p, "end", false, &e.end, rs))
        return;
    if (e.end < e.start) {
        reply_error(rs, "bad_data", "invalid parameter \"end\": end "
                    "timestamp must not be before start time");
        return;
    }
    if (!range_param(p, "step", true, &e.step, rs))
        return;
    if (e.step <= 0) {
        reply_error(rs, "bad_data", "invalid parameter \"step\": zero or "
                    "negative query resolution step widths are not "
                    "accepted. Try a positive integer");
        return;
    }
    if ((e.end - e.start) / e.step > MAX_POINTS) {
        reply_error(rs, "bad_data", "exceeded maximum resolution of "
                    "11,000 points per timeseries. Try decreasing the "
                    "query resolution (?step=XX)");
        return;
    }
    if (!timeout_param(a, p, rs, &e.timeout_ms)
        || (q = parse_param(p, rs)) == NULL)
        return;
    evaluate(a, q, &e, rs);
    qparse_free(q);
}

/* Prometheus lower-cases type before it looks, and says so. */
static void
bad_type(const char *type, struct http_response *rs)
{
    char *low = xstrdup(type);

    for (char *c = low; *c != '\0'; c++)
        *c = (char)tolower((unsigned char)*c);
    reply_error(rs, "bad_data", "invalid parameter \"type\": not "
                "supported value \"%s\"", low);
    free(low);
}

/*
 * /api/v1/rules: every rule, or with type=alert or type=record (any case)
 * those of one kind; each published by the loop in all three forms.
 */
static void
handle_rules(struct api *a, const struct api_params *p,
             struct http_response *rs)
{
    const char *type = api_params_get(p, "type");

    if (type == NULL || *type == '\0')
        reply_doc(a, API_DOC_RULES, rs);
    else if (strcasecmp(type, "alert") == 0)
        reply_doc(a, API_DOC_RULES_ALERT, rs);
    else if (strcasecmp(type, "record") == 0)
        reply_doc(a, API_DOC_RULES_RECORD, rs);
    else
        bad_type(type, rs);
}

/* --- /metrics, /-/ready, /-/reload -------------------------------------- */

static void
handle_metrics(struct api *a, struct http_response *rs)
{
    static const char *const kinds[2] = { "query", "query_range" };
    struct buf *b = &rs->body;

    reply_text(rs, 200, "");
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
    pthread_mutex_lock(&a->mu);
    buf_puts(b, a->doc[API_DOC_METRICS]);
    buf_puts(b, "# HELP promdeck_query_duration_seconds Time to evaluate "
             "and encode an API query.\n"
             "# TYPE promdeck_query_duration_seconds histogram\n");
    for (int k = 0; k < 2; k++) {
        uint64_t cum = 0;

        for (size_t i = 0; i <= NBUCKETS; i++) {
            cum += a->hist[k][i];
            if (i < NBUCKETS)
                buf_printf(b, "promdeck_query_duration_seconds_bucket{"
                           "handler=\"%s\",le=\"%g\"} %llu\n", kinds[k],
                           buckets[i], (unsigned long long)cum);
            else
                buf_printf(b, "promdeck_query_duration_seconds_bucket{"
                           "handler=\"%s\",le=\"+Inf\"} %llu\n", kinds[k],
                           (unsigned long long)cum);
        }
        buf_printf(b, "promdeck_query_duration_seconds_sum{handler=\"%s\"} "
                   "%.9g\n", kinds[k], a->seconds[k]);
        buf_printf(b, "promdeck_query_duration_seconds_count{handler=\"%s\"}"
                   " %llu\n", kinds[k], (unsigned long long)a->requests[k]);
    }
    pthread_mutex_unlock(&a->mu);
}

bool
api_add_exposition(struct api *a, const char *path, api_expose_fn fn,
                   void *ctx)
{
    struct expose *e;

    if (a->nexpose == API_MAX_EXPOSE)
        return false;
    e = &a->expose[a->nexpose++];
    e->path = path;
    e->fn = fn;
    e->ctx = ctx;
    pthread_mutex_init(&e->mu, NULL);
    return true;
}

/*
 * An exporter's answer, as Go's promhttp gives it: the text, gzip'd when
 * the client accepts gzip (Prometheus always does), and a failure as 500
 * with promhttp's wording.
 */
static void
handle_exposition(struct expose *e, const struct http_request *rq,
                  struct http_response *rs)
{
    char err[1024] = "";
    struct buf text;
    int rc;

    buf_init(&text, 0);
    pthread_mutex_lock(&e->mu);
    rc = e->fn(e->ctx, &text, err, sizeof(err));
    pthread_mutex_unlock(&e->mu);
    if (rc < 0) {
        reply_text(rs, 500, "An error has occurred while serving metrics:"
                   "\n\n");
        buf_puts(&rs->body, err);
        buf_putc(&rs->body, '\n');
    } else {
        reply_text(rs, 200, "");
        rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
        if (rq->accept_gzip
            && gzip_compress(text.data != NULL ? text.data : "", text.len,
                             &rs->body) == 0)
            rs->content_encoding = "gzip";
        else
            buf_append(&rs->body, text.data != NULL ? text.data : "",
                       text.len);
    }
    buf_fini(&text);
}

bool
api_reload_pending(struct api *a)
{
    bool pending;

    pthread_mutex_lock(&a->mu);
    pending = a->reload_asked > a->reload_done;
    pthread_mutex_unlock(&a->mu);
    return pending;
}

void
api_reload_done(struct api *a, const char *error)
{
    pthread_mutex_lock(&a->mu);
    free(a->reload_error);
    a->reload_error = error != NULL ? xstrdup(error) : NULL;
    a->reload_done = a->reload_asked;
    pthread_cond_broadcast(&a->reloaded);
    pthread_mutex_unlock(&a->mu);
}

/* POST /-/reload: the loop thread reloads; this waits for its word. */
static void
handle_reload(struct api *a, struct http_response *rs)
{
    struct timespec until;
    uint64_t mine;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += RELOAD_WAIT_S;
    pthread_mutex_lock(&a->mu);
    mine = ++a->reload_asked;
    while (a->reload_done < mine && rc == 0)
        rc = pthread_cond_timedwait(&a->reloaded, &a->mu, &until);
    if (rc != 0) {
        reply_text(rs, 500, "failed to reload config: timed out\n");
    } else if (a->reload_error != NULL) {
        reply_text(rs, 500, "failed to reload config: ");
        buf_puts(&rs->body, a->reload_error);
        buf_putc(&rs->body, '\n');
    } else {
        reply_text(rs, 200, "");
    }
    pthread_mutex_unlock(&a->mu);
}

/* --- routing ------------------------------------------------------------ */

enum methods { GET = 1, POST = 2, PUT = 4, HEAD = 8 };

static unsigned
method_bit(const char *m)
{
    return strcmp(m, "GET") == 0 ? GET : strcmp(m, "POST") == 0 ? POST
           : strcmp(m, "PUT") == 0 ? PUT : strcmp(m, "HEAD") == 0 ? HEAD
           : 0;
}

/* Whether the request's method is one of allowed; else a 405 reply. */
static bool
method_ok(const struct http_request *rq, unsigned allowed,
          struct http_response *rs)
{
    if (method_bit(rq->method) & allowed)
        return true;
    reply_text(rs, 405, "Method Not Allowed\n");
    rs->allow = (allowed & POST) && (allowed & GET) ? "GET, OPTIONS, POST"
                : (allowed & POST) ? "POST, PUT" : "GET, OPTIONS";
    return false;
}

static const struct {
    const char *path;
    enum api_doc doc;
} docs[] = {
    { "/api/v1/targets", API_DOC_TARGETS },
    { "/api/v1/alerts", API_DOC_ALERTS },
    { "/api/v1/metadata", API_DOC_METADATA },
    { "/api/v1/status/config", API_DOC_CONFIG },
    { "/api/v1/status/flags", API_DOC_FLAGS },
    { "/api/v1/status/runtimeinfo", API_DOC_RUNTIME },
};

/* /api/v1/label/NAME/values: NAME, or NULL for another path. */
static char *
label_values_name(const char *path)
{
    static const char pre[] = "/api/v1/label/", post[] = "/values";
    size_t n = strlen(path), np = sizeof(pre) - 1, ns = sizeof(post) - 1;

    if (n <= np + ns || strncmp(path, pre, np) != 0
        || strcmp(path + n - ns, post) != 0)
        return NULL;
    return xstrndup(path + np, n - np - ns);
}

static void
route_api(struct api *a, const struct http_request *rq,
          struct http_response *rs)
{
    const char *path = rq->path;
    char *name;

    if (strcmp(path, "/api/v1/query") == 0) {
        if (method_ok(rq, GET | POST, rs))
            handle_query(a, rq->params, rs);
    } else if (strcmp(path, "/api/v1/query_range") == 0) {
        if (method_ok(rq, GET | POST, rs))
            handle_query_range(a, rq->params, rs);
    } else if (strcmp(path, "/api/v1/series") == 0) {
        if (method_ok(rq, GET | POST, rs))
            api_meta_series(a->st, rq->params, rs);
    } else if (strcmp(path, "/api/v1/labels") == 0) {
        if (method_ok(rq, GET | POST, rs))
            api_meta_labels(a->st, rq->params, rs);
    } else if ((name = label_values_name(path)) != NULL) {
        if (method_ok(rq, GET, rs))
            api_meta_label_values(a->st, name, rq->params, rs);
        free(name);
    } else if (strcmp(path, "/api/v1/rules") == 0) {
        if (method_ok(rq, GET, rs))
            handle_rules(a, rq->params, rs);
    } else if (strcmp(path, "/api/v1/status/tsdb") == 0) {
        if (method_ok(rq, GET, rs))
            api_tsdb_status(a->st, rs);
    } else if (strcmp(path, "/api/v1/status/buildinfo") == 0) {
        if (method_ok(rq, GET, rs))
            api_tsdb_buildinfo(rs);
    } else {
        for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
            if (strcmp(path, docs[i].path) == 0) {
                if (method_ok(rq, GET, rs))
                    reply_doc(a, docs[i].doc, rs);
                return;
            }
        reply_text(rs, 404, "404 page not found\n");
    }
}

static struct expose *
find_exposition(struct api *a, const char *path)
{
    for (size_t i = 0; i < a->nexpose; i++)
        if (strcmp(a->expose[i].path, path) == 0)
            return &a->expose[i];
    return NULL;
}

void
api_handle(void *ctx, const struct http_request *rq,
           struct http_response *rs)
{
    struct api *a = ctx;
    struct expose *e;
    bool ready;

    if (strncmp(rq->path, "/api/v1/", 8) == 0
        && strcmp(rq->method, "OPTIONS") == 0) {
        reply_text(rs, 204, "");    /* a CORS preflight, as Prometheus */
    } else if (strncmp(rq->path, "/api/v1/", 8) == 0) {
        route_api(a, rq, rs);
    } else if (strcmp(rq->path, "/metrics") == 0) {
        if (method_ok(rq, GET, rs))
            handle_metrics(a, rs);
    } else if ((e = find_exposition(a, rq->path)) != NULL) {
        if (method_ok(rq, GET, rs))
            handle_exposition(e, rq, rs);
    } else if (strcmp(rq->path, "/-/healthy") == 0) {
        if (method_ok(rq, GET | HEAD, rs))
            reply_text(rs, 200, "promdeck serve is Healthy.\n");
    } else if (strcmp(rq->path, "/-/ready") == 0) {
        pthread_mutex_lock(&a->mu);
        ready = a->ready;
        pthread_mutex_unlock(&a->mu);
        if (method_ok(rq, GET | HEAD, rs))
            reply_text(rs, ready ? 200 : 503, ready
                       ? "promdeck serve is Ready.\n"
                       : "Service Unavailable\n");
    } else if (strcmp(rq->path, "/-/reload") == 0) {
        if (method_ok(rq, POST | PUT, rs))
            handle_reload(a, rs);
    } else {
        reply_text(rs, 404, "404 page not found\n");
    }
}
