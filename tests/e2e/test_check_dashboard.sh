#!/bin/sh
# `promdeck check dashboard` tells the truth: exit 0 when every query
# parses, 1 when the dashboard loads but queries do not parse (each on
# stderr with its panel or variable and the query as expanded), 2 when
# the file does not load; notes go to stderr, grouped, and stdout has the
# OK line only.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# Two panels share a note. One query breaks only once $w is expanded (to
# its first value, a duration with a space); a variable query breaks on
# $zz, which is no variable.
cat >"$tmp/bad.json" <<'JSON'
{"title": "Bad", "templating": {"list": [
  {"type": "custom", "name": "w", "query": "5 m,10m"},
  {"type": "query", "name": "v", "query": "label_values(up{a=\"$zz\"}, $zz)"}]},
 "panels": [
  {"type": "stat", "title": "One", "gridPos": {"x": 0, "y": 0, "w": 8, "h": 4},
   "transformations": [{"id": "merge"}],
   "targets": [{"expr": "rate(x[$w])", "refId": "A"}]},
  {"type": "stat", "title": "Two", "gridPos": {"x": 8, "y": 0, "w": 8, "h": 4},
   "transformations": [{"id": "merge"}],
   "targets": [{"expr": "sum(up)", "refId": "A"}]},
  {"type": "stat", "title": "Three", "gridPos": {"x": 16, "y": 0, "w": 8, "h": 4},
   "targets": [{"expr": "sum(up{job=~\"$w\"})", "refId": "A"}]}]}
JSON
"$PROMDECK" check dashboard "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "broken queries: exit 1, nothing on stdout" \
    sh -c "[ $rc -eq 1 ] && [ ! -s '$tmp/out' ]"
# PromQL wants one duration token in rate(x[5 m]) and finds "5" then a
# space: column 8, where $w starts as written.
check "each broken query on stderr with its panel and the expanded query" \
    grep -qF "$tmp/bad.json: panel \"One\": 1:8: " "$tmp/err"
check "... ending with the query as expanded" \
    grep -qF "; expanded query: rate(x[5 m])" "$tmp/err"
check "a broken variable query on stderr, expanded" \
    grep -qF "$tmp/bad.json: variable \"v\": 1:27: unexpected character: '\$'; query: label_values(up{a=\"\$zz\"}, \$zz)" \
    "$tmp/err"
check "a summary line counts them" \
    grep -qF "$tmp/bad.json: FAILED (2 of 4 queries do not parse)" "$tmp/err"
check "a note two panels share is one line with a count" \
    grep -qF "$tmp/bad.json: note: 2 panels: transformations are not applied" \
    "$tmp/err"

cat >"$tmp/good.json" <<'JSON'
{"title": "Good", "templating": {"list": [
  {"type": "custom", "name": "w", "query": "5m,10m"}]},
 "panels": [{"type": "graph", "title": "Rate",
   "gridPos": {"x": 0, "y": 0, "w": 24, "h": 4},
   "targets": [{"expr": "rate(x[$w])", "refId": "A"}]}]}
JSON
"$PROMDECK" check dashboard "$tmp/good.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a good dashboard: exit 0 and the OK line on stdout" sh -c "
    [ $rc -eq 0 ] && [ ! -s '$tmp/err' ] &&
    grep -qF '$tmp/good.json: OK (1 page, 1 panels, 1 queries, 1 variables)' \
        '$tmp/out'"

printf '{"title": "x", "panels": [' >"$tmp/broken.json"
printf 'rows:\n  - panels:\n      - {expr: "rate(x[5m]"}\n' >"$tmp/bad.yaml"
for f in broken.json bad.yaml; do
    "$PROMDECK" check dashboard "$tmp/$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "$f does not load: exit 2, file:line:col on stderr" sh -c "
        [ $rc -eq 2 ] && [ ! -s '$tmp/out' ] &&
        grep -q '^$tmp/$f:[0-9]*:[0-9]*: error: ' '$tmp/err'"
done

# Several files: the worst status wins.
"$PROMDECK" check dashboard "$tmp/good.json" "$tmp/bad.json" >/dev/null \
    2>&1
rc1=$?
"$PROMDECK" check dashboard "$tmp/bad.json" "$tmp/bad.yaml" >/dev/null 2>&1
rc2=$?
check "with several files the worst status wins (1, then 2)" \
    sh -c "[ $rc1 -eq 1 ] && [ $rc2 -eq 2 ]"
finish
