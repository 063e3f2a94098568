#!/bin/sh
# promdeck serve runs rule files as Prometheus does. serve and the Debian
# Prometheus 2.42 scrape the same target (a python http.server serving a
# file the test rewrites) with the same rule files and the same
# --query.timeout; then:
#  - promtool query instant of a recorded series prints the same through
#    serve as through Prometheus;
#  - /api/v1/rules (also ?type=alert, ?type=record and a bad type) and
#    /api/v1/alerts match Prometheus's field by field: every field but
#    the evaluation times and the alerts' activeAt (their form is
#    checked), including each query as Prometheus prints it back (a
#    group of rules exercises the printer) and a rule cut off by
#    --query.timeout (health "err", Prometheus's lastError);
#  - the real Alertmanager receives serve's alert;
#  - SIGHUP with a changed rule file keeps the alert's state, and a
#    broken one makes /-/reload fail and keeps the running rules.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

PROM=${PROMETHEUS:-/usr/bin/prometheus}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}
am=$(command -v prometheus-alertmanager || command -v alertmanager)
if [ ! -x "$PROM" ] || [ ! -x "$PROMTOOL" ] || [ -z "$am" ]; then
    echo "ok 1 - serve's rules against Prometheus # SKIP prometheus," \
         "promtool or prometheus-alertmanager missing (sh .ci/deps.sh)"
    exit 0
fi

webport=$(free_port)
amport=$(free_port)
pport=$(free_port)
sport=$(free_port)
P="http://127.0.0.1:$pport"
S="http://127.0.0.1:$sport"
AM="http://127.0.0.1:$amport"

mkdir "$tmp/www" "$tmp/prom" "$tmp/deck"
printf '# TYPE e2e_flag gauge\ne2e_flag{disk="sda"} 1\n' >"$tmp/www/metrics"
python3 -m http.server "$webport" --bind 127.0.0.1 \
    --directory "$tmp/www" >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"

printf 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n' \
    >"$tmp/am.yml"
"$am" --config.file="$tmp/am.yml" --storage.path="$tmp/am-data" \
    --web.listen-address="127.0.0.1:$amport" --cluster.listen-address= \
    >"$tmp/am.log" 2>&1 &
on_exit "kill $! 2>/dev/null"

# The rules: alerts and a recording rule on the scraped series; a group
# whose only purpose is the query text Prometheus prints back; a rule
# far too slow for the 100ms --query.timeout.
cat >"$tmp/rules.yml" <<'Y'
groups:
  - name: flags
    interval: 1s
    rules:
      - record: job:e2e_flag:sum
        expr: sum by (job) (e2e_flag)
      - alert: E2EFlag
        expr: e2e_flag == 1
        for: 2s
        labels: {severity: page}
        annotations:
          summary: 'flag on {{ $labels.disk }} is {{ $value }}'
          raw: 'a < b & c'
      - alert: Never
        expr: e2e_flag > 5
      - alert: E2EKept
        expr: e2e_flag == 1
        keep_firing_for: 5m
  - name: shapes
    interval: 2s
    rules:
      - {record: q01, expr: 'sum(rate(e2e_flag[5m])) by (job)'}
      - {record: q02, expr: 'sum without (disk) (e2e_flag)'}
      - {record: q03, expr: 'topk(2, e2e_flag)'}
      - {record: q04, expr: 'count_values("v", e2e_flag)'}
      - {record: q05, expr: 'quantile(0.9, e2e_flag)'}
      - {record: q06, expr: 'e2e_flag{disk=~"sd.*",job!="x"} * on(disk) group_left(job) e2e_flag'}
      - {record: q07, expr: 'e2e_flag > bool 0'}
      - {record: q08, expr: 'e2e_flag and ignoring(job) e2e_flag'}
      - {record: q09, expr: '-e2e_flag'}
      - {record: q10, expr: '(e2e_flag + 1) / 2'}
      - {record: q11, expr: 'rate(e2e_flag[1m] offset 30s)'}
      - {record: q12, expr: 'max_over_time(e2e_flag[10m:1m])'}
      - {record: q13, expr: 'max_over_time(e2e_flag[90s:])'}
      - {record: q14, expr: 'e2e_flag offset -1m'}
      - {record: q15, expr: 'e2e_flag @ 1700000000'}
      - {record: q16, expr: 'label_replace(e2e_flag, "d", "$1", "disk", "(.*)")'}
      - {record: q17, expr: 'vector(1) + 2 ^ 3 * 1e3 - -1.5'}
      - {record: q18, expr: '{__name__="e2e_flag"}'}
      - {record: q19, expr: 'e2e_flag{disk!="a\"b\\c\n"}'}
      - {record: q20, expr: 'sum by (job, disk) (e2e_flag)'}
      - {record: q21, expr: 'absent(nope)'}
      - {record: q22, expr: 'histogram_quantile(0.9, sum by (le) (rate(x_bucket[14d])))'}
      - {record: q23, expr: 'e2e_flag unless e2e_flag or vector(0)'}
      - {record: q24, expr: 'e2e_flag atan2 e2e_flag % 2'}
      - {record: q25, expr: 'count(e2e_flag) by ()'}
      - {record: q26, expr: 'scalar(e2e_flag) < bool 2'}
      - {record: q27, expr: 'avg_over_time(e2e_flag[1h30m] @ end())'}
      - {record: q28, expr: 'e2e_flag / on() group_right vector(1)'}
      - {record: q29, expr: 'e2e_flag == e2e_flag', labels: {kind: "x"}}
