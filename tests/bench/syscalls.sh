#!/bin/sh
# What one scrape costs the process that scrapes: promdeck's TUI (200x50
# in tmux) scrapes a small target farm (every second by default), and
# this prints its CPU per scrape (from /proc, SECONDS seconds untraced),
# then its system calls per second and per scrape (strace -c, SECONDS
# more seconds, by call). Small on purpose: it runs beside other work
# and says how the loop waits, not how far it scales (scale.sh does
# that). Per scrape means per target and interval. INTERVAL=S scrapes
# every S seconds (default 1); SETTLE=S waits S seconds before measuring
# (default 15; past 60 libcurl has dropped the first connections' DNS
# entries, as in a long run); SLOW=MS delays each answer by MS, so that
# transfers are in flight across passes of the loop, as with a large
# farm; PROMDECK names another binary to measure.
#
#   sh tests/bench/syscalls.sh [COUNT [SERIES [SECONDS]]]
count=${1:-20} series=${2:-36} secs=${3:-20} slow=${SLOW:-0}
interval=${INTERVAL:-1} settle=${SETTLE:-15}
build=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
promdeck=${PROMDECK:-$(cd "$here/../.." && pwd)/$build/promdeck}
bench=syscalls
# shellcheck source=tests/bench/farm.sh
. "$here/farm.sh"

[ -x "$promdeck" ] || { echo "syscalls: build promdeck first"; exit 1; }
needs tmux strace
farm_ports 29000 "$count" 32000
# The farm stops by itself a little after the run.
farm_start --count "$count" --series-per-target "$series" \
    --scrape-interval "${interval}s" --slow "$slow" \
    --duration $((settle + secs * 2 + 45))
promdeck_start "$promdeck --config $dir/prom.yml"
# The first scrapes, the first frames and the heap settle first.
sleep "$settle"

# Nanoseconds on a CPU, all threads: finer than /proc's clock ticks.
cpu_ns() {
    cat /proc/"$1"/task/*/schedstat |
        awk '{ n += $1 } END { printf "%.0f\n", n }'
}
c0=$(cpu_ns "$pd")
sleep "$secs"
c1=$(cpu_ns "$pd")
scrapes=$((count * secs / interval))
echo "syscalls: $count targets x ~$((series + 64)) series," \
     "every ${interval}s, answers delayed ${slow} ms;" \
     "after ${settle} s, $secs s untraced, then $secs s traced"
awk -v c=$((c1 - c0)) -v s="$secs" -v n="$scrapes" 'BEGIN {
    printf "cpu: %.2f%% of a core, %.3f ms per scrape\n",
           100 * c / 1e9 / s, c / 1e6 / n }'

timeout -s INT "$secs" strace -c -f -p "$pd" -o "$dir/strace.out" \
    2>/dev/null
awk -v s="$secs" -v n="$scrapes" '
    $1 ~ /^[0-9.]+$/ && NF >= 5 {
        name = $NF; calls = $4
        if (name == "total") total = calls
        else printf "  %-16s %8.1f/s %6.2f/scrape\n", name, calls / s,
                    calls / n
    }
    END { printf "syscalls: %.1f/s, %.2f per scrape\n", total / s,
                 total / n }' "$dir/strace.out"
