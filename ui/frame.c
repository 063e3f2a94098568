/*
 * The frame around a panel: the box with the title set into its top
 * edge, the errors of failing queries, "loading" (a query not evaluated
 * yet) or "no data", or the message for a kind without a class; the
 * inside goes to the panel's widget class. It draws no data itself and
 * keeps no state.
 */
#include "ui/frame.h"

#include <stdbool.h>
#include <stdio.h>

#include "src/base/buf.h"
#include "ui/theme.h"
#include "ui/widget_registry.h"

/* Whether any query of p has a point to draw. */
static bool
has_data(const struct panel *p)
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

/* Whether a query of p waits for its first evaluation. */
static bool
pending(const struct panel *p)
{
    for (size_t i = 0; i < p->nqueries; i++)
        if (p->queries[i].pending)
            return true;
    return false;
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

/* Gathers the errors of failing queries, and the notes of overrides
 * that could not decide, into out; returns how many. */
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
    return n + widget_override_notes(p, out);
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
frame_draw_panel(const struct panel *p, const struct widget_ctx *ctx,
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
    } else if (nerr > 0 && !has_data(p)) {
        widget_wrap(c, in, buf_str(&err), ROLE_CRIT);
    } else if (nerr > 0) {
        /* Some queries failed, some did not: errors take the bottom. */
        struct rect er = { in.x, in.y + in.h - in.h / 3 - 1, in.w,
                           in.h / 3 + 1 };

        in.h -= er.h;
        widget_wrap(c, er, buf_str(&err), ROLE_CRIT);
        cls->draw(p, ctx, c, in);
    } else if (!has_data(p)) {
        /* A page shown before its queries ran says so, rather than
         * claiming there is nothing. */
        draw_centred(c, in, pending(p) ? "loading" : "no data",
                     ROLE_INACTIVE);
    } else {
        cls->draw(p, ctx, c, in);
    }
    buf_fini(&err);
}

int
frame_want_height(const struct panel *p, int w)
{
    const struct widget_class *cls = widget_class_for(p->kind);
    int minw = 0, minh = 0, want = 1;
    struct buf err;

    if (cls == NULL || (!has_data(p) && p->kind != PANEL_TEXT))
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
