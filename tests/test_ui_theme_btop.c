/*
 * btop .theme files: the themes promdeck ships, every colour form and
 * the key mapping onto roles, a partial file, errors with their line and
 * column, and good/warn/crit chosen by hue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "ui/theme_btop.h"

#define D THEME_DEFAULT_COLOR

static struct theme *
parse(const char *text, struct diag *d)
{
    diag_clear(d);
    return theme_btop_parse("t", text, strlen(text), d);
}

static void
test_shipped_themes(void **state)
{
    static const char *const names[] = {
        "promdeck-dark", "promdeck-light", "promdeck-mono", "fjord",
        "solar-dark", "ember",
    };
    struct diag d;

    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *path = xasprintf("themes/%s.theme", names[i]);
        struct theme *t;

        diag_clear(&d);
        t = theme_btop_load_file(path, &d);
        if (t == NULL)
            fail_msg("%s:%d:%d: %s", path, d.line, d.col, d.msg);
        assert_string_equal(t->name, names[i]);
        /* Eight series colours, no two alike, except in monochrome. */
        for (int a = 0; a < 8 && strcmp(names[i], "promdeck-mono"); a++)
            for (int b = a + 1; b < 8; b++)
                if (t->style[ROLE_SERIES1 + a].fg
                    == t->style[ROLE_SERIES1 + b].fg)
                    fail_msg("%s: series %d and %d alike", names[i], a, b);
        theme_free(t);
        free(path);
    }
}

static void
test_shipped_dark_is_default(void **state)
{
    static const int roles[] = {
        ROLE_DEFAULT, ROLE_TITLE, ROLE_LABEL, ROLE_SERIES1, ROLE_SERIES2,
        ROLE_SERIES3, ROLE_SERIES4, ROLE_SERIES5, ROLE_SERIES6,
        ROLE_SERIES7, ROLE_SERIES8, ROLE_WARN, ROLE_CRIT, ROLE_STALE,
        ROLE_SELECTION, ROLE_METER_BG,
    };
    struct diag d;
    struct theme *t = theme_btop_load_file("themes/promdeck-dark.theme", &d);

    (void)state;
    assert_non_null(t);
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        assert_int_equal(t->style[roles[i]].fg,
                         theme_default()->style[roles[i]].fg);
        assert_int_equal(t->style[roles[i]].bg,
                         theme_default()->style[roles[i]].bg);
    }
    theme_free(t);
}

/* A theme as btop users write them: comments, every colour form, keys
 * promdeck has no use for, a value without quotes and CRLF endings. */
static const char btop_style[] =
    "# my theme\r\n"
    "\r\n"
    "theme[main_bg]=\"#101010\"\r\n"
    "theme[main_fg]=\"200 201 202\"\r\n"
    "  theme[title]=\"#ee\"\r\n"
    "theme[hi_fg]=\"#FF00aa\"\r\n"
    "theme[selected_bg]=\"#203040\"\r\n"
    "theme[selected_fg]=\"\"\r\n"
    "theme[inactive_fg]=#555555\r\n"
    "theme[graph_text]=\"#999999\"\r\n"
    "theme[meter_bg]=\"#222222\"\r\n"
    "theme[div_line]=\"#303030\"\r\n"
    "theme[cpu_box]=\"#3a5a3a\"\r\n"
    "theme[temp_start]=\"#4897d4\"\r\n"
    "theme[temp_mid]=\"#5474e8\"\r\n"   /* blue: not a warning colour */
    "theme[temp_end]=\"#ff40b6\"\r\n"
    "theme[cpu_start]=\"#50f095\"\r\n"
    "theme[cpu_mid]=\"#f2e266\"\r\n"
    "theme[cpu_end]=\"#fa1e1e\"\r\n"
    "theme[download_end]=\"#5fafff\"\r\n"
    "theme[upload_end]=\"#5fafff\"\r\n"  /* a repeat: skipped as a series */
    "theme[some_future_key]=\"#123456\"\r\n";

