/*
 * The UI's public face: ties the screen, the views and the input
 * together, and renders snapshots as text. Keys change only the view
 * state here; what to do about quit, reload and pause is src/'s business.
 * No signal handlers: the main loop owns those.
 */
#include "ui/ui.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/duration.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"
#include "ui/canvas.h"
#include "ui/filter.h"
#include "ui/frame.h"
#include "ui/layout.h"
#include "ui/screen.h"
#include "ui/theme.h"
#include "ui/view.h"
#include "ui/view_page.h"
#include "ui/view_targets.h"
#include "ui/widget.h"

struct ui {
    struct screen *scr;
    struct canvas *canvas;      /* the frame being drawn */
    struct view_state vs;
    struct view_memo *memo;     /* what the last frame drew from */
    int npages;                 /* of the dashboard last seen; -1 none */
    bool full;                  /* repaint everything on the next draw */
    int64_t range_ms;           /* the range chosen; 0: none yet */
    int64_t base_range_ms;      /* the dashboard's own, for reset */
    const struct dashboard *seen;   /* whose base_range_ms that is */
    bool var_pending;           /* a variable choice to report */
    size_t var_value;           /* its value (vs.var is the variable) */
    struct buf prompt;          /* the filter text typed at `/` */
    bool prompting;             /* the prompt is open */
    struct series_filter *filter;
    int64_t click_ms;           /* the last click on a panel, for double */
    int click_panel;
    struct explore *explore;
    int before_explore;         /* the view Esc in explore goes back to */
};

/* The ranges + and - step through, in ms. */
static const int64_t range_steps[] = {
    5 * 60000LL, 15 * 60000LL, 30 * 60000LL, 3600000LL, 3 * 3600000LL,
    6 * 3600000LL, 12 * 3600000LL, 24 * 3600000LL, 2 * 86400000LL,
    7 * 86400000LL,
};
#define NSTEPS (sizeof range_steps / sizeof range_steps[0])

/* Two clicks on one panel this close together are a double click. */
#define DOUBLE_CLICK_MS 400


struct ui *
ui_open(const struct ui_options *o, struct diag *d)
{
    const char *loc = setlocale(LC_ALL, NULL);
    bool utf8;
    struct screen *scr;
    struct ui *ui;

    if (loc == NULL || strcmp(loc, "C") == 0)
        setlocale(LC_ALL, "");
    utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    scr = screen_open(o->ascii || o->glyphs == GLYPHS_ASCII || !utf8,
                      o->no_color, o->theme, d);
    if (scr == NULL)
        return NULL;
    ui = xcalloc(1, sizeof *ui);
    ui->scr = scr;
    ui->canvas = canvas_new(0, 0, screen_ascii(scr));
    canvas_set_glyphs(ui->canvas, o->glyphs);
    ui->memo = view_memo_new();
    ui->npages = -1;
    ui->full = true;
    ui->click_panel = -1;
    buf_init(&ui->prompt, 1024);
    ui->explore = explore_new(o->explore_history);
    ui->vs.explore = ui->explore;
    ui->vs.containers = view_containers_initial();
    return ui;
}

void
ui_close(struct ui *ui)
{
    if (ui == NULL)
        return;
    screen_close(ui->scr);
    canvas_free(ui->canvas);
    view_memo_free(ui->memo);
    filter_free(ui->filter);
    buf_fini(&ui->prompt);
    explore_free(ui->explore);
    free(ui);
}

void
ui_restore_terminal(void)
{
    screen_restore();
}

int
ui_input_fd(const struct ui *ui)
{
    return screen_fd(ui->scr);
}

bool
ui_input_waiting(struct ui *ui)
{
    return screen_input_waiting(ui->scr);
}

