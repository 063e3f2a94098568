#!/bin/sh
# promdeck HOST:PORT / URL: endpoints scraped with no prometheus.yml,
# against a small HTTP server on 127.0.0.1. Jobs are named after the host
# and instances are host:port (host:port/path when one host and port
# serve two paths), as the equivalent static_configs would give in
# Prometheus; the targets' labels and discovered labels in --once JSON;
# what --once says on stderr while it waits; the refusals.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

cat >"$tmp/server.py" <<'PY'
import http.server, sys, time
body = (b"# TYPE demo_requests_total counter\n"
        b'demo_requests_total{code="200"} 10\n'
        b"# TYPE demo_temperature gauge\n"
        b"demo_temperature 21.5\n")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], "a") as log:
            log.write(self.path + "\n")
        path = self.path.split("?")[0]
        if path not in ("/metrics", "/two/metrics", "/slow/metrics"):
            self.send_error(404)
            return
        if path == "/slow/metrics":
            time.sleep(3)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PY
python3 "$tmp/server.py" "$tmp/port" "$tmp/requests" &
server=$!
on_exit "kill $server 2>/dev/null"
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")

"$PROMDECK" "127.0.0.1:$port" --once -o json --timeout 30s \
    >"$tmp/one.json" 2>"$tmp/one.err"
rc=$?
[ $rc -eq 0 ] && ok "promdeck 127.0.0.1:PORT --once -o json exits 0" \
    || not_ok "promdeck 127.0.0.1:PORT --once -o json exits 0 (got $rc)" \
        "$(cat "$tmp/one.err")"
check "one word: job after the host, instance host:port, labels as Prometheus's" \
    python3 - "$tmp/one.json" "$port" <<'PY'
import json, sys
snap = json.load(open(sys.argv[1]))
port = sys.argv[2]
(t,) = snap["targets"]
inst = "127.0.0.1:" + port
assert (t["job"], t["instance"], t["health"]) == ("127.0.0.1", inst, "up"), t
assert t["url"] == "http://%s/metrics" % inst, t
# /api/v1/targets' "labels" (after relabelling, no __ labels) and
# "discoveredLabels" for a static target of a job with a 5s interval.
assert t["labels"] == {"job": "127.0.0.1", "instance": inst}, t
assert t["discovered_labels"] == {
    "__address__": inst, "__metrics_path__": "/metrics",
    "__scheme__": "http", "__scrape_interval__": "5s",
    "__scrape_timeout__": "5s", "job": "127.0.0.1"}, t
# Every scraped series carries the target's labels.
panels = {p["title"]: p for p in snap["panels"]}
up = [s for s in panels["Targets"]["series"] if s["query"] == "up"]
assert [s["labels"] for s in up] == [
    {"__name__": "up", "job": "127.0.0.1", "instance": inst}], up
PY
check "stdout holds the JSON alone; stderr at most says what it waits for" \
    sh -c "[ \$(wc -l < '$tmp/one.json') -eq 1 ] &&
           ! grep -qv '^promdeck: waiting for ' '$tmp/one.err'"

"$PROMDECK" --once -o json --timeout 30s "http://127.0.0.1:$port/metrics" \
    "localhost:$port" "127.0.0.1:$port/two/metrics?name%5B%5D=x" \
    "http://127.0.0.1:$port/metrics" >"$tmp/many.json" 2>"$tmp/many.err"
rc=$?
check "several URLs: one job per host, distinct instances, the query sent" \
    python3 - "$tmp/many.json" "$port" "$rc" "$tmp/requests" <<'PY'
import json, sys
snap = json.load(open(sys.argv[1]))
port, rc = sys.argv[2], sys.argv[3]
assert rc == "0", "exit status " + rc
got = sorted((t["job"], t["instance"], t["url"], t["health"])
             for t in snap["targets"])
a = "127.0.0.1:" + port
assert got == [
    ("127.0.0.1", a + "/metrics", "http://%s/metrics" % a, "up"),
    ("127.0.0.1", a + "/two/metrics?name%5B%5D=x",
     "http://%s/two/metrics?name%%5B%%5D=x" % a, "up"),
    ("localhost", "localhost:" + port,
     "http://localhost:%s/metrics" % port, "up")], got
two = [t for t in snap["targets"] if "/two/" in t["url"]][0]
assert two["discovered_labels"]["__param_name[]"] == "x", two
assert two["discovered_labels"]["__metrics_path__"] == "/two/metrics", two
assert "/two/metrics?name%5B%5D=x" in open(sys.argv[4]).read().split()
PY

# A slow target and a 1m interval: --once says on stderr what it waits
# for; stdout holds the JSON alone.
"$PROMDECK" "127.0.0.1:$port/slow/metrics" --once -o json --timeout 30s \
    >"$tmp/slow.json" 2>"$tmp/slow.err"
check "a slow target: stderr says it waits for the first scrape" \
    sh -c "grep -q '^promdeck: waiting for 1 of 1 targets (first scrape), up to [0-9]*s more\$' '$tmp/slow.err' &&
           python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$tmp/slow.json'"
"$PROMDECK" "127.0.0.1:$port" --scrape-interval 1m --once -o json \
    --timeout 9s >"$tmp/long.json" 2>"$tmp/long.err"
check "a 1m interval: stderr says the second scrape is awaited, then gives up" \
    sh -c "grep -q '^promdeck: waiting for 1 of 1 targets (second scrape for rates, next in [0-9ms]*), up to [0-9]s more\$' '$tmp/long.err' &&
           grep -q '^promdeck: stopped waiting after 9s (--timeout)' '$tmp/long.err' &&
           python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$tmp/long.json'"

"$PROMDECK" "http://admin:hunter2@127.0.0.1:$port/metrics" --once \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a password in a URL is refused as a config target's, and not shown" \
    sh -c "[ $rc -eq 2 ] && [ ! -s '$tmp/out' ] &&
           grep -qF 'admin:<secret>@127.0.0.1' '$tmp/err' &&
           grep -qF 'the target address holds a user name and password; give them with basic_auth instead' '$tmp/err' &&
           ! grep -q hunter2 '$tmp/err'"
printf 'scrape_configs: []\n' >"$tmp/p.yml"
"$PROMDECK" "127.0.0.1:$port" --config "$tmp/p.yml" --once >"$tmp/out" \
    2>"$tmp/err"
rc1=$?
"$PROMDECK" prometheus.yml >"$tmp/out2" 2>"$tmp/err2"
rc2=$?
check "targets with --config, and a word that is no target, are usage errors" \
    sh -c "[ $rc1 -eq 2 ] && grep -q 'exclude --config' '$tmp/err' &&
           [ $rc2 -eq 2 ] && grep -qF 'promdeck --config prometheus.yml' '$tmp/err2'"
finish
