#!/bin/sh
# Runs the whole suite against the binaries in build folder $1 and ends
# with one total line, "total: N passed, N failed, N skipped".
#   - every cmocka binary build/tests/test_* (its [ PASSED ]/[ FAILED ] lines)
#   - the PromQL conformance runner on Prometheus's own test scripts
#   - every end-to-end script tests/e2e/test_*.sh (TAP-style "ok"/"not ok" lines)
# A binary that dies before its summary counts as one failure.
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
export PROMDECK="$PWD/$build/promdeck"
export TESTDATA="$PWD/tests/data"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
passed=0 failed=0 skipped=0 broken=""

count() {   # count PATTERN: the number after PATTERN in $out, or 0
    sed -n "s/^$1 *\([0-9][0-9]*\).*/\1/p" "$out" | head -n 1
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(count '\[  PASSED  \]'); f=$(count '\[  FAILED  \]')
    s=$(count '\[  SKIPPED \]')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    skipped=$((skipped + ${s:-0}))
    if [ -z "$p$f" ] || { [ $rc -ne 0 ] && [ -z "$f" ]; }; then
        failed=$((failed + 1)); broken="$broken $(basename "$t")"
    fi
done

conf="$build/tests/promql-conformance"
if [ -x "$conf" ]; then
    "$conf" --range-check --at-variants tests/data/conformance >"$out" 2>&1
    rc=$?
    cat "$out"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    if [ -n "$line" ]; then
        set -- $(echo "$line" | tr -cs '0-9' ' ')
        passed=$((passed + $1)); failed=$((failed + $2))
        skipped=$((skipped + ${3:-0}))
    else
        failed=$((failed + 1)); broken="$broken promql-conformance"
    fi
fi

for e in tests/e2e/test_*.sh; do
    [ -f "$e" ] || continue
    echo "== $e"
    sh "$e" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(grep -c '^ok ' "$out"); f=$(grep -c '^not ok ' "$out")
    s=$(grep -c '^ok .*# SKIP' "$out")
    passed=$((passed + p - s)); failed=$((failed + f))
    skipped=$((skipped + s))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        failed=$((failed + 1)); broken="$broken $(basename "$e")"
    fi
done

[ -n "$broken" ] && echo "died or printed no summary:$broken"
echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
