#!/bin/sh
# Reloading while the TUI runs: SIGHUP with a new job adds its target;
# SIGHUP with a broken file keeps the running config and says why in the
# status line; Ctrl-R reads the -d dashboard file again, and a broken one
# keeps the dashboard shown; a real hangup of the terminal ends promdeck.
# The targets are a real HTTP server on 127.0.0.1 serving a captured
# /metrics body.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

use_tmux "reload tests"
port=$((20000 + $$ % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 \
    --directory "$TESTDATA/exposition" >/dev/null 2>&1 &
server=$!
on_exit "kill $server 2>/dev/null"

job() {     # job NAME: a scrape config for the node_exporter capture
    printf '  - job_name: %s\n    metrics_path: /node_exporter-1.5.0.prom\n' "$1"
    printf '    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$port"
}
{ printf 'global:\n  scrape_interval: 1s\nscrape_configs:\n'; job first; } \
    >"$tmp/p.yml"

tm new-session -d -s r -x 140 -y 30 \
    "LC_ALL=C.UTF-8 '$PROMDECK' --config '$tmp/p.yml'; sleep 60"
tm send-keys -t r 3
expect r "first" "the targets view shows the configured job"
pid=$(pgrep -P "$(tm display-message -p -t r '#{pane_pid}')" -x promdeck)

job second >>"$tmp/p.yml"
kill -HUP "$pid"
expect r "second" "SIGHUP with a new job adds its target"

printf 'scrape_configs:\n  - job_nme: broken\n' >"$tmp/p.yml"
kill -HUP "$pid"
expect r "reload failed" "a broken config on SIGHUP is reported in the status line"
check "the running targets are kept after a failed reload" \
    sh -c "tmux -L '$sock' capture-pane -p -t r | grep -q second"
check "promdeck is still running" kill -0 "$pid"

# The dashboard file: Ctrl-R shows an edited panel, keeps a broken file's
# dashboard and says where the file is wrong.
dash() {    # dash TITLE: a one-panel dashboard file
    printf 'title: Reload test\npages:\n  - title: Main\n    rows:\n'
    printf '      - panels:\n          - title: %s\n' "$1"
    printf '            type: stat\n            expr: count(up)\n'
}
{ printf 'global:\n  scrape_interval: 1s\nscrape_configs:\n'; job first; } \
    >"$tmp/p.yml"
dash "Alpha panel" >"$tmp/d.yaml"
tm new-session -d -s d -x 140 -y 30 \
    "LC_ALL=C.UTF-8 '$PROMDECK' --config '$tmp/p.yml' -d '$tmp/d.yaml'; sleep 60"
expect d "Alpha panel" "the -d dashboard is shown"
dash "Beta panel" >"$tmp/d.yaml"
tm send-keys -t d C-r
expect d "Beta panel" "Ctrl-R shows the edited dashboard file"
printf 'title: Reload test\npages:\n  - title: Main\n    rowz: []\n' \
    >"$tmp/d.yaml"
tm send-keys -t d C-r
expect d "reload failed: $tmp/d.yaml:4:5" \
    "a broken dashboard file is reported with its position"
check "the dashboard shown is kept after a failed reload" \
    sh -c "tmux -L '$sock' capture-pane -p -t d | grep -q 'Beta panel'"
tm kill-session -t d

# Closing the terminal (as a dropped SSH connection does) hangs it up:
# promdeck must end, not reload and spin on a dead terminal.
tm kill-session -t r
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1; i=$((i + 1))
done
check "a terminal hangup ends promdeck" sh -c "! kill -0 $pid 2>/dev/null"
finish
