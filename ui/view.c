/*
 * The screen frame: title bar with one tab per view, the status, the
 * selected variable and the range, the body, and the key bar (which takes
 * the status instead when the title bar has no room for it), or the `/`
 * prompt. Pages are laid out by ui/layout.c, their panels drawn through
 * the widget classes, the focused one with a heavy frame; the targets and
 * help views live in files of their own.
 */
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/frame.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/view_help.h"
#include "ui/view_targets.h"
#include "ui/widget.h"

int
view_count(const struct dashboard *d)
{
    return (int)d->npages + 2;
}

int
view_targets(const struct dashboard *d)
{
    return (int)d->npages;
}

int
view_explore(const struct dashboard *d)
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

/* "name=value  " for the selected template variable, or nothing. */
static void
variable_text(const struct dashboard *d, size_t i, struct buf *out)
{
    const struct variable *v;

    if (i >= d->nvariables)
        return;
    v = &d->variables[i];
    if (v->current < v->nvalues)
        buf_printf(out, "%s=%s  ", v->name, v->values[v->current]);
    else if (v->all)
        buf_printf(out, "%s=All  ", v->name);
    else
        buf_printf(out, "%s=  ", v->name);
}

/*
 * The right end of the title bar: [PAUSED] [status] [var=value] last 1h.
 * The status
 * goes here only while the whole stays within half the width; returns
 * whether it did (otherwise the status bar shows it).
 */
static bool
draw_title_right(struct canvas *c, const struct view_state *vs,
                 const struct dashboard *d, const char *status, int *left)
{
    int w = canvas_width(c), x;
    char range[32];
    struct buf b, var;
    bool with = status != NULL && status[0] != '\0';

    view_range_text(d->range_ms, range, sizeof range);
    buf_init(&var, 0);
    variable_text(d, vs->var, &var);
    buf_init(&b, 0);
    if (with)
        buf_printf(&b, "%s  ", status);
    buf_printf(&b, "%slast %s ", buf_str(&var), range);
    if (with && canvas_text_width(buf_str(&b)) + 8 > w / 2) {
        with = false;
        buf_reset(&b);
        buf_printf(&b, "%slast %s ", buf_str(&var), range);
    }
    buf_fini(&var);
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
    draw_tab(c, vs, &x, right - 1, view_targets(d), "targets");
    if (vs->explore != NULL)
        draw_tab(c, vs, &x, right - 1, view_explore(d), "explore");
    return shown;
}

/* The open `/` prompt over the whole status bar. */
static void
draw_prompt(struct canvas *c, const char *text, struct rect r)
{
    const char *keys = "Enter keep  Esc clear";
    int kw = canvas_text_width(keys), x;

    canvas_fill(c, r, ' ', ROLE_STATUS, 0);
    x = r.x + canvas_text(c, r.x, r.y, r.w - kw - 2, "/", ROLE_HI,
                          ATTR_BOLD);
    x += canvas_text(c, x, r.y, r.w - kw - 3 - (x - r.x), text,
                     ROLE_STATUS, 0);
    canvas_put(c, x, r.y, canvas_ascii(c) ? '_' : 0x2581, ROLE_HI, 0);
    if (kw + 4 <= r.w)
        canvas_text(c, r.x + r.w - kw - 1, r.y, kw, keys, ROLE_STATUS,
                    ATTR_BOLD);
}

static void
draw_status_bar(struct canvas *c, const struct view_state *vs,
                const char *status, struct rect r, bool explore)
{
    /* In explore every key types: only Esc leads out. */
    const char *keys = vs->help ? "? close help  q quit"
                       : explore ? "Enter run  Tab complete  Esc back"
                       : "q quit  tab view  / filter  p pause  ? help";
    int kw = canvas_text_width(keys), x = r.x + 1;

    if (vs->prompt != NULL) {
        draw_prompt(c, vs->prompt, r);
        return;
    }
    canvas_fill(c, r, ' ', ROLE_STATUS, 0);
    if (vs->filter_text != NULL && vs->filter_text[0] != '\0') {
        x += canvas_text(c, x, r.y, r.w - kw - 3, "filter: ", ROLE_WARN,
                         ATTR_BOLD);
        x += canvas_text(c, x, r.y, r.w - kw - 3 - (x - r.x),
                         vs->filter_text, ROLE_WARN, ATTR_BOLD) + 2;
    }
    if (status != NULL)
        canvas_text(c, x, r.y, r.w - kw - 3 - (x - r.x - 1), status,
                    ROLE_STATUS, 0);
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

/* Light box lines to heavy ones (or '=' and '#' in ASCII); others are
 * left as they are (the title set into the top edge). */
static uint32_t
heavy(uint32_t ch)
{
    switch (ch) {
    case 0x2500: return 0x2501;
    case 0x2502: return 0x2503;
    case 0x250c: return 0x250f;
    case 0x2510: return 0x2513;
    case 0x2514: return 0x2517;
    case 0x2518: return 0x251b;
    case '-': return '=';
    case '+': return '#';
    default: return ch;
    }
}

/* Marks the focused panel: its frame heavy, in the highlight role. */
static void
focus_frame(struct canvas *c, struct rect r)
{
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            const struct cell *ce = canvas_cell(c, x, y);
            bool edge = y == r.y || y == r.y + r.h - 1 || x == r.x
                        || x == r.x + r.w - 1;

            if (ce != NULL && edge && heavy(ce->ch) != ce->ch)
                canvas_put(c, x, y, heavy(ce->ch), ROLE_HI, ATTR_BOLD);
        }
}

