#!/bin/sh
# Makes input_ties.om (16 and 64 series whose values tie often, and 8
# with NaNs)
# and captures golden_ties.json: backfills the input into a TSDB with the
# Debian promtool, starts the Debian prometheus on it (127.0.0.1, a free
# port, everything in a temporary directory) and records its answers to
# each expression of ties.txt as instant queries at five times and as a
# range query, in the shape of golden.json. Needs prometheus, promtool,
# python3 and curl; takes a few seconds.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
python3 - "$here/input_ties.om" <<'PY'
import sys
t0, ids = 1700000000, "abcdefghijklmnop"
with open(sys.argv[1], "w") as f:
    f.write("# TYPE tie gauge\n")
    for j, c in enumerate(ids):
        for i in range(121):
            v = ((j * 7 + i) % 5) // 2
            f.write('tie{grp="%d",id="%s"} %d %d\n' % (j % 2, c, v, t0 + 15 * i))
    f.write("# TYPE tie_nan gauge\n")
    for j, c in enumerate(ids[:8]):
        for i in range(121):
            v = "NaN" if (i + j) % 3 == 0 else str(j % 2)
            f.write('tie_nan{id="%s"} %s %d\n' % (c, v, t0 + 15 * i))
    # 64 series, one sample a minute: sorts past 50 elements take Go's
    # other paths (Tukey's ninther, partial insertion sort)
    f.write("# TYPE tie_big gauge\n")
    for j in range(64):
        for i in range(31):
            v = (j * j + 3 * i) % 7 // 3
            f.write('tie_big{id="%02d"} %d %d\n' % (j, v, t0 + 60 * i))
    f.write("# EOF\n")
PY
promtool tsdb create-blocks-from openmetrics "$here/input_ties.om" \
    "$work/tsdb" >"$work/backfill.log" 2>&1
printf 'global: {scrape_interval: 1h}\nscrape_configs: []\n' >"$work/prom.yml"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus --config.file="$work/prom.yml" --storage.tsdb.path="$work/tsdb" \
    --storage.tsdb.retention.time=100y --query.lookback-delta=5m \
    --web.listen-address=127.0.0.1:"$port" >"$work/prom.log" 2>&1 &
pid=$!
i=0
until curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; do
    i=$((i + 1))
    [ $i -lt 150 ] || { cat "$work/prom.log"; exit 1; }
    sleep 0.2
done
python3 - "$port" "$here/ties.txt" "$here/golden_ties.json" <<'PY'
import json, subprocess, sys, urllib.parse, urllib.request
port, queries, out = sys.argv[1:]
t0 = 1700000000
times = [t0 + 600, t0 + 1000, t0 + 1350, t0 + 1490, t0 + 1800]
rng = {"start": t0 + 300, "end": t0 + 1800, "step": 60}
def ask(path, params):
    url = "http://127.0.0.1:%s%s?%s" % (port, path,
                                        urllib.parse.urlencode(params))
    with urllib.request.urlopen(url) as r:
        return json.load(r)
version = subprocess.run(["prometheus", "--version"], capture_output=True,
                         text=True).stdout.split("\n")[0]
cases = []
for e in (l.strip() for l in open(queries)):
    if not e or e.startswith("#"):
        continue
    for t in times:
        cases.append({"expr": e, "type": "instant", "time": t,
                      "response": ask("/api/v1/query", {"query": e,
                                                        "time": t})})
    cases.append({"expr": e, "type": "range", **rng,
                  "response": ask("/api/v1/query_range",
                                  {"query": e, **rng})})
json.dump({"generator": version + ", lookback-delta 5m", "t0": t0,
           "instant_times": times, "range": rng, "cases": cases},
          open(out, "w"), indent=1)
print("cases:", len(cases))
PY
