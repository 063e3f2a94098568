#!/bin/sh
# promdeck serve against the real thing: serve loads the golden PromQL
# data set (--load) and answers on a Unix socket and on 127.0.0.1; the
# Debian Prometheus 2.42 holds the same data (backfilled by promtool).
# The Debian promtool queries both and must print the same; every golden
# answer (tests/data/promql/golden.json, recorded from Prometheus) is
# fetched from serve with curl and compared in meaning; the API's errors
# are compared with Prometheus's own; then basic auth, TLS, the socket's
# modes, SIGHUP and SIGTERM.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

om="$TESTDATA/promql/input.om"
golden="$TESTDATA/promql/golden.json"
PROM=${PROMETHEUS:-/usr/bin/prometheus}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}

# serve NAME ARGS...: starts promdeck serve (pid in $NAME_pid, log in
# $tmp/NAME.log), stopped at exit.
start_serve() {
    name=$1
    shift
    "$PROMDECK" serve "$@" 2>"$tmp/$name.log" &
    eval "${name}_pid=$!"
    on_exit "kill $! 2>/dev/null"
}

sock="$tmp/run/promdeck.sock"
port=$(free_port)
start_serve main --load "$om" --retention 10y --listen "unix:$sock" \
    --listen "127.0.0.1:$port"
S="http://127.0.0.1:$port"
check "serve answers on 127.0.0.1:$port" wait_http "$S/-/ready" 10
check "serve answers on its Unix socket" \
    curl -sf --unix-socket "$sock" -o /dev/null http://x/-/healthy
check "the socket is 0600 in a 0700 folder" sh -c "
    [ \$(stat -c %a '$sock') = 600 ] && [ \$(stat -c %a '$tmp/run') = 700 ]"
# The default listener: $XDG_RUNTIME_DIR/promdeck/promdeck.sock.
mkdir -m 700 "$tmp/xdg"
XDG_RUNTIME_DIR="$tmp/xdg" "$PROMDECK" serve --load "$om" 2>"$tmp/dflt.log" &
dflt_pid=$!
on_exit "kill $dflt_pid 2>/dev/null"
check "by default serve answers on \$XDG_RUNTIME_DIR/promdeck/promdeck.sock" \
    wait_http http://x/-/ready 10 --unix-socket "$tmp/xdg/promdeck/promdeck.sock"
kill "$dflt_pid"
wait "$dflt_pid"
chmod 755 "$tmp/xdg/promdeck"
XDG_RUNTIME_DIR="$tmp/xdg" "$PROMDECK" serve --load "$om" 2>"$tmp/dflt.log"
check "a socket folder others can open is refused, with the fix" grep -q \
    'is open to other users (mode 755; chmod 700 it)' "$tmp/dflt.log"

check "the log is logfmt, as Prometheus writes it" grep -Eq \
    '^ts=[0-9T:.-]+Z caller=[a-z_]+\.c:[0-9]+ level=info msg="Server is ready' \
    "$tmp/main.log"

# --- Prometheus on the same data -----------------------------------------
if [ ! -x "$PROM" ] || [ ! -x "$PROMTOOL" ]; then
    echo "ok $((n + 1)) - comparisons with Prometheus # SKIP not installed"
    finish
    exit
fi
"$PROMTOOL" tsdb create-blocks-from openmetrics "$om" "$tmp/tsdb" \
    >"$tmp/backfill.log" 2>&1
pport=$(free_port)
printf 'global: {scrape_interval: 1h}\nscrape_configs: []\n' >"$tmp/prom.yml"
"$PROM" --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
    --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$pport" \
    >"$tmp/prom.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
P="http://127.0.0.1:$pport"
check "Prometheus answers on 127.0.0.1:$pport" wait_http "$P/-/ready" 20

# same_promtool WHAT ARGS...: promtool prints the same for both servers.
same_promtool() {
    what=$1
    shift
    "$PROMTOOL" query "$what" "$P" "$@" >"$tmp/pt.prom" 2>&1
    "$PROMTOOL" query "$what" "$S" "$@" >"$tmp/pt.serve" 2>&1
    if [ -s "$tmp/pt.prom" ] && cmp -s "$tmp/pt.prom" "$tmp/pt.serve"; then
        ok "promtool query $what $*"
    else
        not_ok "promtool query $what $*" "$(diff "$tmp/pt.prom" \
            "$tmp/pt.serve" | head -20)"
    fi
}
T=1700000600
same_promtool instant --time=$T 'app_in_flight_requests'
same_promtool instant --time=$T 'sum by (job, code) (app_requests_total)'
same_promtool instant --time=$T 'count(app_requests_total) by (instance)'
same_promtool instant --time=1700001000 'app_in_flight_requests offset 5m'
same_promtool range --start=1700000300 --end=1700001800 --step=60s \
    'app_in_flight_requests{instance="a:80"}'
