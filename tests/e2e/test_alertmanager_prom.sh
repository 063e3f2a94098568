#!/bin/sh
# What promdeck POSTs to an Alertmanager, beside what the Debian
# Prometheus 2.42 POSTs for the same rule on the same scraped series: each
# sends to its own python receiver on 127.0.0.1 that logs the bodies.
# The first firing body and the resolved one must match field by field:
# the JSON keys, labels (external labels included), annotations, endsAt -
# startsAt (4 x the 1m resend delay while firing), and the generatorURL's
# path and query. Times themselves and the URL's host differ by nature.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

if ! command -v prometheus >/dev/null 2>&1; then
    echo "ok 1 - alerts sent as Prometheus sends them # SKIP no prometheus"
    exit 0
fi
use_tmux "alerts sent as Prometheus sends them"

cat >"$tmp/recv.py" <<'PY'
import http.server, os, sys
# Logs each POSTed body as one line; serves the metrics file on GET.
# Listens on a port of its own choosing (no other test can take it
# between choosing and binding) and writes it to argv[1].
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as f:
            f.write(self.path.encode() + b" " + body + b"\n")
        self.send_response(200)
        self.end_headers()
    def do_GET(self):
        data = open(sys.argv[3], "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
PY
printf 'flag{disk="sda"} 1\n' >"$tmp/metrics"
cat >"$tmp/rules.yml" <<'Y'
groups:
  - name: cmp
    interval: 1s
    rules:
      - alert: Flag
        expr: flag==1   # both link it as "flag == 1"
        labels: {severity: page}
        annotations:
          summary: 'flag on {{ $labels.disk }} is {{ $value | humanize }}'
Y
for who in prom deck; do
    python3 "$tmp/recv.py" "$tmp/$who.port" "$tmp/$who.log" "$tmp/metrics" &
    on_exit "kill $! 2>/dev/null"
done
# Both receivers must listen before anyone sends: a first POST that is
# refused is not retried until the resend delay, a minute later.
for who in prom deck; do
    i=0
    until [ -s "$tmp/$who.port" ] || [ $i -gt 100 ]; do
        sleep 0.1; i=$((i + 1))
    done
    port=$(cat "$tmp/$who.port" 2>/dev/null)
    eval "${who}_port=$port"
    i=0
    until curl -sf "http://127.0.0.1:$port/metrics" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt 100 ] && break
        sleep 0.1
    done
done
# Both scrape the same target (the first receiver), so labels match.
for who in prom deck; do
    eval "port=\$${who}_port"
    cat >"$tmp/$who.yml" <<Y
global: {scrape_interval: 1s, evaluation_interval: 1s,
         external_labels: {cluster: cmp}}
rule_files: [rules.yml]
alerting:
  alertmanagers: [{static_configs: [{targets: ['127.0.0.1:$port']}]}]
scrape_configs:
  - job_name: flag
    static_configs: [{targets: ['127.0.0.1:$prom_port']}]
Y
done
prometheus --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$(free_port)" >"$tmp/prom.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
tm new-session -d -s c -x 140 -y 30 \
    "LC_ALL=C.UTF-8 '$PROMDECK' --config '$tmp/deck.yml'; sleep 60"

lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
wait_lines() {  # wait_lines N: until both receivers logged N bodies (60s)
    i=0
    while [ $i -lt 300 ]; do
        [ "$(lines "$tmp/prom.log")" -ge "$1" ] &&
            [ "$(lines "$tmp/deck.log")" -ge "$1" ] && return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}
if wait_lines 1; then ok "both send the firing alert"
else not_ok "both send the firing alert" "$(tail -3 "$tmp/prom.out")"; fi
printf 'flag{disk="sda"} 0\n' >"$tmp/metrics"
if wait_lines 2; then ok "both send the resolved alert"
else not_ok "both send the resolved alert"; fi
check "promdeck's bodies match Prometheus's field by field" \
    python3 -c 'import json, sys, datetime as dt
from urllib.parse import urlsplit
def bodies(path):
    out = []
    for line in open(path, "rb"):
        where, body = line.split(b" ", 1)
        out.append((where.decode(), json.loads(body)))
    return out
t = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
p, d = bodies(sys.argv[1]), bodies(sys.argv[2])
for k in (0, 1):
    (pw, pb), (dw, db) = p[k], d[k]
    assert pw == dw, (pw, dw)
    assert len(pb) == len(db) == 1, (pb, db)
    pa, da = pb[0], db[0]
    assert sorted(pa) == sorted(da), (sorted(pa), sorted(da))
    for key in ("labels", "annotations"):
        assert pa[key] == da[key], (key, pa[key], da[key])
    span = lambda a: (t(a["endsAt"]) - t(a["startsAt"])).total_seconds()
    if k == 0:
        assert span(pa) == span(da) == 240, (span(pa), span(da))
    else:
        assert 0 < span(da) < 30 and 0 < span(pa) < 30, (pa, da)
    u, v = urlsplit(pa["generatorURL"]), urlsplit(da["generatorURL"])
    assert (u.path, u.query) == (v.path, v.query), (u, v)' \
    "$tmp/prom.log" "$tmp/deck.log"
tm kill-session -t c
finish
