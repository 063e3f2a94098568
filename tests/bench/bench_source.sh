#!/bin/sh
# What a dashboard refresh on a server costs (--source): the built-in
# dashboard over 1 hour against the Debian Prometheus holding one hour of
# golden-signals data for 20 targets at 15 s (backfilled with promtool,
# so the data stands still and both runs see the same), 60 refreshes one
# second apart, as promdeck does them (the kept points plus the new tail)
# and as a naive client does (the whole range every time). Prints the
# response bytes and Prometheus's CPU time (utime + stime of its process)
# per refresh for both, and the ratios.
cd "$(dirname "$0")/../.." || exit 1
PROM=${PROMETHEUS:-/usr/bin/prometheus}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}
BENCH=${BENCH_SOURCE:-build/bench/bench_source}
REFRESHES=${REFRESHES:-60}
if [ ! -x "$PROM" ] || [ ! -x "$PROMTOOL" ] || [ ! -x "$BENCH" ]; then
    echo "bench_source: needs $PROM, $PROMTOOL and $BENCH; skipped"
    exit 0
fi
tmp=$(mktemp -d)
prompid=""
trap '[ -n "$prompid" ] && kill $prompid 2>/dev/null; rm -rf "$tmp"' EXIT

# One hour of data ending a minute ago: the golden-signals families the
# built-in dashboard reads, each target its own rates.
now=$(python3 -c 'import time; print(int(time.time()) // 15 * 15)')
python3 - "$now" >"$tmp/data.om" <<'PY'
import math, sys
end = int(sys.argv[1]) - 60
times = range(end - 3600, end + 1, 15)
les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
       "2.5", "5", "10", "+Inf"]
def series(name, labels, f):
    lab = ",".join('%s="%s"' % kv for kv in labels)
    for t in times:
        print('%s{%s} %s %d' % (name, lab, repr(float(f(t))), t))
def tgt(i):
    return [("instance", "127.0.0.1:%d" % (20000 + i)), ("job", "app")]
for fam, kind in (("app_requests", "counter"), ("app_in_flight_requests",
                  "gauge"), ("up", "gauge"), ("go_goroutines", "gauge"),
                  ("process_resident_memory_bytes", "gauge"),
                  ("app_request_duration_seconds", "histogram")):
    print("# TYPE %s %s" % (fam, kind))
    for i in range(20):
        r = 5 + i
        if fam == "app_requests":
            for code, share in (("200", 0.97), ("500", 0.03)):
                for h in ("/", "/api"):
                    series("app_requests_total", [("code", code),
                           ("handler", h)] + tgt(i),
                           lambda t: math.floor(r * share * (t - times[0])))
        elif fam == "app_request_duration_seconds":
            for h in ("/", "/api"):
                for k, le in enumerate(les):
                    series(fam + "_bucket", [("handler", h), ("le", le)]
                           + tgt(i), lambda t, k=k: math.floor(
                               r * (t - times[0]) * min(1, (k + 1) / 9)))
                series(fam + "_sum", [("handler", h)] + tgt(i),
                       lambda t: r * (t - times[0]) * 0.2)
                series(fam + "_count", [("handler", h)] + tgt(i),
                       lambda t: r * (t - times[0]))
        elif fam == "app_in_flight_requests":
            series(fam, tgt(i), lambda t: 3 + (t // 15 + i) % 7)
        elif fam == "up":
            series(fam, tgt(i), lambda t: 1)
        elif fam == "go_goroutines":
            series(fam, tgt(i), lambda t: 40 + (t // 60 + i) % 9)
        else:
            series(fam, tgt(i), lambda t: 3e7 + 1e5 * ((t // 15) % 50))
print("# EOF")
PY
"$PROMTOOL" tsdb create-blocks-from openmetrics "$tmp/data.om" \
    "$tmp/tsdb" >"$tmp/backfill.log" 2>&1 ||
    { echo "bench_source: backfill failed"; cat "$tmp/backfill.log"; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'global: { scrape_interval: 15s }\n' >"$tmp/prom.yml"
"$PROM" --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address=127.0.0.1:$port >"$tmp/prom.log" 2>&1 &
prompid=$!
i=0
until curl -sf --noproxy '*' -o /dev/null "http://127.0.0.1:$port/-/ready"
do
    i=$((i + 1)); [ $i -gt 300 ] && { echo "Prometheus not ready"; exit 1; }
    sleep 0.1
done

cpu_ms() {  # utime + stime of Prometheus, in ms
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / hz }' \
        "/proc/$prompid/stat"
}
run() {     # run MODE: "bytes refreshes points cpu_ms"
    c0=$(cpu_ms)
    set -- $("$BENCH" "http://127.0.0.1:$port" "$1" "$REFRESHES" \
             "$((now * 1000))")
    c1=$(cpu_ms)
    echo "$2 $3 $4 $(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')"
}
run tail >/dev/null     # warm Prometheus's caches for both
tail=$(run tail)
full=$(run full)
echo "$tail" "$full" | awk '{
    printf "refresh of the built-in dashboard, 1 h range, %d refreshes:\n", $2
    printf "  tail (promdeck): %9.0f bytes %6.1f ms server CPU per refresh\n",
        $1 / $2, $4 / $2
    printf "  full (naive):    %9.0f bytes %6.1f ms server CPU per refresh\n",
        $5 / $6, $8 / $6
    printf "  ratio full/tail: %9.1fx bytes %5.1fx server CPU\n",
        $5 / ($1 ? $1 : 1), $8 / ($4 ? $4 : 1)
    printf "  points on the panels after the last refresh: tail %d, " \
        "full %d\n", $3, $7
}'
