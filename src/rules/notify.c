/*
 * The Alertmanager notifier: Prometheus 2.42's notifier.Manager (queue,
 * relabelling with external labels, one batch of at most 64 in flight to
 * every Alertmanager, a batch no Alertmanager took counted as dropped)
 * and rules.SendAlerts (startsAt, endsAt, generatorURL). Alertmanagers
 * come from discovery groups relabelled per alertmanagers entry, as
 * AlertmanagerFromGroup builds them. It does not retry a failed batch:
 * the rules resend every alert still active after the resend delay, as
 * Prometheus relies on.
 */
#include "src/rules/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query/print.h"
#include "src/base/duration.h"
#include "src/base/json.h"
#include "src/base/xalloc.h"
#include "src/rules/template_funcs.h"

/* Enough of an error response's body to say why it refused. */
#define ERR_BODY_MAX 200

/* One Alertmanager and its connection. */
struct am {
    struct notifier *n;
    size_t set;                 /* index of its alertmanagers entry */
    char *url;
    struct fetch_conn *conn;
    bool busy;                  /* the current batch is in flight to it */
    char *error;
    struct buf body;            /* the start of an error response */
    int64_t last_ok;
    uint64_t sent, errors;
};

struct notifier {
    struct notifier_am_config *sets;
    size_t nsets;
    struct discovery *disc;
    const struct relabel_rules *alert_relabel;
    struct labels ext_labels;
    char *ext_url;
    struct fetch *fetch;
    int64_t resend_ms;
    /* the queue: a ring of cap alerts, len of them from head */
    struct notifier_alert *q;
    size_t cap, head, len;
    uint64_t dropped;
    struct am **ams;
    size_t nams;
    /* the batch in flight */
    struct notifier_alert batch[NOTIFIER_BATCH];
    size_t nbatch;
    size_t waiting;             /* Alertmanagers that have not answered */
    size_t accepted;            /* ... and that took it */
    struct buf payload;
    struct notifier_am_status *status;  /* notifier_status's array */
    struct relabel_builder *lb;
};

/* The config-given part: Alertmanager entries, discovery, relabelling,
 * external labels and URL (what notifier_apply replaces). */
static void
take_config(struct notifier *n, const struct notifier_config *c)
{
    n->sets = xcalloc(c->nams + 1, sizeof(*n->sets));
    if (c->nams > 0)
        memcpy(n->sets, c->ams, c->nams * sizeof(*n->sets));
    n->nsets = c->nams;
    n->disc = c->discovery;
    n->alert_relabel = c->alert_relabel;
    if (c->external_labels != NULL)
        labels_dup(&n->ext_labels, c->external_labels);
    n->ext_url = xstrdup(c->external_url != NULL ? c->external_url : "");
}

struct notifier *
notifier_new(const struct notifier_config *c)
{
    struct notifier *n = xcalloc(1, sizeof(*n));

    take_config(n, c);
    n->fetch = c->fetch;
    n->resend_ms = c->resend_delay_ms > 0 ? c->resend_delay_ms
                                          : NOTIFIER_RESEND_MS;
    n->cap = c->queue_capacity > 0 ? c->queue_capacity
                                   : NOTIFIER_QUEUE_CAPACITY;
    n->q = xcalloc(n->cap, sizeof(*n->q));
    buf_init(&n->payload, 0);
    n->lb = relabel_builder_new();
    return n;
}

void
notifier_alert_fini(struct notifier_alert *a)
{
    labels_release(&a->labels);
    labels_release(&a->annotations);
    free(a->generator_url);
    memset(a, 0, sizeof(*a));
}

static void
am_free(struct am *am)
{
    fetch_conn_free(am->conn);
    free(am->url);
    free(am->error);
    buf_fini(&am->body);
    free(am);
}

/* Releases what take_config took. */
static void
drop_config(struct notifier *n)
{
    discovery_free(n->disc);
    labels_release(&n->ext_labels);
    free(n->ext_url);
    free(n->sets);
}

