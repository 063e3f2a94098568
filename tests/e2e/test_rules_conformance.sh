#!/bin/sh
# promdeck check rules and test rules against promtool 2.42: every row of
# tests/data/rules/conformance/VERDICTS.tsv runs with promdeck in
# promtool's place, and its exit status and output must be promtool's
# (expected/).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

dir="$TESTDATA/rules/conformance"
# Messages whose series order varies in promtool itself: status only.
unordered="bad-promql.yml bad-rules-error-test.yml"

tab=$(printf '\t')
while IFS="$tab" read -r file cmd want summary; do
    [ "$file" = file ] && continue
    [ -z "$file" ] && continue
    # shellcheck disable=SC2086
    set -- $cmd
    shift                               # the word promtool
    sub="$1 $2"
    lint=""
    case "$cmd" in *--lint-fatal*) lint=.lint-fatal ;; esac
    (cd "$dir" && "$PROMDECK" "$@" </dev/null >"$tmp/got" 2>&1)
    rc=$?
    if [ "$rc" != "$want" ]; then
        not_ok "$cmd: exit $want" "exit $rc; output:
$(head -c 2000 "$tmp/got")"
        continue
    fi
    case " $unordered " in *" $file "*) ok "$cmd: exit $want"; continue ;; esac
    if diff "$dir/expected/$file$lint.out" "$tmp/got" >"$tmp/diff"; then
        ok "$cmd: exit $want, output as promtool's"
    else
        not_ok "$cmd: output as promtool's" "$(head -c 2000 "$tmp/diff")"
    fi
done <"$dir/VERDICTS.tsv"
finish
