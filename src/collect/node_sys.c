/*
 * Filesystems, time and uname as node_exporter 1.5 exposes them. Mounts
 * come from /proc/1/mounts (else /proc/mounts), skipped by node_exporter's
 * default mount-point and fs-type patterns, each (device, mountpoint,
 * fstype) once, sized with statfs(2) in f_bsize units. Each statfs runs
 * under a time limit (src/collect/node_statfs.h): a mount whose server
 * went away is marked stuck, as node_exporter marks it, instead of
 * stalling the collection.
 */
#include "src/collect/node_sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>

#include "src/base/log.h"
#include "src/base/xalloc.h"
#include "src/collect/collect.h"

/* One mount kept for the families, its strings in the file buffer. */
struct mount {
    const char *device, *mountpoint, *fstype;
    bool ro, error;
    double v[5];            /* size, free, avail, files, files_free */
};

static const struct {
    const char *name, *help;
} fs_values[] = {
    { "node_filesystem_size_bytes", "Filesystem size in bytes." },
    { "node_filesystem_free_bytes", "Filesystem free space in bytes." },
    { "node_filesystem_avail_bytes",
      "Filesystem space available to non-root users in bytes." },
    { "node_filesystem_files", "Filesystem total file nodes." },
    { "node_filesystem_files_free", "Filesystem total free file nodes." },
};

/* /proc/mounts writes a space as \040 and a tab as \011; node_exporter
 * turns back just those two. */
static void
unescape_mountpoint(char *s)
{
    char *o = s;

    while (*s != '\0') {
        if (strncmp(s, "\\040", 4) == 0 || strncmp(s, "\\011", 4) == 0) {
            *o++ = s[3] == '0' ? ' ' : '\t';
            s += 4;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
}

/* Whether the options field has "ro" as one of its words. */
static bool
has_ro(const char *opts)
{
    for (const char *p = opts; p != NULL; p = strchr(p, ',')) {
        if (*p == ',')
            p++;
        if (strncmp(p, "ro", 2) == 0 && (p[2] == ',' || p[2] == '\0'))
            return true;
    }
    return false;
}

static bool
seen_mount(const struct mount *m, size_t n, const char *dev,
           const char *mp, const char *type)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].device, dev) == 0
            && strcmp(m[i].mountpoint, mp) == 0
            && strcmp(m[i].fstype, type) == 0)
            return true;
    return false;
}

/*
 * The statfs numbers of one mount, or its error flag. The call runs
 * under the watch's time limit: a mount that does not answer is an
 * error, as node_exporter reports it, noted once when it first hangs
 * and skipped without a call until its statfs comes back.
 */
static void
stat_mount(const struct node_state *s, struct mount *m, char *err,
           size_t errsz)
{
    char path[4096], why[160];
    struct statfs st;
    bool newly;

    snprintf(path, sizeof(path), "%s%s", s->root, m->mountpoint);
    switch (fs_watch_statfs(s->fswatch, m->mountpoint, path, &st, &newly)) {
    case FS_WATCH_OK:
        break;
    case FS_WATCH_STUCK:
        if (newly) {
            snprintf(why, sizeof(why), "statfs gave no answer within "
                     "%.1fs; skipped until it does",
                     FS_WATCH_TIMEOUT_MS / 1000.0);
            collect_note(err, errsz, m->mountpoint, why);
            log_debug("%s: %s: %s", __func__, m->mountpoint, why);
        }
        m->error = true;
        return;
    default:
        m->error = true;
        return;
    }
    m->v[0] = (double)st.f_blocks * (double)st.f_bsize;
    m->v[1] = (double)st.f_bfree * (double)st.f_bsize;
    m->v[2] = (double)st.f_bavail * (double)st.f_bsize;
    m->v[3] = (double)st.f_files;
    m->v[4] = (double)st.f_ffree;
}

/* The mounts of the table in s->file that node_exporter reports. */
static size_t
read_mounts(struct node_state *s, struct mount **out, char *err,
            size_t errsz)
{
    struct mount *m = NULL;
    size_t n = 0, cap = 0;
    char *p = s->file.data != NULL ? s->file.data : "", *f[5];
    int nf;

    while ((nf = collect_fields(&p, f, 5)) >= 0) {
        if (nf < 4)
            continue;
        unescape_mountpoint(f[1]);
        if (regex_match(s->mnt_ignore, f[1], strlen(f[1]))
            || regex_match(s->fs_ignore, f[2], strlen(f[2]))
            || seen_mount(m, n, f[0], f[1], f[2]))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            m = xreallocarray(m, cap, sizeof(*m));
        }
        memset(&m[n], 0, sizeof(m[n]));
        m[n].device = f[0];
        m[n].mountpoint = f[1];
        m[n].fstype = f[2];
        m[n].ro = has_ro(f[3]);
        stat_mount(s, &m[n], err, errsz);
        n++;
    }
    *out = m;
    return n;
}

static void
mount_sample(struct buf *out, const char *name, const struct mount *m,
             double v)
{
    const char *lv[] = { "device", m->device, "fstype", m->fstype,
                         "mountpoint", m->mountpoint, NULL };

    collect_sample(out, name, lv, v);
}

