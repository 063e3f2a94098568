/*
 * Targets: fixed columns for the short fields, the labels and the last
 * error share what is left (the error gets more, being what people look
 * for), each wrapped in its column so nothing is cut off: a row is as
 * tall as its longer one. A column narrower than WRAP_MIN (a narrow
 * terminal) is cut instead, as is an expanded row's, which shows both in
 * full below it. The content's lines are counted, then only the window
 * the scroll position picks is drawn (a few dozen of a thousand
 * targets); the header stays put. Nothing is sorted here: src/ gives the
 * order.
 */
#include "ui/view_targets.h"

#include <stdio.h>

#include "ui/format.h"
#include "ui/theme.h"
#include "ui/widget.h"

enum { C_HEALTH, C_JOB, C_INST, C_LAST, C_DUR, C_SAMPLES, C_LABELS, C_ERR,
       C_COUNT };

static const char *const heads[C_COUNT] = {
    "STATE", "JOB", "ENDPOINT", "LAST SCRAPE", "DURATION", "SAMPLES",
    "LABELS", "ERROR",
};

/* The width of the "discovered labels: " column of an expansion. */
#define KEY_W 20
/* The narrowest labels or error column that wraps: below it a label
 * pair would be broken every few letters, and a row would run to dozens
 * of lines. */
#define WRAP_MIN 12

static const char *
str_or(const char *s, const char *dflt)
{
    return s != NULL && s[0] != '\0' ? s : dflt;
}

static int
widest(const struct target_row *t, size_t nt, int col, int dflt, int cap)
{
    int w = dflt;

    for (size_t i = 0; i < nt; i++) {
        const char *s = col == C_JOB ? str_or(t[i].job, "")
                        : str_or(t[i].instance, str_or(t[i].url, ""));
        int n = canvas_text_width(s);

        w = n > w ? n : w;
    }
    return w < cap ? w : cap;
}

static void
widths(const struct target_row *t, size_t nt, int w, int *cw)
{
    int rest;

    cw[C_HEALTH] = 7;
    cw[C_JOB] = widest(t, nt, C_JOB, 3, 16);
    cw[C_INST] = widest(t, nt, C_INST, 8, 32);
    cw[C_LAST] = 11;
    cw[C_DUR] = 9;
    cw[C_SAMPLES] = 8;
    rest = w;
    for (int i = 0; i < C_LABELS; i++)
        rest -= cw[i] + 1;
    cw[C_LABELS] = rest > 0 ? rest * 2 / 5 : 0;
    cw[C_ERR] = rest > 0 ? rest - cw[C_LABELS] - 1 : 0;
}

static void
health_text(enum target_health h, const char **s, int *role)
{
    *s = h == HEALTH_UP ? "up" : h == HEALTH_DOWN ? "down" : "unknown";
    *role = h == HEALTH_UP ? ROLE_GOOD : h == HEALTH_DOWN ? ROLE_CRIT
                                                          : ROLE_STALE;
}

/* Writes one line across the columns; the state in bold, or every cell
 * when attr0 < 0 (the header). */
static void
draw_cells(struct canvas *c, const char *const *cells, const int *roles,
           int attr0, const int *cw, int y, int w)
{
    int x = 0;

    for (int i = 0; i < C_COUNT && x < w; i++) {
        int cwid = x + cw[i] > w ? w - x : cw[i];

        if (i == C_DUR || i == C_SAMPLES)
            canvas_text_right(c, x, y, cwid, cells[i], roles[i],
                              attr0 < 0 ? ATTR_BOLD : 0);
        else
            canvas_text(c, x, y, cwid, cells[i], roles[i],
                        i == C_HEALTH || attr0 < 0 ? ATTR_BOLD : 0);
        x += cw[i] + 1;
    }
}

/* Where column col starts, and how much of it fits in w (0: none, or
 * too little to wrap in). */
static int
column_at(const int *cw, int col, int w, int *width)
{
    int x = 0;

    for (int i = 0; i < col; i++)
        x += cw[i] + 1;
    *width = x >= w ? 0 : x + cw[col] > w ? w - x : cw[col];
    if (*width < WRAP_MIN)
        *width = 0;
    return x;
}

