/*
 * The helpers the widget classes share: series access, each series' look
 * (its name, colour, unit and place once the panel's overrides are
 * applied), thresholds, "no data", wrapping. The frame around a panel is
 * ui/frame.c's; which class draws a kind is the registry's
 * (ui/widget_registry.c).
 */
#include "ui/widget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/theme.h"

enum unit
widget_unit(const struct panel *p, const struct panel_query *q)
{
    return q->unit != UNIT_AUTO ? q->unit : p->unit;
}

/* Whether override o picks the series named name of query q. */
static bool
override_matches(const struct series_override *o,
                 const struct panel_query *q, const char *name)
{
    bool in = false;

    switch (o->match) {
    case MATCH_NAME:
        return o->pattern != NULL && strcmp(o->pattern, name) == 0;
    case MATCH_REGEX:
        for (size_t i = 0; i < o->nnames && !in; i++)
            in = strcmp(o->names[i], name) == 0;
        return in || (o->re != NULL && regex_match(o->re, name,
                                                   strlen(name)));
    case MATCH_QUERY:
        return o->pattern != NULL && q->ref_id != NULL
               && strcmp(o->pattern, q->ref_id) == 0;
    case MATCH_NAMES:
        for (size_t i = 0; i < o->nnames && !in; i++)
            in = strcmp(o->names[i], name) == 0;
        return in != o->exclude;
    case MATCH_ALL:
        return true;
    }
    return false;
}

/* Applies what o sets to l; base is the name before any override. */
static void
apply_override(const struct series_override *o, const struct qseries *s,
               const char *base, struct widget_look *l)
{
    if (o->set & OVR_NAME) {
        buf_reset(&l->name);
        format_display_name(o->display_name, &s->labels, base, &l->name);
    }
    if (o->set & OVR_COLOR) {
        l->role = o->role;
        l->colored = true;
    }
    if (o->set & OVR_UNIT) {
        l->unit = o->unit;
        l->unit_text = o->unit_text;
    }
    if (o->set & OVR_DECIMALS)
        l->decimals = o->decimals;
    if (o->set & OVR_AXIS)
        l->right = o->right;
    if (o->set & OVR_NEGATIVE)
        l->negative = o->negative;
    if (o->set & OVR_STACK) {
        l->stack = o->stack;
        l->stack_group = o->stack_group != NULL ? o->stack_group : "A";
    }
    if (o->set & OVR_HIDE)
        l->hide = o->hide;
    if (o->set & OVR_MIN)
        l->min = o->min;
    if (o->set & OVR_MAX)
        l->max = o->max;
}

void
widget_look_of(const struct panel *p, const struct panel_query *q,
               const struct qseries *s, int role, struct widget_look *l)
{
    char *base;

    memset(l, 0, sizeof *l);
    buf_init(&l->name, 0);
    format_legend(q->legend, &s->labels, &l->name);
    if (p->display_name != NULL) {
        base = buf_steal(&l->name);
        format_display_name(p->display_name, &s->labels,
                            base != NULL ? base : "", &l->name);
        free(base);
    }
    l->role = role;
    l->unit = widget_unit(p, q);
    l->unit_text = q->unit != UNIT_AUTO ? q->unit_text : p->unit_text;
    l->decimals = p->decimals;
    l->stack = !p->stack ? STACK_NONE
               : p->stack_percent ? STACK_PERCENT : STACK_NORMAL;
    l->stack_group = "A";
    l->min = l->max = NAN;
    if (p->noverrides == 0)
        return;
    /* Every override matches on the name before any of them renames. */
    base = xstrdup(buf_str(&l->name));
    for (size_t i = 0; i < p->noverrides; i++)
        if (override_matches(&p->overrides[i], q, base))
            apply_override(&p->overrides[i], s, base, l);
    free(base);
}

size_t
widget_override_notes(const struct panel *p, struct buf *out)
{
    size_t n = 0;

    for (size_t i = 0; i < p->noverrides; i++) {
        const struct series_override *o = &p->overrides[i];

        if (o->match != MATCH_REGEX || o->re == NULL
            || regex_undecided(o->re) == 0)
            continue;
        if (out->len > 0)
            buf_putc(out, '\n');
        buf_printf(out, "override %zu: regex %s undecided for some series "
                   "(too complex for them)", i + 1,
                   o->pattern != NULL ? o->pattern : "");
        n++;
    }
    return n;
}