Y
cat >"$tmp/slow.yml" <<'Y'
groups:
  - name: slow
    interval: 10s
    rules:
      - record: slow:sum
        expr: sum_over_time(vector(time())[1d:20ms])
Y
for who in prom deck; do
    cp "$tmp/rules.yml" "$tmp/slow.yml" "$tmp/$who/"
    cat >"$tmp/$who/config.yml" <<Y
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [rules.yml, slow.yml]
scrape_configs:
  - job_name: flag
    static_configs: [{targets: ['127.0.0.1:$webport']}]
Y
done
# Only serve notifies, so what Alertmanager holds is serve's.
cat >>"$tmp/deck/config.yml" <<Y
alerting:
  alertmanagers: [{static_configs: [{targets: ['127.0.0.1:$amport']}]}]
Y

"$PROM" --config.file="$tmp/prom/config.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$pport" --query.timeout=100ms \
    >"$tmp/prom.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
"$PROMDECK" serve --config "$tmp/deck/config.yml" --listen "127.0.0.1:$sport" \
    --query.timeout=100ms 2>"$tmp/serve.log" &
serve_pid=$!
on_exit "kill $serve_pid 2>/dev/null"
check "Prometheus answers" wait_http "$P/-/ready" 30
check "serve answers" wait_http "$S/-/ready" 30
check "serve no longer says rules are not evaluated" \
    sh -c "! grep -q 'not evaluated' '$tmp/serve.log'"