/* The lines a column's text takes wrapped in it; at least 1. */
static int
cell_lines(const char *text, const int *cw, int col, int w)
{
    int width, n;

    column_at(cw, col, w, &width);
    n = width > 0 ? widget_wrap_lines(text, width) : 1;
    return n > 1 ? n : 1;
}

/* Whether column col wraps at width w. */
static bool
wraps(const int *cw, int col, int w)
{
    int width;

    column_at(cw, col, w, &width);
    return width > 0;
}

/* The lines target row tr takes (its expansion apart): the labels and
 * the error wrapped in their columns, or one when expanded. */
static int
row_lines(const struct target_row *tr, const int *cw, int w, bool expanded)
{
    int a, b;

    if (expanded)
        return 1;
    a = cell_lines(str_or(tr->labels, ""), cw, C_LABELS, w);
    b = cell_lines(str_or(tr->last_error, ""), cw, C_ERR, w);
    return a > b ? a : b;
}

/* Writes text wrapped into column col from line y on. */
static void
wrap_cell(struct canvas *c, const int *cw, int col, int y, int w,
          const char *text, int role)
{
    int width, x = column_at(cw, col, w, &width);

    widget_wrap(c, (struct rect){ x, y, width, 1 << 20 }, text, role);
}

static void
draw_target(struct canvas *c, const struct target_row *tr, const int *cw,
            int y, int w, int64_t now_ms, bool expanded)
{
    char last[32], dur[FORMAT_VALUE_MAX], samples[32];
    const char *cells[C_COUNT];
    int roles[C_COUNT];

    health_text(tr->health, &cells[C_HEALTH], &roles[C_HEALTH]);
    format_ago(now_ms, tr->last_scrape_ms, last, sizeof last);
    if (tr->last_scrape_ms == 0)
        snprintf(dur, sizeof dur, "-");
    else
        format_duration(tr->last_duration_s, dur, sizeof dur);
    snprintf(samples, sizeof samples, "%zu", tr->samples);
    cells[C_JOB] = str_or(tr->job, "");
    cells[C_INST] = str_or(tr->instance, str_or(tr->url, ""));
    cells[C_LAST] = last;
    cells[C_DUR] = dur;
    cells[C_SAMPLES] = samples;
    cells[C_LABELS] = str_or(tr->labels, "");
    cells[C_ERR] = str_or(tr->last_error, "");
    for (int i = C_JOB; i < C_COUNT; i++)
        roles[i] = i == C_ERR ? ROLE_CRIT : i == C_LABELS ? ROLE_LABEL
                                                          : ROLE_DEFAULT;
    for (int i = C_LABELS; !expanded && i <= C_ERR; i++) {
        if (!wraps(cw, i, w))
            continue;
        wrap_cell(c, cw, i, y, w, cells[i], roles[i]);
        cells[i] = "";
    }
    draw_cells(c, cells, roles, ATTR_BOLD, cw, y, w);
}

/* "key" then text wrapped beside it from column KEY_W; returns lines. */
static int
keyed_lines(struct canvas *c, int y, int w, const char *key,
            const char *text, int role)
{
    int n;

    if (w <= KEY_W + 2)
        return 0;
    n = c != NULL ? widget_wrap(c, (struct rect){ KEY_W, y, w - KEY_W,
                                                  1 << 20 }, text, role)
                  : widget_wrap_lines(text, w - KEY_W);
    if (c != NULL)
        canvas_text(c, 2, y, KEY_W - 3, key, ROLE_TITLE, 0);
    return n > 0 ? n : 1;
}

/* The expansion of a target: both label sets and the error, in full. */
static int
expansion(struct canvas *c, int y, int w, const struct target_row *tr)
{
    int n = 0;

    n += keyed_lines(c, y + n, w, "discovered labels",
                     str_or(tr->discovered, "(not known)"), ROLE_LABEL);
    n += keyed_lines(c, y + n, w, "target labels",
                     str_or(tr->labels, "{}"), ROLE_LABEL);
    if (tr->last_error != NULL && tr->last_error[0] != '\0')
        n += keyed_lines(c, y + n, w, "last error", tr->last_error,
                         ROLE_CRIT);
    return n;
}

