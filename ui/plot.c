/*
 * The dot grid under graphs. A cell's dots are bits: braille's own dot
 * numbering, or with 1 x 2 dots bit 1 for the upper half and bit 2 for the
 * lower, which a half block or an ASCII ' . : draws.
 */
#include "ui/plot.h"

#include <stdlib.h>

#include "src/base/xalloc.h"

/* Braille dot bits by [column][row from the top of the cell]. */
static const uint8_t braille_bit[2][4] = {
    { 0x01, 0x02, 0x04, 0x40 },
    { 0x08, 0x10, 0x20, 0x80 },
};

void
plot_grid_init(struct plot_grid *pg, struct rect r, enum glyphs g)
{
    size_t cells = (size_t)(r.w > 0 ? r.w : 0) * (size_t)(r.h > 0 ? r.h : 0);
    bool braille = g == GLYPHS_BRAILLE;

    pg->r = r;
    pg->cw = braille ? 2 : 1;
    pg->ch = braille ? 4 : 2;
    pg->pw = r.w * pg->cw;
    pg->ph = r.h * pg->ch;
    pg->dots = xcalloc(cells + 1, 1);
    pg->role = xcalloc(cells + 1, 1);
}

void
plot_grid_fini(struct plot_grid *pg)
{
    free(pg->dots);
    free(pg->role);
    pg->dots = pg->role = NULL;
}

void
plot_grid_dot(struct plot_grid *pg, int px, int py, int role)
{
    int top, cx, cy, sx, sy;
    size_t i;

    if (px < 0 || py < 0 || px >= pg->pw || py >= pg->ph)
        return;
    top = pg->ph - 1 - py;
    cx = px / pg->cw;
    cy = top / pg->ch;
    sx = px % pg->cw;
    sy = top % pg->ch;
    i = (size_t)cy * (size_t)pg->r.w + (size_t)cx;
    pg->dots[i] |= pg->cw == 2 ? braille_bit[sx][sy] : (uint8_t)(1 << sy);
    pg->role[i] = (uint8_t)role;
}

void
plot_grid_line(struct plot_grid *pg, int x0, int y0, int x1, int y1,
               int role)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;

    for (;;) {
        int e2 = 2 * err;

        plot_grid_dot(pg, x0, y0, role);
        if (x0 == x1 && y0 == y1)
            break;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* The glyph for a cell's dots; with 1 x 2 dots, bit 1 is the upper half
 * and bit 2 the lower. */
static uint32_t
dot_glyph(uint8_t bits, enum glyphs g)
{
    static const char ascii[] = " '.:";
    static const uint32_t half[] = { ' ', 0x2580, 0x2584, 0x2588 };

    if (g == GLYPHS_BRAILLE)
        return 0x2800 + bits;
    if (g == GLYPHS_BLOCK)
        return half[bits & 3];
    return (uint32_t)ascii[bits & 3];
}

void
plot_grid_blit(const struct plot_grid *pg, struct canvas *c)
{
    for (int y = 0; y < pg->r.h; y++) {
        for (int x = 0; x < pg->r.w; x++) {
            size_t i = (size_t)y * (size_t)pg->r.w + (size_t)x;

            if (pg->dots[i] != 0)
                canvas_put(c, pg->r.x + x, pg->r.y + y,
                           dot_glyph(pg->dots[i], canvas_glyphs(c)),
                           pg->role[i], 0);
        }
    }
}
