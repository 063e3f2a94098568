/*
 * /proc/stat, /proc/loadavg, /proc/meminfo and /proc/pressure as
 * node_exporter 1.5 exposes them (its cpu, stat, loadavg, meminfo and
 * pressure collectors). Ticks become seconds by USER_HZ, kB become bytes;
 * names and help texts are node_exporter's, so its dashboards and rules
 * work unchanged. Besides /proc it reads only the kernel's list of
 * isolated cpus (no cpufreq, no cpuinfo).
 */
#include "src/collect/node_proc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "src/collect/collect.h"

/* The modes of node_cpu_seconds_total, in /proc/stat's column order;
 * guest and guest_nice (columns 8, 9) go to node_cpu_guest_seconds_total. */
static const char *const cpu_modes[] = {
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal",
};

/* The single-number lines of /proc/stat node_exporter's stat collector
 * exposes: key, metric, help, type. */
static const struct {
    const char *key, *name, *help, *type;
} stat_lines[] = {
    { "intr", "node_intr_total", "Total number of interrupts serviced.",
      "counter" },
    { "ctxt", "node_context_switches_total",
      "Total number of context switches.", "counter" },
    { "processes", "node_forks_total", "Total number of forks.",
      "counter" },
    { "btime", "node_boot_time_seconds", "Node boot time, in unixtime.",
      "gauge" },
    { "procs_running", "node_procs_running",
      "Number of processes in runnable state.", "gauge" },
    { "procs_blocked", "node_procs_blocked",
      "Number of processes blocked waiting for I/O to complete.", "gauge" },
};
#define NSTAT (sizeof(stat_lines) / sizeof(stat_lines[0]))

/* Makes room for cpu id in the kept seconds (new cpus start at 0). */
static void
cpu_grow(struct node_state *s, size_t ncpu)
{
    if (ncpu <= s->ncpu_last)
        return;
    s->cpu_last = xreallocarray(s->cpu_last, ncpu * NODE_CPU_COLS,
                                sizeof(double));
    memset(s->cpu_last + s->ncpu_last * NODE_CPU_COLS, 0,
           (ncpu - s->ncpu_last) * NODE_CPU_COLS * sizeof(double));
    s->ncpu_last = ncpu;
}

/*
 * "cpuN user nice system idle iowait irq softirq steal guest guest_nice"
 * in ticks; missing trailing columns (old kernels) count as 0. A column
 * that went backwards keeps its last value, as node_exporter's
 * updateCPUStats does, unless idle fell by 3 s or more: then the cpu was
 * unplugged and replugged and it starts again from the new values.
 */
static void
cpu_line(struct node_state *s, size_t id, char **f, int n)
{
    double v[NODE_CPU_COLS] = { 0 }, *last;

    cpu_grow(s, id + 1);
    for (int i = 1; i < n && i <= NODE_CPU_COLS; i++)
        if (collect_number(f[i], &v[i - 1]) == 0)
            v[i - 1] /= s->clk_tck;
    last = s->cpu_last + id * NODE_CPU_COLS;
    if (last[3] - v[3] >= 3.0)
        memset(last, 0, NODE_CPU_COLS * sizeof(double));
    for (int i = 0; i < NODE_CPU_COLS; i++)
        if (v[i] >= last[i])
            last[i] = v[i];
}

/* The N of a "cpuN" word; -1 for "cpu" (the sum) or anything else. */
static long
cpu_id(const char *word)
{
    char *end;
    long id;

    if (strncmp(word, "cpu", 3) != 0 || word[3] < '0' || word[3] > '9')
        return -1;
    id = strtol(word + 3, &end, 10);
    return *end == '\0' && id <= 65535 ? id : -1;
}

static void
write_cpus(const struct node_state *s, const bool *seen, size_t ncpu,
           struct buf *out)
{
    char id[24];

    collect_family(out, "node_cpu_seconds_total",
                   "Seconds the CPUs spent in each mode.", "counter");
    for (size_t c = 0; c < ncpu; c++) {
        snprintf(id, sizeof(id), "%zu", c);
        for (size_t m = 0; m < 8 && seen[c]; m++) {
            const char *lv[] = { "cpu", id, "mode", cpu_modes[m], NULL };

            collect_sample(out, "node_cpu_seconds_total", lv,
                           s->cpu_last[c * NODE_CPU_COLS + m]);
        }
    }
    collect_family(out, "node_cpu_guest_seconds_total",
                   "Seconds the CPUs spent in guests (VMs) for each mode.",
                   "counter");
    for (size_t c = 0; c < ncpu; c++) {
        snprintf(id, sizeof(id), "%zu", c);
        for (size_t m = 0; m < 2 && seen[c]; m++) {
            const char *lv[] = { "cpu", id, "mode", m ? "nice" : "user",
                                 NULL };

            collect_sample(out, "node_cpu_guest_seconds_total", lv,
                           s->cpu_last[c * NODE_CPU_COLS + 8 + m]);
        }
    }
}

