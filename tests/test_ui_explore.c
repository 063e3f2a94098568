/*
 * The explore view: keys reaching the line editor, Enter and Esc, the
 * prompt row, the completion list under it, Up/Down and the history file
 * across two runs, and the screens for an error, a vector and a matrix.
 * The pieces themselves have their own tests (test_ui_lineedit.c,
 * test_ui_complete.c, test_ui_history.c). The completer here is a real
 * one over fixed lists.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/arena.h"
#include "src/base/xalloc.h"
#include "tests/support/complete.h"
#include "tests/support/fs.h"
#include "tests/support/ui.h"
#include "ui/explore.h"

static char tmpdir[64];

static int
setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    assert_int_equal(ts_tmpdir_new(tmpdir, sizeof tmpdir, "explore"), 0);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    assert_int_equal(ts_tmpdir_remove(tmpdir), 0);
    return 0;
}

/* -- helpers --------------------------------------------------------- */

static enum explore_outcome
key(struct explore *ex, int k)
{
    struct screen_event ev = { .key = k };

    return explore_key(ex, &ev);
}

static void
type(struct explore *ex, const char *s)
{
    while (*s != '\0')
        key(ex, (int)canvas_utf8_next(&s));
}

/* The prompt's text, through Enter. */
static const char *
line_of(struct explore *ex)
{
    assert_int_equal(key(ex, '\r'), EXPLORE_RUN);
    return explore_expr(ex);
}

/* The view drawn on a w x h canvas, as text the caller frees. */
static char *
screen_of(struct explore *ex, int w, int h)
{
    struct canvas *c = canvas_new(w, h, false);
    char *s;

    explore_draw(ex, c, (struct rect){ 0, 0, w, h }, theme_default());
    s = ts_canvas_text(c);
    canvas_free(c);
    return s;
}

/* The prompt row's text after "> ", into out. */
static const char *
prompt_of(struct explore *ex, char *out)
{
    char *s = screen_of(ex, 62, 1);

    ts_line(s + 2, 0, out, 64);
    free(s);
    return out;
}

/* -- editing --------------------------------------------------------- */

/* The editing keys reach the line editor (tests/test_ui_lineedit.c has
 * each of them); the prompt shows its line. */
static void
test_editing(void **state)
{
    struct explore *ex = explore_new(NULL);
    char buf[64];

    (void)state;
    type(ex, "ab cd");
    assert_int_equal(key(ex, SCREEN_KEY_LEFT), EXPLORE_CHANGED);
    assert_int_equal(key(ex, 0x7f), EXPLORE_CHANGED);
    assert_string_equal(prompt_of(ex, buf), "ab d");
    key(ex, 0x17);                      /* Ctrl-W: "ab " */
    type(ex, "\xc3\xa9");
    assert_string_equal(prompt_of(ex, buf), "\xc3\xa9" "d");
    assert_string_equal(line_of(ex), "\xc3\xa9" "d");
    /* A key that changes nothing asks for no redraw. */
    key(ex, SCREEN_KEY_END);
    assert_int_equal(key(ex, SCREEN_KEY_DELETE), EXPLORE_NONE);
    assert_int_equal(key(ex, SCREEN_KEY_RIGHT), EXPLORE_NONE);
    explore_free(ex);
}

static void
test_enter_and_escape(void **state)
{
    struct explore *ex = explore_new(NULL);

    (void)state;
    assert_int_equal(key(ex, '\r'), EXPLORE_NONE);  /* nothing to run */
    type(ex, "  up  ");
    assert_int_equal(key(ex, '\r'), EXPLORE_RUN);
    assert_string_equal(explore_expr(ex), "up");
    /* Esc clears a line, then leaves from the empty one. */
    assert_int_equal(key(ex, 0x1b), EXPLORE_CHANGED);
    assert_int_equal(key(ex, 0x1b), EXPLORE_LEAVE);
    assert_int_equal(key(ex, SCREEN_KEY_CLICK), EXPLORE_NONE);
    explore_free(ex);
}