void
notifier_free(struct notifier *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->nams; i++)
        am_free(n->ams[i]);
    free(n->ams);
    for (size_t i = 0; i < n->len; i++)
        notifier_alert_fini(&n->q[(n->head + i) % n->cap]);
    for (size_t i = 0; i < n->nbatch; i++)
        notifier_alert_fini(&n->batch[i]);
    free(n->q);
    drop_config(n);
    buf_fini(&n->payload);
    free(n->status);
    relabel_builder_free(n->lb);
    free(n);
}

/* ---- the queue ---- */

/*
 * External labels where the alert has none of that name, then the
 * alert relabel rules (notifier.go's relabelAlerts). False: dropped.
 */
static bool
relabel_alert(struct notifier *n, struct notifier_alert *a)
{
    const struct labels *out;

    relabel_builder_reset(n->lb);
    for (size_t i = 0; i < a->labels.n; i++)
        relabel_builder_set(n->lb, a->labels.v[i].name, a->labels.v[i].value);
    for (size_t i = 0; i < n->ext_labels.n; i++)
        if (labels_get(&a->labels, n->ext_labels.v[i].name) == NULL)
            relabel_builder_set(n->lb, n->ext_labels.v[i].name,
                                n->ext_labels.v[i].value);
    if (n->alert_relabel != NULL && !relabel_apply(n->alert_relabel, n->lb))
        return false;
    out = relabel_builder_labels(n->lb);
    labels_release(&a->labels);
    labels_dup(&a->labels, out);
    return true;
}

/* Drops the d oldest queued alerts. */
static void
drop_oldest(struct notifier *n, size_t d)
{
    for (size_t i = 0; i < d; i++) {
        notifier_alert_fini(&n->q[n->head]);
        n->head = (n->head + 1) % n->cap;
    }
    n->len -= d;
    n->dropped += d;
}

void
notifier_push(struct notifier *n, struct notifier_alert *v, size_t count)
{
    size_t kept = 0, skip = 0;

    for (size_t i = 0; i < count; i++) {
        if (relabel_alert(n, &v[i]))
            v[kept++] = v[i];
        else
            notifier_alert_fini(&v[i]);
    }
    /* More than fit at all: only the newest cap of them count. */
    if (kept > n->cap) {
        skip = kept - n->cap;
        for (size_t i = 0; i < skip; i++)
            notifier_alert_fini(&v[i]);
        n->dropped += skip;
    }
    if (n->len + kept - skip > n->cap)
        drop_oldest(n, n->len + kept - skip - n->cap);
    for (size_t i = skip; i < kept; i++)
        n->q[(n->head + n->len++) % n->cap] = v[i];
}

size_t
notifier_take(struct notifier *n, struct notifier_alert *out, size_t max)
{
    size_t k = 0;

    for (; k < max && n->len > 0; k++) {
        out[k] = n->q[n->head];
        memset(&n->q[n->head], 0, sizeof(n->q[n->head]));
        n->head = (n->head + 1) % n->cap;
        n->len--;
    }
    return k;
}

/* Copies an alert's label set, sorted. */
static void
copy_sorted(struct labels *dst, const struct labels *src)
{
    labels_dup(dst, src);
    labels_sort(dst);
}

/* rules.SendAlerts: one due alert as Alertmanager gets it. */
static void
make_alert(const struct notifier *n, const struct rule_def *r,
           const struct rule_alert *a, struct notifier_alert *out)
{
    struct buf url, expr;

    memset(out, 0, sizeof(*out));
    copy_sorted(&out->labels, &a->labels);
    copy_sorted(&out->annotations, &a->annotations);
    out->starts_at = a->fired_at;
    out->ends_at = a->resolved_at != 0 ? a->resolved_at : a->valid_until;
    /* strutil.TableLinkForExpression, after the external URL, of the
     * expression as Prometheus's parser prints it back. */
    buf_init(&expr, 0);
    qprint_query(r->query, &expr);
    buf_init(&url, 0);
    buf_puts(&url, n->ext_url);
    buf_puts(&url, "/graph?g0.expr=");
    tfunc_query_escape(&url, buf_str(&expr), expr.len);
    buf_puts(&url, "&g0.tab=1");
    out->generator_url = buf_steal(&url);
    buf_fini(&expr);
}