/*
 * node_cpu_isolated{cpu} 1 for each cpu in /sys/devices/system/cpu/
 * isolated, a cpu list ("1-3,5"; empty when none is isolated). As in
 * node_exporter, a kernel without the file has no such series; a list
 * that does not parse is left out too, with a note.
 *
 * cpulist = [ range { "," range } ] "\n"; range = N [ "-" N ]
 */
static void
write_isolated(struct node_state *s, struct buf *out, char *err,
               size_t errsz)
{
    char note[128], id[24], *p, *end;
    size_t start = out->len;
    bool any = false;
    long lo, hi;

    if (collect_read(s->root, "/sys/devices/system/cpu/isolated", &s->file,
                     note, sizeof(note)) < 0)
        return;
    for (p = s->file.data; *p != '\0' && *p != '\n'; p = end) {
        lo = hi = strtol(p, &end, 10);
        if (end != p && *end == '-')
            hi = strtol(p = end + 1, &end, 10);
        if (end == p || lo < 0 || hi < lo || hi > 65535
            || (*end != ',' && *end != '\n' && *end != '\0')) {
            out->len = start;
            snprintf(err, errsz, "/sys/devices/system/cpu/isolated: "
                     "expected a cpu list");
            return;
        }
        if (*end == ',')
            end++;
        for (long c = lo; c <= hi; c++) {
            const char *lv[] = { "cpu", id, NULL };

            if (!any)
                collect_family(out, "node_cpu_isolated", "Whether each "
                               "core is isolated, information from "
                               "/sys/devices/system/cpu/isolated.",
                               "gauge");
            any = true;
            snprintf(id, sizeof(id), "%ld", c);
            collect_sample(out, "node_cpu_isolated", lv, 1);
        }
    }
}

int
node_proc_stat(struct node_state *s, struct buf *out, char *err,
               size_t errsz)
{
    double vals[NSTAT];
    bool have[NSTAT] = { false }, *seen = NULL;
    size_t ncpu = 0;
    char *p, *f[NODE_CPU_COLS + 1];
    int n;

    if (collect_read(s->root, "/proc/stat", &s->file, err, errsz) < 0)
        return -1;
    p = s->file.data != NULL ? s->file.data : "";
    while ((n = collect_fields(&p, f, NODE_CPU_COLS + 1)) >= 0) {
        long id = n >= 2 ? cpu_id(f[0]) : -1;

        if (id >= 0) {
            if ((size_t)id + 1 > ncpu) {
                seen = xreallocarray(seen, (size_t)id + 1, sizeof(*seen));
                memset(seen + ncpu, 0, ((size_t)id + 1 - ncpu)
                       * sizeof(*seen));
                ncpu = (size_t)id + 1;
            }
            cpu_line(s, (size_t)id, f, n);
            seen[id] = true;
            continue;
        }
        for (size_t i = 0; n >= 2 && i < NSTAT; i++)
            if (strcmp(f[0], stat_lines[i].key) == 0)
                have[i] = collect_number(f[1], &vals[i]) == 0;
    }
    if (ncpu == 0 && !have[0]) {
        snprintf(err, errsz, "/proc/stat: no cpu lines");
        free(seen);
        return -1;
    }
    write_cpus(s, seen, ncpu, out);
    free(seen);
    write_isolated(s, out, err, errsz);
    for (size_t i = 0; i < NSTAT; i++) {
        if (!have[i])
            continue;
        collect_family(out, stat_lines[i].name, stat_lines[i].help,
                       stat_lines[i].type);
        collect_sample(out, stat_lines[i].name, NULL, vals[i]);
    }
    return 0;
}

int
node_proc_loadavg(struct node_state *s, struct buf *out, char *err,
                  size_t errsz)
{
    static const char *const names[] = { "node_load1", "node_load5",
                                         "node_load15" };
    static const char *const helps[] = { "1m load average.",
                                         "5m load average.",
                                         "15m load average." };
    char *p, *f[5];
    double v[3];

    if (collect_read(s->root, "/proc/loadavg", &s->file, err, errsz) < 0)
        return -1;
    p = s->file.data != NULL ? s->file.data : "";
    if (collect_fields(&p, f, 5) < 3 || collect_number(f[0], &v[0]) < 0
        || collect_number(f[1], &v[1]) < 0
        || collect_number(f[2], &v[2]) < 0) {
        snprintf(err, errsz, "/proc/loadavg: unexpected format");
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        collect_family(out, names[i], helps[i], "gauge");
        collect_sample(out, names[i], NULL, v[i]);
    }
    return 0;
}

/*
 * A meminfo key as node_exporter names it: "Active(anon):" becomes
 * "Active_anon" (the parentheses' content after an underscore), and a
 * value with a unit (always kB) gets "_bytes". Other characters that a
 * metric name cannot hold become '_'.
 */
