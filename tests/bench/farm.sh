# The setup shared by the benchmarks that run promdeck's TUI against a
# target farm (scale.sh, syscalls.sh). Source it after setting bench (the
# word its messages start with) and here (this folder). It provides:
#
#   dir              a temporary directory, removed at exit
#   tm ARGS...       tmux on a server of this run's own
#   pids             processes to stop at exit (the farm is added to it)
#   needs CMD...     stops unless each command is installed
#   farm_ports FIRST SPAN LIMIT
#                    sets base so that ports base .. base + SPAN are all
#                    free: from BASE_PORT, or FIRST plus up to 2000, moved
#                    past any listener (another farm may run beside this
#                    one) but not beyond LIMIT
#   farm_start ARGS...
#                    runs targetfarm on base with ARGS, writing its
#                    prometheus.yml to $dir/prom.yml, until it serves
#   promdeck_start COMMAND
#                    runs COMMAND (promdeck and its options) in a 200x50
#                    tmux pane and sets pd to promdeck's process id
#
# Each prints "$bench: what went wrong" and exits 1 when it cannot go on.
# On exit the tmux server and every process in pids are stopped.
# shellcheck shell=sh

: "${bench:?set by the script}" "${here:?set by the script}"
dir=$(mktemp -d)
sock=$bench$$
pids=""
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    # shellcheck disable=SC2086
    [ -n "$pids" ] && kill $pids 2>/dev/null
    wait 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

needs() {
    for t in "$@"; do
        command -v "$t" >/dev/null || { echo "$bench: needs $t"; exit 1; }
    done
}

# Whether anything listens on a TCP port from $1 to $2.
listening() {
    ss -Htln 2>/dev/null | awk -v lo="$1" -v hi="$2" '
        { n = split($4, a, ":"); p = a[n] + 0 }
        p >= lo && p <= hi { found = 1 } END { exit !found }'
}

farm_ports() {
    base=${BASE_PORT:-$(($1 + $$ % 2000))}
    while listening "$base" $((base + $2)); do
        base=$((base + $2 + 100))
        [ "$base" -lt "$3" ] || { echo "$bench: no free port range"; exit 1; }
    done
}

# The farm's --duration (among ARGS) says when it stops by itself.
farm_start() {
    python3 "$here/targetfarm" --base-port "$base" \
        --write-config "$dir/prom.yml" "$@" \
        >"$dir/farm.out" 2>"$dir/farm.err" &
    pids="$pids $!"
    for _ in $(seq 300); do
        grep -q READY "$dir/farm.out" 2>/dev/null && break
        sleep 0.2
    done
    grep -q READY "$dir/farm.out" ||
        { echo "$bench: farm did not start"; exit 1; }
}

# The pane's shell may run promdeck as its child or exec it.
promdeck_start() {
    tm new-session -d -s s -x 200 -y 50 "TERM=xterm-256color $1"
    sleep 1
    pd=$(pgrep -P "$(tm display-message -p -t s '#{pane_pid}')" -x promdeck \
         || tm display-message -p -t s '#{pane_pid}')
    grep -q promdeck "/proc/$pd/cmdline" 2>/dev/null ||
        { echo "$bench: promdeck did not start"; exit 1; }
}
