# Shared helpers for the end-to-end tests (sourced, not run). Each test
# prints TAP-style lines: "ok N - what" or "not ok N - what", which
# tests/run.sh counts. $PROMDECK is the binary under test.
: "${PROMDECK:=$PWD/build/promdeck}"
: "${TESTDATA:=$PWD/tests/data}"
n=0
fails=0
tmp=$(mktemp -d)
cleanup_hooks=""
trap 'eval "$cleanup_hooks"; rm -rf "$tmp"' EXIT
# An interrupted test still runs its cleanup (the EXIT trap above).
trap 'exit 130' INT TERM

ok() {      # ok DESCRIPTION: a passing check
    n=$((n + 1)); echo "ok $n - $1"
}
not_ok() {  # not_ok DESCRIPTION [DETAIL]: a failing check, detail indented
    n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
}
check() {   # check DESCRIPTION COMMAND...: ok when COMMAND succeeds
    d=$1; shift
    if "$@" >"$tmp/check.out" 2>&1; then ok "$d"
    else not_ok "$d" "$(head -c 2000 "$tmp/check.out")"; fi
}
on_exit() { cleanup_hooks="$cleanup_hooks $1;"; }
finish() { [ "$fails" -eq 0 ]; }