void
widget_look_fini(struct widget_look *l)
{
    buf_fini(&l->name);
}

void
widget_look_format(const struct widget_look *l, double v, char *out,
                   size_t n)
{
    format_value_as(v, l->unit, l->unit_text, l->decimals, out, n);
}

int
widget_look_role(const struct panel *p, const struct widget_look *l,
                 double v)
{
    return l->colored ? l->role : widget_threshold_role(p, v, l->role);
}

size_t
widget_nseries(const struct qresult *r)
{
    if (r == NULL)
        return 0;
    if (r->type == QV_SCALAR)
        return 1;
    if (r->type == QV_VECTOR || r->type == QV_MATRIX)
        return r->nseries;
    return 0;
}

const struct qseries *
widget_series(const struct qresult *r, size_t i, struct widget_tmp *tmp)
{
    if (r->type != QV_SCALAR)
        return &r->series[i];
    tmp->pt.t = r->t;
    tmp->pt.v = r->scalar;
    tmp->s.labels.v = NULL;
    tmp->s.labels.n = 0;
    tmp->s.points = &tmp->pt;
    tmp->s.npoints = 1;
    return &tmp->s;
}

double
widget_last(const struct qseries *s)
{
    if (s->npoints == 0)
        return NAN;
    return s->points[s->npoints - 1].v;
}

bool
widget_no_data(const struct qseries *s)
{
    for (size_t i = 0; i < s->npoints; i++)
        if (!isnan(s->points[i].v))
            return false;
    return true;
}

void
widget_draw_no_data(struct canvas *c, struct rect r)
{
    int w = canvas_text_width(WIDGET_NO_DATA);

    if (r.w <= 0 || r.h <= 0)
        return;
    canvas_text(c, r.x + (w < r.w ? (r.w - w) / 2 : 0), r.y + (r.h - 1) / 2,
                r.w, WIDGET_NO_DATA, ROLE_INACTIVE, 0);
}

/* The first series of p with a point, and a number too if want_number. */
static const struct qseries *
first_with(const struct panel *p, bool want_number,
           const struct panel_query **q, struct widget_tmp *tmp)
{
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        for (size_t j = 0; j < widget_nseries(r); j++) {
            const struct qseries *s = widget_series(r, j, tmp);

            if (s->npoints > 0 && (!want_number || !widget_no_data(s))) {
                *q = &p->queries[i];
                return s;
            }
        }
    }
    return NULL;
}

const struct qseries *
widget_first_series(const struct panel *p, const struct panel_query **q,
                    struct widget_tmp *tmp)
{
    const struct qseries *s = first_with(p, true, q, tmp);

    return s != NULL ? s : first_with(p, false, q, tmp);
}

int
widget_threshold_role(const struct panel *p, double v, int dflt)
{
    int role = dflt;
    double best = -INFINITY;

    /* Thresholds need not be sorted: take the highest one reached. */
    for (size_t i = 0; i < p->nthresholds; i++) {
        const struct threshold *t = &p->thresholds[i];

        if (!isnan(v) && v >= t->value && t->value >= best) {
            best = t->value;
            role = t->role;
        }
    }
    return role;
}

/* "last 1.5k  min 3  max 2k" for one series, or just the last value;
 * "no data" for a series without a number. */
static void
legend_stats(const struct widget_legend_item *it, bool full,
             struct buf *out)
{
    double mn = INFINITY, mx = -INFINITY;
    char a[FORMAT_VALUE_MAX], b[FORMAT_VALUE_MAX], d[FORMAT_VALUE_MAX];

    if (widget_no_data(it->s)) {
        buf_puts(out, WIDGET_NO_DATA);
        return;
    }
    for (size_t i = 0; i < it->s->npoints; i++) {
        double v = it->s->points[i].v;

        if (isnan(v))
            continue;
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
    }
    widget_look_format(it->look, widget_last(it->s), a, sizeof a);
    if (!full) {
        buf_puts(out, a);
        return;
    }
    widget_look_format(it->look, mn, b, sizeof b);
    widget_look_format(it->look, mx, d, sizeof d);
    buf_printf(out, "last %s  min %s  max %s", a, b, d);
}

