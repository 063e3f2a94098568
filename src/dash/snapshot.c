/*
 * The --once JSON writer. The layout is a contract for scripts, documented
 * in promdeck(1): change it only by adding fields.
 */
#include "src/dash/snapshot.h"

#include <math.h>
#include <string.h>

#include "src/base/duration.h"
#include "src/base/json.h"
#include "src/dash/vocab.h"

/* One series of a range result: labels, the value at the end, points. */
static void
write_series(struct buf *out, const char *expr, const struct qseries *s,
             int64_t end)
{
    const struct qpoint *last = s->npoints ? &s->points[s->npoints - 1]
                                           : NULL;

    buf_puts(out, "{\"query\":");
    json_string(out, expr);
    buf_puts(out, ",\"labels\":");
    labels_json(&s->labels, out);
    buf_puts(out, ",\"value\":");
    if (last != NULL && last->t == end)
        json_number(out, last->v);
    else
        buf_puts(out, "null");
    buf_puts(out, ",\"points\":[");
    for (size_t i = 0; i < s->npoints; i++) {
        buf_puts(out, i ? ",[" : "[");
        json_time_ms(out, s->points[i].t);
        buf_putc(out, ',');
        json_number(out, s->points[i].v);
        buf_putc(out, ']');
    }
    buf_puts(out, "]}");
}

static void
write_panel(struct buf *out, const struct panel *p, int64_t end)
{
    const char *error = NULL;
    bool first = true;

    buf_puts(out, "{\"title\":");
    json_string(out, p->title);
    buf_puts(out, ",\"type\":");
    json_string(out, vocab_kind_name(p->kind));
    /* The grid's step: each panel has its own, from its width. */
    buf_puts(out, ",\"step\":");
    json_time_ms(out, p->step_ms);
    /* The queries as they ran, variables expanded, with data or not. */
    buf_puts(out, ",\"queries\":[");
    for (size_t q = 0; q < p->nqueries; q++) {
        if (q > 0)
            buf_putc(out, ',');
        json_string(out, p->queries[q].expr);
    }
    buf_puts(out, "],\"series\":[");
    for (size_t q = 0; q < p->nqueries; q++) {
        const struct panel_query *pq = &p->queries[q];

        if (pq->error != NULL && error == NULL)
            error = pq->error;
        if (pq->result == NULL)
            continue;
        for (size_t i = 0; i < pq->result->nseries; i++) {
            if (!first)
                buf_putc(out, ',');
            first = false;
            write_series(out, pq->expr, &pq->result->series[i], end);
        }
    }
    buf_putc(out, ']');
    if (error != NULL) {
        buf_puts(out, ",\"error\":");
        json_string(out, error);
    }
    buf_putc(out, '}');
}

static const char *
health_name(enum target_health h)
{
    return h == HEALTH_UP ? "up" : h == HEALTH_DOWN ? "down" : "unknown";
}

/*
 * A target as Prometheus's /api/v1/targets shows one, in this file's
 * snake_case: labels after relabelling (no "__" ones), and the labels
 * discovery gave before it ({} when not known).
 */
static void
write_target(struct buf *out, const struct target_row *t)
{
    static const struct labels no_labels = { NULL, 0 };

    buf_puts(out, "{\"job\":");
    json_string(out, t->job);
    buf_puts(out, ",\"instance\":");
    json_string(out, t->instance);
    buf_puts(out, ",\"url\":");
    json_string(out, t->url);
    buf_puts(out, ",\"health\":");
    json_string(out, health_name(t->health));
    buf_puts(out, ",\"last_error\":");
    json_string(out, t->last_error);
    buf_puts(out, ",\"last_scrape_duration_seconds\":");
    json_number(out, t->last_duration_s);
    buf_puts(out, ",\"labels\":");
    labels_json(t->label_set != NULL ? t->label_set : &no_labels, out);
    buf_puts(out, ",\"discovered_labels\":");
    labels_json(t->discovered_set != NULL ? t->discovered_set : &no_labels,
                out);
    buf_putc(out, '}');
}

static const char *
rule_health_name(enum rule_health h)
{
    return h == RULE_HEALTH_OK ? "ok" : h == RULE_HEALTH_ERR ? "err"
                                                             : "unknown";
}