static void
meminfo_name(const char *key, bool bytes, char *out, size_t size)
{
    size_t o = 0, klen = strlen(key);

    if (klen > 0 && key[klen - 1] == ':')
        klen--;
    o = (size_t)snprintf(out, size, "node_memory_");
    for (size_t i = 0; i < klen && o + 1 < size; i++) {
        char c = key[i];

        if (c == ')')
            continue;
        if (c == '(')
            c = '_';
        else if (!(c == '_' || (c >= 'a' && c <= 'z')
                   || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            c = '_';
        out[o++] = c;
    }
    out[o] = '\0';
    if (bytes)
        snprintf(out + o, size - o, "_bytes");
}

/* "Key:   value [kB]" lines; blank lines are skipped, as node_exporter
 * does for a kernel that printed some. */
int
node_proc_meminfo(struct node_state *s, struct buf *out, char *err,
                  size_t errsz)
{
    char *p, *f[3], name[128], help[160];
    double v;
    int n, written = 0;

    if (collect_read(s->root, "/proc/meminfo", &s->file, err, errsz) < 0)
        return -1;
    p = s->file.data != NULL ? s->file.data : "";
    while ((n = collect_fields(&p, f, 3)) >= 0) {
        if (n == 0)
            continue;
        if (n == 1 || collect_number(f[1], &v) < 0) {
            snprintf(err, errsz, "/proc/meminfo: bad line '%.60s'", f[0]);
            return -1;
        }
        if (n == 3)
            v *= 1024;
        meminfo_name(f[0], n == 3, name, sizeof(name));
        snprintf(help, sizeof(help), "Memory information field %s.",
                 name + strlen("node_memory_"));
        collect_family(out, name, help, "gauge");
        collect_sample(out, name, NULL, v);
        written++;
    }
    if (written == 0) {
        snprintf(err, errsz, "/proc/meminfo: empty");
        return -1;
    }
    return 0;
}

/* The "total=" microseconds of the some or full line of a pressure file;
 * -1 when that line is not there. */
static int
pressure_total(const char *text, const char *kind, double *secs)
{
    const char *line = text, *t;
    size_t klen = strlen(kind);

    for (; line != NULL && *line != '\0'; line = strchr(line, '\n')) {
        if (*line == '\n')
            line++;
        if (strncmp(line, kind, klen) != 0 || line[klen] != ' ')
            continue;
        t = strstr(line, "total=");
        if (t == NULL)
            return -1;
        *secs = strtod(t + 6, NULL) / 1e6;
        return 0;
    }
    return -1;
}

/* The families of one resource: its "some" line always, its "full" line
 * for io and memory (node_exporter 1.5 leaves cpu's full out). */
static const struct {
    const char *res, *kind, *name, *help;
} psi[] = {
    { "cpu", "some", "node_pressure_cpu_waiting_seconds_total",
      "Total time in seconds that processes have waited for CPU time" },
    { "io", "some", "node_pressure_io_waiting_seconds_total",
      "Total time in seconds that processes have waited due to IO "
      "congestion" },
    { "io", "full", "node_pressure_io_stalled_seconds_total",
      "Total time in seconds no process could make progress due to IO "
      "congestion" },
    { "memory", "some", "node_pressure_memory_waiting_seconds_total",
      "Total time in seconds that processes have waited for memory" },
    { "memory", "full", "node_pressure_memory_stalled_seconds_total",
      "Total time in seconds no process could make progress due to memory "
      "congestion" },
};

/*
 * Like node_exporter, all or nothing: a kernel without PSI (no
 * /proc/pressure, or EOPNOTSUPP without psi=1) has no pressure families
 * and that is no error; any other failure is.
 */
int
node_proc_pressure(struct node_state *s, struct buf *out, char *err,
                   size_t errsz)
{
    size_t start = out->len;
    char path[64];
    double v;

    for (size_t i = 0; i < sizeof(psi) / sizeof(psi[0]); i++) {
        if (i == 0 || strcmp(psi[i].res, psi[i - 1].res) != 0) {
            snprintf(path, sizeof(path), "/proc/pressure/%s", psi[i].res);
            if (collect_read(s->root, path, &s->file, err, errsz) < 0) {
                out->len = start;
                if (errno == ENOENT || errno == EOPNOTSUPP) {
                    err[0] = '\0';
                    return 1;
                }
                return -1;
            }
        }
        if (pressure_total(s->file.data != NULL ? s->file.data : "",
                           psi[i].kind, &v) < 0)
            continue;
        collect_family(out, psi[i].name, psi[i].help, "counter");
        collect_sample(out, psi[i].name, NULL, v);
    }
    if (out->data != NULL)
        out->data[out->len] = '\0';
    return 0;
}
