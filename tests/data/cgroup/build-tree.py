#!/usr/bin/env python3
"""Builds a cgroup tree in the kernel's documented file formats, for the
collector's tests and benchmark where no live host with that layout can be
captured: cgroup v2 (Documentation/admin-guide/cgroup-v2.rst) or v1 (the
cpu, cpuacct, memory, blkio and pids controller documents), with
containers under the layouts Docker, Podman and containerd create.

    build-tree.py OUT v1|v2 [N]

Without N it writes the small fixed trees the unit tests read (v1-docker,
v2-systemd); with N it writes N Docker containers with made-up but
consistent numbers (the 200-container benchmark tree). The values of the
fixed trees are chosen by hand so that each conversion the collector does
(microseconds, ticks, working set, "max", -1) has a distinct answer.
"""
import os
import sys


def put(root, path, text):
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


def cid(n):
    return ("%02x" % n) * 32


def net_dev(rx, tx):
    head = ("Inter-|   Receive                                                |"
            "  Transmit\n face |bytes    packets errs drop fifo frame "
            "compressed multicast|bytes    packets errs drop fifo colls "
            "carrier compressed\n")
    line = "%6s: %d %d %d %d 0 0 0 0 %d %d %d %d 0 0 0 0\n"
    return (head + line % ("lo", 500, 5, 0, 0, 500, 5, 0, 0)
            + line % ("eth0", rx, rx // 1000, 1, 2, tx, tx // 1000, 3, 4))


def v2_container(root, path, pid, usage_us, quota, mem, mem_max, swap):
    d = "/sys/fs/cgroup" + path
    put(root, d + "/cgroup.procs", "%d\n%d\n" % (pid, pid + 1))
    put(root, d + "/cpu.stat",
        "usage_usec %d\nuser_usec %d\nsystem_usec %d\nnr_periods 40\n"
        "nr_throttled 4\nthrottled_usec 2500\n"
        % (usage_us, usage_us * 3 // 4, usage_us // 4))
    put(root, d + "/cpu.max", "%s 100000\n" % quota)
    put(root, d + "/memory.current", "%d\n" % mem)
    put(root, d + "/memory.max", "%s\n" % mem_max)
    put(root, d + "/memory.swap.current", "%d\n" % swap)
    put(root, d + "/memory.events", "low 0\nhigh 0\nmax 3\noom 0\n"
        "oom_kill 0\n")
    put(root, d + "/memory.stat",
        "anon %d\nfile %d\nkernel_stack 16384\nfile_mapped %d\n"
        "inactive_anon 0\nactive_anon %d\ninactive_file %d\n"
        "active_file %d\nunevictable 0\n"
        % (mem // 2, mem // 4, mem // 16, mem // 2, mem // 8, mem // 8))
    put(root, d + "/io.stat",
        "8:0 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 "
        "dios=0\n")
    put(root, "/proc/%d/net/dev" % pid, net_dev(usage_us * 10, usage_us))


def v2_fixed(root):
    put(root, "/sys/fs/cgroup/cgroup.controllers",
        "cpuset cpu io memory hugetlb pids rdma misc\n")
    put(root, "/sys/fs/cgroup/cgroup.procs", "1\n")
    put(root, "/sys/fs/cgroup/cpu.stat",
        "usage_usec 987654321\nuser_usec 600000000\n"
        "system_usec 387654321\n")
    put(root, "/proc/1/net/dev", net_dev(1000000, 2000000))
    # Docker with the systemd cgroup driver, 0.5 CPU and 256 MiB.
    v2_container(root, "/system.slice/docker-%s.scope" % cid(0xa1), 101,
                 2500000, "50000", 104857600, 268435456, 4096)
    # Podman, no limits; its conmon scope is not a container.
    v2_container(root, "/machine.slice/libpod-%s.scope" % cid(0xb2), 201,
                 1000000, "max", 52428800, "max", 0)
    put(root, "/sys/fs/cgroup/machine.slice/libpod-conmon-%s.scope/"
        "cgroup.procs" % cid(0xb2), "200\n")
    # containerd under a Kubernetes pod.
    v2_container(root, "/kubepods.slice/kubepods-burstable.slice/"
                 "kubepods-burstable-pod0123.slice/cri-containerd-%s.scope"
                 % cid(0xc3), 301, 300000, "max", 8388608, "max", 0)
    # A plain service: not a container.
    put(root, "/sys/fs/cgroup/system.slice/ssh.service/cgroup.procs", "50\n")
    put(root, "/sys/dev/block/8:0/uevent",
        "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n")


def v1_container(root, path, pid, usage_ns, quota, mem, limit):
    cg = "/sys/fs/cgroup/"
    put(root, cg + "cpuacct" + path + "/cpuacct.usage", "%d\n" % usage_ns)
    put(root, cg + "cpuacct" + path + "/cpuacct.stat",
        "user %d\nsystem %d\n" % (usage_ns // 10000000 * 3 // 4,
                                  usage_ns // 10000000 // 4))
    put(root, cg + "cpuacct" + path + "/cgroup.procs", "%d\n" % pid)
    put(root, cg + "cpu" + path + "/cpu.stat",
        "nr_periods 20\nnr_throttled 5\nthrottled_time 7000000\n")
    put(root, cg + "cpu" + path + "/cpu.cfs_period_us", "100000\n")
    put(root, cg + "cpu" + path + "/cpu.cfs_quota_us", "%d\n" % quota)
    put(root, cg + "cpu" + path + "/cgroup.procs", "%d\n" % pid)
    m = cg + "memory" + path
    put(root, m + "/memory.usage_in_bytes", "%d\n" % mem)
    put(root, m + "/memory.max_usage_in_bytes", "%d\n" % (mem * 2))
    put(root, m + "/memory.limit_in_bytes", "%d\n" % limit)
    put(root, m + "/memory.failcnt", "0\n")
    put(root, m + "/memory.use_hierarchy", "1\n")
    put(root, m + "/memory.stat",
        "cache %d\nrss %d\nmapped_file 0\nswap 0\ninactive_file 0\n"
        "active_file 0\ntotal_cache %d\ntotal_rss %d\ntotal_mapped_file %d\n"
        "total_swap %d\ntotal_inactive_anon 0\ntotal_active_anon %d\n"
        "total_inactive_file %d\ntotal_active_file %d\n"
        % (mem // 4, mem // 2, mem // 4, mem // 2, mem // 32, mem // 64,
           mem // 2, mem // 8, mem // 8))
    put(root, m + "/cgroup.procs", "%d\n" % pid)
    b = cg + "blkio" + path
    put(root, b + "/blkio.io_service_bytes_recursive", "Total 0\n")
    put(root, b + "/blkio.throttle.io_service_bytes_recursive",
        "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 12288\n8:0 Async 0\n"
        "8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n")
    put(root, cg + "pids" + path + "/cgroup.procs", "%d\n" % pid)
    put(root, "/proc/%d/net/dev" % pid, net_dev(usage_ns // 100,
                                                usage_ns // 1000))


def v1_fixed(root):
    cg = "/sys/fs/cgroup/"
    put(root, cg + "cpuacct/cpuacct.usage", "5000000000000\n")
    put(root, cg + "cpuacct/cpuacct.stat", "user 300000\nsystem 200000\n")
    put(root, cg + "cpuacct/cgroup.procs", "1\n")
    put(root, cg + "memory/memory.usage_in_bytes", "4294967296\n")
    put(root, cg + "memory/memory.limit_in_bytes", "9223372036854771712\n")
    put(root, cg + "memory/memory.max_usage_in_bytes", "5000000000\n")
    put(root, cg + "memory/memory.failcnt", "0\n")
    put(root, cg + "memory/memory.stat",
        "total_cache 1073741824\ntotal_rss 2147483648\n"
        "total_inactive_file 536870912\n")
    put(root, "/proc/1/net/dev", net_dev(1000000, 2000000))
    # Docker with the cgroupfs driver: 1.5 CPU, 512 MiB.
    v1_container(root, "/docker/" + cid(0xd4), 401, 3000000000, 150000,
                 209715200, 536870912)
    # Docker with the systemd driver: no quota, no limit.
    v1_container(root, "/system.slice/docker-%s.scope" % cid(0xe5), 501,
                 1500000000, -1, 104857600, 9223372036854771712)
    put(root, "/sys/dev/block/8:0/uevent",
        "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n")


def many(root, kind, n):
    if kind == "v2":
        put(root, "/sys/fs/cgroup/cgroup.controllers", "cpu io memory pids\n")
    for i in range(n):
        ident = "%064x" % (0x1000 + i)
        pid = 1000 + i
        if kind == "v2":
            v2_container(root, "/system.slice/docker-%s.scope" % ident, pid,
                         1000000 + i, "max", 1048576 * (i + 1), "max", 0)
        else:
            v1_container(root, "/docker/" + ident, pid, 10 ** 9 + i, -1,
                         1048576 * (i + 1), 9223372036854771712)
    put(root, "/sys/dev/block/8:0/uevent", "MAJOR=8\nMINOR=0\nDEVNAME=sda\n")


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[2] not in ("v1", "v2"):
        sys.exit("usage: build-tree.py OUT v1|v2 [N]")
    out, kind = sys.argv[1], sys.argv[2]
    if len(sys.argv) == 4:
        many(out, kind, int(sys.argv[3]))
    elif kind == "v2":
        v2_fixed(out)
    else:
        v1_fixed(out)


main()
