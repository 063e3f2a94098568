/*
 * Alerts and rules: each view lays its content out line by line onto a
 * scratch canvas as tall as it needs (or only counts its lines), then
 * copies out the window its scroll position picks; long labels,
 * annotations, expressions and errors wrap rather than being cut. The
 * order is the rule files' order, as src/ gives it.
 */
#include "ui/view_rules.h"

#include <stdio.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "ui/format.h"
#include "ui/theme.h"
#include "ui/widget.h"

/* Where an alert's details start, under its rule's name. */
#define ALERT_X 4
/* The state, since and value columns of an alert line. */
#define STATE_W 9
#define SINCE_W 14
#define VALUE_W 12
/* The narrowest labels column beside them. */
#define LABELS_MIN 24

static const char *const state_names[] = { "inactive", "pending", "firing" };

static int
state_role(enum alert_row_state s)
{
    return s == ALERT_ROW_FIRING ? ROLE_CRIT : s == ALERT_ROW_PENDING
                                               ? ROLE_WARN : ROLE_GOOD;
}

/* Text wrapped into [x, w) from line y (only counted when c is NULL);
 * returns its lines, at least 1. */
static int
wrapped(struct canvas *c, int x, int y, int w, const char *text, int role)
{
    int n;

    if (w - x < 4)
        return 1;
    n = c != NULL ? widget_wrap(c, (struct rect){ x, y, w - x, 1 << 20 },
                                text, role)
                  : widget_wrap_lines(text, w - x);
    return n > 0 ? n : 1;
}

static void
text_at(struct canvas *c, int x, int y, int w, const char *s, int role,
        int attr)
{
    if (c != NULL && x < w)
        canvas_text(c, x, y, w - x, s, role, attr);
}

/* a="b", c="d" without the alertname (its rule says it). */
static void
alert_labels(const struct labels *ls, struct buf *out)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].name, "alertname") == 0)
            continue;
        if (out->len > 0)
            buf_puts(out, ", ");
        buf_printf(out, "%s=\"", ls->v[i].name);
        labels_escape(ls->v[i].value, out);
        buf_putc(out, '"');
    }
}

/* One alert: state, since, value, labels, then its annotations. */
static int
alert_lines(struct canvas *c, int y, int w, const struct alert_row *a,
            int64_t now_ms)
{
    char since[32], value[32];
    int x = ALERT_X, n;
    struct buf b;

    format_ago(now_ms, a->active_at_ms, since, sizeof since);
    snprintf(value, sizeof value, "%.6g", a->value);
    text_at(c, x, y, w, state_names[a->state], state_role(a->state),
            ATTR_BOLD);
    text_at(c, x + STATE_W, y, w, since, ROLE_DEFAULT, 0);
    text_at(c, x + STATE_W + SINCE_W, y, w, value, ROLE_DEFAULT, 0);
    buf_init(&b, 0);
    alert_labels(a->labels, &b);
    /* A narrow view puts the labels under the line, not past its edge. */
    if (w - (x + STATE_W + SINCE_W + VALUE_W) >= LABELS_MIN)
        n = wrapped(c, x + STATE_W + SINCE_W + VALUE_W, y, w, buf_str(&b),
                    ROLE_LABEL);
    else
        n = 1 + wrapped(c, x + STATE_W, y + 1, w, buf_str(&b), ROLE_LABEL);
    if (a->keep_firing_since_ms != 0) {
        format_ago(now_ms, a->keep_firing_since_ms, since, sizeof since);
        buf_reset(&b);
        buf_printf(&b, "condition cleared %s, kept firing by "
                   "keep_firing_for", since);
        n += wrapped(c, x + STATE_W, y + n, w, buf_str(&b), ROLE_INACTIVE);
    }
    for (size_t i = 0; i < a->annotations->n; i++) {
        buf_reset(&b);
        buf_printf(&b, "%s: %s", a->annotations->v[i].name,
                   a->annotations->v[i].value);
        n += wrapped(c, x + STATE_W, y + n, w, buf_str(&b), ROLE_DEFAULT);
    }
    buf_fini(&b);
    return n;
}