/* Moves the targets selection; true when key was a movement. */
static bool
targets_key(struct ui *ui, int key, size_t ntargets)
{
    struct targets_state *ts = &ui->vs.targets;
    int page, w, h, max = ntargets > 0 ? (int)ntargets - 1 : 0;

    screen_size(ui->scr, &w, &h);
    page = h - 4 > 1 ? h - 4 : 1;
    switch (key) {
    case SCREEN_KEY_UP: case 'k': ts->sel--; break;
    case SCREEN_KEY_DOWN: case 'j': ts->sel++; break;
    case SCREEN_KEY_PGUP: ts->sel -= page; break;
    case SCREEN_KEY_PGDN: ts->sel += page; break;
    case SCREEN_KEY_HOME: ts->sel = 0; break;
    case SCREEN_KEY_END: ts->sel = max; break;
    case SCREEN_KEY_WHEEL_UP: ts->sel -= VIEW_WHEEL_LINES; break;
    case SCREEN_KEY_WHEEL_DOWN: ts->sel += VIEW_WHEEL_LINES; break;
    case '\r': case '\n': ts->expanded = !ts->expanded; return true;
    case 'd': ts->dropped = !ts->dropped; return true;
    default: return false;
    }
    ts->sel = ts->sel < 0 ? 0 : ts->sel > max ? max : ts->sel;
    return true;
}

/* Scrolls the alerts or rules view, or (alerts) flips a state filter;
 * true when key was one of those. */
static bool
rules_key(struct ui *ui, int key, bool alerts)
{
    struct rules_state *rs = &ui->vs.rulesv;
    int *scroll = alerts ? &rs->alerts_scroll : &rs->rules_scroll;
    int page, w, h;

    if (alerts && (key == 'F' || key == 'P' || key == 'I')) {
        rs->hide ^= key == 'F' ? HIDE_FIRING : key == 'P' ? HIDE_PENDING
                                                          : HIDE_INACTIVE;
        return true;
    }
    screen_size(ui->scr, &w, &h);
    page = h - 4 > 1 ? h - 4 : 1;
    switch (key) {
    case SCREEN_KEY_UP: case 'k': (*scroll)--; break;
    case SCREEN_KEY_DOWN: case 'j': (*scroll)++; break;
    case SCREEN_KEY_PGUP: *scroll -= page; break;
    case SCREEN_KEY_PGDN: *scroll += page; break;
    case SCREEN_KEY_HOME: *scroll = 0; break;
    /* The draw clamps it to the last page. */
    case SCREEN_KEY_END: *scroll = 1 << 28; break;
    case SCREEN_KEY_WHEEL_UP: *scroll -= VIEW_WHEEL_LINES; break;
    case SCREEN_KEY_WHEEL_DOWN: *scroll += VIEW_WHEEL_LINES; break;
    default: return false;
    }
    if (*scroll < 0)
        *scroll = 0;
    return true;
}

/* The body of the screen as it is now, where pages are laid out. */
static struct rect
body_rect(const struct ui *ui)
{
    int w, h;

    screen_size(ui->scr, &w, &h);
    return layout_screen(w, h).body;
}

/* Moves the focus or scrolls a page; UI_REDRAW when key was one of the
 * moves and changed something. */
static unsigned
page_key(struct ui *ui, const struct dashboard *d, int key)
{
    enum view_move m;

    switch (key) {
    case SCREEN_KEY_LEFT: case 'h': m = VIEW_MOVE_LEFT; break;
    case SCREEN_KEY_RIGHT: case 'l': m = VIEW_MOVE_RIGHT; break;
    case SCREEN_KEY_UP: case 'k': m = VIEW_MOVE_UP; break;
    case SCREEN_KEY_DOWN: case 'j': m = VIEW_MOVE_DOWN; break;
    case SCREEN_KEY_PGUP: m = VIEW_MOVE_PAGE_UP; break;
    case SCREEN_KEY_PGDN: m = VIEW_MOVE_PAGE_DOWN; break;
    case SCREEN_KEY_HOME: m = VIEW_MOVE_HOME; break;
    case SCREEN_KEY_END: m = VIEW_MOVE_END; break;
    case SCREEN_KEY_WHEEL_UP: m = VIEW_MOVE_WHEEL_UP; break;
    case SCREEN_KEY_WHEEL_DOWN: m = VIEW_MOVE_WHEEL_DOWN; break;
    case ' ':
        return view_page_fold(&ui->vs, d, body_rect(ui), true) ? UI_REDRAW
                                                               : UI_NONE;
    default: return UI_NONE;
    }
    return view_page_move(&ui->vs, d, body_rect(ui), m) ? UI_REDRAW
                                                        : UI_NONE;
}

