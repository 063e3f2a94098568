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

# In the live dashboard: a demo replica is down from 10 s to 18 s; the
# alert on it keeps firing after it comes back, and both views say why.
use_tmux "tmux keep_firing_for tests"
export XDG_STATE_HOME="$tmp/state"
cat >"$tmp/live.yml" <<'YML'
groups:
- name: live
  interval: 1s
  rules:
  - alert: ReplicaDown
    expr: up == 0
    for: 1s
    keep_firing_for: 5m
YML
tm new-session -d -s k -x 130 -y 40 \
    "env LC_ALL=C.UTF-8 TERM=tmux-256color PROMDECK_DEMO_CYCLE=20:8 \
     '$PROMDECK' --demo --scrape-interval 1s --refresh 250ms \
     --rules '$tmp/live.yml'; echo PROMDECK-EXIT=\$?; sleep 60"
expect k "0 firing  0 pending" "the dashboard opens with the rule"
tm send-keys -t k 5
expect k "up == 0  for 1s  keep firing 5m" \
    "the rules view shows keep firing beside for"
tm send-keys -t k 4
expect k "ReplicaDown  firing" "the replica going down fires the alert" 40
expect k "kept firing by keep_firing_for" \
    "back up, the alert keeps firing and says its condition cleared" 40
expect k "ReplicaDown  firing" "and it is still firing"
tm send-keys -t k q
expect k "PROMDECK-EXIT=0" "q quits cleanly" 10
finish
