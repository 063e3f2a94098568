/*
 * Reading one cgroup's control files (cgroup v1 and v2) into plain
 * numbers, with cAdvisor's conversions: CPU in nanoseconds, v1's
 * cpuacct.stat ticks scaled by USER_HZ, working set = usage minus
 * inactive file pages, a limit above 2^62 bytes meaning "none", v2 swap
 * from memory.swap.current. It does not walk trees or name containers.
 *
 * Every file is read whole into a stack buffer with one read() call: the
 * kernel produces these small files atomically, and nothing here
 * allocates per file. A file that vanishes means the container exited.
 */
#include "src/collect/cgroup_read.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The biggest file read here is memory.stat (about 1.5 KiB on v1, 2 KiB
 * on v2) or a net/dev of a few interfaces; io.stat grows per device. */
#define SMALL_FILE_MAX 8192

/* cAdvisor treats limits at or above this as "unlimited" and shows 0. */
#define MAX_MEMORY_SIZE ((uint64_t)1 << 62)

/* The state of one cgroup_read call: the first problem wins the note. */
struct reader {
    enum cgroup_read_result result;
    char *note;
    size_t notesz;
};

static void
reader_fail(struct reader *r, const char *path, int err)
{
    enum cgroup_read_result kind = CGROUP_READ_PARTIAL;

    if (err == ENOENT || err == ENODEV || err == ESRCH)
        kind = CGROUP_READ_GONE;
    else if (err == EACCES || err == EPERM)
        kind = CGROUP_READ_DENIED;
    if (r->result == CGROUP_READ_OK || kind == CGROUP_READ_GONE) {
        if (r->result != CGROUP_READ_GONE)
            snprintf(r->note, r->notesz, "%s: %s", path,
                     err ? strerror(err) : "malformed");
        r->result = kind;
    }
}

/* Reads path into out (NUL-ended); the length, or -1 with errno set. */
static ssize_t
read_small(const char *path, char *out, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return -1;
    do
        n = read(fd, out, cap - 1);
    while (n < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    errno = saved;
    if (n < 0)
        return -1;
    out[n] = '\0';
    return n;
}

/* Reads dir/name; the text in out, or NULL (and the reader told why). */
static const char *
read_file(struct reader *r, const char *dir,
          const char *name, char *out, size_t cap)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (read_small(path, out, cap) < 0) {
        reader_fail(r, path, errno);
        return NULL;
    }
    return out;
}

/* Same, but a missing file is not a problem (an optional feature such as
 * swap accounting or CFS bandwidth). */
static const char *
read_optional(struct reader *r, const char *dir,
              const char *name, char *out, size_t cap)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (read_small(path, out, cap) < 0) {
        if (errno != ENOENT)
            reader_fail(r, path, errno);
        return NULL;
    }
    return out;
}

/* One unsigned decimal (or "max"); false when the text is not one. */
static bool
parse_u64(const char *s, uint64_t *v)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    if (strncmp(s, "max", 3) == 0) {
        *v = UINT64_MAX;
        return true;
    }
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return errno == 0 && (*end == '\0' || *end == '\n' || *end == ' ');
}

/* The value of "key value" lines (memory.stat, cpu.stat, cpuacct.stat):
 * true with *v set when key is there. */
static bool
kv_get(const char *text, const char *key, uint64_t *v)
{
    size_t klen = strlen(key);

    for (const char *p = text; p && *p; ) {
        if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
            return parse_u64(p + klen + 1, v);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return false;
}

static bool
read_u64(struct reader *r, const char *dir, const char *name,
         uint64_t *v)
{
    char text[64];

    if (!read_file(r, dir, name, text, sizeof text))
        return false;
    if (!parse_u64(text, v)) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        reader_fail(r, path, 0);
        return false;
    }
    return true;
}

/* v1: cpuacct.usage (ns), cpuacct.stat (USER_HZ ticks), cpu.stat and the
 * CFS bandwidth files. */
static void
read_cpu_v1(struct reader *r, const struct cgroup_dirs *d,
            struct cgroup_stats *st)
{
    char text[SMALL_FILE_MAX];
    uint64_t v;