static void
test_prompt_screen(void **state)
{
    struct explore *ex = explore_new(NULL);
    struct canvas *c = canvas_new(12, 2, false);

    (void)state;
    type(ex, "rate(x[5m])");
    key(ex, SCREEN_KEY_HOME);
    explore_draw(ex, c, (struct rect){ 0, 0, 12, 2 }, theme_default());
    /* The cursor is the reversed cell under it. */
    assert_int_equal(canvas_cell(c, 2, 0)->ch, 'r');
    assert_true(canvas_cell(c, 2, 0)->attr & ATTR_REVERSE);
    assert_false(canvas_cell(c, 3, 0)->attr & ATTR_REVERSE);
    /* At the end of a long line the view slides so the cursor shows. */
    key(ex, SCREEN_KEY_END);
    canvas_clear(c);
    explore_draw(ex, c, (struct rect){ 0, 0, 12, 2 }, theme_default());
    assert_int_equal(canvas_cell(c, 11, 0)->ch, ' ');
    assert_true(canvas_cell(c, 11, 0)->attr & ATTR_REVERSE);
    assert_int_equal(canvas_cell(c, 10, 0)->ch, ')');
    canvas_free(c);
    explore_free(ex);
}

/* -- completion ------------------------------------------------------ */

/* A describe that knows two families. */
static bool
fixed_describe(void *ctx, const char *metric, struct explore_hint *out)
{
    (void)ctx;
    if (strcmp(metric, "http_request_duration_seconds") == 0) {
        snprintf(out->type, sizeof(out->type), "histogram");
        snprintf(out->help, sizeof(out->help), "Latency,\nby route.");
        return true;
    }
    if (strcmp(metric, "http_requests_total") == 0) {
        snprintf(out->type, sizeof(out->type), "counter");
        return true;
    }
    return false;
}

/* The hint line under the list follows the picked candidate, a _bucket
 * series shows its histogram's, and a name nothing describes has none. */
static void
test_hint_line(void **state)
{
    struct ts_fixed f = { .calls = 0 };
    struct explore_completer comp = { .ctx = &f,
                                      .complete = ts_fixed_complete,
                                      .describe = fixed_describe };
    struct explore *ex = explore_new(NULL);
    char *s;

    (void)state;
    explore_set_completer(ex, &comp);
    type(ex, "sum(ht");
    key(ex, '\t');
    key(ex, '\t');
    s = screen_of(ex, 44, 4);
    assert_string_equal(s,
        "> sum(http_request_duration_seconds_bucket\n"
        "  http_request_duration_seconds_bucket\n"
        "  http_requests_total\n"
        "  histogram Latency, by route.\n");
    free(s);
    key(ex, '\t');
    s = screen_of(ex, 44, 4);
    assert_string_equal(s,
        "> sum(http_requests_total\n"
        "  http_request_duration_seconds_bucket\n"
        "  http_requests_total\n"
        "  counter (no HELP text)\n");
    free(s);
    key(ex, 0x1b);
    type(ex, " + up");
    s = screen_of(ex, 44, 2);
    assert_string_equal(s, "> sum(http_requests_total + up\n\n");
    free(s);
    explore_free(ex);
}

static void
test_complete_list_cycles(void **state)
{
    struct ts_fixed f = { .calls = 0 };
    struct explore_completer comp = { .ctx = &f,
                                      .complete = ts_fixed_complete };
    struct explore *ex = explore_new(NULL);
    char *s;

    (void)state;
    explore_set_completer(ex, &comp);
    type(ex, "sum(ht");
    /* Two candidates: their common prefix, and a list under the prompt. */
    assert_int_equal(key(ex, '\t'), EXPLORE_CHANGED);
    s = screen_of(ex, 44, 4);
    assert_string_equal(s,
        "> sum(http_request\n"
        "  http_request_duration_seconds_bucket\n"
        "  http_requests_total\n"
        "\n");
    free(s);
    /* Further Tabs step through the list, sorted, and wrap around. */
    key(ex, '\t');
    key(ex, '\t');
    key(ex, '\t');
    type(ex, ")");
    assert_string_equal(line_of(ex),
                        "sum(http_request_duration_seconds_bucket)");
    /* A value list, filtered by what was typed; Shift-Tab goes back. */
    key(ex, 0x1b);
    type(ex, "up{job=\"a");
    key(ex, '\t');
    assert_string_equal(line_of(ex), "up{job=\"api");
    key(ex, SCREEN_KEY_END);
    key(ex, '\t');
    key(ex, SCREEN_KEY_BTAB);
    s = screen_of(ex, 30, 3);
    assert_string_equal(s,
        "> up{job=\"api-gateway\n"
        "  api\n"
        "  api-gateway\n");
    free(s);
    /* Esc closes the list and keeps the line; a second one clears it. */
    assert_int_equal(key(ex, 0x1b), EXPLORE_CHANGED);
    s = screen_of(ex, 30, 2);
    assert_string_equal(s, "> up{job=\"api-gateway\n\n");
    free(s);
    assert_int_equal(key(ex, 0x1b), EXPLORE_CHANGED);
    assert_int_equal(key(ex, 0x1b), EXPLORE_LEAVE);
    /* Without a completer Tab does nothing. */
    explore_set_completer(ex, NULL);
    type(ex, "u");
    assert_int_equal(key(ex, '\t'), EXPLORE_NONE);
    assert_int_equal(f.calls, 3);
    explore_free(ex);
}

