#!/bin/sh
# Real Grafana dashboards (tests/data/grafana, see its README): each
# passes `promdeck check dashboard` with no broken query, runs against the
# demo without errors, and, when the Debian prometheus-node-exporter is
# installed, shows data in every panel whose queries have data: against a
# real Prometheus scraping the same exporter when /usr/bin/prometheus is
# there (Prometheus's instant query at the snapshot's time is the
# reference), else against `promdeck query` on the same expressions over
# dumps of the exporter's metrics.
# Snapshots run at the dashboards' own range and at 7d.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

G=$TESTDATA/grafana
DASHES="node-exporter-full node-exporter-starsl nfs-full k8s-addons-prometheus"

# (lib.sh's check uses $d: the loops name theirs dash.)
for dash in $DASHES; do
    "$PROMDECK" check dashboard "$G/$dash.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "check dashboard $dash.json: OK, exit 0, no broken query" sh -c "
        [ $rc -eq 0 ] && grep -q '^$G/$dash.json: OK (' '$tmp/out' &&
        ! grep -q ': panel \"\|: variable \"' '$tmp/err'"
done

# Notes that a hundred panels share are one counted line each.
"$PROMDECK" check dashboard "$G/node-exporter-full.json" >/dev/null \
    2>"$tmp/err"
check "node-exporter-full's notes are grouped, with counts" sh -c "
    grep -q '^$G/node-exporter-full.json: note: 12 panels: overrides not' \
        '$tmp/err' && [ \$(wc -l <'$tmp/err') -lt 20 ]"

# Against the demo: every query runs (none of these metrics exist there,
# so no data is expected, only no errors).
for dash in node-exporter-full k8s-addons-prometheus; do
    "$PROMDECK" --demo -d "$G/$dash.json" --once -o json --timeout 30s \
        >"$tmp/demo.json" 2>"$tmp/err"
    echo $? >"$tmp/rc"
    check "--demo -d $dash.json: every panel evaluates without an error" \
        python3 - "$tmp/demo.json" "$tmp/err" "$tmp/rc" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
assert text, "exit %s, nothing on stdout; stderr: %s" % (
    open(sys.argv[3]).read().strip(), open(sys.argv[2]).read()[-600:])
snap = json.loads(text)
assert len(snap["panels"]) > 20, len(snap["panels"])
bad = [(p["title"], p["error"]) for p in snap["panels"] if "error" in p]
assert not bad, bad[:5]
PY
done

NE=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
PROM=${PROMETHEUS:-/usr/bin/prometheus}
if [ ! -x "$NE" ]; then
    echo "ok $((n + 1)) - real exporter comparisons # SKIP $NE not installed"
    finish
    exit
fi

neport=$(free_port)
"$NE" --web.listen-address=127.0.0.1:$neport >"$tmp/ne.log" 2>&1 &
nepid=$!
on_exit "kill $nepid 2>/dev/null"
check "node_exporter answers on 127.0.0.1:$neport" \
    wait_http "http://127.0.0.1:$neport/metrics" 10

promport=""
if [ -x "$PROM" ]; then
    promport=$(free_port)
    cat >"$tmp/prom.yml" <<YML
global: { scrape_interval: 1s }
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ["127.0.0.1:$neport"] }]
  - job_name: prometheus
    static_configs: [{ targets: ["127.0.0.1:$promport"] }]
YML
    "$PROM" --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
        --web.listen-address=127.0.0.1:$promport >"$tmp/prom.log" 2>&1 &
    prompid=$!
    on_exit "kill $prompid 2>/dev/null"
    # Ready once both jobs have been scraped a few times (rates need two).
    ready() {
        curl -sf --noproxy '*' "http://127.0.0.1:$promport/api/v1/query" \
            --data-urlencode 'query=min(count_over_time(up[1m])) >= 4' |
            grep -q '"value"'
    }
    i=0
    while [ $i -lt 300 ] && ! ready; do sleep 0.1; i=$((i + 1)); done
    check "Prometheus scrapes node_exporter and itself" ready
fi

