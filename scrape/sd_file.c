/*
 * File discovery. Each poll that is due expands the globs, stats what
 * they match and reloads the files whose identity or mtime changed;
 * files no glob matches any more take their groups with them. Parsing
 * goes through the YAML tree (JSON is its flow subset). No inotify: a
 * stat per file per second is cheap and works on every filesystem.
 */
#include "scrape/sd_file.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scrape/relabel.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"

#define CHECK_EVERY_MS 1000
#define FILEPATH_LABEL "__meta_filepath"

/* One file a glob matched, with what it last gave. */
struct entry {
    char *path;
    struct stat st;             /* at the last read; zero before it */
    bool read, seen;
    struct sd_group *groups;
    size_t ngroups;
    char *error;                /* NULL when the last read was clean */
};

/* Invariant: entries sorted by path; view points at every group of
 * every entry in that order. */
struct sd_file {
    char **patterns;
    size_t npatterns;
    int64_t refresh_ms, next_check, next_refresh;
    struct entry *e;
    size_t n;
    const struct sd_group **view;
    size_t nview;
    struct buf error;
};

struct sd_file *
sd_file_new(const struct sd_file_config *c)
{
    struct sd_file *f = xcalloc(1, sizeof(*f));

    f->patterns = xcalloc(c->nfiles + 1, sizeof(*f->patterns));
    for (size_t i = 0; i < c->nfiles; i++)
        f->patterns[i] = xstrdup(c->files[i]);
    f->npatterns = c->nfiles;
    f->refresh_ms = c->refresh_ms > 0 ? c->refresh_ms
                                      : SD_FILE_DEFAULT_REFRESH_MS;
    buf_init(&f->error, 0);
    buf_puts(&f->error, "");
    return f;
}

static void
groups_free(struct sd_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sd_group_fini(&g[i]);
    free(g);
}

static void
entry_fini(struct entry *e)
{
    free(e->path);
    groups_free(e->groups, e->ngroups);
    free(e->error);
}

void
sd_file_free(struct sd_file *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->npatterns; i++)
        free(f->patterns[i]);
    free(f->patterns);
    for (size_t i = 0; i < f->n; i++)
        entry_fini(&f->e[i]);
    free(f->e);
    free(f->view);
    buf_fini(&f->error);
    free(f);
}

/* Fills d at node n with a message (no position when n is NULL). */
static int
fail(struct diag *d, const struct yaml_node *n, const char *fmt,
     const char *arg)
{
    diag_clear(d);
    if (n != NULL) {
        d->line = n->line;
        d->col = n->col;
        d->span = 1;
    }
    snprintf(d->msg, sizeof(d->msg), fmt, arg);
    return -1;
}

/* labels = { label-name: string } */
static int
read_labels(const struct yaml_node *n, struct labels *out, struct diag *d)
{
    if (n == NULL || yaml_is_null(n))
        return 0;
    if (!yaml_is_map(n))
        return fail(d, n, "expected a mapping of labels, found %s",
                    yaml_kind_name(n));
    for (size_t i = 0; i < yaml_map_size(n); i++) {
        const struct yaml_pair *p = yaml_map_at(n, i);
        const char *name = yaml_scalar(p->key);

        if (name == NULL || !relabel_name_valid(name))
            return fail(d, p->key, "\"%s\" is not a valid label name",
                        name != NULL ? name : yaml_kind_name(p->key));
        if (!yaml_is_null(p->value) && !yaml_is_scalar(p->value))
            return fail(d, p->value, "expected a string label value, "
                        "found %s", yaml_kind_name(p->value));
        labels_put(out, name, yaml_is_null(p->value)
                                 ? "" : yaml_scalar(p->value));
    }
    return 0;
}

