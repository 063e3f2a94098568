/*
 * The dashboard page: folds, focus and scroll on top of layout_plan, and
 * the drawing of headers, panels and the scroll bar. Everything is
 * worked out again from the model on each call (a plan is a few hundred
 * rectangles), so no layout is cached that a resize, a fold or a reload
 * could leave stale. It reads no keys: ui/ui.c turns them into moves.
 */
#include "ui/view_page.h"

#include <stdio.h>
#include <stdlib.h>

#include "src/base/xalloc.h"
#include "ui/alertband.h"
#include "ui/filter.h"
#include "ui/frame.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/widget.h"

/* The page shown, laid out for the body. */
struct plan {
    const struct page *pg;
    struct layout_item *it;
    size_t n;
    int height;         /* of the whole page, in lines */
    int h;              /* of the body */
    bool scrolls;       /* then the body's last column is the scroll bar */
};

bool
view_page_folded(const struct view_state *vs, const struct dashboard *d,
                 size_t page, size_t row)
{
    bool flip = false;

    if (page >= d->npages || row >= d->pages[page].nrows
        || d->pages[page].rows[row].title == NULL)
        return false;
    if (page < VIEW_MAX_TABS && row < VIEW_MAX_ROWS)
        flip = (vs->flipped[page][row / 8] >> (row % 8)) & 1;
    return d->pages[page].rows[row].collapsed != flip;
}

bool
view_page_toggle(struct view_state *vs, const struct dashboard *d,
                 size_t page, size_t row)
{
    if (page >= d->npages || page >= VIEW_MAX_TABS || row >= VIEW_MAX_ROWS
        || row >= d->pages[page].nrows
        || d->pages[page].rows[row].title == NULL)
        return false;
    vs->flipped[page][row / 8] ^= (uint8_t)(1u << (row % 8));
    return true;
}

/* Lays the page out; a page taller than the body gives up a column. */
static void
plan_make(struct plan *p, const struct view_state *vs,
          const struct dashboard *d, struct rect body)
{
    const struct page *pg = &d->pages[vs->view];
    bool *folded = xcalloc(pg->nrows + 1, sizeof *folded);

    for (size_t i = 0; i < pg->nrows; i++)
        folded[i] = view_page_folded(vs, d, (size_t)vs->view, i);
    p->pg = pg;
    p->h = body.h;
    p->it = xcalloc(layout_nitems(pg) + 1, sizeof *p->it);
    p->n = layout_plan(pg, body.w, body.h, folded, p->it, &p->height);
    p->scrolls = p->height > body.h;
    if (p->scrolls)
        p->n = layout_plan(pg, body.w - 1, body.h, folded, p->it,
                           &p->height);
    free(folded);
}

static void
plan_free(struct plan *p)
{
    free(p->it);
}

/* The item that has the focus, or -1. */
static int
focus_item(const struct plan *p, const struct view_state *vs)
{
    for (size_t k = 0; k < p->n; k++) {
        const struct layout_item *it = &p->it[k];

        if (vs->on_header ? it->panel < 0 && it->row == vs->focus_row
                          : it->panel == vs->focus)
            return (int)k;
    }
    return -1;
}

static void
set_focus(struct view_state *vs, const struct layout_item *it)
{
    vs->on_header = it->panel < 0;
    if (it->panel < 0)
        vs->focus_row = it->row;
    else
        vs->focus = it->panel;
}

/* The row panel k (layout order) sits in. */
static size_t
row_of(const struct page *pg, int k)
{
    for (size_t i = 0; i < pg->nrows; i++) {
        if ((size_t)k < pg->rows[i].npanels)
            return i;
        k -= (int)pg->rows[i].npanels;
    }
    return pg->nrows;
}

/* Puts the focus on something the plan shows. */
static void
fix_focus(struct view_state *vs, const struct plan *p)
{
    int n = (int)layout_npanels(p->pg);

    if (vs->on_header && (vs->focus_row < 0
                          || (size_t)vs->focus_row >= p->pg->nrows
                          || p->pg->rows[vs->focus_row].title == NULL))
        vs->on_header = false;
    vs->focus = vs->focus >= n ? n - 1 : vs->focus;
    vs->focus = vs->focus < 0 ? 0 : vs->focus;
    if (!vs->on_header && n > 0 && focus_item(p, vs) < 0) {
        /* Its section is folded: the header stands for it. */
        int head = layout_section_head(p->pg, row_of(p->pg, vs->focus));

        vs->on_header = head >= 0;
        vs->focus_row = head;
    }
    if (focus_item(p, vs) < 0 && p->n > 0)
        set_focus(vs, &p->it[0]);
    if (vs->on_header || n == 0)
        vs->zoom = false;
}

