/*
 * Test support for widget tests: one arena per test for hand-built query
 * results, builders for those results, and a canvas turned into text. It
 * builds only the shapes several widget tests share; a test whose data
 * has its own shape fills the series itself.
 *
 * Ownership: ts_arena belongs to the support code. ts_arena_setup creates
 * it and ts_arena_teardown frees it, and with it every result built since.
 * ts_canvas_text returns a heap string the caller frees.
 */
#ifndef TESTS_SUPPORT_UI_H
#define TESTS_SUPPORT_UI_H

#include <stddef.h>
#include <stdint.h>

#include "query/value.h"
#include "src/base/arena.h"
#include "ui/canvas.h"

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

#endif
