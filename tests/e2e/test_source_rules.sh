#!/bin/sh
# The alerts and rules views on a server, in tmux: --source on the Debian
# Prometheus 2.42 and attach on promdeck serve, both running the same
# rule file on the same target, show the server's groups, rules and
# alerts, with the counts in the title bar, and follow the server when
# the alert resolves. Behind a proxy that answers 404 for the rules and
# alerts APIs (as Thanos Query or Mimir's querier without a ruler do),
# the views say the server has no rules API; when it answers an error,
# they show the server's error text. --once -o json carries the server's
# alerts and rules too.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

PROM=${PROMETHEUS:-/usr/bin/prometheus}
if [ ! -x "$PROM" ]; then
    echo "ok 1 - alerts and rules views on a server # SKIP no prometheus"
    exit 0
fi
use_tmux "alerts and rules views on a server"

webport=$(free_port)
pport=$(free_port)
P="http://127.0.0.1:$pport"
usock="$tmp/run/promdeck.sock"

mkdir "$tmp/www"
printf '# TYPE e2e_flag gauge\ne2e_flag{disk="sda"} 1\n' >"$tmp/www/metrics"
python3 -m http.server "$webport" --bind 127.0.0.1 \
    --directory "$tmp/www" >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"
cat >"$tmp/rules.yml" <<'Y'
groups:
  - name: flags
    interval: 1s
    rules:
      - record: job:e2e_flag:sum
        expr: sum by (job) (e2e_flag)
      - alert: E2EFlag
        expr: e2e_flag == 1
        labels: {severity: page}
        annotations:
          summary: 'flag on {{ $labels.disk }} is {{ $value }}'
Y
cat >"$tmp/config.yml" <<Y
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [rules.yml]
scrape_configs:
  - job_name: flag
    static_configs: [{targets: ['127.0.0.1:$webport']}]
Y
"$PROM" --config.file="$tmp/config.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$tmp/prom.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
"$PROMDECK" serve --config "$tmp/config.yml" --listen "unix:$usock" \
    2>"$tmp/serve.log" &
on_exit "kill $! 2>/dev/null"

# A proxy to Prometheus whose rules and alerts APIs answer as the file
# $tmp/mode says: "404" (no such API) or "error" (a 500 with
# Prometheus's error body). It writes the port it chose to $tmp/proxy.port.
cat >"$tmp/proxy.py" <<'PY'
import http.server, os, sys, urllib.request, urllib.error
prom, portfile, modefile = sys.argv[1:4]
class H(http.server.BaseHTTPRequestHandler):
    def answer(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def forward(self, data=None):
        path = self.path.split("?")[0]
        if path in ("/api/v1/rules", "/api/v1/alerts"):
            if open(modefile).read().strip() == "404":
                return self.answer(404, b"404 page not found\n", "text/plain")
            return self.answer(500, b'{"status":"error","errorType":'
                b'"internal","error":"rule manager is unavailable"}',
                "application/json")
        req = urllib.request.Request(prom + self.path, data=data,
                                     headers={k: v for k, v in self.headers.items()
                                              if k.lower() in ("content-type",)})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                self.answer(r.status, r.read(), r.headers["Content-Type"])
        except urllib.error.HTTPError as e:
            self.answer(e.code, e.read(), e.headers["Content-Type"] or "text/plain")
    def do_GET(self):
        self.forward()
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.forward(self.rfile.read(n))
    def log_message(self, *args):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
PY
echo 404 >"$tmp/mode"
python3 "$tmp/proxy.py" "$P" "$tmp/proxy.port" "$tmp/mode" &
on_exit "kill $! 2>/dev/null"

check "Prometheus answers" wait_http "$P/-/ready" 30
check "serve answers on its socket" wait_http http://x/-/ready 30 \
    --unix-socket "$usock"
i=0
until [ -s "$tmp/proxy.port" ] || [ $i -gt 100 ]; do
    sleep 0.1; i=$((i + 1))
done
X="http://127.0.0.1:$(cat "$tmp/proxy.port")"

run() {     # run SESSION ARGS...: promdeck in a new tmux session
    s=$1
    shift
    tm new-session -d -s "$s" -x 130 -y 30 \
        "LC_ALL=C.UTF-8 '$PROMDECK' $*; sleep 60"
}
run prom --source "$P"
run deck attach "unix:$usock"
run proxy --source "$X"

for s in prom deck; do
    what=$([ $s = prom ] && echo "--source on Prometheus" ||
           echo "attach on serve")
    tm send-keys -t $s 4
    expect $s "E2EFlag  firing (1 active)" "$what: the alerts view" 30
    expect $s "summary: flag on sda is 1" "$what: the alert's annotation"
    expect $s "1 firing  0 pending" "$what: the counts in the title bar"
    tm send-keys -t $s 5
    expect $s "record: job:e2e_flag:sum" "$what: the rules view"
    expect $s "sum by (job) (e2e_flag)" "$what: the rule's query"
    tm send-keys -t $s 4
done

# --once -o json on a server: its alerts and rules in the snapshot.
"$PROMDECK" --source "$P" --once -o json >"$tmp/once.prom" 2>"$tmp/once.err"
"$PROMDECK" attach "unix:$usock" --once -o json >"$tmp/once.deck" \
    2>>"$tmp/once.err"
for w in prom deck; do
    check "--once -o json on $w: the server's alerts and rules" \
        python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))
a = [a for a in o["alerts"] if a["name"] == "E2EFlag"][0]
assert a["state"] == "firing" and a["group"] == "flags", a
assert a["annotations"]["summary"] == "flag on sda is 1", a
assert a["labels"]["severity"] == "page", a
names = sorted(r["name"] for r in o["rules"])
assert names == ["E2EFlag", "job:e2e_flag:sum"], names
assert all(r["health"] == "ok" for r in o["rules"]), o["rules"]' \
        "$tmp/once.$w"
done

# The series stops matching: both views follow the server.
printf '# TYPE e2e_flag gauge\ne2e_flag{disk="sda"} 0\n' >"$tmp/www/metrics"
for s in prom deck; do
    expect $s "E2EFlag  inactive" "$s: the resolved alert leaves the view" 30
    expect $s "0 firing  0 pending" "$s: the title bar counts follow"
done

tm send-keys -t proxy 4
expect proxy "this server has no /api/v1/rules (HTTP 404)" \
    "a server without the rules API says so in the alerts view"
check "and lists no rules" sh -c \
    "! tmux -L '$sock' capture-pane -p -t proxy | grep -q 'no rules loaded'"
tm send-keys -t proxy 5
expect proxy "this server has no /api/v1/rules (HTTP 404)" \
    "and in the rules view"
echo error >"$tmp/mode"
expect proxy "rule manager is unavailable" \
    "a server's error shows its error text" 30
for s in prom deck proxy; do tm kill-session -t $s; done
finish