/* Keeps the scroll inside the page and the focus wholly in sight. */
static void
follow(struct view_state *vs, const struct plan *p)
{
    int max = p->height - p->h > 0 ? p->height - p->h : 0;
    int k = focus_item(p, vs);

    if (k >= 0) {
        struct rect r = p->it[k].r;

        if (r.y + r.h > vs->scroll + p->h)
            vs->scroll = r.y + r.h - p->h;
        if (r.y < vs->scroll)
            vs->scroll = r.y;
    }
    vs->scroll = vs->scroll > max ? max : vs->scroll;
    vs->scroll = vs->scroll < 0 ? 0 : vs->scroll;
}

void
view_page_clamp(struct view_state *vs, const struct dashboard *d,
                struct rect body)
{
    struct plan p;

    if (vs->view < 0 || (size_t)vs->view >= d->npages)
        return;
    plan_make(&p, vs, d, body);
    fix_focus(vs, &p);
    follow(vs, &p);
    vs->page_height = p.height;
    plan_free(&p);
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

/* How far apart a and b are across the direction: their centres, or
 * from a header (which spans the page) their left edges, so that the
 * first panel of a section lies straight below its header. */
static int
misalign(const struct layout_item *a, struct rect b, int dx)
{
    int d = dx != 0 ? (2 * a->r.y + a->r.h) - (2 * b.y + b.h)
            : a->panel < 0 ? 2 * (a->r.x - b.x)
            : (2 * a->r.x + a->r.w) - (2 * b.x + b.w);

    return d < 0 ? -d : d;
}

/* The item to move to from item `from` in direction (dx, dy). */
static int
spatial(const struct plan *p, int from, int dx, int dy)
{
    int best = from, bgap = 0, bmis = 0;

    for (size_t k = 0; k < p->n; k++) {
        int g = gap_towards(p->it[from].r, p->it[k].r, dx, dy), mi;

        if ((int)k == from || g < 0)
            continue;
        mi = misalign(&p->it[from], p->it[k].r, dx);
        if (best == from || g < bgap || (g == bgap && mi < bmis)) {
            best = (int)k;
            bgap = g;
            bmis = mi;
        }
    }
    return best;
}

/* Whether item k lies wholly between lines top and top + h. */
static bool
in_sight(const struct plan *p, size_t k, int top)
{
    return p->it[k].r.y >= top && p->it[k].r.y + p->it[k].r.h <= top + p->h;
}

/* The first item wholly in sight from top (the lowest, leftmost, when
 * last is set), or -1. */
static int
first_in_sight(const struct plan *p, int top, bool last)
{
    int best = -1;

    for (size_t k = 0; k < p->n; k++) {
        if (!in_sight(p, k, top))
            continue;
        if (!last)
            return (int)k;
        if (best < 0 || p->it[k].r.y > p->it[best].r.y)
            best = (int)k;
    }
    return best;
}

/* PgUp and PgDn: a body's height, then the first item in sight; at
 * either end, the first or last item. */
static void
page_jump(struct view_state *vs, const struct plan *p, int dir)
{
    int max = p->height - p->h > 0 ? p->height - p->h : 0;
    int to = vs->scroll + dir * p->h, k;

    to = to > max ? max : to < 0 ? 0 : to;
    if (to == vs->scroll) {
        set_focus(vs, &p->it[dir > 0 ? p->n - 1 : 0]);
        return;
    }
    vs->scroll = to;
    k = first_in_sight(p, to, false);
    if (k >= 0)
        set_focus(vs, &p->it[k]);
}

/* The wheel scrolls; a focus that leaves the body moves to the nearest
 * item in sight (the first below, or the last above). */
static void
wheel(struct view_state *vs, const struct plan *p, int dir)
{
    int max = p->height - p->h > 0 ? p->height - p->h : 0;
    int to = vs->scroll + dir * VIEW_WHEEL_LINES, k = focus_item(p, vs);

    to = to > max ? max : to < 0 ? 0 : to;
    vs->scroll = to;
    if (k >= 0 && in_sight(p, (size_t)k, to))
        return;
    k = first_in_sight(p, to, dir < 0);
    if (k < 0) {
        /* Nothing wholly in sight: the next item that way. */
        for (size_t i = 0; i < p->n && k < 0; i++)
            if (dir > 0 ? p->it[i].r.y >= to : p->it[i].r.y < to + p->h)
                k = (int)i;
    }
    if (k >= 0)
        set_focus(vs, &p->it[k]);
}

/* Applies m to a plan that has items and a focus on one of them. */
static void
apply_move(struct view_state *vs, const struct plan *p, enum view_move m)
{
    int k = focus_item(p, vs);

    switch (m) {
    case VIEW_MOVE_LEFT: set_focus(vs, &p->it[spatial(p, k, -1, 0)]); break;
    case VIEW_MOVE_RIGHT: set_focus(vs, &p->it[spatial(p, k, 1, 0)]); break;
    case VIEW_MOVE_UP: set_focus(vs, &p->it[spatial(p, k, 0, -1)]); break;
    case VIEW_MOVE_DOWN: set_focus(vs, &p->it[spatial(p, k, 0, 1)]); break;
    case VIEW_MOVE_PAGE_UP: page_jump(vs, p, -1); break;
    case VIEW_MOVE_PAGE_DOWN: page_jump(vs, p, 1); break;
    case VIEW_MOVE_HOME: set_focus(vs, &p->it[0]); break;
    case VIEW_MOVE_END: set_focus(vs, &p->it[p->n - 1]); break;
    case VIEW_MOVE_WHEEL_UP: wheel(vs, p, -1); break;
    case VIEW_MOVE_WHEEL_DOWN: wheel(vs, p, 1); break;
    }
}

bool
view_page_move(struct view_state *vs, const struct dashboard *d,
               struct rect body, enum view_move m)
{
    struct plan p;
    int focus, row, scroll;
    bool header;

