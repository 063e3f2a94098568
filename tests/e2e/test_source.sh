#!/bin/sh
# --source and attach against the real Debian Prometheus on 127.0.0.1.
#
# Prometheus scrapes the demo (the chapter-9 stack) every second for a
# while and is then restarted on the same TSDB with no scrape jobs, so its
# data stands still and every answer can be checked afterwards without a
# race against new samples. Then:
# - every panel of the built-in dashboard and of the chapter-9 Grafana
#   dashboard, run with --source --once -o json, shows exactly what
#   Prometheus's own API answers for the same expression at the same time
#   (each point of each series; every series Prometheus has at now);
# - promdeck query --source prints Prometheus's body, and its error body
#   for a 400 (too many points);
# - a 422 from the server, a dead server and a stalled one (timeout) show
#   as each panel's error, and the TUI keeps answering keys meanwhile;
# - attach over a Unix socket (a forwarder to Prometheus's port) shows the
#   dashboard and the targets; with Prometheus stopped it shows the
#   banner, and the panels come back when it returns.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

PROM=${PROMETHEUS:-/usr/bin/prometheus}
if [ ! -x "$PROM" ]; then
    echo "ok 1 - --source tests # SKIP $PROM is not installed"
    exit 0
fi
use_tmux "--source tests"

# The demo, live in tmux (no outages: its cycle is longer than the test).
tm new-session -d -s demo -x 120 -y 30 \
    "PROMDECK_DEMO_CYCLE=100000:1 TERM=tmux-256color '$PROMDECK' --demo;
     sleep 60"
expect demo "Golden signals" "the demo runs"
# The pane's shell runs promdeck, whose one child serves the targets.
pane=$(tm display-message -p -t demo '#{pane_pid}')
server=$(pgrep -P "$(pgrep -P "$pane" | head -1)" | head -1)

# The demo's targets by job: each port's metrics say which app it is.
promport=$(free_port)
python3 - "$server" "$promport" >"$tmp/prom.yml" <<'PY'
import re, subprocess, sys, urllib.request
pid, promport = sys.argv[1], sys.argv[2]
out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout
ports = sorted(set(re.findall(r"127\.0\.0\.1:(\d+).*pid=%s," % pid, out)))
jobs = {}
for p in ports:
    for path in ("/actuator/prometheus", "/metrics"):
        try:
            body = urllib.request.urlopen(
                "http://127.0.0.1:%s%s" % (p, path), timeout=5).read().decode()
        except Exception:
            continue
        job = ("iotd-api" if "iotd_api_" in body else
               "image-gallery" if "image_gallery_" in body else
               "access-log" if "access_log_total" in body else
               "docker" if "engine_daemon_" in body else None)
        if job:
            jobs.setdefault((job, path), []).append("127.0.0.1:" + p)
            break
print("global: { scrape_interval: 1s, scrape_timeout: 1s }")
print("scrape_configs:")
for (job, path), targets in sorted(jobs.items()):
    print("  - job_name: %s\n    metrics_path: %s" % (job, path))
    print("    static_configs: [{ targets: [%s] }]" %
          ", ".join('"%s"' % t for t in targets))
PY
check "Prometheus gets all 8 demo targets in 4 jobs" sh -c "
    [ \$(grep -c job_name '$tmp/prom.yml') -eq 4 ] &&
    [ \$(grep -o '127.0.0.1:' '$tmp/prom.yml' | wc -l) -eq 8 ]"

