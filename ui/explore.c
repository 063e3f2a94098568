/*
 * The explore view: it routes keys to the line editor, the completion
 * and the history, hands what Enter ran to src/, and draws the prompt,
 * the completion list and the last result (on an off-screen canvas that
 * PgUp/PgDn scroll through). It never evaluates or parses PromQL; the
 * caret under an error comes from the diag src/ gives back.
 */
#include "ui/explore.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/graph.h"
#include "ui/history.h"
#include "ui/lineedit.h"
#include "ui/widget.h"

#define LIST_ROWS 8             /* completion rows shown at once */
#define PROMPT "> "

/*
 * The prompt line, its history and its completion are modules of their
 * own; the view adds what Enter ran, the answer to it, and the scroll
 * position of that answer (content_h rows shown view_h at a time).
 */
struct explore {
    struct lineedit *line;
    struct history *hist;
    struct complete *comp;
    bool (*pending)(void *ctx);     /* the completer's, or NULL */
    void *pending_ctx;
    int tab_wait;               /* a Tab (1) or Shift-Tab (-1) that found
                                 * nothing while names were coming; 0 */
    char *ran;                  /* the expression Enter ran */
    struct qresult *res;
    bool has_err;
    struct diag err;
    int scroll, view_h, content_h;
};

/* -- keys ------------------------------------------------------------ */

struct explore *
explore_new(const char *history_path)
{
    struct explore *ex = xcalloc(1, sizeof *ex);

    ex->line = lineedit_new();
    ex->hist = history_new(history_path);
    ex->comp = complete_new();
    ex->ran = xstrdup("");
    return ex;
}

void
explore_free(struct explore *ex)
{
    if (ex == NULL)
        return;
    history_save(ex->hist);
    history_free(ex->hist);
    complete_free(ex->comp);
    lineedit_free(ex->line);
    qresult_free(ex->res);
    free(ex->ran);
    free(ex);
}

void
explore_set_completer(struct explore *ex, const struct explore_completer *c)
{
    bool on = c != NULL && c->complete != NULL;

    complete_set_source(ex->comp, on ? c->complete : NULL,
                        on ? c->ctx : NULL);
    ex->pending = on ? c->pending : NULL;
    ex->pending_ctx = on ? c->ctx : NULL;
    ex->tab_wait = 0;
}

/* Tab or Shift-Tab; with nothing to offer while the completer still
 * waits for names, the key is kept for when they come. */
static enum explore_outcome
key_tab(struct explore *ex, int dir)
{
    ex->tab_wait = 0;
    if (complete_step(ex->comp, ex->line, dir))
        return EXPLORE_CHANGED;
    if (ex->pending != NULL && ex->pending(ex->pending_ctx))
        ex->tab_wait = dir;
    return EXPLORE_NONE;
}

bool
explore_names_arrived(struct explore *ex)
{
    int dir = ex->tab_wait;

    return dir != 0 && key_tab(ex, dir) == EXPLORE_CHANGED;
}

const char *
explore_expr(const struct explore *ex)
{
    return ex->ran;
}

static enum explore_outcome
key_enter(struct explore *ex)
{
    const char *t = lineedit_text(ex->line);
    size_t a = 0, b = lineedit_len(ex->line);

    /* Blanks around the expression are not part of it. */
    while (a < b && t[a] == ' ')
        a++;
    while (b > a && t[b - 1] == ' ')
        b--;
    if (a == b)
        return EXPLORE_NONE;
    free(ex->ran);
    ex->ran = xstrndup(t + a, b - a);
    history_add(ex->hist, ex->ran);
    /* Saved at once: a crash later must not lose what was run. */
    history_save(ex->hist);
    return EXPLORE_RUN;
}

/* Up (dir -1) and Down (dir 1) through the history. */
static enum explore_outcome
key_history(struct explore *ex, int dir)
{
    const char *s = dir < 0 ? history_prev(ex->hist, lineedit_text(ex->line))
                            : history_next(ex->hist);

    if (s == NULL)
        return EXPLORE_NONE;
    lineedit_set(ex->line, s);
    return EXPLORE_CHANGED;
}

