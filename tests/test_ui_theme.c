/*
 * Themes: role names in step with the enum, the built-in themes, copies,
 * colour depth detection (NO_COLOR, COLORTERM, terminfo's colours) and
 * the nearest-colour arithmetic of the 256 and 8 colour fallbacks, and
 * Grafana's colours onto roles. btop files: test_ui_theme_btop.c; the
 * search path: test_ui_theme_path.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui/theme.h"

#define D THEME_DEFAULT_COLOR

static void
test_role_names(void **state)
{
    (void)state;
    assert_string_equal(theme_role_name(ROLE_DEFAULT), "default");
    assert_string_equal(theme_role_name(ROLE_SERIES3), "series3");
    assert_string_equal(theme_role_name(ROLE_METER_BG), "meter_bg");
    assert_null(theme_role_name(ROLE_COUNT));
    assert_int_equal(theme_role_by_name("crit"), ROLE_CRIT);
    assert_int_equal(theme_role_by_name("nope"), -1);
    for (int i = 0; i < ROLE_COUNT; i++)
        assert_int_equal(theme_role_by_name(theme_role_name(i)), i);
    assert_int_equal(theme_series_role(0), ROLE_SERIES1);
    assert_int_equal(theme_series_role(9), ROLE_SERIES2);
}

static void
test_builtins(void **state)
{
    (void)state;
    assert_ptr_equal(theme_by_name(NULL), theme_default());
    assert_ptr_equal(theme_by_name("mono"), theme_mono());
    assert_null(theme_by_name("solarized"));
    /* Monochrome carries meaning in attributes, never in colour. */
    for (int i = 0; i < ROLE_COUNT; i++) {
        assert_int_equal(theme_mono()->style[i].fg, THEME_DEFAULT_COLOR);
        assert_int_equal(theme_mono()->style[i].bg, THEME_DEFAULT_COLOR);
    }
    assert_true(theme_mono()->style[ROLE_SELECTION].attr & ATTR_REVERSE);
}

static void
test_depth(void **state)
{
    (void)state;
    assert_int_equal(theme_detect_depth("1", "truecolor", true, 256, true),
                     DEPTH_MONO);
    /* An empty NO_COLOR does not count (no-color.org). */
    assert_int_equal(theme_detect_depth("", NULL, true, 256, false),
                     DEPTH_256);
    assert_int_equal(theme_detect_depth(NULL, NULL, false, 256, false),
                     DEPTH_MONO);
    assert_int_equal(theme_detect_depth(NULL, "truecolor", true, 256, true),
                     DEPTH_TRUECOLOR);
    assert_int_equal(theme_detect_depth(NULL, "24bit", true, 256, true),
                     DEPTH_TRUECOLOR);
    /* COLORTERM alone cannot make a 256-colour terminfo entry direct. */
    assert_int_equal(theme_detect_depth(NULL, "truecolor", true, 256,
                                        false), DEPTH_256);
    assert_int_equal(theme_detect_depth(NULL, NULL, true, 8, false),
                     DEPTH_8);
    assert_int_equal(theme_detect_depth(NULL, NULL, true, 2, false),
                     DEPTH_MONO);
}

static int
to_256(int32_t rgb)
{
    return theme_color_at_depth(rgb, DEPTH_256);
}

static int
to_8(int32_t rgb)
{
    return theme_color_at_depth(rgb, DEPTH_8);
}

static void
test_nearest_colours(void **state)
{
    (void)state;
    /* The cube: 16 + 36 r + 6 g + b over levels 0 95 135 175 215 255. */
    assert_int_equal(to_256(0xff0000), 196);
    assert_int_equal(to_256(0x5fafff), 16 + 36 * 1 + 6 * 3 + 5);
    assert_int_equal(to_256(0x000000), 16);
    /* Mid greys land on the grey ramp: 0x808080 (128) is 232 + 12
     * (8 + 10 * 12 = 128). */
    assert_int_equal(to_256(0x808080), 244);
    assert_int_equal(to_8(0xff0000), 1);
    assert_int_equal(to_8(0x00ff00), 2);
    assert_int_equal(to_8(0x0000ff), 4);
    assert_int_equal(to_8(0xeeeeee), 7);
}

static void
test_depth_of_a_theme(void **state)
{
    struct theme *t = theme_copy(theme_default(), "red on blue");
    struct theme_style *st = t->style;

    (void)state;
    st[ROLE_DEFAULT].fg = 0xff0000;
    st[ROLE_DEFAULT].bg = 0x5fafff;
    st[ROLE_LABEL].fg = D;
    assert_int_equal(theme_color_at_depth(st[ROLE_DEFAULT].fg,
                                          DEPTH_TRUECOLOR), 0xff0000);
    assert_int_equal(theme_color_at_depth(st[ROLE_DEFAULT].fg, DEPTH_256),
                     196);
    assert_int_equal(theme_color_at_depth(st[ROLE_DEFAULT].bg, DEPTH_256),
                     16 + 36 * 1 + 6 * 3 + 5);
    assert_int_equal(theme_color_at_depth(st[ROLE_DEFAULT].fg, DEPTH_8), 1);
    assert_int_equal(theme_color_at_depth(st[ROLE_DEFAULT].bg, DEPTH_8), 6);
    assert_int_equal(theme_color_at_depth(st[ROLE_DEFAULT].fg, DEPTH_MONO),
                     D);
    /* The terminal's own colour stays so at every depth. */
    assert_int_equal(theme_color_at_depth(st[ROLE_LABEL].fg, DEPTH_256), D);
    assert_ptr_equal(theme_for_depth(t, DEPTH_256), t);
    assert_ptr_equal(theme_for_depth(t, DEPTH_8), t);
    /* NO_COLOR wins over any theme. */
    assert_ptr_equal(theme_for_depth(t, theme_detect_depth(
                         "1", "truecolor", true, 256, true)), theme_mono());
    theme_free(t);
}

static void
test_copy(void **state)
{
    char name[16] = "mine";
    struct theme *t = theme_copy(theme_mono(), name);

    (void)state;
    /* The name is the copy's own; the styles are the original's. */
    name[0] = 'X';
    assert_string_equal(t->name, "mine");
    assert_memory_equal(t->style, theme_mono()->style, sizeof t->style);
    assert_ptr_not_equal(t, theme_mono());
    /* Changing the copy leaves the built-in alone. */
    t->style[ROLE_CRIT].fg = 0x123456;
    assert_int_equal(theme_mono()->style[ROLE_CRIT].fg, D);
    theme_free(t);
    /* Built-ins and NULL are not freed. */
    theme_free(NULL);
    theme_free((struct theme *)theme_default());
    theme_free((struct theme *)theme_mono());
    assert_int_equal(theme_default()->style[ROLE_CRIT].fg, 0xff3030);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_names),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_nearest_colours),
        cmocka_unit_test(test_depth_of_a_theme),
        cmocka_unit_test(test_copy),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
