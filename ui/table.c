/*
 * Tables: rows are built by joining every query's series on the join
 * labels (a series without a join label joins on ""); the first series of
 * a query for a key fills the cell. Without join labels each series is a
 * row of its own, keyed by its legend. Rows that do not fit end in a
 * "+N more rows" line rather than vanishing silently.
 *
 * A table is built afresh on each measure and draw, from the results
 * alone, and freed at the end of the call. Its keys borrow the label
 * values of the series (legend names, built per series, live in the
 * table's arena), so a join costs no allocation per series; measure
 * only counts the distinct keys.
 */
#include "ui/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/arena.h"
#include "src/base/xalloc.h"
#include "store/labels.h"
#include "ui/format.h"
#include "ui/sparkline.h"
#include "ui/theme.h"

struct trow {
    const char **keys;              /* nkeys strings, borrowed */
    const struct qseries **cells;   /* one per query, NULL when blank */
};

/* A value or health cell as drawn: its text ("" when blank) and role. */
struct tcell {
    char s[FORMAT_VALUE_MAX];
    int role;
};

/* One series of one query, with its key, before rows are made. */
struct tent {
    uint64_t hash;                  /* of keys: entries sort by it first */
    const char **keys;              /* nkeys strings, borrowed */
    size_t qi, j;                   /* its query, its place in it */
    const struct qseries *s;
    bool first;                     /* the first entry of its key */
};

struct tbl {
    const struct panel *p;
    size_t nkeys;
    struct tent *e;                 /* every series, grouped by key */
    size_t n;
    size_t nrows;                   /* distinct keys in e */
    struct trow *rows;              /* tbl_rows: nrows, in their order */
    struct tcell *text;             /* tbl_text: the cells of the rows in
                                     * sight, nqueries a row */
    struct widget_tmp *held;        /* scalar results, one per query */
    struct arena *a;                /* all of the above */
    int sort_q;                     /* query ordering a top N, or -1 */
};

/* The key of series s for query q into k[0..nkeys): the values of the
 * join labels, borrowed from s, or the display name. Returns its hash,
 * which other keys may share: labels_hash ends each string with the byte
 * 0xff, so values holding that byte can line up. test_ui_table builds
 * such a pair the same way. */
static uint64_t
keys_of(struct tbl *t, const struct panel_query *q, const struct qseries *s,
        const char **k, struct label *scratch)
{
    struct widget_look look;

    if (t->p->njoin == 0) {
        widget_look_of(t->p, q, s, ROLE_DEFAULT, &look);
        k[0] = arena_strdup(t->a, buf_str(&look.name));
        widget_look_fini(&look);
    } else {
        for (size_t i = 0; i < t->nkeys; i++) {
            const char *v = labels_get(&s->labels, t->p->join[i]);

            k[i] = v != NULL ? v : "";
        }
    }
    for (size_t i = 0; i < t->nkeys; i++)
        scratch[i] = (struct label){ "", k[i] };
    return labels_hash(&(struct labels){ scratch, t->nkeys });
}

/* qsort has no context argument; one table is sorted at a time. */
static const struct tbl *sorting;

static int
keys_cmp(const char *const *x, const char *const *y)
{
    for (size_t i = 0; i < sorting->nkeys; i++) {
        int c = x[i] == y[i] ? 0 : strcmp(x[i], y[i]);

        if (c != 0)
            return c;
    }
    return 0;
}

/* By the hash of the key, then query, then place: the entries of a key
 * come together (with those of any key of the same hash), and among
 * them each query's first series for the key before its others. The
 * hash only groups the entries (rows are put in order afterwards), and
 * spares comparing the strings of keys that, on a page of a thousand
 * targets, share most of their bytes ("127.0.0.1:9"...). */
static int
tent_cmp(const void *a, const void *b)
{
    const struct tent *x = a, *y = b;

    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->qi != y->qi)
        return x->qi < y->qi ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* The same with the key before the query: for the entries of one hash
 * when they hold more than one key. */
static int
tent_cmp_key(const void *a, const void *b)
{
    const struct tent *x = a, *y = b;
    int c = keys_cmp(x->keys, y->keys);

    return c != 0 ? c : tent_cmp(a, b);
}

