#!/bin/sh
# Keys never wait for the panels (a real terminal, a private tmux
# server): a page shown for the first time is drawn at once, with
# "loading" in the panels whose queries have not run yet, and keys are
# answered between the slices of a query that takes minutes: the focus
# moves, the view changes back and forth, and q quits, all while it is
# still loading. Nothing is timed: the slow query cannot finish within
# the test, so what is on screen tells.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

use_tmux "tmux key tests"
export XDG_STATE_HOME="$tmp/state"

# Minutes of work: a 3.6-million-sample window for each point.
slow='quantile_over_time(0.5, vector(1)[1h:1ms])'
cat >"$tmp/keys.yaml" <<YML
title: Keys
range: 15m
pages:
  - title: Quick
    rows:
      - panels:
          - { title: Targets, type: stat, expr: "count(up)" }
  - title: Slow
    rows:
      - panels:
          - { title: Light, type: stat, expr: "count(up)" }
          - { title: Heavy, type: stat, expr: "$slow" }
YML

tm new-session -d -s k -x 120 -y 30 \
    "env LC_ALL=C.UTF-8 TERM=tmux-256color '$PROMDECK' --demo \
     --refresh 500ms -d '$tmp/keys.yaml'; echo PROMDECK-EXIT=\$?; sleep 60"
expect k "Targets" "the first page is drawn"
expect_gone k "loading" "its panel is evaluated"

tm send-keys -t k Tab
expect k "Heavy" "Tab draws the next page"
check "its slow panel says loading, not no data" \
    sh -c "tmux -L '$sock' capture-pane -p -t k | grep -q loading"
# The light panel's query runs in a slice of its own, before the slow one.
i=0
while [ "$(screen k | grep -c loading)" -ne 1 ] && [ $i -lt 100 ]; do
    sleep 0.2
    i=$((i + 1))
done
check "the light panel is filled while the slow one still loads" \
    sh -c "[ \$(tmux -L '$sock' capture-pane -p -t k | grep -c loading) \
            -eq 1 ]"

tm send-keys -t k l
expect k "┏ Heavy" "l moves the focus while the slow query runs"
check "the slow panel is still loading" \
    sh -c "tmux -L '$sock' capture-pane -p -t k | grep -q loading"
tm send-keys -t k BTab
expect_gone k "Heavy" "Shift-Tab goes back while it runs"
tm send-keys -t k Tab
expect k "Heavy" "Tab shows the page again"
tm send-keys -t k q
expect k "PROMDECK-EXIT=0" "q quits while the slow query runs"
finish
