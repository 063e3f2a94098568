#!/bin/sh
# A crash leaves the terminal usable. promdeck runs in a private tmux
# server and dies for real: of SIGSEGV, SIGBUS, SIGABRT and SIGQUIT sent
# by kill, and of a genuine stack overflow on its main thread. Each time
# the pane must be back on the normal screen with the cursor shown and
# mouse reporting off (tmux's own view of the terminal's modes), and the
# exit status must say which signal killed it.
#
# The overflow needs no hook in promdeck: a small library, built here and
# preloaded, wraps curses' wget_wch and recurses without end when it reads
# Ctrl-]. The recursion runs on promdeck's main thread, inside its key
# handling, exactly where an overflow of its own would.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

use_tmux "crash tests"

# start SESSION [ENV...]: promdeck --demo in a shell that prints how it
# ended, as the number and the signal's name; no core files.
start() {
    s=$1; shift
    tm new-session -d -s "$s" -x 100 -y 30 \
        "ulimit -c 0; LC_ALL=C.UTF-8 TERM=tmux-256color $* \
         '$PROMDECK' --demo --refresh 500ms;
         s=\$?; echo PROMDECK-EXIT=\$s SIG\$(kill -l \$s 2>/dev/null);
         sleep 120"
}
# modes SESSION: the pane's alternate screen, cursor and mouse flags.
modes() {
    tm display-message -p -t "$1" \
        'alt=#{alternate_on} cursor=#{cursor_flag} mouse=#{mouse_any_flag}'
}
# is_mode SESSION WANT: the modes are WANT (retried briefly: tmux may not
# have read the last bytes yet).
is_mode() {
    i=0
    while [ $i -lt 10 ]; do
        [ "$(modes "$1")" = "$2" ] && return 0
        sleep 0.2; i=$((i + 1))
    done
    modes "$1"
    return 1
}
pid_in() {  # pid_in SESSION: promdeck's pid (the pane shell's child)
    pgrep -P "$(tm display-message -p -t "$1" '#{pane_pid}')" -x promdeck
}

# crash_by SESSION SIGNAL HOW...: starts promdeck, checks curses set the
# modes a crash must undo, crashes it with HOW, then checks the modes and
# the exit status. HOW is run with promdeck's pid appended.
crash_by() {
    s=$1 sig=$2; shift 2
    expect "$s" "Golden signals" "$s: promdeck starts"
    check "$s: curses took the terminal (alternate screen, no cursor, mouse)" \
        is_mode "$s" "alt=1 cursor=0 mouse=1"
    pid=$(pid_in "$s")
    if [ -z "$pid" ]; then
        not_ok "$s: promdeck's pid is found" "$(screen "$s")"
        return
    fi
    "$@" "$pid"
    expect "$s" "SIG$sig" "$s: the exit status says SIG$sig killed it"
    check "$s: the terminal is restored (main screen, cursor, no mouse)" \
        is_mode "$s" "alt=0 cursor=1 mouse=0"
}

for sig in SEGV BUS ABRT QUIT; do
    start "kill-$sig"
    crash_by "kill-$sig" "$sig" kill -"$sig"
done

# The overflow: Ctrl-] makes the preloaded wget_wch recurse with 4 KiB
# frames until the 8 MiB (or whatever ulimit -s says) stack runs out.
cat >"$tmp/overflow.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <wchar.h>

typedef int (*get_fn)(void *, wint_t *);

static int
deep(volatile char *up)
{
    volatile char frame[4096];

    frame[0] = up[0];
    return deep(frame) + frame[1];
}

int
wget_wch(void *win, wint_t *ch)
{
    static get_fn real;
    volatile char seed[2] = { 0, 0 };
    int rc;

    if (real == NULL)
        *(void **)&real = dlsym(RTLD_NEXT, "wget_wch");
    rc = real(win, ch);
    if (rc == 0 && *ch == 0x1d)
        return deep(seed);
    return rc;
}
EOF
if ${CC:-cc} -shared -fPIC -O0 -o "$tmp/overflow.so" "$tmp/overflow.c" \
    -ldl >"$tmp/cc.out" 2>&1; then
    # A sanitizer runtime insists on coming first; here it need not.
    start overflow "LD_PRELOAD='$tmp/overflow.so'" \
        "ASAN_OPTIONS='${ASAN_OPTIONS:-}:verify_asan_link_order=0'"
    press() { tm send-keys -t overflow C-]; }
    crash_by overflow SEGV press
else
    echo "ok $((n + 1)) - stack overflow # SKIP cannot build the" \
        "preloaded library: $(head -n 1 "$tmp/cc.out")"
    n=$((n + 1))
fi
finish
