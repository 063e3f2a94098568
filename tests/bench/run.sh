#!/bin/sh
# make bench: runs every benchmark binary build/bench/bench_* and every
# script tests/bench/bench_*.sh. Each prints its own figures; nothing here
# asserts a time, since these machines are shared and noisy.
build=${1:-build}
cd "$(dirname "$0")/../.."
export PROMDECK="$PWD/$build/promdeck" TESTDATA="$PWD/tests/data"
for b in "$build"/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b"
done
for s in tests/bench/bench_*.sh; do
    [ -f "$s" ] || continue
    echo "== $(basename "$s")"
    sh "$s"
done
