#!/bin/sh
# Terminal bytes per second: what promdeck --demo --refresh 1s (the
# golden-signals dashboard) writes to a 200x50 terminal, against btop at
# update_ms = 1000, both in the same run. Each program runs in its own
# private tmux server at exactly 200x50; tmux pipe-pane records every byte
# the program writes; after a warm-up, bytes/s is taken over a window.
# btop runs with HOME and XDG_CONFIG_HOME in a temporary directory, so no
# user configuration is read or written. The goal is promdeck at or below
# 0.15x btop. Nothing here passes or fails: the figures are printed.
#
# Environment: PROMDECK (the binary; default build/promdeck), WARMUP and
# WINDOW in seconds (default 5 and 30), COLS and ROWS (default 200x50),
# PROMDECK_ARGS (more options, e.g. --range 1m). A short warm-up measures
# graphs that are still mostly empty; WARMUP=960 measures them full.
set -u
promdeck=${PROMDECK:-build/promdeck}
warm=${WARMUP:-5}
window=${WINDOW:-30}
cols=${COLS:-200}
rows=${ROWS:-50}
dir=$(mktemp -d)
servers=""

cleanup() {
    for s in $servers; do
        tmux -L "$s" kill-server 2>/dev/null
    done
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

if ! command -v tmux >/dev/null; then
    echo "tmux not installed: no measurement"
    exit 0
fi
if [ ! -x "$promdeck" ]; then
    echo "$promdeck not built (make promdeck): no measurement"
    exit 0
fi
if ! command -v btop >/dev/null && [ "$(id -u)" = 0 ] \
   && command -v apt-get >/dev/null; then
    echo "installing btop for the comparison (apt-get install -y btop)"
    apt-get install -y btop >/dev/null 2>&1
fi
have_btop=no
command -v btop >/dev/null && have_btop=yes
[ $have_btop = no ] && echo "btop not installed and not root: promdeck only"

# start NAME COMMAND: a detached tmux server of its own at cols x rows,
# its pane piped to NAME.bin. The pane's shell waits a second so the
# pipe is attached before the program paints its first frame.
start() {
    name=$1
    shift
    sock="promdeck-bench-$$-$name"
    servers="$servers $sock"
    tmux -L "$sock" -f /dev/null new-session -d -s "$name" \
        -x "$cols" -y "$rows" "sleep 1; exec $*"
    tmux -L "$sock" -f /dev/null pipe-pane -o -t "$name" \
        "cat > '$dir/$name.bin'"
    echo "$name: $(tmux -L "$sock" display -p -t "$name" \
        '#{window_width}x#{window_height}') TERM=$(tmux -L "$sock" \
        show -gv default-terminal)"
}

size() {
    stat -c %s "$dir/$1.bin" 2>/dev/null || echo 0
}

mkdir -p "$dir/home/.config/btop"
printf 'update_ms = 1000\n' >"$dir/home/.config/btop/btop.conf"
start promdeck "'$PWD/$promdeck' --demo --refresh 1s ${PROMDECK_ARGS:-}"
if [ $have_btop = yes ]; then
    start btop "env HOME='$dir/home' XDG_CONFIG_HOME='$dir/home/.config'" \
        "btop"
fi

sleep $((1 + warm))
p0=$(size promdeck)
b0=$(size btop)
t0=$(date +%s.%N)
sleep "$window"
p1=$(size promdeck)
b1=$(size btop)
t1=$(date +%s.%N)
for s in $servers; do
    name=${s##*-}
    tmux -L "$s" capture-pane -p -t "$name" >"$dir/$name.screen" \
        2>/dev/null
done

awk -v p0="$p0" -v p1="$p1" -v b0="$b0" -v b1="$b1" -v t0="$t0" \
    -v t1="$t1" -v btop="$have_btop" -v w="$warm" -v c="$cols" \
    -v r="$rows" -v a="${PROMDECK_ARGS:-}" 'BEGIN {
    el = t1 - t0
    pr = (p1 - p0) / el
    printf "window %.1f s after %d s warm-up, %dx%d\n", el, w, c, r
    printf "promdeck --demo --refresh 1s %s: %d bytes at start, %.0f bytes/s\n",
           a, p0, pr
    if (btop != "yes")
        exit
    br = (b1 - b0) / el
    printf "btop (update_ms = 1000):      %d bytes at start, %.0f bytes/s\n",
           b0, br
    if (br > 0)
        printf "ratio promdeck/btop: %.3f (goal <= 0.15)\n", pr / br
}'
# A screen without the dashboard's frames means promdeck did not start.
if ! grep -q "[┌+]" "$dir/promdeck.screen" 2>/dev/null; then
    echo "promdeck showed no dashboard: the figure above is not valid"
    cat "$dir/promdeck.screen" 2>/dev/null
fi
if [ -n "${KEEP_SCREENS:-}" ]; then
    cp "$dir"/*.screen "$KEEP_SCREENS"/ 2>/dev/null
fi
