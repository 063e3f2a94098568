/*
 * Proportional splitting with minimum sizes. Rounding uses the largest
 * remainder method, so parts always add up to the whole and equal weights
 * differ by at most one cell. When there is not room for every minimum,
 * parts keep their proportional shares and widgets clip.
 */
#include "ui/layout.h"

#include <stdlib.h>

#include "src/base/xalloc.h"

/* Gives the remainder, one cell at a time, to the largest fractions. */
static void
spread_remainder(int left, const double *frac, size_t n, int *out)
{
    bool *got = xcalloc(n + 1, sizeof *got);

    while (left > 0) {
        size_t best = n;

        for (size_t i = 0; i < n; i++)
            if (!got[i] && (best == n || frac[i] > frac[best]))
                best = i;
        if (best == n) {
            for (size_t i = 0; i < n; i++)
                got[i] = false;
            continue;
        }
        got[best] = true;
        out[best]++;
        left--;
    }
    free(got);
}

/* Raises parts below min by taking from the largest parts above it. */
static void
enforce_min(int *out, size_t n, int min)
{
    for (size_t i = 0; i < n; i++) {
        while (out[i] < min) {
            size_t big = i;

            for (size_t j = 0; j < n; j++)
                if (out[j] > out[big])
                    big = j;
            if (big == i || out[big] <= min)
                break;
            out[big]--;
            out[i]++;
        }
    }
}

void
layout_split(int total, const int *weights, size_t n, int min, int *out)
{
    double *frac, sum = 0;
    int used = 0;

    if (n == 0)
        return;
    if (total < 0)
        total = 0;
    frac = xcalloc(n, sizeof *frac);
    for (size_t i = 0; i < n; i++)
        sum += weights[i] >= 1 ? weights[i] : 1;
    for (size_t i = 0; i < n; i++) {
        double share = total * (weights[i] >= 1 ? weights[i] : 1) / sum;

        out[i] = (int)share;
        frac[i] = share - out[i];
        used += out[i];
    }
    spread_remainder(total - used, frac, n, out);
    if ((long)total >= (long)min * (long)n)
        enforce_min(out, n, min);
    free(frac);
}

struct layout_screen
layout_screen(int w, int h)
{
    struct layout_screen s = {
        .title = { 0, 0, w, 1 },
        .body = { 0, 1, w, h - 2 },
        .status = { 0, h - 1, w, 1 },
    };

    return s;
}

size_t
layout_npanels(const struct page *pg)
{
    size_t n = 0;

    for (size_t i = 0; i < pg->nrows; i++)
        n += pg->rows[i].npanels;
    return n;
}

/* Splits one row's rectangle among its panels. */
static size_t
layout_row(const struct row *row, struct rect r, struct rect *out)
{
    int *w = xcalloc(row->npanels + 1, sizeof *w);
    int *ws = xcalloc(row->npanels + 1, sizeof *ws);
    int x = r.x;

    for (size_t j = 0; j < row->npanels; j++)
        w[j] = row->panels[j].width;
    layout_split(r.w, w, row->npanels, LAYOUT_PANEL_MIN_W, ws);
    for (size_t j = 0; j < row->npanels; j++) {
        out[j] = (struct rect){ x, r.y, ws[j], r.h };
        x += ws[j];
    }
    free(w);
    free(ws);
    return row->npanels;
}

void
layout_page(const struct page *pg, struct rect body, const int *row_h,
            struct rect *out, struct rect *row_title)
{
    int *hs = xcalloc(pg->nrows + 1, sizeof *hs);
    int y = body.y;
    size_t k = 0;

    if (row_h != NULL) {
        for (size_t i = 0; i < pg->nrows; i++)
            hs[i] = row_h[i];
    } else {
        int *wt = xcalloc(pg->nrows + 1, sizeof *wt);

        for (size_t i = 0; i < pg->nrows; i++)
            wt[i] = pg->rows[i].height;
        layout_split(body.h, wt, pg->nrows, LAYOUT_PANEL_MIN_H, hs);
        free(wt);
    }
    for (size_t i = 0; i < pg->nrows; i++) {
        struct rect r = { body.x, y, body.w, hs[i] };
        struct rect t = { body.x, y, body.w, 0 };

        if (pg->rows[i].title != NULL && r.h > LAYOUT_PANEL_MIN_H) {
            t.h = 1;
            r.y++;
            r.h--;
        }
        if (row_title != NULL)
            row_title[i] = t;
        k += layout_row(&pg->rows[i], r, out + k);
        y += hs[i];
    }
    free(hs);
}

int
layout_section_head(const struct page *pg, size_t i)
{
    for (size_t k = i < pg->nrows ? i + 1 : pg->nrows; k-- > 0;)
        if (pg->rows[k].title != NULL)
            return (int)k;
    return -1;
}

size_t
layout_section_end(const struct page *pg, size_t head)
{
    size_t e = head + 1;

    while (e < pg->nrows && pg->rows[e].title == NULL)
        e++;
    return e < pg->nrows ? e : pg->nrows;
}

size_t
layout_section_panels(const struct page *pg, size_t head)
{
    size_t n = 0;

    for (size_t i = head; i < layout_section_end(pg, head); i++)
        n += pg->rows[i].npanels;
    return n;
}

/*
 * ORDER panel_kind. A graph below 6 lines has no room for its plot, axis
 * and a legend line; a table needs its header and two rows; a stat,
 * a sparkline or text is readable on one line inside its frame.
 */
static const int min_heights[] = {
    [PANEL_GRAPH] = 6, [PANEL_SPARKLINE] = 3, [PANEL_BARS] = 4,
    [PANEL_TABLE] = 5, [PANEL_STAT] = 3, [PANEL_GAUGE] = 4,
    [PANEL_HEATMAP] = 6, [PANEL_TEXT] = 3,
};
_Static_assert(sizeof min_heights / sizeof min_heights[0]
               == PANEL_KIND_COUNT, "min_heights and panel_kind differ");