/* Marks the first entry of each key among e[0..n), which have one hash,
 * putting them in key order first when they hold more than one key;
 * returns how many keys. */
static size_t
mark_keys(struct tent *e, size_t n)
{
    size_t keys = 1;
    bool one = true;

    for (size_t i = 1; i < n && one; i++)
        one = keys_cmp(e[i].keys, e[0].keys) == 0;
    if (!one)
        qsort(e, n, sizeof *e, tent_cmp_key);
    e[0].first = true;
    for (size_t i = 1; i < n; i++) {
        e[i].first = !one && keys_cmp(e[i].keys, e[i - 1].keys) != 0;
        keys += e[i].first;
    }
    return keys;
}

/*
 * Gathers every series of p with its key into t->e, grouped by key, and
 * counts the rows: one per distinct key. Sorting the entries, rather
 * than looking each one up among the rows made so far, keeps a table of
 * a thousand targets by seven queries at a few milliseconds: the lookup
 * cost rows times series string compares, about 35 ms on every measure
 * and draw of the page, which a key switching to it waited for.
 */
static void
tbl_join(struct tbl *t, const struct panel *p)
{
    const char **kv;
    struct label *scratch;
    size_t cap = 0;

    memset(t, 0, sizeof *t);
    t->p = p;
    t->nkeys = p->njoin > 0 ? p->njoin : 1;
    t->sort_q = -1;
    t->a = arena_new();
    t->held = arena_calloc(t->a, p->nqueries + 1, sizeof *t->held);
    for (size_t i = 0; i < p->nqueries; i++)
        cap += widget_nseries(p->queries[i].result);
    t->e = arena_calloc(t->a, cap + 1, sizeof *t->e);
    kv = arena_calloc(t->a, cap * t->nkeys + 1, sizeof *kv);
    scratch = arena_calloc(t->a, t->nkeys, sizeof *scratch);
    for (size_t i = 0; i < p->nqueries; i++) {
        const struct qresult *r = p->queries[i].result;

        if ((p->topn > 0 || p->sort != SORT_NONE) && t->sort_q < 0
            && p->queries[i].style == COLUMN_VALUE)
            t->sort_q = (int)i;
        for (size_t j = 0; j < widget_nseries(r); j++) {
            struct tent *e = &t->e[t->n];

            e->s = widget_series(r, j, &t->held[i]);
            e->keys = kv + t->n * t->nkeys;
            e->hash = keys_of(t, &p->queries[i], e->s, e->keys, scratch);
            e->qi = i;
            e->j = j;
            t->n++;
        }
    }
    sorting = t;
    qsort(t->e, t->n, sizeof *t->e, tent_cmp);
    for (size_t i = 0, k; i < t->n; i = k) {
        for (k = i + 1; k < t->n && t->e[k].hash == t->e[i].hash; k++)
            ;
        t->nrows += mark_keys(t->e + i, k - i);
    }
    sorting = NULL;
}

static double
sort_value(const struct tbl *t, const struct trow *r)
{
    if (t->sort_q < 0 || r->cells[t->sort_q] == NULL)
        return NAN;
    return widget_last(r->cells[t->sort_q]);
}

static int
row_cmp(const void *a, const void *b)
{
    const struct trow *x = a, *y = b;

    if (sorting->sort_q >= 0) {
        double u = sort_value(sorting, x), v = sort_value(sorting, y);

        if (isnan(u) != isnan(v))
            return isnan(u) ? 1 : -1;
        if (!isnan(u) && u != v)
            return (u > v ? -1 : 1) * (sorting->p->sort == SORT_ASC
                                       && sorting->p->topn <= 0 ? -1 : 1);
    }
    return keys_cmp(x->keys, y->keys);
}

/* The rows of a joined table, in the order they are shown: one per key,
 * where the first series of a query for the key fills the cell. */
