#!/bin/sh
# Regexes Go accepts on which promdeck's matcher spends seconds per label
# value (Prometheus answers them in a tenth of a second): the query's
# --query.timeout and SIGTERM reach into the match, so such a query ends
# with Prometheus's timeout error, or "interrupted", rather than run on;
# label_replace's regex too.
# The waits below only bound the test; no time is asserted.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

timeout_msg="query timed out in expression evaluation"
# 20 series whose label l is 3,000 a's then "c" (none of them matches).
python3 -c 'import sys
print("# TYPE x gauge")
for i in range(20):
    print("x{i=\"%d\",l=\"%s%d\"} 1 1700000000" % (i, "a" * 3000 + "c", i))
print("# EOF")' >"$tmp/slow.om"
repeat='(?:a{0,1000}a{0,1000})*b|z'
empty_alt=$(python3 -c 'print("(?:a|)" * 2000 + "b|z")')

# slow_query ARGS...: promdeck query on slow.om, killed after 120 s at
# most; sets rc and the out and err files.
slow_query() {
    timeout -s KILL 120 "$PROMDECK" query --load "$tmp/slow.om" \
        --time 1700000000 "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

for re in "$repeat" "$empty_alt"; do
    name=$(printf '%s' "$re" | cut -c1-24)
    slow_query --query.timeout 1s "count(x{l=~\"$re\"})"
    check "--query.timeout 1s on $name...: exit 1 and the timeout error" \
        sh -c "[ $rc -eq 1 ] && [ ! -s '$tmp/out' ] &&
               grep -qF '$timeout_msg' '$tmp/err'"
done

slow_query --query.timeout 1s \
    "label_replace(x, \"y\", \"\$1\", \"l\", \"($repeat)\")"
check "--query.timeout 1s on label_replace with it: the timeout error" \
    sh -c "[ $rc -eq 1 ] && grep -qF '$timeout_msg' '$tmp/err'"

slow_query --query.timeout 1s -o json "x{l=~\"$repeat\"}"
check "-o json: Prometheus's timeout body" \
    sh -c "[ $rc -eq 1 ] &&
           grep -qF '\"errorType\":\"timeout\"' '$tmp/out'"

# SIGTERM a second into the match: gone with 143 and "interrupted".
"$PROMDECK" query --load "$tmp/slow.om" --time 1700000000 \
    "x{l=~\"$repeat\"}" >"$tmp/out" 2>"$tmp/err" &
pid=$!
on_exit "kill -9 $pid 2>/dev/null"
sleep 1
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid"
    not_ok "SIGTERM stops a slow regex match" "still running 60 s later"
else
    wait "$pid"
    rc=$?
    check "SIGTERM stops a slow regex match: exit 143, interrupted" \
        sh -c "[ $rc -eq 143 ] && [ ! -s '$tmp/out' ] &&
               grep -q '^promdeck: interrupted$' '$tmp/err'"
fi
finish
