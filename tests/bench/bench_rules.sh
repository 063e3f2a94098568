#!/bin/sh
# The rules benchmark: 1,000 rules (gen_bench_rules.py: recording and
# alerting, in 10 groups of 100) over the 1,000-series benchmark data
# (gen_golden_data.py, one hour at 15 s ending now: Prometheus evaluates
# at wall-clock time, and the rules' 5 m windows still reach the data in
# the minute or so its run takes; promdeck's rounds are 30 s after the
# data's end, as far as Prometheus's are in the middle of its run).
# promdeck evaluates
# every group once per round in-process (bench_rules); the Debian
# Prometheus evaluates the same file on the same data (backfilled with
# promtool) every 2 s, and the sum over the groups of its
# prometheus_rule_group_last_duration_seconds is its round. The medians
# and their ratio are printed. Nothing here passes or fails.
set -u
build=${BUILD:-build}
rounds=15
dir=$(mktemp -d)
trap 'kill $prom 2>/dev/null; rm -rf "$dir"' EXIT
prom=""
end=$(( $(date +%s) / 15 * 15 ))

python3 tests/bench/gen_golden_data.py "$dir/data.om" $end
python3 tests/bench/gen_bench_rules.py "$dir/rules.yml" 1000
out=$("$build/bench/bench_rules" "$dir/data.om" "$dir/rules.yml" \
      $((end + 30)) $rounds) || { echo "$out"; exit 1; }
echo "$out"
ours=$(echo "$out" | sed -n 's/^promdeck round.*median \([0-9.]*\) ms.*/\1/p')

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null
then
    echo "prometheus/promtool not installed (apt-get install prometheus):" \
         "no comparison"
    exit 0
fi
promtool tsdb create-blocks-from openmetrics "$dir/data.om" "$dir/tsdb" \
    >/dev/null
printf 'global:\n  scrape_interval: 1h\n  evaluation_interval: 2s\n'\
'rule_files: [rules.yml]\n' >"$dir/prom.yml"
port=$((19000 + $$ % 1000))
prometheus --config.file="$dir/prom.yml" --storage.tsdb.path="$dir/tsdb" \
    --web.listen-address=127.0.0.1:$port --storage.tsdb.retention.time=100y \
    >"$dir/prom.log" 2>&1 &
prom=$!
python3 - "$port" $rounds "$ours" <<'PY'
import re, statistics, sys, time, urllib.request
port, rounds, ours = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
url = "http://127.0.0.1:%s/metrics" % port
pat = re.compile(r'^prometheus_rule_group_last_duration_seconds'
                 r'\{rule_group="([^"]*)"\} (\S+)$', re.M)
evals = re.compile(r'^prometheus_rule_group_iterations_total'
                   r'\{rule_group="([^"]*)"\} (\S+)$', re.M)
def scrape():
    try:
        return urllib.request.urlopen(url, timeout=2).read().decode()
    except Exception:
        return ""
# Until every group has been evaluated a few times (60 s at most).
deadline = time.time() + 60
while time.time() < deadline:
    text = scrape()
    its = [float(v) for _, v in evals.findall(text)]
    if len(its) == 10 and min(its) >= 3:
        break
    time.sleep(0.5)
totals = []
for _ in range(rounds):
    time.sleep(2)
    d = [float(v) for _, v in pat.findall(scrape())]
    if len(d) == 10:
        totals.append(sum(d))
def count(q):
    import json, urllib.parse
    u = "http://127.0.0.1:%s/api/v1/query?%s" % (
        port, urllib.parse.urlencode({"query": q}))
    r = json.load(urllib.request.urlopen(u, timeout=5))["data"]["result"]
    return r[0]["value"][1] if r else "0"
print("prometheus results: %s recorded series, %s alerts"
      % (count('count({__name__=~"bench:.*"})'), count("count(ALERTS)")))
if not totals:
    print("prometheus did not evaluate the rules (see its log)")
    sys.exit(0)
theirs = statistics.median(totals) * 1e3
print("prometheus round (sum of prometheus_rule_group_last_duration_seconds"
      " over 10 groups): median %.3f ms over %d samples" % (theirs,
                                                          len(totals)))
print("ratio: promdeck evaluates a round %.1fx as fast as Prometheus"
      % (theirs / ours))
PY
