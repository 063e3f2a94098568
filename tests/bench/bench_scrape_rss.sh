#!/bin/sh
# Peak memory of one hostile scrape: promdeck --once against a local
# server sending (1) an endless body of series never seen before, (2) a
# 62 MiB body of 3.9 million series in short lines. Prints the peak RSS
# (GNU time's "Maximum resident set size") and how the scrape ended.
# Figures only; nothing is asserted.
set -u
cd "$(dirname "$0")/../.." || exit 1
: "${PROMDECK:=$PWD/build/promdeck}"
if [ ! -x /usr/bin/time ] || ! command -v python3 >/dev/null; then
    echo "bench_scrape_rss: needs /usr/bin/time and python3; skipped"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# The server: /endless streams fresh series until the client goes away;
# /big serves 3.9 million of them (about 62 MiB) with a Content-Length.
python3 - "$tmp/port" <<'PY' &
import socket, sys, threading
def lines(a, b):
    return ''.join('s{i="%d"} 1\n' % i for i in range(a, b)).encode()
big = lines(0, 3900000)
head = b'HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n'
def serve(c):
    try:
        req = b''
        while b'\r\n\r\n' not in req:
            d = c.recv(4096)
            if not d:
                return
            req += d
        if req.split(b' ')[1] == b'/endless':
            c.sendall(head + b'Transfer-Encoding: chunked\r\n\r\n')
            i = 0
            while True:
                blk = lines(i, i + 60000)
                i += 60000
                c.sendall(b'%x\r\n' % len(blk) + blk + b'\r\n')
        else:
            c.sendall(head + b'Content-Length: %d\r\n\r\n' % len(big) + big)
    except OSError:
        pass
    finally:
        c.close()
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(8)
open(sys.argv[1], 'w').write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
srv=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
port=$(cat "$tmp/port")

for path in endless big; do
    cat >"$tmp/$path.yml" <<EOF
scrape_configs:
  - job_name: $path
    scrape_interval: 60s
    scrape_timeout: 55s
    metrics_path: /$path
    static_configs:
      - targets: ['127.0.0.1:$port']
EOF
    /usr/bin/time -v "$PROMDECK" --config "$tmp/$path.yml" --once -o json \
        --timeout 60s >"$tmp/$path.json" 2>"$tmp/$path.time"
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' \
        "$tmp/$path.time")
    end=$(python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["targets"][0]
print(t["health"], "-", t["last_error"] or "ok")' "$tmp/$path.json")
    echo "$path: peak RSS $((rss / 1024)) MiB; $end"
done