static void
tbl_rows(struct tbl *t)
{
    size_t nq = t->p->nqueries, r = 0;
    const struct qseries **cells;

    sorting = t;
    t->rows = arena_calloc(t->a, t->nrows + 1, sizeof *t->rows);
    cells = arena_calloc(t->a, t->nrows * nq + 1, sizeof *cells);
    for (size_t i = 0; i < t->n; i++) {
        struct trow *row;

        if (!t->e[i].first) {
            row = &t->rows[r - 1];
        } else {
            row = &t->rows[r++];
            row->keys = t->e[i].keys;
            row->cells = cells + (r - 1) * nq;
        }
        if (row->cells[t->e[i].qi] == NULL)
            row->cells[t->e[i].qi] = t->e[i].s;
    }
    qsort(t->rows, t->nrows, sizeof *t->rows, row_cmp);
    sorting = NULL;
}

/* The rows a draw shows, and a measure wants room for: a top N or all. */
static size_t
tbl_shown(const struct tbl *t)
{
    int n = t->p->topn;

    return n > 0 && (size_t)n < t->nrows ? (size_t)n : t->nrows;
}

static void
tbl_free(struct tbl *t)
{
    arena_free(t->a);
}

static const char *
key_header(const struct panel *p, size_t i)
{
    return p->njoin > 0 ? p->join[i] : "series";
}

static const char *
query_header(const struct panel_query *q)
{
    return q->column != NULL ? q->column : q->expr;
}

/* The text of a value or health cell ("" when blank) and its role. */
static int
cell_text(const struct tbl *t, size_t qi, const struct qseries *s,
          char *out, size_t n)
{
    const struct panel_query *q = &t->p->queries[qi];
    struct widget_look look;
    int role;
    double v;

    out[0] = '\0';
    if (s == NULL)
        return ROLE_DEFAULT;
    v = widget_last(s);
    if (q->style == COLUMN_HEALTH) {
        if (isnan(v))
            return ROLE_DEFAULT;
        snprintf(out, n, "%s", v == 1 ? "up" : "down");
        return v == 1 ? ROLE_GOOD : ROLE_CRIT;
    }
    if (widget_no_data(s)) {
        snprintf(out, n, "%s", WIDGET_NO_DATA);
        return ROLE_INACTIVE;
    }
    widget_look_of(t->p, q, s, ROLE_DEFAULT, &look);
    widget_look_format(&look, v, out, n);
    role = widget_look_role(t->p, &look, v);
    widget_look_fini(&look);
    return role;
}

/* Formats the value and health cells of the first nrows rows, the ones
 * in sight, once for their widths and their draw: a table of a thousand
 * rows in a panel of twenty formats twenty rows' cells, not a thousand. */
static void
tbl_text(struct tbl *t, size_t nrows)
{
    size_t nq = t->p->nqueries;

    t->text = arena_calloc(t->a, nrows * nq + 1, sizeof *t->text);
    for (size_t r = 0; r < nrows; r++)
        for (size_t q = 0; q < nq; q++) {
            struct tcell *cell = &t->text[r * nq + q];

            if (t->p->queries[q].style != COLUMN_SPARK)
                cell->role = cell_text(t, q, t->rows[r].cells[q], cell->s,
                                       sizeof cell->s);
        }
}

/*
 * Column widths: keys and values as wide as their widest entry among the
 * first nrows rows, the ones in sight, as tbl_text made them (keys
 * within a share of the width); sparklines share what is left.
 */
static void
col_widths(const struct tbl *t, size_t nrows, int w, int *cw)
{
    size_t nk = t->nkeys, nq = t->p->nqueries, nspark = 0;
    int used = 0;

    for (size_t c = 0; c < nk + nq; c++) {
        const struct panel_query *q = c >= nk ? &t->p->queries[c - nk] : NULL;

        cw[c] = canvas_text_width(q ? query_header(q) : key_header(t->p, c));
        if (q != NULL && q->style == COLUMN_SPARK) {
            nspark++;
            continue;
        }
        for (size_t r = 0; r < nrows; r++) {
            int n;

            if (q == NULL)
                n = canvas_text_width(t->rows[r].keys[c]);
            else
                n = canvas_text_width(t->text[r * nq + c - nk].s);
            cw[c] = n > cw[c] ? n : cw[c];
        }
        if (q == NULL && cw[c] > w / (int)(nk + 1))
            cw[c] = w / (int)(nk + 1);
    }
    for (size_t c = 0; c < nk + nq; c++)
        if (c < nk || t->p->queries[c - nk].style != COLUMN_SPARK)
            used += cw[c] + 2;
    for (size_t c = nk; c < nk + nq && nspark > 0; c++) {
        int share = (w - used) / (int)nspark - 2;

        if (t->p->queries[c - nk].style == COLUMN_SPARK)
            cw[c] = share > cw[c] ? share : cw[c];
    }
}

