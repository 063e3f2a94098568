/*
 * The explore view: the prompt line and its editing keys, Tab completion
 * from the completer src/ provides, the history file, and the last result
 * drawn onto an off-screen canvas that PgUp/PgDn scroll through. It never
 * evaluates or parses PromQL: completion only looks at quotes, braces and
 * parentheses before the cursor to tell which names fit there.
 */
#include "ui/explore.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/base/utf8.h"
#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/graph.h"
#include "ui/widget.h"

#define HISTORY_MAX 500
#define LIST_ROWS 8             /* completion rows shown at once */
#define PROMPT "> "

/* What the word at the cursor names, and so what Tab offers. */
enum comp_kind { COMP_NONE, COMP_METRIC, COMP_LABEL, COMP_VALUE };

struct comp_ctx {
    enum comp_kind kind;
    size_t start;               /* byte offset where the word begins */
    char quote;                 /* COMP_VALUE: the opening quote */
    char label[128];            /* COMP_VALUE: the label matched */
};

/*
 * Invariants: text holds len bytes of UTF-8 plus a NUL, cur <= len on a
 * code point boundary; hpos <= nhist (nhist: not browsing); while cands is
 * shown, [cstart, cend) is the text the last completion inserted.
 */
struct explore {
    char *history_path;
    char *text;
    size_t len, cap, cur;
    char **hist;
    size_t nhist, hpos;
    char *saved;                /* the line being edited before Up */
    struct explore_completer comp;
    bool has_comp;
    char **cands;
    size_t ncands;
    long sel;                   /* -1: no candidate picked yet */
    size_t cstart, cend;
    enum comp_kind ckind;
    char cquote;
    char *ran;                  /* the expression Enter ran */
    struct qresult *res;
    bool has_err;
    struct diag err;
    int scroll, view_h, content_h;
};

/* -- the line -------------------------------------------------------- */

static void
line_set(struct explore *ex, const char *s)
{
    size_t n = strlen(s);

    if (n + 1 > ex->cap) {
        ex->cap = n + 64;
        ex->text = xrealloc(ex->text, ex->cap);
    }
    memcpy(ex->text, s, n + 1);
    ex->len = n;
    ex->cur = n;
}

/* Replaces bytes [a, b) with s and leaves the cursor after s. */
static void
line_splice(struct explore *ex, size_t a, size_t b, const char *s)
{
    size_t n = strlen(s), newlen = ex->len - (b - a) + n;

    if (newlen + 1 > ex->cap) {
        ex->cap = newlen + 64;
        ex->text = xrealloc(ex->text, ex->cap);
    }
    memmove(ex->text + a + n, ex->text + b, ex->len - b + 1);
    memcpy(ex->text + a, s, n);
    ex->len = newlen;
    ex->cur = a + n;
}

static bool
is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

/* The cells the first n bytes of s take: one per code point. */
static int
cells_of(const char *s, size_t n)
{
    int w = 0;

    for (size_t i = 0; i < n && s[i] != '\0'; i++)
        w += !is_cont(s[i]);
    return w;
}

static size_t
prev_cp(const struct explore *ex, size_t i)
{
    while (i > 0 && is_cont(ex->text[--i]))
        ;
    return i;
}

static size_t
next_cp(const struct explore *ex, size_t i)
{
    if (i < ex->len)
        i++;
    while (i < ex->len && is_cont(ex->text[i]))
        i++;
    return i;
}

/* Ctrl-W: the start of the blank-separated word before the cursor. */
static size_t
word_back(const struct explore *ex)
{
    size_t i = ex->cur;

    while (i > 0 && ex->text[i - 1] == ' ')
        i--;
    while (i > 0 && ex->text[i - 1] != ' ')
        i--;
    return i;
}

static void
insert_cp(struct explore *ex, uint32_t cp)
{
    struct buf b;

    buf_init(&b, 0);
    utf8_put(cp, &b);
    line_splice(ex, ex->cur, ex->cur, buf_str(&b));
    buf_fini(&b);
}

/* Keys the terminal delivers as characters but that must not be typed. */
static bool
printable(int key)
{
    return key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xa0)
           && !(key >= 0xd800 && key < 0xe000) && key < 0x110000;
}