int
layout_min_height(enum panel_kind k)
{
    return (unsigned)k < PANEL_KIND_COUNT ? min_heights[k]
                                          : LAYOUT_PANEL_MIN_H;
}

/* The tallest minimum among the row's panels. */
static int
row_min(const struct row *row)
{
    int m = LAYOUT_PANEL_MIN_H;

    for (size_t j = 0; j < row->npanels; j++)
        if (layout_min_height(row->panels[j].kind) > m)
            m = layout_min_height(row->panels[j].kind);
    return m;
}

size_t
layout_nitems(const struct page *pg)
{
    return pg->nrows + layout_npanels(pg);
}

enum { ROW_HIDDEN, ROW_HEADER, ROW_OPEN };

/* Which rows show: hidden inside a folded section, a folded section's
 * header alone, or open. */
static void
row_states(const struct page *pg, const bool *folded, char *st)
{
    bool fold = false;

    for (size_t i = 0; i < pg->nrows; i++) {
        if (pg->rows[i].title != NULL) {
            fold = folded != NULL && folded[i];
            st[i] = fold ? ROW_HEADER : ROW_OPEN;
        } else {
            st[i] = fold ? ROW_HIDDEN : ROW_OPEN;
        }
    }
}

/*
 * The heights layout_page would give: folded headers a line each, the
 * open rows the rest by weight. False when that leaves a row's panels
 * below their minimum, or the headers alone overflow.
 */
static bool
fit_heights(const struct page *pg, int h, const char *st, int *hs)
{
    int *wt = xcalloc(pg->nrows + 1, sizeof *wt);
    int *part = xcalloc(pg->nrows + 1, sizeof *part);
    size_t *idx = xcalloc(pg->nrows + 1, sizeof *idx), n = 0;
    int avail = h;
    bool ok = true;

    for (size_t i = 0; i < pg->nrows; i++) {
        hs[i] = st[i] == ROW_HEADER;
        avail -= hs[i];
        if (st[i] == ROW_OPEN) {
            wt[n] = pg->rows[i].height;
            idx[n++] = i;
        }
    }
    ok = avail >= 0;
    if (ok)
        layout_split(avail, wt, n, LAYOUT_PANEL_MIN_H, part);
    for (size_t j = 0; ok && j < n; j++) {
        const struct row *row = &pg->rows[idx[j]];

        hs[idx[j]] = part[j];
        ok = part[j] - (row->title != NULL) >= row_min(row);
    }
    free(wt);
    free(part);
    free(idx);
    return ok;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Lines per unit of weight at which the middle row (by minimum per
 * weight) just meets its minimum. Folding does not change it, so rows
 * keep their heights when another section opens or closes. */
static double
scroll_scale(const struct page *pg)
{
    double *r = xcalloc(pg->nrows + 1, sizeof *r), u = 1;
    size_t n = 0;

    for (size_t i = 0; i < pg->nrows; i++) {
        int wt = pg->rows[i].height >= 1 ? pg->rows[i].height : 1;

        if (pg->rows[i].npanels > 0)
            r[n++] = (double)row_min(&pg->rows[i]) / wt;
    }
    if (n > 0) {
        qsort(r, n, sizeof *r, cmp_double);
        u = r[(n - 1) / 2];
    }
    free(r);
    return u;
}

/* The heights of a page that scrolls: by weight at scroll_scale, each
 * row's panels between their minimum and the body's height. */
static void
scroll_heights(const struct page *pg, int h, const char *st, int *hs)
{
    double u = scroll_scale(pg);

    for (size_t i = 0; i < pg->nrows; i++) {
        const struct row *row = &pg->rows[i];
        int wt = row->height >= 1 ? row->height : 1;
        int c = (int)(wt * u + 0.5), m = row_min(row);

        c = c < m ? m : c;
        c = c > h ? h : c;
        hs[i] = st[i] == ROW_HIDDEN ? 0 : st[i] == ROW_HEADER ? 1
                : c + (row->title != NULL);
    }
}

/* Adds the header and panels of row i, whose top is y, to out. */
static size_t
place_row(const struct page *pg, size_t i, size_t k, int w, int y, int h,
          char st, struct layout_item *out)
{
    const struct row *row = &pg->rows[i];
    struct rect *rs = xcalloc(row->npanels + 1, sizeof *rs);
    size_t n = 0;

    if (row->title != NULL) {
        out[n++] = (struct layout_item){ (int)i, -1, { 0, y, w, 1 } };
        y++;
        h--;
    }
    if (st == ROW_OPEN) {
        layout_row(row, (struct rect){ 0, y, w, h }, rs);
        for (size_t j = 0; j < row->npanels; j++)
            out[n++] = (struct layout_item){ (int)i, (int)(k + j), rs[j] };
    }
    free(rs);
    return n;
}

size_t
layout_plan(const struct page *pg, int w, int h, const bool *folded,
            struct layout_item *out, int *height)
{
    char *st = xcalloc(pg->nrows + 1, 1);
    int *hs = xcalloc(pg->nrows + 1, sizeof *hs), y = 0;
    size_t n = 0, k = 0;

    row_states(pg, folded, st);
    if (!fit_heights(pg, h, st, hs))
        scroll_heights(pg, h, st, hs);
    for (size_t i = 0; i < pg->nrows; i++) {
        if (st[i] != ROW_HIDDEN)
            n += place_row(pg, i, k, w, y, hs[i], st[i], out + n);
        k += pg->rows[i].npanels;
        y += hs[i];
    }
    *height = y;
    free(st);
    free(hs);
    return n;
}