/* The next range step up (dir 1) or down (-1) from the current one. */
static unsigned
range_key(struct ui *ui, const struct dashboard *d, int dir)
{
    int64_t cur = ui->range_ms > 0 ? ui->range_ms : d->range_ms;
    int64_t next = cur;

    for (size_t i = 0; i < NSTEPS; i++) {
        int64_t st = range_steps[dir > 0 ? i : NSTEPS - 1 - i];

        if ((dir > 0 && st > cur) || (dir < 0 && st < cur)) {
            next = st;
            break;
        }
    }
    if (next == cur)
        return UI_NONE;
    ui->range_ms = next;
    return UI_RANGE | UI_REDRAW;
}

/* [ and ] step the selected variable's value (All counting as one). */
static unsigned
variable_key(struct ui *ui, const struct dashboard *d, int dir)
{
    const struct variable *v;
    size_t n, cur;

    if (ui->vs.var >= d->nvariables)
        return UI_NONE;
    v = &d->variables[ui->vs.var];
    n = v->nvalues + (v->all ? 1 : 0);
    if (n == 0)
        return UI_NONE;
    cur = ui->var_pending ? ui->var_value : v->current;
    cur = cur < n ? cur : 0;
    ui->var_value = (cur + (dir > 0 ? 1 : n - 1)) % n;
    ui->var_pending = true;
    return UI_VARIABLE | UI_REDRAW;
}

static void
set_filter(struct ui *ui)
{
    filter_free(ui->filter);
    ui->filter = filter_new(buf_str(&ui->prompt));
    ui->vs.filter = ui->filter;
    ui->vs.filter_text = ui->filter != NULL ? buf_str(&ui->prompt) : NULL;
}

/* Removes the last code point of the prompt. */
static void
prompt_backspace(struct buf *b)
{
    size_t n = b->len;

    while (n > 0 && ((unsigned char)b->data[n - 1] & 0xc0) == 0x80)
        n--;
    n = n > 0 ? n - 1 : 0;
    b->len = n;
    b->data[n] = '\0';
}

/* A key while the `/` prompt is open: the filter follows every edit. */
static unsigned
prompt_key(struct ui *ui, int key)
{
    struct buf code;

    if (key == 27) {                        /* Esc: clear and close */
        buf_reset(&ui->prompt);
        ui->prompting = false;
    } else if (key == '\r' || key == '\n') {
        ui->prompting = false;
    } else if (key == 127 || key == 8) {
        prompt_backspace(&ui->prompt);
    } else if (key >= ' ' && key < SCREEN_KEY_UP) {
        buf_init(&code, 8);
        utf8_put((uint32_t)key, &code);
        buf_puts(&ui->prompt, buf_str(&code));
        buf_fini(&code);
    } else {
        return UI_NONE;
    }
    set_filter(ui);
    ui->vs.prompt = ui->prompting ? buf_str(&ui->prompt) : NULL;
    return UI_REDRAW;
}

/* r: focus, zoom, filter and range back to how the dashboard opened. */
static unsigned
reset(struct ui *ui, const struct dashboard *d)
{
    unsigned f = UI_REDRAW;

    ui->vs.focus = 0;
    ui->vs.on_header = false;
    ui->vs.scroll = 0;
    memset(ui->vs.flipped, 0, sizeof ui->vs.flipped);
    ui->vs.zoom = false;
    ui->vs.targets = (struct targets_state){ 0 };
    ui->vs.rulesv.alerts_scroll = ui->vs.rulesv.rules_scroll = 0;
    buf_reset(&ui->prompt);
    set_filter(ui);
    if (d->range_ms != ui->base_range_ms)
        f |= UI_RANGE;
    ui->range_ms = ui->base_range_ms;
    return f;
}

