#!/bin/sh
# The built-in node collector against the real node_exporter (Debian's
# prometheus-node-exporter 1.5, installed by .ci/deps.sh) on the same
# host: node_exporter runs on 127.0.0.1 with exactly the collectors
# promdeck implements, and every series `promdeck query` reads for job
# "node" is compared with node_exporter's /metrics read just before and
# just after it: the same metric names and label sets, gauges within a
# tolerance, counters between the two reads (within a tolerance). Also:
# `promdeck query node_load1` answers for this host with no source given,
# and --once -o json lists the node target (job node, instance the host
# name) and the host object.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

NE=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}

out=$("$PROMDECK" query node_load1 2>"$tmp/err")
check "promdeck query node_load1 (no source) answers for this host" \
    sh -c "printf '%s\n' '$out' | grep -q '^node_load1{instance=\"$(hostname)\", job=\"node\"} [0-9.]*$'"

"$PROMDECK" query -o json 'up{job="node"}' >"$tmp/up.json" 2>"$tmp/err"
check "the node target is up" python3 - "$tmp/up.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["data"]["result"]
assert len(r) == 1 and r[0]["value"][1] == "1", r
PY

# The default view: the shipped node_exporter dashboard, unchanged, on the
# collector's series: every panel has data and no error; the host object
# agrees with the kernel's own files read beside it.
# (The binary under test may sit in a build folder: the shipped
# dashboards are found through the user's configuration folder.)
mkdir -p "$tmp/config/promdeck"
ln -s "$PWD/dashboards" "$tmp/config/promdeck/dashboards"
XDG_CONFIG_HOME=$tmp/config "$PROMDECK" --once -o json >"$tmp/once.json" \
    2>"$tmp/once.err"
echo $? >"$tmp/once.rc"
check "--once (no source): exit 0, the node_exporter dashboard" \
    sh -c "[ \$(cat '$tmp/once.rc') = 0 ] && grep -q '\"dashboard\":\"Node exporter\"' '$tmp/once.json'"
check "--once: every panel of the node_exporter dashboard has data" \
    python3 - "$tmp/once.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [p["title"] for p in d["panels"] if not p["series"] or "error" in p]
assert d["panels"] and not bad, bad
PY
check "--once -o json: host matches this host's own numbers" \
    python3 - "$tmp/once.json" "$(hostname)" "$(nproc --all)" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["host"]
assert h["hostname"] == sys.argv[2], h
assert h["cpu_cores"] == int(sys.argv[3]), h
mem = {l.split(":")[0]: int(l.split()[1]) * 1024 for l in open("/proc/meminfo")
       if l.split()[-1] == "kB"}
assert h["memory_total_bytes"] == mem["MemTotal"], h
used = mem["MemTotal"] - mem["MemAvailable"]
assert abs(h["memory_used_bytes"] - used) < max(used * 0.2, 256 << 20), h
assert abs(h["swap_used_bytes"] - (mem["SwapTotal"] - mem["SwapFree"])) \
    < 256 << 20, h
assert 0 <= h["cpu_busy"] <= 1, h
load = [float(x) for x in open("/proc/loadavg").read().split()[:3]]
for k, v in zip(("load1", "load5", "load15"), load):
    assert abs(h[k] - v) < 1.5, (k, h[k], v)
up = float(open("/proc/uptime").read().split()[0])
assert abs(h["uptime_seconds"] - up) < 30, (h, up)
for k in ("network_rx_bytes_per_second", "network_tx_bytes_per_second",
          "disk_read_bytes_per_second", "disk_write_bytes_per_second"):
    assert h[k] is not None and h[k] >= 0, (k, h)
PY
check "--once: the node and cadvisor targets, up, instance $(hostname)" \
    python3 - "$tmp/once.json" "$(hostname)" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["targets"]
assert [(x["job"], x["instance"], x["health"]) for x in t] == \
    [("node", sys.argv[2], "up"), ("cadvisor", sys.argv[2], "up")], t