static enum explore_outcome
key_scroll(struct explore *ex, int dir)
{
    int page = ex->view_h > 1 ? ex->view_h - 1 : 1;
    int old = ex->scroll;

    ex->scroll += dir * page;
    if (ex->scroll > ex->content_h - ex->view_h)
        ex->scroll = ex->content_h - ex->view_h;
    if (ex->scroll < 0)
        ex->scroll = 0;
    return ex->scroll != old ? EXPLORE_CHANGED : EXPLORE_NONE;
}

enum explore_outcome
explore_key(struct explore *ex, const struct screen_event *ev)
{
    int key = ev->key;

    if (key == '\t' || key == SCREEN_KEY_BTAB)
        return key_tab(ex, key == '\t' ? 1 : -1);
    ex->tab_wait = 0;
    if (key == 0x1b && complete_count(ex->comp) > 1) {
        /* Esc first closes an open list, keeping what it inserted. */
        complete_close(ex->comp);
        return EXPLORE_CHANGED;
    }
    complete_close(ex->comp);
    switch (key) {
    case '\r': case '\n': return key_enter(ex);
    case 0x1b:
        if (lineedit_len(ex->line) == 0)
            return EXPLORE_LEAVE;
        lineedit_set(ex->line, "");
        history_rewind(ex->hist);
        return EXPLORE_CHANGED;
    case SCREEN_KEY_UP: return key_history(ex, -1);
    case SCREEN_KEY_DOWN: return key_history(ex, 1);
    case SCREEN_KEY_PGUP: return key_scroll(ex, -1);
    case SCREEN_KEY_PGDN: return key_scroll(ex, 1);
    case SCREEN_KEY_RESIZE: return EXPLORE_CHANGED;
    default:
        return lineedit_key(ex->line, key) ? EXPLORE_CHANGED : EXPLORE_NONE;
    }
}

void
explore_set_result(struct explore *ex, struct qresult *res,
                   const struct diag *err)
{
    qresult_free(ex->res);
    ex->res = NULL;
    ex->has_err = err != NULL;
    if (err != NULL) {
        ex->err = *err;
        ex->err.source = NULL;
        qresult_free(res);
    } else {
        ex->res = res;
    }
    ex->scroll = 0;
}

/* -- drawing --------------------------------------------------------- */

/* The prompt row, scrolled sideways so the cursor stays visible. */
static void
draw_prompt(const struct explore *ex, struct canvas *c, struct rect r)
{
    int pw = canvas_text_width(PROMPT), w = r.w - pw - 1, at;
    size_t from;
    const struct cell *cl;

    canvas_text(c, r.x, r.y, r.w, PROMPT, ROLE_HI, ATTR_BOLD);
    if (w < 1)
        return;
    /* w + 1 cells: the cursor may sit just past the last character. */
    from = lineedit_view(ex->line, w + 1, &at);
    canvas_text(c, r.x + pw, r.y, w + 1, lineedit_text(ex->line) + from,
                ROLE_DEFAULT, 0);
    cl = canvas_cell(c, r.x + pw + at, r.y);
    if (cl != NULL)
        canvas_put(c, r.x + pw + at, r.y, cl->ch, ROLE_DEFAULT,
                   ATTR_REVERSE);
}

/* The completion list under the prompt; returns the rows used. */
static int
draw_cands(const struct explore *ex, struct canvas *c, struct rect r)
{
    size_t n = complete_count(ex->comp), first = 0, shown;
    long sel = complete_selected(ex->comp);
    int rows = 0;

    if (n < 2 || r.h <= 0)
        return 0;
    shown = n < LIST_ROWS ? n : LIST_ROWS;
    if ((size_t)r.h < shown)
        shown = (size_t)r.h;
    if (sel >= (long)shown)
        first = (size_t)sel - shown + 1;
    for (size_t i = first; i < first + shown; i++, rows++) {
        bool on = (long)i == sel;

        if (on)
            canvas_fill(c, (struct rect){ r.x, r.y + rows, r.w, 1 }, ' ',
                        ROLE_SELECTION, 0);
        canvas_text(c, r.x + 2, r.y + rows, r.w - 2,
                    complete_at(ex->comp, i),
                    on ? ROLE_SELECTION : ROLE_LABEL, 0);
    }
    if (n > shown) {
        char more[48];

        snprintf(more, sizeof more, "%zu/%zu", (size_t)(sel + 1), n);
        canvas_text_right(c, r.x, r.y + rows - 1, r.w, more,
                          ROLE_INACTIVE, 0);
    }
    return rows;
}