PROMURL=http://127.0.0.1:$promport
start_prom() {  # start_prom CONFIG: Prometheus on $tmp/tsdb, pid in $prompid
    "$PROM" --config.file="$1" --storage.tsdb.path="$tmp/tsdb" \
        --web.listen-address=127.0.0.1:$promport >>"$tmp/prom.log" 2>&1 &
    prompid=$!
    on_exit "kill $prompid 2>/dev/null"
    wait_http "$PROMURL/-/ready" 30
}
start_prom "$tmp/prom.yml"
# Scraped long enough for the dashboards' 1m rates at every recent step.
ready() {
    curl -sf --noproxy '*' "$PROMURL/api/v1/query" \
        --data-urlencode 'query=min(count_over_time(up[1m])) >= 25' |
        grep -q '"value"'
}
i=0
while [ $i -lt 600 ] && ! ready; do sleep 0.1; i=$((i + 1)); done
check "Prometheus scraped the demo for 25 s" ready
# The targets view's data, while Prometheus still scrapes.
"$PROMDECK" --source "$PROMURL" --once -o json >"$tmp/live.json" 2>&1
check "--source --once lists the server's 8 targets, all up" \
    python3 -c "
import json, sys
t = json.load(open('$tmp/live.json'))['targets']
assert len(t) == 8 and {x['job'] for x in t} == {'image-gallery',
    'iotd-api', 'access-log', 'docker'}, t
assert all(x['health'] == 'up' for x in t), t"
stop "$prompid"
tm kill-session -t demo
printf 'global: { scrape_interval: 15s }\n' >"$tmp/still.yml"
check "Prometheus restarted on the same data, scraping nothing" \
    start_prom "$tmp/still.yml"

# compare SNAPSHOT: every point of every series against Prometheus.
compare() {
    python3 - "$1" "$PROMURL" <<'PY'
import json, math, sys, urllib.parse, urllib.request
snap = json.load(open(sys.argv[1]))
url = sys.argv[2]
def prom(expr, t):
    body = urllib.parse.urlencode({"query": expr, "time": repr(t)}).encode()
    ans = json.load(urllib.request.urlopen(url + "/api/v1/query", body))
    assert ans["status"] == "success", ans
    d = ans["data"]
    if d["resultType"] == "scalar":
        return {(): d["result"][1]}
    return {tuple(sorted(s["metric"].items())): s["value"][1]
            for s in d["result"]}
def same(want, got):
    w = float(want)
    if math.isnan(w) or math.isinf(w):
        return got is None
    return got == w
points = with_data = 0
for p in snap["panels"]:
    assert "error" not in p, (p["title"], p["error"])
    times = {}
    for s in p["series"]:
        for t, v in s["points"]:
            times.setdefault((s["query"], t), []).append((s, v))
    # the time now: every series Prometheus has must be on the panel
    for q in {s["query"] for s in p["series"]} | set(p.get("queries", [])):
        want = prom(q, snap["time"])
        have = {tuple(sorted(s["labels"].items())) for s in p["series"]
                if s["query"] == q and s["points"]
                and s["points"][-1][0] == snap["time"]}
        assert set(want) == have, (p["title"], q, sorted(want), sorted(have))
    for (q, t), got in times.items():
        want = prom(q, t)
        for s, v in got:
            key = tuple(sorted(s["labels"].items()))
            assert key in want, (p["title"], q, t, key, "not in Prometheus")
            assert same(want[key], v), (p["title"], q, t, key, want[key], v)
            points += 1
    with_data += bool(p["series"])
print("%d panels, %d with data, %d points checked" %
      (len(snap["panels"]), with_data, points))
assert with_data >= len(snap["panels"]) // 2, "too few panels with data"
PY
}

"$PROMDECK" --source "$PROMURL" --once -o json --timeout 30s \
    >"$tmp/builtin.json" 2>"$tmp/err"
echo $? >"$tmp/rc"
check "--source --once: the built-in dashboard, exit 0" \
    sh -c "[ \$(cat '$tmp/rc') -eq 0 ] && [ -s '$tmp/builtin.json' ]"
check "built-in dashboard: every point is Prometheus's answer" \
    compare "$tmp/builtin.json"
cat "$tmp/check.out" | sed 's/^/# /'