    if (d->cpuacct && read_u64(r, d->cpuacct, "cpuacct.usage", &v)) {
        st->has_cpu = true;
        st->cpu_usage_ns = v;
        if (read_file(r, d->cpuacct, "cpuacct.stat", text, sizeof text)) {
            long hz = sysconf(_SC_CLK_TCK);
            uint64_t scale = hz > 0 ? 1000000000ull / (uint64_t)hz
                                    : 10000000ull;
            if (kv_get(text, "user", &v))
                st->cpu_user_ns = v * scale;
            if (kv_get(text, "system", &v))
                st->cpu_system_ns = v * scale;
        }
    }
    if (!d->cpu)
        return;
    if (read_optional(r, d->cpu, "cpu.stat", text, sizeof text)
        && kv_get(text, "nr_periods", &st->cfs_periods)) {
        st->has_cfs = true;
        kv_get(text, "nr_throttled", &st->cfs_throttled_periods);
        kv_get(text, "throttled_time", &st->cfs_throttled_ns);
    }
    if (read_optional(r, d->cpu, "cpu.cfs_period_us", text, sizeof text)
        && parse_u64(text, &st->cpu_period_us)) {
        st->has_cpu_spec = true;
        /* -1 is "no quota"; cAdvisor leaves the quota at 0 then. */
        if (read_optional(r, d->cpu, "cpu.cfs_quota_us", text, sizeof text))
            st->cpu_quota_us = strtoll(text, NULL, 10) > 0
                             ? strtoll(text, NULL, 10) : 0;
    }
}

/* v2: cpu.stat (microseconds) and cpu.max ("quota period" or "max
 * period"). */
static void
read_cpu_v2(struct reader *r, const char *dir,
            struct cgroup_stats *st)
{
    char text[SMALL_FILE_MAX];
    uint64_t v;

    if (read_optional(r, dir, "cpu.stat", text, sizeof text)
        && kv_get(text, "usage_usec", &v)) {
        st->has_cpu = true;
        st->cpu_usage_ns = v * 1000;
        if (kv_get(text, "user_usec", &v))
            st->cpu_user_ns = v * 1000;
        if (kv_get(text, "system_usec", &v))
            st->cpu_system_ns = v * 1000;
        if (kv_get(text, "nr_periods", &st->cfs_periods)) {
            st->has_cfs = true;
            kv_get(text, "nr_throttled", &st->cfs_throttled_periods);
            if (kv_get(text, "throttled_usec", &v))
                st->cfs_throttled_ns = v * 1000;
        }
    }
    if (read_optional(r, dir, "cpu.max", text, sizeof text)) {
        const char *sp = strchr(text, ' ');
        uint64_t quota = 0;
        if (sp && parse_u64(sp + 1, &st->cpu_period_us)) {
            st->has_cpu_spec = true;
            if (parse_u64(text, &quota) && quota != UINT64_MAX)
                st->cpu_quota_us = (int64_t)quota;
        }
    }
}

/* The memory.stat keys that differ between v1 (hierarchical totals when
 * use_hierarchy is on) and v2. */
struct mem_keys {
    const char *cache, *rss, *swap, *mapped, *inactive, *active;
};

static const struct mem_keys mem_v1_total = {
    "total_cache", "total_rss", "total_swap", "total_mapped_file",
    "total_inactive_file", "total_active_file"
};
static const struct mem_keys mem_v1_flat = {
    "cache", "rss", "swap", "mapped_file",
    "total_inactive_file", "total_active_file"
};
static const struct mem_keys mem_v2 = {
    "file", "anon", NULL, "file_mapped", "inactive_file", "active_file"
};

/* The memory.stat values, and working set = usage - inactive file. */
static void
mem_from_stat(const char *text, const struct mem_keys *k,
              struct cgroup_stats *st)
{
    kv_get(text, k->cache, &st->mem_cache);
    kv_get(text, k->rss, &st->mem_rss);
    if (k->swap)
        kv_get(text, k->swap, &st->mem_swap);
    kv_get(text, k->mapped, &st->mem_mapped_file);
    kv_get(text, k->active, &st->mem_active_file);
    st->mem_working_set = st->mem_usage;
    if (kv_get(text, k->inactive, &st->mem_inactive_file))
        st->mem_working_set = st->mem_inactive_file > st->mem_usage
                            ? 0 : st->mem_usage - st->mem_inactive_file;
}

static void
read_memory_v1(struct reader *r, const char *dir,
               struct cgroup_stats *st)
{
    char text[SMALL_FILE_MAX];
    uint64_t hier = 1;