/* The dropped list: a heading, then job, why and the discovered labels
 * of each, the labels wrapped under the reason. */
static int
dropped_lines(struct canvas *c, int y, int w, const struct target_view *tv)
{
    int n = 1, jw = 3;
    char head[64];

    snprintf(head, sizeof head, "DROPPED BY RELABELLING (%zu)",
             tv->ndropped);
    if (c != NULL)
        canvas_text(c, 0, y, w, head, ROLE_TITLE, ATTR_BOLD);
    for (size_t i = 0; i < tv->ndropped; i++) {
        int k = canvas_text_width(str_or(tv->dropped[i].job, ""));

        jw = k > jw ? (k < 16 ? k : 16) : jw;
    }
    for (size_t i = 0; i < tv->ndropped && w > jw + 4; i++) {
        const struct dropped_row *dr = &tv->dropped[i];
        struct rect at = { jw + 1, y + n, w - jw - 1, 1 << 20 };

        if (c != NULL) {
            canvas_text(c, 0, y + n, jw, str_or(dr->job, ""), ROLE_DEFAULT,
                        0);
            widget_wrap(c, at, str_or(dr->reason, "dropped"), ROLE_WARN);
        }
        n += widget_wrap_lines(str_or(dr->reason, "dropped"), at.w);
        at.y = y + n;
        if (c != NULL)
            widget_wrap(c, at, str_or(dr->discovered, "{}"), ROLE_LABEL);
        n += widget_wrap_lines(str_or(dr->discovered, "{}"), at.w);
    }
    return n;
}

/* The discovery errors, one wrapped block each, from line y on. */
static int
error_lines(struct canvas *c, int y, int w, const struct target_view *tv)
{
    struct buf b;
    int n = 0;

    buf_init(&b, 0);
    for (size_t i = 0; i < tv->nerrors; i++) {
        buf_reset(&b);
        buf_printf(&b, "discovery error: %s", tv->errors[i]);
        if (c != NULL)
            widget_wrap(c, (struct rect){ 0, y + n, w, 1 << 20 },
                        buf_str(&b), ROLE_CRIT);
        n += widget_wrap_lines(buf_str(&b), w);
    }
    buf_fini(&b);
    return n;
}

/* Where the selected target's lines start and end in the content, and
 * where its row (without the expansion) ends. */
struct sel_span {
    int first, last, row_last;
};

/* Whether lines [y, y + n) of the content, drawn with line origin at
 * the top of c, land on c. */
static bool
on_canvas(const struct canvas *c, int origin, int y, int n)
{
    return c != NULL && y + n > origin && y < origin + canvas_height(c);
}

/*
 * Lays the content (everything under the header) out, line origin of it
 * at the top of c, or only counts with c NULL; returns the lines and the
 * selection's. Only the targets that land on c are drawn: at a thousand
 * targets a page shows a few dozen, and every other one is only counted.
 */
static int
content(struct canvas *c, int origin, int w, const struct target_view *tv,
        const struct targets_state *ts, const int *cw, int64_t now_ms,
        struct sel_span *sp)
{
    int y = error_lines(c, -origin, w, tv);

    if (tv->n == 0 && c != NULL)
        canvas_text(c, 0, y - origin, w, "no targets", ROLE_INACTIVE, 0);
    y += tv->n == 0;
    for (size_t i = 0; i < tv->n; i++) {
        const struct target_row *tr = &tv->rows[i];
        bool sel = ts->sel == (int)i;
        bool open = ts->all_expanded || (sel && ts->expanded);
        int n = row_lines(tr, cw, w, open);
        int ex = open ? expansion(NULL, 0, w, tr) : 0;

        if (on_canvas(c, origin, y, n + ex)) {
            draw_target(c, tr, cw, y - origin, w, now_ms, open);
            if (open)
                expansion(c, y - origin + n, w, tr);
        }
        if (sel)
            *sp = (struct sel_span){ y, y + n + ex - 1, y + n - 1 };
        y += n + ex;
    }
    if (ts->dropped && tv->ndropped > 0)
        y += dropped_lines(c, y - origin, w, tv);
    if (!ts->dropped && tv->ndropped > 0) {
        char note[64];

        snprintf(note, sizeof note, "%zu dropped by relabelling (d shows)",
                 tv->ndropped);
        if (c != NULL)
            canvas_text(c, 0, y - origin, w, note, ROLE_INACTIVE, 0);
        y++;
    }
    return y;
}

