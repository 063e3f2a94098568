/*
 * Test support for widget tests: the per-test arena, query results built
 * by hand in it, a canvas read back as text (whole, or one line), and
 * the draw-then-read step every panel test repeats. The tests choose
 * what to draw and compare the text themselves.
 */

#include "tests/support/ui.h"

#include <stdio.h>
#include <string.h>

#include "src/base/buf.h"

struct arena *ts_arena;

int
ts_arena_setup(void **state)
{
    (void)state;
    ts_arena = arena_new();
    return 0;
}

int
ts_arena_teardown(void **state)
{
    (void)state;
    arena_free(ts_arena);
    ts_arena = NULL;
    return 0;
}

struct qresult *
ts_qresult(enum qvalue_type type, size_t nseries)
{
    struct qresult *r = arena_calloc(ts_arena, 1, sizeof *r);

    r->type = type;
    r->nseries = nseries;
    r->series = arena_calloc(ts_arena, nseries, sizeof *r->series);
    return r;
}

void
ts_qseries_alloc(struct qseries *s, size_t nlabels, size_t npoints)
{
    s->labels.n = nlabels;
    s->labels.v = arena_calloc(ts_arena, nlabels, sizeof *s->labels.v);
    s->npoints = npoints;
    s->points = arena_calloc(ts_arena, npoints, sizeof *s->points);
}

struct qresult *
ts_named_series(enum qvalue_type type, size_t n, const char *const *names,
                const int64_t *t, const double *v, size_t npts)
{
    struct qresult *r = ts_qresult(type, n);

    for (size_t s = 0; s < n; s++) {
        struct qseries *q = &r->series[s];

        ts_qseries_alloc(q, 1, npts);
        q->labels.v[0].name = "name";
        q->labels.v[0].value = names[s];
        for (size_t i = 0; i < npts; i++) {
            q->points[i].t = t[i];
            q->points[i].v = v[s * npts + i];
        }
    }
    return r;
}

char *
ts_canvas_text(const struct canvas *c)
{
    struct buf b;

    buf_init(&b, 0);
    canvas_to_text(c, &b);
    return buf_steal(&b);
}

void
ts_line(const char *s, int n, char *out, size_t len)
{
    for (; n > 0 && s != NULL; n--) {
        s = strchr(s, '\n');
        if (s != NULL)
            s++;
    }
    if (s == NULL)
        s = "";
    snprintf(out, len, "%.*s", (int)strcspn(s, "\n"), s);
}

char *
ts_draw_on(struct canvas *c, ts_draw_fn *draw, const struct panel *p,
           const struct widget_ctx *ctx)
{
    canvas_clear(c);
    draw(p, ctx, c, (struct rect){ 0, 0, canvas_width(c),
                                   canvas_height(c) });
    return ts_canvas_text(c);
}

char *
ts_draw(ts_draw_fn *draw, const struct panel *p,
        const struct widget_ctx *ctx, int w, int h, bool ascii)
{
    struct canvas *c = canvas_new(w, h, ascii);
    char *s = ts_draw_on(c, draw, p, ctx);

    canvas_free(c);
    return s;
}