CH09=$TESTDATA/diamol-ch09/exercises-grafana-dashboard.json
"$PROMDECK" --source "$PROMURL" -d "$CH09" --once -o json --timeout 30s \
    >"$tmp/ch09.json" 2>"$tmp/err"
echo $? >"$tmp/rc"
check "--source -d chapter-9 Grafana dashboard --once, exit 0" \
    sh -c "[ \$(cat '$tmp/rc') -eq 0 ] && [ -s '$tmp/ch09.json' ]"
check "chapter-9 dashboard: every point is Prometheus's answer" \
    compare "$tmp/ch09.json"
cat "$tmp/check.out" | sed 's/^/# /'
# Chained template variables read on the server: the job, then that
# job's instances (a request each, the second built from the first's
# answer), then the panels with both.
cat >"$tmp/vars.yaml" <<'YML'
title: vars
variables:
  - name: job
    query: label_values(up, job)
  - name: instance
    query: label_values(up{job="$job"}, instance)
pages:
  - title: By job
    rows:
      - panels:
          - title: Up in $job
            type: stat
            expr: 'sum(up{job="$job", instance="$instance"})'
          - title: Targets of $job
            type: table
            expr: 'up{job="$job"}'
YML
"$PROMDECK" --source "$PROMURL" -d "$tmp/vars.yaml" --once -o json \
    >"$tmp/vars.json" 2>"$tmp/err"
check "variables on the server: the first job, its first instance" \
    python3 - "$tmp/vars.json" "$PROMURL" <<'PY'
import json, sys, urllib.parse, urllib.request
snap, url = json.load(open(sys.argv[1])), sys.argv[2]
def get(path):
    return json.load(urllib.request.urlopen(url + path))["data"]
jobs = get("/api/v1/label/job/values")
job = sorted(jobs)[0]
inst = sorted(s["instance"] for s in get("/api/v1/series?" +
    urllib.parse.urlencode({"match[]": 'up{job="%s"}' % job})))[0]
p = snap["panels"]
assert p[0]["title"] == "Up in " + job, p[0]["title"]
assert p[0]["queries"] == ['sum(up{job="%s", instance="%s"})' % (job, inst)
                           ], p[0]["queries"]
# (its value is compared with Prometheus's below: a demo target whose
# scrape timed out on a loaded machine reads 0)
assert len(p[0]["series"]) == 1, p[0]
assert p[1]["title"] == "Targets of " + job, p[1]["title"]
PY
check "variables on the server: every point is Prometheus's answer" \
    compare "$tmp/vars.json"

# promdeck query --source: Prometheus's own body.
T=$(python3 -c "import json; print(json.load(open('$tmp/ch09.json'))['time'])")
"$PROMDECK" query --source "$PROMURL" --time "$T" -o json \
    'sum by (job) (up)' >"$tmp/q.json"
curl -sf --noproxy '*' "$PROMURL/api/v1/query" --data-urlencode \
    'query=sum by (job) (up)' --data-urlencode "time=$T" >"$tmp/q.want"
check "query --source -o json is the body Prometheus sends" \
    python3 -c "
import json
a, b = json.load(open('$tmp/q.json')), json.load(open('$tmp/q.want'))
key = lambda r: sorted(r['data']['result'], key=lambda s: str(s['metric']))
assert a['status'] == b['status'] == 'success'
assert key(a) == key(b), (a, b)"
"$PROMDECK" query --source "$PROMURL" -o json --start 1000 --end 5000 \
    --step 100ms 'up' >"$tmp/q400.json" 2>"$tmp/q400.err"
echo $? >"$tmp/rc"
curl -s --noproxy '*' "$PROMURL/api/v1/query_range" --data-urlencode \
    'query=up' -d start=1000 -d end=5000 -d step=0.1 >"$tmp/q400.want"