/* targets = [ string ] */
static int
read_targets(const struct yaml_node *n, struct sd_group *g, struct diag *d)
{
    if (n == NULL || yaml_is_null(n))
        return 0;
    if (!yaml_is_seq(n))
        return fail(d, n, "expected a list of targets, found %s",
                    yaml_kind_name(n));
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        const struct yaml_node *t = yaml_seq_at(n, i);

        if (!yaml_is_scalar(t))
            return fail(d, t, "expected a target address, found %s",
                        yaml_kind_name(t));
        labels_put(sd_group_add_target(g), "__address__",
                      yaml_scalar(t));
    }
    return 0;
}

/*
 * group = { targets: [ string ], labels: labels }
 * Unknown keys are errors in YAML (Prometheus decodes it strictly) and
 * ignored in JSON (encoding/json is lenient).
 */
static int
read_group(const struct yaml_node *n, bool json, struct sd_group *g,
           struct diag *d)
{
    if (n == NULL || yaml_is_null(n))
        return fail(d, n, "%s", "nil target group item found");
    if (!yaml_is_map(n))
        return fail(d, n, "expected a target group mapping, found %s",
                    yaml_kind_name(n));
    for (size_t i = 0; i < yaml_map_size(n) && !json; i++) {
        const char *k = yaml_scalar(yaml_map_at(n, i)->key);

        if (k == NULL || (strcmp(k, "targets") != 0 &&
                          strcmp(k, "labels") != 0))
            return fail(d, yaml_map_at(n, i)->key,
                        "unknown key '%s' in target group",
                        k != NULL ? k : "?");
    }
    if (read_targets(yaml_get(n, "targets"), g, d) != 0 ||
        read_labels(yaml_get(n, "labels"), &g->labels, d) != 0)
        return -1;
    return 0;
}

static bool
has_suffix(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);

    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

/*
 * file = [ group ]
 * Reads path into *out; each group gets source "path:i" and the
 * __meta_filepath label. Returns 0, or -1 with d set.
 */
static int
read_file(const char *path, struct sd_group **out, size_t *nout,
          struct diag *d)
{
    bool json = has_suffix(path, ".json");
    struct yaml_node *root = yaml_load_file(path, d);
    struct sd_group *g = NULL;
    size_t n = 0;
    int rc = 0;

    *out = NULL;
    *nout = 0;
    if (root == NULL)
        return -1;
    if (json && yaml_is_null(root))
        rc = fail(d, NULL, "%s", "unexpected end of JSON input");
    else if (!yaml_is_null(root) && !yaml_is_seq(root))
        rc = fail(d, root, "expected a list of target groups, found %s",
                  yaml_kind_name(root));
    for (size_t i = 0; rc == 0 && i < yaml_seq_size(root); i++) {
        char *src = xasprintf("%s:%zu", path, i);

        g = xreallocarray(g, n + 1, sizeof(*g));
        sd_group_init(&g[n], src);
        free(src);
        rc = read_group(yaml_seq_at(root, i), json, &g[n++], d);
        labels_put(&g[n - 1].labels, FILEPATH_LABEL, path);
        labels_sort(&g[n - 1].labels);
        for (size_t t = 0; t < g[n - 1].ntargets; t++)
            labels_sort(&g[n - 1].targets[t]);
    }
    yaml_tree_free(root);
    if (rc != 0) {
        groups_free(g, n);
        return -1;
    }
    *out = g;
    *nout = n;
    return 0;
}

/* The entry for path, added (unread) in path order when new. */
static struct entry *
entry_get(struct sd_file *f, const char *path)
{
    size_t i = 0;

    while (i < f->n && strcmp(f->e[i].path, path) < 0)
        i++;
    if (i < f->n && strcmp(f->e[i].path, path) == 0)
        return &f->e[i];
    f->e = xreallocarray(f->e, f->n + 1, sizeof(*f->e));
    memmove(&f->e[i + 1], &f->e[i], (f->n - i) * sizeof(*f->e));
    f->n++;
    memset(&f->e[i], 0, sizeof(f->e[i]));
    f->e[i].path = xstrdup(path);
    return &f->e[i];
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
           a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static bool
groups_equal(const struct sd_group *a, size_t na, const struct sd_group *b,
             size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!sd_group_equal(&a[i], &b[i]))
            return false;
    return true;
}