/* Draws p into r, through the filter when one is set. */
static void
draw_panel(struct canvas *c, struct rect r, const struct panel *p,
           const struct widget_ctx *ctx, const struct view_state *vs,
           bool focused)
{
    struct panel fp;

    canvas_fill(c, r, ' ', ROLE_DEFAULT, 0);
    if (vs != NULL && vs->filter != NULL) {
        filter_panel(vs->filter, p, &fp);
        frame_draw_panel(&fp, ctx, c, r);
        filter_panel_fini(&fp);
    } else {
        frame_draw_panel(p, ctx, c, r);
    }
    if (focused)
        focus_frame(c, r);
}

/* The panel of pg at layout index k. */
static const struct panel *
panel_at(const struct page *pg, size_t k)
{
    for (size_t i = 0; i < pg->nrows; i++) {
        if (k < pg->rows[i].npanels)
            return &pg->rows[i].panels[k];
        k -= pg->rows[i].npanels;
    }
    return NULL;
}

/* Records the panel hit boxes of the last draw. */
static void
record_panels(struct view_state *vs, const struct rect *rs, size_t n)
{
    vs->npanels = 0;
    for (size_t k = 0; k < n && k < VIEW_MAX_PANELS; k++)
        vs->panels[vs->npanels++] = rs[k];
}

/* The zoomed page: the focused panel over the whole body. */
static void
draw_zoomed(struct canvas *c, struct rect body, const struct dashboard *d,
            size_t page, struct view_state *vs)
{
    const struct panel *p = panel_at(&d->pages[page], (size_t)vs->focus);
    struct widget_ctx ctx = { d->now_ms - d->range_ms, d->now_ms,
                              d->step_ms };

    if (p == NULL)
        return;
    draw_panel(c, body, p, &ctx, vs, true);
    /* No hit boxes: nothing else is on screen to click. */
    vs->npanels = 0;
}

/* Draws the page's panels: all of them, or with a memo only those that
 * changed since it was taken. vs (may be NULL) brings focus and filter. */
static void
draw_page(struct canvas *c, struct rect body, const struct dashboard *d,
          size_t page, const int *row_h, struct view_memo *m, bool all,
          struct view_state *vs)
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
            if (redraw)
                draw_panel(c, rs[k], p, &ctx, vs,
                           vs != NULL && vs->focus == (int)k);
        }
    }
    if (vs != NULL)
        record_panels(vs, rs, n);
    free(rs);
    free(titles);
}

void
view_draw_page(struct canvas *c, struct rect body, const struct dashboard *d,
               size_t page, const int *row_h)
{
    draw_page(c, body, d, page, row_h, NULL, true, NULL);
}

/* Writes s centred on line y of c, clipped to its width. */
static void
centre_line(struct canvas *c, int y, const char *s)
{
    int w = canvas_width(c), n = canvas_text_width(s);

    canvas_text(c, n < w ? (w - n) / 2 : 0, y, w, s, ROLE_WARN, ATTR_BOLD);
}

/* Splits msg into lines of at most w cells at its spaces (a longer
 * word is clipped by the draw); returns the count, at most max. */
static int
split_words(const char *msg, int w, char lines[][80], int max)
{
    int n = 0, len = 0;
    const char *s = msg;

    while (*s != '\0' && n < max) {
        size_t word = strcspn(s, " ");

        if (len > 0 && len + 1 + (int)word > w) {
            n++;
            len = 0;
            if (n == max)
                break;
        }
        if (len > 0)
            lines[n][len++] = ' ';
        memcpy(lines[n] + len, s, word);
        len += (int)word;
        lines[n][len] = '\0';
        s += word + strspn(s + word, " ");
    }
    return len > 0 && n < max ? n + 1 : n;
}

/* "terminal too small (WxH), need 40x10", word-wrapped and centred, so
 * even a tiny terminal shows whole words and nothing else. */