/* -- history --------------------------------------------------------- */

/* Appends s unless it repeats the newest entry; drops the oldest past
 * HISTORY_MAX. */
static void
hist_add(struct explore *ex, const char *s)
{
    if (s[0] == '\0')
        return;
    if (ex->nhist > 0 && strcmp(ex->hist[ex->nhist - 1], s) == 0)
        return;
    if (ex->nhist == HISTORY_MAX) {
        free(ex->hist[0]);
        memmove(ex->hist, ex->hist + 1, (HISTORY_MAX - 1) * sizeof(char *));
        ex->nhist--;
    }
    ex->hist = xreallocarray(ex->hist, ex->nhist + 1, sizeof(char *));
    ex->hist[ex->nhist++] = xstrdup(s);
}

static void
hist_load(struct explore *ex)
{
    FILE *f = fopen(ex->history_path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (f == NULL)
        return;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        hist_add(ex, line);
    }
    free(line);
    fclose(f);
}

/* mkdir -p of the directory holding path; errors are left to fopen. */
static void
make_parent(const char *path)
{
    char *dir = xstrdup(path);

    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            break;
        *p = '/';
    }
    free(dir);
}

/* Writes the history through a temporary file and a rename, so a crash
 * never leaves half a file; any failure keeps it in memory only. */
static void
hist_save(const struct explore *ex)
{
    char *tmp;
    FILE *f;
    int fd;
    bool ok = true;

    if (ex->history_path == NULL)
        return;
    make_parent(ex->history_path);
    tmp = xasprintf("%s.tmp", ex->history_path);
    /* Private to the user, as shells keep their history. */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && f == NULL)
        close(fd);
    if (f != NULL) {
        for (size_t i = 0; i < ex->nhist; i++)
            ok = ok && fprintf(f, "%s\n", ex->hist[i]) >= 0;
        ok = fclose(f) == 0 && ok;
        if (!ok || rename(tmp, ex->history_path) != 0)
            remove(tmp);
    }
    free(tmp);
}

static enum explore_outcome
hist_move(struct explore *ex, int dir)
{
    if (dir < 0) {
        if (ex->hpos == 0)
            return EXPLORE_NONE;
        if (ex->hpos == ex->nhist) {
            free(ex->saved);
            ex->saved = xstrdup(ex->text);
        }
        line_set(ex, ex->hist[--ex->hpos]);
        return EXPLORE_CHANGED;
    }
    if (ex->hpos >= ex->nhist)
        return EXPLORE_NONE;
    ex->hpos++;
    line_set(ex, ex->hpos == ex->nhist ? (ex->saved ? ex->saved : "")
                                       : ex->hist[ex->hpos]);
    return EXPLORE_CHANGED;
}

/* -- completion ------------------------------------------------------ */

static bool
ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

static bool
grouping_word(const char *s, size_t n)
{
    static const char *const words[] = { "by", "without", "on",
                                         "ignoring", "group_left",
                                         "group_right" };

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && strncmp(words[i], s, n) == 0)
            return true;
    return false;
}

/* The scan of the text before the cursor: open quote, brace, bracket
 * and whether the innermost open parenthesis is a label list. */
struct scan {
    char quote;
    size_t qpos;                /* offset of the open quote */
    bool brace, bracket;
    bool group[64];
    int depth;
};

/* Skips a quoted string from its opening quote at i; returns the offset
 * after it, or cur when it is still open at the cursor. */
static size_t
scan_string(const char *t, size_t i, size_t cur, struct scan *sc)
{
    char q = t[i];

    for (size_t j = i + 1; j < cur; j++) {
        if (t[j] == '\\' && q != '`')
            j++;
        else if (t[j] == q)
            return j + 1;
    }
    sc->quote = q;
    sc->qpos = i;
    return cur;
}