int
node_sys_filesystems(struct node_state *s, struct buf *out, char *err,
                     size_t errsz)
{
    struct mount *m;
    size_t n;

    if (collect_read(s->root, "/proc/1/mounts", &s->file, err, errsz) < 0
        && (errno != ENOENT
            || collect_read(s->root, "/proc/mounts", &s->file, err,
                            errsz) < 0))
        return -1;
    err[0] = '\0';     /* a /proc/1/mounts that was not there is fine */
    n = read_mounts(s, &m, err, errsz);
    collect_family(out, "node_filesystem_device_error", "Whether an error "
                   "occurred while getting statistics for the given "
                   "device.", "gauge");
    for (size_t i = 0; i < n; i++)
        mount_sample(out, "node_filesystem_device_error", &m[i],
                     m[i].error);
    for (size_t k = 0; k < 5; k++) {
        collect_family(out, fs_values[k].name, fs_values[k].help, "gauge");
        for (size_t i = 0; i < n; i++)
            if (!m[i].error)
                mount_sample(out, fs_values[k].name, &m[i], m[i].v[k]);
    }
    collect_family(out, "node_filesystem_readonly",
                   "Filesystem read-only status.", "gauge");
    for (size_t i = 0; i < n; i++)
        if (!m[i].error)
            mount_sample(out, "node_filesystem_readonly", &m[i], m[i].ro);
    free(m);
    return 0;
}

/*
 * The clocksources under root's sysfs: clocksource0, 1, ... until one is
 * missing. The current ones are gathered in the scratch buffer while the
 * available ones are written, so each family stays in one piece.
 */
static void
clocksources(struct node_state *s, struct buf *out)
{
    char path[96], id[16], note[128], *p, *f[16];
    int n;

    buf_reset(&s->scratch);
    collect_family(out, "node_time_clocksource_available_info",
                   "Available clocksources read from "
                   "'/sys/devices/system/clocksource'.", "gauge");
    collect_family(&s->scratch, "node_time_clocksource_current_info",
                   "Current clocksource read from "
                   "'/sys/devices/system/clocksource'.", "gauge");
    for (int i = 0; i < 64; i++) {
        snprintf(id, sizeof(id), "%d", i);
        snprintf(path, sizeof(path), "/sys/devices/system/clocksource/"
                 "clocksource%d/available_clocksource", i);
        if (collect_read(s->root, path, &s->file, note, sizeof(note)) < 0)
            break;
        p = s->file.data != NULL ? s->file.data : "";
        n = collect_fields(&p, f, 16);
        for (int k = 0; k < n; k++) {
            const char *lv[] = { "clocksource", f[k], "device", id, NULL };

            collect_sample(out, "node_time_clocksource_available_info", lv,
                           1);
        }
        snprintf(path, sizeof(path), "/sys/devices/system/clocksource/"
                 "clocksource%d/current_clocksource", i);
        if (collect_read(s->root, path, &s->file, note, sizeof(note)) < 0)
            continue;
        p = s->file.data != NULL ? s->file.data : "";
        if (collect_fields(&p, f, 1) == 1) {
            const char *lv[] = { "clocksource", f[0], "device", id, NULL };

            collect_sample(&s->scratch, "node_time_clocksource_current_info",
                           lv, 1);
        }
    }
    buf_append(out, s->scratch.data, s->scratch.len);
}

int
node_sys_time(struct node_state *s, struct buf *out, char *err,
              size_t errsz)
{
    struct timespec ts;
    struct tm tm;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0
        || localtime_r(&ts.tv_sec, &tm) == NULL) {
        snprintf(err, errsz, "clock: %s", strerror(errno));
        return -1;
    }
    collect_family(out, "node_time_seconds",
                   "System time in seconds since epoch (1970).", "gauge");
    collect_sample(out, "node_time_seconds", NULL,
                   (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    collect_family(out, "node_time_zone_offset_seconds",
                   "System time zone offset in seconds.", "gauge");
    {
        const char *lv[] = { "time_zone", tm.tm_zone != NULL ? tm.tm_zone
                                                             : "", NULL };

        collect_sample(out, "node_time_zone_offset_seconds", lv,
                       (double)tm.tm_gmtoff);
    }
    clocksources(s, out);
    return 0;
}

/* The first line of root + path into out, when the file is there. */
static void
kernel_string(struct node_state *s, const char *path, char *out,
              size_t size)
{
    char note[128];

    if (collect_read(s->root, path, &s->file, note, sizeof(note)) == 0
        && s->file.data != NULL)
        snprintf(out, size, "%.*s", (int)strcspn(s->file.data, "\n"),
                 s->file.data);
}

/*
 * uname(2), as node_exporter reads it. Under a root other than the live
 * host's, the fields the kernel also shows in proc/sys/kernel come from
 * there (the machine has no such file and stays this one's).
 */
int
node_sys_uname(struct node_state *s, struct buf *out, char *err,
               size_t errsz)
{
    struct utsname u;

    if (uname(&u) != 0) {
        snprintf(err, errsz, "uname: %s", strerror(errno));
        return -1;
    }
    if (s->root[0] != '\0') {
        kernel_string(s, "/proc/sys/kernel/ostype", u.sysname,
                      sizeof(u.sysname));
        kernel_string(s, "/proc/sys/kernel/osrelease", u.release,
                      sizeof(u.release));
        kernel_string(s, "/proc/sys/kernel/version", u.version,
                      sizeof(u.version));
        kernel_string(s, "/proc/sys/kernel/hostname", u.nodename,
                      sizeof(u.nodename));
        kernel_string(s, "/proc/sys/kernel/domainname", u.domainname,
                      sizeof(u.domainname));
    }
    collect_family(out, "node_uname_info", "Labeled system information as "
                   "provided by the uname system call.", "gauge");
    {
        const char *lv[] = { "domainname", u.domainname, "machine",
                             u.machine, "nodename", u.nodename, "release",
                             u.release, "sysname", u.sysname, "version",
                             u.version, NULL };

        collect_sample(out, "node_uname_info", lv, 1);
    }
    return 0;
}
