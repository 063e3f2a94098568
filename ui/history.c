/*
 * The history list and its file. Entries live in one array, oldest
 * first; the walk is an index into it, equal to the count when no entry
 * is shown. Writing goes through a temporary file and a rename so that a
 * crash never leaves half a file; nothing here knows of keys or screens.
 */
#include "ui/history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/base/xalloc.h"

/* Invariants: n <= HISTORY_MAX; pos <= n (n: no entry shown). */
struct history {
    char *path;
    char **v;
    size_t n, pos;
    char *saved;                /* the line being typed before Up */
};

/* Reads path's lines through history_add; a missing file adds none. */
static void
load(struct history *h)
{
    FILE *f = fopen(h->path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (f == NULL)
        return;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        history_add(h, line);
    }
    free(line);
    fclose(f);
}

struct history *
history_new(const char *path)
{
    struct history *h = xcalloc(1, sizeof *h);

    if (path != NULL) {
        h->path = xstrdup(path);
        load(h);
    }
    h->pos = h->n;
    return h;
}

void
history_free(struct history *h)
{
    if (h == NULL)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i]);
    free(h->v);
    free(h->path);
    free(h->saved);
    free(h);
}

size_t
history_count(const struct history *h)
{
    return h->n;
}

const char *
history_at(const struct history *h, size_t i)
{
    return h->v[i];
}

void
history_add(struct history *h, const char *s)
{
    if (s[0] != '\0' && (h->n == 0 || strcmp(h->v[h->n - 1], s) != 0)) {
        if (h->n == HISTORY_MAX) {
            free(h->v[0]);
            memmove(h->v, h->v + 1, (HISTORY_MAX - 1) * sizeof(char *));
            h->n--;
        }
        h->v = xreallocarray(h->v, h->n + 1, sizeof(char *));
        h->v[h->n++] = xstrdup(s);
    }
    h->pos = h->n;
}

/* mkdir -p of the directory holding path; errors are left to open. */
static void
make_parent(const char *path)
{
    char *dir = xstrdup(path);

    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            break;
        *p = '/';
    }
    free(dir);
}

int
history_save(const struct history *h)
{
    char *tmp;
    FILE *f;
    int fd;
    bool ok = true;

    if (h->path == NULL)
        return 0;
    make_parent(h->path);
    tmp = xasprintf("%s.tmp", h->path);
    /* Private to the user, as shells keep their history. */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && f == NULL)
        close(fd);
    if (f == NULL) {
        ok = false;
    } else {
        for (size_t i = 0; i < h->n; i++)
            ok = ok && fprintf(f, "%s\n", h->v[i]) >= 0;
        ok = fclose(f) == 0 && ok;
        ok = ok && rename(tmp, h->path) == 0;
        if (!ok)
            remove(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}

const char *
history_prev(struct history *h, const char *line)
{
    if (h->pos == 0)
        return NULL;
    if (h->pos == h->n) {
        free(h->saved);
        h->saved = xstrdup(line);
    }
    return h->v[--h->pos];
}

const char *
history_next(struct history *h)
{
    if (h->pos >= h->n)
        return NULL;
    h->pos++;
    if (h->pos == h->n)
        return h->saved != NULL ? h->saved : "";
    return h->v[h->pos];
}

void
history_rewind(struct history *h)
{
    h->pos = h->n;
}
