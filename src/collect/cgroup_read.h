/*
 * One cgroup's usage, read from the kernel's control files the way
 * cAdvisor's libcontainer handler reads them: cgroup v1 (a folder per
 * controller: cpu, cpuacct, memory, blkio, pids) or v2 (one unified
 * folder). It converts units (ticks, microseconds) to nanoseconds and
 * bytes, and knows nothing of containers, names or exposition.
 *
 * Ownership: everything here is plain values in caller-owned structs;
 * paths are borrowed for the call.
 */
#ifndef COLLECT_CGROUP_READ_H
#define COLLECT_CGROUP_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Block devices per cgroup whose bytes are kept; more are dropped. */
#define CGROUP_MAX_DEVICES 16
/* Network interfaces per container network namespace that are kept. */
#define CGROUP_MAX_IFACES 16

struct cgroup_dev_io {
    unsigned major, minor;
    uint64_t read_bytes, write_bytes;
};

struct cgroup_iface {
    char name[32];
    uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
    uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
};

/* What one cgroup gave. The has_* flags say which groups of files were
 * read; values of an unread group are zero and are not exposed. */
struct cgroup_stats {
    bool has_cpu;
    uint64_t cpu_usage_ns, cpu_user_ns, cpu_system_ns;
    bool has_cfs;
    uint64_t cfs_periods, cfs_throttled_periods, cfs_throttled_ns;
    bool has_cpu_spec;
    int64_t cpu_quota_us;           /* 0: no quota (cAdvisor's convention) */
    uint64_t cpu_period_us;
    bool has_memory;
    uint64_t mem_usage, mem_max_usage, mem_failcnt;
    uint64_t mem_cache, mem_rss, mem_swap, mem_mapped_file;
    uint64_t mem_working_set, mem_inactive_file, mem_active_file;
    uint64_t mem_limit;             /* 0: none (cAdvisor's convention) */
    bool has_io;
    struct cgroup_dev_io dev[CGROUP_MAX_DEVICES];
    size_t ndev;
    bool has_procs;
    uint64_t processes;
    int first_pid;                  /* 0 when the cgroup has no process */
    bool has_net;
    struct cgroup_iface iface[CGROUP_MAX_IFACES];
    size_t niface;
    int64_t start_time;             /* seconds since the epoch, or 0 */
};

/* Where a cgroup's files are: v2 names one folder; v1 one per controller
 * (NULL when that controller is not mounted). Paths are complete. */
struct cgroup_dirs {
    bool v2;
    const char *unified;
    const char *cpu, *cpuacct, *memory, *blkio, *pids;
};

/* Why a read came out short. */
enum cgroup_read_result {
    CGROUP_READ_OK,
    CGROUP_READ_GONE,       /* the cgroup vanished: its container exited */
    CGROUP_READ_DENIED,     /* some file could not be read: permission */
    CGROUP_READ_PARTIAL     /* some file was unreadable or malformed */
};

/*
 * Reads the cgroup's files into st (zeroed first). proc_root is the
 * folder that holds "proc" ("" for the live /proc), for the network
 * namespace of the cgroup's first process. On DENIED and PARTIAL, what
 * could be read is in st and note (notesz bytes) names the first file
 * that could not, with the reason.
 */
enum cgroup_read_result cgroup_read(const struct cgroup_dirs *dirs,
                                    const char *proc_root,
                                    struct cgroup_stats *st,
                                    char *note, size_t notesz);

/*
 * Parses /proc/PID/net/dev text into ifaces, skipping the interfaces
 * cAdvisor skips (lo, veth*, docker*, nerdctl*). Returns how many it
 * stored (at most max).
 */
size_t cgroup_parse_net_dev(const char *text, struct cgroup_iface *ifaces,
                            size_t max);

#endif