static void
scan_text(const char *t, size_t cur, struct scan *sc)
{
    size_t i = 0, id = 0, idlen = 0;

    memset(sc, 0, sizeof *sc);
    while (i < cur) {
        char c = t[i];

        if (c == '"' || c == '\'' || c == '`') {
            i = scan_string(t, i, cur, sc);
            idlen = 0;
            continue;
        }
        if (ident_char(c)) {
            for (id = i; i < cur && ident_char(t[i]); i++)
                ;
            idlen = i - id;
            continue;
        }
        if (c == '(' && sc->depth < 64)
            sc->group[sc->depth++] = grouping_word(t + id, idlen);
        else if (c == ')' && sc->depth > 0)
            sc->depth--;
        else if (c == '{' || c == '}')
            sc->brace = c == '{';
        else if (c == '[' || c == ']')
            sc->bracket = c == '[';
        if (c != ' ')
            idlen = 0;
        i++;
    }
}

/* The label name a value string belongs to: `name op "` before qpos. */
static bool
value_label(const char *t, size_t qpos, struct comp_ctx *cc)
{
    size_t e = qpos, s;

    while (e > 0 && t[e - 1] == ' ')
        e--;
    while (e > 0 && strchr("=!~", t[e - 1]) != NULL)
        e--;
    while (e > 0 && t[e - 1] == ' ')
        e--;
    for (s = e; s > 0 && ident_char(t[s - 1]); s--)
        ;
    if (s == e || e - s >= sizeof cc->label)
        return false;
    memcpy(cc->label, t + s, e - s);
    cc->label[e - s] = '\0';
    return true;
}

/* What may be completed at the cursor, and from where. */
static void
comp_context(const struct explore *ex, struct comp_ctx *cc)
{
    const char *t = ex->text;
    struct scan sc;
    size_t ws, p;

    memset(cc, 0, sizeof *cc);
    scan_text(t, ex->cur, &sc);
    if (sc.quote != 0) {
        if (sc.brace && value_label(t, sc.qpos, cc)) {
            cc->kind = COMP_VALUE;
            cc->quote = sc.quote;
            cc->start = sc.qpos + 1;
        }
        return;
    }
    for (ws = ex->cur; ws > 0 && ident_char(t[ws - 1]); ws--)
        ;
    if (sc.bracket || (t[ws] >= '0' && t[ws] <= '9' && ws < ex->cur))
        return;
    for (p = ws; p > 0 && t[p - 1] == ' '; p--)
        ;
    cc->start = ws;
    if (sc.brace || (sc.depth > 0 && sc.group[sc.depth - 1]))
        cc->kind = p > 0 && strchr(sc.brace ? "{," : "(,", t[p - 1])
                   ? COMP_LABEL : COMP_NONE;
    else
        cc->kind = COMP_METRIC;
}

static void
cands_clear(struct explore *ex)
{
    for (size_t i = 0; i < ex->ncands; i++)
        free(ex->cands[i]);
    free(ex->cands);
    ex->cands = NULL;
    ex->ncands = 0;
    ex->sel = -1;
}

static int
str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills cands with the completer's answers that start with prefix,
 * sorted, without repeats. */
static void
cands_fetch(struct explore *ex, const struct comp_ctx *cc,
            const char *prefix, size_t plen)
{
    const char *label = cc->kind == COMP_METRIC ? LABEL_METRIC_NAME
                        : cc->kind == COMP_VALUE ? cc->label : NULL;
    const char **all = NULL;
    size_t n = ex->comp.complete(ex->comp.ctx, label, &all), k = 0;

    cands_clear(ex);
    ex->cands = xcalloc(n > 0 ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        if (all[i] != NULL && strncmp(all[i], prefix, plen) == 0)
            ex->cands[ex->ncands++] = xstrdup(all[i]);
    free(all);
    qsort(ex->cands, ex->ncands, sizeof(char *), str_cmp);
    for (size_t i = 0; i < ex->ncands; i++) {
        if (k > 0 && strcmp(ex->cands[k - 1], ex->cands[i]) == 0)
            free(ex->cands[i]);
        else
            ex->cands[k++] = ex->cands[i];
    }
    ex->ncands = k;
}

/* Puts s in place of [cstart, cend), escaped inside a quoted value. */
static void
comp_insert(struct explore *ex, const char *s, size_t n, bool close)
{
    struct buf b;

    buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        if (ex->ckind == COMP_VALUE && ex->cquote != '`'
            && (s[i] == '\\' || s[i] == ex->cquote))
            buf_putc(&b, '\\');
        buf_putc(&b, s[i]);
    }
    if (close && ex->ckind == COMP_VALUE && ex->text[ex->cend] != ex->cquote)
        buf_putc(&b, ex->cquote);
    line_splice(ex, ex->cstart, ex->cend, buf_str(&b));
    ex->cend = ex->cur;
    buf_fini(&b);
}

