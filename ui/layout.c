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
