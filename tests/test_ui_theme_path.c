/*
 * The theme search path and -t: the order of the directories (the
 * user's, beside the binary, the install prefix's, btop's), built-in
 * names, a theme found by name and where its error was, paths, and names
 * that are nowhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "tests/support/fs.h"
#include "ui/theme_path.h"

static void
test_dirs(void **state)
{
    char *dirs[THEME_PATH_DIRS], *exe_themes, *exe_share;
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t n;

    (void)state;
    /* Beside the executable: this test's own folder. */
    assert_true(len > 0);
    exe[len] = '\0';
    *strrchr(exe, '/') = '\0';
    exe_themes = xasprintf("%s/themes", exe);
    exe_share = xasprintf("%s/../share/promdeck/themes", exe);
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    n = theme_path_dirs(dirs, THEME_PATH_DIRS);
    assert_int_equal(n, 7);
    assert_string_equal(dirs[0], "/xdg/promdeck/themes");
    assert_string_equal(dirs[1], exe_themes);
    assert_string_equal(dirs[2], exe_share);
    /* The install prefix's, as the build configured it. */
#ifdef PROMDECK_DATADIR
    assert_string_equal(dirs[3], PROMDECK_DATADIR "/themes");
#else
    assert_string_equal(dirs[3] + strlen(dirs[3]) - 22,
                        "/share/promdeck/themes");
#endif
    assert_string_equal(dirs[4], "/xdg/btop/themes");
    assert_string_equal(dirs[5], "/usr/local/share/btop/themes");
    assert_string_equal(dirs[6], "/usr/share/btop/themes");
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    /* A relative XDG_CONFIG_HOME is ignored for ~/.config; max cuts the
     * list short. */
    setenv("XDG_CONFIG_HOME", "relative", 1);
    setenv("HOME", "/home/u", 1);
    assert_int_equal(theme_path_dirs(dirs, 2), 2);
    assert_string_equal(dirs[0], "/home/u/.config/promdeck/themes");
    assert_string_equal(dirs[1], exe_themes);
    free(dirs[0]);
    free(dirs[1]);
    /* Without any config home only the other five remain. */
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    n = theme_path_dirs(dirs, THEME_PATH_DIRS);
    assert_int_equal(n, 5);
    assert_string_equal(dirs[0], exe_themes);
    assert_string_equal(dirs[3], "/usr/local/share/btop/themes");
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(exe_themes);
    free(exe_share);
}

/* Writes text to dir/rel. */
static void
put(const char *dir, const char *rel, const char *text)
{
    char *p = xasprintf("%s/%s", dir, rel);

    if (text == NULL)
        assert_int_equal(mkdir(p, 0700), 0);
    else
        ts_write_file(p, text);
    free(p);
}

/* promdeck's and btop's theme directories under a config home. */
static void
make_theme_dirs(const char *dir)
{
    put(dir, "promdeck", NULL);
    put(dir, "promdeck/themes", NULL);
    put(dir, "btop", NULL);
    put(dir, "btop/themes", NULL);
    put(dir, "promdeck/themes/mine.theme", "theme[main_fg]=\"#010203\"\n");
    /* The same name in btop's directory comes second. */
    put(dir, "btop/themes/mine.theme", "theme[main_fg]=\"#040506\"\n");
    put(dir, "btop/themes/btoponly.theme",
        "theme[main_fg]=\"#070809\"\nbad line\n");
}

static void
test_resolve(void **state)
{
    char dir[64];
    struct diag d;
    struct theme *t;

    (void)state;
    assert_int_equal(ts_tmpdir_new(dir, sizeof dir, "theme"), 0);
    setenv("XDG_CONFIG_HOME", dir, 1);
    make_theme_dirs(dir);
    diag_clear(&d);
    t = theme_resolve(NULL, &d);
    assert_memory_equal(t->style, theme_default()->style, sizeof t->style);
    theme_free(t);
    t = theme_resolve("mono", &d);
    assert_string_equal(t->name, "mono");
    theme_free(t);
    t = theme_resolve("mine", &d);
    assert_non_null(t);
    assert_string_equal(t->name, "mine");
    assert_int_equal(t->style[ROLE_DEFAULT].fg, 0x010203);
    theme_free(t);
    /* Found in btop's directory, and its error says where. */
    assert_null(theme_resolve("btoponly", &d));
    assert_int_equal(d.line, 2);
    assert_string_equal(d.source, "btoponly");
    assert_non_null(strstr(d.hint, "btop/themes/btoponly.theme"));
    /* A path is a file, found or not. */
    t = theme_resolve("themes/ember.theme", &d);
    assert_non_null(t);
    assert_string_equal(t->name, "ember");
    theme_free(t);
    assert_null(theme_resolve("./no-such.theme", &d));
    assert_non_null(strstr(d.msg, "no-such.theme"));
    diag_clear(&d);
    assert_null(theme_resolve("no-such-theme", &d));
    assert_non_null(strstr(d.msg, "unknown theme 'no-such-theme'"));
    assert_int_equal(ts_tmpdir_remove(dir), 0);
    unsetenv("XDG_CONFIG_HOME");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dirs),
        cmocka_unit_test(test_resolve),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