/* A source whose values arrive later, as a server's do: it has none
 * until `arrived` is set, and says so through pending. */
struct late {
    bool arrived;
    int calls;
};

static size_t
late_complete(void *ctx, const char *label, const char ***out)
{
    static const char *const vals[] = { "api", "db" };
    struct late *l = ctx;
    size_t n = l->arrived && label != NULL ? 2 : 0;

    l->calls++;
    *out = xcalloc(3, sizeof(**out));
    for (size_t i = 0; i < n; i++)
        (*out)[i] = vals[i];
    return n;
}

static bool
late_pending(void *ctx)
{
    return !((struct late *)ctx)->arrived;
}

static void
test_complete_waits_for_names(void **state)
{
    struct late l = { false, 0 };
    struct explore_completer comp = { .ctx = &l, .complete = late_complete,
                                      .pending = late_pending };
    struct explore *ex = explore_new(NULL);

    (void)state;
    explore_set_completer(ex, &comp);
    type(ex, "up{job=\"d");
    /* Nothing yet: the Tab waits, and nothing changes. */
    assert_int_equal(key(ex, '\t'), EXPLORE_NONE);
    /* The values come: the waiting Tab completes without another key. */
    l.arrived = true;
    assert_true(explore_names_arrived(ex));
    assert_string_equal(line_of(ex), "up{job=\"db\"");
    /* Once only: a second arrival changes nothing. */
    assert_false(explore_names_arrived(ex));
    /* A key typed while waiting cancels the wait. */
    l.arrived = false;
    type(ex, "}+up{job=\"a");
    assert_int_equal(key(ex, '\t'), EXPLORE_NONE);
    type(ex, "p");
    l.arrived = true;
    assert_false(explore_names_arrived(ex));
    assert_string_equal(line_of(ex), "up{job=\"db\"}+up{job=\"ap");
    explore_free(ex);
}

/* -- history --------------------------------------------------------- */

static void
test_history_round_trip(void **state)
{
    char *path = xasprintf("%s/state/promdeck/history", tmpdir);
    struct explore *ex = explore_new(path);
    char *s, buf[64];
    struct stat st;

    (void)state;
    /* The directory does not exist yet; a repeat is kept once. */
    type(ex, "a");
    key(ex, '\r');
    key(ex, 0x1b);
    type(ex, "b");
    key(ex, '\r');
    key(ex, '\r');
    key(ex, 0x1b);
    type(ex, "c");
    key(ex, '\r');
    explore_free(ex);
    s = ts_read_file(path);
    assert_string_equal(s, "a\nb\nc\n");
    free(s);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* The next run reads it back: newest last, Up walks back in time and
     * Down returns to the line being typed. */
    ex = explore_new(path);
    type(ex, "draft");
    assert_int_equal(key(ex, SCREEN_KEY_UP), EXPLORE_CHANGED);
    assert_string_equal(prompt_of(ex, buf), "c");
    key(ex, SCREEN_KEY_UP);
    assert_string_equal(prompt_of(ex, buf), "b");
    key(ex, SCREEN_KEY_UP);
    assert_int_equal(key(ex, SCREEN_KEY_UP), EXPLORE_NONE);
    assert_string_equal(prompt_of(ex, buf), "a");
    key(ex, SCREEN_KEY_DOWN);
    key(ex, SCREEN_KEY_DOWN);
    assert_string_equal(prompt_of(ex, buf), "c");
    key(ex, SCREEN_KEY_DOWN);
    assert_int_equal(key(ex, SCREEN_KEY_DOWN), EXPLORE_NONE);
    assert_string_equal(prompt_of(ex, buf), "draft");
    /* Running an older entry again makes it the newest. */
    key(ex, SCREEN_KEY_UP);
    key(ex, SCREEN_KEY_UP);
    key(ex, SCREEN_KEY_UP);
    assert_int_equal(key(ex, '\r'), EXPLORE_RUN);
    key(ex, 0x1b);
    key(ex, SCREEN_KEY_UP);
    assert_string_equal(prompt_of(ex, buf), "a");
    key(ex, SCREEN_KEY_UP);
    assert_string_equal(prompt_of(ex, buf), "c");
    explore_free(ex);
    free(path);
}

