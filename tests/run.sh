#!/bin/sh
# Runs the whole suite against the binaries in build folder $1 and ends
# with one total line, "total: N passed, N failed, N skipped".
#   - make lint, first, counted as one test (it compiles each header alone
#     when LINT_CC and LINT_CFLAGS are set, as make check sets them)
#   - every cmocka binary build/tests/test_* (its [ PASSED ]/[ FAILED ] lines)
#   - the PromQL conformance runner on Prometheus's own test scripts
#   - every end-to-end script tests/e2e/test_*.sh (TAP-style "ok"/"not ok" lines)
# A binary that dies before its summary counts as one failure.
#
# Most of the suite's time is spent waiting on timers, so the tests run
# TEST_JOBS at a time (default 4), each into its own output file. Each
# output is printed whole, in the order above, as soon as it and those
# before it are done, so the log reads the same however the jobs ran.
set -u
build=${1:-build}
jobs=${TEST_JOBS:-4}
cd "$(dirname "$0")/.." || exit 1
export PROMDECK="$PWD/$build/promdeck"
export TESTDATA="$PWD/tests/data"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
passed=0 failed=0 skipped=0 broken=""

# The list, one "N KIND PATH" line per test, in printing order.
{
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] && echo "unit $t"
    done
    conf="$build/tests/promql-conformance"
    [ -x "$conf" ] && echo "conf $conf"
    for e in tests/e2e/test_*.sh; do
        [ -f "$e" ] && echo "e2e $e"
    done
} | awk '{ print NR, $0 }' >"$work/list"

# run N KIND PATH: one test, its output into N.out, then its exit status
# into N.rc (by rename, so N.rc appears only once the test is done). The
# tests get no stdin and none of the scheduler's descriptors.
run() {
    case $2 in
    unit) "$3" ;;
    conf) "$3" --range-check --at-variants tests/data/conformance ;;
    e2e) sh "$3" ;;
    esac <"/dev/null" >"$work/$1.out" 2>&1 3>&-
    echo $? >"$work/$1.tmp" && mv "$work/$1.tmp" "$work/$1.rc"
}

# A pool of $jobs tokens in a FIFO: a test takes one to start and gives
# it back when it ends. The end-to-end scripts, the slowest, start first.
mkfifo "$work/slots" || exit 1
exec 3<>"$work/slots"
i=0
while [ "$i" -lt "$jobs" ]; do echo >&3; i=$((i + 1)); done
{
    grep ' e2e ' "$work/list"; grep -v ' e2e ' "$work/list"
} | while read -r n kind path; do
    read -r _ <&3
    { run "$n" "$kind" "$path"; echo >&3; } &
done &

count() {   # count PATTERN FILE: the number after PATTERN in FILE, or 0
    sed -n "s/^$1 *\([0-9][0-9]*\).*/\1/p" "$2" | head -n 1
}

# Lint runs while the suite starts, and is printed and counted first.
if sh tests/lint.sh "${LINT_CC:-}" "${LINT_CFLAGS:-}" 3>&-; then
    passed=$((passed + 1)) lint=ok
else
    failed=$((failed + 1)) lint=failed
fi

while read -r n kind path; do
    while [ ! -f "$work/$n.rc" ]; do sleep 0.1; done
    out="$work/$n.out"
    rc=$(cat "$work/$n.rc")
    case $kind in
    unit)
        cat "$out"
        p=$(count '\[  PASSED  \]' "$out"); f=$(count '\[  FAILED  \]' "$out")
        s=$(count '\[  SKIPPED \]' "$out")
        passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
        skipped=$((skipped + ${s:-0}))
        if [ -z "$p$f" ] || { [ "$rc" -ne 0 ] && [ -z "$f" ]; }; then
            failed=$((failed + 1)); broken="$broken $(basename "$path")"
        fi
        ;;
    conf)
        cat "$out"
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
        if [ -n "$line" ]; then
            # shellcheck disable=SC2046
            set -- $(echo "$line" | tr -cs '0-9' ' ')
            passed=$((passed + $1)); failed=$((failed + $2))
            skipped=$((skipped + ${3:-0}))
        else
            failed=$((failed + 1)); broken="$broken promql-conformance"
        fi
        ;;
    e2e)
        echo "== $path"
        cat "$out"
        p=$(grep -c '^ok ' "$out"); f=$(grep -c '^not ok ' "$out")
        s=$(grep -c '^ok .*# SKIP' "$out")
        passed=$((passed + p - s)); failed=$((failed + f))
        skipped=$((skipped + s))
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            failed=$((failed + 1)); broken="$broken $(basename "$path")"
        fi
        ;;
    esac
done <"$work/list"
wait

[ "$lint" = failed ] && echo "lint failed: its lines are at the top"
[ -n "$broken" ] && echo "died or printed no summary:$broken"
echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
