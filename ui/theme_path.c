/*
 * The theme search path and -t's resolution. The path runs from the
 * user's own themes through those installed with promdeck to btop's, so
 * a user's theme of the same name wins. It reads no theme itself
 * (ui/theme_btop.c does) and keeps no state between calls.
 */
#include "ui/theme_path.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/base/datadir.h"
#include "src/base/xalloc.h"
#include "ui/theme_btop.h"

size_t
theme_path_dirs(char **dirs, size_t max)
{
    char *cfg = datadir_config_home(), *all[THEME_PATH_DIRS];
    size_t n = datadir_search_dirs("themes", all, THEME_PATH_DIRS - 3);
    size_t k = 0;

    /* btop's own themes come last, so promdeck's of the same name win. */
    if (cfg != NULL)
        all[n++] = xasprintf("%s/btop/themes", cfg);
    all[n++] = xstrdup("/usr/local/share/btop/themes");
    all[n++] = xstrdup("/usr/share/btop/themes");
    for (size_t i = 0; i < n; i++) {
        if (k < max)
            dirs[k++] = all[i];
        else
            free(all[i]);
    }
    free(cfg);
    return k;
}

/* NAME.theme in the first search directory that has it, or NULL. */
static char *
find_theme_file(const char *name)
{
    char *dirs[THEME_PATH_DIRS], *found = NULL;
    size_t n = theme_path_dirs(dirs, THEME_PATH_DIRS);

    for (size_t i = 0; i < n; i++) {
        char *p = xasprintf("%s/%s.theme", dirs[i], name);

        if (found == NULL && access(p, R_OK) == 0)
            found = p;
        else
            free(p);
        free(dirs[i]);
    }
    return found;
}

static bool
is_theme_path(const char *arg)
{
    size_t n = strlen(arg);

    return strchr(arg, '/') != NULL
           || (n > 6 && strcmp(arg + n - 6, ".theme") == 0);
}

struct theme *
theme_resolve(const char *arg, struct diag *d)
{
    const struct theme *builtin = theme_by_name(arg);
    struct theme *t;
    char *path;

    if (builtin != NULL)
        return theme_copy(builtin, builtin->name);
    if (is_theme_path(arg)) {
        t = theme_btop_load_file(arg, d);
        if (t == NULL && d->line > 0)
            d->source = arg;
        return t;
    }
    path = find_theme_file(arg);
    if (path == NULL) {
        diag_set(d, 0, 0, 0, "unknown theme '%s'", arg);
        diag_hint(d, "built-in themes are 'default' and 'mono'; other "
                  "names are read from NAME.theme in "
                  "$XDG_CONFIG_HOME/promdeck/themes, the installed "
                  "themes and btop's theme directories");
        return NULL;
    }
    t = theme_btop_load_file(path, d);
    if (t == NULL && d->line > 0) {
        d->source = arg;
        diag_hint(d, "in %s", path);
    }
    free(path);
    return t;
}