void
notifier_send_rule(struct notifier *n, struct rule_group *g, size_t i,
                   int64_t now)
{
    const struct rule_def *r = &rule_group_def(g)->rules[i];
    const struct rule_alert *all, **due;
    struct notifier_alert *v;
    size_t na = rule_group_alerts(g, i, &all), nd;

    /* a rule that failed sends nothing this time (manager.go Eval) */
    if (r->kind != RULE_ALERT || na == 0 || rule_group_error(g, i) != NULL)
        return;
    due = xcalloc(na, sizeof(*due));
    nd = rule_group_due_alerts(g, i, now, n->resend_ms, due);
    v = xcalloc(nd + 1, sizeof(*v));
    for (size_t k = 0; k < nd; k++)
        make_alert(n, r, due[k], &v[k]);
    notifier_push(n, v, nd);
    free(v);
    free(due);
}

void
notifier_send(struct notifier *n, struct rule_group *g, int64_t now)
{
    for (size_t i = 0; i < rule_group_def(g)->nrules; i++)
        notifier_send_rule(n, g, i, now);
}

/* ---- the JSON body ---- */

/* strfmt.DateTime's form: 2006-01-02T15:04:05.000Z, in UTC. */
static void
json_rfc3339_ms(struct buf *out, int64_t ms)
{
    time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)s * 1000);
    struct tm tm;
    char tmp[40];

    gmtime_r(&s, &tm);
    strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
    buf_printf(out, "\"%s.%03dZ\"", tmp, frac);
}

/* A label set as a JSON object (labelsToOpenAPILabelSet). */
static void
json_labels(struct buf *out, const struct labels *ls)
{
    buf_putc(out, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (i > 0)
            buf_putc(out, ',');
        json_string(out, ls->v[i].name);
        buf_putc(out, ':');
        json_string(out, ls->v[i].value);
    }
    buf_putc(out, '}');
}

/*
 * The fields in the order Go's encoder writes models.PostableAlert; the
 * empty annotations map and generatorURL are left out (omitempty).
 */
void
notifier_json(const struct notifier_alert *v, size_t count, struct buf *out)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < count; i++) {
        buf_puts(out, i > 0 ? ",{" : "{");
        if (v[i].annotations.n > 0) {
            buf_puts(out, "\"annotations\":");
            json_labels(out, &v[i].annotations);
            buf_putc(out, ',');
        }
        buf_puts(out, "\"endsAt\":");
        json_rfc3339_ms(out, v[i].ends_at);
        buf_puts(out, ",\"startsAt\":");
        json_rfc3339_ms(out, v[i].starts_at);
        if (v[i].generator_url != NULL && *v[i].generator_url != '\0') {
            buf_puts(out, ",\"generatorURL\":");
            json_string(out, v[i].generator_url);
        }
        buf_puts(out, ",\"labels\":");
        json_labels(out, &v[i].labels);
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}

/* ---- Alertmanagers from discovery ---- */

static void batch_done(struct notifier *n);

static struct am *
find_am(struct am **v, size_t n, size_t set, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != NULL && v[i]->set == set && strcmp(v[i]->url, url) == 0)
            return v[i];
    return NULL;
}

/* path.Join("/", prefix, "/api/vN/alerts"): one slash between parts. */
static char *
alerts_path(const char *prefix, int version)
{
    char *p = xasprintf("/%s/api/v%d/alerts", prefix != NULL ? prefix : "",
                        version);
    size_t k = 0;

    for (size_t i = 0; p[i] != '\0'; i++)
        if (p[i] != '/' || k == 0 || p[k - 1] != '/')
            p[k++] = p[i];
    p[k] = '\0';
    return p;
}

/*
 * The URL of one discovered target of entry set, as
 * AlertmanagerFromGroup builds it: the target's labels, __scheme__ and
 * __alerts_path__, the group's labels where the target has none, then
 * the entry's relabel rules. NULL when dropped or without an address.
 */