same_promtool range --start=1700000300 --end=1700001800 --step=120s \
    'max by (job) (app_in_flight_requests)'
same_promtool series --match='app_in_flight_requests' --start=1700000000 \
    --end=1700002000
same_promtool series --match='{job="app",instance="b:80"}' \
    --start=1700000000 --end=1700002000
same_promtool labels --start=1700000000 --end=1700002000 job
same_promtool labels --start=1700000000 --end=1700002000 __name__

# --- every golden answer, over the Unix socket with curl -----------------
python3 - "$sock" "$golden" >"$tmp/golden.out" 2>&1 <<'PY'
import json, math, subprocess, sys, urllib.parse
sock, golden = sys.argv[1:]
cases = json.load(open(golden))["cases"]
def close(a, b):
    a, b = float(a), float(b)
    if math.isnan(a) and math.isnan(b) or a == b:
        return True
    return abs(a - b) / (abs(a) + abs(b)) < 1e-6
def key(s):
    return json.dumps(s["metric"], sort_keys=True)
bad = 0
for c in cases:
    if c["type"] == "range":
        path = "/api/v1/query_range"
        p = dict(query=c["expr"], start=c["start"], end=c["end"],
                 step=c["step"])
    else:
        path = "/api/v1/query"
        p = dict(query=c["expr"], time=c["time"])
    # POST, form-encoded, as Grafana sends it.
    out = subprocess.run(["curl", "-s", "--unix-socket", sock,
                          "--data", urllib.parse.urlencode(p),
                          "http://localhost" + path],
                         capture_output=True, text=True).stdout
    got, want = json.loads(out), c["response"]
    why = None
    if got["status"] != want["status"]:
        why = "status %s, want %s" % (got["status"], want["status"])
    elif want["status"] != "success":
        if got.get("errorType") != want.get("errorType"):
            why = "errorType %s, want %s" % (got.get("errorType"),
                                              want.get("errorType"))
    elif got["data"]["resultType"] != want["data"]["resultType"]:
        why = "resultType"
    elif want["data"]["resultType"] in ("scalar", "string"):
        g, w = got["data"]["result"], want["data"]["result"]
        if g[0] != w[0] or not (g[1] == w[1] or close(g[1], w[1])):
            why = "%s, want %s" % (g, w)
    else:
        g = {key(s): s for s in got["data"]["result"]}
        w = {key(s): s for s in want["data"]["result"]}
        if g.keys() != w.keys():
            why = "series %s, want %s" % (sorted(g), sorted(w))
        for k in w if why is None else []:
            gv = g[k].get("values") or [g[k]["value"]]
            wv = w[k].get("values") or [w[k]["value"]]
            if [x[0] for x in gv] != [x[0] for x in wv] or not all(
                    close(a[1], b[1]) for a, b in zip(gv, wv)):
                why = "%s: %s, want %s" % (k, gv[:3], wv[:3])
    if why:
        bad += 1
        print("%s %s %s: %s" % (c["type"], c.get("time", ""), c["expr"],
                                why[:300]))
print("%d of %d golden answers differ" % (bad, len(cases)))
sys.exit(1 if bad else 0)
PY
if [ $? -eq 0 ]; then ok "golden answers over HTTP: $(tail -1 "$tmp/golden.out")"
else not_ok "golden answers over HTTP" "$(tail -30 "$tmp/golden.out")"; fi

# --- errors, as Prometheus gives them -------------------------------------
# same_error URL: serve's status and body equal Prometheus's.
same_error() {
    curl -s -g -o "$tmp/e.prom" -w '%{http_code}' "$P$1" >"$tmp/c.prom"
    curl -s -g -o "$tmp/e.serve" -w '%{http_code}' "$S$1" >"$tmp/c.serve"
    if cmp -s "$tmp/c.prom" "$tmp/c.serve" && cmp -s "$tmp/e.prom" \
            "$tmp/e.serve"; then
        ok "same error as Prometheus: $1"
    else
        not_ok "same error as Prometheus: $1" "$(cat "$tmp/c.prom" \
            "$tmp/e.prom"; echo; cat "$tmp/c.serve" "$tmp/e.serve")"
    fi
}
same_error '/api/v1/query?query=up&time=abc'
same_error '/api/v1/query?query=up&timeout=x'
same_error '/api/v1/query_range?query=up&start=x&end=2&step=1'
same_error '/api/v1/query_range?query=up&start=1&end=0&step=1'
same_error '/api/v1/query_range?query=up&start=1&end=2&step=x'
same_error '/api/v1/query_range?query=up&start=1&end=2&step=0'
same_error '/api/v1/query_range?query=up&start=1&end=2'
same_error '/api/v1/query_range?query=up&start=0&end=100000&step=1'
same_error '/api/v1/series'
same_error '/api/v1/series?match[]=up&start=x'
same_error '/api/v1/series?match[]=rate(up[5m])'
same_error '/api/v1/series?match[]=up[5m]'
same_error '/api/v1/series?match[]={__name__=~".*"}'
same_error '/api/v1/label/1bad/values'
same_error '/api/v1/nothing'