/* Draws row i, one of those in sight. */
static void
draw_row(const struct tbl *t, size_t i, const int *cw, struct canvas *c,
         struct rect r)
{
    const struct trow *row = &t->rows[i];
    const struct tcell *text = &t->text[i * t->p->nqueries];
    int x = r.x;

    for (size_t k = 0; k < t->nkeys; k++) {
        canvas_text(c, x, r.y, cw[k], row->keys[k], ROLE_LABEL, 0);
        x += cw[k] + 2;
    }
    for (size_t q = 0; q < t->p->nqueries && x < r.x + r.w; q++) {
        int w = cw[t->nkeys + q];

        if (x + w > r.x + r.w)
            w = r.x + r.w - x;
        if (t->p->queries[q].style == COLUMN_SPARK) {
            if (row->cells[q] != NULL)
                spark_draw(c, (struct rect){ x, r.y, w, 1 }, row->cells[q],
                           theme_series_role(q), NAN, NAN);
        } else {
            canvas_text_right(c, x, r.y, w, text[q].s, text[q].role, 0);
        }
        x += w + 2;
    }
}

static void
draw_header(const struct tbl *t, const int *cw, struct canvas *c,
            struct rect r)
{
    int x = r.x;

    for (size_t k = 0; k < t->nkeys + t->p->nqueries; k++) {
        int w = x + cw[k] > r.x + r.w ? r.x + r.w - x : cw[k];
        const struct panel_query *q =
            k >= t->nkeys ? &t->p->queries[k - t->nkeys] : NULL;

        if (w <= 0)
            break;
        if (q == NULL || q->style == COLUMN_SPARK)
            canvas_text(c, x, r.y, w, q ? query_header(q)
                        : key_header(t->p, k), ROLE_TITLE, ATTR_BOLD);
        else
            canvas_text_right(c, x, r.y, w, query_header(q), ROLE_TITLE,
                              ATTR_BOLD);
        x += cw[k] + 2;
    }
}

static void
table_draw(const struct panel *p, const struct widget_ctx *ctx,
           struct canvas *c, struct rect r)
{
    struct tbl t;
    int *cw;
    size_t shown, sight;

    (void)ctx;
    if (r.h <= 0 || r.w <= 0)
        return;
    tbl_join(&t, p);
    tbl_rows(&t);
    shown = tbl_shown(&t);
    sight = shown < (size_t)r.h - 1 ? shown : (size_t)r.h - 1;
    tbl_text(&t, sight);
    cw = xcalloc(t.nkeys + p->nqueries + 1, sizeof *cw);
    col_widths(&t, sight, r.w, cw);
    draw_header(&t, cw, c, r);
    for (size_t i = 0; i < shown; i++) {
        struct rect rr = { r.x, r.y + 1 + (int)i, r.w, 1 };

        if (rr.y >= r.y + r.h)
            break;
        if (rr.y == r.y + r.h - 1 && i + 1 < shown) {
            char more[48];

            snprintf(more, sizeof more, "+%zu more rows", shown - i);
            canvas_text(c, r.x, rr.y, r.w, more, ROLE_INACTIVE, 0);
            break;
        }
        draw_row(&t, i, cw, c, rr);
    }
    free(cw);
    tbl_free(&t);
}

static void
table_measure(const struct panel *p, int w, int *minw, int *minh,
              int *want_h)
{
    struct tbl t;

    (void)w;
    tbl_join(&t, p);
    *minw = 20;
    *minh = 2;
    *want_h = 1 + (int)tbl_shown(&t);
    tbl_free(&t);
}

const struct widget_class table_class = {
    .measure = table_measure,
    .draw = table_draw,
};