static const char *
alert_state_name(enum alert_row_state s)
{
    return s == ALERT_ROW_FIRING ? "firing" : s == ALERT_ROW_PENDING
                                              ? "pending" : "inactive";
}

/* An active alert, as Prometheus's /api/v1/alerts shows one, with the
 * value a number and the time in seconds like the rest of this file. */
static void
write_alert(struct buf *out, const struct rule_group_row *g,
            const struct rule_row *r, const struct alert_row *a)
{
    buf_puts(out, "{\"name\":");
    json_string(out, r->name);
    buf_puts(out, ",\"state\":");
    json_string(out, alert_state_name(a->state));
    buf_puts(out, ",\"labels\":");
    labels_json(a->labels, out);
    buf_puts(out, ",\"annotations\":");
    labels_json(a->annotations, out);
    buf_puts(out, ",\"active_at\":");
    json_time_ms(out, a->active_at_ms);
    buf_puts(out, ",\"value\":");
    json_number(out, a->value);
    buf_puts(out, ",\"group\":");
    json_string(out, g->name);
    buf_putc(out, '}');
}

/* A rule, as Prometheus's /api/v1/rules shows one, in snake_case. */
static void
write_rule(struct buf *out, const struct rule_group_row *g,
           const struct rule_row *r)
{
    buf_puts(out, "{\"group\":");
    json_string(out, g->name);
    buf_puts(out, ",\"file\":");
    json_string(out, g->file);
    buf_puts(out, ",\"name\":");
    json_string(out, r->name);
    buf_puts(out, ",\"type\":");
    json_string(out, r->alerting ? "alerting" : "recording");
    buf_puts(out, ",\"health\":");
    json_string(out, rule_health_name(r->health));
    buf_puts(out, ",\"last_error\":");
    json_string(out, r->last_error != NULL ? r->last_error : "");
    buf_puts(out, ",\"last_evaluation\":");
    if (r->last_eval_ms != 0)
        json_time_ms(out, r->last_eval_ms);
    else
        buf_puts(out, "null");
    buf_puts(out, ",\"evaluation_seconds\":");
    json_number(out, r->eval_seconds);
    buf_putc(out, '}');
}

/* ,"alerts":[...],"rules":[...] */
static void
write_rules(struct buf *out, const struct rule_view *rv)
{
    bool first = true;

    buf_puts(out, ",\"alerts\":[");
    for (size_t g = 0; rv != NULL && g < rv->ngroups; g++)
        for (size_t i = 0; i < rv->groups[g].nrules; i++) {
            const struct rule_row *r = &rv->groups[g].rules[i];

            for (size_t k = 0; k < r->nalerts; k++) {
                buf_puts(out, first ? "" : ",");
                first = false;
                write_alert(out, &rv->groups[g], r, &r->alerts[k]);
            }
        }
    buf_puts(out, "],\"rules\":[");
    first = true;
    for (size_t g = 0; rv != NULL && g < rv->ngroups; g++)
        for (size_t i = 0; i < rv->groups[g].nrules; i++) {
            buf_puts(out, first ? "" : ",");
            first = false;
            write_rule(out, &rv->groups[g], &rv->groups[g].rules[i]);
        }
    buf_putc(out, ']');
}

/* A number, or null for a value not known (NaN). */
static void
write_number(struct buf *out, const char *key, double v)
{
    buf_printf(out, ",\"%s\":", key);
    if (isnan(v) || isinf(v))
        buf_puts(out, "null");
    else
        json_number(out, v);
}