PY

# The screen with no arguments: this host and its containers, the
# node_exporter dashboard a key away, the node target in the targets
# view, q quits. (lib.sh's use_tmux would
# end the whole test without tmux; the comparison below needs none.)
if command -v tmux >/dev/null 2>&1; then
    sock="promdeck-e2e-$$"
    on_exit 'tmux -L "$sock" kill-server 2>/dev/null'
    tm new-session -d -s a -x 120 -y 40 \
        "XDG_CONFIG_HOME='$tmp/config' LC_ALL=C.UTF-8 TERM=tmux-256color \
         '$PROMDECK' --refresh 500ms; echo PROMDECK-EXIT=\$?; sleep 60"
    expect a "load " "promdeck with no arguments opens on this host's header"
    expect a "containers" "... above its containers"
    tm send-keys -t a 1
    expect a "Memory total" "the node_exporter dashboard is the first page"
    tm send-keys -t a 3
    expect a "up      node" "the targets view lists the node target, up"
    tm send-keys -t a q
    expect a "PROMDECK-EXIT=0" "q quits with status 0"
fi

if [ ! -x "$NE" ]; then
    echo "ok $((n + 1)) - node_exporter comparison # SKIP $NE not installed"
    finish
    exit
fi

# Only the collectors promdeck has, so each side reports the same set,
# with node_exporter 1.5's upstream filters, which promdeck follows:
# Debian's build changes two defaults (it drops lo, and mounts under
# /run, /mnt and /media).
port=$(free_port)
"$NE" --web.listen-address=127.0.0.1:$port --collector.disable-defaults \
    --collector.cpu --collector.stat --collector.loadavg \
    --collector.meminfo --collector.pressure --collector.diskstats \
    --collector.netdev --collector.filesystem --collector.time \
    --collector.uname --collector.netdev.device-exclude= \
    --collector.filesystem.mount-points-exclude='^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)' \
    >"$tmp/ne.log" 2>&1 &
nepid=$!
on_exit "kill $nepid 2>/dev/null"
check "node_exporter answers on 127.0.0.1:$port" \
    wait_http "http://127.0.0.1:$port/metrics" 10

# Three rounds: a comparison may meet a device or mount that came or went
# between the reads; one clean round of three is the pass.
# compare_round [URL]: promdeck's side is `promdeck query`'s store, or
# the exposition text at URL (serve --collector.expose's /metrics/node).
compare_round() {
    curl -sf --noproxy '*' "http://127.0.0.1:$port/metrics" >"$tmp/ne1.prom"
    if [ -n "${1:-}" ]; then
        curl -sf --noproxy '*' "$1" >"$tmp/pd.prom" 2>"$tmp/pd.err"
        pd=$tmp/pd.prom
    else
        "$PROMDECK" query -o json '{job="node"}' >"$tmp/pd.json" \
            2>"$tmp/pd.err"
        pd=$tmp/pd.json
    fi
    curl -sf --noproxy '*' "http://127.0.0.1:$port/metrics" >"$tmp/ne2.prom"
    python3 - "$tmp/ne1.prom" "$tmp/ne2.prom" "$pd" <<'PY'
import json, re, sys

line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

def unescape(v):
    return v.replace('\\"', '"').replace('\\n', '\n').replace('\\\\', '\\')

def read_prom(path):
    series, types = {}, {}
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if not line or line.startswith("#"):
            continue
        m = line_re.match(line)
        if not m:
            continue
        # An empty label is no label once stored, as in Prometheus.
        labels = tuple(sorted((k, unescape(v))
                              for k, v in label_re.findall(m.group(2) or "")
                              if v != ""))
        series[(m.group(1), labels)] = float(m.group(3))
    return series, types

ne1, types = read_prom(sys.argv[1])
ne2, _ = read_prom(sys.argv[2])
pd = {}
if sys.argv[3].endswith(".prom"):
    pd, _ = read_prom(sys.argv[3])
else:
    for r in json.load(open(sys.argv[3]))["data"]["result"]:
        m = dict(r["metric"])
        name = m.pop("__name__")
        m.pop("job"); m.pop("instance")
        pd[(name, tuple(sorted(m.items())))] = float(r["value"][1])

# The pool's own series, and the exporters' own timings, differ by nature.
synthetic = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
             "scrape_samples_post_metric_relabeling", "scrape_series_added"}
