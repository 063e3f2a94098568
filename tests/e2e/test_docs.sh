#!/bin/sh
# The documentation stays true: the dashboard example in README.md loads,
# and every long option --help lists is described in promdeck(1).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

python3 - README.md "$tmp/readme.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
# The first YAML block of the Dashboards section (earlier ones are
# prometheus.yml examples).
section = text.index("### Dashboards")
start = text.index("```yaml\n", section) + len("```yaml\n")
open(sys.argv[2], "w").write(text[start:text.index("```", start)])
PY
check "the README's dashboard example passes check dashboard" \
    "$PROMDECK" check dashboard "$tmp/readme.yaml"

missing=""
for opt in $("$PROMDECK" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    # roff writes a dash as \-
    pat=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$pat" man/promdeck.1 || missing="$missing $opt"
done
[ -z "$missing" ] && ok "every option in --help is in promdeck(1)" \
    || not_ok "every option in --help is in promdeck(1)" "missing:$missing"
finish