# ready WHERE: every rule evaluated, E2EFlag firing (60 s at most).
ready() {
    i=0
    while [ $i -lt 300 ]; do
        curl -sf "$1/api/v1/rules" >"$tmp/ready.json" &&
            python3 -c 'import json, sys
gs = json.load(open(sys.argv[1]))["data"]["groups"]
rs = [r for g in gs for r in g["rules"]]
assert rs and all(r["health"] != "unknown" for r in rs)
assert [r for r in rs if r["name"] == "E2EFlag"][0]["state"] == "firing"' \
                "$tmp/ready.json" 2>/dev/null && return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}
if ready "$P" && ready "$S"; then
    ok "both evaluated every rule and fire E2EFlag"
else
    not_ok "both evaluated every rule and fire E2EFlag" \
        "$(cat "$tmp/ready.json"; tail -3 "$tmp/serve.log")"
fi

# promtool prints the same for the recorded series (times left out).
for who in P S; do
    eval "url=\$$who"
    "$PROMTOOL" query instant "$url" 'job:e2e_flag:sum' 2>&1 |
        sed 's/ @\[[0-9.]*\]$//' >"$tmp/pt.$who"
done
if [ -s "$tmp/pt.P" ] && cmp -s "$tmp/pt.P" "$tmp/pt.S"; then
    ok "promtool query instant of a recorded series: $(cat "$tmp/pt.S")"
else
    not_ok "promtool query instant of a recorded series" \
        "$(cat "$tmp/pt.P"; echo ---; cat "$tmp/pt.S")"
fi

# fetch NAME PATH: both answers to PATH, as $tmp/NAME.P and $tmp/NAME.S;
# the rule files sit in a folder each, so Prometheus's are named as
# serve's.
fetch() {
    curl -s "$P$2" | sed "s|$tmp/prom/|$tmp/deck/|g" >"$tmp/$1.P"
    curl -s "$S$2" >"$tmp/$1.S"
}
cat >"$tmp/cmp.py" <<'PY'
import json, re, sys
# Same answer but for evaluation times and activeAt, whose form is
# checked; alerts compared as sets (Prometheus lists them in map order).
RFC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
def norm(v, key=None):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k in ("lastEvaluation", "activeAt", "keepFiringSince"):
                assert RFC.match(x), (k, x)
                x = "<time>"
            elif k == "evaluationTime":
                assert isinstance(x, (int, float)) and x >= 0, x
                x = "<seconds>"
            out[k] = norm(x, k)
        return out
    if isinstance(v, list):
        xs = [norm(x) for x in v]
        if key == "alerts":
            xs.sort(key=lambda a: json.dumps(a, sort_keys=True))
        return xs
    return v
p, s = (json.load(open(f)) for f in sys.argv[1:3])
np, ns = norm(p), norm(s)
if np != ns:
    a, b = json.dumps(np, indent=1).splitlines(), json.dumps(ns, indent=1).splitlines()
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            print("line", i, "prometheus:", x, "serve:", y)
    sys.exit(1)
PY
fetch rules /api/v1/rules
check "/api/v1/rules matches Prometheus's field by field" \
    python3 "$tmp/cmp.py" "$tmp/rules.P" "$tmp/rules.S"
check "a query past --query.timeout: health err, Prometheus's lastError" \
    python3 -c 'import json, sys
gs = json.load(open(sys.argv[1]))["data"]["groups"]
r = [g for g in gs if g["name"] == "slow"][0]["rules"][0]
assert r["health"] == "err", r
assert r["lastError"] == "query timed out in expression evaluation", r' \
    "$tmp/rules.S"
for t in alert record ALERT; do
    fetch "type$t" "/api/v1/rules?type=$t"
    check "/api/v1/rules?type=$t matches Prometheus's" \
        python3 "$tmp/cmp.py" "$tmp/type$t.P" "$tmp/type$t.S"
done
fetch badtype "/api/v1/rules?type=nope"
check "a bad type gets Prometheus's error" cmp "$tmp/badtype.P" \
    "$tmp/badtype.S"
fetch alerts /api/v1/alerts
check "/api/v1/alerts matches Prometheus's field by field" \
    python3 "$tmp/cmp.py" "$tmp/alerts.P" "$tmp/alerts.S"

# Alertmanager holds serve's alert, expanded, with a generatorURL.
i=0
until curl -sf "$AM/api/v2/alerts" >"$tmp/am.json" && python3 -c '
import json, sys
a = [a for a in json.load(open(sys.argv[1]))
     if a["labels"].get("alertname") == "E2EFlag"][0]
assert a["labels"] == {"alertname": "E2EFlag", "severity": "page",
    "disk": "sda", "job": "flag", "instance": "127.0.0.1:" + sys.argv[2]}, a
assert a["annotations"] == {"summary": "flag on sda is 1",
                            "raw": "a < b & c"}, a
assert "g0.expr=e2e_flag+%3D%3D+1" in a["generatorURL"], a
assert a["status"]["state"] == "active", a' "$tmp/am.json" "$webport" \
    2>"$tmp/am.err"; do
    i=$((i + 1))
    [ $i -gt 150 ] && break
    sleep 0.2
done
if [ $i -le 150 ]; then ok "Alertmanager received serve's alert"
else not_ok "Alertmanager received serve's alert" "$(cat "$tmp/am.err")"; fi

# SIGHUP with one more rule: E2EFlag keeps its activeAt.
active_at() {
    curl -s "$S/api/v1/alerts" | python3 -c 'import json, sys
print([a["activeAt"] for a in json.load(sys.stdin)["data"]["alerts"]
       if a["labels"]["alertname"] == "E2EFlag"][0])'
}
before=$(active_at)
cat >>"$tmp/deck/rules.yml" <<'Y'
  - name: added
    rules:
      - {record: added:one, expr: vector(1)}
Y
kill -HUP "$serve_pid"
i=0
until curl -s "$S/api/v1/rules" | grep -q '"added:one"'; do
    i=$((i + 1))
    [ $i -gt 100 ] && break
    sleep 0.2
done
if [ $i -le 100 ]; then ok "SIGHUP loads the changed rule file"
else not_ok "SIGHUP loads the changed rule file"; fi
after=$(active_at)
if [ -n "$before" ] && [ "$before" = "$after" ]; then
    ok "the firing alert keeps its state over the reload ($after)"
else
    not_ok "the firing alert keeps its state over the reload" \
        "before $before after $after"
fi
printf 'groups: [{name: x, rules: [{record: r, expr: "sum("}]}]\n' \
    >"$tmp/deck/slow.yml"
code=$(curl -s -o "$tmp/reload.out" -w '%{http_code}' -X POST "$S/-/reload")
check "/-/reload of a broken rule file fails with the reason" sh -c "
    [ '$code' = 500 ] && grep -q 'slow.yml' '$tmp/reload.out'"
check "the running rules stay" sh -c "
    curl -s '$S/api/v1/rules' | grep -q '\"slow:sum\"'"
finish
