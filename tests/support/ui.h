/*
 * Test support for widget tests: one arena per test for hand-built query
 * results, builders for those results, a canvas turned into text (and a
 * line picked out of it), and a panel drawn and read back as text in one
 * call. It builds only the shapes several widget tests share; a test
 * whose data has its own shape fills the series itself.
 *
 * Ownership: ts_arena belongs to the support code. ts_arena_setup creates
 * it and ts_arena_teardown frees it, and with it every result built since.
 * ts_canvas_text, ts_draw and ts_draw_on return a heap string the caller
 * frees; a canvas passed in stays the caller's.
 */
#ifndef TESTS_SUPPORT_UI_H
#define TESTS_SUPPORT_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/value.h"
#include "src/base/arena.h"
#include "ui/canvas.h"
#include "ui/widget.h"

/* The arena the builders below allocate from, between setup and
 * teardown; NULL outside them. */
extern struct arena *ts_arena;

/* cmocka setup and teardown: create and free ts_arena. Both return 0. */
int ts_arena_setup(void **state);
int ts_arena_teardown(void **state);

/* A result of this type with nseries zeroed series, in ts_arena. */
struct qresult *ts_qresult(enum qvalue_type type, size_t nseries);

/* Gives s nlabels zeroed labels and npoints zeroed points, in ts_arena,
 * and sets its counts. */
void ts_qseries_alloc(struct qseries *s, size_t nlabels, size_t npoints);

/* n series, series s labelled name=names[s] with points (t[i],
 * v[s * npts + i]) for i < npts. */
struct qresult *ts_named_series(enum qvalue_type type, size_t n,
                                const char *const *names, const int64_t *t,
                                const double *v, size_t npts);

/* The canvas as plain text (canvas_to_text), a malloc'd string. */
char *ts_canvas_text(const struct canvas *c);

/* Line n (from 0) of text s, without its newline, into out (cut to fit
 * len bytes); "" past the last line. */
void ts_line(const char *s, int n, char *out, size_t len);

/* How a test draws a panel: a widget class's draw (bars_class.draw) or
 * frame_draw_panel, which adds the frame. */
typedef void ts_draw_fn(const struct panel *p, const struct widget_ctx *ctx,
                        struct canvas *c, struct rect r);

/* Blanks c, draws p with draw over the whole of it and returns c as text
 * (ts_canvas_text). For tests that also look at the cells, or draw again
 * onto the same canvas; c keeps its glyph level. */
char *ts_draw_on(struct canvas *c, ts_draw_fn *draw, const struct panel *p,
                 const struct widget_ctx *ctx);

/* Draws p with draw onto a new w x h canvas (ASCII when ascii) and
 * returns its text; the canvas is freed. */
char *ts_draw(ts_draw_fn *draw, const struct panel *p,
              const struct widget_ctx *ctx, int w, int h, bool ascii);

#endif
