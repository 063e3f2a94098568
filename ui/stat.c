/*
 * Stats: the value sits centred in the upper half, the sparkline fills
 * the lower half (one row when the panel is only two rows tall). From six
 * rows up, in UTF-8, the number is drawn three rows tall in half blocks,
 * its unit beside it at normal size. With several series only the first
 * with points is shown; a bars or table panel is the one to use for many.
 */
#include "ui/stat.h"

#include <math.h>
#include <string.h>

#include "ui/format.h"
#include "ui/sparkline.h"
#include "ui/theme.h"

/* ORDER: the glyph rows of "0123456789", three cells wide each. */
static const char *const big_digits[10][3] = {
    { "\u2588\u2580\u2588", "\u2588 \u2588", "\u2580\u2580\u2580" },
    { "\u2580\u2588 ", " \u2588 ", "\u2580\u2580\u2580" },
    { "\u2580\u2580\u2588", "\u2588\u2580\u2580", "\u2580\u2580\u2580" },
    { "\u2580\u2580\u2588", " \u2580\u2588", "\u2580\u2580\u2580" },
    { "\u2588 \u2588", "\u2580\u2580\u2588", "  \u2580" },
    { "\u2588\u2580\u2580", "\u2580\u2580\u2588", "\u2580\u2580\u2580" },
    { "\u2588\u2580\u2580", "\u2588\u2580\u2588", "\u2580\u2580\u2580" },
    { "\u2580\u2580\u2588", "  \u2588", "  \u2580" },
    { "\u2588\u2580\u2588", "\u2588\u2580\u2588", "\u2580\u2580\u2580" },
    { "\u2588\u2580\u2588", "\u2580\u2580\u2588", "\u2580\u2580\u2580" },
};

/* The big glyph rows for c (a digit, '.' or '-'), or NULL. */
static const char *const *
big_glyph(char c)
{
    static const char *const dot[3] = { " ", " ", "\u2580" };
    static const char *const minus[3] = { "   ", "\u2580\u2580\u2580",
                                          "   " };

    if (c >= '0' && c <= '9')
        return big_digits[c - '0'];
    return c == '.' ? dot : c == '-' ? minus : NULL;
}

/* The width of the big number in val[0..n), glyphs one cell apart. */
static int
big_width(const char *val, size_t n)
{
    int w = 0;

    for (size_t i = 0; i < n; i++)
        w += canvas_text_width(big_glyph(val[i])[0]) + (i > 0);
    return w;
}

bool
stat_draw_big(struct canvas *c, int x, int y, int w, const char *val,
              int role)
{
    size_t n = strspn(val, "0123456789.-");
    bool digit = false;
    int bw, tw;

    for (size_t i = 0; i < n; i++)
        digit = digit || (val[i] >= '0' && val[i] <= '9');
    if (!digit)
        return false;
    bw = big_width(val, n);
    tw = bw + canvas_text_width(val + n);
    if (tw > w)
        return false;
    x += (w - tw) / 2;
    for (size_t i = 0; i < n; i++) {
        const char *const *g = big_glyph(val[i]);

        for (int row = 0; row < 3; row++)
            canvas_text(c, x, y + row, -1, g[row], role, 0);
        x += canvas_text_width(g[0]) + 1;
    }
    canvas_text(c, x - 1, y + 2, -1, val + n, role, ATTR_BOLD);
    return true;
}

static void
stat_draw(const struct panel *p, const struct widget_ctx *ctx,
          struct canvas *c, struct rect r)
{
    const struct panel_query *q = NULL;
    struct widget_tmp tmp;
    const struct qseries *s = widget_first_series(p, &q, &tmp);
    struct widget_look look;
    char val[FORMAT_VALUE_MAX];
    int role, sh, vw;
    double v;

    (void)ctx;
    if (s == NULL || r.w <= 0 || r.h <= 0)
        return;
    if (widget_no_data(s)) {
        widget_draw_no_data(c, r);
        return;
    }
    v = widget_last(s);
    widget_look_of(p, q, s, ROLE_SERIES1, &look);
    widget_look_format(&look, v, val, sizeof val);
    role = widget_look_role(p, &look, v);
    widget_look_fini(&look);
    sh = r.h >= 6 ? r.h - 4 : r.h >= 3 ? r.h / 2 : r.h - 1;
    vw = canvas_text_width(val);
    if (r.h < 6 || canvas_ascii(c)
        || !stat_draw_big(c, r.x, r.y, r.w, val, role))
        canvas_text(c, r.x + (vw < r.w ? (r.w - vw) / 2 : 0),
                    r.y + (r.h - sh - 1) / 2, r.w, val, role, ATTR_BOLD);
    if (sh > 0)
        spark_draw(c, (struct rect){ r.x, r.y + r.h - sh, r.w, sh }, s,
                   role, NAN, NAN);
}

static void
stat_measure(const struct panel *p, int w, int *minw, int *minh,
             int *want_h)
{
    (void)p;
    (void)w;
    *minw = 8;
    *minh = 1;
    *want_h = 4;
}

const struct widget_class stat_class = {
    .measure = stat_measure,
    .draw = stat_draw,
};
