#!/bin/sh
# Alerting in the live dashboard, in a real terminal (a private tmux
# server): the seed's container rules (tests/data/rules/
# container-rules-demo.yml, adapted to the demo as its header says) with
# --demo, whose replicas go down and come back. ContainerDown goes
# pending, fires and resolves in the alerts view; the title bar counts
# it; the rules view shows every rule's health; the panels on the
# replica's series get an alert band; a reload keeps the firing state
# and a broken rule file keeps the running rules and says why. Every
# wait is bounded.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# --once: every group evaluated once after collection. An alert with no
# `for` fires at once; a recording rule whose result has two series with
# one label set fails as Prometheus's does; errors show as health err.
cat >"$tmp/once.yml" <<'YML'
groups:
- name: once
  rules:
  - alert: Always
    expr: vector(1) * 42
    labels: {severity: info}
    annotations: {summary: always on}
  - alert: Never
    expr: vector(1) < 0
  - record: dup
    expr: up * 0
    labels: {instance: x, job: y}
YML
"$PROMDECK" --demo --scrape-interval 1s --once -o json --rules "$tmp/once.yml" \
    >"$tmp/once.json" 2>"$tmp/once.err"
check "--once -o json lists alerts and rules" python3 - "$tmp/once.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
a = d["alerts"]
assert [x["name"] for x in a] == ["Always"], a
assert a[0]["state"] == "firing" and a[0]["value"] == 42, a
assert a[0]["labels"] == {"alertname": "Always", "severity": "info"}, a
assert a[0]["annotations"] == {"summary": "always on"}, a
assert abs(a[0]["active_at"] - d["time"]) < 60, (a, d["time"])
r = {x["name"]: x for x in d["rules"]}
assert list(r) == ["Always", "Never", "dup"], r
assert r["Always"]["health"] == "ok" and r["Always"]["last_error"] == ""
assert r["Never"]["type"] == "alerting" and r["dup"]["type"] == "recording"
assert r["dup"]["health"] == "err", r["dup"]
assert "same labelset" in r["dup"]["last_error"], r["dup"]
assert all(x["group"] == "once" for x in d["rules"])
PY
"$PROMDECK" --demo --scrape-interval 1s --once --rules "$tmp/once.yml" \
    >"$tmp/once.txt" 2>&1
check "--once text lists the firing alert with its annotations" sh -c \
    "grep -q '^alerts: 1 firing, 0 pending' '$tmp/once.txt' &&
     grep -q '^FIRING {alertname=\"Always\", severity=\"info\"} value 42' '$tmp/once.txt' &&
     grep -q '^  summary: always on' '$tmp/once.txt'"
printf 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n' \
    >"$tmp/bad.yml"
"$PROMDECK" --demo --once --rules "$tmp/bad.yml" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
check "a bad rule file stops the start with status 2 and says where" sh -c \
    "[ $rc -eq 2 ] && [ ! -s '$tmp/bad.out' ] &&
     grep -q 'bad.yml: 5:11: group \"g\", rule 1, \"A\": could not parse expression' '$tmp/bad.err'"

# rule_files in a prometheus.yml: globs relative to the file; one that
# matches nothing is a note. The only target refuses connections, so the
# snapshot ends with status 1, and still has the rules' alerts.
mkdir -p "$tmp/conf/rules"
cp "$tmp/once.yml" "$tmp/conf/rules/once.yml"
printf 'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n'\
'rule_files: ["rules/*.yml", "missing/*.yml"]\n'\
'scrape_configs:\n- job_name: gone\n  static_configs:\n'\
'  - targets: ["127.0.0.1:9"]\n' >"$tmp/conf/prometheus.yml"
"$PROMDECK" --config "$tmp/conf/prometheus.yml" --once -o json \
    --timeout 3s >"$tmp/conf.json" 2>"$tmp/conf.err"
check "rule_files globs are read relative to the config file" \
    python3 - "$tmp/conf.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [a["name"] for a in d["alerts"]] == ["Always"], d["alerts"]
assert d["rules"][0]["file"].endswith("conf/rules/once.yml"), d["rules"]
PY
check "a rule_files glob that matches nothing is a note, not an error" \
    grep -q "note: rule_files: .*conf/missing/\*.yml matches no file" \
    "$tmp/conf.err"

