/*
 * Where promdeck looks for its own data files by name (dashboards,
 * themes): the user's configuration directory, beside the executable (the
 * source tree when run from a checkout, or an installed share/promdeck),
 * then the data directory promdeck was built for. It only builds paths and
 * asks whether files exist; it reads none.
 *
 * Ownership: every returned string is malloc'd and the caller frees it.
 */
#ifndef BASE_DATADIR_H
#define BASE_DATADIR_H

#include <stddef.h>

/*
 * Fills dirs (up to max) with the directories data of one kind (the
 * subdirectory name: "dashboards", "themes") is looked for in, in order:
 * $XDG_CONFIG_HOME/promdeck/KIND (~/.config when unset or not absolute;
 * left out when neither is known), KIND/ beside the executable, the
 * executable's ../share/promdeck/KIND, then PROMDECK_DATADIR/KIND (the
 * build's data directory, /usr/local/share/promdeck by default). Returns
 * how many it filled.
 */
size_t datadir_search_dirs(const char *kind, char **dirs, size_t max);

/* $XDG_CONFIG_HOME when it is absolute, else ~/.config; NULL when neither
 * is known. */
char *datadir_config_home(void);

/*
 * The first DIR/NAME+SUFFIX that is a regular file, over the directories
 * of datadir_search_dirs(kind) in order and, in each, over suffixes (a
 * NULL-ended list; "" stands for name as given). NULL when there is none.
 */
char *datadir_find(const char *kind, const char *name,
                   const char *const *suffixes);

#endif