/* An alerting rule: its name and state, then its active alerts. */
static int
alert_rule_lines(struct canvas *c, int y, int w, const struct rule_row *r,
                 int64_t now_ms)
{
    bool ascii = c != NULL && canvas_ascii(c);
    char count[64];
    int x = 2, n = 1;

    if (c != NULL)
        canvas_put(c, x, y, ascii ? '*' : 0x25cf, state_role(r->state),
                   ATTR_BOLD);
    x += 2;
    text_at(c, x, y, w, r->name, state_role(r->state), ATTR_BOLD);
    x += canvas_text_width(r->name) + 2;
    if (r->nalerts > 0)
        snprintf(count, sizeof count, "%s (%zu active)",
                 state_names[r->state], r->nalerts);
    else
        snprintf(count, sizeof count, "%s", state_names[r->state]);
    text_at(c, x, y, w, count, state_role(r->state), 0);
    if (r->nalerts > 0) {
        text_at(c, ALERT_X, y + n, w, "STATE", ROLE_TITLE, 0);
        text_at(c, ALERT_X + STATE_W, y + n, w, "ACTIVE SINCE", ROLE_TITLE,
                0);
        text_at(c, ALERT_X + STATE_W + SINCE_W, y + n, w, "VALUE",
                ROLE_TITLE, 0);
        text_at(c, ALERT_X + STATE_W + SINCE_W + VALUE_W, y + n, w,
                "LABELS", ROLE_TITLE, 0);
        n++;
    }
    for (size_t k = 0; k < r->nalerts; k++)
        n += alert_lines(c, y + n, w, &r->alerts[k], now_ms);
    return n;
}

/* A group's heading: its name and file. */
static int
group_heading(struct canvas *c, int y, int w, const struct rule_group_row *g)
{
    int x = canvas_text_width(g->name) + 2;

    text_at(c, 0, y, w, g->name, ROLE_TITLE, ATTR_BOLD);
    text_at(c, x, y, w, g->file, ROLE_INACTIVE, 0);
    return 1;
}

/* "no rules loaded", or that the filter hides everything. */
static int
empty_note(struct canvas *c, int y, int w, const char *what)
{
    text_at(c, 0, y, w, what, ROLE_INACTIVE, 0);
    return 1;
}

/*
 * What both views show first: a server's note (why its rules are not
 * shown, or not fresh: its error text, or that it has no rules API),
 * then, when there are no groups, why the list is empty. Returns the
 * lines used; *done when nothing else is to be shown.
 */
static int
head_notes(struct canvas *c, int w, const struct rule_view *rv, bool *done)
{
    int y = 0;

    *done = rv == NULL || rv->ngroups == 0;
    if (rv != NULL && rv->note != NULL)
        y += wrapped(c, 0, y, w, rv->note, ROLE_CRIT) + !*done;
    if (!*done || (rv != NULL && rv->note != NULL))
        return y;
    return y + empty_note(c, y, w, rv != NULL && rv->remote
                          ? "the server has no rule groups"
                          : "no rules loaded (--rules FILE, or "
                            "rule_files in the --config file)");
}

static int
alerts_content(struct canvas *c, int w, const struct rule_view *rv,
               unsigned hide, int64_t now_ms)
{
    bool done;
    int y = head_notes(c, w, rv, &done), top = y, shown = 0;

    if (done)
        return y;
    for (size_t g = 0; g < rv->ngroups; g++) {
        const struct rule_group_row *gr = &rv->groups[g];
        bool headed = false;

        for (size_t i = 0; i < gr->nrules; i++) {
            const struct rule_row *r = &gr->rules[i];

            if (!r->alerting || (hide & (1u << r->state)))
                continue;
            if (!headed)
                y += (y > top) + group_heading(c, y + (y > top), w, gr);
            headed = true;
            y += alert_rule_lines(c, y, w, r, now_ms);
            shown++;
        }
    }
    if (shown == 0)
        y += empty_note(c, y, w, "no alerting rules in the states shown");
    return y;
}

/* Copies rows [from, from + h) of src to (x, y) of dst. */
static void
blit(struct canvas *dst, int x, int y, const struct canvas *src, int from,
     int h)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < canvas_width(src); i++) {
            const struct cell *ce = canvas_cell(src, i, from + j);

            if (ce != NULL)
                canvas_put(dst, x + i, y + j, ce->ch, ce->role, ce->attr);
        }
}

/* Lays the content out with fill (c NULL: count) and shows the part
 * from *scroll on in r, below its first head lines. */
static void
scrolled(struct canvas *c, struct rect r, int head, int *scroll,
         int (*fill)(struct canvas *, int, const void *, const void *,
                     int64_t),
         const void *a, const void *b, int64_t now_ms)
{
    int rows = r.h - head, total = fill(NULL, r.w, a, b, now_ms), max;
    struct canvas *t;

    if (rows <= 0)
        return;
    max = total - rows > 0 ? total - rows : 0;
    *scroll = *scroll < 0 ? 0 : *scroll > max ? max : *scroll;
    t = canvas_new(r.w, total > 0 ? total : 1, canvas_ascii(c));
    fill(t, r.w, a, b, now_ms);
    blit(c, r.x, r.y + head, t, *scroll,
         rows < total - *scroll ? rows : total - *scroll);
    canvas_free(t);
}