# A parse error: 400 bad_data with the position, as Prometheus has it
# (the message after "parse error:" is promdeck's own wording).
parse_prefix() {
    curl -s -g -w ' %{http_code}' "$1/api/v1/query?query=$2" |
        sed 's/parse error: .*"} \([0-9]*\)$/parse error: \1/'
}
for q in 'sum(' '1%2B' 'rate(up)' 'up{a="b"'; do
    a=$(parse_prefix "$P" "$q") b=$(parse_prefix "$S" "$q")
    check "parse error position as Prometheus: $q ($b)" [ "$a" = "$b" ]
done

for m in PUT DELETE OPTIONS; do
    check "$m /api/v1/query: the status Prometheus gives" sh -c "
        [ \$(curl -s -o /dev/null -w '%{http_code}' -X $m '$P/api/v1/query') = \
          \$(curl -s -o /dev/null -w '%{http_code}' -X $m '$S/api/v1/query') ]"
done
check "GET /-/reload: 405" sh -c "
    [ \$(curl -s -o /dev/null -w '%{http_code}' '$S/-/reload') = 405 ]"
# (a raw request: no command line takes an argument that long)
code=$(python3 - "$port" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /api/v1/query?query=" + b"x" * 400000 +
          b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
print(s.recv(64).split()[1].decode())
PY
)
check "a query string past the bound is refused ($code)" \
    sh -c "[ $code = 414 ] || [ $code = 431 ]"
python3 -c 'print("query=" + "1" * 2000000)' >"$tmp/big.body"
code=$(curl -s -o /dev/null -w '%{http_code}' --data-binary "@$tmp/big.body" \
    "$S/api/v1/query")
check "a body past 1 MiB is refused ($code)" [ "$code" = 413 ]
check "serve still answers after the refusals" wait_http "$S/-/healthy" 2
check "clients that send half a request do not stall the others" \
    python3 - "$port" <<'PY'
import socket, sys, time, urllib.request
port = int(sys.argv[1])
idle = []
for i in range(20):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /api/v1/query HTTP/1.1\r\nHost: x\r\n"
              b"Content-Length: 100\r\n\r\nquery=")
    idle.append(s)
t0 = time.time()
r = urllib.request.urlopen("http://127.0.0.1:%d/api/v1/query?query=1" % port,
                           timeout=10).read()
assert b'"success"' in r, r
print("answered in %.3f s beside 20 stalled clients" % (time.time() - t0))
PY

check "/metrics passes promtool check metrics" sh -c "
    curl -sf '$S/metrics' | '$PROMTOOL' check metrics"
check "/metrics counts the queries answered" sh -c "
    curl -sf '$S/metrics' | grep -Eq '^promdeck_query_duration_seconds_count\{handler=\"query_range\"\} [1-9]'"

# The query budget: Prometheus's texts (promql/engine.go) and codes.
lport=$(free_port)
start_serve limits --load "$om" --retention 10y --listen "127.0.0.1:$lport" \
    --query.max-samples 100
L="http://127.0.0.1:$lport"
check "serve with --query.max-samples 100 answers" wait_http "$L/-/ready" 10
check "past --query.max-samples: 422 execution, Prometheus's words" sh -c "
    [ \"\$(curl -s -g -w ' %{http_code}' \
        '$L/api/v1/query?query=app_requests_total[30m]&time=1700001800')\" = \
      '{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples into memory in query execution\"} 422' ]"
check "past the request's timeout: 503 timeout, Prometheus's words" sh -c "
    [ \"\$(curl -s -w ' %{http_code}' --data time=1700001800 \
        --data timeout=0.001 --data-urlencode \
        'query=count_over_time(app_requests_total[5m:1ms])' \
        '$S/api/v1/query')\" = \
      '{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"} 503' ]"

# The same status documents Prometheus has, in its shape.
check "rules, alerts, buildinfo, tsdb, runtimeinfo have Prometheus's keys" \
    python3 - "$P" "$S" <<'PY'
import json, sys, urllib.request
P, S = sys.argv[1:]
for path in ["/api/v1/rules", "/api/v1/alerts", "/api/v1/status/buildinfo",
             "/api/v1/status/tsdb", "/api/v1/status/runtimeinfo",
             "/api/v1/targets", "/api/v1/status/config"]:
    p = json.load(urllib.request.urlopen(P + path))
    s = json.load(urllib.request.urlopen(S + path))
    assert s["status"] == "success", path
    assert sorted(p["data"]) == sorted(s["data"]), (path, p["data"], s["data"])
    if path == "/api/v1/status/tsdb":
        assert sorted(p["data"]["headStats"]) == sorted(s["data"]["headStats"])
PY

# --- basic auth and TLS ----------------------------------------------------
hash=$(python3 -W ignore -c 'import crypt
print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))')
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" \
    -out "$tmp/cert.pem" >/dev/null 2>&1