static char *
am_url(struct notifier *n, size_t set, const struct sd_group *g,
       const struct labels *t)
{
    const struct notifier_am_config *c = &n->sets[set];
    const char *addr;
    char *path, *url;

    relabel_builder_reset(n->lb);
    for (size_t i = 0; i < t->n; i++)
        relabel_builder_set(n->lb, t->v[i].name, t->v[i].value);
    relabel_builder_set(n->lb, "__scheme__", c->scheme);
    path = alerts_path(c->path_prefix, c->api_version);
    relabel_builder_set(n->lb, "__alerts_path__", path);
    free(path);
    for (size_t i = 0; i < g->labels.n; i++)
        if (labels_get(t, g->labels.v[i].name) == NULL)
            relabel_builder_set(n->lb, g->labels.v[i].name,
                                g->labels.v[i].value);
    if (c->relabel != NULL && !relabel_apply(c->relabel, n->lb))
        return NULL;
    /* config.CheckTargetAddress refuses a '/'; an address with user
     * info is refused too, so no password reaches the status's URL
     * (basic_auth is the place for it) */
    addr = relabel_builder_get(n->lb, "__address__");
    if (addr == NULL || *addr == '\0' || strchr(addr, '/') != NULL ||
        strchr(addr, '@') != NULL)
        return NULL;
    url = xasprintf("%s://%s%s", relabel_builder_get(n->lb, "__scheme__"),
                    addr, relabel_builder_get(n->lb, "__alerts_path__"));
    return url;
}

/* Adds the Alertmanager (set, url) to v, reusing one from old. */
static void
keep_am(struct notifier *n, struct am ***v, size_t *nv, size_t set,
        char *url, struct am **old, size_t nold)
{
    struct am *am;

    if (find_am(*v, *nv, set, url) != NULL) {
        free(url);
        return;
    }
    am = find_am(old, nold, set, url);
    if (am != NULL) {
        for (size_t i = 0; i < nold; i++)
            if (old[i] == am)
                old[i] = NULL;
        free(url);
    } else {
        am = xcalloc(1, sizeof(*am));
        am->n = n;
        am->set = set;
        am->url = url;
        am->conn = fetch_conn_new(n->fetch);
        buf_init(&am->body, 0);
    }
    *v = xreallocarray(*v, *nv + 1, sizeof(**v));
    (*v)[(*nv)++] = am;
}

/* Rebuilds the Alertmanagers from the discovery's groups. One that is
 * gone is cancelled; if the batch was waiting for it, it no longer is. */
static void
sync_ams(struct notifier *n)
{
    struct am **old = n->ams, **v = NULL;
    size_t nold = n->nams, nv = 0;

    for (size_t p = 0; p < discovery_count(n->disc); p++) {
        struct discovery_status st;

        discovery_status(n->disc, p, &st);
        if (st.job >= n->nsets)
            continue;
        for (size_t g = 0; g < discovery_group_count(n->disc, p); g++) {
            const struct sd_group *grp = discovery_group(n->disc, p, g);

            for (size_t t = 0; t < grp->ntargets; t++) {
                char *url = am_url(n, st.job, grp, &grp->targets[t]);

                if (url != NULL)
                    keep_am(n, &v, &nv, st.job, url, old, nold);
            }
        }
    }
    for (size_t i = 0; i < nold; i++) {
        if (old[i] != NULL && old[i]->busy)
            n->waiting--;
        if (old[i] != NULL)
            am_free(old[i]);
    }
    free(old);
    n->ams = v;
    n->nams = nv;
    if (n->nbatch > 0 && n->waiting == 0)
        batch_done(n);
}

/* ---- sending ---- */

/* The batch is over: dropped when no Alertmanager took it. */
static void
batch_done(struct notifier *n)
{
    if (n->accepted == 0)
        n->dropped += n->nbatch;
    for (size_t i = 0; i < n->nbatch; i++)
        notifier_alert_fini(&n->batch[i]);
    n->nbatch = 0;
    n->accepted = 0;
}

static int
on_data(void *ctx, const char *p, size_t len)
{
    struct am *am = ctx;
    size_t room = ERR_BODY_MAX - am->body.len;

    buf_append(&am->body, p, len < room ? len : room);
    return 0;
}

