#!/bin/sh
# promdeck attach on a promdeck serve, in tmux: serve collects the demo
# in the background on its default socket; two terminals attach at once
# and show the dashboard, the targets and explore from it; attach --once
# prints the snapshot; serve killed while they are attached is a banner
# in both, and both recover when it is started again.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
# (Until promdeck serve is built in, with lib.sh's wait_http, there is
# nothing to attach to.)
if ! "$PROMDECK" serve --help >/dev/null 2>&1 ||
    ! command -v wait_http >/dev/null 2>&1; then
    echo "ok 1 - attach tests # SKIP this promdeck has no serve"
    exit 0
fi
use_tmux "attach tests"

mkdir -m 700 "$tmp/xdg"
SOCK=$tmp/xdg/promdeck/promdeck.sock
# start_serve: promdeck serve --demo on the default socket, pid in $serve
start_serve() {
    XDG_RUNTIME_DIR=$tmp/xdg PROMDECK_DEMO_CYCLE=100000:1 \
        "$PROMDECK" serve --demo 2>>"$tmp/serve.log" &
    serve=$!
    on_exit "kill $serve 2>/dev/null"
    wait_http http://x/-/ready 15 --unix-socket "$SOCK"
}
check "serve --demo answers on \$XDG_RUNTIME_DIR/promdeck/promdeck.sock" \
    start_serve

attach() {      # attach SESSION: promdeck attach in tmux, 140x40
    tm new-session -d -s "$1" -x 140 -y 40 \
        "XDG_RUNTIME_DIR=$tmp/xdg TERM=tmux-256color '$PROMDECK' attach;
         echo ATTACH-EXIT=\$?; sleep 60"
}
# Both attach at once, before serve has scraped anything: the first
# answers are empty, and the data must show when it arrives, without a key.
attach a
attach b
expect a "Golden signals" "first attach: the dashboard appears"
expect b "Golden signals" "second attach at the same time: it appears too"
expect a "image-gallery" "the demo's data reaches the first through serve" 40
expect b "image-gallery" "and the second" 40
expect a "req/s" "the Traffic stat shows a rate, not \"no data\"" 40
expect a "8/8 targets up" "serve's targets in the status line" 40
tm send-keys -t b 3
expect b "LAST SCRAPE" "3 shows serve's targets view"
expect b "iotd-api" "with serve's jobs"
tm send-keys -t b 1

# The snapshot through the same socket.
XDG_RUNTIME_DIR=$tmp/xdg "$PROMDECK" attach --once -o json --timeout 30s \
    >"$tmp/once.json" 2>"$tmp/once.err"
echo $? >"$tmp/rc"
check "attach --once -o json: exit 0, panels with data, 8 targets" \
    python3 -c "
import json
assert open('$tmp/rc').read().strip() == '0', open('$tmp/once.err').read()
s = json.load(open('$tmp/once.json'))
assert not [p for p in s['panels'] if 'error' in p], s['panels']
assert sum(bool(p['series']) for p in s['panels']) >= 8, s['panels']
assert len(s['targets']) == 8, s['targets']"

# serve goes away: both show it and keep answering keys.
stop "$serve"
expect a "unreachable" "serve killed: the first attach shows the banner" 30
expect b "unreachable" "and the second" 30
tm send-keys -t a '?'
expect a "Keys" "keys still work while serve is away" 5
tm send-keys -t a Escape
check "neither attach has exited" sh -c "
    ! tmux -L '$sock' capture-pane -p -t a | grep -q ATTACH-EXIT &&
    ! tmux -L '$sock' capture-pane -p -t b | grep -q ATTACH-EXIT"

# serve back on the same socket: both reconnect by themselves.
check "serve started again" start_serve
expect a "8/8 targets up" "serve back: the first attach reconnects" 40
expect_gone a "unreachable" "and its banner has gone"
expect b "targets up" "the second reconnects too" 40
expect b "image-gallery" "with data again" 40
tm send-keys -t a q
tm send-keys -t b q
expect a "ATTACH-EXIT=0" "q ends attach with status 0"
finish
