/*
 * The data directories of promdeck, in the order a user expects to
 * override things: their own configuration first, then what came with
 * this binary, then what the build installed. Paths are not normalised:
 * "bin/../share" is left as it is, since the kernel resolves it.
 */
#include "src/base/datadir.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/base/xalloc.h"

/* The installed data directory; the build passes the real one. */
#ifndef PROMDECK_DATADIR
#define PROMDECK_DATADIR "/usr/local/share/promdeck"
#endif

#define MAX_DIRS 8

/* The directory of the running executable, or NULL when unknown. */
static char *
exe_dir(void)
{
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    char *slash;

    if (n <= 0)
        return NULL;
    path[n] = '\0';
    slash = strrchr(path, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    return xstrdup(path);
}

/* $XDG_CONFIG_HOME, else ~/.config; NULL when neither can be found. */
char *
datadir_config_home(void)
{
    const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    /* The XDG spec says a relative value is to be ignored. */
    if (x != NULL && x[0] == '/')
        return xstrdup(x);
    if (home != NULL && home[0] != '\0')
        return xasprintf("%s/.config", home);
    return NULL;
}

size_t
datadir_search_dirs(const char *kind, char **dirs, size_t max)
{
    char *cfg = datadir_config_home(), *exe = exe_dir(), *all[MAX_DIRS];
    size_t n = 0, k = 0;

    if (cfg != NULL)
        all[n++] = xasprintf("%s/promdeck/%s", cfg, kind);
    if (exe != NULL) {
        all[n++] = xasprintf("%s/%s", exe, kind);
        all[n++] = xasprintf("%s/../share/promdeck/%s", exe, kind);
    }
    all[n++] = xasprintf("%s/%s", PROMDECK_DATADIR, kind);
    for (size_t i = 0; i < n; i++) {
        if (k < max)
            dirs[k++] = all[i];
        else
            free(all[i]);
    }
    free(cfg);
    free(exe);
    return k;
}

static int
is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
datadir_find(const char *kind, const char *name,
             const char *const *suffixes)
{
    char *dirs[MAX_DIRS], *found = NULL;
    size_t n = datadir_search_dirs(kind, dirs, MAX_DIRS);

    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; found == NULL && suffixes[j] != NULL; j++) {
            char *p = xasprintf("%s/%s%s", dirs[i], name, suffixes[j]);

            if (is_file(p))
                found = p;
            else
                free(p);
        }
        free(dirs[i]);
    }
    return found;
}
