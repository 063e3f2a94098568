#!/bin/sh
# Docker events in the containers view: promdeck with no arguments, its
# Docker socket the fake engine (tests/fake_docker.c, recorded Engine API
# answers, events.jsonl as the events stream) and a scrape interval of a
# minute, so the periodic poll cannot be what shows a change within the
# test's wait. A container paused, renamed, then dying shows each change
# on the screen as its event arrives (the engine's list changed with it,
# as the engine's would).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

fake=$(dirname "$PROMDECK")/tests/fake-docker
if [ ! -x "$fake" ]; then
    echo "ok 1 - docker events # SKIP $fake not built"
    exit 0
fi
use_tmux "the containers view"

id=e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0
mkdir -p "$tmp/engine"
cat >"$tmp/engine/containers.json" <<J
[{"Id": "$id", "Names": ["/eventweb"], "Image": "nginx:1.25",
  "ImageID": "sha256:0", "Command": "nginx", "Created": 1700000000,
  "State": "running", "Status": "Up 5 minutes", "Labels": {}}]
J
: >"$tmp/engine/events.jsonl"
"$fake" "$tmp/docker.sock" "$tmp/engine" &
on_exit "kill $! 2>/dev/null"
i=0
while [ ! -S "$tmp/docker.sock" ] && [ $i -lt 50 ]; do
    sleep 0.1; i=$((i + 1))
done

# event ACTION NAME: the engine changed, then says so on its stream.
event() {
    actor="{\"ID\":\"$id\",\"Attributes\":{\"image\":\"nginx:1.25\","
    actor="$actor\"name\":\"$2\"}}"
    printf '{"status":"%s","id":"%s","Type":"container","Action":"%s",%s}\n' \
        "$1" "$id" "$1" "\"Actor\":$actor,\"time\":1700000100" \
        >>"$tmp/engine/events.jsonl"
}
engine() {      # engine SED-EXPR: the engine's list as it is now
    sed -i "$1" "$tmp/engine/containers.json"
}

tm new-session -d -s a -x 170 -y 40 \
    "env DOCKER_HOST=unix://$tmp/docker.sock LC_ALL=C.UTF-8 \
     TERM=tmux-256color XDG_STATE_HOME='$tmp/state' '$PROMDECK' \
     --scrape-interval 60s --refresh 250ms; echo PROMDECK-EXIT=\$?; sleep 60"
expect a "eventweb" "the fake engine's container is listed, by name" 30
expect a "running" "... running"

engine 's/"running"/"paused"/'
event pause eventweb
expect a "paused" "paused: the view shows it as the event arrives" 15

engine 's|"/eventweb"|"/eventfront"|'
event rename eventfront
expect a "eventfront" "renamed: the new name as the event arrives" 15

engine 's/"paused"/"exited"/'
event die eventfront
expect a "exited" "died: exited as the event arrives" 15
tm send-keys -t a q
expect a "PROMDECK-EXIT=0" "q quits cleanly"
finish
