#!/bin/sh
# Patterns Go accepts that promdeck's regex matcher (pcre2's DFA) finds
# slow: the same promtool unit-test file, one series whose label value is
# a long run of a's that the pattern does not match, run by
# `promdeck test rules` and by the Debian `promtool test rules` (Go's
# regexp, as Prometheus matches). The wall time of each, less that of a
# trivial file, and their ratio are printed. Nothing here passes or fails.
set -u
build=${BUILD:-build}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# mk NAME PATTERN VALUE: a test file whose expression selects on PATTERN.
mk() {
    cat >"$dir/$1.yml" <<EOT
rule_files: []
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'x{l="$3"}'
        values: '1'
    promql_expr_test:
      - expr: 'count(x{l=~"$2"}) or vector(0)'
        eval_time: 0m
        exp_samples:
          - value: 0
EOT
}

# secs CMD...: the wall time of CMD in seconds.
secs() {
    python3 -c 'import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
print("%.3f" % (time.monotonic() - t))' "$@"
}

a1000=$(python3 -c 'print("a" * 1000 + "c")')
a3000=$(python3 -c 'print("a" * 3000 + "c")')
a200=$(python3 -c 'print("a" * 199 + "c")')
alt=$(python3 -c 'print("(?:a|)" * 2000 + "b|z")')
mk base x a
mk rep1000 '(?:a{0,1000}a{0,1000})*b|z' "$a1000"
mk rep3000 '(?:a{0,1000}a{0,1000})*b|z' "$a3000"
mk alt200 "$alt" "$a200"

have_promtool=false
command -v promtool >/dev/null && have_promtool=true
ours0=$(secs "$build/promdeck" test rules "$dir/base.yml")
$have_promtool && go0=$(secs promtool test rules "$dir/base.yml")
for t in rep1000 rep3000 alt200; do
    ours=$(secs "$build/promdeck" test rules "$dir/$t.yml")
    if $have_promtool; then
        go=$(secs promtool test rules "$dir/$t.yml")
        python3 -c 'import sys
t = sys.argv[1]
o, g = [float(a) - float(b) for a, b in ((sys.argv[2], sys.argv[3]),
                                         (sys.argv[4], sys.argv[5]))]
print("%s: promdeck %.2f s, promtool %.2f s, ratio %.0fx"
      % (t, o, g, o / max(g, 0.005)))' "$t" "$ours" "$ours0" "$go" "$go0"
    else
        echo "$t: promdeck $ours s, less $ours0 s (promtool not installed)"
    fi
done