    if (vs->view < 0 || (size_t)vs->view >= d->npages)
        return false;
    plan_make(&p, vs, d, body);
    fix_focus(vs, &p);
    follow(vs, &p);
    focus = vs->focus;
    row = vs->focus_row;
    header = vs->on_header;
    scroll = vs->scroll;
    if (p.n > 0)
        apply_move(vs, &p, m);
    follow(vs, &p);
    plan_free(&p);
    return focus != vs->focus || header != vs->on_header
           || (header && row != vs->focus_row) || scroll != vs->scroll;
}

/* After opening the section `head` heads: scrolls on until the whole
 * section is in sight, or its header is at the top. */
static void
show_section(struct view_state *vs, const struct dashboard *d,
             struct rect body, int head)
{
    size_t end = layout_section_end(&d->pages[vs->view], (size_t)head);
    int top = -1, bottom = 0, want;
    struct plan p;

    plan_make(&p, vs, d, body);
    for (size_t k = 0; k < p.n; k++) {
        const struct layout_item *it = &p.it[k];

        if (it->row < head || (size_t)it->row >= end)
            continue;
        if (top < 0)
            top = it->r.y;
        if (it->r.y + it->r.h > bottom)
            bottom = it->r.y + it->r.h;
    }
    want = bottom - p.h < top ? bottom - p.h : top;
    if (top >= 0 && vs->scroll < want)
        vs->scroll = want;
    follow(vs, &p);
    plan_free(&p);
}

bool
view_page_fold(struct view_state *vs, const struct dashboard *d,
               struct rect body, bool panel)
{
    size_t page = (size_t)vs->view;
    int head;

    if (vs->view < 0 || page >= d->npages)
        return false;
    view_page_clamp(vs, d, body);
    if (vs->on_header) {
        if (!view_page_toggle(vs, d, page, (size_t)vs->focus_row))
            return false;
    } else {
        head = layout_section_head(&d->pages[page],
                                   row_of(&d->pages[page], vs->focus));
        if (!panel || head < 0 || layout_npanels(&d->pages[page]) == 0
            || !view_page_toggle(vs, d, page, (size_t)head))
            return false;
        vs->on_header = true;
        vs->focus_row = head;
    }
    view_page_clamp(vs, d, body);
    if (!view_page_folded(vs, d, page, (size_t)vs->focus_row))
        show_section(vs, d, body, vs->focus_row);
    return true;
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
    struct widget_ctx own = *ctx;

