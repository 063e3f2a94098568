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
#include <time.h>

#include "src/xalloc.h"
#include "ui/canvas.h"
#include "ui/layout.h"
#include "ui/screen.h"
#include "ui/theme.h"
#include "ui/view.h"
#include "ui/view_targets.h"
#include "ui/widget.h"

struct ui {
    struct screen *scr;
    struct canvas *canvas;      /* the frame being drawn */
    struct view_state vs;
    struct view_memo *memo;     /* what the last frame drew from */
    int npages;                 /* of the dashboard last seen; -1 none */
    bool full;                  /* repaint everything on the next draw */
};

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
    scr = screen_open(o->ascii || !utf8, o->no_color, o->theme, d);
    if (scr == NULL)
        return NULL;
    ui = xcalloc(1, sizeof *ui);
    ui->scr = scr;
    ui->canvas = canvas_new(0, 0, screen_ascii(scr));
    ui->memo = view_memo_new();
    ui->npages = -1;
    ui->full = true;
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

/* How strong an action is, for keeping the strongest of a batch. */
static int
rank(enum ui_action a)
{
    switch (a) {
    case UI_QUIT: return 3;
    case UI_RELOAD: return 2;
    case UI_REDRAW: return 1;
    default: return 0;
    }
}

/* Scrolling keys for the targets list; true when ev was one. */
static bool
scroll_key(struct ui *ui, int key, size_t ntargets)
{
    int page, w, h, max = ntargets > 0 ? (int)ntargets - 1 : 0;

    screen_size(ui->scr, &w, &h);
    page = h - 4 > 1 ? h - 4 : 1;
    switch (key) {
    case SCREEN_KEY_UP: case 'k': ui->vs.scroll--; break;
    case SCREEN_KEY_DOWN: case 'j': ui->vs.scroll++; break;
    case SCREEN_KEY_PGUP: ui->vs.scroll -= page; break;
    case SCREEN_KEY_PGDN: ui->vs.scroll += page; break;
    case SCREEN_KEY_HOME: ui->vs.scroll = 0; break;
    case SCREEN_KEY_END: ui->vs.scroll = max; break;
    default: return false;
    }
    /* The draw clamps to a full last page; this only keeps it in range. */
    ui->vs.scroll = ui->vs.scroll < 0 ? 0
                    : ui->vs.scroll > max ? max : ui->vs.scroll;
    return true;
}

static void
show_view(struct ui *ui, int v, int count)
{
    ui->vs.view = ((v % count) + count) % count;
    ui->vs.help = false;
}

static enum ui_action
apply_event(struct ui *ui, const struct screen_event *ev, int count,
            size_t ntargets)
{
    int v;

    switch (ev->key) {
    case 'q': case 'Q': return UI_QUIT;
    case 'r': return UI_RELOAD;
    case '\t': show_view(ui, ui->vs.view + 1, count); return UI_REDRAW;
    case SCREEN_KEY_BTAB: show_view(ui, ui->vs.view - 1, count);
        return UI_REDRAW;
    case '?': ui->vs.help = !ui->vs.help; return UI_REDRAW;
    case 'p': ui->vs.paused = !ui->vs.paused; return UI_REDRAW;
    case 12: /* Ctrl-L */
    case SCREEN_KEY_RESIZE: ui->full = true; return UI_REDRAW;
    case SCREEN_KEY_CLICK:
        v = view_tab_at(&ui->vs, ev->x, ev->y);
        if (v < 0)
            return UI_NONE;
        show_view(ui, v, count);
        return UI_REDRAW;
    default:
        break;
    }
    if (ev->key >= '1' && ev->key <= '9') {
        if (ev->key - '1' >= count)
            return UI_NONE;
        show_view(ui, ev->key - '1', count);
        return UI_REDRAW;
    }
    return scroll_key(ui, ev->key, ntargets) ? UI_REDRAW : UI_NONE;
}

enum ui_action
ui_handle_input(struct ui *ui, struct dashboard *d, size_t ntargets)
{
    enum ui_action best = UI_NONE, a;
    struct screen_event ev;
    int count = view_count(d);

    ui->npages = (int)d->npages;
    while (screen_read(ui->scr, &ev)) {
        a = apply_event(ui, &ev, count, ntargets);
        if (rank(a) > rank(best))
            best = a;
    }
    return best;
}

bool
ui_paused(const struct ui *ui)
{
    return ui->vs.paused;
}

int
ui_current_page(const struct ui *ui)
{
    if (ui->vs.help)
        return -1;
    if (ui->npages >= 0 && ui->vs.view >= ui->npages)
        return -1;
    return ui->vs.view;
}

static int64_t
wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
ui_draw(struct ui *ui, const struct dashboard *d,
        const struct target_row *t, size_t nt, const char *status)
{
    int w, h;

    screen_size(ui->scr, &w, &h);
    if (w != canvas_width(ui->canvas) || h != canvas_height(ui->canvas)) {
        canvas_resize(ui->canvas, w, h);
        ui->full = true;
    }
    ui->npages = (int)d->npages;
    if (ui->full)
        view_memo_invalidate(ui->memo);
    view_draw_memo(ui->canvas, &ui->vs, d, t, nt, status, wall_ms(),
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
            int h = widget_want_height(&row->panels[j], ws[j]);

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

static void
text_page(const struct dashboard *d, size_t p, int width, bool ascii,
          struct buf *out)
{
    const struct page *pg = &d->pages[p];
    int *hs = text_row_heights(pg, width), total = 0;
    struct canvas *c;

    for (size_t i = 0; i < pg->nrows; i++)
        total += hs[i];
    c = canvas_new(width, 1 + total, ascii);
    text_heading(c, d, pg->title);
    view_draw_page(c, (struct rect){ 0, 1, width, total }, d, p, hs);
    canvas_to_text(c, out);
    canvas_free(c);
    free(hs);
}

void
ui_render_text(const struct dashboard *d, const struct target_row *t,
               size_t nt, int width, bool ascii, struct buf *out)
{
    struct canvas *c;
    int scroll = 0, h = view_targets_height(nt);

    if (width < 20)
        width = 20;
    for (size_t p = 0; p < d->npages; p++) {
        text_page(d, p, width, ascii, out);
        buf_putc(out, '\n');
    }
    c = canvas_new(width, 1 + h, ascii);
    text_heading(c, d, "targets");
    view_draw_targets(c, (struct rect){ 0, 1, width, h }, t, nt, &scroll,
                      d->now_ms);
    canvas_to_text(c, out);
    canvas_free(c);
}