/* The shortest text that reads back as v. */
static void
exact_value(double v, char *out, size_t n)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(out, n, "%.*g", p, v);
        if (isnan(v) || strtod(out, NULL) == v)
            break;
    }
    if (isnan(v))
        snprintf(out, n, "NaN");
    else if (isinf(v))
        snprintf(out, n, v > 0 ? "+Inf" : "-Inf");
}

/* The error, the expression and a caret under the diag's span. */
static int
draw_error(const struct explore *ex, struct canvas *c, int w)
{
    struct buf line;
    int y, col, span;

    y = widget_wrap(c, (struct rect){ 0, 0, w, 4 }, ex->err.msg, ROLE_CRIT);
    if (ex->err.line > 0) {
        canvas_text(c, 2, y, w - 2, ex->ran, ROLE_DEFAULT, 0);
        /* Columns count bytes; the screen counts code points. */
        col = lineedit_cells(ex->ran, (size_t)ex->err.col - 1);
        buf_init(&line, 0);
        buf_putc(&line, '^');
        for (span = 1; span < ex->err.span; span++)
            buf_putc(&line, '~');
        canvas_text(c, 2 + col, y + 1, w - 2 - col, buf_str(&line),
                    ROLE_CRIT, ATTR_BOLD);
        buf_fini(&line);
        y += 2;
    }
    if (ex->err.hint[0] != '\0')
        y += widget_wrap(c, (struct rect){ 0, y, w, 4 }, ex->err.hint,
                         ROLE_LABEL);
    return y;
}

/* One row per series: its labels, and its last value right-aligned. */
static int
draw_table(const struct qresult *res, struct canvas *c, int y, int w)
{
    char val[FORMAT_VALUE_MAX];
    int vw = 5;
    struct buf lb;

    for (size_t i = 0; i < res->nseries; i++) {
        format_value(widget_last(&res->series[i]), UNIT_AUTO, -1, val,
                     sizeof val);
        if (canvas_text_width(val) > vw)
            vw = canvas_text_width(val);
    }
    canvas_text(c, 0, y, w - vw - 1, "Element", ROLE_TITLE, ATTR_BOLD);
    canvas_text_right(c, w - vw, y, vw, "Value", ROLE_TITLE, ATTR_BOLD);
    y++;
    buf_init(&lb, 0);
    for (size_t i = 0; i < res->nseries; i++, y++) {
        buf_reset(&lb);
        labels_format(&res->series[i].labels, &lb);
        format_value(widget_last(&res->series[i]), UNIT_AUTO, -1, val,
                     sizeof val);
        canvas_text(c, 0, y, w - vw - 1, buf_str(&lb),
                    theme_series_role(i), 0);
        canvas_text_right(c, w - vw, y, vw, val, ROLE_DEFAULT, 0);
    }
    buf_fini(&lb);
    return y;
}

/* The time range and resolution of a matrix, for the graph's axes. */
static struct widget_ctx
matrix_ctx(const struct qresult *res)
{
    struct widget_ctx ctx = { INT64_MAX, INT64_MIN, 0 };

    for (size_t i = 0; i < res->nseries; i++) {
        const struct qseries *s = &res->series[i];

        for (size_t j = 0; j < s->npoints; j++) {
            int64_t t = s->points[j].t;

            if (t < ctx.start_ms)
                ctx.start_ms = t;
            if (t > ctx.end_ms)
                ctx.end_ms = t;
            if (j > 0 && t - s->points[j - 1].t > 0
                && (ctx.step_ms == 0 || t - s->points[j - 1].t < ctx.step_ms))
                ctx.step_ms = t - s->points[j - 1].t;
        }
    }
    if (ctx.start_ms > ctx.end_ms)
        ctx.start_ms = ctx.end_ms = res->t;
    return ctx;
}

/* A graph of every series through the graph widget, then their last
 * values as a table. */
static int
draw_matrix(struct qresult *res, struct canvas *c, int w, int gh)
{
    struct panel_query q = { .expr = "", .result = res };
    struct panel p = { .title = "", .kind = PANEL_GRAPH, .decimals = -1,
                       .min = NAN, .max = NAN, .width = 1, .queries = &q,
                       .nqueries = 1 };
    struct widget_ctx ctx = matrix_ctx(res);

    graph_class.draw(&p, &ctx, c, (struct rect){ 0, 0, w, gh });
    return draw_table(res, c, gh + 1, w);
}