cat >"$tmp/web.yml" <<YML
tls_server_config:
  cert_file: cert.pem
  key_file: key.pem
basic_auth_users:
  alice: '$hash'
YML
tport=$(free_port)
start_serve tls --load "$om" --retention 10y --listen "127.0.0.1:$tport" \
    --web.config.file "$tmp/web.yml"
TS="https://127.0.0.1:$tport"
check "serve answers over TLS" wait_http "$TS/-/healthy" 10 \
    --cacert "$tmp/cert.pem" -u alice:s3cret
code() { curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/cert.pem" "$@"; }
check "no password: 401" [ "$(code "$TS/api/v1/labels")" = 401 ]
check "wrong password: 401" [ "$(code -u alice:nope "$TS/api/v1/labels")" = 401 ]
check "unknown user: 401" [ "$(code -u bob:s3cret "$TS/api/v1/labels")" = 401 ]
check "right password: 200" \
    [ "$(code -u alice:s3cret "$TS/api/v1/labels")" = 200 ]
check "plain HTTP on the TLS port gets no answer" sh -c \
    "! curl -sf -o /dev/null 'http://127.0.0.1:$tport/-/healthy'"
check "the password is in no log" sh -c "! grep -q s3cret '$tmp/tls.log'"
# Client certificates: RequireAndVerifyClientCert with a CA of our own.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca \
    -keyout "$tmp/ca.key" -out "$tmp/ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout "$tmp/cl.key" \
    -out "$tmp/cl.csr" >/dev/null 2>&1
openssl x509 -req -in "$tmp/cl.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
    -CAcreateserial -days 1 -out "$tmp/cl.pem" >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=other \
    -keyout "$tmp/other.key" -out "$tmp/other.pem" >/dev/null 2>&1
cat >"$tmp/mtls.yml" <<YML
tls_server_config:
  cert_file: cert.pem
  key_file: key.pem
  client_ca_file: ca.pem
  client_auth_type: RequireAndVerifyClientCert
YML
mport=$(free_port)
start_serve mtls --load "$om" --retention 10y --listen "127.0.0.1:$mport" \
    --web.config.file "$tmp/mtls.yml"
MS="https://127.0.0.1:$mport/-/healthy"
check "a client certificate the CA signed: 200" wait_http "$MS" 10 \
    --cacert "$tmp/cert.pem" --cert "$tmp/cl.pem" --key "$tmp/cl.key"
check "no client certificate: no answer" sh -c "! curl -sf -o /dev/null \
    --cacert '$tmp/cert.pem' '$MS'"
check "a certificate from another CA: no answer" sh -c "! curl -sf \
    -o /dev/null --cacert '$tmp/cert.pem' --cert '$tmp/other.pem' \
    --key '$tmp/other.key' '$MS'"

echo 'basic_auth_users: {alice: plain}' >"$tmp/bad.yml"
"$PROMDECK" serve --load "$om" --listen 127.0.0.1:0 \
    --web.config.file "$tmp/bad.yml" 2>"$tmp/bad.log"
rc=$?
check "a password that is not a bcrypt hash: exit 2, with the line" sh -c "
    [ $rc = 2 ] && grep -q 'bad.yml:1:.*not a bcrypt hash' '$tmp/bad.log'"

# --- reload, stop ----------------------------------------------------------
kill -HUP "$main_pid"
check "POST /-/reload: 200" [ "$(curl -s -o /dev/null -w '%{http_code}' \
    -X POST "$S/-/reload")" = 200 ]
kill -TERM "$main_pid"
wait "$main_pid"
rc=$?
check "SIGTERM: exit 0" [ $rc = 0 ]
check "SIGTERM: the socket is removed" [ ! -e "$sock" ]
check "SIGTERM: logged" grep -q 'exiting gracefully' "$tmp/main.log"
finish
