#!/bin/sh
# Writes the PromQL harness's seeds, one expression a file, into
# tests/data/fuzz/seeds/fuzz_promql/ (replacing what is there), from the
# expressions the other tests already hold:
#   conf-FILE-N   the eval lines of Prometheus's tests/data/conformance/*.test
#   query-N       tests/data/promql/queries.txt
#   perr-N        the malformed queries of tests/data/promql/parse-errors.txt
#   ch09-N        tests/data/promql/diamol-ch09-dashboard.promql
# An expression already written under an earlier name is not written again.
# Run it after changing those files, and commit the result.
set -eu
cd "$(dirname "$0")/../.."
out=tests/data/fuzz/seeds/fuzz_promql
data=tests/data
rm -rf "$out"
mkdir -p "$out"

# emit PREFIX: stdin's lines, one file each, numbered from 1, skipping
# lines seen before (in any source).
emit() {
    awk -v dir="$out" -v prefix="$1" -v seen="$out/.seen" '
        BEGIN { while ((getline l < seen) > 0) had[l] = 1 }
        $0 != "" && !($0 in had) {
            had[$0] = 1; n++
            f = sprintf("%s/%s-%03d", dir, prefix, n)
            printf "%s", $0 > f; close(f)
            print $0 >> seen
        }'
}

: >"$out/.seen"
for t in "$data"/conformance/*.test; do
    sed -n 's/^eval[_a-z]* instant at [^ ]* //p' "$t" \
        | emit "conf-$(basename "$t" .test)"
done
grep -v '^#' "$data/promql/queries.txt" | emit query
grep -v -e '^#' -e '^[0-9][0-9]*:[0-9][0-9]*+[0-9][0-9]*: ' \
    "$data/promql/parse-errors.txt" | emit perr
sed -n 's/^[^#][^|]*| //p' "$data/promql/diamol-ch09-dashboard.promql" \
    | emit ch09
rm -f "$out/.seen"
echo "make_seeds: $(ls "$out" | wc -l) expressions in $out"
