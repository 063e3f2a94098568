/*
 * Finding containers in a cgroup tree: which hierarchy layout the host
 * has (v2 unified, or v1 with a folder per controller), and which
 * folders are containers under the layouts Docker, containerd, CRI-O and
 * Podman create, with the cgroupfs driver (/docker/ID) or systemd's
 * (system.slice/docker-ID.scope, machine.slice/libpod-ID.scope,
 * kubepods.slice/.../cri-containerd-ID.scope). It reads directories
 * only, never control files.
 *
 * Ownership: a cgroup_tree owns its strings; the caller embeds it,
 * fills it with cgroup_tree_open and releases it with cgroup_tree_fini.
 */
#ifndef COLLECT_CGROUP_TREE_H
#define COLLECT_CGROUP_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "src/collect/cgroup_read.h"

/* v1 controllers read, in this order. ORDER ctrl */
enum cgroup_ctrl {
    CG_CPU, CG_CPUACCT, CG_MEMORY, CG_BLKIO, CG_PIDS, CG_NCTRL
};

struct cgroup_tree {
    bool v2;
    char *base;                 /* root/sys/fs/cgroup */
    char *ctrl[CG_NCTRL];       /* v1: each controller's mount, or NULL */
};

/* One cgroup found: its path inside the hierarchy ("/" for the root,
 * "/docker/ID") and the container id in it ("" for the root). */
struct cgroup_found {
    char path[512];
    char id[72];
};

/*
 * Detects the layout under root ("" for the live system): v2 when
 * root/sys/fs/cgroup/cgroup.controllers exists, else v1 with the
 * controllers whose folders exist. Returns 0, or -1 with err filled when
 * no cgroup hierarchy is mounted there.
 */
int cgroup_tree_open(struct cgroup_tree *t, const char *root, char *err,
                     size_t errsz);
void cgroup_tree_fini(struct cgroup_tree *t);

/*
 * The root cgroup and every container below it, walked afresh (up to
 * max; *truncated says whether more were left out). Returns the count.
 */
size_t cgroup_tree_scan(const struct cgroup_tree *t,
                        struct cgroup_found *out, size_t max,
                        bool *truncated);

/* The container id a folder name stands for, written to id (size
 * bytes): "docker-ID.scope", "libpod-ID.scope", "cri-containerd-ID.scope",
 * "crio-ID.scope" or a bare 64-hex ID. False for anything else,
 * Podman's conmon scopes included. */
bool cgroup_container_id(const char *name, char *id, size_t size);

/*
 * Fills dirs for the cgroup at path (paths written into store, size
 * bytes per controller slot, CG_NCTRL + 1 slots). A v1 controller whose
 * folder for this cgroup does not exist is left NULL.
 */
void cgroup_tree_dirs(const struct cgroup_tree *t, const char *path,
                      struct cgroup_dirs *dirs, char (*store)[4096]);

#endif
