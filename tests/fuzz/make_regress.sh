#!/bin/sh
# Writes the known reproducers of the hardening issue that are generated
# rather than typed: huge PromQL inputs (deep nesting, long chains, out of
# range durations and times). Each file is one input of the fuzz_promql
# harness and stays under 300 KB. The parser's and evaluator's limits fix
# them all, so they are written to tests/data/fuzz/regress/fuzz_promql/,
# which make check replays (a reproducer of a bug not fixed yet would go
# to tests/data/fuzz/pending/ instead). Run it from anywhere; it replaces
# the files it writes and nothing else.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-tests/data/fuzz/regress/fuzz_promql}
mkdir -p "$out"

# rep N TEXT: TEXT N times, no newline.
rep() {
    awk -v n="$1" -v s="$2" 'BEGIN {
        # Doubling keeps this fast for 100000 copies.
        r = ""; p = s
        while (n > 0) { if (n % 2) r = r p; p = p p; n = int(n / 2) }
        printf "%s", r }'
}

{ rep 50000 '('; printf 1; rep 50000 ')'; } >"$out/parens-50000"
{ rep 100000 '- '; printf 1; } >"$out/unary-minus-100000"
{ rep 19999 '1+'; printf 1; } >"$out/plus-chain-20000"
{ rep 19999 '1^'; printf 1; } >"$out/pow-chain-20000"
printf 'x[99999999999999999999s]' >"$out/range-20-nines-seconds"
printf 'x[9999999999y]' >"$out/range-9999999999y"
printf 'rate(x[18446744073709551617ms])' >"$out/rate-range-2pow64-plus-1ms"
printf 'x @ -9.2e15 offset 99999999y' >"$out/at-minus-9.2e15-offset"
# Found fuzzing: a window that holds no sample of a series that exists
# does arithmetic on a null sample pointer (query/funcrange.c).
printf 'rate(up[1m] offset 1h)' >"$out/window-without-samples"
