/*
 * The screen frame: title bar with one tab per view, the status and the
 * range, the body, and the key bar (which takes the status instead when
 * the title bar has no room for it). Pages are laid out by ui/layout.c and their
 * panels drawn through the widget classes; the targets and help views
 * live in files of their own.
 */
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>

#include "src/xalloc.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/view_help.h"
#include "ui/view_targets.h"
#include "ui/widget.h"

int
view_count(const struct dashboard *d)
{
    return (int)d->npages + 1;
}

void
view_range_text(int64_t ms, char *out, size_t n)
{
    if (ms > 0 && ms % 86400000 == 0)
        snprintf(out, n, "%lldd", (long long)(ms / 86400000));
    else if (ms > 0 && ms % 3600000 == 0)
        snprintf(out, n, "%lldh", (long long)(ms / 3600000));
    else if (ms > 0 && ms % 60000 == 0)
        snprintf(out, n, "%lldm", (long long)(ms / 60000));
    else
        snprintf(out, n, "%llds", (long long)(ms / 1000));
}

/* Adds a tab " N name " at *x; records its hit box. */
static void
draw_tab(struct canvas *c, struct view_state *vs, int *x, int limit,
         int view, const char *name)
{
    char label[64];
    bool active = !vs->help && vs->view == view;
    int n;

    snprintf(label, sizeof label, " %d %s ", view + 1, name ? name : "");
    if (view >= 9)
        snprintf(label, sizeof label, " %s ", name ? name : "");
    n = canvas_text(c, *x, 0, limit - *x, label,
                    active ? ROLE_TAB_ACTIVE : ROLE_TAB,
                    active ? ATTR_BOLD : 0);
    if (n > 0 && vs->ntabs < VIEW_MAX_TABS) {
        vs->tabs[vs->ntabs] = (struct rect){ *x, 0, n, 1 };
        vs->tab_view[vs->ntabs++] = view;
    }
    *x += n + 1;
}

/*
 * The right end of the title bar: [PAUSED] [status ·] last 1h. The status
 * goes here only while the whole stays within half the width; returns
 * whether it did (otherwise the status bar shows it).
 */
static bool
draw_title_right(struct canvas *c, const struct view_state *vs,
                 const struct dashboard *d, const char *status, int *left)
{
    int w = canvas_width(c), x;
    char range[32];
    struct buf b;
    bool with = status != NULL && status[0] != '\0';

    view_range_text(d->range_ms, range, sizeof range);
    buf_init(&b, 0);
    if (with)
        buf_printf(&b, "%s  ", status);
    buf_printf(&b, "last %s ", range);
    if (with && canvas_text_width(buf_str(&b)) + 8 > w / 2) {
        with = false;
        buf_reset(&b);
        buf_printf(&b, "last %s ", range);
    }
    x = w - canvas_text_width(buf_str(&b));
    canvas_text(c, x, 0, -1, buf_str(&b), ROLE_LABEL, 0);
    if (vs->paused) {
        x -= 8;
        canvas_text(c, x, 0, 6, "PAUSED", ROLE_WARN,
                    ATTR_BOLD | ATTR_REVERSE);
    }
    *left = x;
    buf_fini(&b);
    return with;
}

/* Title, one tab per view, then the right end; true when the status was
 * shown there. */
static bool
draw_title_bar(struct canvas *c, struct view_state *vs,
               const struct dashboard *d, const char *status)
{
    int w = canvas_width(c), x = 1, right;
    bool shown;

    canvas_fill(c, (struct rect){ 0, 0, w, 1 }, ' ', ROLE_DEFAULT, 0);
    shown = draw_title_right(c, vs, d, status, &right);
    x += canvas_text(c, x, 0, right / 3, d->title ? d->title : "promdeck",
                     ROLE_TITLE, ATTR_BOLD) + 2;
    vs->ntabs = 0;
    for (size_t i = 0; i < d->npages; i++)
        draw_tab(c, vs, &x, right - 1, (int)i, d->pages[i].title);
    draw_tab(c, vs, &x, right - 1, (int)d->npages, "targets");
    return shown;
}

