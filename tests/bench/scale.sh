#!/bin/sh
# The scale benchmark: promdeck's TUI and the Debian Prometheus scrape the
# same target farm from the same prometheus.yml, side by side, and every
# minute this prints each one's resident memory and CPU (share of one core
# over that minute) and promdeck's ratio to Prometheus. At the end it
# measures how long a key takes to change the screen while the panels
# refresh: it sends Tab (the next view) PRESSES (50) times and polls the tmux
# pane until the screen differs. Nothing here passes or fails.
#
#   sh tests/bench/scale.sh COUNT SERIES INTERVAL MINUTES [RETENTION]
#
# COUNT targets with SERIES synthetic series each (plus about 64 of their
# own), scraped every INTERVAL, for MINUTES minutes; promdeck keeps
# RETENTION of history (1h by default). The TUI runs at 200x50 on the
# built-in overview, refreshing every second.
set -u
count=${1:-200} series=${2:-1000} interval=${3:-5s} minutes=${4:-5}
retention=${5:-1h}
presses=${PRESSES:-50}
build=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
promdeck=$(cd "$here/../.." && pwd)/$build/promdeck
bench=scale
# shellcheck source=tests/bench/farm.sh
. "$here/farm.sh"
prom=""

[ -x "$promdeck" ] || { echo "scale: build promdeck first"; exit 1; }
needs tmux

# The farm serves for the whole run and a little more, then stops itself.
# Ports base .. base + COUNT + 10 must all be free: the farm's and then
# Prometheus's.
farm_ports 21000 $((count + 10)) 60000
farm_start --count "$count" --series-per-target "$series" \
    --scrape-interval "$interval" --duration $((minutes * 60 + 180))

if command -v prometheus >/dev/null; then
    port=$((base + count + 10))
    prometheus --config.file="$dir/prom.yml" --storage.tsdb.path="$dir/tsdb" \
        --storage.tsdb.retention.time="$retention" \
        --web.listen-address=127.0.0.1:$port >"$dir/prom.log" 2>&1 &
    prom=$!
    pids="$pids $prom"
else
    echo "scale: prometheus is not installed (apt-get install prometheus):" \
         "promdeck alone"
fi

promdeck_start "$promdeck --config $dir/prom.yml --retention $retention"

tck=$(getconf CLK_TCK)
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" \
           2>/dev/null || echo 0; }
cpu_s() { awk -v t="$tck" '{ printf "%.2f", ($14 + $15) / t }' \
          "/proc/$1/stat" 2>/dev/null || echo 0; }
# How many targets Prometheus found up: a farm that cannot keep up shows
# here, and then the minute says little about either scraper. The load
# average says how busy the machine was besides.
targets_up() {
    [ -n "$prom" ] || { echo -; return; }
    curl -s "http://127.0.0.1:$port/api/v1/query?query=count(up==1)" |
        sed -n 's/.*"value":\[[^,]*,"\([0-9]*\)".*/\1/p'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b
                                           else printf "-" }'; }

echo "scale: $count targets x $series series, every $interval," \
     "$minutes min, retention $retention"
printf '%4s %10s %8s %10s %8s %8s %8s %6s %6s\n' min promdeck_MB cpu% \
    prometheus_MB cpu% rss_x cpu_x up load
last_pd=$(cpu_s "$pd") last_pr=0
[ -n "$prom" ] && last_pr=$(cpu_s "$prom")
m=1
while [ "$m" -le "$minutes" ]; do
    sleep 60
    now_pd=$(cpu_s "$pd") rss_pd=$(rss_mb "$pd")
    use_pd=$(awk -v a="$now_pd" -v b="$last_pd" 'BEGIN { printf "%.1f", (a - b) / 60 * 100 }')
    use_pr=0 rss_pr=0
    if [ -n "$prom" ]; then
        now_pr=$(cpu_s "$prom") rss_pr=$(rss_mb "$prom")
        use_pr=$(awk -v a="$now_pr" -v b="$last_pr" 'BEGIN { printf "%.1f", (a - b) / 60 * 100 }')
        last_pr=$now_pr
    fi
    printf '%4d %10s %8s %10s %8s %8s %8s %6s %6s\n' "$m" "$rss_pd" \
        "$use_pd" "$rss_pr" "$use_pr" "$(ratio "$rss_pd" "$rss_pr")" \
        "$(ratio "$use_pd" "$use_pr")" "$(targets_up)" \
        "$(cut -d' ' -f1 /proc/loadavg)"
    last_pd=$now_pd
    m=$((m + 1))
done

# Key press to changed screen, while the panels keep refreshing.
python3 "$here/keylat.py" "$sock" "$presses"
