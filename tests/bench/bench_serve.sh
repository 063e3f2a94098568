#!/bin/sh
# promdeck serve under load, beside the Debian Prometheus. Both scrape the
# same target farm (COUNT targets, SERIES synthetic series each, every
# INTERVAL) from the same prometheus.yml. After a warm-up, three phases
# of PHASE seconds each:
#   quiet   nobody queries serve;
#   load    CLIENTS clients send query_range requests to serve in bursts
#           (a dashboard refresh: QUERIES panels at once), back to back;
#   peer    the same clients and queries against Prometheus.
# It prints, per phase, serve's scrape timing (the spacing of each
# target's `up` samples: how far a scrape strayed from its slot),
# scrape_duration_seconds, and serve's RSS; then query_range latency
# (p50, p99) and throughput of serve and Prometheus with their ratios,
# measured in this run. Nothing here passes or fails; every loop is
# bounded and the farm stops by itself.
#
#   sh tests/bench/bench_serve.sh [COUNT SERIES INTERVAL PHASE CLIENTS]
set -u
count=${1:-200} series=${2:-100} interval=${3:-5s} phase=${4:-30}
clients=${5:-8}
build=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
promdeck=${PROMDECK:-$(cd "$here/../.." && pwd)/$build/promdeck}
dir=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$promdeck" ] || { echo "bench_serve: build promdeck first"; exit 1; }
command -v prometheus >/dev/null || {
    echo "bench_serve: needs the Debian prometheus"; exit 0; }

warm=20
total=$((warm + 3 * phase + 60))
base=$((23000 + $$ % 2000))
python3 "$here/targetfarm" --count "$count" --series-per-target "$series" \
    --base-port "$base" --scrape-interval "$interval" --duration "$total" \
    --write-config "$dir/prom.yml" >"$dir/farm.out" 2>"$dir/farm.err" &
pids="$pids $!"
for _ in $(seq 300); do
    grep -q READY "$dir/farm.out" 2>/dev/null && break
    sleep 0.2
done
grep -q READY "$dir/farm.out" || { echo "bench_serve: no farm"; exit 1; }

sport=$((base + count + 10)) pport=$((base + count + 11))
"$promdeck" serve --config "$dir/prom.yml" --listen "127.0.0.1:$sport" \
    2>"$dir/serve.log" &
spid=$!
pids="$pids $spid"
prometheus --config.file="$dir/prom.yml" --storage.tsdb.path="$dir/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$dir/prom.log" 2>&1 &
pids="$pids $!"

echo "bench_serve: $count targets x $series series every $interval;" \
    "phases of ${phase}s; $clients clients"
python3 - "$sport" "$pport" "$spid" "$warm" "$phase" "$clients" \
    "$interval" <<'PY'
import json, statistics, sys, threading, time, urllib.parse, urllib.request
sport, pport, spid, warm, phase, clients = map(int, sys.argv[1:7])
interval = float(sys.argv[7].rstrip("s"))
S = "http://127.0.0.1:%d" % sport
P = "http://127.0.0.1:%d" % pport
# A dashboard's panels: what Grafana sends for a golden-signals board.
QUERIES = [
    "sum by (code) (rate(app_requests_total[1m]))",
    "sum by (instance) (rate(app_requests_total{code=~\"5..\"}[1m]))",
    "histogram_quantile(0.99, sum by (le) "
    "(rate(app_request_duration_seconds_bucket[1m])))",
    "sum(app_in_flight_requests)",
    "topk(5, rate(app_synthetic_total[1m]))",
    "max by (instance) (process_resident_memory_bytes)",
]

def get(base, path, params):
    url = base + path + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.load(r)

