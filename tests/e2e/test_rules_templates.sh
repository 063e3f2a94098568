#!/bin/sh
# Rule templates against the real promtool: the same unit test (every
# template function, errors included, in one alerting rule) through
# promtool test rules and promdeck test rules must print the same
# expanded labels and annotations, byte for byte, and exit alike. More
# cases go into tests/data/rules/template-funcs.yml and are checked here
# without writing any expectation by hand.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

if ! command -v promtool >/dev/null 2>&1; then
    echo "ok 1 - template expansion as promtool's # SKIP promtool missing"
    exit 0
fi
cd "$TESTDATA/rules" || exit 1
promtool test rules template-funcs-test.yml >"$tmp/want" 2>&1
want=$?
"$PROMDECK" test rules template-funcs-test.yml </dev/null >"$tmp/got" 2>&1
got=$?
if [ "$got" = "$want" ]; then
    ok "test rules exits $want as promtool does"
else
    not_ok "test rules exits $want as promtool does" "exit $got"
fi
if diff "$tmp/want" "$tmp/got" >"$tmp/diff"; then
    ok "every expanded label and annotation as promtool's"
else
    not_ok "every expanded label and annotation as promtool's" \
        "$(head -c 3000 "$tmp/diff")"
fi
grep -q 'Annotations:{args=' "$tmp/want" \
    && ok "promtool printed the annotations compared" \
    || not_ok "promtool printed the annotations compared" \
        "$(head -c 1000 "$tmp/want")"
finish