/* The number of rows the result needs at width w. */
static int
result_rows(const struct explore *ex, int w, int gh)
{
    if (ex->has_err)
        return 8 + (int)strlen(ex->err.msg) / (w > 0 ? w : 1);
    if (ex->res == NULL)
        return 1;
    if (ex->res->type == QV_VECTOR)
        return 2 + (int)ex->res->nseries;
    if (ex->res->type == QV_MATRIX)
        return gh + 2 + (int)ex->res->nseries;
    return 1 + (int)strlen(ex->res->string ? ex->res->string : "") / w;
}

/* Draws the whole result onto c (its own canvas); returns its height. */
static int
draw_result(struct explore *ex, struct canvas *c, int w, int gh)
{
    char val[64];
    const struct qresult *r = ex->res;

    if (ex->has_err)
        return draw_error(ex, c, w);
    if (r == NULL || r->type == QV_NONE) {
        canvas_text(c, 0, 0, w, "Enter runs the expression, Tab completes,"
                    " Up/Down recall, Esc leaves", ROLE_INACTIVE, 0);
        return 1;
    }
    switch (r->type) {
    case QV_SCALAR:
        exact_value(r->scalar, val, sizeof val);
        canvas_text(c, 0, 0, 8, "scalar", ROLE_LABEL, 0);
        canvas_text(c, 8, 0, w - 8, val, ROLE_DEFAULT, ATTR_BOLD);
        return 1;
    case QV_STRING:
        canvas_text(c, 0, 0, 8, "string", ROLE_LABEL, 0);
        return widget_wrap(c, (struct rect){ 8, 0, w - 8, canvas_height(c) },
                           r->string ? r->string : "", ROLE_DEFAULT);
    case QV_VECTOR:
        if (r->nseries == 0) {
            canvas_text(c, 0, 0, w, "empty result", ROLE_INACTIVE, 0);
            return 1;
        }
        return draw_table(r, c, 0, w);
    default:
        if (r->nseries == 0) {
            canvas_text(c, 0, 0, w, "empty result", ROLE_INACTIVE, 0);
            return 1;
        }
        return draw_matrix(ex->res, c, w, gh);
    }
}

/* Copies rows [from, from + r.h) of src into r of dst. */
static void
blit(struct canvas *dst, struct rect r, const struct canvas *src, int from)
{
    for (int y = 0; y < r.h; y++)
        for (int x = 0; x < r.w; x++) {
            const struct cell *cl = canvas_cell(src, x, from + y);

            if (cl != NULL)
                canvas_put(dst, r.x + x, r.y + y, cl->ch, cl->role,
                           cl->attr);
        }
}

void
explore_draw(struct explore *ex, struct canvas *c, struct rect r,
             const struct theme *th)
{
    struct canvas *off;
    struct rect res;
    int used, gh;

    (void)th;   /* roles carry the colours; the screen applies the theme */
    if (r.w <= 0 || r.h <= 0)
        return;
    canvas_fill(c, r, ' ', ROLE_DEFAULT, 0);
    draw_prompt(ex, c, (struct rect){ r.x, r.y, r.w, 1 });
    used = 1 + draw_cands(ex, c, (struct rect){ r.x, r.y + 1, r.w,
                                                r.h - 1 });
    res = (struct rect){ r.x, r.y + used + 1, r.w, r.h - used - 1 };
    if (res.h <= 0)
        return;
    gh = res.h / 2 > 16 ? res.h / 2 : 16;
    off = canvas_new(r.w, result_rows(ex, r.w, gh), canvas_ascii(c));
    ex->content_h = draw_result(ex, off, r.w, gh);
    ex->view_h = res.h;
    if (ex->scroll > ex->content_h - res.h)
        ex->scroll = ex->content_h - res.h;
    if (ex->scroll < 0)
        ex->scroll = 0;
    blit(c, res, off, ex->scroll);
    canvas_free(off);
    if (ex->content_h > res.h) {
        /* The blank row above the result says where the view is. */
        char where[64];

        snprintf(where, sizeof where, "rows %d-%d of %d (PgUp/PgDn)",
                 ex->scroll + 1, ex->scroll + res.h, ex->content_h);
        canvas_text_right(c, r.x, res.y - 1, r.w, where, ROLE_INACTIVE, 0);
    }
}
