/*
 * The screen frame: title bar with one tab per view, the status, the
 * selected variable and the range, the body, and the key bar (which takes
 * the status instead when the title bar has no room for it, and where a
 * long page is scrolled to), or the `/` prompt. Pages are drawn by
 * ui/view_page.c; the targets, alerts and rules, and help views live in
 * files of their own.
 */
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/view_help.h"
#include "ui/view_page.h"
#include "ui/view_targets.h"

int
view_count(const struct dashboard *d)
{
    return (int)d->npages + 4;
}

int
view_targets(const struct dashboard *d)
{
    return (int)d->npages;
}

int
view_alerts(const struct dashboard *d)
{
    return (int)d->npages + 1;
}

int
view_rules(const struct dashboard *d)
{
    return (int)d->npages + 2;
}

int
view_explore(const struct dashboard *d)
{
    return (int)d->npages + 3;
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
    /* A tab is shown whole (its last space may go) or not at all, and
     * none after it. */
    if (*x + canvas_text_width(label) - 1 > limit) {
        *x = limit;
        return;
    }
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
 * The right end of the title bar: [PAUSED] [N firing  M pending]
 * [status] [var=value] last 1h, the counts only when counts is set. The
 * status goes here only while the whole stays within half the width;
 * returns whether it did (otherwise the status bar shows it).
 */
static bool
draw_title_right(struct canvas *c, const struct view_state *vs,
                 const struct dashboard *d, const char *status, bool counts,
                 int *left)
{
    int w = canvas_width(c), x;
    int cw = counts ? view_rules_counts_width(vs->rules) : 0;
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
    if (with && canvas_text_width(buf_str(&b)) + cw + 8 > w / 2) {
        with = false;
        buf_reset(&b);
        buf_printf(&b, "%slast %s ", buf_str(&var), range);
    }
    buf_fini(&var);
    x = w - canvas_text_width(buf_str(&b));
    canvas_text(c, x, 0, -1, buf_str(&b), ROLE_LABEL, 0);
    if (cw > 0) {
        x -= cw + 2;
        view_rules_counts(c, x, 0, cw, vs->rules);
    }
    if (vs->paused) {
        x -= 8;
        canvas_text(c, x, 0, 6, "PAUSED", ROLE_WARN,
                    ATTR_BOLD | ATTR_REVERSE);
    }
    *left = x;
    buf_fini(&b);
    return with;
}

/* The cells the title and every tab take. */
static int
tabs_width(const struct view_state *vs, const struct dashboard *d)
{
    char label[64];
    int n = 1 + canvas_text_width(d->title ? d->title : "promdeck") + 2;

    for (size_t i = 0; i < d->npages; i++) {
        snprintf(label, sizeof label, " %zu %s ", i + 1,
                 d->pages[i].title ? d->pages[i].title : "");
        n += canvas_text_width(label) + 1;
    }
    /* " N targets ", " N alerts ", " N rules " and " explore ". */
    return n + 12 + 11 + 10 + (vs->explore != NULL ? 12 : 0);
}

/*
 * Title, one tab per view, then the right end. The alert counts go in
 * the title bar when every tab still fits beside them, else *counts is
 * false and the status bar shows them. True when the status was shown
 * in the title bar.
 */
static bool
draw_title_bar(struct canvas *c, struct view_state *vs,
               const struct dashboard *d, const char *status, bool *counts)
{
    int w = canvas_width(c), x = 1, right;
    int cw = view_rules_counts_width(vs->rules);
    char range[32];
    bool shown;

    view_range_text(d->range_ms, range, sizeof range);
    *counts = cw > 0 && tabs_width(vs, d) + cw + 2 + 6
                        + canvas_text_width(range) + (vs->paused ? 8 : 0)
                        <= w;
    canvas_fill(c, (struct rect){ 0, 0, w, 1 }, ' ', ROLE_DEFAULT, 0);
    shown = draw_title_right(c, vs, d, status, *counts, &right);
    x += canvas_text(c, x, 0, right / 3, d->title ? d->title : "promdeck",
                     ROLE_TITLE, ATTR_BOLD) + 2;
    vs->ntabs = 0;
    for (size_t i = 0; i < d->npages; i++)
        draw_tab(c, vs, &x, right - 1, (int)i, d->pages[i].title);
    draw_tab(c, vs, &x, right - 1, view_targets(d), "targets");
    draw_tab(c, vs, &x, right - 1, view_alerts(d), "alerts");
    draw_tab(c, vs, &x, right - 1, view_rules(d), "rules");
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

/* "panels 12-20 of 125" while the page shown scrolls, else "". */
static void
position_text(const struct view_state *vs, const struct dashboard *d,
              int body_h, char *out, size_t n)
{
    out[0] = '\0';
    if (vs->help || vs->zoom || vs->view < 0
        || (size_t)vs->view >= d->npages || vs->page_height <= body_h
        || vs->shown_first == 0)
        return;
    if (vs->shown_first == vs->shown_last)
        snprintf(out, n, "panel %d of %d", vs->shown_first,
                 vs->shown_total);
    else
        snprintf(out, n, "panels %d-%d of %d", vs->shown_first,
                 vs->shown_last, vs->shown_total);
}

/* The key bar: the prompt, or the filter, where the page is, the alert
 * counts (when the title bar has no room for them), the status and the
 * keys. */
static void
draw_status_bar(struct canvas *c, const struct view_state *vs,
                const char *status, struct rect r, const char *where,
                bool explore, bool counts)
{
    /* In explore every key types: only Esc leads out. */
    const char *keys = vs->help ? "? close help  q quit"
                       : explore ? "Enter run  Tab complete  Esc back"
                       : "q quit  tab view  / filter  p pause  ? help";
    int kw = canvas_text_width(keys), x = r.x + 1;
    int cw = counts ? view_rules_counts_width(vs->rules) : 0;

    /* The counts come before the keys, which ? lists anyway. */
    if (cw > 0 && cw + kw + 4 > r.w) {
        keys = "";
        kw = 0;
    }
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
    if (where[0] != '\0')
        x += canvas_text(c, x, r.y, r.w - kw - 3 - (x - r.x), where,
                         ROLE_HI, ATTR_BOLD) + 2;
    if (cw > 0)
        x += view_rules_counts(c, x, r.y, r.w - kw - 2 - (x - r.x),
                               vs->rules) + 2;
    if (status != NULL)
        canvas_text(c, x, r.y, r.w - kw - 3 - (x - r.x - 1), status,
                    ROLE_STATUS, 0);
    if (kw > 0 && kw + 2 <= r.w)
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
    int scroll;
    uint64_t folds;         /* a fingerprint of the page's folds */
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

/* A fingerprint of which rows of the page shown are folded. */
static uint64_t
folds_sig(const struct view_state *vs, const struct dashboard *d)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const struct page *pg;

    if (vs->view < 0 || (size_t)vs->view >= d->npages)
        return h;
    pg = &d->pages[vs->view];
    for (size_t i = 0; i < pg->nrows; i++)
        h = (h ^ (view_page_folded(vs, d, (size_t)vs->view, i) ? i + 1 : 0))
            * 0x100000001b3ULL;
    return h;
}

/* Whether the memo's frame can be drawn over, or all must be repainted;
 * resets the memo for a full repaint. */
static bool
memo_stale(struct view_memo *m, const struct canvas *c,
           const struct view_state *vs, const struct dashboard *d)
{
    size_t n = 0;
    uint64_t folds = folds_sig(vs, d);

    if ((size_t)vs->view < d->npages && !vs->help)
        n = layout_npanels(&d->pages[vs->view]);
    if (m->valid && m->view == vs->view && m->help == vs->help
        && m->w == canvas_width(c) && m->h == canvas_height(c)
        && m->dash == d && m->n == n && m->scroll == vs->scroll
        && m->folds == folds)
        return false;
    *m = (struct view_memo){ true, vs->view, canvas_width(c),
                             canvas_height(c), vs->help, d, n,
                             xreallocarray(m->sig, n + 1, sizeof *m->sig),
                             vs->scroll, folds };
    return true;
}

/* Keeps the view, the focus and scroll of a page (laid out in body)
 * and the variable in range. */
static void
clamp_state(struct view_state *vs, const struct dashboard *d,
            struct rect body)
{
    if (vs->view < 0 || vs->view >= view_count(d)
        || (vs->view == view_explore(d) && vs->explore == NULL))
        vs->view = 0;
    if ((size_t)vs->view < d->npages)
        view_page_clamp(vs, d, body);
    else
        vs->zoom = false;
    if (vs->var >= d->nvariables)
        vs->var = 0;
}

/* The body: help, a page (zoomed or not), the targets, alerts, rules
 * or explore. */
static void
draw_body(struct canvas *c, struct rect body, struct view_state *vs,
          const struct dashboard *d, const struct target_view *tv,
          int64_t now_ms, struct view_memo *m, bool all)
{
    static const struct target_view none = { 0 };

    vs->npanels = vs->nheaders = 0;
    vs->shown_first = vs->shown_last = 0;
    if (vs->help) {
        view_draw_help(c, body);
    } else if ((size_t)vs->view < d->npages && vs->zoom) {
        view_page_draw_zoomed(c, body, vs, d);
    } else if ((size_t)vs->view < d->npages) {
        view_page_draw(c, body, vs, d, m != NULL ? m->sig : NULL, all);
    } else if (vs->view == view_explore(d)) {
        explore_draw(vs->explore, c, body, theme_default());
    } else if (vs->view == view_alerts(d)) {
        view_draw_alerts(c, body, vs->rules, &vs->rulesv, now_ms);
    } else if (vs->view == view_rules(d)) {
        view_draw_rules(c, body, vs->rules, &vs->rulesv, now_ms);
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
    char where[64];
    bool all, counts_up;

    vs->ntabs = 0;
    vs->npanels = vs->nheaders = 0;
    if (canvas_width(c) < LAYOUT_MIN_W || canvas_height(c) < LAYOUT_MIN_H) {
        canvas_clear(c);
        draw_too_small(c);
        if (m != NULL)
            view_memo_invalidate(m);
        return;
    }
    clamp_state(vs, d, ls.body);
    /* A zoomed panel is one panel: it is simply redrawn. */
    all = m == NULL || memo_stale(m, c, vs, d) || vs->zoom;
    if (all)
        canvas_clear(c);
    if (draw_title_bar(c, vs, d, status, &counts_up))
        status = NULL;
    if (!all && (vs->help || (size_t)vs->view >= d->npages))
        canvas_fill(c, ls.body, ' ', ROLE_DEFAULT, 0);
    draw_body(c, ls.body, vs, d, tv, now_ms, m, all);
    position_text(vs, d, ls.body.h, where, sizeof where);
    draw_status_bar(c, vs, status, ls.status, where,
                    !vs->help && vs->view == view_explore(d),
                    !counts_up && view_rules_counts_width(vs->rules) > 0);
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
            return vs->panel_of[i];
    }
    return -1;
}

int
view_header_at(const struct view_state *vs, int x, int y)
{
    for (int i = 0; i < vs->nheaders; i++) {
        const struct rect *r = &vs->headers[i];

        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return vs->header_row[i];
    }
    return -1;
}
