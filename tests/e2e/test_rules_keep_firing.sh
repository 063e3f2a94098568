#!/bin/sh
# keep_firing_for against the real promtool 2.42: the same unit-test files
# (one passing, one failing on purpose) and rule files (keep_firing_for on
# a recording rule, a negative one) go through promtool and through
# promdeck; exit status and output must be the same.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

dir="$TESTDATA/rules/keep-firing"
if ! command -v promtool >/dev/null 2>&1; then
    not_ok "promtool installed" "promtool not found (.ci/deps.sh installs it)"
    finish
    exit
fi

same() {    # same DESCRIPTION ARGS...: promtool ARGS and promdeck ARGS agree
    desc=$1
    shift
    (cd "$dir" && promtool "$@" </dev/null >"$tmp/want" 2>&1)
    want=$?
    (cd "$dir" && "$PROMDECK" "$@" </dev/null >"$tmp/got" 2>&1)
    got=$?
    if [ "$want" != "$got" ]; then
        not_ok "$desc: exit $want as promtool's" "exit $got; output:
$(head -c 2000 "$tmp/got")"
    elif diff "$tmp/want" "$tmp/got" >"$tmp/diff"; then
        ok "$desc: exit $want, output as promtool's"
    else
        not_ok "$desc: output as promtool's" "$(head -c 2000 "$tmp/diff")"
    fi
    return "$want"
}

same "check rules with keep_firing_for" check rules rules.yml ||
    not_ok "promtool accepts keep_firing_for"
same "test rules, keep_firing_for timeline" test rules keep-firing-test.yml ||
    not_ok "promtool passes keep-firing-test.yml"
if same "test rules, failing on purpose" test rules keep-firing-fail-test.yml
then
    not_ok "promtool fails keep-firing-fail-test.yml"
fi
if grep -q 'alertname: Flapping, time: 2m' "$tmp/got"; then
    ok "the failure names Flapping at 2m"
else
    not_ok "the failure names Flapping at 2m" "$(cat "$tmp/got")"
fi
same "keep_firing_for on a recording rule" check rules recording-rule.yml
same "negative keep_firing_for" check rules negative.yml
finish