/*
 * Reads e's file again. A clean read replaces its groups; a bad one keeps
 * them and records the error. Returns true when the groups changed.
 */
static bool
entry_reload(struct entry *e, const struct stat *st)
{
    struct sd_group *g;
    size_t n;
    struct diag d;
    bool changed;

    e->st = *st;
    e->read = true;
    free(e->error);
    e->error = NULL;
    if (read_file(e->path, &g, &n, &d) != 0) {
        if (d.line > 0)
            e->error = xasprintf("%s:%d:%d: %s", e->path, d.line, d.col,
                                 d.msg);
        else
            e->error = xasprintf("%s: %s", e->path, d.msg);
        log_debug("%s: %s", __func__, e->error);
        return false;
    }
    changed = !groups_equal(e->groups, e->ngroups, g, n);
    groups_free(e->groups, e->ngroups);
    e->groups = g;
    e->ngroups = n;
    return changed;
}

/* Expands every pattern, reloading what is new or changed (or all, when
 * full); returns true when some file's groups changed. */
static bool
scan(struct sd_file *f, bool full)
{
    bool changed = false;

    for (size_t i = 0; i < f->n; i++)
        f->e[i].seen = false;
    for (size_t p = 0; p < f->npatterns; p++) {
        glob_t gl;

        if (glob(f->patterns[p], 0, NULL, &gl) != 0)
            continue;
        for (size_t i = 0; i < gl.gl_pathc; i++) {
            struct entry *e = entry_get(f, gl.gl_pathv[i]);
            struct stat st;

            e->seen = true;
            if (stat(e->path, &st) != 0)
                continue;
            if (full || !e->read || !same_file(&e->st, &st))
                changed |= entry_reload(e, &st);
        }
        globfree(&gl);
    }
    return changed;
}

/* Drops the entries of files no pattern matches any more. */
static bool
prune(struct sd_file *f)
{
    bool changed = false;
    size_t k = 0;

    for (size_t i = 0; i < f->n; i++) {
        if (f->e[i].seen) {
            f->e[k++] = f->e[i];
            continue;
        }
        changed |= f->e[i].ngroups > 0;
        log_debug("%s: %s is gone", __func__, f->e[i].path);
        entry_fini(&f->e[i]);
    }
    f->n = k;
    return changed;
}

static void
rebuild(struct sd_file *f)
{
    f->nview = 0;
    buf_reset(&f->error);
    buf_puts(&f->error, "");
    for (size_t i = 0; i < f->n; i++) {
        f->view = xreallocarray(f->view, f->nview + f->e[i].ngroups + 1,
                                sizeof(*f->view));
        for (size_t g = 0; g < f->e[i].ngroups; g++)
            f->view[f->nview++] = &f->e[i].groups[g];
        if (f->e[i].error != NULL)
            buf_printf(&f->error, "%s%s", f->error.len > 0 ? "; " : "",
                       f->e[i].error);
    }
}

bool
sd_file_poll(struct sd_file *f, int64_t now_ms)
{
    bool full, changed;

    if (now_ms < f->next_check)
        return false;
    full = now_ms >= f->next_refresh;
    f->next_check = now_ms + CHECK_EVERY_MS;
    if (full)
        f->next_refresh = now_ms + f->refresh_ms;
    changed = scan(f, full);
    changed |= prune(f);
    rebuild(f);
    return changed;
}

int64_t
sd_file_next_due(const struct sd_file *f)
{
    return f->next_check;
}

size_t
sd_file_group_count(const struct sd_file *f)
{
    return f->nview;
}

const struct sd_group *
sd_file_group(const struct sd_file *f, size_t i)
{
    return i < f->nview ? f->view[i] : NULL;
}

const char *
sd_file_error(const struct sd_file *f)
{
    return buf_str(&f->error);
}
