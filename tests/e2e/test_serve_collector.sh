#!/bin/sh
# promdeck serve --collector.expose as the exporter a Prometheus scrapes
# instead of node_exporter and cAdvisor: /metrics/node and
# /metrics/cadvisor answer text 0.0.4 (gzip when asked, as promhttp
# does), and the real Debian Prometheus, scraping them as jobs node and
# cadvisor, stores the same series (names and label sets) that serve's own
# built-in targets store beside it. (The values against node_exporter's
# are test_collect_node.sh's.)
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

port=$(free_port)
S=http://127.0.0.1:$port
XDG_RUNTIME_DIR=$tmp "$PROMDECK" serve --collector.expose \
    --listen "127.0.0.1:$port" --scrape-interval 1s >"$tmp/serve.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
check "serve --collector.expose answers on 127.0.0.1:$port" \
    wait_http "$S/-/ready" 20

curl -s --noproxy '*' -D "$tmp/h1" -o "$tmp/node.prom" "$S/metrics/node"
check "/metrics/node: 200, text 0.0.4, node_exporter's names" sh -c "
    grep -q '^HTTP/1.1 200' '$tmp/h1' &&
    grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' '$tmp/h1' &&
    ! grep -qi '^Content-Encoding' '$tmp/h1' &&
    grep -q '^node_load1 [0-9.e+-]*\$' '$tmp/node.prom' &&
    grep -q '^# TYPE node_cpu_seconds_total counter\$' '$tmp/node.prom'"
curl -s --noproxy '*' -H 'Accept-Encoding: gzip' -D "$tmp/h2" \
    -o "$tmp/node.gz" "$S/metrics/node"
check "/metrics/node with Accept-Encoding: gzip is gzip, and whole" sh -c "
    grep -qi '^Content-Encoding: gzip' '$tmp/h2' &&
    gzip -dc '$tmp/node.gz' >'$tmp/node2.prom' &&
    grep -q '^node_load1 ' '$tmp/node2.prom' &&
    [ \$(grep -c '^node_cpu_seconds_total{' '$tmp/node2.prom') = \
      \$(grep -c '^node_cpu_seconds_total{' '$tmp/node.prom') ]"
curl -s --noproxy '*' -D "$tmp/h3" -o "$tmp/cad.prom" "$S/metrics/cadvisor"
check "/metrics/cadvisor: 200, cAdvisor's names, the root cgroup" sh -c "
    grep -q '^HTTP/1.1 200' '$tmp/h3' &&
    grep -q '^container_cpu_usage_seconds_total{.*id=\"/\"' '$tmp/cad.prom'"
check "/metrics stays serve's own metrics" sh -c "
    curl -s --noproxy '*' '$S/metrics' | grep -q promdeck_query_duration &&
    ! curl -s --noproxy '*' '$S/metrics' | grep -q '^node_load1'"
code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -X POST \
    "$S/metrics/node")
check "POST /metrics/node: 405" [ "$code" = 405 ]

if ! command -v prometheus >/dev/null 2>&1; then
    echo "ok $((n + 1)) - Prometheus comparison # SKIP prometheus not installed"
    finish
    exit
fi
pport=$(free_port)
P=http://127.0.0.1:$pport
cat >"$tmp/prom.yml" <<Y
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: node
    metrics_path: /metrics/node
    static_configs: [{targets: ['127.0.0.1:$port']}]
  - job_name: cadvisor
    metrics_path: /metrics/cadvisor
    static_configs: [{targets: ['127.0.0.1:$port']}]
Y
prometheus --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$tmp/prom.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
check "Prometheus answers on 127.0.0.1:$pport" wait_http "$P/-/ready" 30

up_both() {
    i=0
    while [ $i -lt 300 ]; do
        curl -s --noproxy '*' "$P/api/v1/query" --data-urlencode \
            'query=count(up == 1)' | grep -q '"value":\[[0-9.]*,"2"\]' &&
            return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}
check "Prometheus scrapes both paths, up" up_both

# The same series on both sides: every name and label set (but job and
# instance, which name the scraper's target, and the scrape's own
# synthetic series). Containers and mounts may come or go between the
# two reads on a busy machine: one clean round of three passes.
compare() {
    for side in "$P" "$S"; do
        curl -s --noproxy '*' "$side/api/v1/query" --data-urlencode \
            "query={job=~\"node|cadvisor\"}"
    done >"$tmp/both.json"
    python3 - "$tmp/both.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
dec, docs, i = json.JSONDecoder(), [], 0
while i < len(text):
    d, i = dec.raw_decode(text, i)
    docs.append(d)
synthetic = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
             "scrape_samples_post_metric_relabeling", "scrape_series_added"}
def series(doc):
    out = set()
    for r in doc["data"]["result"]:
        m = dict(r["metric"])
        if m["__name__"] in synthetic:
            continue
        job = m.pop("job")
        m.pop("instance")
        out.add((job, tuple(sorted(m.items()))))
    return out
prom, mine = series(docs[0]), series(docs[1])
names = {dict(k[1])["__name__"] for k in prom}
print("%d series of %d metrics" % (len(prom), len(names)))
for k in sorted(prom - mine)[:20]:
    print("only Prometheus:", k)
for k in sorted(mine - prom)[:20]:
    print("only serve's own targets:", k)
ok = prom == mine and len(names) > 40 and \
    any(k[0] == "cadvisor" for k in prom)
sys.exit(0 if ok else 1)
PY
}
passed=""
for round in 1 2 3; do
    sleep 2
    if compare >"$tmp/cmp.out" 2>&1; then
        passed=$round
        break
    fi
done
if [ -n "$passed" ]; then
    ok "Prometheus stores the series serve's own targets store ($(head -1 "$tmp/cmp.out"), round $passed)"
else
    not_ok "Prometheus stores the series serve's own targets store" \
        "$(head -45 "$tmp/cmp.out")"
fi
finish