static void
test_btop_keys(void **state)
{
    struct diag d;
    struct theme *t = parse(btop_style, &d);
    const struct theme_style *st;

    (void)state;
    assert_non_null(t);
    st = t->style;
    assert_int_equal(st[ROLE_DEFAULT].fg, 0xc8c9ca);
    assert_int_equal(st[ROLE_DEFAULT].bg, 0x101010);
    assert_int_equal(st[ROLE_TITLE].fg, 0xeeeeee);
    assert_int_equal(st[ROLE_HI].fg, 0xff00aa);
    assert_int_equal(st[ROLE_TAB_ACTIVE].fg, 0xff00aa);
    assert_int_equal(st[ROLE_TAB_ACTIVE].bg, 0x203040);
    assert_int_equal(st[ROLE_SELECTION].bg, 0x203040);
    assert_int_equal(st[ROLE_SELECTION].fg, D);
    assert_int_equal(st[ROLE_INACTIVE].fg, 0x555555);
    assert_int_equal(st[ROLE_STALE].fg, 0x555555);
    assert_int_equal(st[ROLE_LABEL].fg, 0x999999);
    assert_int_equal(st[ROLE_METER_BG].fg, 0x222222);
    assert_int_equal(st[ROLE_STATUS].bg, 0x222222);
    assert_int_equal(st[ROLE_BORDER].fg, 0x303030);
    assert_int_equal(st[ROLE_AXIS].fg, 0x303030);
    /* Roles without a background of their own sit on main_bg. */
    assert_int_equal(st[ROLE_LABEL].bg, 0x101010);
    assert_int_equal(st[ROLE_CRIT].bg, 0x101010);
    /* good, warn, crit by hue: temp_mid is blue, so cpu_mid warns. */
    assert_int_equal(st[ROLE_GOOD].fg, 0x50f095);
    assert_int_equal(st[ROLE_WARN].fg, 0xf2e266);
    assert_int_equal(st[ROLE_CRIT].fg, 0xfa1e1e);
    /* Series: distinct colours in key order, then repeating. */
    assert_int_equal(st[ROLE_SERIES1].fg, 0x50f095);
    assert_int_equal(st[ROLE_SERIES2].fg, 0x5fafff);
    assert_int_equal(st[ROLE_SERIES3].fg, 0x4897d4);
    assert_int_equal(st[ROLE_SERIES4].fg, 0xff40b6);
    assert_int_equal(st[ROLE_SERIES5].fg, 0xf2e266);
    assert_int_equal(st[ROLE_SERIES6].fg, 0xfa1e1e);
    assert_int_equal(st[ROLE_SERIES7].fg, 0x3a5a3a);
    assert_int_equal(st[ROLE_SERIES8].fg, 0xff00aa);
    /* Attributes stay the built-in ones. */
    assert_int_equal(st[ROLE_CRIT].attr,
                     theme_default()->style[ROLE_CRIT].attr);
    theme_free(t);
}

static void
test_btop_partial(void **state)
{
    struct diag d;
    struct theme *t = parse("theme[main_fg]=\"#111111\"\n", &d);

    (void)state;
    assert_non_null(t);
    /* Keys left out keep the dark default's colours. */
    assert_int_equal(t->style[ROLE_DEFAULT].fg, 0x111111);
    assert_int_equal(t->style[ROLE_DEFAULT].bg, D);
    assert_int_equal(t->style[ROLE_CRIT].fg,
                     theme_default()->style[ROLE_CRIT].fg);
    assert_int_equal(t->style[ROLE_SERIES2].fg,
                     theme_default()->style[ROLE_SERIES2].fg);
    theme_free(t);
    /* An empty file is the default theme under another name. */
    t = parse("", &d);
    assert_non_null(t);
    assert_memory_equal(t->style, theme_default()->style,
                        sizeof t->style);
    theme_free(t);
}

