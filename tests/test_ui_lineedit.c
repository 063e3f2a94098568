/*
 * The line editor: each editing key, code points of more than one byte,
 * keys it leaves to its caller, splicing, and which part of a long line
 * a narrow row shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui/canvas.h"
#include "ui/lineedit.h"
#include "ui/screen.h"

static bool
key(struct lineedit *le, int k)
{
    return lineedit_key(le, k);
}

static void
type(struct lineedit *le, const char *s)
{
    while (*s != '\0')
        assert_true(key(le, (int)canvas_utf8_next(&s)));
}

static void
test_editing(void **state)
{
    struct lineedit *le = lineedit_new();

    (void)state;
    assert_string_equal(lineedit_text(le), "");
    type(le, "abc");
    key(le, SCREEN_KEY_LEFT);
    key(le, SCREEN_KEY_LEFT);
    type(le, "X");
    assert_string_equal(lineedit_text(le), "aXbc");
    assert_int_equal(lineedit_cursor(le), 2);
    key(le, 0x7f);                      /* Backspace: the X */
    key(le, SCREEN_KEY_DELETE);         /* Delete: the b */
    assert_string_equal(lineedit_text(le), "ac");
    assert_int_equal(lineedit_cursor(le), 1);
    key(le, SCREEN_KEY_HOME);
    type(le, "<");
    key(le, SCREEN_KEY_END);
    type(le, ">");
    assert_string_equal(lineedit_text(le), "<ac>");
    key(le, 0x01);                      /* Ctrl-A */
    key(le, SCREEN_KEY_RIGHT);
    key(le, 0x0b);                      /* Ctrl-K: kill to the end */
    assert_string_equal(lineedit_text(le), "<");
    type(le, "ab cd ");
    key(le, 0x17);                      /* Ctrl-W: "cd " */
    assert_string_equal(lineedit_text(le), "<ab ");
    key(le, SCREEN_KEY_LEFT);
    key(le, 0x15);                      /* Ctrl-U: all before the cursor */
    assert_string_equal(lineedit_text(le), " ");
    assert_int_equal(lineedit_cursor(le), 0);
    key(le, 0x05);                      /* Ctrl-E */
    assert_int_equal(lineedit_cursor(le), 1);
    lineedit_free(le);
}

static void
test_multibyte(void **state)
{
    struct lineedit *le = lineedit_new();

    (void)state;
    type(le, " \xc3\xa9x");             /* é is two bytes, one cell */
    assert_int_equal(lineedit_len(le), 4);
    key(le, SCREEN_KEY_LEFT);
    assert_int_equal(lineedit_cursor(le), 3);
    key(le, SCREEN_KEY_LEFT);           /* over both bytes of é */
    assert_int_equal(lineedit_cursor(le), 1);
    key(le, SCREEN_KEY_DELETE);
    assert_string_equal(lineedit_text(le), " x");
    type(le, "\xe2\x82\xac");           /* € typed as one code point */
    assert_string_equal(lineedit_text(le), " \xe2\x82\xac" "x");
    key(le, 0x08);                      /* Ctrl-H: Backspace */
    assert_string_equal(lineedit_text(le), " x");
    key(le, SCREEN_KEY_RIGHT);
    assert_int_equal(lineedit_cursor(le), 2);
    key(le, 0x04);                      /* Ctrl-D at the end: nothing */
    assert_string_equal(lineedit_text(le), " x");
    assert_int_equal(lineedit_cells("a\xc3\xa9" "b", 4), 3);
    assert_int_equal(lineedit_cells("a\xc3\xa9" "b", 3), 2);
    assert_int_equal(lineedit_cells("ab", 10), 2);
    lineedit_free(le);
}

static void
test_unchanged_and_foreign_keys(void **state)
{
    struct lineedit *le = lineedit_new();

    (void)state;
    type(le, "ab");
    /* Deleting or moving past the ends changes nothing. */
    assert_false(key(le, SCREEN_KEY_DELETE));
    assert_false(key(le, SCREEN_KEY_RIGHT));
    assert_false(key(le, SCREEN_KEY_END));
    key(le, SCREEN_KEY_HOME);
    assert_false(key(le, 0x7f));
    assert_false(key(le, SCREEN_KEY_LEFT));
    assert_false(key(le, 0x17));
    /* Keys for others: not typed, not handled. */
    assert_false(key(le, '\t'));
    assert_false(key(le, '\r'));
    assert_false(key(le, 0x1b));
    assert_false(key(le, 0x9b));        /* a C1 control */
    assert_false(key(le, SCREEN_KEY_UP));
    assert_false(key(le, SCREEN_KEY_PGDN));
    assert_false(key(le, SCREEN_KEY_CLICK));
    assert_string_equal(lineedit_text(le), "ab");
    assert_int_equal(lineedit_cursor(le), 0);
    lineedit_free(le);
}

static void
test_set_and_splice(void **state)
{
    struct lineedit *le = lineedit_new();
    char long_line[200];

    (void)state;
    lineedit_set(le, "sum(up)");
    assert_int_equal(lineedit_cursor(le), 7);
    lineedit_splice(le, 4, 6, "http_requests_total");
    assert_string_equal(lineedit_text(le), "sum(http_requests_total)");
    assert_int_equal(lineedit_cursor(le), 23);
    lineedit_splice(le, 0, 4, "");
    assert_string_equal(lineedit_text(le), "http_requests_total)");
    assert_int_equal(lineedit_cursor(le), 0);
    /* Growing well past the first allocation keeps every byte. */
    for (size_t i = 0; i < sizeof long_line - 1; i++)
        long_line[i] = (char)('a' + i % 26);
    long_line[sizeof long_line - 1] = '\0';
    lineedit_set(le, long_line);
    assert_int_equal(lineedit_len(le), sizeof long_line - 1);
    assert_string_equal(lineedit_text(le), long_line);
    lineedit_free(le);
    lineedit_free(NULL);
}

static void
test_view(void **state)
{
    struct lineedit *le = lineedit_new();
    int at;

    (void)state;
    lineedit_set(le, "rate(x[5m])");
    /* The cursor at the end of 11 cells, in a row of 10: the line
     * slides two code points left so the cursor takes the last cell. */
    assert_int_equal(lineedit_view(le, 10, &at), 2);
    assert_int_equal(at, 9);
    /* A row wide enough shows it all. */
    assert_int_equal(lineedit_view(le, 12, &at), 0);
    assert_int_equal(at, 11);
    key(le, SCREEN_KEY_HOME);
    assert_int_equal(lineedit_view(le, 10, &at), 0);
    assert_int_equal(at, 0);
    /* Sliding counts code points, not bytes. */
    lineedit_set(le, "\xc3\xa9\xc3\xa9" "abc");
    assert_int_equal(lineedit_view(le, 4, &at), 4);
    assert_int_equal(at, 3);
    lineedit_free(le);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_editing),
        cmocka_unit_test(test_multibyte),
        cmocka_unit_test(test_unchanged_and_foreign_keys),
        cmocka_unit_test(test_set_and_splice),
        cmocka_unit_test(test_view),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
