/*
 * The dashboard list. Each directory -d searches is read in turn; a file
 * counts when its name ends in a suffix -d NAME may leave out, and only
 * when it is the file -d NAME would open, so the list never shows a
 * dashboard that a name cannot reach. It does not check the queries
 * (promdeck check dashboard does).
 */
#include "src/cmd_dashboards.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/datadir.h"
#include "src/base/xalloc.h"
#include "src/dash/dashfile.h"
#include "src/dash/dashmodel.h"
#include "src/startup.h"

#define MAX_DIRS 8

struct entry {
    char *name;
    char *path;                 /* resolved, as the user would open it */
    char *title;
};

struct list {
    struct entry *v;
    size_t n;
};

/* The name -d NAME stands for: file without a known suffix, or NULL
 * when it has none (or is hidden). */
static char *
dashboard_name(const char *file)
{
    const char *const *sfx = startup_dashboard_suffixes();
    size_t len = strlen(file);

    if (file[0] == '.')
        return NULL;
    for (size_t i = 0; sfx[i] != NULL; i++) {
        size_t sl = strlen(sfx[i]);

        if (sl > 0 && len > sl && strcmp(file + len - sl, sfx[i]) == 0)
            return xstrndup(file, len - sl);
    }
    return NULL;
}

/* The dashboard's title, or a note saying it does not load. */
static char *
title_of(const char *path)
{
    struct dashboard m;
    struct diag errs[1];
    struct grafana_notes notes = { NULL, 0 };
    size_t nerr = 0;
    char *title;

    if (dashfile_open(path, &m, errs, 1, &nerr, &notes) < 0) {
        grafana_notes_fini(&notes);
        return xstrdup("(does not load: see promdeck check dashboard)");
    }
    grafana_notes_fini(&notes);
    title = xstrdup(m.title != NULL && m.title[0] != '\0' ? m.title : "-");
    dashmodel_fini(&m);
    return title;
}

static bool
listed(const struct list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return true;
    return false;
}

/* Adds name unless it is listed already or -d NAME opens another file
 * than path (a suffix tried first, in the same directory). */
static void
consider(struct list *l, char *name, const char *path)
{
    char *found = datadir_find("dashboards", name,
                               startup_dashboard_suffixes());
    char real[PATH_MAX], want[PATH_MAX];

    if (listed(l, name) || found == NULL || realpath(found, real) == NULL
        || realpath(path, want) == NULL || strcmp(real, want) != 0) {
        free(found);
        free(name);
        return;
    }
    free(found);
    l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = (struct entry){ name, xstrdup(real), title_of(real) };
}

static void
scan_dir(struct list *l, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char *name = dashboard_name(e->d_name), *path;

        if (name == NULL)
            continue;
        path = xasprintf("%s/%s", dir, e->d_name);
        consider(l, name, path);
        free(path);
    }
    closedir(d);
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name,
                  ((const struct entry *)b)->name);
}

/* Characters in s (UTF-8 continuation bytes do not count): titles may
 * hold any text, and columns are lined up by characters. */
static int
text_cols(const char *s)
{
    int n = 0;

    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* s, then spaces up to w columns and two more. */
static void
put_cell(FILE *out, const char *s, int w)
{
    fprintf(out, "%s%*s", s, w - text_cols(s) + 2, "");
}

/* The table, columns as wide as their widest cell. */
static void
print_list(FILE *out, const struct list *l)
{
    int nw = 4, tw = 5;

    for (size_t i = 0; i < l->n; i++) {
        int a = text_cols(l->v[i].name), b = text_cols(l->v[i].title);

        nw = a > nw ? a : nw;
        tw = b > tw ? b : tw;
    }
    put_cell(out, "NAME", nw);
    put_cell(out, "TITLE", tw);
    fputs("FILE\n", out);
    for (size_t i = 0; i < l->n; i++) {
        put_cell(out, l->v[i].name, nw);
        put_cell(out, l->v[i].title, tw);
        fprintf(out, "%s\n", l->v[i].path);
    }
}

int
cmd_list_dashboards(FILE *out)
{
    char *dirs[MAX_DIRS];
    size_t ndirs = datadir_search_dirs("dashboards", dirs, MAX_DIRS);
    struct list l = { NULL, 0 };

    for (size_t i = 0; i < ndirs; i++)
        scan_dir(&l, dirs[i]);
    qsort(l.v, l.n, sizeof(*l.v), by_name);
    if (l.n > 0)
        print_list(out, &l);
    else
        fprintf(out, "no dashboards in:\n");
    for (size_t i = 0; i < ndirs; i++) {
        if (l.n == 0)
            fprintf(out, "  %s\n", dirs[i]);
        free(dirs[i]);
    }
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].name);
        free(l.v[i].path);
        free(l.v[i].title);
    }
    free(l.v);
    return 0;
}
