#!/bin/sh
# Records a target's /metrics bodies for `bench_store capture DIR`: COUNT
# scrapes (default 150) every INTERVAL seconds (default 5) of URL into
# DIR, one file a scrape named by its time in ms. Stops by itself.
#   sh tests/bench/capture_scrapes.sh http://127.0.0.1:9100/metrics node
#   build/bench/bench_store capture node
set -u
if [ $# -lt 2 ]; then
    echo "usage: capture_scrapes.sh URL DIR [COUNT [INTERVAL]]" >&2
    exit 2
fi
url=$1 dir=$2 count=${3:-150} interval=${4:-5}
mkdir -p "$dir" || exit 1
i=0
while [ "$i" -lt "$count" ]; do
    ms=$(date +%s%3N)
    curl -sf -m "$interval" "$url" > "$dir/$ms.prom" || rm -f "$dir/$ms.prom"
    i=$((i + 1))
    sleep "$interval"
done
echo "$(ls "$dir" | wc -l) scrapes in $dir"
