#!/bin/sh
# Captures the cgroup files promdeck's container collector reads from a
# live host into a folder laid out like the host's root, so a test can
# point the collector at it: sys/fs/cgroup (v1 controllers or v2), the
# net/dev of each cgroup's first process under proc/, and the block
# devices' uevent files under sys/dev/block. Only these files are copied;
# nothing else of the host is read.
#   sh capture-cgroups.sh OUTDIR [MAXDEPTH]
# Run it as root to read every file; files it cannot read are left out
# and counted on stderr.
set -eu
out=${1:?usage: capture-cgroups.sh OUTDIR [MAXDEPTH]}
depth=${2:-8}
files='cgroup.controllers cgroup.procs
cpu.stat cpu.max cpu.cfs_period_us cpu.cfs_quota_us cpu.shares cpu.weight
cpuacct.usage cpuacct.stat
memory.current memory.max memory.peak memory.stat memory.events
memory.swap.current memory.usage_in_bytes memory.max_usage_in_bytes
memory.limit_in_bytes memory.failcnt memory.use_hierarchy
io.stat blkio.io_service_bytes_recursive
blkio.throttle.io_service_bytes_recursive pids.current'
mkdir -p "$out"
find /sys/fs/cgroup -maxdepth "$depth" -type d 2>/dev/null | while read -r dir; do
    mkdir -p "$out$dir"
    for f in $files; do
        [ -e "$dir/$f" ] || continue
        if ! cat "$dir/$f" >"$out$dir/$f" 2>/dev/null; then
            rm -f "$out$dir/$f"
            echo "capture-cgroups: cannot read $dir/$f" >&2
        fi
    done
    if [ -s "$out$dir/cgroup.procs" ]; then
        pid=$(head -n 1 "$out$dir/cgroup.procs")
        if [ -r "/proc/$pid/net/dev" ] && [ ! -e "$out/proc/$pid/net/dev" ]; then
            mkdir -p "$out/proc/$pid/net"
            cat "/proc/$pid/net/dev" >"$out/proc/$pid/net/dev"
        fi
    fi
done
for dev in /sys/dev/block/*; do
    [ -r "$dev/uevent" ] || continue
    mkdir -p "$out$dev"
    cat "$dev/uevent" >"$out$dev/uevent"
done
# A capture is a snapshot: keep the symlinks v1 hosts have (cpu ->
# cpu,cpuacct) as they were.
for link in /sys/fs/cgroup/*; do
    [ -L "$link" ] && ln -sfn "$(readlink "$link")" "$out$link"
done
echo "capture-cgroups: captured $(find "$out" -type f | wc -l) files into $out"
