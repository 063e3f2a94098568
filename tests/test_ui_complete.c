/*
 * Completion: which kind of name each place in a query takes, Tab in
 * each of them against a real source over fixed lists, a list stepped
 * through both ways, escaping inside quoted values, and a common prefix
 * that stops on a code point boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "ui/complete.h"
#include "ui/lineedit.h"
#include "ui/screen.h"
#include "tests/support/complete.h"

/* -- where ----------------------------------------------------------- */

/* The kind of name at the end of s, and where its word starts. */
static enum complete_kind
kind_at_end(const char *s, size_t *start)
{
    struct complete_place pl;

    complete_where(s, strlen(s), &pl);
    *start = pl.start;
    return pl.kind;
}

static void
test_where(void **state)
{
    struct complete_place pl;
    size_t at;

    (void)state;
    assert_int_equal(kind_at_end("", &at), COMPLETE_METRIC);
    assert_int_equal(kind_at_end("rate(http_re", &at), COMPLETE_METRIC);
    assert_int_equal(at, 5);
    assert_int_equal(kind_at_end("up{", &at), COMPLETE_LABEL);
    assert_int_equal(at, 3);
    assert_int_equal(kind_at_end("up{code=\"200\", ins", &at),
                     COMPLETE_LABEL);
    assert_int_equal(at, 15);
    assert_int_equal(kind_at_end("sum by (jo", &at), COMPLETE_LABEL);
    assert_int_equal(kind_at_end("a / ignoring(x, ", &at), COMPLETE_LABEL);
    assert_int_equal(kind_at_end("a * on(x) group_left(", &at),
                     COMPLETE_LABEL);
    /* After a closed brace or list, names are metrics again. */
    assert_int_equal(kind_at_end("up{job=\"a\"} + u", &at),
                     COMPLETE_METRIC);
    assert_int_equal(kind_at_end("sum by (job) (u", &at), COMPLETE_METRIC);
    /* Where no name goes. */
    assert_int_equal(kind_at_end("rate(up[5", &at), COMPLETE_NONE);
    assert_int_equal(kind_at_end("up > 1", &at), COMPLETE_NONE);
    assert_int_equal(kind_at_end("up{job=", &at), COMPLETE_NONE);
    assert_int_equal(kind_at_end("up{job ", &at), COMPLETE_NONE);
    assert_int_equal(kind_at_end("label_replace(up, \"a", &at),
                     COMPLETE_NONE);
    /* A value: its label, quote and where it starts, past escapes. */
    complete_where("up{job!~'d", 10, &pl);
    assert_int_equal(pl.kind, COMPLETE_VALUE);
    assert_string_equal(pl.label, "job");
    assert_int_equal(pl.quote, '\'');
    assert_int_equal(pl.start, 9);
    complete_where("up{a=\"x\\\"y\", path = `C:", 24, &pl);
    assert_int_equal(pl.kind, COMPLETE_VALUE);
    assert_string_equal(pl.label, "path");
    assert_int_equal(pl.quote, '`');
    /* Only the text before the cursor counts. */
    complete_where("up{job=\"db\"}", 3, &pl);
    assert_int_equal(pl.kind, COMPLETE_LABEL);
    assert_int_equal(pl.start, 3);
}

/* -- Tab --------------------------------------------------------------- */

struct fixture {
    struct ts_fixed f;
    struct complete *c;
    struct lineedit *le;
};

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);

    fx->c = complete_new();
    fx->le = lineedit_new();
    complete_set_source(fx->c, ts_fixed_complete, &fx->f);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    complete_free(fx->c);
    lineedit_free(fx->le);
    free(fx);
    return 0;
}

/* Sets the line to s, presses Tab, and returns the line. */
static const char *
tab_after(struct fixture *fx, const char *s, bool want)
{
    complete_close(fx->c);
    lineedit_set(fx->le, s);
    assert_int_equal(complete_step(fx->c, fx->le, 1), want);
    return lineedit_text(fx->le);
}

static void
test_contexts(void **state)
{
    struct fixture *fx = *state;
    struct ts_fixed *f = &fx->f;

    assert_string_equal(tab_after(fx, "u", true), "u" "p");
    assert_string_equal(f->asked, "__name__");
    assert_int_equal(complete_count(fx->c), 0);
    assert_string_equal(tab_after(fx, "rate(u", true), "rate(up");
    assert_string_equal(tab_after(fx, "up{j", true), "up{job");
    assert_string_equal(f->asked, "(names)");
    assert_string_equal(tab_after(fx, "up{code=\"200\", i", true),
                        "up{code=\"200\", instance");
    assert_string_equal(tab_after(fx, "up{job=\"d", true), "up{job=\"db\"");
    assert_string_equal(f->asked, "job");
    assert_string_equal(tab_after(fx, "up{job!~'d", true), "up{job!~'db'");
    assert_string_equal(tab_after(fx, "sum by (i", true),
                        "sum by (instance");
    assert_string_equal(f->asked, "(names)");
    assert_string_equal(tab_after(fx, "sum(up) without (job, c", true),
                        "sum(up) without (job, code");
    assert_string_equal(tab_after(fx, "a / on(c", true), "a / on(code");
    /* Inside a call that is not a label list, names are metrics. */
    assert_string_equal(tab_after(fx, "sum(u", true), "sum(up");
    /* No completion inside durations, after values or for no match. */
    f->calls = 0;
    assert_string_equal(tab_after(fx, "rate(up[5", false), "rate(up[5");
    assert_string_equal(tab_after(fx, "up{job=", false), "up{job=");
    assert_int_equal(f->calls, 0);
    assert_string_equal(tab_after(fx, "zz", false), "zz");
    assert_int_equal(f->calls, 1);
}

