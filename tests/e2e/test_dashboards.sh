#!/bin/sh
# -d NAME: a name that is not a file is looked up as NAME, NAME.yaml,
# NAME.yml or NAME.json in $XDG_CONFIG_HOME/promdeck/dashboards (else
# ~/.config/...), beside the binary and in the installed data directory;
# a path always wins, and a name found nowhere is a usage error that says
# where it looked.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# One unreachable target: enough for --once to print the dashboard fast.
cat >"$tmp/dead.yml" <<YML
scrape_configs:
  - job_name: dead
    static_configs:
      - targets: ["127.0.0.1:9"]
YML
mkdir -p "$tmp/config/promdeck/dashboards" \
    "$tmp/home/.config/promdeck/dashboards" "$tmp/cwd"
cat >"$tmp/config/promdeck/dashboards/mine.yaml" <<YML
title: Mine from the config dir
rows:
  - panels:
      - { title: Up, type: stat, expr: sum(up) }
YML
cat >"$tmp/config/promdeck/dashboards/graf.json" <<JSON
{"title": "Grafana by name", "panels": [{"type": "stat", "title": "Up",
 "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
 "targets": [{"expr": "sum(up)", "refId": "A"}]}]}
JSON
cat >"$tmp/home/.config/promdeck/dashboards/homed.yml" <<YML
title: From HOME
rows:
  - panels:
      - { title: Up, type: stat, expr: sum(up) }
YML
cat >"$tmp/cwd/mine" <<YML
title: The file in the working directory
rows:
  - panels:
      - { title: Up, type: stat, expr: sum(up) }
YML

# title ENV... -- ARGS: the dashboard title promdeck --once shows.
title() {
    env "$@" --config "$tmp/dead.yml" --once -o json --timeout 1s \
        2>"$tmp/err" | python3 -c \
        'import json, sys; print(json.load(sys.stdin)["dashboard"])'
}

got=$(title XDG_CONFIG_HOME="$tmp/config" "$PROMDECK" -d mine)
[ "$got" = "Mine from the config dir" ] \
    && ok "-d NAME finds NAME.yaml in \$XDG_CONFIG_HOME/promdeck/dashboards" \
    || not_ok "-d NAME finds NAME.yaml in \$XDG_CONFIG_HOME" \
       "got '$got'; $(cat "$tmp/err")"

got=$(title XDG_CONFIG_HOME="$tmp/config" "$PROMDECK" -d graf)
[ "$got" = "Grafana by name" ] \
    && ok "-d NAME finds a Grafana NAME.json" \
    || not_ok "-d NAME finds a Grafana NAME.json" \
       "got '$got'; $(cat "$tmp/err")"

got=$(title -u XDG_CONFIG_HOME HOME="$tmp/home" "$PROMDECK" -d homed)
[ "$got" = "From HOME" ] \
    && ok "without XDG_CONFIG_HOME, -d NAME looks in ~/.config" \
    || not_ok "without XDG_CONFIG_HOME, -d NAME looks in ~/.config" \
       "got '$got'; $(cat "$tmp/err")"

got=$(cd "$tmp/cwd" && title XDG_CONFIG_HOME="$tmp/config" "$PROMDECK" -d mine)
[ "$got" = "The file in the working directory" ] \
    && ok "an existing file wins over a dashboard of the same name" \
    || not_ok "an existing file wins over a dashboard of the same name" \
       "got '$got'; $(cat "$tmp/err")"

XDG_CONFIG_HOME="$tmp/config" "$PROMDECK" --config "$tmp/dead.yml" --once \
    -d no-such-board >"$tmp/out" 2>"$tmp/err"
rc=$?
check "an unknown name exits 2, says so and lists where it looked" \
    sh -c "[ $rc -eq 2 ] && [ ! -s '$tmp/out' ] &&
           grep -q \"dashboard 'no-such-board': no such file\" '$tmp/err' &&
           grep -q 'no-such-board.yaml' '$tmp/err' &&
           grep -qx '  $tmp/config/promdeck/dashboards' '$tmp/err'"

XDG_CONFIG_HOME="$tmp/config" "$PROMDECK" --config "$tmp/dead.yml" --once \
    -d "$tmp/nowhere/mine" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a path is never looked up by name" \
    sh -c "[ $rc -eq 2 ] && grep -q '$tmp/nowhere/mine: error: cannot open' \
           '$tmp/err'"
finish
