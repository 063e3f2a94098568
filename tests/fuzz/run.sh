#!/bin/sh
# Runs the fuzz harnesses tests/fuzz/fuzz_NAME.c.
#
#   run.sh BUILD SECONDS    the libFuzzer harnesses in BUILD/fuzz/ (make fuzz
#                           builds them into build-fuzz/fuzz/). With SECONDS
#                           = 0 each runs once over its seeds and regression
#                           inputs and fuzzes nothing new, so a harness that
#                           no longer works, or an input that crashes it,
#                           fails make fuzz. With SECONDS = N > 0 each fuzzes
#                           for N seconds, keeping what it finds in
#                           BUILD/corpus/NAME (the seeds themselves are only
#                           read). Crashing inputs go to BUILD/artifacts/.
#   run.sh --replay BIN     BIN is a harness linked with tests/fuzz/replay.c
#                           (BUILD/fuzz-replay/NAME, built by the ordinary
#                           compiler): runs it once over the same inputs, for
#                           make check, which counts it as one test.
#
# A harness's inputs are the folders of its seeds row below, then
# tests/data/fuzz/regress/NAME/: inputs that once crashed a harness or made
# it hang, kept so a fixed bug stays fixed (the file name says what each
# is). tests/data/fuzz/pending/NAME/ holds reproducers of bugs not fixed
# yet; nothing replays them until the fix moves them to regress/.
set -u
cd "$(dirname "$0")/../.." || exit 1

# The seeds of each harness: its name, the libFuzzer options it fuzzes
# with (words starting with -), then the folders of its inputs. A harness
# without a row fails. -max_len keeps the seeds meant for a harness whole;
# PromQL inputs are kept short until the evaluator bounds its own work.
seeds='
fuzz_expo      tests/data/exposition
fuzz_promql    -max_len=512 tests/data/fuzz/seeds/fuzz_promql
fuzz_config    -max_len=16384 tests/data/fuzz/seeds/fuzz_config
               tests/data/relabel tests/data/diamol-ch09
fuzz_dashfile  -max_len=8192 dashboards tests/data/fuzz/seeds/fuzz_dashfile
fuzz_grafana   -max_len=65536 tests/data/diamol-ch09
               tests/data/fuzz/seeds/fuzz_grafana
fuzz_relabel   -max_len=16384 tests/data/relabel
               tests/data/fuzz/seeds/fuzz_relabel
fuzz_theme     -max_len=4096 themes
fuzz_rules     -max_len=16384 tests/data/rules
'

# row NAME: the words of NAME's row (a line that starts with blanks
# continues the row above), or nothing.
row() {
    printf '%s\n' "$seeds" | awk -v n="$1" '
        /^[^ ]/ { cur = $1 }
        cur == n { for (i = ($1 == n ? 2 : 1); i <= NF; i++) print $i }'
}

# inputs NAME: the folders of NAME's row, then its regress folder if any.
inputs() {
    row "$1" | grep -v '^-'
    [ ! -d "tests/data/fuzz/regress/$1" ] || echo "tests/data/fuzz/regress/$1"
}

if [ "${1:-}" = --replay ]; then
    bin=$2 name=$(basename "$2")
    dirs=$(inputs "$name")
    if [ -z "$(row "$name")" ]; then
        echo "fuzz: $name has no seeds row in tests/fuzz/run.sh"
        exit 1
    fi
    # shellcheck disable=SC2086
    exec "$bin" $dirs
fi

build=$1 seconds=${2:-0}
mkdir -p "$build/artifacts" || exit 1
rc=0
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    bin=$build/fuzz/$name
    if [ -z "$(row "$name")" ]; then
        echo "fuzz: $name has no seeds row in tests/fuzz/run.sh"
        rc=1; continue
    fi
    opts=$(row "$name" | grep '^-')
    dirs=$(inputs "$name")
    if [ "$seconds" -eq 0 ]; then
        set -- -runs=0
    else
        mkdir -p "$build/corpus/$name" || exit 1
        set -- -max_total_time="$seconds" -timeout=30 "$build/corpus/$name"
        echo "fuzz: $name for $seconds s"
    fi
    log=$build/$name.log
    # shellcheck disable=SC2086
    if "$bin" -artifact_prefix="$build/artifacts/$name-" $opts "$@" $dirs \
        >"$log" 2>&1; then
        files=$(sed -n 's/.*seed corpus: files: \([0-9]*\).*/\1/p' "$log")
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
        echo "fuzz: $name ok: ${files:-0} seed files, ${runs:-0} runs"
    else
        tail -n 40 "$log"
        echo "fuzz: $name FAILED, log in $log"
        rc=1
    fi
done
exit $rc