size_t
widget_legend_lines(const struct widget_legend_item *items, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += !(items[i].look->hide & HIDE_LEGEND);
    return k;
}

/* One legend line: the series' colour, name and stats. */
static void
legend_line(const struct widget_legend_item *it, struct canvas *c,
            struct rect r, struct buf *name, struct buf *stats)
{
    int sw;

    buf_reset(name);
    buf_reset(stats);
    buf_puts(name, buf_str(&it->look->name));
    if (it->look->right)
        buf_puts(name, " (right)");
    legend_stats(it, true, stats);
    /* Only the last value when all of them would crowd the name out. */
    if (canvas_text_width(buf_str(stats)) > r.w * 2 / 3
        || canvas_text_width(buf_str(name)) + canvas_text_width(
               buf_str(stats)) + 3 > r.w) {
        buf_reset(stats);
        legend_stats(it, false, stats);
    }
    canvas_put(c, r.x, r.y, canvas_ascii(c) ? '*' : 0x25a0, it->look->role,
               0);
    sw = canvas_text_right(c, r.x, r.y, r.w, buf_str(stats), ROLE_DEFAULT, 0);
    canvas_text(c, r.x + 2, r.y, r.w - sw - 3, buf_str(name), ROLE_LABEL, 0);
}

void
widget_legend_draw(const struct widget_legend_item *items, size_t n,
                   struct canvas *c, struct rect r)
{
    size_t shown = widget_legend_lines(items, n), line = 0;
    struct buf name, stats;

    buf_init(&name, 0);
    buf_init(&stats, 0);
    for (size_t i = 0; i < n && (int)line < r.h; i++) {
        int y = r.y + (int)line;

        if (items[i].look->hide & HIDE_LEGEND)
            continue;
        if ((int)line == r.h - 1 && (size_t)r.h < shown) {
            buf_reset(&name);
            buf_printf(&name, "+%zu more series", shown - line);
            canvas_text(c, r.x + 2, y, r.w - 2, buf_str(&name),
                        ROLE_INACTIVE, 0);
            break;
        }
        legend_line(&items[i], c, (struct rect){ r.x, y, r.w, 1 }, &name,
                    &stats);
        line++;
    }
    buf_fini(&name);
    buf_fini(&stats);
}

/* The length of the next line of cps[0..n) at width w: up to a hard
 * break, else the last space that fits, else w code points. */
static size_t
wrap_line(const uint32_t *cps, size_t n, int w, size_t *skip)
{
    size_t i, space = 0;

    *skip = 0;
    for (i = 0; i < n && i < (size_t)w; i++) {
        if (cps[i] == '\n') {
            *skip = 1;
            return i;
        }
        if (cps[i] == ' ')
            space = i;
    }
    if (i == n)
        return n;
    if (cps[i] == ' ' || cps[i] == '\n') {
        *skip = 1;
        return i;
    }
    if (space > 0) {
        *skip = 1;
        return space;
    }
    return i;
}

/* Wraps text into r (c NULL: only counts, with no limit on lines). */
static int
wrap(struct canvas *c, struct rect r, const char *text, int role, int attr)
{
    size_t n = 0, len = strlen(text), pos = 0, take, skip;
    uint32_t *cps = xmalloc((len + 1) * sizeof *cps);
    const char *s = text;
    int line = 0;

    while (*s != '\0')
        cps[n++] = canvas_utf8_next(&s);
    while (pos < n && (c == NULL || line < r.h) && r.w > 0) {
        take = wrap_line(cps + pos, n - pos, r.w, &skip);
        for (size_t i = 0; c != NULL && i < take; i++)
            canvas_put(c, r.x + (int)i, r.y + line, cps[pos + i], role,
                       attr);
        pos += take + skip;
        line++;
    }
    free(cps);
    return line;
}

int
widget_wrap(struct canvas *c, struct rect r, const char *text, int role)
{
    return wrap(c, r, text, role, 0);
}

int
widget_wrap_attr(struct canvas *c, struct rect r, const char *text,
                 int role, int attr)
{
    return wrap(c, r, text, role, attr);
}

int
widget_wrap_lines(const char *text, int w)
{
    return wrap(NULL, (struct rect){ 0, 0, w, 0 }, text, 0, 0);
}