static void
test_btop_errors(void **state)
{
    struct diag d;

    (void)state;
    assert_null(parse("# ok\ntheme[main_fg]=\"#cc\"\ncolor=red\n", &d));
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 1);
    assert_non_null(strstr(d.msg, "theme[key]"));
    assert_null(parse("\n\ntheme[main_fg]=\"#12345g\"\n", &d));
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 17);
    assert_int_equal(d.span, 7);
    assert_non_null(strstr(d.msg, "colour"));
    assert_null(parse("theme[main_fg]=\"10 20 256\"\n", &d));
    assert_int_equal(d.line, 1);
    assert_null(parse("theme[main_fg]=\"10 20\"\n", &d));
    assert_null(parse("theme[main_fg]=\"#12345\"\n", &d));
    assert_null(parse("theme[main_fg]=\"#123456\n", &d));
    assert_non_null(strstr(d.msg, "unterminated"));
    assert_null(parse("theme[main_fg\n", &d));
    assert_int_equal(d.line, 1);
    assert_null(parse("theme[main_fg]=\"#123456\" x\n", &d));
    assert_int_equal(d.col, 26);
    assert_non_null(strstr(d.msg, "after the colour"));
    /* A bad colour under an unknown key is still a bad line. */
    assert_null(parse("theme[nope]=\"blue\"\n", &d));
    assert_int_equal(d.line, 1);
}

/* Components too large for any integer type are bad colours, found
 * without overflowing (make asan runs this under UBSan), and so are
 * leading zeros that pass 255 only as digits. */
static void
test_btop_huge_colour(void **state)
{
    struct diag d;
    struct theme *t;

    (void)state;
    assert_null(parse("# big\ntheme[main_fg]=\"18446744073709551621 0 0\"\n",
                      &d));
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 17);
    assert_int_equal(d.span, 24);
    assert_non_null(strstr(d.msg, "0-255"));
    assert_null(parse("theme[main_fg]=\"0 0 99999999999999999999999\"\n",
                      &d));
    assert_int_equal(d.col, 17);
    assert_null(parse("theme[main_fg]=\"0 9223372036854775808 0\"\n", &d));
    assert_null(parse("theme[main_fg]=\"256 0 0\"\n", &d));
    t = parse("theme[main_fg]=\"000255 0 00\"\n", &d);
    assert_non_null(t);
    assert_int_equal(t->style[ROLE_DEFAULT].fg, 0xff0000);
    theme_free(t);
}

static void
test_btop_hues(void **state)
{
    struct diag d;
    struct theme *t;

    (void)state;
    /* Some themes btop ships leave text after the quotes. */
    t = parse("theme[cpu_mid]=\"#F8F8F2\" #b05475\"\n"
              "theme[temp_end]=\"#81a1c1\"\n", &d);
    assert_non_null(t);
    /* Blue and white only: no red to be found, so crit stays red. */
    assert_int_equal(t->style[ROLE_CRIT].fg,
                     theme_default()->style[ROLE_CRIT].fg);
    assert_int_equal(t->style[ROLE_WARN].fg,
                     theme_default()->style[ROLE_WARN].fg);
    assert_int_equal(t->style[ROLE_SERIES1].fg, 0x81a1c1);
    assert_int_equal(t->style[ROLE_SERIES2].fg, 0xf8f8f2);
    theme_free(t);
    /* A theme of greys keeps its greys even for warn and crit. */
    t = parse("theme[cpu_start]=\"#50\"\ntheme[temp_mid]=\"#a0\"\n"
              "theme[temp_end]=\"#ff\"\n", &d);
    assert_non_null(t);
    assert_int_equal(t->style[ROLE_GOOD].fg, 0x505050);
    assert_int_equal(t->style[ROLE_WARN].fg, 0xa0a0a0);
    assert_int_equal(t->style[ROLE_CRIT].fg, 0xffffff);
    theme_free(t);
}

static void
test_load_errors(void **state)
{
    struct diag d;

    (void)state;
    diag_clear(&d);
    assert_null(theme_btop_load_file("themes/no-such.theme", &d));
    assert_non_null(strstr(d.msg, "cannot read theme file "
                                  "'themes/no-such.theme'"));
    assert_int_equal(d.line, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_themes),
        cmocka_unit_test(test_shipped_dark_is_default),
        cmocka_unit_test(test_btop_keys),
        cmocka_unit_test(test_btop_partial),
        cmocka_unit_test(test_btop_errors),
        cmocka_unit_test(test_btop_huge_colour),
        cmocka_unit_test(test_btop_hues),
        cmocka_unit_test(test_load_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