    if (!read_u64(r, dir, "memory.usage_in_bytes", &st->mem_usage))
        return;
    st->has_memory = true;
    read_u64(r, dir, "memory.max_usage_in_bytes", &st->mem_max_usage);
    read_u64(r, dir, "memory.failcnt", &st->mem_failcnt);
    if (read_u64(r, dir, "memory.limit_in_bytes", &st->mem_limit)
        && st->mem_limit > MAX_MEMORY_SIZE)
        st->mem_limit = 0;
    if (read_optional(r, dir, "memory.use_hierarchy", text, sizeof text))
        parse_u64(text, &hier);
    if (read_file(r, dir, "memory.stat", text, sizeof text))
        mem_from_stat(text, hier ? &mem_v1_total : &mem_v1_flat, st);
}

static void
read_memory_v2(struct reader *r, const char *dir,
               struct cgroup_stats *st)
{
    char text[SMALL_FILE_MAX];
    uint64_t v;

    /* The root of a v2 tree has no memory.current: nothing to show. */
    if (!read_optional(r, dir, "memory.current", text, sizeof text)
        || !parse_u64(text, &st->mem_usage))
        return;
    st->has_memory = true;
    if (read_optional(r, dir, "memory.peak", text, sizeof text))
        parse_u64(text, &st->mem_max_usage);
    if (read_optional(r, dir, "memory.max", text, sizeof text)
        && parse_u64(text, &v))
        st->mem_limit = v > MAX_MEMORY_SIZE ? 0 : v;
    if (read_optional(r, dir, "memory.events", text, sizeof text))
        kv_get(text, "max", &st->mem_failcnt);
    if (read_optional(r, dir, "memory.swap.current", text, sizeof text))
        parse_u64(text, &st->mem_swap);
    if (read_file(r, dir, "memory.stat", text, sizeof text))
        mem_from_stat(text, &mem_v2, st);
}

/* The device's slot in st, added when new; NULL when the table is full. */
static struct cgroup_dev_io *
dev_slot(struct cgroup_stats *st,
         unsigned major, unsigned minor)
{
    for (size_t i = 0; i < st->ndev; i++)
        if (st->dev[i].major == major && st->dev[i].minor == minor)
            return &st->dev[i];
    if (st->ndev == CGROUP_MAX_DEVICES)
        return NULL;
    st->dev[st->ndev] = (struct cgroup_dev_io){ .major = major,
                                                .minor = minor };
    return &st->dev[st->ndev++];
}

/* v1 blkio: "MAJ:MIN Read|Write|... N" lines. The CFQ file is empty
 * under other schedulers, so the throttle file is the fallback, as in
 * runc. */
static void
read_io_v1(struct reader *r, const char *dir,
           struct cgroup_stats *st)
{
    static const char *const files[] = {
        "blkio.io_service_bytes_recursive",
        "blkio.throttle.io_service_bytes_recursive",
    };
    char text[SMALL_FILE_MAX];

    for (size_t f = 0; f < 2 && st->ndev == 0; f++) {
        if (!read_optional(r, dir, files[f], text, sizeof text))
            continue;
        st->has_io = true;
        for (const char *p = text; *p; ) {
            unsigned ma, mi;
            char op[16];
            unsigned long long v;
            if (sscanf(p, "%u:%u %15s %llu", &ma, &mi, op, &v) == 4) {
                struct cgroup_dev_io *d = dev_slot(st, ma, mi);
                if (d && strcmp(op, "Read") == 0)
                    d->read_bytes = v;
                else if (d && strcmp(op, "Write") == 0)
                    d->write_bytes = v;
            }
            const char *nl = strchr(p, '\n');
            p = nl ? nl + 1 : p + strlen(p);
        }
    }
}

/* v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N ..." lines. */
static void
read_io_v2(struct reader *r, const char *dir,
           struct cgroup_stats *st)
{
    char text[SMALL_FILE_MAX];

    if (!read_optional(r, dir, "io.stat", text, sizeof text))
        return;
    st->has_io = true;
    for (char *line = text; *line; ) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        unsigned ma, mi;
        if (sscanf(line, "%u:%u", &ma, &mi) == 2) {
            struct cgroup_dev_io *d = dev_slot(st, ma, mi);
            const char *rb = strstr(line, " rbytes=");
            const char *wb = strstr(line, " wbytes=");
            if (d && rb)
                d->read_bytes = strtoull(rb + 8, NULL, 10);
            if (d && wb)
                d->write_bytes = strtoull(wb + 8, NULL, 10);
        }
        line = nl ? nl + 1 : line + strlen(line);
    }
}