static void
show_view(struct ui *ui, int v, int count)
{
    int from = ui->vs.view;

    ui->vs.view = ((v % count) + count) % count;
    /* The containers view has no tab while nothing reports containers:
     * step over it the way the move was going. */
    if (ui->vs.view == count - 2 && !view_containers_on(&ui->vs))
        ui->vs.view = (((v + (v < from ? -1 : 1)) % count) + count) % count;
    ui->vs.help = false;
    ui->vs.zoom = false;
    if (ui->vs.view == count - 1 && from != count - 1)
        ui->before_explore = from;
}

/* A key for the explore view: everything goes to its prompt. */
static unsigned
explore_key_event(struct ui *ui, const struct screen_event *ev, int count)
{
    switch (explore_key(ui->explore, ev)) {
    case EXPLORE_CHANGED: return UI_REDRAW;
    case EXPLORE_RUN: return UI_EXPLORE | UI_REDRAW;
    case EXPLORE_LEAVE:
        show_view(ui, ui->before_explore, count);
        return UI_REDRAW;
    default: return UI_NONE;
    }
}

/* A click: a tab shows its view, a section header takes the focus and
 * folds or opens, a panel takes the focus, a second click on it soon
 * after zooms it. */
static unsigned
click(struct ui *ui, const struct dashboard *d, const struct screen_event *ev,
      int count)
{
    int v = view_tab_at(&ui->vs, ev->x, ev->y);
    int64_t now = time_now_ms();

    if (v >= 0) {
        show_view(ui, v, count);
        return UI_REDRAW;
    }
    v = view_header_at(&ui->vs, ev->x, ev->y);
    if (v >= 0 && view_page_toggle(&ui->vs, d, (size_t)ui->vs.view,
                                   (size_t)v)) {
        ui->vs.on_header = true;
        ui->vs.focus_row = v;
        ui->click_panel = -1;
        return UI_REDRAW;
    }
    v = view_panel_at(&ui->vs, ev->x, ev->y);
    if (v < 0)
        return UI_NONE;
    if (v == ui->click_panel && now - ui->click_ms <= DOUBLE_CLICK_MS) {
        ui->vs.zoom = true;
        ui->click_panel = -1;
    } else {
        ui->click_panel = v;
        ui->click_ms = now;
    }
    ui->vs.focus = v;
    ui->vs.on_header = false;
    return UI_REDRAW;
}

/* Keys that act the same in every view. */
static unsigned
global_key(struct ui *ui, const struct dashboard *d, int key, int count)
{
    switch (key) {
    case 'q': case 'Q': return UI_QUIT;
    case 18: return UI_RELOAD;              /* Ctrl-R */
    case '\t': show_view(ui, ui->vs.view + 1, count); return UI_REDRAW;
    case SCREEN_KEY_BTAB: show_view(ui, ui->vs.view - 1, count);
        return UI_REDRAW;
    case '?': ui->vs.help = !ui->vs.help; return UI_REDRAW;
    case 'p': ui->vs.paused = !ui->vs.paused; return UI_REDRAW;
    case '+': return range_key(ui, d, 1);
    case '-': return range_key(ui, d, -1);
    case ']': return variable_key(ui, d, 1);
    case '[': return variable_key(ui, d, -1);
    case 'v':
        if (d->nvariables < 2)
            return UI_NONE;
        ui->vs.var = (ui->vs.var + 1) % d->nvariables;
        ui->var_pending = false;
        return UI_REDRAW;
    case '/':
        ui->prompting = true;
        ui->vs.prompt = buf_str(&ui->prompt);
        return UI_REDRAW;
    case 'r': return reset(ui, d);
    case 'e': show_view(ui, count - 1, count); return UI_REDRAW;
    default: return UI_NONE;
    }
}

