#!/bin/sh
# A big Grafana dashboard in a real terminal (a private tmux server), the
# way "Node Exporter Full" comes: 125 panels, an open "Overview" row of
# five stats, then twelve rows of ten graphs, rows 02, 05, 08 and 11
# collapsed (their panels inside the row object, as Grafana saves them).
# At 80x24 and 200x50: the panels are drawn at a readable size, j, PgDn
# and the wheel reveal later panels, End shows the last and Home the
# first, the focus is always in sight, rows fold and open (keys and a
# click), zoom still works, and --once prints all 125 panels.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

use_tmux "tmux long dashboard tests"

python3 - "$tmp/long.json" <<'PY'
import json, sys
panels, n, y = [], 0, 0
def panel(kind, x, w, h):
    global n
    n += 1
    return {"type": kind, "title": "Panel %03d" % n,
            "gridPos": {"x": x, "y": y, "w": w, "h": h},
            "targets": [{"expr": "sum(up) * %d" % n, "refId": "A"}]}
def row(title, collapsed):
    return {"type": "row", "title": title, "collapsed": collapsed,
            "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}
panels.append(row("Overview", False)); y += 1
panels += [panel("stat", 4 * i, 4, 4) for i in range(5)]; y += 4
for s in range(1, 13):
    r = row("Section %02d" % s, s % 3 == 2); panels.append(r); y += 1
    inner = []
    for band in range(5):
        inner += [panel("timeseries", 12 * c, 12, 8) for c in range(2)]
        y += 8
    (r["panels"] if r["collapsed"] else panels).extend(inner)
json.dump({"title": "Long board", "panels": panels,
           "time": {"from": "now-15m", "to": "now"}},
          open(sys.argv[1], "w"))
PY

# The focus is in sight: a panel's heavy frame with both its top and its
# bottom on the screen, or a row header followed by the heavy rule.
focus_seen() {
    screen "$1" >"$tmp/focus.txt"
    { grep -q '┏' "$tmp/focus.txt" && grep -q '┗' "$tmp/focus.txt"; } ||
        grep -qE '^ [▾▸] .* ━━━' "$tmp/focus.txt"
}
expect_focus() {    # expect_focus SESSION DESCRIPTION
    i=0
    while [ $i -lt 25 ] && ! focus_seen "$1"; do
        sleep 0.2; i=$((i + 1))
    done
    if focus_seen "$1"; then ok "$2"; else not_ok "$2" "$(screen "$1")"; fi
}
keys() {        # keys SESSION KEY COUNT: KEY, COUNT times, one by one
    k=0
    while [ $k -lt "$3" ]; do tm send-keys -t "$1" "$2"; k=$((k + 1)); done
}
# An xterm (X10) mouse report as tmux-256color declares it: button, then
# column and row, each plus 33 (1-based plus 32), as one byte.
byte() { printf "\\$(printf %o "$1")"; }    # the byte of value $1
mouse() {       # mouse SESSION BUTTON COL ROW (0-based)
    mb=$(byte $((32 + $2))) mx=$(byte $((33 + $3)))
    my=$(byte $((33 + $4)))
    tm send-keys -t "$1" -l "$(printf '\033[M')$mb$mx$my"
}
start() {       # start SESSION COLS ROWS
    tm new-session -d -s "$1" -x "$2" -y "$3" \
        "LC_ALL=C.UTF-8 TERM=tmux-256color '$PROMDECK' --demo \
         --refresh 500ms -d '$tmp/long.json'; echo PROMDECK-EXIT=\$?;
         sleep 60"
}
# The line (0-based) of the screen that TEXT is on, or nothing.
line_of() { screen "$1" | grep -nF -- "$2" | head -n 1 | cut -d: -f1 |
            awk '{ print $1 - 1 }'; }

# --- 80x24 ---
start a 80 24
expect a "Long board" "the 125-panel dashboard opens at 80x24"
expect a "Panel 001" "the first panel is drawn"
expect a "panels 1-" "the key bar says which panels are in sight"
check "graphs keep a readable height (a frame of 6 lines, not a title)" \
    sh -c "tmux -L '$sock' capture-pane -p -t a | grep -A5 'Panel 006' |
           tail -n 1 | grep -q '└'"
check "a collapsed Grafana row is never drawn as its panels" \
    sh -c "! tmux -L '$sock' capture-pane -p -t a | grep -q 'Panel 016'"
expect_focus a "the focus starts in sight"
check "the focus starts on the first panel" \
    sh -c "tmux -L '$sock' capture-pane -p -t a | grep -q '┏ Panel 001'"
check "at 80x24 no line is wider than the terminal" \
    sh -c "[ \$(tmux -L '$sock' capture-pane -p -t a | wc -L) -le 80 ]"

keys a j 5
expect a "Panel 012" "j moves the focus down and reveals later panels"
expect_gone a "Panel 001" "the page scrolled: the first panels left"
expect_focus a "after j the focus is in sight"
tm send-keys -t a NPage
expect a "Panel 015" "PgDn shows the next screen"
expect_focus a "after PgDn the focus is in sight"
expect a "▸ Section 02 (10 panels)" "a collapsed row is one line with its panel count"
tm send-keys -t a End
expect a "Panel 125" "End shows the last panel"
expect a "of 125" "the key bar counts all 125 panels"
expect_focus a "after End the focus is in sight"
check "after End the last panel has the focus" \
    sh -c "tmux -L '$sock' capture-pane -p -t a | grep -q '┏ Panel 125'"
tm send-keys -t a Home
expect a "Panel 001" "Home shows the first panel again"
expect_focus a "after Home the focus is in sight"

# Home focuses the Overview header; eight j's reach Section 02's header:
# Panel 001, Section 01, its five bands, then Section 02.
keys a j 8
expect a "▸ Section 02 (10 panels) ━━" "j reaches the collapsed row's header"
tm send-keys -t a Enter
expect a "▾ Section 02 ━━" "Enter on the header opens the row"
expect a "Panel 016" "its panels appear"
tm send-keys -t a Space
expect a "▸ Section 02 (10 panels)" "Space folds it again"
expect_gone a "Panel 016" "its panels are hidden again"
tm send-keys -t a Space
expect a "Panel 016" "Space on the header opens it too"
tm send-keys -t a j Space
expect a "▸ Section 02 (10 panels) ━━" "Space on a panel folds its row"
expect_focus a "after folding the focus is in sight"

# A click on a header (Section 03, below Section 02's), pressed and
# released.
sleep 0.5
y=$(line_of a "Section 03")
if [ -n "$y" ]; then
    mouse a 0 5 "$y"; mouse a 3 5 "$y"
    expect a "▸ Section 03 (10 panels) ━━" "a click on a row header folds it"
    mouse a 0 5 "$y"; mouse a 3 5 "$y"
    expect a "▾ Section 03 ━━" "a second click opens it"
else
    not_ok "a click on a row header folds it" "$(screen a)"
fi
tm send-keys -t a Home
expect a "▾ Overview ━━" "Home again"
mouse a 65 10 10
mouse a 65 10 10
expect_gone a "▾ Overview" "the wheel scrolls the page"
expect_focus a "after the wheel the focus is in sight"
mouse a 64 10 10
mouse a 64 10 10
expect a "▾ Overview" "the wheel scrolls back"

# Zoom still works on a scrolled page.
tm send-keys -t a End Enter
expect_gone a "Panel 124" "Enter zooms the focused panel"
check "the zoomed panel is the focused one" \
    sh -c "tmux -L '$sock' capture-pane -p -t a | grep -q '┏ Panel 125'"
tm send-keys -t a Escape
expect a "Panel 124" "Esc returns to the page where it was"
tm send-keys -t a q
expect a "PROMDECK-EXIT=0" "q quits"

# --- 200x50 ---
start b 200 50
expect b "Panel 001" "the dashboard opens at 200x50"
expect_focus b "the focus starts in sight at 200x50"
keys b j 12
expect_focus b "after j at 200x50 the focus is in sight"
tm send-keys -t b NPage
expect b "Panel 03" "PgDn at 200x50 reveals later panels"
tm send-keys -t b End
expect b "Panel 125" "End at 200x50 shows the last panel"
expect_focus b "after End at 200x50 the focus is in sight"
tm send-keys -t b Home
expect b "Panel 001" "Home at 200x50 shows the first panel"
check "at 200x50 no line is wider than the terminal" \
    sh -c "[ \$(tmux -L '$sock' capture-pane -p -t b | wc -L) -le 200 ]"
tm send-keys -t b q
expect b "PROMDECK-EXIT=0" "q quits at 200x50"

# --once prints every panel, the collapsed rows' too.
"$PROMDECK" --demo --once -d "$tmp/long.json" >"$tmp/once.txt" 2>"$tmp/err"
check "--once prints all 125 panels, collapsed rows included" \
    sh -c "[ \$(grep -o 'Panel [0-9][0-9][0-9]' '$tmp/once.txt' | sort -u |
           wc -l) -eq 125 ]"
finish
