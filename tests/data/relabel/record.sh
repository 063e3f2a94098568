#!/bin/sh
# Records what a real Prometheus 2.42 makes of prometheus.yml's targets:
#   expected.json           /api/v1/targets?state=any, with the fields that
#                           change from run to run (health, last scrape,
#                           errors, globalUrl) removed, keys sorted
#   expected-failures.txt   one line per target Prometheus refused to
#                           create: "<scrape pool>\t<error>"
#   expected-series.json    /api/v1/series for every series of the jobs
#                           series-plain and series-honor, which scrape
#                           series.prom, served here on 127.0.0.1:19591
# Usage: sh tests/data/relabel/record.sh   (PROMETHEUS and PORT override
# the binary, default "prometheus", and the port, default 19590)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prom=${PROMETHEUS:-prometheus}
port=${PORT:-19590}
tmp=$(mktemp -d)
pid= web=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "$web" ] && kill "$web" 2>/dev/null && wait "$web" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$prom" --version 2>&1 | head -n 1 >&2
# The port is part of the recorded instance labels, so it is fixed.
python3 -m http.server --bind 127.0.0.1 --directory "$here" 19591 \
    >"$tmp/web.log" 2>&1 &
web=$!
"$prom" --config.file="$here/prometheus.yml" \
    --storage.tsdb.path="$tmp/data" \
    --web.listen-address="127.0.0.1:$port" >"$tmp/log" 2>&1 &
pid=$!

url="http://127.0.0.1:$port/api/v1/targets?state=any"
# Targets appear once discovery has sent its first update (about 5 s);
# wait until two reads a second apart agree.
prev= tries=0
while :; do
    tries=$((tries + 1))
    if [ $tries -gt 60 ]; then
        echo "record.sh: no targets after 60 s" >&2
        cat "$tmp/log" >&2
        exit 1
    fi
    sleep 1
    cur=$(curl -sf "$url" | python3 -c '
import json, sys
d = json.load(sys.stdin)["data"]
for t in d["activeTargets"]:
    for k in ("health", "lastError", "lastScrape", "lastScrapeDuration",
              "globalUrl"):
        t.pop(k, None)
key = lambda t: json.dumps(t, sort_keys=True)
d["activeTargets"].sort(key=key)
d["droppedTargets"].sort(key=key)
print(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False))
' 2>/dev/null) || continue
    case $cur in *'"scrapePool"'*) ;; *) continue ;; esac
    [ "$cur" = "$prev" ] && break
    prev=$cur
done
printf '%s\n' "$cur" >"$here/expected.json"

# level=error ... scrape_pool=failures msg="Creating target failed"
#   err="instance 0 in group 0: no address"
grep 'Creating target failed' "$tmp/log" | python3 -c '
import json, re, sys
for line in sys.stdin:
    pool = re.search(r"scrape_pool=(\S+)", line).group(1)
    err = re.search(r" err=(\".*\")$", line.rstrip()).group(1)
    print(pool + "\t" + json.loads(err))
' | sort -u >"$here/expected-failures.txt"
# Every series of the two series jobs once both have been scraped: two
# equal reads a second apart.
surl="http://127.0.0.1:$port/api/v1/series"
prev= tries=0
while :; do
    tries=$((tries + 1))
    if [ $tries -gt 60 ]; then
        echo "record.sh: no series after 60 s" >&2
        exit 1
    fi
    sleep 1
    cur=$(curl -sfG "$surl" --data-urlencode 'match[]={job=~"series-.*|app"}' \
        | python3 -c '
import json, sys
d = json.load(sys.stdin)["data"]
d.sort(key=lambda s: json.dumps(s, sort_keys=True))
print(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False))
' 2>/dev/null) || continue
    case $cur in *series-honor*series-plain*|*series-plain*series-honor*) ;;
        *) continue ;; esac
    [ "$cur" = "$prev" ] && break
    prev=$cur
done
printf '%s\n' "$cur" >"$here/expected-series.json"
echo "record.sh: wrote expected.json, expected-failures.txt and" \
    "expected-series.json" >&2
