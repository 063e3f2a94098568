/*
 * What the parts of the node collector share: the state one collector
 * keeps between collections, handed to each part (node_proc.c,
 * node_dev.c with node_udev.c, node_sys.c). Each part reads its files
 * under root, appends its families to out and returns 0, or -1 with the
 * reason in err; a part whose source does not exist on this kernel
 * returns 1 (nothing written, no note), as node_exporter skips it. A 0
 * with a note in err says what the part left out (a mount that hangs).
 *
 * Ownership: node.c owns the state and everything in it.
 */
#ifndef COLLECT_NODE_PART_H
#define COLLECT_NODE_PART_H

#include <stddef.h>

#include "src/base/buf.h"
#include "src/base/regex.h"
#include "src/collect/node_statfs.h"

/* The ten columns of a cpu line of /proc/stat, in file order. */
#define NODE_CPU_COLS 10

struct node_state {
    char *root;                 /* "" for the live host */
    struct buf file;            /* the file being parsed */
    struct buf scratch;         /* a part's rows before it writes them */
    double clk_tck;             /* USER_HZ: /proc/stat's ticks a second */
    /* The last cpu seconds written, per cpu and column: a counter the
     * kernel moves backwards keeps its old value (node_exporter does). */
    double *cpu_last;
    size_t ncpu_last;
    struct regex *disk_ignore;  /* node_exporter's default device-exclude */
    struct regex *mnt_ignore;   /* its mount-points-exclude */
    struct regex *fs_ignore;    /* its fs-types-exclude */
    struct fs_watch *fswatch;   /* statfs with a time limit */
};

#endif