check "a 400 from the server: exit 1, its error text, its error body" \
    sh -c "[ \$(cat '$tmp/rc') -eq 1 ] &&
        grep -q 'HTTP 400: bad_data: exceeded maximum resolution' \
            '$tmp/q400.err' &&
        python3 -c \"import json; assert json.load(open('$tmp/q400.json')) \
            == json.load(open('$tmp/q400.want'))\""

# A 422 execution error on one panel; the others still have data.
cat >"$tmp/dup.yaml" <<'YML'
title: errors
pages:
  - title: Errors
    rows:
      - panels:
          - title: Clash
            type: stat
            expr: 'up + on() up'
          - title: Fine
            type: stat
            expr: 'sum(up)'
YML
"$PROMDECK" --source "$PROMURL" -d "$tmp/dup.yaml" --once -o json \
    >"$tmp/dup.json" 2>"$tmp/err"
echo $? >"$tmp/rc"
check "a 422 shows on its own panel, with the server's text; exit 1" \
    python3 -c "
import json, urllib.parse, urllib.request
snap = json.load(open('$tmp/dup.json'))
p = snap['panels']
assert open('$tmp/rc').read().strip() == '1', open('$tmp/err').read()
assert 'HTTP 422: execution: ' in p[0]['error'], p[0]
# sum(up) as Prometheus answers it at the snapshot's time (8 with every
# demo target up; a scrape that timed out on a loaded machine counts 0)
body = urllib.parse.urlencode({'query': 'sum(up)',
                               'time': repr(snap['time'])}).encode()
want = json.load(urllib.request.urlopen('$PROMURL/api/v1/query', body))
want = float(want['data']['result'][0]['value'][1])
assert 'error' not in p[1] and p[1]['series'][0]['value'] == want, (p[1], want)"

# A dead server: every panel says so, exit 1.
dead=$(free_port)
"$PROMDECK" --source "http://127.0.0.1:$dead" --once -o json \
    >"$tmp/dead.json" 2>"$tmp/err"
echo $? >"$tmp/rc"
check "a dead server: exit 1, each panel says connection refused" \
    python3 -c "
import json
p = json.load(open('$tmp/dead.json'))['panels']
assert open('$tmp/rc').read().strip() == '1'
assert p and all('connection refused' in x.get('error', '').lower()
                 for x in p), [x.get('error') for x in p]"

# A server that accepts and never answers: the timeout of the
# --source-config file ends each request.
stallport=$(free_port)
python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $stallport)); s.listen(64)
held = []
end = time.time() + 120
s.settimeout(1)
while time.time() < end:
    try: held.append(s.accept()[0])
    except OSError: pass
" &
stallpid=$!
on_exit "kill $stallpid 2>/dev/null"
i=0
while [ $i -lt 50 ] && ! python3 -c "import socket
socket.create_connection(('127.0.0.1', $stallport))" 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
done
printf 'timeout: 2s\nbasic_auth: { username: me, password: s3cr3t-pw }\n' \
    >"$tmp/src.yml"
"$PROMDECK" --source "http://127.0.0.1:$stallport" --source-config \
    "$tmp/src.yml" --once -o json >"$tmp/stall.json" 2>"$tmp/stall.err"
echo $? >"$tmp/rc"
check "a stalled server: exit 1, each panel says timeout" \
    python3 -c "
import json
p = json.load(open('$tmp/stall.json'))['panels']
assert open('$tmp/rc').read().strip() == '1'
assert p and all('timeout' in x.get('error', '') for x in p), p"
check "the password appears nowhere in the output" \
    sh -c "! grep -q s3cr3t-pw '$tmp/stall.json' '$tmp/stall.err'"

# The TUI on the stalled server still answers keys.
tm new-session -d -s stall -x 120 -y 35 \
    "TERM=tmux-256color '$PROMDECK' --source http://127.0.0.1:$stallport \
     --source-config '$tmp/src.yml'; sleep 60"