skip_values = {"node_scrape_collector_duration_seconds"}
# Gauges that move on their own: how far apart two reads may be.
def gauge_tol(name, a):
    if name.startswith("node_memory_"):
        return max(abs(a) * 0.05, 64 * 1024 * 1024)
    if name.startswith("node_filesystem_") and name.endswith("_bytes"):
        return max(abs(a) * 0.01, 256 * 1024 * 1024)
    if name.startswith("node_filesystem_files"):
        return max(abs(a) * 0.01, 10000)
    if name.startswith("node_load"):
        return 1.0
    if name.startswith("node_procs_"):
        return 16
    if name == "node_time_seconds":
        return 5.0
    if name == "node_disk_io_now":
        return 64
    return 0.0

errors = []
names = {k[0] for k in pd if k[0] not in synthetic}
for name in sorted(names):
    mine = {k for k in pd if k[0] == name}
    theirs = {k for k in ne2 if k[0] == name}
    if not theirs:
        errors.append("%s: node_exporter has no such metric" % name)
        continue
    for k in sorted(mine - theirs):
        errors.append("only promdeck: %s%s" % k)
    for k in sorted(theirs - mine):
        errors.append("only node_exporter: %s%s" % k)
    if name in skip_values:
        continue
    for k in sorted(mine & theirs):
        v, a, b = pd[k], ne1.get(k, ne2[k]), ne2[k]
        lo, hi = min(a, b), max(a, b)
        if types.get(name) == "counter":
            # Read between node_exporter's two reads: a little slack for
            # the kernel's own rounding (cpu seconds in 1/100 s).
            tol = max(abs(hi) * 1e-9, 0.05)
        else:
            tol = gauge_tol(name, hi)
        if not (lo - tol <= v <= hi + tol):
            errors.append("%s%s: promdeck %r, node_exporter %r .. %r"
                          % (k[0], k[1], v, a, b))
# Every family node_exporter has from these collectors, promdeck has too
# (netlink's receive_nohandler and node_cpu_isolated included).
theirs_names = {k[0] for k in ne2 if k[0].startswith("node_")
                and not k[0].startswith("node_exporter_")}
for name in sorted(theirs_names - names):
    errors.append("%s: only node_exporter has it" % name)
print("compared %d series of %d metrics" % (len(pd), len(names)))
for e in errors[:40]:
    print(e)
sys.exit(1 if errors else 0)
PY
}

# compare WHAT [URL]: three rounds of compare_round.
compare() {
    passed=""
    for round in 1 2 3; do
        if compare_round "${2:-}" >"$tmp/cmp.out" 2>&1; then
            passed=$round
            break
        fi
    done
    if [ -n "$passed" ]; then
        ok "$1 matches node_exporter's ($(head -1 "$tmp/cmp.out"), round $passed)"
    else
        not_ok "$1 matches node_exporter's" \
            "$(cat "$tmp/cmp.out" "$tmp/pd.err" | head -50)"
    fi
}
compare "every node series promdeck reads"

# The same comparison on what serve --collector.expose answers on
# /metrics/node, the endpoint a Prometheus scrapes instead of
# node_exporter's.
sport=$(free_port)
XDG_RUNTIME_DIR=$tmp "$PROMDECK" serve --collector.expose \
    --listen "127.0.0.1:$sport" >"$tmp/serve.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
check "serve --collector.expose answers on 127.0.0.1:$sport" \
    wait_http "http://127.0.0.1:$sport/metrics/node" 20
compare "serve's /metrics/node" "http://127.0.0.1:$sport/metrics/node"
finish