static unsigned
apply_event(struct ui *ui, const struct dashboard *d,
            const struct screen_event *ev, int count, size_t ntargets)
{
    bool page = !ui->vs.help && (size_t)ui->vs.view < d->npages;
    unsigned f;

    if (ui->prompting)
        return prompt_key(ui, ev->key);
    if (ev->key == SCREEN_KEY_CLICK)
        return click(ui, d, ev, count);
    if (ev->key == 12 || ev->key == SCREEN_KEY_RESIZE) {
        ui->full = true;                    /* Ctrl-L, resize */
        return UI_REDRAW;
    }
    if (!ui->vs.help && ui->vs.view == count - 1)
        return explore_key_event(ui, ev, count);
    if (!ui->vs.help && ui->vs.view == view_containers(d)
        && view_containers_key(&ui->vs.containers, ev->key,
                               body_rect(ui).h - 1))
        return UI_REDRAW;
    f = global_key(ui, d, ev->key, count);
    if (f != UI_NONE)
        return f;
    if (ev->key >= '1' && ev->key <= '9') {
        if (ev->key - '1' >= count)
            return UI_NONE;
        show_view(ui, ev->key - '1', count);
        return UI_REDRAW;
    }
    if (ev->key == 27 && ui->vs.help) {     /* Esc: close the help */
        ui->vs.help = false;
        return UI_REDRAW;
    }
    if (ev->key == 27) {                    /* Esc: unzoom, else unfilter */
        if (!ui->vs.zoom && ui->filter == NULL)
            return UI_NONE;
        if (!ui->vs.zoom) {
            buf_reset(&ui->prompt);
            set_filter(ui);
        }
        ui->vs.zoom = false;
        return UI_REDRAW;
    }
    if (page && (ev->key == '\r' || ev->key == '\n')) {
        /* On a section header Enter folds or opens it, as a click on a
         * Grafana row does. */
        if (!view_page_fold(&ui->vs, d, body_rect(ui), false))
            ui->vs.zoom = !ui->vs.zoom;
        return UI_REDRAW;
    }
    if (page)
        return page_key(ui, d, ev->key);
    if (!ui->vs.help && (ui->vs.view == view_alerts(d)
                         || ui->vs.view == view_rules(d)))
        return rules_key(ui, ev->key, ui->vs.view == view_alerts(d))
               ? UI_REDRAW : UI_NONE;
    if (!ui->vs.help)
        return targets_key(ui, ev->key, ntargets) ? UI_REDRAW : UI_NONE;
    return UI_NONE;
}

/* Notes the dashboard's own range the first time it is seen. */
static void
see_dashboard(struct ui *ui, const struct dashboard *d)
{
    if (ui->seen != d || ui->base_range_ms == 0) {
        /* Another dashboard (a reload): its rows are not the ones the
         * user folded. */
        if (ui->seen != d)
            memset(ui->vs.flipped, 0, sizeof ui->vs.flipped);
        ui->seen = d;
        ui->base_range_ms = d->range_ms;
        ui->range_ms = 0;
    }
    ui->npages = (int)d->npages;
}

void
ui_set_containers(struct ui *ui, const struct container_table *t)
{
    ui->vs.ctab = t;
}

void
ui_show_containers(struct ui *ui, const struct dashboard *d)
{
    ui->vs.view = view_containers(d);
    ui->vs.containers = view_containers_initial();
}

unsigned
ui_handle_input(struct ui *ui, struct dashboard *d, size_t ntargets,
                bool readable)
{
    unsigned flags = UI_NONE;
    struct screen_event ev;
    int count = view_count(d);

    see_dashboard(ui, d);
    ui->var_pending = false;
    /* ncurses looks at the terminal on every read, even with nothing
     * to read: only when the wait saw input or a resize came. */
    if (!screen_resize_pending(ui->scr) && !readable)
        return flags;
    while (screen_read(ui->scr, &ev))
        flags |= apply_event(ui, d, &ev, count, ntargets);
    /* The view state changed: the next frame is drawn afresh (only the
     * cells that differ still reach the terminal). */
    if (flags & UI_REDRAW)
        view_memo_invalidate(ui->memo);
    return flags;
}