use_tmux "tmux alerts tests"
export XDG_STATE_HOME="$tmp/state"
# Like expect, with an extended regular expression for TEXT.
expect_re() {   # expect_re SESSION REGEX DESCRIPTION
    i=0
    while [ $i -lt 150 ]; do
        screen "$1" | grep -qE -- "$2" && { ok "$3"; return; }
        sleep 0.2; i=$((i + 1))
    done
    not_ok "$3" "$(screen "$1")"
}

rules="$tmp/rules.yml"
cp "$TESTDATA/rules/container-rules-demo.yml" "$rules"
# A replica is down 8 s out of every 20 (the first outage from 10 s on).
tm new-session -d -s a -x 130 -y 40 \
    "env LC_ALL=C.UTF-8 TERM=tmux-256color PROMDECK_DEMO_CYCLE=20:8 \
     '$PROMDECK' --demo --scrape-interval 1s --refresh 250ms \
     --rules '$rules'; echo PROMDECK-EXIT=\$?; sleep 60"
expect a "Traffic by status code" "the dashboard opens with --demo and --rules"
expect a "0 firing  0 pending" "the title bar counts firing and pending alerts"
tm send-keys -t a 4
expect a "[x] firing" "4 shows the alerts view"
expect a "ContainerHighCPU  inactive" "a rule on series the demo lacks is inactive"
expect a "ContainerDown  pending" "a replica going down makes ContainerDown pending"
expect a "ContainerDown  firing (1 active)" "after for: 2s it fires"
check "the firing alert shows its labels and annotations" sh -c \
    "tmux -L '$sock' capture-pane -p -t a | grep -q 'job=\"\\(image-gallery\\|access-log\\)\", severity=\"critical\"' &&
     tmux -L '$sock' capture-pane -p -t a | grep -q 'summary: Container is down'"
check "the title bar counts it" sh -c \
    "tmux -L '$sock' capture-pane -p -t a | head -1 | grep -qE '[1-9] firing'"
expect a "ContainerDown  inactive" "it resolves when the replica comes back"

# The next outage: a reload while it fires keeps it firing.
expect a "ContainerDown  firing" "the next outage fires again"
tm send-keys -t a C-r
sleep 0.5
check "a reload keeps the firing alert (state kept, not pending again)" \
    sh -c "tmux -L '$sock' capture-pane -p -t a | grep -q 'ContainerDown  firing'"

tm send-keys -t a F
expect a "[ ] firing" "F hides firing rules"
tm send-keys -t a F

tm send-keys -t a 5
expect_re a "alert: ContainerDown +ok " "5 shows the rules view with each rule's health"
check "the rules view shows the group, its file and interval" sh -c \
    "tmux -L '$sock' capture-pane -p -t a | grep -q 'container.rules .*rules.yml  every 1 s'"

# A broken file: the running rules stay, the status line says why.
printf 'groups:\n- name: x\n  rules:\n  - alert: Bad\n    expr: up ==\n' \
    >"$rules"
tm send-keys -t a C-r
expect_re a "reload failed: rules: .*rules.yml" "a broken rule file is refused on reload, with why"
check "the running rules are kept" sh -c \
    "tmux -L '$sock' capture-pane -p -t a | grep -q 'alert: ContainerDown'"

# SIGHUP with the file mended: the rules load again (a new rule shows)
# and the status line no longer says the reload failed.
pid=$(pgrep -P "$(tm display-message -p -t a '#{pane_pid}')" -x promdeck)
cp "$TESTDATA/rules/container-rules-demo.yml" "$rules"
printf '  - record: job:up:sum\n    expr: sum by (job) (up)\n' >>"$rules"
kill -HUP "$pid"
expect a "record: job:up:sum" "SIGHUP reads the mended rule file, with a new rule"
expect_gone a "reload failed" "and the status line no longer says it failed"

# The panels on the replicas' series carry the alert band.
tm send-keys -t a 1
expect_re a "[─▀] fire(d|ing) " "panels on the alerting series get an alert band"
tm send-keys -t a q
expect a "PROMDECK-EXIT=0" "q quits cleanly" 10
finish