/* -- results --------------------------------------------------------- */

static void
test_error_caret(void **state)
{
    struct explore *ex = explore_new(NULL);
    struct diag d;
    char *s;

    (void)state;
    type(ex, "sum(up) bx (job)");
    key(ex, '\r');
    /* "bx" starts at byte 9 and spans 2. */
    diag_clear(&d);
    diag_set(&d, 1, 9, 2, "unexpected identifier \"bx\"");
    explore_set_result(ex, NULL, &d);
    key(ex, 0x1b);
    s = screen_of(ex, 40, 6);
    assert_string_equal(s,
        ">\n"
        "\n"
        "unexpected identifier \"bx\"\n"
        "  sum(up) bx (job)\n"
        "          ^~\n"
        "\n");
    free(s);
    /* Columns count bytes: the two-byte é takes one cell. */
    type(ex, "x{a=\"\xc3\xa9\"} ?");
    key(ex, '\r');
    diag_set(&d, 1, 11, 1, "unexpected character '?'");
    explore_set_result(ex, NULL, &d);
    key(ex, 0x1b);
    s = screen_of(ex, 40, 5);
    assert_string_equal(s,
        ">\n"
        "\n"
        "unexpected character '?'\n"
        "  x{a=\"\xc3\xa9\"} ?\n"
        "           ^\n");
    free(s);
    explore_free(ex);
}

static struct label *
one_label(struct arena *a, const char *name, const char *value)
{
    struct label *l = arena_calloc(a, 2, sizeof *l);

    l[0].name = "__name__";
    l[0].value = name;
    l[1].name = "job";
    l[1].value = value;
    return l;
}

static const char *const jobs[] = { "api", "db", "api-gateway" };

/* A result of n series up{job=jobs[i]}, npts points each. */
static struct qresult *
result(enum qvalue_type type, size_t n, const double *v, size_t npts)
{
    struct arena *a = arena_new();
    struct qresult *r = arena_calloc(a, 1, sizeof *r);

    r->arena = a;
    r->type = type;
    r->t = 3600000;
    r->nseries = n;
    r->series = arena_calloc(a, n, sizeof *r->series);
    for (size_t i = 0; i < n; i++) {
        r->series[i].labels.v = one_label(a, "up", jobs[i]);
        r->series[i].labels.n = 2;
        r->series[i].npoints = npts;
        r->series[i].points = arena_calloc(a, npts, sizeof(struct qpoint));
        for (size_t j = 0; j < npts; j++) {
            r->series[i].points[j].t = 3600000 * (int64_t)j;
            r->series[i].points[j].v = v[i * npts + j];
        }
    }
    return r;
}

static void
test_vector_table(void **state)
{
    const double v[] = { 1, 0, 1500 };
    struct explore *ex = explore_new(NULL);
    char *s;

    (void)state;
    /* Rows stay in the order the query returned them. */
    explore_set_result(ex, result(QV_VECTOR, 3, v, 1), NULL);
    s = screen_of(ex, 32, 7);
    assert_string_equal(s,
        ">\n"
        "\n"
        "Element                    Value\n"
        "up{job=\"api\"}                  1\n"
        "up{job=\"db\"}                   0\n"
        "up{job=\"api-gateway\"}       1.5k\n"
        "\n");
    free(s);
    explore_free(ex);
}

