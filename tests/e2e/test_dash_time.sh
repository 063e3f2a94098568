#!/bin/sh
# The time grid of --once snapshots: whatever the range, a panel's points
# lie on multiples of its step (each panel's own: Grafana's round
# interval for the range over the panel's width, 2h to 12h at 7d), none
# after the snapshot's time, and the newest is the value at that time, so
# long ranges have data as soon as short ones. A grid point passes during
# the few seconds of collection only now and then (a snapshot taken just
# after midnight had them in every panel at 7d), so the steps are read
# from the snapshot rather than assumed.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

for range in 15m 24h 7d; do
    "$PROMDECK" --demo --once -o json --timeout 60s --range $range \
        >"$tmp/snap-$range.json" 2>"$tmp/err"
    rc=$?
    date +%s >"$tmp/after-$range"
    [ $rc -eq 0 ] && ok "--demo --once --range $range exits 0" \
        || not_ok "--demo --once --range $range exits 0 (got $rc)" \
           "$(cat "$tmp/err")"
done

check "every point is on the step grid or at now, never after now" \
    python3 - "$tmp" <<'PY'
import json, sys
# Grafana's round intervals from a second up (rangeutil.ts).
nice = {1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600,
        7200, 10800, 21600, 43200, 86400, 604800}
ranges = {"15m": 900, "24h": 86400, "7d": 604800}
for r, seconds in ranges.items():
    snap = json.load(open("%s/snap-%s.json" % (sys.argv[1], r)))
    now = snap["time"]
    # The snapshot's time is when it was taken, not a step boundary ahead.
    after = int(open("%s/after-%s" % (sys.argv[1], r)).read()) + 1
    assert now <= after, (r, now, after)
    for p in snap["panels"]:
        step = p["step"]
        # Never more points than Prometheus's 11,000 a query.
        assert step in nice and step >= seconds / 11000, (r, p["title"], step)
        for s in p["series"]:
            ts = [t for t, v in s["points"]]
            assert ts == sorted(ts), (r, p["title"], ts)
            for t in ts:
                assert t <= now, (r, p["title"], t, now)
                # Whole milliseconds: the grid's are multiples of the step.
                assert t == now or round(t * 1000) % (step * 1000) == 0, \
                    (r, p["title"], t, step)
            if s["value"] is not None:
                assert ts and ts[-1] == now, (r, p["title"], ts[-1:], now)
PY

check "24h and 7d show data in every panel that has data at 15m" \
    python3 - "$tmp" <<'PY'
import json, sys
def with_data(r):
    snap = json.load(open("%s/snap-%s.json" % (sys.argv[1], r)))
    return {p["title"] for p in snap["panels"]
            if any(s["value"] is not None for s in p["series"])}
short = with_data("15m")
assert len(short) >= 10, short
for r in ("24h", "7d"):
    assert with_data(r) >= short, (r, short - with_data(r))
PY
finish