static void
write_container(struct buf *out, const struct container_row *r)
{
    const char *last = strrchr(r->id, '/');
    const char *hex = NULL;

    /* The container id: the run of 64 hex digits in the cgroup path's
     * last element ("docker-ID.scope"), or that element when none. */
    last = last != NULL ? last + 1 : r->id;
    for (const char *p = last; *p != '\0' && hex == NULL; p++)
        if (strspn(p, "0123456789abcdef") >= 64)
            hex = p;
    buf_puts(out, "{\"id\":");
    if (hex != NULL)
        buf_printf(out, "\"%.64s\"", hex);
    else
        json_string(out, last);
    buf_puts(out, ",\"cgroup\":");
    json_string(out, r->id);
    buf_puts(out, ",\"name\":");
    json_string(out, r->name);
    buf_puts(out, ",\"image\":");
    json_string(out, r->image);
    buf_puts(out, ",\"state\":");
    json_string(out, r->state[0] ? r->state : r->gone ? "gone" : "running");
    write_number(out, "cpu_cores_used", r->cpu_cores);
    write_number(out, "cpu_quota_cores", r->quota_cores);
    write_number(out, "memory_bytes", r->memory_bytes);
    write_number(out, "memory_limit_bytes", r->memory_limit_bytes);
    write_number(out, "network_rx_bytes_per_second", r->rx_bps);
    write_number(out, "network_tx_bytes_per_second", r->tx_bps);
    write_number(out, "block_read_bytes_per_second", r->read_bps);
    write_number(out, "block_write_bytes_per_second", r->write_bps);
    write_number(out, "restarts", r->restarts);
    buf_putc(out, '}');
}

void
snapshot_json(const struct dashboard *d, const struct target_row *t,
              size_t nt, const struct snapshot_more *more, struct buf *out)
{
    const struct container_table *c = more != NULL ? more->containers
                                                   : NULL;
    bool first = true;

    buf_puts(out, "{\"time\":");
    json_time_ms(out, d->now_ms);
    buf_puts(out, ",\"dashboard\":");
    json_string(out, d->title);
    buf_puts(out, ",\"panels\":[");
    for (size_t pg = 0; pg < d->npages; pg++)
        for (size_t r = 0; r < d->pages[pg].nrows; r++)
            for (size_t i = 0; i < d->pages[pg].rows[r].npanels; i++) {
                if (!first)
                    buf_putc(out, ',');
                first = false;
                write_panel(out, &d->pages[pg].rows[r].panels[i],
                            d->now_ms);
            }
    buf_puts(out, "],\"targets\":[");
    for (size_t i = 0; i < nt; i++) {
        if (i > 0)
            buf_putc(out, ',');
        write_target(out, &t[i]);
    }
    buf_putc(out, ']');
    write_rules(out, more != NULL ? more->rules : NULL);
    if (more != NULL && more->host != NULL) {
        buf_putc(out, ',');
        snapshot_host_json(more->host, out);
    }
    if (c != NULL) {
        buf_puts(out, ",\"containers\":[");
        for (size_t i = 0; i < c->n; i++) {
            if (i > 0)
                buf_putc(out, ',');
            write_container(out, &c->rows[i]);
        }
        buf_putc(out, ']');
    }
    buf_puts(out, "}\n");
}

/* "ago" text for a time: 42s, 3m12s, 2h5m. */
static void
since_text(int64_t now_ms, int64_t then_ms, char *out, size_t size)
{
    int64_t ms = now_ms > then_ms ? now_ms - then_ms : 0;

    duration_format(ms / 1000 * 1000, out, size);
}

void
snapshot_alerts_text(const struct rule_view *rv, int64_t now_ms,
                     struct buf *out)
{
    char since[32];

    if (rv == NULL || rv->ngroups == 0)
        return;
    buf_printf(out, "\nalerts: %zu firing, %zu pending\n", rv->firing,
               rv->pending);
    for (size_t g = 0; g < rv->ngroups; g++)
        for (size_t i = 0; i < rv->groups[g].nrules; i++) {
            const struct rule_row *r = &rv->groups[g].rules[i];

            for (size_t k = 0; k < r->nalerts; k++) {
                const struct alert_row *a = &r->alerts[k];

                if (a->state != ALERT_ROW_FIRING)
                    continue;
                since_text(now_ms, a->active_at_ms, since, sizeof since);
                buf_puts(out, "FIRING ");
                labels_format(a->labels, out);
                buf_puts(out, " value ");
                json_number(out, a->value);
                buf_printf(out, ", active for %s\n", since);
                for (size_t n = 0; n < a->annotations->n; n++)
                    buf_printf(out, "  %s: %s\n",
                               a->annotations->v[n].name,
                               a->annotations->v[n].value);
            }
        }
}