static void
test_scalar_and_empty(void **state)
{
    struct explore *ex = explore_new(NULL);
    struct arena *a = arena_new();
    struct qresult *r = arena_calloc(a, 1, sizeof *r);
    char *s;

    (void)state;
    r->arena = a;
    r->type = QV_SCALAR;
    r->scalar = 0.1;
    explore_set_result(ex, r, NULL);
    s = screen_of(ex, 20, 3);
    assert_string_equal(s, ">\n\nscalar  0.1\n");
    free(s);
    explore_set_result(ex, result(QV_VECTOR, 0, NULL, 0), NULL);
    s = screen_of(ex, 20, 3);
    assert_string_equal(s, ">\n\nempty result\n");
    free(s);
    explore_free(ex);
}

static void
test_matrix_graph(void **state)
{
    /* api flat at 10 (the top pixel row), db flat at 0 (the bottom). */
    const double v[] = { 10, 10, 0, 0 };
    struct explore *ex = explore_new(NULL);
    char *s, *table;

    (void)state;
    explore_set_result(ex, result(QV_MATRIX, 2, v, 2), NULL);
    s = screen_of(ex, 40, 40);
    /* Under the graph, the last values as a table. */
    table = strstr(s, "Element");
    assert_non_null(table);
    assert_string_equal(table,
        "Element                            Value\n"
        "up{job=\"api\"}                         10\n"
        "up{job=\"db\"}                           0\n"
        "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n");
    /* The graph: the top series as dots 1 and 4 (U+2809), the bottom
     * one as dots 7 and 8 (U+28C0), the time axis from 00:00. */
    assert_non_null(strstr(s, "\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89"));
    assert_non_null(strstr(s, "\xe2\xa3\x80\xe2\xa3\x80\xe2\xa3\x80"));
    assert_non_null(strstr(s, "00:00"));
    free(s);
    explore_free(ex);
}

static void
test_scroll(void **state)
{
    const double v[] = { 0, 1, 2 };
    struct explore *ex = explore_new(NULL);
    char *s;

    (void)state;
    /* Four rows of result in a view of two: a page is one row less. */
    explore_set_result(ex, result(QV_VECTOR, 3, v, 1), NULL);
    s = screen_of(ex, 28, 4);
    assert_string_equal(s,
        ">\n"
        "   rows 1-2 of 4 (PgUp/PgDn)\n"
        "Element" "                " "Value\n"
        "up{job=\"api\"}" "              " "0\n");
    free(s);
    assert_int_equal(key(ex, SCREEN_KEY_PGUP), EXPLORE_NONE);
    assert_int_equal(key(ex, SCREEN_KEY_PGDN), EXPLORE_CHANGED);
    assert_int_equal(key(ex, SCREEN_KEY_PGDN), EXPLORE_CHANGED);
    assert_int_equal(key(ex, SCREEN_KEY_PGDN), EXPLORE_NONE);
    s = screen_of(ex, 28, 4);
    assert_string_equal(s,
        ">\n"
        "   rows 3-4 of 4 (PgUp/PgDn)\n"
        "up{job=\"db\"}" "               " "1\n"
        "up{job=\"api-gateway\"}" "      " "2\n");
    free(s);
    assert_int_equal(key(ex, SCREEN_KEY_PGUP), EXPLORE_CHANGED);
    explore_free(ex);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_editing),
        cmocka_unit_test(test_enter_and_escape),
        cmocka_unit_test(test_prompt_screen),
        cmocka_unit_test(test_complete_list_cycles),
        cmocka_unit_test(test_complete_waits_for_names),
        cmocka_unit_test(test_hint_line),
        cmocka_unit_test(test_history_round_trip),
        cmocka_unit_test(test_error_caret),
        cmocka_unit_test(test_vector_table),
        cmocka_unit_test(test_scalar_and_empty),
        cmocka_unit_test(test_matrix_graph),
        cmocka_unit_test(test_scroll),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