/* One Alertmanager answered (notifier.go's sendOne: any 2xx is fine). */
static void
on_done(void *ctx, const char *error)
{
    struct am *am = ctx;
    struct notifier *n = am->n;
    long status = fetch_conn_status(am->conn);

    am->busy = false;
    free(am->error);
    am->error = NULL;
    am->sent += n->nbatch;
    if (error != NULL) {
        am->error = xstrdup(error);
    } else if (status / 100 != 2) {
        /* Alertmanager says why in its body (a JSON or text message). */
        for (size_t i = 0; i < am->body.len; i++)
            if (am->body.data[i] == '\n' || am->body.data[i] == '\r')
                am->body.data[i] = ' ';
        am->error = xasprintf("bad response status %ld%s%s", status,
                              am->body.len > 0 ? ": " : "",
                              buf_str(&am->body));
    } else {
        n->accepted++;
        am->last_ok = time_now_ms();
    }
    if (am->error != NULL)
        am->errors++;
    buf_reset(&am->body);
    if (--n->waiting == 0)
        batch_done(n);
}

/* Starts the next batch to every Alertmanager (sendAll). */
static void
start_batch(struct notifier *n)
{
    static const struct fetch_callbacks proto = {
        .data = on_data, .done = on_done,
    };

    n->nbatch = notifier_take(n, n->batch, NOTIFIER_BATCH);
    n->accepted = 0;
    n->waiting = n->nams;
    buf_reset(&n->payload);
    notifier_json(n->batch, n->nbatch, &n->payload);
    for (size_t i = 0; i < n->nams; i++) {
        struct am *am = n->ams[i];
        const struct notifier_am_config *c = &n->sets[am->set];
        struct fetch_request req = {
            .url = am->url, .timeout_ms = c->timeout_ms,
            .max_body = 1 << 20, .http = c->http, .method = "POST",
            .body = n->payload.data, .body_len = n->payload.len,
            .body_type = "application/json", .accept = "application/json",
            .any_status = true,
        };
        struct fetch_callbacks cb = proto;

        cb.ctx = am;
        am->busy = true;
        buf_reset(&am->body);
        /* A request that cannot start has called on_done already. */
        fetch_start(am->conn, &req, &cb);
    }
    if (n->nams == 0)
        batch_done(n);
}

void
notifier_tick(struct notifier *n, int64_t now)
{
    if (n->disc != NULL) {
        discovery_poll(n->disc, now);
        if (discovery_changed(n->disc))
            sync_ams(n);
    }
    if (n->nbatch == 0 && n->len > 0)
        start_batch(n);
}

int64_t
notifier_next_due(const struct notifier *n, int64_t now)
{
    int64_t due = n->disc != NULL ? discovery_next_due(n->disc, now)
                                  : INT64_MAX;

    if (n->nbatch == 0 && n->len > 0)
        return now;
    return due;
}

void
notifier_status(struct notifier *n, struct notifier_status *out)
{
    struct discovery_status st;

    memset(out, 0, sizeof(*out));
    out->queue_len = n->len;
    out->queue_capacity = n->cap;
    out->dropped = n->dropped;
    /* the array is a snapshot of what the Alertmanagers hold */
    n->status = xreallocarray(n->status, n->nams + 1, sizeof(*n->status));
    for (size_t i = 0; i < n->nams; i++) {
        const struct am *am = n->ams[i];

        n->status[i] = (struct notifier_am_status){
            .url = am->url, .error = am->error, .last_ok_ms = am->last_ok,
            .sent = am->sent, .errors = am->errors,
        };
    }
    out->ams = n->status;
    out->nams = n->nams;
    for (size_t p = 0; n->disc != NULL && p < discovery_count(n->disc); p++) {
        discovery_status(n->disc, p, &st);
        if (st.error != NULL && *st.error != '\0')
            out->discovery_error = st.error;
    }
}

void
notifier_apply(struct notifier *n, const struct notifier_config *c)
{
    /* The batch in flight ends here: the Alertmanagers it went to are
     * cancelled and, if none took it yet, it counts as dropped. */
    for (size_t i = 0; i < n->nams; i++)
        am_free(n->ams[i]);
    free(n->ams);
    n->ams = NULL;
    n->nams = 0;
    n->waiting = 0;
    if (n->nbatch > 0)
        batch_done(n);
    drop_config(n);
    take_config(n, c);
}