static void
draw_status_bar(struct canvas *c, const struct view_state *vs,
                const char *status, struct rect r)
{
    const char *keys = vs->help ? "? close help  q quit"
                       : "q quit  tab view  p pause  r reload  ? help";
    int kw = canvas_text_width(keys);

    canvas_fill(c, r, ' ', ROLE_STATUS, 0);
    if (status != NULL)
        canvas_text(c, r.x + 1, r.y, r.w - kw - 3, status, ROLE_STATUS, 0);
    if (kw + 2 <= r.w)
        canvas_text(c, r.x + r.w - kw - 1, r.y, kw, keys, ROLE_STATUS,
                    ATTR_BOLD);
}

struct view_memo {
    bool valid;
    int view, w, h;
    bool help;
    const struct dashboard *dash;
    size_t n;               /* panels on the page shown */
    uint64_t *sig;          /* per panel: what it was drawn from */
};

struct view_memo *
view_memo_new(void)
{
    return xcalloc(1, sizeof(struct view_memo));
}

void
view_memo_free(struct view_memo *m)
{
    if (m == NULL)
        return;
    free(m->sig);
    free(m);
}

void
view_memo_invalidate(struct view_memo *m)
{
    m->valid = false;
}

static void
mix(uint64_t *h, uint64_t v)
{
    *h = (*h ^ v) * 0x100000001b3ULL;
    *h ^= *h >> 29;
}

/* A fingerprint of what panel p draws from: its results and errors (src/
 * replaces rather than edits them) and the time range. */
static uint64_t
panel_sig(const struct panel *p, const struct dashboard *d)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    mix(&h, (uint64_t)(uintptr_t)p);
    mix(&h, (uint64_t)d->now_ms);
    mix(&h, (uint64_t)d->range_ms);
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        mix(&h, (uint64_t)(uintptr_t)r);
        mix(&h, (uint64_t)(uintptr_t)p->queries[i].error);
        if (r != NULL) {
            mix(&h, (uint64_t)r->t);
            mix(&h, (uint64_t)r->nseries);
        }
    }
    return h;
}

/* Draws the page's panels: all of them, or with a memo only those that
 * changed since it was taken. */
static void
draw_page(struct canvas *c, struct rect body, const struct dashboard *d,
          size_t page, const int *row_h, struct view_memo *m, bool all)
{
    const struct page *pg = &d->pages[page];
    size_t n = layout_npanels(pg), k = 0;
    struct rect *rs = xcalloc(n + 1, sizeof *rs);
    struct rect *titles = xcalloc(pg->nrows + 1, sizeof *titles);
    struct widget_ctx ctx = { d->now_ms - d->range_ms, d->now_ms,
                              d->step_ms };

    layout_page(pg, body, row_h, rs, titles);
    for (size_t i = 0; i < pg->nrows; i++) {
        const struct row *row = &pg->rows[i];

        if (titles[i].h > 0 && all)
            canvas_text(c, titles[i].x + 1, titles[i].y, titles[i].w - 1,
                        row->title, ROLE_TITLE, ATTR_BOLD);
        for (size_t j = 0; j < row->npanels; j++, k++) {
            const struct panel *p = &row->panels[j];
            bool redraw = all || p->dirty;
            uint64_t sig = m != NULL ? panel_sig(p, d) : 0;

            if (m != NULL && m->sig[k] != sig)
                redraw = true;
            if (m != NULL)
                m->sig[k] = sig;
            if (!redraw)
                continue;
            canvas_fill(c, rs[k], ' ', ROLE_DEFAULT, 0);
            widget_draw_panel(p, &ctx, c, rs[k]);
        }
    }
    free(rs);
    free(titles);
}

void
view_draw_page(struct canvas *c, struct rect body, const struct dashboard *d,
               size_t page, const int *row_h)
{
    draw_page(c, body, d, page, row_h, NULL, true);
}

