/*
 * Rules and alerts in the shape of Prometheus 2.42's web/api/v1: a group
 * is name, file, rules, interval, limit, evaluationTime, lastEvaluation;
 * an alerting rule adds state, duration, keepFiringFor (seconds),
 * annotations (as written) and its active alerts, each with
 * keepFiringSince while keep_firing_for alone holds it firing; a recording rule leaves out empty labels. Strings
 * are escaped as Go's encoding/json escapes them, labels sorted by name
 * as a Go map is, times in RFC3339Nano, alert values in Go's 'e' form.
 * Resolved alerts are left out, as Prometheus leaves them out.
 */
#include "src/serve_rules.h"

#include <math.h>

#include "query/print.h"
#include "src/api/apijson.h"
#include "src/base/json.h"
#include "src/serve_docs.h"

/* Seconds as Go's Duration.Seconds() gives them: whole nanoseconds. */
static void
put_seconds(double s, struct buf *b)
{
    json_number(b, round(s * 1e9) / 1e9);
}

/* {"name":"value",...}: the set is sorted by name already. */
static void
put_labels(const struct labels *ls, struct buf *b)
{
    buf_putc(b, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (i > 0)
            buf_putc(b, ',');
        api_json_go_string(b, ls->v[i].name);
        buf_putc(b, ':');
        api_json_go_string(b, ls->v[i].value);
    }
    buf_putc(b, '}');
}

static void
put_alert(const struct rule_alert *a, struct buf *b)
{
    buf_puts(b, "{\"labels\":");
    put_labels(&a->labels, b);
    buf_puts(b, ",\"annotations\":");
    put_labels(&a->annotations, b);
    buf_printf(b, ",\"state\":\"%s\",\"activeAt\":",
               rule_alert_state_name(a->state));
    serve_docs_rfc3339(b, a->active_at);
    if (a->keeping) {
        buf_puts(b, ",\"keepFiringSince\":");
        serve_docs_rfc3339(b, a->keep_firing_since);
    }
    buf_puts(b, ",\"value\":\"");
    json_format_exp(a->value, b);
    buf_puts(b, "\"}");
}

/* The active alerts of rule i of g, comma-separated after *first. */
static void
put_alerts(const struct ruleset_group *g, size_t i, bool *first,
           struct buf *b)
{
    const struct rule_alert *a;
    size_t n = rule_group_alerts(g->group, i, &a);

    for (size_t k = 0; k < n; k++) {
        if (a[k].state == ALERT_INACTIVE)
            continue;
        if (!*first)
            buf_putc(b, ',');
        *first = false;
        put_alert(&a[k], b);
    }
}

/* The most urgent state of rule i's alerts (inactive when none). */
static enum alert_state
rule_state(const struct ruleset_group *g, size_t i)
{
    const struct rule_alert *a;
    size_t n = rule_group_alerts(g->group, i, &a);
    enum alert_state s = ALERT_INACTIVE;

    for (size_t k = 0; k < n; k++)
        if (a[k].state > s)
            s = a[k].state;
    return s;
}

/* health, lastError (when there is one), evaluationTime,
 * lastEvaluation, type: the fields both kinds end with. */
static void
put_tail(const struct ruleset_group *g, size_t i, struct buf *b)
{
    const char *err = rule_group_error(g->group, i);
    bool alerting = g->def->rules[i].kind == RULE_ALERT;

    buf_printf(b, ",\"health\":\"%s\"", g->rule_last_ms[i] == 0 ? "unknown"
               : err != NULL ? "err" : "ok");
    if (err != NULL) {
        buf_puts(b, ",\"lastError\":");
        api_json_go_string(b, err);
    }
    buf_puts(b, ",\"evaluationTime\":");
    put_seconds(g->rule_seconds[i], b);
    buf_puts(b, ",\"lastEvaluation\":");
    serve_docs_rfc3339(b, g->rule_last_ms[i]);
    buf_printf(b, ",\"type\":\"%s\"}", alerting ? "alerting" : "recording");
}

static void
put_name_query(const struct rule_def *r, struct buf *b)
{
    struct buf q;

    buf_init(&q, 0);
    qprint_query(r->query, &q);
    buf_puts(b, "\"name\":");
    api_json_go_string(b, r->name);
    buf_puts(b, ",\"query\":");
    api_json_go_string(b, buf_str(&q));
    buf_fini(&q);
}

