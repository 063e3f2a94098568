#!/bin/sh
# promdeck --list-dashboards: every dashboard -d NAME finds, with its
# title and file, in the order -d looks (the user's folder first, then
# beside the binary), a name in an earlier folder hiding the same name
# later on, files that are no dashboards left out.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

mkdir -p "$tmp/cfg/promdeck/dashboards" "$tmp/bin/dashboards"
cp "$PROMDECK" "$tmp/bin/promdeck"
user="$tmp/cfg/promdeck/dashboards"
printf 'title: My board\nrows:\n  - panels:\n      - title: Up\n        type: stat\n        expr: sum(up)\n' \
    >"$user/mine.yaml"
printf 'title: Mine first\nrows:\n  - panels:\n      - title: Up\n        type: stat\n        expr: up\n' \
    >"$user/golden-signals.yml"
printf 'title: [broken\n' >"$user/broken.yaml"
echo "not a dashboard" >"$user/notes.txt"
cp dashboards/golden-signals.yaml "$tmp/bin/dashboards/"
cp "$TESTDATA/diamol-ch09/exercises-grafana-dashboard.json" \
    "$tmp/bin/dashboards/diamol.json"

XDG_CONFIG_HOME="$tmp/cfg" "$tmp/bin/promdeck" --list-dashboards \
    >"$tmp/list" 2>"$tmp/err"
rc=$?
check "--list-dashboards exits 0 with nothing on stderr" \
    sh -c "[ $rc -eq 0 ] && [ ! -s '$tmp/err' ]"

check "each name with its title and file, sorted, shadowed ones once" \
    python3 - "$tmp/list" "$(cd "$tmp" && pwd -P)" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
tmp = sys.argv[2]
assert re.split(r"  +", lines[0]) == ["NAME", "TITLE", "FILE"], lines[0]
rows = [re.split(r"  +", l) for l in lines[1:]]
got = {r[0]: (r[1], r[2]) for r in rows}
assert [r[0] for r in rows] == sorted(got), rows
user = tmp + "/cfg/promdeck/dashboards/"
assert got["mine"] == ("My board", user + "mine.yaml"), got["mine"]
# The user's golden-signals hides the one beside the binary, as -d does.
assert got["golden-signals"] == ("Mine first", user + "golden-signals.yml"), \
    got["golden-signals"]
assert got["diamol"] == ("Image Gallery",
                         tmp + "/bin/dashboards/diamol.json"), got["diamol"]
assert got["broken"][0].startswith("(does not load"), got["broken"]
assert "notes" not in got, got
PY

mkdir -p "$tmp/empty"
XDG_CONFIG_HOME="$tmp/empty" "$tmp/bin/promdeck" --list-dashboards \
    >/dev/null 2>&1
rc1=$?
"$PROMDECK" --list-dashboards extra >"$tmp/out" 2>&1
rc2=$?
check "an argument after --list-dashboards is a usage error" \
    sh -c "[ $rc1 -eq 0 ] && [ $rc2 -eq 2 ]"
finish
