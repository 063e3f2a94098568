/*
 * Help: a fixed table of keys. It lists only keys the input code
 * handles, so the two must change together. It stays within 20 lines,
 * so that all of it fits an 80x24 terminal; the arrows, PgUp/PgDn and
 * Home/End do the same in the targets view, on its selection, and
 * scroll the alerts and rules views.
 */
#include "ui/view_help.h"

#include "ui/theme.h"

static const char *const keys[][2] = {
    { "q", "quit" },
    { "Tab / Shift-Tab", "next / previous view" },
    { "1-9", "view N (pages, targets, alerts, rules)" },
    { "arrows, h/j/k/l", "move the focus or the selection; the page follows" },
    { "PgUp/PgDn, Home/End", "scroll a screen, go to the top / end" },
    { "Enter / Esc", "zoom the focused panel / back; Esc: no filter" },
    { "Space, Enter on a row", "fold or open the row (Space: a panel's)" },
    { "+ / -", "longer / shorter time range (5m ... 7d)" },
    { "[ / ]", "previous / next value of the variable" },
    { "v", "select the next variable" },
    { "/", "filter series: label=value, label=~re, text" },
    { "e", "explore: a PromQL prompt (Esc on empty: back)" },
    { "p", "pause: keep scraping, stop updating the panels" },
    { "r", "reset focus, zoom, filter and range" },
    { "Ctrl-R", "reload the --config, rule and -d files" },
    { "Enter / d (targets)", "a target's labels / the dropped targets" },
    { "F / P / I (alerts)", "show or hide firing / pending / inactive" },
    { "Ctrl-L", "redraw the whole screen" },
    { "? / Esc", "show or hide this help / hide it" },
    { "mouse", "click a tab, panel or row; double click zooms; "
               "the wheel scrolls" },
};

void
view_draw_help(struct canvas *c, struct rect r)
{
    int kw = 22;

    if (r.h <= 0)
        return;
    canvas_text(c, r.x + 1, r.y, r.w - 1, "Keys", ROLE_TITLE, ATTR_BOLD);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int y = r.y + 2 + (int)i;

        if (y >= r.y + r.h)
            break;
        canvas_text(c, r.x + 2, y, kw - 1, keys[i][0], ROLE_HI, ATTR_BOLD);
        canvas_text(c, r.x + 2 + kw, y, r.w - kw - 2, keys[i][1],
                    ROLE_DEFAULT, 0);
    }
}