expect stall "Golden signals" "TUI on a stalled server: the dashboard draws"
tm send-keys -t stall '?'
expect stall "Keys" "a stalled server: ? opens help at once" 3
tm send-keys -t stall Escape
tm send-keys -t stall 3
expect stall "LAST SCRAPE" "a stalled server: 3 shows the targets view" 3
expect stall "timeout after 2s" "then the targets view shows the timeout" 10
tm send-keys -t stall q
stop "$stallpid"

# attach over a Unix socket: a forwarder to Prometheus's port.
mkdir -p "$tmp/run/promdeck"
python3 - "$tmp/run/promdeck/promdeck.sock" "$promport" <<'PY' &
import os, socket, sys, threading, time
path, port = sys.argv[1], int(sys.argv[2])
srv = socket.socket(socket.AF_UNIX); srv.bind(path); srv.listen(16)
srv.settimeout(1)
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
    except OSError: pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
end = time.time() + 180
while time.time() < end:
    try: c = srv.accept()[0]
    except OSError: continue
    try: u = socket.create_connection(("127.0.0.1", port))
    except OSError: c.close(); continue
    for a, b in ((c, u), (u, c)):
        threading.Thread(target=pipe, args=(a, b), daemon=True).start()
PY
fwdpid=$!
on_exit "kill $fwdpid 2>/dev/null"
i=0; while [ ! -S "$tmp/run/promdeck/promdeck.sock" ] && [ $i -lt 50 ]; do
    sleep 0.1; i=$((i + 1)); done

XDG_RUNTIME_DIR=$tmp/run "$PROMDECK" attach -d "$CH09" --once -o json \
    >"$tmp/attach.json" 2>"$tmp/err"
echo $? >"$tmp/rc"
check "attach --once on the default socket: exit 0, same panels" \
    python3 -c "
import json
a = json.load(open('$tmp/attach.json'))
assert open('$tmp/rc').read().strip() == '0', open('$tmp/err').read()
b = json.load(open('$tmp/ch09.json'))
assert [p['title'] for p in a['panels']] == [p['title'] for p in b['panels']]
assert sum(len(p['series']) for p in a['panels']) == \
       sum(len(p['series']) for p in b['panels'])"

tm new-session -d -s att -x 140 -y 40 \
    "XDG_RUNTIME_DIR=$tmp/run TERM=tmux-256color '$PROMDECK' attach; sleep 60"
expect att "Golden signals" "attach: the dashboard appears"
expect att "image-gallery" "attach: the server's series on the panels"
tm send-keys -t att e
expect att "Tab completes" "attach: e opens the explore prompt"
tm send-keys -t att -l 'image_gallery_requests_t'
tm send-keys -t att Tab
expect att "> image_gallery_requests_total" \
    "Tab completes a metric name from the server"
tm send-keys -t att Enter
expect att 'code="200"' "Enter evaluates it on the server"
tm send-keys -t att C-u
tm send-keys -t att -l 'sum(image_gallery_requests_total{code="2'
# One Tab: it asks the server for the label's values (none are kept for
# code yet) and completes when they come, without another key, as Tab
# completes at once on the store.
tm send-keys -t att Tab
expect att '> sum(image_gallery_requests_total{code="200"' \
    "the first Tab completes a label value from the server" 10
tm send-keys -t att C-u Escape
stop "$prompid"
# (a refresh comes every scrape_interval, 15 s here)
expect att "unreachable" "Prometheus stopped: attach shows the banner" 40
expect att "error: " "and each panel its error" 40
tm send-keys -t att 3
expect att "LAST SCRAPE" "while it is down keys still work" 3
tm send-keys -t att 1
start_prom "$tmp/still.yml"
expect att "targets up" "Prometheus back: the status line is back" 40
expect_gone att "unreachable" "and the banner has gone"
expect att "image-gallery" "and the data is back" 40
expect_gone att "error: " "and the panels' errors have gone"
tm send-keys -t att q
finish
