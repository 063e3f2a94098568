#!/bin/sh
# The interactive views in a real terminal (a private tmux server): panel
# focus and zoom, the time range keys, the explore prompt (completion, a
# result, a parse error with its caret), a Grafana dashboard, themes,
# NO_COLOR, a non-UTF-8 locale, and sizes down to 20x5.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

use_tmux "tmux view tests"
export XDG_STATE_HOME="$tmp/state"

start() {       # start SESSION COLS ROWS ENV ARGS...
    s=$1 c=$2 r=$3 e=$4; shift 4
    tm new-session -d -s "$s" -x "$c" -y "$r" \
        "env $e TERM=tmux-256color '$PROMDECK' --demo --refresh 500ms $*;
         echo PROMDECK-EXIT=\$?; sleep 60"
}

start a 140 45 LC_ALL=C.UTF-8
expect a "Traffic by status code" "the dashboard is drawn"
# Explore completes from what has been scraped: wait for image-gallery.
expect a "image-gallery" "the demo's data reaches the panels"
tm send-keys -t a Enter
expect_gone a "Traffic by status code" "Enter zooms the focused panel to the whole screen"
tm send-keys -t a Escape
expect a "Traffic by status code" "Esc returns from the zoom"
tm send-keys -t a l Enter
expect_gone a "Latency p99" "l moves the focus right, Enter zooms that panel"
tm send-keys -t a Escape
tm send-keys -t a +
expect a "last 30m" "+ widens the time range"
tm send-keys -t a - -
expect a "last 5m" "- narrows it"
tm send-keys -t a r
expect a "last 15m" "r resets the view"

tm send-keys -t a e
expect a "Tab completes" "e opens the explore prompt"
tm send-keys -t a -l 'image_gallery_requests_t'
tm send-keys -t a Tab
expect a "> image_gallery_requests_total" "Tab completes a metric name from the store"
tm send-keys -t a Enter
expect a 'code="200"' "Enter evaluates it and shows the series"
tm send-keys -t a C-u
tm send-keys -t a -l 'sum(rate(up[5m])'
tm send-keys -t a Enter
expect a "expected ')'" "a parse error is shown with what was expected"
check "the error has a caret under its place" \
    sh -c "tmux -L '$sock' capture-pane -p -t a | grep -qE '^ +\\^'"
tm send-keys -t a C-u Escape
tm resize-window -t a -x 80 -y 24
expect a "Traffic" "at 80x24 the dashboard still draws"
check "nothing is wider than 80 columns" \
    sh -c "[ \$(tmux -L '$sock' capture-pane -p -t a | wc -L) -le 80 ]"
tm resize-window -t a -x 20 -y 5
expect a "too small" "at 20x5 it says the terminal is too small"
check "at 20x5 nothing spills past the edge" \
    sh -c "[ \$(tmux -L '$sock' capture-pane -p -t a | wc -L) -le 20 ]"
tm resize-window -t a -x 140 -y 45
expect a "Traffic by status code" "the dashboard comes back after the resize"
tm send-keys -t a q
expect a "PROMDECK-EXIT=0" "q quits"

start g 160 50 LC_ALL=C.UTF-8 \
    -d "'$TESTDATA/diamol-ch09/exercises-grafana-dashboard.json'"
expect g "Image of the Day API" "the chapter-9 Grafana dashboard is drawn"
expect g "JVM Memory Use" "its panels appear with their titles"
tm send-keys -t g q

start m 120 40 "LC_ALL=C.UTF-8 NO_COLOR=1"
expect m "Traffic by status code" "NO_COLOR still draws"
check "NO_COLOR sends no colour escape codes" \
    sh -c "! tmux -L '$sock' capture-pane -e -p -t m |
           grep -qE '\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;|48;)'"
tm send-keys -t m q

start c 120 40 LC_ALL=C
expect c "Traffic by status code" "a non-UTF-8 locale still draws"
sleep 3
check "a non-UTF-8 locale gets ASCII only" \
    sh -c "! tmux -L '$sock' capture-pane -p -t c | LC_ALL=C grep -q '[^ -~]'"
tm send-keys -t c q

# A theme by name, from the user's theme folder.
mkdir -p "$tmp/config/promdeck/themes"
cp themes/promdeck-light.theme "$tmp/config/promdeck/themes/"
start t 120 40 "LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$tmp/config'" -t promdeck-light
expect t "Traffic by status code" \
    "-t NAME finds a theme in \$XDG_CONFIG_HOME/promdeck/themes"
tm send-keys -t t q
printf 'theme[main_fg]="#ffffff"\ntheme[title="x"\n' >"$tmp/bad.theme"
start b 120 40 LC_ALL=C.UTF-8 -t "'$tmp/bad.theme'"
expect b "bad.theme:2:" "a broken theme file is reported with its line"
expect b "PROMDECK-EXIT=2" "and promdeck exits with status 2"
finish