/* The length of the prefix every candidate shares. */
static size_t
common_prefix(char *const *v, size_t n)
{
    size_t k = strlen(v[0]);

    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < k; j++)
            if (v[i][j] != v[0][j]) {
                k = j;
                break;
            }
    while (k > 0 && is_cont(v[0][k]))
        k--;
    return k;
}

/* Tab (dir 1) or Shift-Tab (dir -1). */
static enum explore_outcome
complete(struct explore *ex, int dir)
{
    struct comp_ctx cc;

    if (ex->ncands > 1) {
        /* A list is up: step through it. */
        long n = (long)ex->ncands;

        ex->sel = ex->sel < 0 ? (dir > 0 ? 0 : n - 1)
                              : ((ex->sel + dir) % n + n) % n;
        comp_insert(ex, ex->cands[ex->sel], strlen(ex->cands[ex->sel]),
                    false);
        return EXPLORE_CHANGED;
    }
    comp_context(ex, &cc);
    if (!ex->has_comp || cc.kind == COMP_NONE)
        return EXPLORE_NONE;
    cands_fetch(ex, &cc, ex->text + cc.start, ex->cur - cc.start);
    if (ex->ncands == 0)
        return EXPLORE_NONE;
    ex->ckind = cc.kind;
    ex->cquote = cc.quote;
    ex->cstart = cc.start;
    ex->cend = ex->cur;
    if (ex->ncands == 1) {
        comp_insert(ex, ex->cands[0], strlen(ex->cands[0]), true);
        cands_clear(ex);
    } else {
        comp_insert(ex, ex->cands[0], common_prefix(ex->cands, ex->ncands),
                    false);
    }
    return EXPLORE_CHANGED;
}

/* -- keys ------------------------------------------------------------ */

struct explore *
explore_new(const char *history_path)
{
    struct explore *ex = xcalloc(1, sizeof *ex);

    line_set(ex, "");
    ex->sel = -1;
    ex->ran = xstrdup("");
    if (history_path != NULL) {
        ex->history_path = xstrdup(history_path);
        hist_load(ex);
    }
    ex->hpos = ex->nhist;
    return ex;
}

void
explore_free(struct explore *ex)
{
    if (ex == NULL)
        return;
    hist_save(ex);
    for (size_t i = 0; i < ex->nhist; i++)
        free(ex->hist[i]);
    free(ex->hist);
    cands_clear(ex);
    qresult_free(ex->res);
    free(ex->history_path);
    free(ex->text);
    free(ex->saved);
    free(ex->ran);
    free(ex);
}

void
explore_set_completer(struct explore *ex, const struct explore_completer *c)
{
    ex->has_comp = c != NULL && c->complete != NULL;
    if (ex->has_comp)
        ex->comp = *c;
}

const char *
explore_expr(const struct explore *ex)
{
    return ex->ran;
}

static enum explore_outcome
key_enter(struct explore *ex)
{
    size_t a = 0, b = ex->len;

    /* Blanks around the expression are not part of it. */
    while (a < b && ex->text[a] == ' ')
        a++;
    while (b > a && ex->text[b - 1] == ' ')
        b--;
    if (a == b)
        return EXPLORE_NONE;
    free(ex->ran);
    ex->ran = xstrndup(ex->text + a, b - a);
    hist_add(ex, ex->ran);
    ex->hpos = ex->nhist;
    hist_save(ex);
    return EXPLORE_RUN;
}