static void
draw_header(struct canvas *c, int w, const int *cw)
{
    int roles[C_COUNT];

    for (int i = 0; i < C_COUNT; i++)
        roles[i] = ROLE_TITLE;
    draw_cells(c, heads, roles, -1, cw, 0, w);
}

/* Keeps the selection in view and the last page full. */
static void
clamp_scroll(struct targets_state *ts, const struct sel_span *sp,
             int total, int rows)
{
    int maxs = total - rows > 0 ? total - rows : 0;

    if (ts->sel >= 0 && sp->first >= 0) {
        if (sp->last - ts->scroll >= rows)
            ts->scroll = sp->last - rows + 1;
        if (sp->first < ts->scroll)
            ts->scroll = sp->first;
    }
    ts->scroll = ts->scroll < 0 ? 0 : ts->scroll > maxs ? maxs : ts->scroll;
}

/* Copies the h rows of src, content lines from on, to (x, y) of dst;
 * the lines of the selected row, sel->first to sel->row_last, take the
 * selection role (sel NULL: none). */
static void
blit(struct canvas *dst, int x, int y, const struct canvas *src, int from,
     int h, const struct sel_span *sel)
{
    for (int j = 0; j < h; j++) {
        bool hi = sel != NULL && from + j >= sel->first
                  && from + j <= sel->row_last;

        for (int i = 0; i < canvas_width(src); i++) {
            const struct cell *ce = canvas_cell(src, i, j);

            if (ce != NULL)
                canvas_put(dst, x + i, y + j, ce->ch,
                           hi ? ROLE_SELECTION : ce->role, ce->attr);
        }
    }
}

/*
 * The lines are counted first (the selection is kept in sight and the
 * last page full), then only the window the scroll position picks is
 * drawn, onto a scratch canvas as tall as the window.
 */
void
view_draw_targets(struct canvas *c, struct rect r,
                  const struct target_view *tv, struct targets_state *ts,
                  int64_t now_ms)
{
    int cw[C_COUNT], total, h;
    struct sel_span sp = { -1, -1, -1 };
    struct canvas *scratch, *head;

    if (r.h <= 0 || r.w <= 0)
        return;
    if (ts->sel >= (int)tv->n)
        ts->sel = (int)tv->n - 1;
    widths(tv->rows, tv->n, r.w, cw);
    head = canvas_new(r.w, 1, canvas_ascii(c));
    draw_header(head, r.w, cw);
    blit(c, r.x, r.y, head, 0, 1, NULL);
    canvas_free(head);
    total = content(NULL, 0, r.w, tv, ts, cw, now_ms, &sp);
    clamp_scroll(ts, &sp, total, r.h - 1);
    h = r.h - 1 < total - ts->scroll ? r.h - 1 : total - ts->scroll;
    if (h <= 0)
        return;
    scratch = canvas_new(r.w, h, canvas_ascii(c));
    content(scratch, ts->scroll, r.w, tv, ts, cw, now_ms, &sp);
    blit(c, r.x, r.y + 1, scratch, ts->scroll, h,
         ts->sel >= 0 && sp.first >= 0 ? &sp : NULL);
    canvas_free(scratch);
}

int
view_targets_height(const struct target_view *tv,
                    const struct targets_state *ts, int w)
{
    int cw[C_COUNT];
    struct sel_span sp = { -1, -1, -1 };

    widths(tv->rows, tv->n, w, cw);
    return 1 + content(NULL, 0, w, tv, ts, cw, 0, &sp);
}
