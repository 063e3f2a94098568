/*
 * The panel frame and the helpers the classes share (series access,
 * thresholds, legends, wrapping). Which class draws a kind is the
 * registry's business (ui/widget_registry.c). A kind without a class
 * draws an explicit message, never garbage and never a crash.
 */
#include "ui/widget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/theme.h"
#include "ui/widget_registry.h"

enum unit
widget_unit(const struct panel *p, const struct panel_query *q)
{
    return q->unit != UNIT_NONE ? q->unit : p->unit;
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

void
widget_legend(const struct panel_query *q, const struct qseries *s,
              struct buf *out)
{
    format_legend(q->legend, &s->labels, out);
}

/* Whether any query of p has a point to draw. */
static bool
widget_has_data(const struct panel *p)
{
    struct widget_tmp tmp;

    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        for (size_t j = 0; j < widget_nseries(r); j++)
            if (widget_series(r, j, &tmp)->npoints > 0)
                return true;
    }
    return false;
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

/* Writes msg centred in r (wrapped when it does not fit one line). */
static void
draw_centred(struct canvas *c, struct rect r, const char *msg, int role)
{
    int w = canvas_text_width(msg);

    if (w > r.w) {
        widget_wrap(c, r, msg, role);
        return;
    }
    canvas_text(c, r.x + (r.w - w) / 2, r.y + (r.h - 1) / 2, w, msg,
                role, 0);
}

/* Gathers the errors of failing queries into out; returns how many. */
static size_t
collect_errors(const struct panel *p, struct buf *out)
{
    size_t n = 0;

    for (size_t i = 0; i < p->nqueries; i++) {
        if (p->queries[i].error == NULL)
            continue;
        if (n++ > 0)
            buf_putc(out, '\n');
        buf_puts(out, "error: ");
        buf_puts(out, p->queries[i].error);
    }
    return n;
}

/* The frame with the title set into its top edge: "┌ title ───┐". */
static void
draw_frame(const struct panel *p, struct canvas *c, struct rect r)
{
    canvas_box(c, r, ROLE_BORDER);
    if (p->title != NULL && p->title[0] != '\0' && r.w > 6) {
        canvas_put(c, r.x + 1, r.y, ' ', ROLE_BORDER, 0);
        int n = canvas_text(c, r.x + 2, r.y, r.w - 5, p->title,
                            ROLE_TITLE, ATTR_BOLD);
        canvas_put(c, r.x + 2 + n, r.y, ' ', ROLE_BORDER, 0);
    }
}

void
widget_draw_panel(const struct panel *p, const struct widget_ctx *ctx,
                  struct canvas *c, struct rect r)
{
    const struct widget_class *cls = widget_class_for(p->kind);
    struct rect in = { r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
    struct buf err;
    size_t nerr;

    if (r.w < 3 || r.h < 3) {
        if (r.w > 0 && r.h > 0 && p->title != NULL)
            canvas_text(c, r.x, r.y, r.w, p->title, ROLE_TITLE, 0);
        return;
    }
    draw_frame(p, c, r);
    if (cls == NULL) {
        const char *kind = model_kind_name(p->kind);
        char msg[96];

        snprintf(msg, sizeof msg, "panel type not supported yet (%s)",
                 kind != NULL ? kind : "?");
        draw_centred(c, in, msg, ROLE_INACTIVE);
        return;
    }
    buf_init(&err, 0);
    nerr = collect_errors(p, &err);
    if (p->kind == PANEL_TEXT) {
        /* Text needs no query: it is its own data. */
        cls->draw(p, ctx, c, in);
    } else if (nerr > 0 && !widget_has_data(p)) {
        widget_wrap(c, in, buf_str(&err), ROLE_CRIT);
    } else if (nerr > 0) {
        /* Some queries failed, some did not: errors take the bottom. */
        struct rect er = { in.x, in.y + in.h - in.h / 3 - 1, in.w,
                           in.h / 3 + 1 };

        in.h -= er.h;
        widget_wrap(c, er, buf_str(&err), ROLE_CRIT);
        cls->draw(p, ctx, c, in);
    } else if (!widget_has_data(p)) {
        draw_centred(c, in, "no data", ROLE_INACTIVE);
    } else {
        cls->draw(p, ctx, c, in);
    }
    buf_fini(&err);
}

int
widget_want_height(const struct panel *p, int w)
{
    const struct widget_class *cls = widget_class_for(p->kind);
    int minw = 0, minh = 0, want = 1;
    struct buf err;

    if (cls == NULL || (!widget_has_data(p) && p->kind != PANEL_TEXT))
        want = 1;
    else
        cls->measure(p, w - 2, &minw, &minh, &want);
    buf_init(&err, 0);
    /* Room for the error lines too, roughly one per width of text. */
    if (collect_errors(p, &err) > 0)
        want += 1 + (int)err.len / (w > 2 ? w - 2 : 1);
    buf_fini(&err);
    return want + 2;
}