/* Writes s centred on line y of c, clipped to its width. */
static void
centre_line(struct canvas *c, int y, const char *s)
{
    int w = canvas_width(c), n = canvas_text_width(s);

    canvas_text(c, n < w ? (w - n) / 2 : 0, y, w, s, ROLE_WARN, ATTR_BOLD);
}

/* "terminal too small (WxH), need 40x10", centred; on two lines when
 * one is too narrow for it. */
static void
draw_too_small(struct canvas *c)
{
    char msg[80], size[40];
    int w = canvas_width(c), h = canvas_height(c);

    snprintf(size, sizeof size, "terminal too small (%dx%d),", w, h);
    snprintf(msg, sizeof msg, "%s need %dx%d", size, LAYOUT_MIN_W,
             LAYOUT_MIN_H);
    if (canvas_text_width(msg) <= w || h < 2) {
        centre_line(c, h / 2, msg);
        return;
    }
    snprintf(msg, sizeof msg, "need %dx%d", LAYOUT_MIN_W, LAYOUT_MIN_H);
    centre_line(c, (h - 1) / 2, size);
    centre_line(c, (h - 1) / 2 + 1, msg);
}

/* Whether the memo's frame can be drawn over, or all must be repainted;
 * resets the memo for a full repaint. */
static bool
memo_stale(struct view_memo *m, const struct canvas *c,
           const struct view_state *vs, const struct dashboard *d)
{
    size_t n = 0;

    if ((size_t)vs->view < d->npages && !vs->help)
        n = layout_npanels(&d->pages[vs->view]);
    if (m->valid && m->view == vs->view && m->help == vs->help
        && m->w == canvas_width(c) && m->h == canvas_height(c)
        && m->dash == d && m->n == n)
        return false;
    *m = (struct view_memo){ true, vs->view, canvas_width(c),
                             canvas_height(c), vs->help, d, n,
                             xreallocarray(m->sig, n + 1, sizeof *m->sig) };
    return true;
}

void
view_draw_memo(struct canvas *c, struct view_state *vs,
               const struct dashboard *d, const struct target_row *t,
               size_t nt, const char *status, int64_t now_ms,
               struct view_memo *m)
{
    struct layout_screen ls = layout_screen(canvas_width(c),
                                            canvas_height(c));
    bool all;

    vs->ntabs = 0;
    if (canvas_width(c) < LAYOUT_MIN_W || canvas_height(c) < LAYOUT_MIN_H) {
        canvas_clear(c);
        draw_too_small(c);
        if (m != NULL)
            view_memo_invalidate(m);
        return;
    }
    if (vs->view < 0 || vs->view >= view_count(d))
        vs->view = 0;
    all = m == NULL || memo_stale(m, c, vs, d);
    if (all)
        canvas_clear(c);
    if (draw_title_bar(c, vs, d, status))
        status = NULL;
    if (!all && (vs->help || (size_t)vs->view >= d->npages))
        canvas_fill(c, ls.body, ' ', ROLE_DEFAULT, 0);
    if (vs->help)
        view_draw_help(c, ls.body);
    else if ((size_t)vs->view < d->npages)
        draw_page(c, ls.body, d, (size_t)vs->view, NULL, m, all);
    else
        view_draw_targets(c, ls.body, t, nt, &vs->scroll, now_ms);
    draw_status_bar(c, vs, status, ls.status);
}

void
view_draw(struct canvas *c, struct view_state *vs,
          const struct dashboard *d, const struct target_row *t,
          size_t nt, const char *status, int64_t now_ms)
{
    view_draw_memo(c, vs, d, t, nt, status, now_ms, NULL);
}

int
view_tab_at(const struct view_state *vs, int x, int y)
{
    for (int i = 0; i < vs->ntabs; i++) {
        const struct rect *r = &vs->tabs[i];

        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return vs->tab_view[i];
    }
    return -1;
}
