#!/bin/sh
# The real TUI, driven in a private tmux server: it starts and draws the
# panels, the keys switch views, help (? and Esc) and pause work, resizing
# redraws (down to a "too small" message), and q, SIGTERM and Ctrl-C all
# leave the terminal restored (alternate screen off, shell output
# visible).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

use_tmux "tmux tests"

start() {   # start SESSION COLS ROWS: promdeck --demo in a shell
    tm new-session -d -s "$1" -x "$2" -y "$3" \
        "LC_ALL=C.UTF-8 TERM=tmux-256color '$PROMDECK' --demo --refresh 500ms;
         echo PROMDECK-EXIT=\$?; sleep 120"
}
restored() {    # restored SESSION: alternate screen off again
    [ "$(tm display-message -p -t "$1" '#{alternate_on}')" = 0 ]
}

start a 120 40
expect a "Golden signals" "the dashboard appears"
expect a "Traffic by status code" "the golden-signals panels are drawn"
expect a "image-gallery" "data from the demo targets reaches the panels" 30
tm send-keys -t a Tab
expect a "goroutines" "Tab switches to the per-target table"
tm send-keys -t a 3
expect a "LAST SCRAPE" "3 shows the targets view"
# At 120 columns the labels column is 20 wide: the instance label breaks
# over two lines and the job label follows whole, not cut at the edge.
expect a 'job="image-gallery"}' "the targets view wraps the labels in full"
tm send-keys -t a 1
expect a "Traffic by status code" "1 goes back to the dashboard"
tm send-keys -t a '?'
expect a "show or hide this help" "? shows the keys"
tm send-keys -t a '?'
expect_gone a "show or hide this help" "? again hides the keys"
tm send-keys -t a '?'
expect a "show or hide this help" "? shows the keys again"
tm send-keys -t a Escape
expect_gone a "show or hide this help" "Esc hides the keys"
tm send-keys -t a p
expect a "PAUSED" "p pauses"
tm send-keys -t a p
tm resize-window -t a -x 80 -y 24
expect a "Golden signals" "resized to 80x24 it redraws"
check "at 80x24 no line is wider than the terminal" \
    sh -c "[ \$(tmux -L '$sock' capture-pane -p -t a | wc -L) -le 80 ]"
tm resize-window -t a -x 30 -y 8
expect a "too small" "at 30x8 it says the terminal is too small"
tm resize-window -t a -x 120 -y 40
expect a "Golden signals" "back at 120x40 the dashboard returns"
tm send-keys -t a q
expect a "PROMDECK-EXIT=0" "q quits with status 0"
check "after q the terminal is restored" restored a

start b 100 30
expect b "Golden signals" "a second instance starts"
# promdeck is the child of the pane's shell (its own child serves the demo).
pid=$(pgrep -P "$(tm display-message -p -t b '#{pane_pid}')" -x promdeck)
kill -TERM "$pid"
expect b "PROMDECK-EXIT=0" "SIGTERM ends it cleanly"
check "after SIGTERM the terminal is restored" restored b
check "the demo server process is gone after SIGTERM" \
    sh -c "! pgrep -P $pid >/dev/null"

start d 100 30
expect d "Golden signals" "a fourth instance starts"
pid=$(pgrep -P "$(tm display-message -p -t d '#{pane_pid}')" -x promdeck)
kill -SEGV "$pid"
expect d "PROMDECK-EXIT=139" "a fatal signal still kills it (status 128+SIGSEGV)"
check "after a fatal signal the terminal is restored" restored d

start c 100 30
expect c "Golden signals" "a third instance starts"
tm send-keys -t c C-c
expect c "PROMDECK-EXIT=0" "Ctrl-C ends it cleanly"
check "after Ctrl-C the terminal is restored" restored c
finish
