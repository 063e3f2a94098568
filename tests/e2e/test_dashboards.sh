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

# --set fills a Grafana export's constant input, as its import step does;
# without it the input's default stands. The demo has three image-gallery
# replicas and no job called nosuchjob.
cat >"$tmp/inputs.json" <<'EOF'
{"__inputs": [
   {"name": "DS_PROMETHEUS", "type": "datasource", "pluginId": "prometheus"},
   {"name": "VAR_JOB", "type": "constant", "value": "nosuchjob"}],
 "title": "Inputs",
 "panels": [{"type": "stat", "title": "Up", "datasource": "${DS_PROMETHEUS}",
   "gridPos": {"x": 0, "y": 0, "w": 12, "h": 4},
   "targets": [{"expr": "count(up{job=\"${VAR_JOB}\"})", "refId": "A"}]}]}
EOF
panel() {   # panel FILE: the first panel's expanded query and its values
    python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))["panels"][0]
print(p["queries"][0], [s["value"] for s in p["series"]])' "$1" 2>&1
}
"$PROMDECK" --demo -d "$tmp/inputs.json" --once -o json --timeout 30s \
    >"$tmp/default.json" 2>/dev/null
got=$(panel "$tmp/default.json")
check "a constant input takes its default without --set" \
    [ "$got" = "count(up{job=\"nosuchjob\"}) []" ]
"$PROMDECK" --demo -d "$tmp/inputs.json" --set VAR_JOB=image-gallery \
    --once -o json --timeout 30s >"$tmp/set.json" 2>/dev/null
got=$(panel "$tmp/set.json")
check "--set VAR_JOB=... fills the input and the panel has the value" \
    [ "$got" = "count(up{job=\"image-gallery\"}) [3]" ]
"$PROMDECK" --demo -d "$tmp/inputs.json" --set NOPE=x --once \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--set for an input the dashboard does not have is an error" \
    sh -c "[ $rc -eq 2 ] && grep -q \"'NOPE' is not a constant input\" \
           '$tmp/err'"
finish
