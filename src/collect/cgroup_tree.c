/*
 * Walking cgroup hierarchies for containers. A v1 host mounts each
 * controller on its own folder, and a container may show up in some of
 * them only, so every mounted controller is walked and the paths merged.
 * A container's own sub-cgroups (systemd's init.scope inside a Docker
 * scope, nested runtimes) are not walked: the container is the unit.
 */
#include "src/collect/cgroup_tree.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "src/base/xalloc.h"

/* Deepest folder walked below a hierarchy's root: kubepods.slice nests
 * QoS class, pod and container, so 8 leaves room. */
#define MAX_DEPTH 8

/* The v1 mount folder names, ORDER ctrl. */
static const char *const ctrl_names[CG_NCTRL] = {
    "cpu", "cpuacct", "memory", "blkio", "pids"
};

static bool
is_dir(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int
cgroup_tree_open(struct cgroup_tree *t, const char *root, char *err,
                 size_t errsz)
{
    char path[4096];
    struct stat sb;

    memset(t, 0, sizeof *t);
    t->base = xasprintf("%s/sys/fs/cgroup", root);
    snprintf(path, sizeof path, "%s/cgroup.controllers", t->base);
    if (stat(path, &sb) == 0) {
        t->v2 = true;
        return 0;
    }
    bool any = false;
    for (size_t i = 0; i < CG_NCTRL; i++) {
        snprintf(path, sizeof path, "%s/%s", t->base, ctrl_names[i]);
        if (is_dir(path)) {
            t->ctrl[i] = xstrdup(path);
            any = true;
        }
    }
    if (!any) {
        snprintf(err, errsz, "%s: no cgroup hierarchy (neither v2's "
                 "cgroup.controllers nor v1's cpu, cpuacct, memory, blkio "
                 "or pids folders)", t->base);
        cgroup_tree_fini(t);
        return -1;
    }
    return 0;
}

void
cgroup_tree_fini(struct cgroup_tree *t)
{
    free(t->base);
    for (size_t i = 0; i < CG_NCTRL; i++)
        free(t->ctrl[i]);
    memset(t, 0, sizeof *t);
}

static bool
all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

bool
cgroup_container_id(const char *name, char *id, size_t size)
{
    static const char *const prefixes[] = {
        "docker-", "libpod-", "cri-containerd-", "crio-", "containerd-"
    };
    size_t len = strlen(name);

    if (strncmp(name, "libpod-conmon-", 14) == 0)
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], pl) != 0 || len < pl + 6
            || strcmp(name + len - 6, ".scope") != 0)
            continue;
        const char *hex = name + pl;
        size_t n = len - pl - 6;
        if (n == 64 && all_hex(hex, n)) {
            snprintf(id, size, "%.*s", (int)n, hex);
            return true;
        }
    }
    if (len == 64 && all_hex(name, len)) {
        snprintf(id, size, "%s", name);
        return true;
    }
    return false;
}

struct scan {
    struct cgroup_found *out;
    size_t n, max;
    bool truncated;
};

static void
add(struct scan *s, const char *path, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->out[i].path, path) == 0)
            return;
    if (s->n == s->max) {
        s->truncated = true;
        return;
    }
    snprintf(s->out[s->n].path, sizeof s->out[s->n].path, "%s", path);
    snprintf(s->out[s->n].id, sizeof s->out[s->n].id, "%s", id);
    s->n++;
}

/* Walks dir (rel is its path inside the hierarchy, "" at the top). A
 * folder that vanishes while walked is a container that just exited. */
static void
walk(struct scan *s, const char *dir, const char *rel,
     int depth)
{
    DIR *dp = opendir(dir);
    struct dirent *de;

    if (!dp)
        return;
    while ((de = readdir(dp)) != NULL) {
        char child[4096], crel[512], id[72];
        if (de->d_name[0] == '.')
            continue;
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        if (snprintf(crel, sizeof crel, "%s/%s", rel, de->d_name)
            >= (int)sizeof crel)
            continue;
        snprintf(child, sizeof child, "%s/%s", dir, de->d_name);
        if (de->d_type == DT_UNKNOWN && !is_dir(child))
            continue;
        if (cgroup_container_id(de->d_name, id, sizeof id))
            add(s, crel, id);
        else if (depth < MAX_DEPTH)
            walk(s, child, crel, depth + 1);
    }
    closedir(dp);
}

size_t
cgroup_tree_scan(const struct cgroup_tree *t,
                 struct cgroup_found *out, size_t max,
                 bool *truncated)
{
    struct scan s = { out, 0, max, false };

    add(&s, "/", "");
    if (t->v2) {
        walk(&s, t->base, "", 1);
    } else {
        for (size_t i = 0; i < CG_NCTRL; i++)
            if (t->ctrl[i])
                walk(&s, t->ctrl[i], "", 1);
    }
    *truncated = s.truncated;
    return s.n;
}

void
cgroup_tree_dirs(const struct cgroup_tree *t, const char *path,
                 struct cgroup_dirs *dirs, char (*store)[4096])
{
    const char *sub = strcmp(path, "/") == 0 ? "" : path;
    const char **slot[CG_NCTRL] = {
        &dirs->cpu, &dirs->cpuacct, &dirs->memory, &dirs->blkio, &dirs->pids
    };

    memset(dirs, 0, sizeof *dirs);
    dirs->v2 = t->v2;
    if (t->v2) {
        snprintf(store[CG_NCTRL], 4096, "%s%s", t->base, sub);
        dirs->unified = store[CG_NCTRL];
        return;
    }
    for (size_t i = 0; i < CG_NCTRL; i++) {
        if (!t->ctrl[i])
            continue;
        snprintf(store[i], 4096, "%s%s", t->ctrl[i], sub);
        if (is_dir(store[i]))
            *slot[i] = store[i];
    }
}
