#!/bin/sh
# The containers view and the --once JSON "containers" list, fed by a
# small HTTP server on 127.0.0.1 that answers under cAdvisor's and
# node_exporter's names with counters that grow at known rates (a
# container using half a core under a half-core quota, receiving
# 1000 B/s): the JSON's figures must be those rates; the TUI shows the
# host header and the table, sorts with btop's keys, filters with /, and
# opens a container's panels with Enter.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

cat >"$tmp/server.py" <<'PY'
import http.server, sys, time
t0 = time.time()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        t = time.time() - t0
        web = 'id="/system.slice/docker-' + 'a1' * 32 + '.scope",' \
              'image="nginx:1.23",name="web"'
        db = 'id="/docker/' + 'b2' * 32 + '",image="postgres:15",name="db"'
        gone = 'id="/docker/' + 'c3' * 32 + '",image="busybox",name="batch"'
        body = "\n".join([
            "container_cpu_usage_seconds_total{%s,cpu=\"total\"} %f"
            % (web, 100 + 0.5 * t),
            "container_cpu_usage_seconds_total{%s,cpu=\"total\"} %f"
            % (db, 50 + 0.25 * t),
            "container_spec_cpu_quota{%s} 50000" % web,
            "container_spec_cpu_period{%s} 100000" % web,
            "container_memory_working_set_bytes{%s} 104857600" % web,
            "container_memory_working_set_bytes{%s} 524288000" % db,
            "container_spec_memory_limit_bytes{%s} 268435456" % web,
            "container_spec_memory_limit_bytes{%s} 0" % db,
            "container_network_receive_bytes_total{%s,interface=\"eth0\"} %f"
            % (web, 1000 * t),
            "container_network_transmit_bytes_total{%s,interface=\"eth0\"} 0"
            % web,
            "container_fs_reads_bytes_total{%s,device=\"/dev/sda\"} 0" % web,
            "container_fs_writes_bytes_total{%s,device=\"/dev/sda\"} %f"
            % (web, 4096 * t),
            "container_restarts{%s} 2" % web,
            "container_state{%s,state=\"running\"} 1" % web,
            "container_state{%s,state=\"running\"} 1" % db,
            "container_state{%s,state=\"exited\"} 1" % gone,
            "container_last_seen{%s} %d" % (web, time.time()),
            "container_last_seen{%s} %d" % (db, time.time()),
            "container_last_seen{id=\"/\"} %d" % time.time(),
            "node_load1 0.5", "node_load5 0.25", "node_load15 0.125",
            'node_cpu_seconds_total{cpu="0",mode="idle"} %f' % (0.75 * t),
            'node_cpu_seconds_total{cpu="1",mode="idle"} %f' % (0.25 * t),
            "node_memory_MemTotal_bytes 8589934592",
            "node_memory_MemAvailable_bytes 6442450944",
            'node_uname_info{nodename="testbox",release="6.1"} 1',
            ""])
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        self.wfile.write(body.encode())
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
deadline = time.time() + 300
while time.time() < deadline:
    s.handle_request()
PY
python3 "$tmp/server.py" "$tmp/port" &
server=$!
on_exit "kill $server 2>/dev/null"
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")

# --once: the rates between its two scrapes.
"$PROMDECK" --scrape-interval 1s --once -o json "127.0.0.1:$port" \
    >"$tmp/snap.json" 2>"$tmp/snap.err"
if python3 - "$tmp/snap.json" <<'PY'
import json, sys
snap = json.load(open(sys.argv[1]))
rows = {c["name"]: c for c in snap["containers"]}
web, db, batch = rows["web"], rows["db"], rows["batch"]
def near(v, want, tol):
    assert v is not None and abs(v - want) <= tol, (v, want)
assert web["id"] == "a1" * 32 and web["image"] == "nginx:1.23", web
assert web["state"] == "running" and batch["state"] == "exited", rows
near(web["cpu_cores_used"], 0.5, 0.05)
near(db["cpu_cores_used"], 0.25, 0.03)
near(web["cpu_quota_cores"], 0.5, 1e-9)
assert db["cpu_quota_cores"] == 0, db
assert web["memory_bytes"] == 104857600, web
assert web["memory_limit_bytes"] == 268435456, web
near(web["network_rx_bytes_per_second"], 1000, 100)
near(web["block_write_bytes_per_second"], 4096, 410)
assert web["restarts"] == 2 and db["restarts"] is None, rows
assert batch["cpu_cores_used"] is None, batch
PY
then ok "--once -o json lists the containers with their rates and limits"
else not_ok "--once -o json lists the containers" "$(cat "$tmp/snap.json")"
fi

use_tmux "the containers view"
export XDG_STATE_HOME="$tmp/state"
expect_not() {  # expect_not SESSION TEXT DESCRIPTION (after a moment)
    sleep 1
    if screen "$1" | grep -qF -- "$2"; then not_ok "$3" "$(screen "$1")"
    else ok "$3"; fi
}

tm new-session -d -s a -x 160 -y 30 \
    "env LC_ALL=C.UTF-8 TERM=tmux-256color '$PROMDECK' --scrape-interval 1s \
     --refresh 500ms 127.0.0.1:$port; echo PROMDECK-EXIT=\$?; sleep 60"
expect a "containers" "a containers tab appears once container series come"
# The tabs: the built-in dashboard's two pages, targets, alerts, rules,
# containers.
tm send-keys -t a Tab Tab Tab Tab Tab
expect a "testbox  up" "the host header names the host"
expect a "nginx:1.23" "the table lists the containers with their image"
expect a "CPU%v" "sorted by CPU, busiest first, as btop starts"
tm send-keys -t a Right
expect a "MEMv" "Right sorts by the next column"
tm send-keys -t a r
expect a "MEM^" "r reverses the order"
tm send-keys -t a / n a m e = d b Enter
expect_not a "nginx:1.23" "/ name=db filters the table"
tm send-keys -t a Escape
expect a "nginx:1.23" "Esc clears the filter"
tm send-keys -t a End Enter
expect a "Memory:" "Enter opens the selected container's panels"
tm send-keys -t a Escape
expect a "NET RX" "Esc goes back to the table"
tm send-keys -t a q
expect a "PROMDECK-EXIT=0" "q quits cleanly"
finish