/* cgroup.procs: the process count (this cgroup only, as cAdvisor counts)
 * and the first pid, whose network namespace is the container's. */
static void
read_procs(struct reader *r, const char *dir,
           struct cgroup_stats *st)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    FILE *f = fopen(path, "re");
    if (!f) {
        reader_fail(r, path, errno);
        return;
    }
    long pid;
    st->has_procs = true;
    while (fscanf(f, "%ld", &pid) == 1) {
        if (st->processes++ == 0)
            st->first_pid = (int)pid;
    }
    fclose(f);
}

size_t
cgroup_parse_net_dev(const char *text, struct cgroup_iface *ifaces,
                     size_t max)
{
    static const char *const skip[] = { "lo", "veth", "docker", "nerdctl" };
    size_t n = 0;

    for (const char *p = text; p && *p && n < max; ) {
        const char *colon = strchr(p, ':');
        const char *nl = strchr(p, '\n');
        if (colon && (!nl || colon < nl)) {
            while (*p == ' ')
                p++;
            struct cgroup_iface *f = &ifaces[n];
            size_t len = (size_t)(colon - p);
            bool skipped = len == 0 || len >= sizeof f->name;
            for (size_t i = 0; i < 4 && !skipped; i++)
                skipped = strncasecmp(p, skip[i], strlen(skip[i])) == 0;
            unsigned long long v[16];
            if (!skipped && sscanf(colon + 1,
                    "%llu %llu %llu %llu %llu %llu %llu %llu "
                    "%llu %llu %llu %llu %llu %llu %llu %llu",
                    &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                    &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14],
                    &v[15]) == 16) {
                memcpy(f->name, p, len);
                f->name[len] = '\0';
                f->rx_bytes = v[0];
                f->rx_packets = v[1];
                f->rx_errors = v[2];
                f->rx_dropped = v[3];
                f->tx_bytes = v[8];
                f->tx_packets = v[9];
                f->tx_errors = v[10];
                f->tx_dropped = v[11];
                n++;
            }
        }
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

/* The container's network counters, from its first process's view of
 * /proc/net/dev. A process that exits in between is no problem: the
 * container just shows no network this time. */
static void
read_net(const char *proc_root, struct cgroup_stats *st)
{
    char path[4096], text[SMALL_FILE_MAX];

    if (st->first_pid <= 0)
        return;
    snprintf(path, sizeof path, "%s/proc/%d/net/dev", proc_root,
             st->first_pid);
    if (read_small(path, text, sizeof text) < 0)
        return;
    st->has_net = true;
    st->niface = cgroup_parse_net_dev(text, st->iface, CGROUP_MAX_IFACES);
}

enum cgroup_read_result
cgroup_read(const struct cgroup_dirs *dirs,
            const char *proc_root,
            struct cgroup_stats *st,
            char *note, size_t notesz)
{
    struct reader r = { CGROUP_READ_OK, note, notesz };
    const char *procs_dir;

    memset(st, 0, sizeof *st);
    if (notesz)
        note[0] = '\0';
    if (dirs->v2) {
        read_cpu_v2(&r, dirs->unified, st);
        read_memory_v2(&r, dirs->unified, st);
        read_io_v2(&r, dirs->unified, st);
        procs_dir = dirs->unified;
    } else {
        read_cpu_v1(&r, dirs, st);
        if (dirs->memory)
            read_memory_v1(&r, dirs->memory, st);
        if (dirs->blkio)
            read_io_v1(&r, dirs->blkio, st);
        procs_dir = dirs->pids ? dirs->pids
                  : dirs->cpu ? dirs->cpu : dirs->memory;
    }
    if (procs_dir && r.result != CGROUP_READ_GONE)
        read_procs(&r, procs_dir, st);
    /* The folder's absence settles it: the container exited while its
     * files were read, and what was read is not worth showing. */
    struct stat sb;
    if (r.result == CGROUP_READ_GONE || !procs_dir
        || stat(procs_dir, &sb) < 0)
        return CGROUP_READ_GONE;
    st->start_time = (int64_t)sb.st_ctime;
    read_net(proc_root, st);
    return r.result;
}
