/*
 * statfs(2) with a time limit, for the filesystem part of the node
 * collector: a mount whose server went away (a dead NFS mount) blocks
 * statfs for as long as the kernel keeps retrying, and the collection
 * runs on promdeck's loop. Each statfs runs on a worker thread; the
 * caller waits for it at most the limit. A mount that does not answer in
 * time is marked stuck, as node_exporter marks it: its worker is left
 * blocked in the call, later asks for that mount answer "stuck" at once,
 * and once the blocked call returns the mark goes and the mount is read
 * again. At most one thread per stuck mount is ever blocked.
 *
 * Ownership: the watch belongs to its creator (fs_watch_new/_free). A
 * worker left blocked holds its own reference and frees itself when its
 * call returns, so fs_watch_free never waits. Not thread-safe: one
 * caller (the collector) at a time.
 */
#ifndef COLLECT_NODE_STATFS_H
#define COLLECT_NODE_STATFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/statfs.h>

/* How long one statfs may take before its mount counts as stuck. Any
 * live filesystem, remote ones included, answers far sooner; the wait
 * is paid once per mount that dies, then the mount is skipped. */
#define FS_WATCH_TIMEOUT_MS 500

/* The call each worker makes: statfs(2), or a test's stand-in. */
typedef int (*fs_statfs_fn)(const char *path, struct statfs *st);

struct fs_watch;

/* A watch calling fn (NULL: statfs) with a limit of timeout_ms. */
struct fs_watch *fs_watch_new(fs_statfs_fn fn, int timeout_ms);
/* Frees the watch; workers still blocked free themselves later. */
void fs_watch_free(struct fs_watch *w);

enum fs_watch_result {
    FS_WATCH_OK,            /* *st filled */
    FS_WATCH_ERROR,         /* statfs failed; errno says why */
    FS_WATCH_STUCK,         /* no answer within the limit, now or before */
};

/*
 * statfs(path) on a worker, waiting at most the limit. key names the
 * mount for the stuck mark (its mount point). *newly is set when this
 * call is the one that found it stuck (so it is reported once).
 */
enum fs_watch_result fs_watch_statfs(struct fs_watch *w, const char *key,
                                     const char *path, struct statfs *st,
                                     bool *newly);
/* How many mounts are marked stuck now. */
size_t fs_watch_stuck(const struct fs_watch *w);

#endif
