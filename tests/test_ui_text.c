/*
 * Text panels: headings in bold, paragraphs joined and word-wrapped,
 * list items on their own lines, blank lines kept as one gap; the panel
 * needs no query. Expected screens are worked out by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/frame.h"
#include "ui/text.h"
#include "ui/theme.h"

static struct panel
text_panel(char *text)
{
    struct panel p = {
        .title = "Notes", .kind = PANEL_TEXT, .decimals = -1, .min = NAN,
        .max = NAN, .width = 1, .text = text,
    };

    return p;
}

static char doc[] = "# Title\nfirst line\nsecond line\n\n\n"
                    "- item one\n- item two";

static void
test_blocks(void **state)
{
    struct panel p = text_panel(doc);
    struct widget_ctx ctx = { 0, 0, 0 };
    struct canvas *c = canvas_new(12, 8, true);
    int minw, minh, want;
    char *s;

    (void)state;
    /* "first line second line" wraps at 12 after "first line"; the two
     * blank lines make one gap before the list. */
    s = ts_draw_on(c, text_class.draw, &p, &ctx);
    assert_string_equal(s,
        "Title\n"
        "first line\n"
        "second line\n"
        "\n"
        "- item one\n"
        "- item two\n"
        "\n"
        "\n");
    assert_int_equal(canvas_cell(c, 0, 0)->attr, ATTR_BOLD);
    assert_int_equal(canvas_cell(c, 0, 0)->role, ROLE_TITLE);
    assert_int_equal(canvas_cell(c, 0, 1)->attr, 0);
    text_class.measure(&p, 12, &minw, &minh, &want);
    assert_int_equal(want, 6);
    /* At 30 cells the paragraph is one line. */
    text_class.measure(&p, 30, &minw, &minh, &want);
    assert_int_equal(want, 5);
    free(s);
    canvas_free(c);
}

static void
test_clipped_and_framed(void **state)
{
    struct panel p = text_panel(doc);
    struct widget_ctx ctx = { 0, 0, 0 };
    char *s;

    (void)state;
    /* No query, yet no "no data": the text is the panel's content. */
    s = ts_draw(frame_draw_panel, &p, &ctx, 14, 5, true);
    assert_string_equal(s,
        "+ Notes -----+\n"
        "|Title       |\n"
        "|first line  |\n"
        "|second line |\n"
        "+------------+\n");
    assert_int_equal(frame_want_height(&p, 14), 6 + 2);
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_clipped_and_framed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
