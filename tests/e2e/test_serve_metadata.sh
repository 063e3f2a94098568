#!/bin/sh
# promdeck serve and the Debian Prometheus 2.42 scrape the same targets
# with the same config: a real node_exporter, fixtures in text 0.0.4 and
# OpenMetrics served by a tiny server (edge cases of HELP, TYPE and UNIT,
# one family described differently by two targets), the text serve
# --collector.expose gives for its built-in node and cadvisor targets, and
# a job whose relabelling drops two of its three targets. Their answers to
# /api/v1/metadata, /api/v1/targets/metadata and /api/v1/targets must be
# the same, parameters and errors included. (Where Prometheus's order is
# a Go map's, lists are compared sorted and limits by their effect.)
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

PROM=${PROMETHEUS:-/usr/bin/prometheus}
NE=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
if [ ! -x "$PROM" ] || [ ! -x "$NE" ]; then
    echo "ok 1 - metadata against Prometheus # SKIP prometheus or node_exporter not installed"
    exit 0
fi

# Five distinct free ports at once (one at a time, a port not yet bound
# by its server could be handed out twice).
# shellcheck disable=SC2046
set -- $(python3 -c 'import socket
ss = [socket.socket() for _ in range(5)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
fport=$1 nport=$2 pport=$3 sport=$4 hport=$5

# The fixture server: /text/FILE as text 0.0.4, /om/FILE as OpenMetrics.
python3 - "$fport" "$TESTDATA" >"$tmp/fixtures.log" 2>&1 <<'PY' &
import http.server, os, sys
port, root = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        kind, _, rel = self.path.lstrip("/").partition("/")
        path = os.path.join(root, rel)
        if kind not in ("text", "om") or ".." in rel or not os.path.isfile(path):
            self.send_error(404)
            return
        body = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4" if
                         kind == "text" else
                         "application/openmetrics-text; version=1.0.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
on_exit "kill $! 2>/dev/null"
"$NE" --web.listen-address="127.0.0.1:$nport" >"$tmp/ne.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
# (Waits are long: a loaded machine may take seconds to start Python.)
if wait_http "http://127.0.0.1:$fport/text/metadata/a.prom" 60; then
    ok "the fixture server answers"
else
    not_ok "the fixture server answers" "$(cat "$tmp/fixtures.log")"
fi
check "node_exporter answers" wait_http "http://127.0.0.1:$nport/metrics" 60
# serve with the built-in collectors as its own targets (jobs node and
# cadvisor), exposing their text for Prometheus and serve to scrape.
"$PROMDECK" serve --collector.expose --listen "127.0.0.1:$hport" \
    2>"$tmp/host.log" &
on_exit "kill $! 2>/dev/null"
H="http://127.0.0.1:$hport"
check "serve --collector.expose answers" wait_http "$H/metrics/node" 60

F="127.0.0.1:$fport"
cat >"$tmp/prom.yml" <<YML
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
- job_name: node
  static_configs: [{targets: ['127.0.0.1:$nport']}]
- job_name: text_a
  metrics_path: /text/metadata/a.prom
  static_configs: [{targets: ['$F']}]
- job_name: text_b
  metrics_path: /text/metadata/b.prom
  static_configs: [{targets: ['$F']}]
- job_name: om
  metrics_path: /om/exposition/python-client-0.16.0-alltypes.openmetrics
  static_configs: [{targets: ['$F'], labels: {format: om}}]
- job_name: expose_node
  metrics_path: /metrics/node
  static_configs: [{targets: ['127.0.0.1:$hport']}]
- job_name: expose_cadvisor
  metrics_path: /metrics/cadvisor
  static_configs: [{targets: ['127.0.0.1:$hport']}]
- job_name: dropme
  static_configs:
  - targets: ['a.invalid:1', 'b.invalid:2', 'c.invalid:3']
    labels: {team: "x<y>&z"}
  relabel_configs:
  - {source_labels: [__address__], regex: 'b.invalid:2|c.invalid:3', action: drop}
YML
"$PROM" --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$tmp/prom.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
"$PROMDECK" serve --config "$tmp/prom.yml" --listen "127.0.0.1:$sport" \
    2>"$tmp/serve.log" &
on_exit "kill $! 2>/dev/null"
P="http://127.0.0.1:$pport" S="http://127.0.0.1:$sport"
check "Prometheus answers" wait_http "$P/-/ready" 60
check "serve answers" wait_http "$S/-/ready" 60

# Both have scraped every target when every family of every job is
# known (bounded: 60 s).
python3 - "$P" "$S" <<'PY' >"$tmp/wait.out" 2>&1
import json, sys, time, urllib.request
for _ in range(300):
    ready = 0
    for base in sys.argv[1:]:
        d = json.load(urllib.request.urlopen(
            base + "/api/v1/targets/metadata?metric=go_goroutines"))["data"]
        o = json.load(urllib.request.urlopen(
            base + "/api/v1/metadata?metric=app_memory_usage_bytes"))["data"]
        s = json.load(urllib.request.urlopen(
            base + "/api/v1/metadata?metric=shared_family"))["data"]
        ready += bool(d) and bool(o) and len(s.get("shared_family", [])) == 2
    if ready == 2:
        sys.exit(0)
    time.sleep(0.2)
sys.exit("not every target scraped in 60 s")
PY
check "both scraped every target" [ $? = 0 ]

# same PATH: the same status and, compared in meaning, the same body (a
# parse error's words after "parse error:" are promdeck's own; its
# position is compared).
same() {
    if python3 - "$P" "$S" "$1" >"$tmp/same.out" 2>&1 <<'PY'
import json, sys, urllib.error, urllib.request
P, S, path = sys.argv[1:]
def get(base):
    try:
        r = urllib.request.urlopen(base + path)
        return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
def canon(x):
    # Lists in Go map order are compared sorted.
    if isinstance(x, str) and "parse error: " in x:
        return x[:x.index("parse error: ")]
    if isinstance(x, dict):
        return {k: canon(v) for k, v in x.items()}
    if isinstance(x, list):
        return sorted((canon(v) for v in x), key=lambda v: json.dumps(
            v, sort_keys=True))
    return x
p, s = get(P), get(S)
if p[0] != s[0] or canon(p[1]) != canon(s[1]):
    print("Prometheus:", p[0], json.dumps(p[1])[:1500])
    print("serve:     ", s[0], json.dumps(s[1])[:1500])
    sys.exit(1)
n = p[1].get("data")
print("%s answers" % (len(n) if isinstance(n, (list, dict)) else "error"))
PY
    then ok "same as Prometheus: $1 ($(tail -1 "$tmp/same.out"))"
    else not_ok "same as Prometheus: $1" "$(cat "$tmp/same.out")"; fi
}

same '/api/v1/metadata'
same '/api/v1/metadata?metric=shared_family'
same '/api/v1/metadata?metric=edge_help_only'
same '/api/v1/metadata?metric=rpc_seconds'
same '/api/v1/metadata?metric=rpc_seconds_bucket'
same '/api/v1/metadata?metric=app_requests'
same '/api/v1/metadata?metric=app_requests_total'
same '/api/v1/metadata?metric=no_metadata_at_all'
same '/api/v1/metadata?limit=0'
same '/api/v1/metadata?limit=-1'
same '/api/v1/metadata?limit=abc'
same '/api/v1/metadata?limit=1.5'
same '/api/v1/metadata?limit_per_metric=1'
same '/api/v1/targets/metadata'
same '/api/v1/targets/metadata?metric=shared_family'
same '/api/v1/targets/metadata?metric=up'
same '/api/v1/targets/metadata?match_target=%7Bjob%3D%22om%22%7D'
same '/api/v1/targets/metadata?match_target=%7Bjob%3D~%22text_.%2A%22%7D&metric=edge_untyped'
same '/api/v1/targets/metadata?match_target=%7Bformat%3D%22%22%7D&metric=shared_family'
same '/api/v1/targets/metadata?match_target=%7B%7D&metric=go_goroutines'
same '/api/v1/targets/metadata?match_target=%7Bjob%3D%22%22%7D'
same '/api/v1/targets/metadata?match_target=%7Bjob%3D'
same '/api/v1/targets/metadata?match_target=rate(x%5B5m%5D)'
same '/api/v1/targets/metadata?limit=0'
same '/api/v1/targets/metadata?limit=x'
same '/api/v1/targets?state=dropped'
same '/api/v1/targets?state=Dropped&scrapePool=dropme'
same '/api/v1/targets?state=dropped&scrapePool=node'
same '/api/v1/targets?state=nothing'

# Limits take whatever Prometheus's map order gives: compare their effect.
check "limit=2: two metrics, each with all its entries, on both" \
    python3 - "$P" "$S" <<'PY'
import json, sys, urllib.request
for base in sys.argv[1:]:
    full = json.load(urllib.request.urlopen(base + "/api/v1/metadata"))["data"]
    two = json.load(urllib.request.urlopen(base +
                                           "/api/v1/metadata?limit=2"))["data"]
    assert len(two) == 2 and all(sorted(map(json.dumps, v)) ==
                                 sorted(map(json.dumps, full[k]))
                                 for k, v in two.items()), (base, two)
PY
check "targets/metadata limit=1: all of one target's entries, on both" \
    python3 - "$P" "$S" <<'PY'
import json, sys, urllib.request
for base in sys.argv[1:]:
    full = json.load(urllib.request.urlopen(base +
                                            "/api/v1/targets/metadata"))["data"]
    one = json.load(urllib.request.urlopen(base +
                                           "/api/v1/targets/metadata?limit=1"))["data"]
    t = {json.dumps(e["target"], sort_keys=True) for e in one}
    assert len(t) == 1, (base, t)
    want = [e for e in full if json.dumps(e["target"], sort_keys=True) in t]
    assert len(want) == len(one), (base, len(want), len(one))
PY
check "active targets: the same ones, state=active hides dropped ones" \
    python3 - "$P" "$S" <<'PY'
import json, sys, urllib.request
got = []
for base in sys.argv[1:]:
    d = json.load(urllib.request.urlopen(base +
                                         "/api/v1/targets?state=active"))["data"]
    assert d["droppedTargets"] == [], base
    got.append(sorted((t["scrapePool"], json.dumps(t["labels"], sort_keys=True),
                       json.dumps(t["discoveredLabels"], sort_keys=True))
                      for t in d["activeTargets"]))
assert got[0] == got[1], got
PY

# The built-in collectors' metadata: what serve keeps for its own node
# and cadvisor targets is what Prometheus keeps scraping their text, and
# the node families say what the real node_exporter says.
check "builtin:node and builtin:cadvisor metadata as Prometheus has it" \
    python3 - "$P" "$H" <<'PY'
import json, sys, time, urllib.parse, urllib.request
P, H = sys.argv[1:]
def entries(base, job):
    q = urllib.parse.quote('{job="%s"}' % job)
    d = json.load(urllib.request.urlopen(
        base + "/api/v1/targets/metadata?match_target=" + q))["data"]
    return {e["metric"]: (e["type"], e["help"], e["unit"]) for e in d}
for _ in range(300):
    if entries(P, "expose_node") and entries(P, "expose_cadvisor"):
        break
    time.sleep(0.2)
for mine, theirs in (("node", "expose_node"), ("cadvisor", "expose_cadvisor")):
    a, b = entries(H, mine), entries(P, theirs)
    assert a and a == b, (mine, sorted(set(a.items()) ^ set(b.items()))[:5])
real = entries(P, "node")
own = entries(H, "node")
both = [m for m in own if m in real]
assert len(both) >= 100, len(both)
bad = [(m, own[m], real[m]) for m in both if own[m] != real[m]]
assert not bad, bad[:5]
print("%d node families as node_exporter says" % len(both))
PY

# --- the explore prompt's hint line: the type and HELP of the metric ----
if ! command -v tmux >/dev/null 2>&1; then
    echo "ok $((n + 1)) - explore hint line # SKIP tmux is not installed"
    finish
    exit
fi
sock="promdeck-e2e-$$"
on_exit 'tmux -L "$sock" kill-server 2>/dev/null'
# hint SESSION TYPED WANT WHAT: in explore, TYPED then Tab shows WANT.
hint() {
    tm send-keys -t "$1" C-u
    tm send-keys -t "$1" -l "$2"
    tm send-keys -t "$1" Tab
    expect "$1" "$3" "$4"
}
tm new-session -d -s remote -x 140 -y 30 \
    "TERM=tmux-256color '$PROMDECK' --source '$P'; sleep 60"
expect remote "Golden signals" "--source on Prometheus: the dashboard"
tm send-keys -t remote e
expect remote "Tab completes" "--source: e opens explore"
hint remote go_gorout "gauge Number of goroutines that currently exist." \
    "--source: the hint shows the server's type and HELP"
hint remote rpc_seconds_buc "histogram A histogram" \
    "--source: a _bucket series shows its histogram's metadata"

tm new-session -d -s local -x 140 -y 30 \
    "TERM=tmux-256color '$PROMDECK' --config '$tmp/prom.yml'; sleep 60"
expect local "6/7 targets up" "local scrapes: every target but the dead one"
tm send-keys -t local e
expect local "Tab completes" "local: e opens explore"
hint local edge_untyp "unknown An untyped family" \
    "local: the hint shows the scraped type and HELP (untyped: unknown)"
hint local app_requests_cr "counter Requests handled, by HTTP code" \
    "local: an OpenMetrics counter's _created shows its family's"

# The built-in node collector: node_exporter's words for its families.
help=$(curl -sf "http://127.0.0.1:$nport/metrics" |
    sed -n 's/^# HELP node_load1 //p')
tm new-session -d -s host -x 140 -y 30 \
    "TERM=tmux-256color '$PROMDECK'; sleep 60"
expect host "targets up" "no arguments: this host's collectors"
tm send-keys -t host e
expect host "Tab completes" "host: e opens explore"
hint host node_load1 "gauge $help" \
    "builtin:node records node_exporter's TYPE and HELP ($help)"
finish
