/*
 * Where themes are found, and what -t NAME|FILE names: a built-in theme,
 * a .theme file by its path, or NAME.theme in the first directory of the
 * search path that has it. Parsing the file is ui/theme_btop.h's job.
 *
 * Ownership: theme_resolve returns a theme the caller releases with
 * theme_free. theme_path_dirs fills malloc'd strings the caller frees.
 * Arguments are borrowed for the call only, except that theme_resolve's
 * diag may point its source at arg.
 */
#ifndef UI_THEME_PATH_H
#define UI_THEME_PATH_H

#include <stddef.h>

#include "src/base/diag.h"
#include "ui/theme.h"

/* The most directories theme_path_dirs names. */
#define THEME_PATH_DIRS 8

/*
 * Fills dirs (up to max malloc'd strings the caller frees) with where
 * theme names are looked for, in order: $XDG_CONFIG_HOME/promdeck/themes
 * (~/.config when unset), themes/ beside the executable, its
 * ../share/promdeck/themes, PROMDECK_DATADIR/themes (the install
 * prefix's share/promdeck: /usr/local/share/promdeck/themes unless the
 * build says otherwise), then btop's $XDG_CONFIG_HOME/btop/themes,
 * /usr/local/share/btop/themes and /usr/share/btop/themes. A directory
 * whose base cannot be found (no HOME, no /proc) is left out. Returns
 * how many it filled.
 */
size_t theme_path_dirs(char **dirs, size_t max);
/*
 * What -t NAME|FILE names: NULL, "default" or "mono" a copy of a
 * built-in; an argument with a '/' or ending in ".theme" a file; any
 * other NAME the file NAME.theme in the first of theme_path_dirs that
 * has it. NULL with d set when there is no such theme or its file is
 * bad; for an error inside a file, d's source is arg and, for a file
 * found by name, its hint says which file.
 */
struct theme *theme_resolve(const char *arg, struct diag *d);

#endif