static int
fill_alerts(struct canvas *c, int w, const void *rv, const void *hide,
            int64_t now_ms)
{
    return alerts_content(c, w, rv, *(const unsigned *)hide, now_ms);
}

/* "[x] firing 2  [x] pending 1  [ ] inactive   F P I show/hide" */
static void
filter_line(struct canvas *c, struct rect r, const struct rule_view *rv,
            unsigned hide)
{
    static const enum alert_row_state order[] = {
        ALERT_ROW_FIRING, ALERT_ROW_PENDING, ALERT_ROW_INACTIVE,
    };
    int x = r.x + 1, end = r.x + r.w;
    char box[48];

    for (size_t i = 0; i < 3; i++) {
        enum alert_row_state s = order[i];
        size_t n = s == ALERT_ROW_FIRING ? (rv ? rv->firing : 0)
                   : s == ALERT_ROW_PENDING ? (rv ? rv->pending : 0) : 0;

        if (s == ALERT_ROW_INACTIVE)
            snprintf(box, sizeof box, "[%c] %s", hide & (1u << s) ? ' '
                     : 'x', state_names[s]);
        else
            snprintf(box, sizeof box, "[%c] %s %zu", hide & (1u << s)
                     ? ' ' : 'x', state_names[s], n);
        if (x < end)
            x += canvas_text(c, x, r.y, end - x, box, state_role(s),
                             ATTR_BOLD) + 3;
    }
    if (x + 20 < end)
        canvas_text(c, x, r.y, end - x, "F P I: show or hide", ROLE_INACTIVE,
                    0);
}

void
view_draw_alerts(struct canvas *c, struct rect r, const struct rule_view *rv,
                 struct rules_state *rs, int64_t now_ms)
{
    if (r.h <= 0 || r.w <= 0)
        return;
    filter_line(c, r, rv, rs->hide);
    scrolled(c, r, 2, &rs->alerts_scroll, fill_alerts, rv, &rs->hide,
             now_ms);
}

/* The columns of a rule line in the rules view. */
#define HEALTH_W 9
#define EVAL_W 12
#define DUR_W 11

/* A rule: kind and name, health, last evaluation, duration; then its
 * expression (and for), its labels, and its last error. */
static int
rule_lines(struct canvas *c, int y, int w, const struct rule_row *r,
           int64_t now_ms)
{
    static const char *const health[] = { "unknown", "ok", "err" };
    static const int hrole[] = { ROLE_INACTIVE, ROLE_GOOD, ROLE_CRIT };
    int cols = HEALTH_W + EVAL_W + DUR_W, nx = w - cols, n;
    char last[32], dur[32], fr[32];
    struct buf b;

    nx = nx < 20 ? 20 : nx;
    buf_init(&b, 0);
    buf_printf(&b, "%s: %s", r->alerting ? "alert" : "record", r->name);
    text_at(c, 2, y, nx - 1, buf_str(&b), ROLE_DEFAULT, ATTR_BOLD);
    format_ago(now_ms, r->last_eval_ms, last, sizeof last);
    if (r->last_eval_ms == 0)
        snprintf(dur, sizeof dur, "-");
    else
        format_duration(r->eval_seconds, dur, sizeof dur);
    text_at(c, nx, y, w, health[r->health], hrole[r->health], ATTR_BOLD);
    text_at(c, nx + HEALTH_W, y, w, last, ROLE_DEFAULT, 0);
    text_at(c, nx + HEALTH_W + EVAL_W, y, w, dur, ROLE_DEFAULT, 0);
    buf_reset(&b);
    buf_puts(&b, r->expr);
    /* durations as the rule file writes them (5m, 1h30m) */
    if (r->for_ms > 0) {
        duration_format(r->for_ms, fr, sizeof fr);
        buf_printf(&b, "  for %s", fr);
    }
    if (r->keep_firing_for_ms > 0) {
        duration_format(r->keep_firing_for_ms, fr, sizeof fr);
        buf_printf(&b, "  keep firing %s", fr);
    }
    n = 1 + wrapped(c, 4, y + 1, w, buf_str(&b), ROLE_LABEL);
    if (r->labels->n > 0) {
        buf_reset(&b);
        buf_puts(&b, "labels: ");
        labels_format(r->labels, &b);
        n += wrapped(c, 4, y + n, w, buf_str(&b), ROLE_INACTIVE);
    }
    if (r->last_error != NULL) {
        buf_reset(&b);
        buf_printf(&b, "error: %s", r->last_error);
        n += wrapped(c, 4, y + n, w, buf_str(&b), ROLE_CRIT);
    }
    buf_fini(&b);
    return n;
}

