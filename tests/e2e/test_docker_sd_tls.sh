#!/bin/sh
# docker_sd_configs with HTTP client settings: a Docker Engine API over
# HTTPS (a Python server with a certificate from a CA made here by
# openssl, answering the recorded Engine API responses of
# tests/data/docker/prometheus-dockerprom) that wants basic auth.
# promdeck, with tls_config.ca_file and basic_auth, finds the containers
# the real Prometheus 2.42 finds with the same config; without the CA, or
# with a wrong password, it finds none and says why, and the password
# shows nowhere.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

data=$PWD/${TESTDATA:-tests/data}/docker/prometheus-dockerprom
case $TESTDATA in /*) data=$TESTDATA/docker/prometheus-dockerprom ;; esac
( cd "$tmp" && exec >/dev/null 2>&1 &&
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt \
      -subj /CN=promdeck-test-ca -days 2 &&
  openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr \
      -subj /CN=127.0.0.1 &&
  printf 'subjectAltName=IP:127.0.0.1\n' >ext &&
  openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -out srv.crt -days 2 -extfile ext )
check "openssl makes a CA and a server certificate" test -s "$tmp/srv.crt"

cat >"$tmp/engine.py" <<'PY'
import base64, http.server, os, re, ssl, sys
data, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]
want = "Basic " + base64.b64encode(b"deck:s3cret-pw").decode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != want:
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        # Docker clients (Prometheus's) put the API version first.
        path = re.sub(r"^/v[0-9.]+/", "/", self.path.split("?")[0])
        if path == "/_ping":
            self.send_response(200)
            self.send_header("API-Version", "1.41")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")
            return
        name = {"/containers/json": "containers.json",
                "/networks": "networks.json"}.get(path)
        if name is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = open(os.path.join(data, name), "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
python3 "$tmp/engine.py" "$data" "$tmp/srv.crt" "$tmp/srv.key" \
    >"$tmp/engine.port" 2>"$tmp/engine.err" &
on_exit "kill $! 2>/dev/null"
i=0
while [ ! -s "$tmp/engine.port" ] && [ $i -lt 100 ]; do
    sleep 0.1; i=$((i + 1))
done
eport=$(cat "$tmp/engine.port")
check "the HTTPS Engine API answers on 127.0.0.1:$eport" \
    wait_http "https://127.0.0.1:$eport/networks" 10 \
    --cacert "$tmp/ca.crt" -u deck:s3cret-pw

# config CA PASSWORD: a prometheus.yml with one docker_sd job.
config() {
    cat <<Y
scrape_configs:
  - job_name: apps
    scrape_interval: 1s
    scrape_timeout: 500ms
    docker_sd_configs:
      - host: https://127.0.0.1:$eport
        refresh_interval: 1s
        basic_auth: {username: deck, password: $2}
        tls_config: {ca_file: $1}
        follow_redirects: false
        enable_http2: false
Y
}
config "$tmp/ca.crt" s3cret-pw >"$tmp/good.yml"
config /etc/ssl/certs/ca-certificates.crt s3cret-pw >"$tmp/noca.yml"
config "$tmp/ca.crt" wrong-pw >"$tmp/badpw.yml"

check "promdeck check config accepts the HTTP client settings" \
    "$PROMDECK" check config "$tmp/good.yml"
for c in good noca badpw; do
    "$PROMDECK" --config "$tmp/$c.yml" --once -o json --timeout 5s \
        >"$tmp/$c.json" 2>"$tmp/$c.err"
done
instances() {
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted(t["instance"] for t in d["targets"] if t["job"] == "apps")))' "$1"
}
got=$(instances "$tmp/good.json")
check "over TLS with basic auth: the three containers' targets ($got)" \
    [ "$got" = "172.19.0.2:9100 172.19.0.3:80 localhost:80" ]
check "without the CA, or with a wrong password: no target" sh -c "
    [ -z \"\$(instances '$tmp/noca.json')\" ] &&
    [ -z \"\$(instances '$tmp/badpw.json')\" ]"
check "the password appears in no output" sh -c "
    ! grep -q 's3cret-pw\\|wrong-pw' '$tmp'/*.json '$tmp'/*.err"

# The targets view says why discovery failed (and shows no password).
if command -v tmux >/dev/null 2>&1; then
    sock="promdeck-e2e-$$"
    on_exit 'tmux -L "$sock" kill-server 2>/dev/null'
    for c in noca badpw; do
        tm new-session -d -s $c -x 160 -y 30 \
            "LC_ALL=C.UTF-8 TERM=tmux-256color '$PROMDECK' --config \
             '$tmp/$c.yml'; sleep 60"
    done
    # (The targets view shows the state when it opens: open it once the
    # first refresh has failed, a second after start.)
    wait_for badpw "targets up" 20
    wait_for noca "targets up" 20
    sleep 2
    tm send-keys -t badpw 3
    tm send-keys -t noca 3
    expect badpw "discovery error: apps: https://127.0.0.1:$eport: HTTP 401" \
        "a wrong password: the targets view shows the engine's 401"
    expect noca "discovery error: apps: https://127.0.0.1:$eport: " \
        "without the CA: the targets view shows the TLS failure"
    check "... naming the certificate" sh -c \
        "tmux -L '$sock' -f /dev/null capture-pane -p -t noca | grep -qi 'certificate\\|SSL'"
fi

# The real Prometheus with the same config finds the same addresses.
if command -v prometheus >/dev/null 2>&1; then
    pport=$(free_port)
    prometheus --config.file="$tmp/good.yml" --storage.tsdb.path="$tmp/tsdb" \
        --web.listen-address="127.0.0.1:$pport" >"$tmp/prom.out" 2>&1 &
    on_exit "kill $! 2>/dev/null"
    check "Prometheus answers" wait_http "http://127.0.0.1:$pport/-/ready" 30
    theirs=""
    i=0
    while [ -z "$theirs" ] && [ $i -lt 100 ]; do
        theirs=$(curl -s --noproxy '*' \
            "http://127.0.0.1:$pport/api/v1/targets" | python3 -c '
import json, sys
d = json.load(sys.stdin)["data"]["activeTargets"]
print(" ".join(sorted(t["labels"]["instance"] for t in d)))')
        [ -n "$theirs" ] || sleep 0.2
        i=$((i + 1))
    done
    check "Prometheus 2.42 finds the same targets ($theirs)" \
        [ "$theirs" = "$got" ]
fi
finish
