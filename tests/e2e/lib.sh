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

# The TUI tests' terminal: a private tmux server. use_tmux NAME ends the
# test with one skipped check when tmux is missing; otherwise it defines
# tm (tmux on the private socket, killed at exit) and the screen helpers
# below, which take a session name. Waits are bounded: SECONDS (default
# 20) for text to appear, 15 for it to leave.
use_tmux() {
    if ! command -v tmux >/dev/null 2>&1; then
        echo "ok 1 - $1 # SKIP tmux is not installed"
        exit 0
    fi
    sock="promdeck-e2e-$$"
    on_exit 'tmux -L "$sock" kill-server 2>/dev/null'
}
tm() { tmux -L "$sock" -f /dev/null "$@"; }
screen() { tm capture-pane -p -t "$1"; }
wait_for() {    # wait_for SESSION TEXT [SECONDS]: until TEXT is on screen
    i=0
    while [ $i -lt $((${3:-20} * 5)) ]; do
        screen "$1" | grep -qF -- "$2" && return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}
wait_gone() {   # wait_gone SESSION TEXT: until TEXT has left the screen
    i=0
    while [ $i -lt 75 ]; do
        screen "$1" | grep -qF -- "$2" || return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}
expect() {      # expect SESSION TEXT DESCRIPTION [SECONDS]
    if wait_for "$1" "$2" "${4:-20}"; then ok "$3"
    else not_ok "$3" "$(screen "$1")"; fi
}
expect_gone() { # expect_gone SESSION TEXT DESCRIPTION
    if wait_gone "$1" "$2"; then ok "$3"; else not_ok "$3" "$(screen "$1")"; fi
}

# Servers the tests start on 127.0.0.1.
free_port() {   # free_port: a TCP port nothing listens on now
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0));
print(s.getsockname()[1])'
}
wait_http() {   # wait_http URL SECONDS [CURL ARGS...]: until URL answers
    url=$1 secs=$2
    shift 2
    i=0
    while [ $i -lt $((secs * 10)) ]; do
        curl -sf --noproxy '*' -o /dev/null "$@" "$url" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
stop() {        # stop PID: SIGTERM, then until it is gone (at most 20 s)
    kill "$1" 2>/dev/null
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}
