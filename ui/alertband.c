/*
 * Panels' alert bands. A column of the band stands for the time slice
 * its width covers; it is marked when a firing span overlaps the slice,
 * so a short alert still shows as one column at any range.
 */
#include "ui/alertband.h"

#include "ui/theme.h"

/* p's marks in rv, or NULL. */
static const struct panel_alert_marks *
marks_of(const struct rule_view *rv, const struct panel *p)
{
    for (size_t i = 0; rv != NULL && i < rv->nmarks; i++)
        if (rv->marks[i].panel == p)
            return &rv->marks[i];
    return NULL;
}

/* Whether a span of m overlaps [from, to). */
static bool
overlaps(const struct panel_alert_marks *m, int64_t from, int64_t to)
{
    for (size_t k = 0; k < m->nspans; k++)
        if (m->spans[2 * k] < to && m->spans[2 * k + 1] >= from)
            return true;
    return false;
}

bool
alertband_draw(struct canvas *c, struct rect r, const struct panel *p,
               const struct rule_view *rv, const struct widget_ctx *ctx)
{
    const struct panel_alert_marks *m = marks_of(rv, p);
    int iw = r.w - 2, y = r.y + r.h - 1;
    int64_t range = ctx->end_ms - ctx->start_ms, last;
    uint32_t ch = canvas_ascii(c) ? '#' : 0x2580;
    const char *word;

    if (m == NULL || m->nspans == 0 || iw < 4 || r.h < 3 || range <= 0)
        return false;
    for (int i = 0; i < iw; i++) {
        int64_t from = ctx->start_ms + range * i / iw;
        int64_t to = ctx->start_ms + range * (i + 1) / iw;

        if (overlaps(m, from, i == iw - 1 ? to + 1 : to))
            canvas_put(c, r.x + 1 + i, y, ch, ROLE_CRIT, 0);
    }
    /* Still firing when the last span reaches the last step. */
    last = m->spans[2 * m->nspans - 1];
    word = last >= ctx->end_ms - (ctx->step_ms > 0 ? ctx->step_ms : 0)
           ? " firing " : " fired ";
    if (iw > 12)
        canvas_text(c, r.x + r.w - 1 - canvas_text_width(word) - 1, y, -1,
                    word, ROLE_CRIT, ATTR_BOLD);
    return true;
}
