#!/bin/sh
# Runs the libFuzzer harnesses built into folder $1 (make fuzz builds them
# into build-fuzz/fuzz/). With $2 = 0 each harness runs once over its seeds
# and fuzzes nothing new, so a harness that no longer works, or a seed
# that crashes it, fails make fuzz. With $2 = N > 0 each harness fuzzes for
# N seconds, keeping what it finds in $1/corpus/NAME (the seeds themselves
# are only read). Crashing inputs are written to $1/artifacts/.
set -u
build=$1 seconds=${2:-0}
cd "$(dirname "$0")/../.." || exit 1

# The seeds of each harness: its name, then the folders of its inputs. A
# harness without a row fails.
seeds='
fuzz_expo   tests/data/exposition
'

mkdir -p "$build/artifacts" || exit 1
rc=0
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    bin=$build/fuzz/$name
    dirs=$(printf '%s\n' "$seeds" \
        | awk -v n="$name" '$1 == n { $1 = ""; print }')
    if [ -z "$dirs" ]; then
        echo "fuzz: $name has no seeds row in tests/fuzz/run.sh"
        rc=1; continue
    fi
    if [ "$seconds" -eq 0 ]; then
        set -- -runs=0
    else
        mkdir -p "$build/corpus/$name" || exit 1
        set -- -max_total_time="$seconds" "$build/corpus/$name"
        echo "fuzz: $name for $seconds s"
    fi
    log=$build/$name.log
    # shellcheck disable=SC2086
    if "$bin" -artifact_prefix="$build/artifacts/$name-" "$@" $dirs \
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
