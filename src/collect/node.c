/*
 * The node collector's state and one collection: each part in turn
 * (src/collect/node_proc.c, node_dev.c, node_sys.c) appends its
 * families, and its outcome becomes node_exporter's
 * node_scrape_collector_{success,duration_seconds}{collector} series. A
 * part that fails (a file gone or unreadable) leaves a note naming it;
 * the others still run.
 */
#include "src/collect/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/base/xalloc.h"
#include "src/collect/node_dev.h"
#include "src/collect/node_part.h"
#include "src/collect/node_proc.h"
#include "src/collect/node_sys.h"

/* node_exporter 1.5's defaults: --collector.diskstats.device-exclude,
 * --collector.filesystem.mount-points-exclude and fs-types-exclude
 * (anchored at both ends, as these regexes always are). */
#define DISK_EXCLUDE "(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+"
#define MOUNT_EXCLUDE "/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|" \
    "var/lib/containers/storage/.+)($|/).*"
#define FSTYPE_EXCLUDE "autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|" \
    "devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|" \
    "procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs"

typedef int (*node_part_fn)(struct node_state *, struct buf *, char *,
                            size_t);

/* The parts, under node_exporter's collector names. /proc/stat feeds
 * both its cpu and stat collectors; here one part reads it once. */
static const struct {
    const char *collector;
    node_part_fn fn;
} parts[] = {
    { "stat", node_proc_stat },
    { "loadavg", node_proc_loadavg },
    { "meminfo", node_proc_meminfo },
    { "pressure", node_proc_pressure },
    { "diskstats", node_dev_disks },
    { "netdev", node_dev_net },
    { "filesystem", node_sys_filesystems },
    { "time", node_sys_time },
    { "uname", node_sys_uname },
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

static void
node_close(void *state)
{
    struct node_state *s = state;

    if (s == NULL)
        return;
    free(s->root);
    buf_fini(&s->file);
    buf_fini(&s->scratch);
    free(s->cpu_last);
    regex_free(s->disk_ignore);
    regex_free(s->mnt_ignore);
    regex_free(s->fs_ignore);
    fs_watch_free(s->fswatch);
    free(s);
}

static void *
node_open(const char *root, char *err, size_t errsz)
{
    struct node_state *s = xcalloc(1, sizeof(*s));
    long tck = sysconf(_SC_CLK_TCK);
    struct diag d;

    s->root = xstrdup(root != NULL ? root : "");
    buf_init(&s->file, 0);
    buf_init(&s->scratch, 0);
    s->clk_tck = tck > 0 ? (double)tck : 100.0;
    s->disk_ignore = regex_new(DISK_EXCLUDE, &d);
    s->mnt_ignore = regex_new(MOUNT_EXCLUDE, &d);
    s->fs_ignore = regex_new(FSTYPE_EXCLUDE, &d);
    s->fswatch = fs_watch_new(NULL, FS_WATCH_TIMEOUT_MS);
    if (s->disk_ignore == NULL || s->mnt_ignore == NULL
        || s->fs_ignore == NULL) {
        snprintf(err, errsz, "node: device filters: %s", d.msg);
        node_close(s);
        return NULL;
    }
    return s;
}

static double
mono_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* node_exporter's per-collector series. The stat part stands for its cpu
 * and stat collectors both. */
static void
write_outcomes(struct buf *out, const int *rc, const double *secs)
{
    static const char *const names[] = {
        "node_scrape_collector_duration_seconds",
        "node_scrape_collector_success",
    };
    static const char *const helps[] = {
        "node_exporter: Duration of a collector scrape.",
        "node_exporter: Whether a collector succeeded.",
    };

    for (int k = 0; k < 2; k++) {
        collect_family(out, names[k], helps[k], "gauge");
        for (size_t i = 0; i < NPARTS; i++) {
            double v = k == 0 ? secs[i] : rc[i] == 0;
            const char *lv[] = { "collector", parts[i].collector, NULL };

            if (i == 0) {
                const char *cpu[] = { "collector", "cpu", NULL };

                collect_sample(out, names[k], cpu, v);
            }
            collect_sample(out, names[k], lv, v);
        }
    }
}

static int
node_collect(void *state, struct buf *out, char *err, size_t errsz)
{
    struct node_state *s = state;
    int rc[NPARTS], failed = 0;
    double secs[NPARTS];
    char note[256];

    err[0] = '\0';
    for (size_t i = 0; i < NPARTS; i++) {
        size_t start = out->len;
        double t0 = mono_s();

        note[0] = '\0';
        rc[i] = parts[i].fn(s, out, note, sizeof(note));
        secs[i] = mono_s() - t0;
        if (rc[i] < 0) {
            out->len = start;       /* no half-written family */
            if (out->data != NULL)
                out->data[start] = '\0';
            collect_note(err, errsz, parts[i].collector, note);
            failed++;
        } else if (rc[i] == 0 && note[0] != '\0') {
            collect_note(err, errsz, parts[i].collector, note);
        }
    }
    if (failed == (int)NPARTS)
        return -1;
    write_outcomes(out, rc, secs);
    return 0;
}

const struct collector_ops node_collector_ops = {
    .job = "node",
    .open = node_open,
    .collect = node_collect,
    .close = node_close,
};
