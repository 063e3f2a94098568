/*
 * The cell canvas: writing, clipping, boxes, ASCII degradation, UTF-8
 * decoding and the plain-text rendering that snapshots and golden tests
 * rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ui/canvas.h"
#include "ui/theme.h"

static void
expect_text(const struct canvas *c, const char *want)
{
    struct buf b;

    buf_init(&b, 0);
    canvas_to_text(c, &b);
    assert_string_equal(buf_str(&b), want);
    buf_fini(&b);
}

static void
test_text_and_trim(void **state)
{
    struct canvas *c = canvas_new(8, 3, false);

    (void)state;
    assert_int_equal(canvas_text(c, 1, 0, -1, "ab", ROLE_TITLE, 0), 2);
    /* Clipped at the right edge: only "xyz" of "xyzuvw" fits from 5. */
    assert_int_equal(canvas_text(c, 5, 1, -1, "xyzuvw", ROLE_DEFAULT, 0),
                     3);
    canvas_put(c, 100, 100, 'q', ROLE_DEFAULT, 0);
    canvas_put(c, -1, 0, 'q', ROLE_DEFAULT, 0);
    expect_text(c, " ab\n     xyz\n\n");
    assert_int_equal(canvas_cell(c, 1, 0)->role, ROLE_TITLE);
    assert_null(canvas_cell(c, 8, 0));
    canvas_free(c);
}

static void
test_right_and_fill(void **state)
{
    struct canvas *c = canvas_new(6, 2, false);

    (void)state;
    canvas_text_right(c, 0, 0, 6, "42", ROLE_DEFAULT, 0);
    canvas_fill(c, (struct rect){ 1, 1, 3, 5 }, '#', ROLE_CRIT, 0);
    expect_text(c, "    42\n ###\n");
    assert_int_equal(canvas_cell(c, 2, 1)->role, ROLE_CRIT);
    canvas_free(c);
}

static void
test_box(void **state)
{
    struct canvas *c = canvas_new(4, 3, false);
    struct canvas *a = canvas_new(4, 3, true);

    (void)state;
    canvas_box(c, (struct rect){ 0, 0, 4, 3 }, ROLE_BORDER);
    expect_text(c, "\xe2\x94\x8c\xe2\x94\x80\xe2\x94\x80\xe2\x94\x90\n"
                   "\xe2\x94\x82  \xe2\x94\x82\n"
                   "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80\xe2\x94\x98\n");
    canvas_box(a, (struct rect){ 0, 0, 4, 3 }, ROLE_BORDER);
    expect_text(a, "+--+\n|  |\n+--+\n");
    canvas_free(c);
    canvas_free(a);
}

static void
test_ascii_and_controls(void **state)
{
    struct canvas *a = canvas_new(6, 1, true);
    struct canvas *u = canvas_new(6, 1, false);

    (void)state;
    /* "é" and "µ" are not ASCII: each becomes one '?'. */
    canvas_text(a, 0, 0, -1, "\xc3\xa9t\xc2\xb5", ROLE_DEFAULT, 0);
    expect_text(a, "?t?\n");
    canvas_text(u, 0, 0, -1, "a\tb\x1b", ROLE_DEFAULT, 0);
    expect_text(u, "a?b?\n");
    /* Wide (U+4E2D, U+1F600) and combining (U+0301) characters would
     * not take exactly one column: '?'. Braille and blocks stay. */
    canvas_text(u, 0, 0, -1, "\xe4\xb8\xad\xf0\x9f\x98\x80"
                "e\xcc\x81\xe2\xa3\xbf\xe2\x96\x88", ROLE_DEFAULT, 0);
    expect_text(u, "??e?\xe2\xa3\xbf\xe2\x96\x88\n");
    canvas_free(a);
    canvas_free(u);
}

static void
test_utf8(void **state)
{
    const char *s = "\xe2\xa3\xbf" "A\xff\xf0\x9f\x98\x80\xc0\xaf";

    (void)state;
    assert_int_equal(canvas_utf8_next(&s), 0x28ff);
    assert_int_equal(canvas_utf8_next(&s), 'A');
    assert_int_equal(canvas_utf8_next(&s), 0xfffd);
    assert_int_equal(canvas_utf8_next(&s), 0x1f600);
    /* An overlong "/" is invalid, one byte at a time. */
    assert_int_equal(canvas_utf8_next(&s), 0xfffd);
    assert_int_equal(canvas_utf8_next(&s), 0xfffd);
    assert_int_equal(*s, '\0');
    assert_int_equal(canvas_text_width("a\xc2\xb5z"), 3);
}

static void
test_copy_equal_resize(void **state)
{
    struct canvas *a = canvas_new(3, 2, false), *b = canvas_new(1, 1, false);

    (void)state;
    canvas_text(a, 0, 0, -1, "hey", ROLE_DEFAULT, 0);
    assert_false(canvas_equal(a, b));
    canvas_copy(b, a);
    assert_true(canvas_equal(a, b));
    canvas_put(b, 0, 1, 'x', ROLE_DEFAULT, 0);
    assert_false(canvas_equal(a, b));
    canvas_resize(a, 2, 1);
    assert_int_equal(canvas_width(a), 2);
    expect_text(a, "\n");
    canvas_free(a);
    canvas_free(b);
    canvas_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_and_trim),
        cmocka_unit_test(test_right_and_fill),
        cmocka_unit_test(test_box),
        cmocka_unit_test(test_ascii_and_controls),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_copy_equal_resize),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
