#!/bin/sh
# The steps promdeck asks a real Prometheus for, read from Prometheus's
# own query log (query_log_file): each panel gets Grafana's step for its
# width, a resize changes it, and refreshes then ask for the tail only.
#
# Prometheus (the Debian package, on 127.0.0.1) scrapes itself every 5 s.
# The dashboard has a row of one panel and a row of two, over an hour; in
# a 120-column terminal the panels are 118 and 58 cells wide inside their
# frames, so Grafana's rule (range / width made a nice interval, never
# below the 5 s scrape interval) gives 3600 s / 118 = 30.5 s -> 30 s and
# 3600 s / 58 = 62 s -> 1 m; $__rate_interval in the 58-cell panel is
# max(1m + 5s, 4 * 5s) = 1m5s. At 240 columns: 238 and 118 cells, so
# 15 s and 30 s. promdeck scraping the same target itself (no --source)
# expands the queries the same way.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

PROM=${PROMETHEUS:-/usr/bin/prometheus}
if [ ! -x "$PROM" ]; then
    echo "ok 1 - --source steps # SKIP $PROM is not installed"
    exit 0
fi
use_tmux "--source steps"

port=$(free_port)
URL=http://127.0.0.1:$port
cat >"$tmp/prom.yml" <<YML
global:
  scrape_interval: 5s
  query_log_file: $tmp/queries.log
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ["127.0.0.1:$port"] }]
YML
"$PROM" --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address=127.0.0.1:$port >"$tmp/prom.log" 2>&1 &
prompid=$!
on_exit "kill $prompid 2>/dev/null"
check "Prometheus is ready" wait_http "$URL/-/ready" 30

scraped() {
    curl -sf --noproxy '*' "$URL/api/v1/query" --data-urlencode \
        'query=up' | grep -q '"value"'
}
i=0
while [ $i -lt 150 ] && ! scraped; do sleep 0.2; i=$((i + 1)); done
check "Prometheus has scraped itself" scraped

cat >"$tmp/dash.yaml" <<'YML'
title: steps
range: 1h
pages:
  - title: Steps
    rows:
      - panels:
          - { title: Wide, type: graph, expr: 'count(up) + 1' }
      - panels:
          - { title: Left, type: graph, expr: 'count(up) + 2' }
          - title: Right
            type: graph
            expr: 'sum(rate(prometheus_http_requests_total[$__rate_interval]))'
YML

# steps EXPR: the steps of the query_range requests for EXPR in the log,
# in order, as "start end step" lines (seconds).
steps() {
    python3 - "$tmp/queries.log" "$1" <<'PY'
import datetime, json, sys
def sec(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
for line in open(sys.argv[1]):
    p = json.loads(line).get("params", {})
    if p.get("query") == sys.argv[2] and "step" in p and p["step"] > 0:
        print("%d %d %g" % (sec(p["start"]), sec(p["end"]), p["step"]))
PY
}
# has_step EXPR STEP: a range request for EXPR at STEP seconds came.
has_step() {
    steps "$1" | awk -v s="$2" '$3 == s { f = 1 } END { exit !f }'
}
wait_step() {   # wait_step EXPR STEP: up to 30 s
    i=0
    while [ $i -lt 150 ]; do
        [ -f "$tmp/queries.log" ] && has_step "$1" "$2" && return 0
        sleep 0.2; i=$((i + 1))
    done
    steps "$1"
    return 1
}
RATE='sum(rate(prometheus_http_requests_total[1m5s]))'

# --once: the text snapshot's layout at --width 120.
"$PROMDECK" --source "$URL" -d "$tmp/dash.yaml" --once -o json --width 120 \
    >"$tmp/once.json" 2>"$tmp/err"
check "--once --width 120: the wide panel is asked for 30 s steps" \
    wait_step 'count(up) + 1' 30
check "--once: the left panel's step is 60 s" wait_step 'count(up) + 2' 60
check "--once: \$__rate_interval in the right panel is 1m5s, step 60 s" \
    wait_step "$RATE" 60
check "--once: the grid points lie on multiples of 30 s and 60 s" \
    python3 -c "
import json
p = json.load(open('$tmp/once.json'))['panels']
for panel, step in ((p[0], 30), (p[1], 60)):
    pts = panel['series'][0]['points']
    # every point but the last, the value at now
    assert all(t % step == 0 for t, v in pts[:-1]), (step, pts)"
# Locally (promdeck scraping Prometheus itself every 5 s) the panels get
# the same steps and the same $__rate_interval.
cat >"$tmp/local.yml" <<YML
global: { scrape_interval: 5s }
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ["127.0.0.1:$port"] }]
YML
"$PROMDECK" --config "$tmp/local.yml" -d "$tmp/dash.yaml" --once -o json \
    --width 120 >"$tmp/local.json" 2>"$tmp/err"
check "locally too: the same queries, \$__rate_interval 1m5s" python3 -c "
import json
p = json.load(open('$tmp/local.json'))['panels']
assert p[2]['queries'] == ['$RATE'], p[2]['queries']
for panel, step in ((p[0], 30), (p[1], 60)):
    for s in panel['series']:
        assert all(t % step == 0 for t, v in s['points'][:-1]), (step, s)"
: >"$tmp/queries.log"

# The TUI at 120 columns, then widened to 240.
tm new-session -d -s s -x 120 -y 40 \
    "TERM=tmux-256color '$PROMDECK' --source '$URL' -d '$tmp/dash.yaml'
     sleep 60"
expect s "Wide" "the TUI on the server draws the dashboard"
check "TUI, 120 columns: the wide panel at 30 s steps" \
    wait_step 'count(up) + 1' 30
check "TUI, 120 columns: the half-width panels at 60 s steps" \
    wait_step 'count(up) + 2' 60
check "TUI: \$__rate_interval is 1m5s there" wait_step "$RATE" 60
tm resize-window -t s -x 240 -y 40
check "widened to 240 columns: the wide panel now at 15 s steps" \
    wait_step 'count(up) + 1' 15
check "and the half-width ones at 30 s steps" wait_step 'count(up) + 2' 30
check "\$__rate_interval follows: max(30s + 5s, 20s) = 35s" \
    wait_step 'sum(rate(prometheus_http_requests_total[35s]))' 30
# Refreshes after that: the tail of the 15 s grid only (start at the last
# kept step, a step or two before the end), on multiples of the step.
tail_only() {
    steps 'count(up) + 1' | awk '$3 == 15 {
        n++; if (n > 1 && $2 - $1 <= 60) tail = 1
        if ($1 % 15 || $2 % 15) bad = 1 }
        END { exit !(tail && !bad) }'
}
i=0
while [ $i -lt 100 ] && ! tail_only; do sleep 0.2; i=$((i + 1)); done
check "then refreshes ask only for the tail, aligned to the step" tail_only
steps 'count(up) + 1' | tail -3 | sed 's/^/# start end step: /'
tm send-keys -t s q
finish
