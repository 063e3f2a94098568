/*
 * Completion: a scan of the text before the cursor tells which kind of
 * name fits there (a value in quotes after `label op`, a label name in
 * braces or a by/without/on/ignoring/group list, else a metric), and the
 * source's names that start with the typed word become the candidates.
 * It does not parse PromQL and keeps no names beyond the open list.
 */
#include "ui/complete.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "store/labels.h"

/*
 * Invariants: ncands is 0, 1 (only inside complete_step) or the length
 * of an open list; sel < ncands; while a list is open, [start, end) of
 * the line is the text the last step inserted, of kind kind in quote.
 */
struct complete {
    complete_fn fn;
    void *ctx;
    char **cands;
    size_t ncands;
    long sel;                   /* -1: no candidate picked yet */
    size_t start, end;
    enum complete_kind kind;
    char quote;
};

/* -- where the cursor is --------------------------------------------- */

static bool
ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

/* The words whose parenthesised list holds label names. */
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
value_label(const char *t, size_t qpos, struct complete_place *pl)
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
    if (s == e || e - s >= sizeof pl->label)
        return false;
    memcpy(pl->label, t + s, e - s);
    pl->label[e - s] = '\0';
    return true;
}

void
complete_where(const char *t, size_t cur, struct complete_place *pl)
{
    struct scan sc;
    size_t ws, p;

    memset(pl, 0, sizeof *pl);
    scan_text(t, cur, &sc);
    if (sc.quote != 0) {
        if (sc.brace && value_label(t, sc.qpos, pl)) {
            pl->kind = COMPLETE_VALUE;
            pl->quote = sc.quote;
            pl->start = sc.qpos + 1;
        }
        return;
    }
    for (ws = cur; ws > 0 && ident_char(t[ws - 1]); ws--)
        ;
    /* Nothing inside a duration, nor for a word that is a number. */
    if (sc.bracket || (t[ws] >= '0' && t[ws] <= '9' && ws < cur))
        return;
    for (p = ws; p > 0 && t[p - 1] == ' '; p--)
        ;
    pl->start = ws;
    if (sc.brace || (sc.depth > 0 && sc.group[sc.depth - 1]))
        pl->kind = p > 0 && strchr(sc.brace ? "{," : "(,", t[p - 1])
                   ? COMPLETE_LABEL : COMPLETE_NONE;
    else
        pl->kind = COMPLETE_METRIC;
}

/* -- the candidates -------------------------------------------------- */

struct complete *
complete_new(void)
{
    struct complete *c = xcalloc(1, sizeof *c);

    c->sel = -1;
    return c;
}

void
complete_free(struct complete *c)
{
    if (c == NULL)
        return;
    complete_close(c);
    free(c);
}

void
complete_set_source(struct complete *c, complete_fn fn, void *ctx)
{
    c->fn = fn;
    c->ctx = fn != NULL ? ctx : NULL;
}

void
complete_close(struct complete *c)
{
    for (size_t i = 0; i < c->ncands; i++)
        free(c->cands[i]);
    free(c->cands);
    c->cands = NULL;
    c->ncands = 0;
    c->sel = -1;
}

size_t
complete_count(const struct complete *c)
{
    return c->ncands;
}

const char *
complete_at(const struct complete *c, size_t i)
{
    return c->cands[i];
}

long
complete_selected(const struct complete *c)
{
    return c->sel;
}

static int
str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills cands with the source's answers that start with prefix,
 * sorted, without repeats. */
static void
fetch(struct complete *c, const struct complete_place *pl,
      const char *prefix, size_t plen)
{
    const char *label = pl->kind == COMPLETE_METRIC ? LABEL_METRIC_NAME
                        : pl->kind == COMPLETE_VALUE ? pl->label : NULL;
    const char **all = NULL;
    size_t n = c->fn(c->ctx, label, &all), k = 0;

    complete_close(c);
    c->cands = xcalloc(n > 0 ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        if (all[i] != NULL && strncmp(all[i], prefix, plen) == 0)
            c->cands[c->ncands++] = xstrdup(all[i]);
    free(all);
    qsort(c->cands, c->ncands, sizeof(char *), str_cmp);
    for (size_t i = 0; i < c->ncands; i++) {
        if (k > 0 && strcmp(c->cands[k - 1], c->cands[i]) == 0)
            free(c->cands[i]);
        else
            c->cands[k++] = c->cands[i];
    }
    c->ncands = k;
}

/* Puts the n bytes of s in place of [start, end), escaped inside a
 * quoted value, and closes the quote when close is set. */
static void
insert(struct complete *c, struct lineedit *le, const char *s, size_t n,
       bool close)
{
    bool value = c->kind == COMPLETE_VALUE;
    struct buf b;

    buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        if (value && c->quote != '`' && (s[i] == '\\' || s[i] == c->quote))
            buf_putc(&b, '\\');
        buf_putc(&b, s[i]);
    }
    if (close && value && lineedit_text(le)[c->end] != c->quote)
        buf_putc(&b, c->quote);
    lineedit_splice(le, c->start, c->end, buf_str(&b));
    c->end = lineedit_cursor(le);
    buf_fini(&b);
}

/* The length of the prefix every candidate shares, cut back to a code
 * point boundary. */
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
    while (k > 0 && ((unsigned char)v[0][k] & 0xc0) == 0x80)
        k--;
    return k;
}

bool
complete_step(struct complete *c, struct lineedit *le, int dir)
{
    struct complete_place pl;
    size_t cur = lineedit_cursor(le);

    if (c->ncands > 1) {
        /* A list is open: step through it, wrapping around. */
        long n = (long)c->ncands;

        c->sel = c->sel < 0 ? (dir > 0 ? 0 : n - 1)
                            : ((c->sel + dir) % n + n) % n;
        insert(c, le, c->cands[c->sel], strlen(c->cands[c->sel]), false);
        return true;
    }
    complete_where(lineedit_text(le), cur, &pl);
    if (c->fn == NULL || pl.kind == COMPLETE_NONE)
        return false;
    fetch(c, &pl, lineedit_text(le) + pl.start, cur - pl.start);
    if (c->ncands == 0)
        return false;
    c->kind = pl.kind;
    c->quote = pl.quote;
    c->start = pl.start;
    c->end = cur;
    if (c->ncands == 1) {
        insert(c, le, c->cands[0], strlen(c->cands[0]), true);
        complete_close(c);
    } else {
        insert(c, le, c->cands[0], common_prefix(c->cands, c->ncands),
               false);
    }
    return true;
}
