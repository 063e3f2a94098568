#!/bin/sh
# Captures this host's kernel files the node collector reads into a
# fixture tree for tests/test_collect_node.c, and what the real
# node_exporter 1.5 makes of that same tree (its --path.procfs and
# --path.sysfs pointed at it) as the expected answer.
#
#   sh tests/collect_capture.sh DIR [NODE_EXPORTER]
#   sh tests/collect_capture.sh --answer DIR [NODE_EXPORTER]
#
# DIR gets proc/, sys/ and run/udev/data/ (only the files the collector
# reads; the mount table becomes proc/1/mounts) and node_exporter.prom.
# --answer leaves the tree as it is (after editing it by hand) and asks
# node_exporter again. Mounts are not
# statfs'd under a fixture root by node_exporter (it asks the live /), so
# filesystem values are left out of the answer, as are time and uname,
# which come from syscalls.
set -eu
answer_only=
if [ "${1:-}" = --answer ]; then
    answer_only=1
    shift
fi
dir=${1:?usage: collect_capture.sh [--answer] DIR [NODE_EXPORTER]}
ne=${2:-/usr/bin/prometheus-node-exporter}

capture() {
mkdir -p "$dir/proc/1" "$dir/proc/net" "$dir/proc/sys/kernel"
for f in stat loadavg meminfo diskstats; do
    cat "/proc/$f" >"$dir/proc/$f"
done
cat /proc/net/dev >"$dir/proc/net/dev"
cat /proc/1/mounts >"$dir/proc/1/mounts"
for f in hostname ostype osrelease version domainname; do
    cat "/proc/sys/kernel/$f" >"$dir/proc/sys/kernel/$f"
done
if [ -d /proc/pressure ]; then
    mkdir -p "$dir/proc/pressure"
    for f in cpu io memory; do
        cat "/proc/pressure/$f" >"$dir/proc/pressure/$f"
    done
fi
cs=/sys/devices/system/clocksource/clocksource0
if [ -d "$cs" ]; then
    mkdir -p "$dir$cs"
    cat "$cs/available_clocksource" >"$dir$cs/available_clocksource"
    cat "$cs/current_clocksource" >"$dir$cs/current_clocksource"
fi
# udev's record of each block device, where udev runs.
if [ -d /run/udev/data ]; then
    mkdir -p "$dir/run/udev/data"
    for f in /run/udev/data/b*; do
        [ -f "$f" ] && cat "$f" >"$dir/run/udev/data/${f##*/}"
    done
fi
}
[ -n "$answer_only" ] || capture

# node_exporter on the tree, on a free loopback port, read once.
port=$(python3 -c 'import socket; s = socket.socket();
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ne" --web.listen-address=127.0.0.1:$port --path.procfs="$dir/proc" \
    --path.sysfs="$dir/sys" --path.udev.data="$dir/run/udev/data" \
    --collector.disable-defaults \
    --collector.cpu --collector.stat --collector.loadavg \
    --collector.meminfo --collector.pressure --collector.diskstats \
    --collector.netdev --no-collector.netdev.netlink \
    --collector.netdev.device-exclude= >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
i=0
until curl -sf --noproxy '*' -o "$dir/node_exporter.prom" \
        "http://127.0.0.1:$port/metrics"; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "node_exporter did not answer" >&2; exit 1; }
    sleep 0.1
done
# Its own process and Go runtime series say nothing about the tree.
grep -v '^# \(HELP\|TYPE\) \(go\|process\|promhttp\)_\|^\(go\|process\|promhttp\)_' \
    "$dir/node_exporter.prom" >"$dir/node_exporter.prom.new"
mv "$dir/node_exporter.prom.new" "$dir/node_exporter.prom"
