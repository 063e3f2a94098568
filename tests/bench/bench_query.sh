#!/bin/sh
# The dashboard-evaluation benchmark: 1,000 series x 1 hour at 15 s, a
# 12-panel golden-signals dashboard as range queries over the hour at 200
# steps. promdeck evaluates it in-process (bench_query), as a frame does
# (panels share a frame cache) and with each query alone; the Debian
# Prometheus answers the same queries over its HTTP API from the same data
# backfilled with promtool. The medians and their ratios are printed. The
# goal is promdeck at least 5x faster. Nothing here passes or fails.
set -u
build=${BUILD:-build}
end=1700003600
runs=15
dir=$(mktemp -d)
trap 'kill $prom 2>/dev/null; rm -rf "$dir"' EXIT
prom=""

python3 tests/bench/gen_golden_data.py "$dir/data.om" $end
out=$("$build/bench/bench_query" "$dir/data.om" tests/bench/golden12.promql \
      $end $runs) || { echo "$out"; exit 1; }
echo "$out"
ours=$(echo "$out" | sed -n 's/^promdeck dashboard.*median \([0-9.]*\) ms.*/\1/p')
alone=$(echo "$out" | sed -n 's/^promdeck, each query alone: median \([0-9.]*\) ms/\1/p')

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null
then
    echo "prometheus/promtool not installed (apt-get install prometheus):" \
         "no comparison"
    exit 0
fi
promtool tsdb create-blocks-from openmetrics "$dir/data.om" "$dir/tsdb" \
    >/dev/null
printf 'global:\n  scrape_interval: 1h\n' >"$dir/prom.yml"
port=$((19000 + $$ % 1000))
prometheus --config.file="$dir/prom.yml" --storage.tsdb.path="$dir/tsdb" \
    --web.listen-address=127.0.0.1:$port --storage.tsdb.retention.time=100y \
    >"$dir/prom.log" 2>&1 &
prom=$!
python3 - "$port" tests/bench/golden12.promql $end $runs "$ours" "$alone" \
    <<'PY'
import json, statistics, sys, time, urllib.parse, urllib.request
port, qfile, end, runs, ours, alone = sys.argv[1:]
end, runs, ours, alone = int(end), int(runs), float(ours), float(alone)
base = "http://127.0.0.1:%s/api/v1/" % port
for _ in range(100):
    try:
        urllib.request.urlopen(base + "status/buildinfo", timeout=1)
        break
    except Exception:
        time.sleep(0.2)
queries = [l.strip() for l in open(qfile) if l.strip() and l[0] != "#"]
def run(q):
    args = urllib.parse.urlencode({"query": q, "start": end - 3600,
                                   "end": end, "step": 18})
    body = json.load(urllib.request.urlopen(base + "query_range?" + args))
    assert body["status"] == "success", body
totals = []
for q in queries:
    run(q)      # warm the head and caches, as promdeck's store is warm
for r in range(runs):
    t0 = time.perf_counter()
    for q in queries:
        run(q)
    totals.append(time.perf_counter() - t0)
theirs = statistics.median(totals) * 1e3
print("prometheus dashboard (%d range queries over HTTP): median %.3f ms "
      "over %d runs" % (len(queries), theirs, runs))
print("ratio: promdeck is %.1fx faster than Prometheus (goal: >= 5x); "
      "%.1fx with each query alone" % (theirs / ours, theirs / alone))
PY