/* Cursor movement and deletion; EXPLORE_NONE when nothing moved. */
static enum explore_outcome
key_edit(struct explore *ex, int key)
{
    size_t cur = ex->cur, len = ex->len;

    switch (key) {
    case SCREEN_KEY_LEFT: ex->cur = prev_cp(ex, cur); break;
    case SCREEN_KEY_RIGHT: ex->cur = next_cp(ex, cur); break;
    case SCREEN_KEY_HOME: case 0x01: ex->cur = 0; break;
    case SCREEN_KEY_END: case 0x05: ex->cur = len; break;
    case 0x7f: case 0x08: line_splice(ex, prev_cp(ex, cur), cur, ""); break;
    case SCREEN_KEY_DELETE: case 0x04:
        line_splice(ex, cur, next_cp(ex, cur), "");
        ex->cur = cur;
        break;
    case 0x0b: line_splice(ex, cur, len, ""); break;
    case 0x15: line_splice(ex, 0, cur, ""); break;
    case 0x17: line_splice(ex, word_back(ex), cur, ""); break;
    default: return EXPLORE_NONE;
    }
    return ex->cur != cur || ex->len != len ? EXPLORE_CHANGED
                                            : EXPLORE_NONE;
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
        return complete(ex, key == '\t' ? 1 : -1);
    if (key == 0x1b && ex->ncands > 1) {
        /* Esc first closes an open list, keeping what it inserted. */
        cands_clear(ex);
        return EXPLORE_CHANGED;
    }
    cands_clear(ex);
    switch (key) {
    case '\r': case '\n': return key_enter(ex);
    case 0x1b:
        if (ex->len == 0)
            return EXPLORE_LEAVE;
        line_set(ex, "");
        ex->hpos = ex->nhist;
        return EXPLORE_CHANGED;
    case SCREEN_KEY_UP: return hist_move(ex, -1);
    case SCREEN_KEY_DOWN: return hist_move(ex, 1);
    case SCREEN_KEY_PGUP: return key_scroll(ex, -1);
    case SCREEN_KEY_PGDN: return key_scroll(ex, 1);
    case SCREEN_KEY_RESIZE: return EXPLORE_CHANGED;
    default: break;
    }
    if (printable(key)) {
        insert_cp(ex, (uint32_t)key);
        return EXPLORE_CHANGED;
    }
    return key_edit(ex, key);
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
    int pw = canvas_text_width(PROMPT), w = r.w - pw - 1;
    size_t from = 0;
    int before = cells_of(ex->text, ex->cur);

    canvas_text(c, r.x, r.y, r.w, PROMPT, ROLE_HI, ATTR_BOLD);
    if (w < 1)
        return;
    /* Keep the cursor inside the row: drop code points from the left. */
    for (; before > w; before--)
        from = next_cp(ex, from);
    canvas_text(c, r.x + pw, r.y, w + 1, ex->text + from, ROLE_DEFAULT, 0);
    {
        const struct cell *cl = canvas_cell(c, r.x + pw + before, r.y);

        if (cl != NULL)
            canvas_put(c, r.x + pw + before, r.y, cl->ch, ROLE_DEFAULT,
                       ATTR_REVERSE);
    }
}

/* The completion list under the prompt; returns the rows used. */
static int
draw_cands(const struct explore *ex, struct canvas *c, struct rect r)
{
    size_t first = 0, shown;
    int rows = 0;

    if (ex->ncands < 2 || r.h <= 0)
        return 0;
    shown = ex->ncands < LIST_ROWS ? ex->ncands : LIST_ROWS;
    if ((size_t)r.h < shown)
        shown = (size_t)r.h;
    if (ex->sel >= (long)shown)
        first = (size_t)ex->sel - shown + 1;
    for (size_t i = first; i < first + shown; i++, rows++) {
        bool on = (long)i == ex->sel;

        if (on)
            canvas_fill(c, (struct rect){ r.x, r.y + rows, r.w, 1 }, ' ',
                        ROLE_SELECTION, 0);
        canvas_text(c, r.x + 2, r.y + rows, r.w - 2, ex->cands[i],
                    on ? ROLE_SELECTION : ROLE_LABEL, 0);
    }
    if (ex->ncands > shown) {
        char more[48];

        snprintf(more, sizeof more, "%zu/%zu", (size_t)(ex->sel + 1),
                 ex->ncands);
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
        col = cells_of(ex->ran, (size_t)ex->err.col - 1);
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
        format_value(widget_last(&res->series[i]), UNIT_NONE, -1, val,
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
        format_value(widget_last(&res->series[i]), UNIT_NONE, -1, val,
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
