#!/bin/sh
# promdeck's alerts in the real Alertmanager (Debian's
# prometheus-alertmanager, clustering off, on 127.0.0.1): a rule that
# fires on a scraped series must appear in Alertmanager's /api/v2/alerts
# with its expanded labels and annotations, the external labels, a
# generatorURL and an endsAt minutes ahead; when the series stops matching,
# promdeck's resolve must make it leave the active alerts long before that
# endsAt would. The target is a python http.server serving a file the test
# rewrites. Every wait is bounded. Last, with Alertmanager stopped, the
# status line must say so while promdeck goes on.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

am=$(command -v prometheus-alertmanager || command -v alertmanager)
if [ -z "$am" ]; then
    echo "ok 1 - alerts reach Alertmanager # SKIP prometheus-alertmanager" \
         "is not installed (sh .ci/deps.sh)"
    exit 0
fi
use_tmux "alerts reach Alertmanager"

amport=$(free_port)
webport=$(free_port)

# Alertmanager: a receiver that sends nowhere, storage in the test's dir.
printf 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n' \
    >"$tmp/am.yml"
"$am" --config.file="$tmp/am.yml" --storage.path="$tmp/am-data" \
    --web.listen-address="127.0.0.1:$amport" --cluster.listen-address= \
    >"$tmp/am.log" 2>&1 &
amp=$!
on_exit "kill $amp 2>/dev/null"

mkdir "$tmp/www"
printf '# TYPE e2e_flag gauge\ne2e_flag{disk="sda"} 1\n' >"$tmp/www/metrics"
python3 -m http.server "$webport" --bind 127.0.0.1 \
    --directory "$tmp/www" >/dev/null 2>&1 &
web=$!
on_exit "kill $web 2>/dev/null"

cat >"$tmp/rules.yml" <<'EOF'
groups:
  - name: e2e
    interval: 1s
    rules:
      - alert: E2EFlag
        expr: e2e_flag == 1
        labels:
          severity: '{{ if eq $labels.disk "sda" }}page{{ else }}ticket{{ end }}'
        annotations:
          summary: 'flag on {{ $labels.disk }} is {{ $value }} ({{ $externalLabels.cluster }})'
EOF
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
  external_labels: {cluster: e2e}
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{targets: ['127.0.0.1:$amport']}]
      timeout: 2s
scrape_configs:
  - job_name: flag
    static_configs: [{targets: ['127.0.0.1:$webport']}]
EOF

i=0
until curl -sf "http://127.0.0.1:$amport/-/ready" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 300 ]; then
        not_ok "Alertmanager starts" "$(tail -5 "$tmp/am.log")"
        finish; exit
    fi
    sleep 0.1
done

tm new-session -d -s a -x 140 -y 30 \
    "LC_ALL=C.UTF-8 '$PROMDECK' --config '$tmp/prometheus.yml'; sleep 60"

# alerts: Alertmanager's active alerts, as JSON, into $tmp/alerts.json
alerts() {
    curl -sf "http://127.0.0.1:$amport/api/v2/alerts" >"$tmp/alerts.json"
}
count() {   # count: how many active alerts named E2EFlag
    python3 -c 'import json, sys
print(sum(1 for a in json.load(open(sys.argv[1]))
          if a["labels"].get("alertname") == "E2EFlag"))' "$tmp/alerts.json"
}
wait_count() {  # wait_count N: until Alertmanager has N such alerts (60s)
    i=0
    while [ $i -lt 300 ]; do
        alerts && [ "$(count)" = "$1" ] && return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}

if wait_count 1; then
    ok "the firing alert appears in Alertmanager"
else
    not_ok "the firing alert appears in Alertmanager" \
        "$(cat "$tmp/alerts.json" 2>/dev/null; screen a | tail -5)"
fi
# The alert as Alertmanager keeps it: labels (series, rule, external),
# annotations expanded, startsAt in the past, endsAt about 4m ahead (4 x
# the 1m resend delay), generatorURL naming the expression.
check "labels, annotations, startsAt, endsAt and generatorURL as sent" \
    python3 -c 'import json, sys, datetime as dt
a = [a for a in json.load(open(sys.argv[1]))
     if a["labels"].get("alertname") == "E2EFlag"][0]
want = {"alertname": "E2EFlag", "severity": "page", "cluster": "e2e",
        "disk": "sda", "job": "flag", "instance": "127.0.0.1:" + sys.argv[2]}
assert a["labels"] == want, a["labels"]
assert a["annotations"] == {"summary": "flag on sda is 1 (e2e)"}, a
t = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
now = dt.datetime.now(dt.timezone.utc)
assert t(a["startsAt"]) <= now, a["startsAt"]
left = (t(a["endsAt"]) - now).total_seconds()
assert 200 < left <= 240, left
assert a["generatorURL"].endswith(
    "/graph?g0.expr=e2e_flag+%3D%3D+1&g0.tab=1"), a["generatorURL"]
assert a["status"]["state"] == "active", a["status"]' \
    "$tmp/alerts.json" "$webport"

# The series stops matching: promdeck resolves the alert, and
# Alertmanager drops it from the active alerts within seconds rather
# than at the endsAt 4 minutes away.
printf '# TYPE e2e_flag gauge\ne2e_flag{disk="sda"} 0\n' >"$tmp/www/metrics"
if wait_count 0; then
    ok "the resolved alert leaves Alertmanager's active alerts"
else
    not_ok "the resolved alert leaves Alertmanager's active alerts" \
        "$(cat "$tmp/alerts.json")"
fi

# Alertmanager gone: the next alert cannot be delivered, promdeck goes on
# and its status line names the Alertmanager and why.
kill "$amp"
wait "$amp" 2>/dev/null
printf '# TYPE e2e_flag gauge\ne2e_flag{disk="sda"} 1\n' >"$tmp/www/metrics"
expect a "Alertmanager 127.0.0.1:$amport: " \
    "a refused Alertmanager is named in the status line"
check "promdeck keeps running with its Alertmanager down" \
    sh -c "tmux -L '$sock' capture-pane -p -t a | grep -q 'targets up'"
tm kill-session -t a
finish
