#!/bin/sh
# Hostile queries against the real binary: nesting past the parser's
# limit and numbers out of range (exit 2 and the message, never a crash),
# the regression inputs of tests/data/fuzz/regress/fuzz_promql through
# promdeck query and promdeck check dashboard, one sample budget per query
# with Prometheus's error (and its API's error body with -o json) and the
# memory the issue's cases now hold at most, a dashboard panel past the
# budget in --once (its error, the other panels' results), the query
# timeout, and SIGTERM or SIGINT stopping a long query at once, in
# promdeck query and on the dashboard.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

om="$TESTDATA/promql/input.om"
regress="$TESTDATA/fuzz/regress/fuzz_promql"
deep="expression nests too deeply (more than 1024 levels)"
many="query processing would load too many samples into memory in query"
many="$many execution"
# Minutes of work at 1 s steps, each a 3.6-million-sample window.
slow='quantile_over_time(0.5, vector(1)[1h:1ms])'
slow_range="--start 1700000000 --end 1700000600 --step 1s"

# query ARGS...: promdeck query on input.om; sets rc, out, err files.
query() {
    "$PROMDECK" query --load "$om" --time 1700000600 "$@" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# expect_error DESC RC MESSAGE ARGS...: exit RC, MESSAGE on stderr,
# nothing on stdout.
expect_error() {
    d=$1 want=$2 msg=$3
    shift 3
    query "$@"
    if [ "$rc" -eq "$want" ] && [ ! -s "$tmp/out" ] \
        && grep -qF -- "$msg" "$tmp/err"; then
        ok "$d"
    else
        not_ok "$d" "exit $rc; $(head -c 300 "$tmp/err")"
    fi
}

# peak_kib ARGS...: runs promdeck query ARGS and prints the most memory
# it held (its peak RSS in KiB, from the kernel's count for the finished
# child).
peak_kib() {
    python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
        "$PROMDECK" query "$@"
}

# under_kib DESC LIMIT ARGS...: the query's peak RSS stays under LIMIT.
under_kib() {
    d=$1 limit=$2
    shift 2
    kib=$(peak_kib "$@")
    if [ "$kib" -lt "$limit" ]; then
        ok "$d ($kib KiB)"
    else
        not_ok "$d" "$kib KiB"
    fi
}

# stdout_is TEXT: what the last query printed is exactly TEXT.
stdout_is() {
    [ "$(cat "$tmp/out")" = "$1" ]
}

# Inputs small enough for the command line; the biggest go through a
# dashboard file below.
for f in parens-50000 minus-100000-unspaced pow-chain-20000 abs-5000; do
    expect_error "query $f: exit 2, too deep" 2 "$deep" \
        -- "$(cat "$regress/$f")"
done
for f in range-20-nines-seconds range-9999999999y \
         rate-range-2pow64-plus-1ms at-minus-9.2e15-offset offset-293y \
         subquery-step-20-nines-seconds; do
    expect_error "query $f: exit 2, duration out of range" 2 \
        "duration out of range" -- "$(cat "$regress/$f")"
done
expect_error "query 1e309: exit 2, Prometheus's number error" 2 \
    'parsing "1e309": value out of range' -- "$(cat "$regress/number-1e309")"

query -- "$(cat "$regress/plus-chain-20000")"
check "1+1+...+1, 20,000 terms: 20000" \
    sh -c "[ $rc -eq 0 ] && [ \"\$(cat '$tmp/out')\" = 20000 ]"

# Every regression input: an answer or an error, never a signal.
for f in "$regress"/*; do
    [ "$(wc -c <"$f")" -lt 120000 ] || continue
    query -- "$(cat "$f")"
    check "query $(basename "$f"): no crash (exit $rc)" [ "$rc" -le 2 ]
done

# check_dash FILE: promdeck check dashboard on a panel whose expr is the
# text of FILE; sets rc.
check_dash() {
    printf 'title: T\nrows:\n  - panels:\n      - title: P\n' \
        >"$tmp/dash.yaml"
    printf '        type: stat\n        expr: |-\n          ' \
        >>"$tmp/dash.yaml"
    cat "$1" >>"$tmp/dash.yaml"
    printf '\n' >>"$tmp/dash.yaml"
    "$PROMDECK" check dashboard "$tmp/dash.yaml" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
for f in "$regress"/*; do
    check_dash "$f"
    check "check dashboard $(basename "$f"): no crash (exit $rc)" \
        [ "$rc" -le 2 ]
done
for f in parens-50000 unary-minus-100000; do
    check_dash "$regress/$f"
    check "check dashboard $f: exit 2 with the nesting error" \
        sh -c "[ $rc -eq 2 ] && grep -qF '$deep' '$tmp/err'"
done

# One budget for the whole query: the issue's cases.
m='max_over_time(vector(1)[12h:1ms])'
expect_error "three 12h:1ms subqueries: exit 1, too many samples" 1 \
    "$many" "$m + $m + $m"
query -o json "$m + $m + $m"
body='{"status":"error","errorType":"execution","error":"'"$many"'"}'
if [ "$rc" -eq 1 ] && stdout_is "$body"; then
    ok "-o json prints Prometheus's execution error body"
else
    not_ok "-o json prints Prometheus's execution error body" \
        "exit $rc; $(head -c 300 "$tmp/out")"
fi
# Memory: 50,000,000 samples of 16 bytes are 800 MB, what Prometheus
# would hold too (about 740 MB here, 910 MB under AddressSanitizer);
# before the budget these took 6.7 GB (and an abort) and 4.5 GB.
under_kib "three 12h:1ms subqueries hold under 1.5 GiB" 1572864 \
    --load "$om" --time 1700000600 -- "$m + $m + $m"
under_kib "one 12h:1ms subquery holds under 1.5 GiB" 1572864 \
    --load "$om" --time 1700000600 -- "$m"
expect_error "--query.max-samples 1000 refuses a smaller query" 1 "$many" \
    --query.max-samples 1000 'count_over_time(vector(1)[1m:10ms])'
query --query.max-samples 20000 'count_over_time(vector(1)[1m:10ms])'
check "--query.max-samples 20000 lets it pass" \
    sh -c "[ $rc -eq 0 ] && [ \"\$(cat '$tmp/out')\" = '{} 6001' ]"

# --once: each panel within the budget; the one past it shows
# Prometheus's error, the other its series, and the run exits 1.
cat >"$tmp/two.yaml" <<'YML'
title: Two
range: 15m
rows:
  - panels:
      - { title: Heavy, type: stat, expr: "max_over_time(vector(1)[1h:1s])" }
      - { title: Light, type: stat, expr: "up" }
YML
"$PROMDECK" --demo --once -o json -d "$tmp/two.yaml" \
    --query.max-samples 3000 >"$tmp/two.json" 2>"$tmp/err"
rc=$?
panels=$(python3 -c 'import json, sys
for p in json.load(open(sys.argv[1]))["panels"]:
    print(p["title"], p.get("error") or "-", len(p["series"]) > 0)' \
    "$tmp/two.json" 2>&1)
want="Heavy $many; query: max_over_time(vector(1)[1h:1s]) False
Light - True"
if [ "$rc" -eq 1 ] && [ "$panels" = "$want" ]; then
    ok "--once: the panel past the budget shows the error, the other works"
else
    not_ok "--once: the panel past the budget shows the error, the other" \
        "exit $rc; $panels"
fi

# label_replace and label_join build no value over 1 MiB.
python3 -c 'print("# TYPE big gauge")
print("big{v=\"" + "a" * 1000000 + "\"} 1 1700000000")
print("# EOF")' >"$tmp/big.om"
dollars=$(python3 -c 'print("$1" * 1000)')
"$PROMDECK" query --load "$tmp/big.om" --time 1700000000 \
    "label_replace(big, \"w\", \"$dollars\", \"v\", \"(.*)\")" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "label_replace past 1 MiB: exit 1, label value too long" \
    sh -c "[ $rc -eq 1 ] && grep -qF 'label value too long' '$tmp/err'"
# It used to build a 1 GB label (2 GB of memory); the 1 MB input itself
# and the 1 MiB bound take a few MB.
under_kib "label_replace past 1 MiB holds under 64 MiB" 65536 \
    --load "$tmp/big.om" --time 1700000000 \
    "label_replace(big, \"w\", \"$dollars\", \"v\", \"(.*)\")"

# The timeout, with Prometheus's message and errorType.
# shellcheck disable=SC2086
query $slow_range --query.timeout 1s -o json "$slow"
body='{"status":"error","errorType":"timeout","error":"query timed out'
body="$body in expression evaluation\"}"
if [ "$rc" -eq 1 ] && stdout_is "$body"; then
    ok "--query.timeout 1s: exit 1 and Prometheus's timeout body"
else
    not_ok "--query.timeout 1s: exit 1 and Prometheus's timeout body" \
        "exit $rc; $(head -c 300 "$tmp/out")"
fi

# gone_within PID: true once PID has ended, false if it is still there
# 5 s on (a bound only a process that ignored its signal would pass).
gone_within() {
    i=0
    while kill -0 "$1" 2>/dev/null && [ "$i" -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    ! kill -0 "$1" 2>/dev/null
}

# stop_with SIG CODE: a long query signalled after 1 s ends with CODE and
# "promdeck: interrupted", long before it would have finished.
stop_with() {
    # shellcheck disable=SC2086
    "$PROMDECK" query --load "$om" $slow_range "$slow" \
        >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    on_exit "kill -9 $pid 2>/dev/null"
    sleep 1
    kill -"$1" "$pid"
    if ! gone_within "$pid"; then
        kill -9 "$pid"
        wait "$pid"
        not_ok "SIG$1 stops a long query" "still running 5 s later"
        return
    fi
    wait "$pid"
    rc=$?
    check "SIG$1 stops a long query: exit $2, 'interrupted', no output" \
        sh -c "[ $rc -eq $2 ] && [ ! -s '$tmp/out' ] &&
               grep -q '^promdeck: interrupted$' '$tmp/err'"
}
stop_with TERM 143
stop_with INT 130

# The dashboard's own evaluation stops too: a panel whose query takes
# minutes, SIGTERM while it runs, promdeck gone within a moment.
if command -v tmux >/dev/null 2>&1; then
    cat >"$tmp/slow.yaml" <<YML
title: Slow
range: 15m
rows:
  - panels:
      - { title: Slow, type: stat, expr: "$slow" }
YML
    cat >"$tmp/run.sh" <<SH
echo \$\$ >"$tmp/pid"
exec env LC_ALL=C.UTF-8 TERM=tmux-256color "$PROMDECK" --demo \
    -d "$tmp/slow.yaml"
SH
    # lib.sh's tmux helpers; use_tmux would end the whole test without
    # tmux, and only this part needs it.
    sock="promdeck-e2e-$$"
    on_exit 'tmux -L "$sock" kill-server 2>/dev/null'
    tm new-session -d -s a -x 100 -y 30 "sh '$tmp/run.sh'; sleep 60"
    sleep 2
    pid=$(cat "$tmp/pid" 2>/dev/null)
    d="SIGTERM stops the dashboard's slow query"
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        not_ok "$d" "promdeck did not start:
$(screen a)"
    elif kill -TERM "$pid" && gone_within "$pid"; then
        ok "$d"
    else
        kill -9 "$pid"
        not_ok "$d" "still running 5 s later"
    fi
fi
finish
