#!/bin/sh
# Runs the whole suite against the binaries in build folder $1 and ends
# with one total line, "total: N passed, N failed, N skipped".
#   - make lint, counted as one test (it compiles each header alone when
#     LINT_CC and LINT_CFLAGS are set, as make check sets them)
#   - every cmocka binary build/tests/test_* (its [ PASSED ]/[ FAILED ] lines)
#   - the PromQL conformance runner on Prometheus's own test scripts
#   - every fuzz harness build/fuzz-replay/fuzz_* over its seeds and its
#     regression inputs (tests/fuzz/run.sh --replay), one test each
#   - every end-to-end script tests/e2e/test_*.sh (TAP-style "ok"/"not ok" lines)
# A binary that dies before its summary counts as one failure.
#
# Most of the suite's time is spent waiting on timers, so the tests run
# TEST_JOBS at a time (default 4), each into its own output file. Each
# output is printed whole, in the order above, as soon as it and those
# before it are done, so the log reads the same however the jobs ran.
# xargs -P (GNU, BSD and busybox xargs have it) starts the tests: unlike
# the shell's background jobs, they then keep the default SIGINT, and a
# Ctrl-C stops them all as it did when the suite ran one test at a time.
set -u
cd "$(dirname "$0")/.." || exit 1

# run.sh --one WORK N KIND PATH (from xargs): one test, its output into
# WORK/N.out, then its exit status into WORK/N.rc (by rename, so N.rc
# appears only once the test is done).
if [ "${1:-}" = --one ]; then
    work=$2 n=$3 kind=$4 path=$5
    case $kind in
    lint) sh "$path" "${LINT_CC:-}" "${LINT_CFLAGS:-}" ;;
    unit) "$path" ;;
    conf) "$path" --range-check --at-variants tests/data/conformance ;;
    fuzz) sh tests/fuzz/run.sh --replay "$path" ;;
    e2e) sh "$path" ;;
    esac <"/dev/null" >"$work/$n.out" 2>&1
    echo $? >"$work/$n.tmp" && mv "$work/$n.tmp" "$work/$n.rc"
    exit 0
fi

build=${1:-build}
jobs=${TEST_JOBS:-4}
export PROMDECK="$PWD/$build/promdeck"
export TESTDATA="$PWD/tests/data"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# The list, one "N KIND PATH" line per test, in printing order.
{
    echo "lint tests/lint.sh"
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] && echo "unit $t"
    done
    conf="$build/tests/promql-conformance"
    [ -x "$conf" ] && echo "conf $conf"
    for f in "$build"/fuzz-replay/fuzz_*; do
        [ -x "$f" ] && echo "fuzz $f"
    done
    for e in tests/e2e/test_*.sh; do
        [ -f "$e" ] && echo "e2e $e"
    done
} | awk '{ print NR, $0 }' >"$work/list"

count() {   # count PATTERN FILE: the number after PATTERN in FILE, or 0
    sed -n "s/^$1 *\([0-9][0-9]*\).*/\1/p" "$2" | head -n 1
}

# Prints and counts each test's output in list order, waiting for each to
# be done, then the total line; fails when a test did. It stops if the
# main shell is gone (interrupted).
report() {
    passed=0 failed=0 skipped=0 broken="" lint=ok fuzzfail=""
    while read -r n kind path; do
        while [ ! -f "$work/$n.rc" ]; do
            kill -0 $$ 2>/dev/null || exit 1
            sleep 0.1
        done
        out="$work/$n.out"
        rc=$(cat "$work/$n.rc")
        case $kind in
        lint)
            cat "$out"
            if [ "$rc" -eq 0 ]; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1)) lint=failed
            fi
            ;;
        unit)
            cat "$out"
            p=$(count '\[  PASSED  \]' "$out")
            f=$(count '\[  FAILED  \]' "$out")
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
        fuzz)
            cat "$out"
            if [ "$rc" -eq 0 ]; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                fuzzfail="$fuzzfail $(basename "$path")"
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
    [ "$lint" = failed ] && echo "lint failed: its lines are at the top"
    [ -n "$broken" ] && echo "died or printed no summary:$broken"
    [ -n "$fuzzfail" ] && echo "fuzz replays that failed (input named" \
        "above):$fuzzfail"
    echo "total: $passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
}

report &
printer=$!
trap 'kill "$printer" 2>/dev/null; exit 130' INT TERM

# Lint first, then the end-to-end scripts, the slowest, then the rest.
{
    grep ' lint ' "$work/list"; grep ' e2e ' "$work/list"
    grep -v -e ' lint ' -e ' e2e ' "$work/list"
} | xargs -n 3 -P "$jobs" sh tests/run.sh --one "$work"
wait "$printer"