/* A group: name, file, interval, last round and what it took. */
static int
rules_group_lines(struct canvas *c, int y, int w,
                  const struct rule_group_row *g, int64_t now_ms)
{
    char iv[32], last[32], took[32];
    struct buf b;
    int x = 0;

    format_duration((double)g->interval_ms / 1000.0, iv, sizeof iv);
    format_ago(now_ms, g->last_eval_ms, last, sizeof last);
    format_duration(g->eval_seconds, took, sizeof took);
    buf_init(&b, 0);
    buf_printf(&b, "every %s  last evaluation %s", iv, last);
    if (g->last_eval_ms != 0)
        buf_printf(&b, ", took %s", took);
    text_at(c, x, y, w, g->name, ROLE_TITLE, ATTR_BOLD);
    x += canvas_text_width(g->name) + 2;
    text_at(c, x, y, w, g->file, ROLE_INACTIVE, 0);
    x += canvas_text_width(g->file) + 2;
    text_at(c, x, y, w, buf_str(&b), ROLE_LABEL, 0);
    buf_fini(&b);
    return 1;
}

static int
rules_content(struct canvas *c, int w, const struct rule_view *rv,
              int64_t now_ms)
{
    bool done;
    int y = head_notes(c, w, rv, &done);

    if (done)
        return y;
    for (size_t g = 0; g < rv->ngroups; g++) {
        y += (g > 0) + rules_group_lines(c, y + (g > 0), w, &rv->groups[g],
                                         now_ms);
        for (size_t i = 0; i < rv->groups[g].nrules; i++)
            y += rule_lines(c, y, w, &rv->groups[g].rules[i], now_ms);
    }
    return y;
}

static int
fill_rules(struct canvas *c, int w, const void *rv, const void *unused,
           int64_t now_ms)
{
    (void)unused;
    return rules_content(c, w, rv, now_ms);
}

void
view_draw_rules(struct canvas *c, struct rect r, const struct rule_view *rv,
                struct rules_state *rs, int64_t now_ms)
{
    int cols = HEALTH_W + EVAL_W + DUR_W, nx = r.w - cols;

    if (r.h <= 0 || r.w <= 0)
        return;
    nx = nx < 20 ? 20 : nx;
    text_at(c, r.x + 2, r.y, r.x + r.w, "RULE", ROLE_TITLE, ATTR_BOLD);
    text_at(c, r.x + nx, r.y, r.x + r.w, "HEALTH", ROLE_TITLE, ATTR_BOLD);
    text_at(c, r.x + nx + HEALTH_W, r.y, r.x + r.w, "LAST EVAL", ROLE_TITLE,
            ATTR_BOLD);
    text_at(c, r.x + nx + HEALTH_W + EVAL_W, r.y, r.x + r.w, "DURATION",
            ROLE_TITLE, ATTR_BOLD);
    scrolled(c, r, 1, &rs->rules_scroll, fill_rules, rv, NULL, now_ms);
}

/* Counts are shown when there are rules, or (a server whose rules API
 * is missing) alerts. */
static bool
has_counts(const struct rule_view *rv)
{
    return rv != NULL && (rv->ngroups > 0 || rv->firing + rv->pending > 0);
}

/* The two counts' text. */
static void
counts_text(const struct rule_view *rv, char *f, char *p, size_t n)
{
    snprintf(f, n, "%zu firing", rv->firing);
    snprintf(p, n, "%zu pending", rv->pending);
}

int
view_rules_counts_width(const struct rule_view *rv)
{
    char f[32], p[32];

    if (!has_counts(rv))
        return 0;
    counts_text(rv, f, p, sizeof f);
    return canvas_text_width(f) + 2 + canvas_text_width(p);
}

int
view_rules_counts(struct canvas *c, int x, int y, int w,
                  const struct rule_view *rv)
{
    char f[32], p[32];
    int n;

    if (!has_counts(rv) || w <= 0)
        return 0;
    counts_text(rv, f, p, sizeof f);
    n = canvas_text(c, x, y, w, f, rv->firing > 0 ? ROLE_CRIT : ROLE_GOOD,
                    rv->firing > 0 ? ATTR_BOLD : 0);
    if (n + 2 < w)
        n += 2 + canvas_text(c, x + n + 2, y, w - n - 2, p,
                             rv->pending > 0 ? ROLE_WARN : ROLE_GOOD,
                             rv->pending > 0 ? ATTR_BOLD : 0);
    return n;
}