int64_t
ui_range_ms(const struct ui *ui)
{
    return ui->range_ms;
}

bool
ui_variable_choice(const struct ui *ui, size_t *var, size_t *value)
{
    if (!ui->var_pending)
        return false;
    *var = ui->vs.var;
    *value = ui->var_value;
    return true;
}

const char *
ui_explore_expr(const struct ui *ui)
{
    return explore_expr(ui->explore);
}

void
ui_explore_result(struct ui *ui, struct qresult *res,
                  const struct diag *err)
{
    explore_set_result(ui->explore, res, err);
}

void
ui_set_rules(struct ui *ui, const struct rule_view *rv)
{
    ui->vs.rules = rv;
}

/* The width inside its frame of panel slot of pg laid out in body; 0
 * when there is no such panel. */
static int
laid_out_width(const struct page *pg, struct rect body, size_t slot)
{
    size_t n = layout_npanels(pg);
    struct rect *rs;
    int w;

    if (slot >= n)
        return 0;
    rs = xcalloc(n + 1, sizeof(*rs));
    layout_page(pg, body, NULL, rs, NULL);
    w = rs[slot].w - 2;
    free(rs);
    return w > 0 ? w : 1;
}

int
ui_panel_width(const struct ui *ui, const struct dashboard *d, int page,
               size_t slot)
{
    struct rect body = body_rect(ui);

    if (page < 0 || (size_t)page >= d->npages)
        return 0;
    if (page == ui_current_page(ui)) {
        /* Zoomed, the focused panel has the body; the others, hidden,
         * keep the width they had. */
        if (ui->vs.zoom)
            return (int)slot == ui->vs.focus ? body.w - 2 : 0;
        for (int i = 0; i < ui->vs.npanels; i++)
            if (ui->vs.panel_of[i] == (int)slot)
                return ui->vs.panels[i].w - 2;
    }
    return laid_out_width(&d->pages[page], body, slot);
}

int
ui_explore_width(const struct ui *ui)
{
    int w = body_rect(ui).w - 2;

    return w > 0 ? w : 1;
}

int
ui_text_panel_width(const struct dashboard *d, int page, size_t slot,
                    int width)
{
    if (page < 0 || (size_t)page >= d->npages)
        return 0;
    return laid_out_width(&d->pages[page],
                          (struct rect){ 0, 0, width < 20 ? 20 : width,
                                         1000 }, slot);
}

bool
ui_explore_names_arrived(struct ui *ui)
{
    return explore_names_arrived(ui->explore);
}

void
ui_set_completer(struct ui *ui, const struct explore_completer *c)
{
    explore_set_completer(ui->explore, c);
}

int
ui_focus(const struct ui *ui)
{
    return ui->vs.focus;
}

bool
ui_zoomed(const struct ui *ui)
{
    return ui->vs.zoom;
}

const char *
ui_filter(const struct ui *ui)
{
    return ui->filter != NULL ? buf_str(&ui->prompt) : NULL;
}

bool
ui_paused(const struct ui *ui)
{
    return ui->vs.paused;
}

bool
ui_in_sight(const struct ui *ui, size_t panel)
{
    int page = ui_current_page(ui);

    return page >= 0 && view_page_in_sight(&ui->vs, (size_t)page, panel);
}

int
ui_current_page(const struct ui *ui)
{
    if (ui->vs.help)
        return -1;
    if (ui->npages >= 0 && ui->vs.view >= ui->npages)
        return -1;      /* the targets or explore */
    return ui->vs.view;
}