    /* Points one panel's step apart are neighbours, not a gap. */
    if (p->step_ms > 0)
        own.step_ms = p->step_ms;
    ctx = &own;
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
    if (vs != NULL)
        alertband_draw(c, r, p, vs->rules, ctx);
}

/* Draws p into r, of which only the lines inside body are shown: a
 * panel cut by the body's edge is drawn whole on a canvas of its own,
 * then the lines in sight are copied. */
static void
draw_clipped(struct canvas *c, struct rect r, struct rect body,
             const struct panel *p, const struct widget_ctx *ctx,
             const struct view_state *vs, bool focused)
{
    struct canvas *t;

    if (r.y >= body.y && r.y + r.h <= body.y + body.h) {
        draw_panel(c, r, p, ctx, vs, focused);
        return;
    }
    t = canvas_new(r.w, r.h, canvas_ascii(c));
    canvas_set_glyphs(t, canvas_glyphs(c));
    draw_panel(t, (struct rect){ 0, 0, r.w, r.h }, p, ctx, vs, focused);
    for (int y = 0; y < r.h; y++) {
        if (r.y + y < body.y || r.y + y >= body.y + body.h)
            continue;
        for (int x = 0; x < r.w; x++) {
            const struct cell *ce = canvas_cell(t, x, y);

            canvas_put(c, r.x + x, r.y + y, ce->ch, ce->role, ce->attr);
        }
    }
    canvas_free(t);
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

/* " ▾ Title", or " ▸ Title (12 panels)" when folded; the focused one
 * in the highlight role with a heavy rule to the right edge. */
static void
draw_header(struct canvas *c, struct rect r, const struct page *pg,
            int row, bool folded, bool focused)
{
    bool ascii = canvas_ascii(c);
    uint32_t mark = folded ? (ascii ? '>' : 0x25b8) : (ascii ? 'v' : 0x25be);
    int x = r.x + 3, end = r.x + r.w;
    char count[48];

    canvas_fill(c, r, ' ', ROLE_DEFAULT, 0);
    canvas_put(c, r.x + 1, r.y, mark, focused ? ROLE_HI : ROLE_TITLE,
               ATTR_BOLD);
    x += canvas_text(c, x, r.y, end - x, pg->rows[row].title,
                     focused ? ROLE_HI : ROLE_TITLE, ATTR_BOLD);
    if (folded) {
        size_t n = layout_section_panels(pg, (size_t)row);

        snprintf(count, sizeof count, " (%zu panel%s)", n, n == 1 ? "" : "s");
        x += canvas_text(c, x, r.y, end - x, count, ROLE_LABEL, 0);
    }
    if (!focused)
        return;
    for (x++; x < end - 1; x++)
        canvas_put(c, x, r.y, ascii ? '=' : 0x2501, ROLE_HI, ATTR_BOLD);
}

/* A track down the body's last column with a thumb as long as the part
 * of the page in sight, where that part is. */
static void
draw_scrollbar(struct canvas *c, struct rect body, int height, int scroll)
{
    int h = body.h, x = body.x + body.w - 1;
    int thumb = (int)((long)h * h / height), top;
    bool ascii = canvas_ascii(c);

    thumb = thumb < 1 ? 1 : thumb;
    top = (int)((long)scroll * (h - thumb) / (height - h));
    for (int y = 0; y < h; y++) {
        bool on = y >= top && y < top + thumb;

        canvas_put(c, x, body.y + y, on ? (ascii ? '#' : 0x2588)
                   : (ascii ? ':' : 0x2591), on ? ROLE_LABEL : ROLE_INACTIVE,
                   0);
    }
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

/* r clipped to body, for a hit box. */
static struct rect
clip(struct rect r, struct rect body)
{
    int top = r.y > body.y ? r.y : body.y;
    int bottom = r.y + r.h < body.y + body.h ? r.y + r.h : body.y + body.h;

    return (struct rect){ r.x, top, r.w, bottom - top };
}

/* Notes a hit box and the panels in sight. */
static void
record(struct view_state *vs, const struct layout_item *it, struct rect r)
{
    if (it->panel < 0) {
        if (vs->nheaders < VIEW_MAX_HEADERS) {
            vs->headers[vs->nheaders] = r;
            vs->header_row[vs->nheaders++] = it->row;
        }
        return;
    }
    if (vs->npanels < VIEW_MAX_PANELS) {
        vs->panels[vs->npanels] = r;
        vs->panel_of[vs->npanels++] = it->panel;
    }
    if (vs->shown_first == 0 || it->panel + 1 < vs->shown_first)
        vs->shown_first = it->panel + 1;
    if (it->panel + 1 > vs->shown_last)
        vs->shown_last = it->panel + 1;
}

/* Draws item it at r (in screen cells) if all is set or its panel
 * changed since sig was taken. */
static void
draw_item(struct canvas *c, struct rect r, struct rect body,
          const struct layout_item *it, struct view_state *vs,
          const struct dashboard *d, uint64_t *sig, bool all)
{
    const struct page *pg = &d->pages[vs->view];
    struct widget_ctx ctx = { d->now_ms - d->range_ms, d->now_ms,
                              d->step_ms };
    const struct panel *p;
    bool redraw = all;

    if (it->panel < 0) {
        if (all)
            draw_header(c, r, pg, it->row,
                        view_page_folded(vs, d, (size_t)vs->view,
                                         (size_t)it->row),
                        vs->on_header && vs->focus_row == it->row);
        return;
    }
    p = panel_at(pg, (size_t)it->panel);
    if (sig != NULL) {
        uint64_t s = panel_sig(p, d);

        redraw = redraw || p->dirty || sig[it->panel] != s;
        sig[it->panel] = s;
    }
    if (redraw)
        draw_clipped(c, r, body, p, &ctx, vs,
                     !vs->on_header && vs->focus == it->panel);
}

void
view_page_draw(struct canvas *c, struct rect body, struct view_state *vs,
               const struct dashboard *d, uint64_t *sig, bool all)
{
    struct plan p;

    vs->npanels = vs->nheaders = 0;
    vs->shown_first = vs->shown_last = vs->shown_total = 0;
    if (vs->view < 0 || (size_t)vs->view >= d->npages)
        return;
    plan_make(&p, vs, d, body);
    for (size_t k = 0; k < p.n; k++) {
        struct rect r = p.it[k].r;

        r.x += body.x;
        r.y += body.y - vs->scroll;
        if (r.y + r.h <= body.y || r.y >= body.y + body.h)
            continue;
        draw_item(c, r, body, &p.it[k], vs, d, sig, all);
        record(vs, &p.it[k], clip(r, body));
    }
    if (p.scrolls && all)
        draw_scrollbar(c, body, p.height, vs->scroll);
    vs->page_height = p.height;
    vs->shown_total = (int)layout_npanels(p.pg);
    plan_free(&p);
}

bool
view_page_in_sight(const struct view_state *vs, size_t page, size_t panel)
{
    if (vs->view < 0 || (size_t)vs->view != page)
        return false;
    if (vs->zoom)
        return (int)panel == vs->focus;
    /* Not drawn yet, or more panels than the hit boxes hold. */
    if (vs->shown_total == 0 || vs->npanels >= VIEW_MAX_PANELS)
        return true;
    for (int i = 0; i < vs->npanels; i++)
        if (vs->panel_of[i] == (int)panel)
            return true;
    return false;
}

void
view_page_draw_zoomed(struct canvas *c, struct rect body,
                      struct view_state *vs, const struct dashboard *d)
{
    const struct panel *p;
    struct widget_ctx ctx = { d->now_ms - d->range_ms, d->now_ms,
                              d->step_ms };

    /* No hit boxes: nothing else is on screen to click. */
    vs->npanels = vs->nheaders = 0;
    vs->shown_first = vs->shown_last = vs->shown_total = 0;
    if (vs->view < 0 || (size_t)vs->view >= d->npages)
        return;
    p = panel_at(&d->pages[vs->view], (size_t)vs->focus);
    if (p != NULL)
        draw_panel(c, body, p, &ctx, vs, true);
}

void
view_page_draw_text(struct canvas *c, struct rect body,
                    const struct dashboard *d, size_t page,
                    const int *row_h)
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

        if (titles[i].h > 0)
            canvas_text(c, titles[i].x + 1, titles[i].y, titles[i].w - 1,
                        row->title, ROLE_TITLE, ATTR_BOLD);
        for (size_t j = 0; j < row->npanels; j++, k++)
            draw_panel(c, rs[k], &row->panels[j], &ctx, NULL, false);
    }
    free(rs);
    free(titles);
}
