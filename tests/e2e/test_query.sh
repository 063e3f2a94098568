#!/bin/sh
# promdeck query against a real Prometheus 2.42's answers: the same
# OpenMetrics data set loaded with --load, the same expression, and the
# API body Prometheus returned (tests/data/promql/golden.json) compared
# value by value, plus promtool-style text and error reporting, and the
# API's error body for a query that does not parse.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

om="$TESTDATA/promql/input.om"
golden="$TESTDATA/promql/golden.json"

# compare EXPR KIND: run promdeck query like the golden case and compare.
compare() {
    python3 - "$PROMDECK" "$om" "$golden" "$1" "$2" <<'PY'
import json, math, subprocess, sys
exe, om, golden, expr, kind = sys.argv[1:]
cases = json.load(open(golden))["cases"]
def close(a, b):
    a, b = float(a), float(b)
    if math.isnan(a) and math.isnan(b) or a == b:
        return True
    return abs(a - b) / (abs(a) + abs(b)) < 1e-6
def key(s):
    return json.dumps(s["metric"], sort_keys=True)
matching = [c for c in cases if c["expr"] == expr and c["type"] == kind]
assert matching, "no golden case for " + expr
for case in matching:
    args = [exe, "query", "--load", om, "-o", "json"]
    if kind == "range":
        args += ["--start", str(case["start"]), "--end", str(case["end"]),
                 "--step", "%ds" % case["step"]]
    else:
        args += ["--time", str(case["time"])]
    got = json.loads(subprocess.run(args + [expr], check=True,
                                    capture_output=True, text=True).stdout)
    want = case["response"]
    assert got["status"] == "success", got
    assert got["data"]["resultType"] == want["data"]["resultType"], got
    g = {key(s): s for s in got["data"]["result"]}
    w = {key(s): s for s in want["data"]["result"]}
    assert g.keys() == w.keys(), (case.get("time"), sorted(g), sorted(w))
    for k in w:
        gv = g[k].get("values") or [g[k]["value"]]
        wv = w[k].get("values") or [w[k]["value"]]
        assert [p[0] for p in gv] == [p[0] for p in wv], k
        assert all(close(a[1], b[1]) for a, b in zip(gv, wv)), (k, gv, wv)
PY
}

for expr in 'sum by (code) (rate(app_requests_total[1m]))' \
            'histogram_quantile(0.9, sum by (le) (rate(app_request_duration_seconds_bucket[5m])))'; do
    for kind in instant range; do
        check "query -o json matches Prometheus: $kind $expr" \
            compare "$expr" "$kind"
    done
done

"$PROMDECK" query --load "$om" --time 1700000600 \
    'sum by (job) (app_in_flight_requests)' >"$tmp/text" 2>&1
check "query -o text prints one line per series" \
    grep -qE '^\{job="app"\} [0-9.]+$' "$tmp/text"

"$PROMDECK" query --load "$om" 'sum(rate(x[5m])' >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a syntax error exits 2, shows a caret and leaves stdout empty" \
    sh -c "[ $rc -eq 2 ] && [ ! -s '$tmp/out' ] && grep -q '\^' '$tmp/err'"

# With -o json, the body Prometheus 2.42's /api/v1/query returns for a
# query that does not parse: web/api/v1/api.go wraps promql's ParseErr
# ("LINE:COL: parse error: ...", byte column from 1) as 'invalid
# parameter "query": ...' with errorType bad_data, encoded by Go's
# encoding/json. For rate(x) Prometheus's parser says exactly this (the
# argument x starts at byte 5: column 6).
"$PROMDECK" query --load "$om" -o json 'rate(x)' >"$tmp/out" 2>"$tmp/err"
rc=$?
check "query -o json: a type error gives Prometheus's exact error body" \
    python3 - "$tmp/out" "$rc" <<'PY'
import json, sys
raw = open(sys.argv[1]).read()
assert sys.argv[2] == "2", "exit status " + sys.argv[2]
want = ('{"status":"error","errorType":"bad_data","error":"invalid parameter '
        '\\"query\\": 1:6: parse error: expected type range vector in call '
        'to function \\"rate\\", got instant vector"}')
assert raw == want + "\n", raw
assert json.loads(raw)["error"].startswith('invalid parameter "query": 1:6:')
PY
check "query -o json: the text form still goes to stderr" \
    grep -q '\^' "$tmp/err"
"$PROMDECK" query --load "$om" -o json --start 1700000000 --end 1700000600 \
    --step 1m 'sum(rate(x[5m])' >"$tmp/out" 2>"$tmp/err"
rc=$?
check "query_range -o json: a syntax error is bad_data, positioned, exit 2" \
    python3 - "$tmp/out" "$rc" <<'PY'
import json, re, sys
body = json.load(open(sys.argv[1]))
assert sys.argv[2] == "2", "exit status " + sys.argv[2]
assert list(body) == ["status", "errorType", "error"], body
assert body["status"] == "error" and body["errorType"] == "bad_data", body
assert re.match(r'invalid parameter "query": 1:16: parse error: \S',
                body["error"]), body
PY
"$PROMDECK" query --load "$om" -o json 'a < > b' >"$tmp/out" 2>/dev/null
check "query -o json: <, > and & are escaped as Go's encoder does" \
    sh -c "grep -qF '\\u003e' '$tmp/out' && ! grep -q '>' '$tmp/out'"
finish