void
ui_draw(struct ui *ui, const struct dashboard *d,
        const struct target_view *tv, const char *status)
{
    int w, h;

    screen_size(ui->scr, &w, &h);
    if (w != canvas_width(ui->canvas) || h != canvas_height(ui->canvas)) {
        canvas_resize(ui->canvas, w, h);
        ui->full = true;
    }
    see_dashboard(ui, d);
    if (ui->full)
        view_memo_invalidate(ui->memo);
    view_draw_memo(ui->canvas, &ui->vs, d, tv, status, time_now_ms(),
                   ui->memo);
    screen_present(ui->scr, ui->canvas, ui->full);
    ui->full = false;
}

/* Each row as tall as its tallest panel wants at its laid-out width. */
static int *
text_row_heights(const struct page *pg, int width)
{
    int *hs = xcalloc(pg->nrows + 1, sizeof *hs);

    for (size_t i = 0; i < pg->nrows; i++) {
        const struct row *row = &pg->rows[i];
        int *wt = xcalloc(row->npanels + 1, sizeof *wt);
        int *ws = xcalloc(row->npanels + 1, sizeof *ws);

        for (size_t j = 0; j < row->npanels; j++)
            wt[j] = row->panels[j].width;
        layout_split(width, wt, row->npanels, LAYOUT_PANEL_MIN_W, ws);
        hs[i] = LAYOUT_PANEL_MIN_H;
        for (size_t j = 0; j < row->npanels; j++) {
            int h = frame_want_height(&row->panels[j], ws[j]);

            hs[i] = h > hs[i] ? h : hs[i];
        }
        if (row->title != NULL)
            hs[i]++;
        free(wt);
        free(ws);
    }
    return hs;
}

/* "title | page | last 1h" on the first line of c. */
static void
text_heading(struct canvas *c, const struct dashboard *d, const char *what)
{
    char range[32];
    struct buf b;

    buf_init(&b, 0);
    view_range_text(d->range_ms, range, sizeof range);
    buf_printf(&b, "%s | %s | last %s", d->title ? d->title : "promdeck",
               what ? what : "", range);
    canvas_text(c, 0, 0, -1, buf_str(&b), ROLE_TITLE, ATTR_BOLD);
    buf_fini(&b);
}

static struct canvas *
text_canvas(int w, int h, enum glyphs glyphs)
{
    struct canvas *c = canvas_new(w, h, glyphs == GLYPHS_ASCII);

    canvas_set_glyphs(c, glyphs);
    return c;
}

static void
text_page(const struct dashboard *d, size_t p, int width,
          enum glyphs glyphs, struct buf *out)
{
    const struct page *pg = &d->pages[p];
    int *hs = text_row_heights(pg, width), total = 0;
    struct canvas *c;

    for (size_t i = 0; i < pg->nrows; i++)
        total += hs[i];
    c = text_canvas(width, 1 + total, glyphs);
    text_heading(c, d, pg->title);
    view_page_draw_text(c, (struct rect){ 0, 1, width, total }, d, p, hs);
    canvas_to_text(c, out);
    canvas_free(c);
    free(hs);
}

void
ui_render_text(const struct dashboard *d, const struct target_view *tv,
               int width, enum glyphs glyphs, struct buf *out)
{
    static const struct target_view none = { 0 };
    struct targets_state ts = { .sel = -1, .all_expanded = true,
                                .dropped = true };
    struct canvas *c;
    int h;

    if (width < 20)
        width = 20;
    if (tv == NULL)
        tv = &none;
    for (size_t p = 0; p < d->npages; p++) {
        text_page(d, p, width, glyphs, out);
        buf_putc(out, '\n');
    }
    h = view_targets_height(tv, &ts, width);
    c = text_canvas(width, 1 + h, glyphs);
    text_heading(c, d, "targets");
    view_draw_targets(c, (struct rect){ 0, 1, width, h }, tv, &ts,
                      d->now_ms);
    canvas_to_text(c, out);
    canvas_free(c);
}