static void
test_list_cycles(void **state)
{
    struct fixture *fx = *state;

    /* Two candidates: their common prefix, and a sorted list. */
    assert_string_equal(tab_after(fx, "sum(ht", true), "sum(http_request");
    assert_int_equal(complete_count(fx->c), 2);
    assert_string_equal(complete_at(fx->c, 0),
                        "http_request_duration_seconds_bucket");
    assert_string_equal(complete_at(fx->c, 1), "http_requests_total");
    assert_int_equal(complete_selected(fx->c), -1);
    /* Further Tabs step through the list and wrap around. */
    assert_true(complete_step(fx->c, fx->le, 1));
    assert_int_equal(complete_selected(fx->c), 0);
    assert_true(complete_step(fx->c, fx->le, 1));
    assert_string_equal(lineedit_text(fx->le), "sum(http_requests_total");
    assert_true(complete_step(fx->c, fx->le, 1));
    assert_int_equal(complete_selected(fx->c), 0);
    assert_string_equal(lineedit_text(fx->le),
                        "sum(http_request_duration_seconds_bucket");
    /* Shift-Tab on a fresh list starts from its end; the text after the
     * cursor stays where it was. */
    lineedit_set(fx->le, "up{job=\"a\"}");
    lineedit_key(fx->le, SCREEN_KEY_LEFT);
    lineedit_key(fx->le, SCREEN_KEY_LEFT);
    complete_close(fx->c);
    assert_true(complete_step(fx->c, fx->le, 1));
    assert_string_equal(lineedit_text(fx->le), "up{job=\"api\"}");
    assert_int_equal(complete_count(fx->c), 2);
    assert_true(complete_step(fx->c, fx->le, -1));
    assert_int_equal(complete_selected(fx->c), 1);
    assert_string_equal(lineedit_text(fx->le), "up{job=\"api-gateway\"}");
    assert_true(complete_step(fx->c, fx->le, -1));
    assert_string_equal(lineedit_text(fx->le), "up{job=\"api\"}");
    /* Closing keeps what the list put in. */
    complete_close(fx->c);
    assert_int_equal(complete_count(fx->c), 0);
    assert_string_equal(lineedit_text(fx->le), "up{job=\"api\"}");
}

static void
test_escapes_and_prefix(void **state)
{
    struct fixture *fx = *state;

    /* Inside "..." a quote and a backslash are escaped; the repeat and
     * the NULL hole are dropped. */
    assert_string_equal(tab_after(fx, "x{path=\"s", true),
                        "x{path=\"say \\\"hi\\\"\"");
    assert_string_equal(tab_after(fx, "x{path=\"C", true),
                        "x{path=\"C:\\\\tmp\"");
    /* In '...' only the single quote needs it; in `...` nothing does. */
    assert_string_equal(tab_after(fx, "x{path='i", true),
                        "x{path='it\\'s'");
    assert_string_equal(tab_after(fx, "x{path=`C", true),
                        "x{path=`C:\\tmp`");
    /* A prefix never ends inside a code point: é and è share a byte. */
    assert_string_equal(tab_after(fx, "x{word=\"", true), "x{word=\"");
    assert_int_equal(complete_count(fx->c), 2);
    assert_true(complete_step(fx->c, fx->le, 1));
    assert_string_equal(lineedit_text(fx->le), "x{word=\"\xc3\xa8re");
}

static void
test_without_source(void **state)
{
    struct complete *c = complete_new();
    struct lineedit *le = lineedit_new();

    (void)state;
    lineedit_set(le, "u");
    assert_false(complete_step(c, le, 1));
    assert_string_equal(lineedit_text(le), "u");
    complete_set_source(c, NULL, &c);
    assert_false(complete_step(c, le, -1));
    complete_free(c);
    complete_free(NULL);
    lineedit_free(le);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_where),
        cmocka_unit_test_setup_teardown(test_contexts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_cycles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escapes_and_prefix, setup,
                                        teardown),
        cmocka_unit_test(test_without_source),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