static void
draw_too_small(struct canvas *c)
{
    char msg[80], lines[6][80];
    int w = canvas_width(c), h = canvas_height(c), n;

    snprintf(msg, sizeof msg, "terminal too small (%dx%d), need %dx%d", w,
             h, LAYOUT_MIN_W, LAYOUT_MIN_H);
    n = split_words(msg, w, lines, 6);
    for (int i = 0; i < n && i < h; i++)
        centre_line(c, (h - n > 0 ? (h - n + 1) / 2 : 0) + i, lines[i]);
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

/* Keeps the focus on a panel of the page and the variable in range. */
static void
clamp_state(struct view_state *vs, const struct dashboard *d)
{
    int n = 0;

    if (vs->view < 0 || vs->view >= view_count(d)
        || (vs->view == view_explore(d) && vs->explore == NULL))
        vs->view = 0;
    if ((size_t)vs->view < d->npages)
        n = (int)layout_npanels(&d->pages[vs->view]);
    vs->focus = vs->focus >= n ? n - 1 : vs->focus;
    vs->focus = vs->focus < 0 ? 0 : vs->focus;
    if (n == 0)
        vs->zoom = false;
    if (vs->var >= d->nvariables)
        vs->var = 0;
}

/* The body: help, a page (zoomed or not) or the targets. */
static void
draw_body(struct canvas *c, struct rect body, struct view_state *vs,
          const struct dashboard *d, const struct target_view *tv,
          int64_t now_ms, struct view_memo *m, bool all)
{
    static const struct target_view none = { 0 };

    vs->npanels = 0;
    if (vs->help) {
        view_draw_help(c, body);
    } else if ((size_t)vs->view < d->npages && vs->zoom) {
        draw_zoomed(c, body, d, (size_t)vs->view, vs);
    } else if ((size_t)vs->view < d->npages) {
        draw_page(c, body, d, (size_t)vs->view, NULL, m, all, vs);
    } else if (vs->view == view_explore(d)) {
        explore_draw(vs->explore, c, body, theme_default());
    } else {
        if (vs->targets.sel < 0)
            vs->targets.sel = 0;
        view_draw_targets(c, body, tv != NULL ? tv : &none, &vs->targets,
                          now_ms);
    }
}

void
view_draw_memo(struct canvas *c, struct view_state *vs,
               const struct dashboard *d, const struct target_view *tv,
               const char *status, int64_t now_ms, struct view_memo *m)
{
    struct layout_screen ls = layout_screen(canvas_width(c),
                                            canvas_height(c));
    bool all;

    vs->ntabs = 0;
    vs->npanels = 0;
    if (canvas_width(c) < LAYOUT_MIN_W || canvas_height(c) < LAYOUT_MIN_H) {
        canvas_clear(c);
        draw_too_small(c);
        if (m != NULL)
            view_memo_invalidate(m);
        return;
    }
    clamp_state(vs, d);
    /* A zoomed panel is one panel: it is simply redrawn. */
    all = m == NULL || memo_stale(m, c, vs, d) || vs->zoom;
    if (all)
        canvas_clear(c);
    if (draw_title_bar(c, vs, d, status))
        status = NULL;
    if (!all && (vs->help || (size_t)vs->view >= d->npages))
        canvas_fill(c, ls.body, ' ', ROLE_DEFAULT, 0);
    draw_body(c, ls.body, vs, d, tv, now_ms, m, all);
    draw_status_bar(c, vs, status, ls.status,
                    !vs->help && vs->view == view_explore(d));
}

void
view_draw(struct canvas *c, struct view_state *vs,
          const struct dashboard *d, const struct target_view *tv,
          const char *status, int64_t now_ms)
{
    view_draw_memo(c, vs, d, tv, status, now_ms, NULL);
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

int
view_panel_at(const struct view_state *vs, int x, int y)
{
    for (int i = 0; i < vs->npanels; i++) {
        const struct rect *r = &vs->panels[i];

        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return i;
    }
    return -1;
}

/* How far b lies from a in direction (dx, dy): the gap between their
 * facing edges, or -1 when b is not wholly on that side. */
static int
gap_towards(struct rect a, struct rect b, int dx, int dy)
{
    int g = dx > 0 ? b.x - (a.x + a.w) : dx < 0 ? a.x - (b.x + b.w)
            : dy > 0 ? b.y - (a.y + a.h) : a.y - (b.y + b.h);

    return g >= 0 ? g : -1;
}

/* How far apart the centres of a and b are across the direction. */
static int
misalign(struct rect a, struct rect b, int dx)
{
    int d = dx != 0 ? (2 * a.y + a.h) - (2 * b.y + b.h)
                    : (2 * a.x + a.w) - (2 * b.x + b.w);

    return d < 0 ? -d : d;
}

int
view_focus_move(const struct page *pg, struct rect body, int from, int dx,
                int dy)
{
    size_t n = layout_npanels(pg);
    struct rect *rs;
    int best = from, bgap = 0, bmis = 0;

    if (from < 0 || (size_t)from >= n)
        return from;
    rs = xcalloc(n + 1, sizeof *rs);
    layout_page(pg, body, NULL, rs, NULL);
    for (size_t k = 0; k < n; k++) {
        int g = gap_towards(rs[from], rs[k], dx, dy), mi;

        if ((int)k == from || g < 0)
            continue;
        mi = misalign(rs[from], rs[k], dx);
        if (best == from || g < bgap || (g == bgap && mi < bmis)) {
            best = (int)k;
            bgap = g;
            bmis = mi;
        }
    }
    free(rs);
    return best;
}