def rss_kib():
    for line in open("/proc/%d/status" % spid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

def wait_ready(base):
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/-/ready", timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    sys.exit("bench_serve: %s never became ready" % base)

def run_clients(base, seconds):
    """Bursts of query_range, one dashboard refresh per burst, per client,
    back to back for `seconds`; returns latencies and errors."""
    lat, errors, lock = [], [0], threading.Lock()
    stop = time.time() + seconds
    def client():
        while time.time() < stop:
            now = time.time()
            for q in QUERIES:
                t0 = time.time()
                try:
                    r = get(base, "/api/v1/query_range", dict(
                        query=q, start=now - 900, end=now, step=15))
                    ok = r["status"] == "success"
                except Exception:
                    ok = False
                with lock:
                    lat.append(time.time() - t0)
                    errors[0] += not ok
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads: t.start()
    for t in threads: t.join()
    return lat, errors[0]

def phase_run(name, base):
    t0, rss = time.time(), []
    result = [None]
    def work():
        if base:
            result[0] = run_clients(base, phase)
        else:
            time.sleep(phase)
    w = threading.Thread(target=work)
    w.start()
    while w.is_alive():
        rss.append(rss_kib())
        time.sleep(1)
    w.join()
    return t0, time.time(), max(rss), result[0]

def scrape_timing(t0, t1):
    """From serve's own data: how far each scrape strayed from the slot
    interval after the one before, and scrape_duration_seconds."""
    r = get(S, "/api/v1/query", dict(query="up[%ds]" % int(t1 - t0),
                                     time=t1))
    dev = []
    for s in r["data"]["result"]:
        ts = [float(v[0]) for v in s["values"]]
        dev += [abs(b - a - interval) for a, b in zip(ts, ts[1:])]
    d = get(S, "/api/v1/query", dict(
        query="scrape_duration_seconds[%ds]" % int(t1 - t0), time=t1))
    durs = [float(v[1]) for s in d["data"]["result"] for v in s["values"]]
    missed = sum(1 for x in dev if x > interval / 2)
    return dev, durs, missed

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))] if xs else 0

wait_ready(S)
wait_ready(P)
time.sleep(warm)
phases = {}
for name, base in (("quiet", None), ("load", S), ("peer", P)):
    phases[name] = phase_run(name, base)

print("%-6s %10s %10s %10s %9s %12s %12s" % (
    "phase", "scrapes", "slot p99", "slot max", "missed", "dur p99 ms",
    "serve RSS"))
for name in ("quiet", "load", "peer"):
    t0, t1, rss, _ = phases[name]
    dev, durs, missed = scrape_timing(t0 + interval, t1)
    print("%-6s %10d %9.1fms %9.1fms %9d %12.1f %9.1f MiB" % (
        name, len(dev), 1000 * pct(dev, 99), 1000 * max(dev or [0]), missed,
        1000 * pct(durs, 99), rss / 1024.0))

(_, _, _, (sl, se)), (_, _, _, (pl, pe)) = phases["load"], phases["peer"]
sthr, pthr = len(sl) / phase, len(pl) / phase
# The same work on both sides: each panel's series and points.
now = time.time()
for q in QUERIES:
    n = []
    for base in (S, P):
        r = get(base, "/api/v1/query_range", dict(query=q, start=now - 900,
                                                   end=now, step=15))
        res = r["data"]["result"]
        n.append("%d series, %d points" % (
            len(res), sum(len(x["values"]) for x in res)))
    print("  %-60.60s serve %s; prometheus %s" % (q, n[0], n[1]))
print("query_range (%d clients, %d panels per refresh, 15m at 15s steps):"
      % (clients, len(QUERIES)))
print("  serve      p50 %7.1f ms  p99 %7.1f ms  %7.1f req/s  %d errors" % (
    1000 * pct(sl, 50), 1000 * pct(sl, 99), sthr, se))
print("  prometheus p50 %7.1f ms  p99 %7.1f ms  %7.1f req/s  %d errors" % (
    1000 * pct(pl, 50), 1000 * pct(pl, 99), pthr, pe))
print("  serve/prometheus: p50 latency x%.2f, p99 latency x%.2f, "
      "throughput x%.2f" % (pct(sl, 50) / max(pct(pl, 50), 1e-9),
                            pct(sl, 99) / max(pct(pl, 99), 1e-9),
                            sthr / max(pthr, 1e-9)))
PY
