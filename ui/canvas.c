/*
 * The cell grid behind every widget and the text encoder for snapshots.
 * Every cell is one column wide: characters a terminal would draw in two
 * columns or none (CJK, emoji, combining marks) are stored as '?', so a
 * label can never push a panel's border out of line.
 */
#include "ui/canvas.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/utf8.h"
#include "src/base/xalloc.h"
#include "ui/theme.h"

struct canvas {
    int w, h;
    bool ascii;
    enum glyphs glyphs;     /* ignored while ascii */
    struct cell *cells;
};

struct canvas *
canvas_new(int w, int h, bool ascii)
{
    struct canvas *c = xcalloc(1, sizeof *c);

    c->ascii = ascii;
    canvas_resize(c, w, h);
    return c;
}

void
canvas_free(struct canvas *c)
{
    if (c == NULL)
        return;
    free(c->cells);
    free(c);
}

void
canvas_resize(struct canvas *c, int w, int h)
{
    c->w = w > 0 ? w : 0;
    c->h = h > 0 ? h : 0;
    free(c->cells);
    c->cells = xcalloc((size_t)c->w * (size_t)c->h + 1, sizeof *c->cells);
    canvas_clear(c);
}

int
canvas_width(const struct canvas *c)
{
    return c->w;
}

int
canvas_height(const struct canvas *c)
{
    return c->h;
}

bool
canvas_ascii(const struct canvas *c)
{
    return c->ascii;
}

enum glyphs
canvas_glyphs(const struct canvas *c)
{
    return c->ascii ? GLYPHS_ASCII : c->glyphs;
}

void
canvas_set_glyphs(struct canvas *c, enum glyphs g)
{
    c->glyphs = g;
}

void
canvas_clear(struct canvas *c)
{
    size_t n = (size_t)c->w * (size_t)c->h;

    for (size_t i = 0; i < n; i++)
        c->cells[i] = (struct cell){ ' ', ROLE_DEFAULT, 0 };
}

const struct cell *
canvas_cell(const struct canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return NULL;
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

bool
canvas_equal(const struct canvas *a, const struct canvas *b)
{
    if (a->w != b->w || a->h != b->h)
        return false;
    return memcmp(a->cells, b->cells,
                  (size_t)a->w * (size_t)a->h * sizeof *a->cells) == 0;
}

void
canvas_copy(struct canvas *dst, const struct canvas *src)
{
    if (dst->w != src->w || dst->h != src->h)
        canvas_resize(dst, src->w, src->h);
    dst->ascii = src->ascii;
    dst->glyphs = src->glyphs;
    memcpy(dst->cells, src->cells,
           (size_t)src->w * (size_t)src->h * sizeof *src->cells);
}

/*
 * Whether cp takes other than one column on a terminal: combining marks
 * and zero-width characters (none) or East Asian wide ones and emoji
 * (two). A fixed table rather than wcwidth(3), which depends on the
 * locale and would differ between the screen and text snapshots.
 */
static bool
not_single_width(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        { 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
        { 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1100, 0x115f },
        { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200f },
        { 0x202a, 0x202e }, { 0x2060, 0x2064 }, { 0x20d0, 0x20ff },
        { 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
        { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 },
        { 0xf900, 0xfaff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
        { 0xfe30, 0xfe4f }, { 0xfeff, 0xfeff }, { 0xff00, 0xff60 },
        { 0xffe0, 0xffe6 }, { 0x1f000, 0x1faff }, { 0x20000, 0x3fffd },
        { 0xe0000, 0xe007f },
    };

    if (cp < 0x300)
        return false;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    return false;
}

void
canvas_put(struct canvas *c, int x, int y, uint32_t ch, int role, int attr)
{
    struct cell *cell;

    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    /* Control characters would move the terminal's cursor and wide or
     * combining ones would shift the rest of the line: never store them.
     * In ASCII mode anything wider than 7 bits becomes '?'. */
    if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)
        || not_single_width(ch))
        ch = '?';
    if (c->ascii && ch >= 0x80)
        ch = '?';
    cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
    cell->ch = ch;
    cell->role = (uint8_t)role;
    cell->attr = (uint8_t)attr;
}

int
canvas_text(struct canvas *c, int x, int y, int maxw, const char *s,
            int role, int attr)
{
    int n = 0;

    if (maxw < 0)
        maxw = c->w - x;
    while (*s != '\0' && n < maxw) {
        canvas_put(c, x + n, y, canvas_utf8_next(&s), role, attr);
        n++;
    }
    return n;
}

int
canvas_text_right(struct canvas *c, int x, int y, int w, const char *s,
                  int role, int attr)
{
    int tw = canvas_text_width(s);

    /* Too long: keep the start, which carries the significant digits. */
    if (tw > w)
        return canvas_text(c, x, y, w, s, role, attr);
    return canvas_text(c, x + w - tw, y, tw, s, role, attr);
}

void
canvas_fill(struct canvas *c, struct rect r, uint32_t ch, int role,
            int attr)
{
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            canvas_put(c, x, y, ch, role, attr);
}

void
canvas_box(struct canvas *c, struct rect r, int role)
{
    /* Light box drawing: ─ │ ┌ ┐ └ ┘ */
    uint32_t hz = c->ascii ? '-' : 0x2500, vt = c->ascii ? '|' : 0x2502;
    uint32_t tl = c->ascii ? '+' : 0x250c, tr = c->ascii ? '+' : 0x2510;
    uint32_t bl = c->ascii ? '+' : 0x2514, br = c->ascii ? '+' : 0x2518;
    int x1 = r.x + r.w - 1, y1 = r.y + r.h - 1;

    if (r.w < 2 || r.h < 2)
        return;
    for (int x = r.x + 1; x < x1; x++) {
        canvas_put(c, x, r.y, hz, role, 0);
        canvas_put(c, x, y1, hz, role, 0);
    }
    for (int y = r.y + 1; y < y1; y++) {
        canvas_put(c, r.x, y, vt, role, 0);
        canvas_put(c, x1, y, vt, role, 0);
    }
    canvas_put(c, r.x, r.y, tl, role, 0);
    canvas_put(c, x1, r.y, tr, role, 0);
    canvas_put(c, r.x, y1, bl, role, 0);
    canvas_put(c, x1, y1, br, role, 0);
}

void
canvas_to_text(const struct canvas *c, struct buf *out)
{
    for (int y = 0; y < c->h; y++) {
        const struct cell *row = &c->cells[(size_t)y * (size_t)c->w];
        int end = c->w;

        while (end > 0 && row[end - 1].ch == ' ')
            end--;
        for (int x = 0; x < end; x++)
            utf8_put(row[x].ch, out);
        buf_putc(out, '\n');
    }
}

uint32_t
canvas_utf8_next(const char **s)
{
    uint32_t cp;
    /* A sequence is at most 4 bytes; the terminator (counted, so the
     * length is never 0) ends a shorter one. */
    size_t n = utf8_decode(*s, strnlen(*s, 3) + 1, &cp);

    *s += n > 0 ? n : 1;
    return n > 0 ? cp : 0xfffd;
}

int
canvas_text_width(const char *s)
{
    int n = 0;

    while (*s != '\0') {
        canvas_utf8_next(&s);
        n++;
    }
    return n;
}