# Without Prometheus, the reference is `promdeck query` over two dumps of
# the exporter's /metrics taken 2 s apart (timestamps added, so rates
# have two samples), at the time of the second.
dump() {
    ts=$(python3 -c 'import time; print(int(time.time() * 1000))')
    curl -sf --noproxy '*' "http://127.0.0.1:$neport/metrics" |
        awk -v ts="$ts" '/^#/ || NF == 0 { print; next } { print $0, ts }' \
        >"$tmp/$1.prom"
    echo "$ts" | sed 's/...$/.&/' >"$tmp/time"
}
if [ -z "$promport" ]; then
    dump 1 && sleep 2 && dump 2
    check "two dumps of node_exporter's metrics" test -s "$tmp/2.prom"
fi

# promdeck scrapes the same targets (Prometheus's own metrics too, for
# the Prometheus dashboard).
cat >"$tmp/pd.yml" <<YML
scrape_configs:
  - job_name: node
    scrape_interval: 1s
    static_configs: [{ targets: ["127.0.0.1:$neport"] }]
YML
if [ -n "$promport" ]; then
    cat >>"$tmp/pd.yml" <<YML
  - job_name: prometheus
    scrape_interval: 1s
    static_configs: [{ targets: ["127.0.0.1:$promport"] }]
YML
fi

# compare SNAPSHOT MIN: every panel with data at Prometheus (else at
# promdeck query) has data in the snapshot, and at least MIN panels do;
# prints the counts as a TAP comment.
compare() {
    python3 - "$1" "$2" "$promport" "$PROMDECK" "$tmp" <<'PY'
import json, subprocess, sys, urllib.parse, urllib.request
snap, least, port, promdeck, dumps = sys.argv[1:6]
snap = json.load(open(snap))
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def prom_has(expr):
    q = urllib.parse.urlencode({"query": expr, "time": snap["time"]})
    body = json.load(opener.open("http://127.0.0.1:%s/api/v1/query?%s"
                                 % (port, q), timeout=10))
    r = body["data"]
    return r["resultType"] in ("scalar", "string") or len(r["result"]) > 0

def promdeck_has(expr):
    out = subprocess.run([promdeck, "query", "--load", dumps + "/1.prom",
                          "--load", dumps + "/2.prom", "--time",
                          open(dumps + "/time").read().strip(), "-o",
                          "json", expr], capture_output=True, timeout=60,
                         text=True).stdout
    r = json.loads(out)["data"] if out else {"resultType": "vector",
                                              "result": []}
    return r["resultType"] in ("scalar", "string") or len(r["result"]) > 0

has = prom_has if port else promdeck_has
def with_data(p):
    return any(s["value"] is not None or s["points"] for s in p["series"])
panels = [p for p in snap["panels"] if p["queries"]]
ours = sum(1 for p in panels if with_data(p))
# Without Prometheus only the panels without data are asked.
asked = [p for p in panels if port or not with_data(p)]
theirs = [p for p in asked if any(has(q) for q in p["queries"])]
missing = [(p["title"], p["queries"]) for p in theirs if not with_data(p)]
print("# %d of %d panels with queries have data; %s: %d of %d asked" % (
    ours, len(panels), "Prometheus" if port else "promdeck query",
    len(theirs), len(asked)))
assert not missing, missing[:5]
assert ours >= int(least), (ours, least)
errors = [p["error"] for p in snap["panels"] if "error" in p]
assert not errors, errors[:3]
PY
}

# dashboard, least panels with data (of 125, 21 and 27 with queries).
for spec in node-exporter-full:100 node-exporter-starsl:21 \
            k8s-addons-prometheus:10; do
    dash=${spec%:*}
    least=${spec#*:}
    [ "$dash" = k8s-addons-prometheus ] && [ -z "$promport" ] && continue
    for range in own 7d; do
        set -- --config "$tmp/pd.yml" -d "$G/$dash.json" --once -o json \
            --timeout 30s
        [ $range = 7d ] && set -- "$@" --range 7d
        "$PROMDECK" "$@" >"$tmp/$dash-$range.json" 2>"$tmp/err"
        check "$dash.json at range $range: data wherever the reference has" \
            compare "$tmp/$dash-$range.json" "$least"
        grep '^# ' "$tmp/check.out"
    done
done

# The chained variables (job, nodename, node) found the exporter.
check "node-exporter-full's variables resolve to the exporter" \
    grep -q "instance=\\\\\"127.0.0.1:$neport\\\\\"" \
    "$tmp/node-exporter-full-7d.json"
finish