static void
put_rule(const struct ruleset_group *g, size_t i, struct buf *b)
{
    const struct rule_def *r = &g->def->rules[i];
    bool first = true;

    if (r->kind == RULE_RECORD) {
        buf_putc(b, '{');
        put_name_query(r, b);
        if (r->labels.n > 0) {
            buf_puts(b, ",\"labels\":");
            put_labels(&r->labels, b);
        }
        put_tail(g, i, b);
        return;
    }
    buf_printf(b, "{\"state\":\"%s\",",
               rule_alert_state_name(rule_state(g, i)));
    put_name_query(r, b);
    buf_puts(b, ",\"duration\":");
    json_number(b, (double)r->for_ms / 1000.0);
    buf_puts(b, ",\"keepFiringFor\":");
    json_number(b, (double)r->keep_firing_for_ms / 1000.0);
    buf_puts(b, ",\"labels\":");
    put_labels(&r->labels, b);
    buf_puts(b, ",\"annotations\":");
    put_labels(&r->annotations, b);
    buf_puts(b, ",\"alerts\":[");
    put_alerts(g, i, &first, b);
    buf_putc(b, ']');
    put_tail(g, i, b);
}

static bool
wanted(const struct rule_def *r, enum serve_rules_kind kind)
{
    return kind == SERVE_RULES_ALL
           || (kind == SERVE_RULES_ALERT) == (r->kind == RULE_ALERT);
}

/* One group; as in Prometheus 2.42, a group none of whose rules is of
 * the kind asked for is still listed, with no rules. */
static void
put_group(const struct ruleset_group *g, enum serve_rules_kind kind,
          struct buf *b)
{
    bool first = true;

    buf_puts(b, "{\"name\":");
    api_json_go_string(b, g->def->name);
    buf_puts(b, ",\"file\":");
    api_json_go_string(b, g->file);
    buf_puts(b, ",\"rules\":[");
    for (size_t i = 0; i < g->def->nrules; i++) {
        if (!wanted(&g->def->rules[i], kind))
            continue;
        if (!first)
            buf_putc(b, ',');
        first = false;
        put_rule(g, i, b);
    }
    buf_puts(b, "],\"interval\":");
    json_number(b, (double)g->def->interval_ms / 1000.0);
    buf_printf(b, ",\"limit\":%lld,\"evaluationTime\":",
               (long long)g->def->limit);
    put_seconds(g->last_seconds, b);
    buf_puts(b, ",\"lastEvaluation\":");
    serve_docs_rfc3339(b, g->last_ms);
    buf_putc(b, '}');
}

void
serve_rules_json(const struct ruleset *rs, enum serve_rules_kind kind,
                 struct buf *out)
{
    const struct ruleset_group *gs;
    size_t n = rs != NULL ? ruleset_groups(rs, &gs) : 0;

    buf_puts(out, "{\"groups\":[");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(out, ',');
        put_group(&gs[i], kind, out);
    }
    buf_puts(out, "]}");
}

void
serve_alerts_json(const struct ruleset *rs, struct buf *out)
{
    const struct ruleset_group *gs;
    size_t n = rs != NULL ? ruleset_groups(rs, &gs) : 0;
    bool first = true;

    buf_puts(out, "{\"alerts\":[");
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < gs[i].def->nrules; j++)
            if (gs[i].def->rules[j].kind == RULE_ALERT)
                put_alerts(&gs[i], j, &first, out);
    buf_puts(out, "]}");
}

void
serve_rules_publish(const struct ruleset *rs, struct api *a)
{
    static const struct {
        enum api_doc doc;
        enum serve_rules_kind kind;
    } rules_docs[] = {
        { API_DOC_RULES, SERVE_RULES_ALL },
        { API_DOC_RULES_ALERT, SERVE_RULES_ALERT },
        { API_DOC_RULES_RECORD, SERVE_RULES_RECORD },
    };
    struct buf b;

    buf_init(&b, 0);
    for (size_t i = 0; i < sizeof(rules_docs) / sizeof(rules_docs[0]);
         i++) {
        buf_reset(&b);
        serve_rules_json(rs, rules_docs[i].kind, &b);
        api_publish(a, rules_docs[i].doc, buf_str(&b));
    }
    buf_reset(&b);
    serve_alerts_json(rs, &b);
    api_publish(a, API_DOC_ALERTS, buf_str(&b));
    buf_fini(&b);
}
