#!/usr/bin/env python3
"""Writes the benchmark data set as OpenMetrics with timestamps: 20
instances of an HTTP service, 50 series each (1,000 series), one sample
every 15 s for one hour ending at END. Counters grow at a varying rate,
a histogram follows the requests, gauges wander. Deterministic.

usage: gen_golden_data.py OUT.om END_UNIX_SECONDS
"""
import math
import sys

BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
           "2.5", "5", "10", "+Inf"]
CODES = [("200", 0.95), ("404", 0.03), ("500", 0.02)]
HANDLERS = ["/api", "/img"]
INSTANCES = ["10.0.%d.%d:8080" % (i // 10, i % 10) for i in range(20)]


def main():
    out, end = sys.argv[1], int(sys.argv[2])
    start = end - 3600
    times = list(range(start, end + 1, 15))
    lines = []

    def family(name, kind):
        lines.append("# TYPE %s %s" % (name, kind))

    family("app_requests", "counter")
    for i, inst in enumerate(INSTANCES):
        for h, handler in enumerate(HANDLERS):
            for code, share in CODES:
                total = 0.0
                for k, t in enumerate(times):
                    rate = 20 * share * (1.2 + math.sin(t / 300 + i + h))
                    total += rate * 15
                    lines.append('app_requests_total{code="%s",handler="%s",'
                                 'instance="%s",job="app"} %d %d'
                                 % (code, handler, inst, int(total), t))
    family("app_request_duration_seconds", "histogram")
    for i, inst in enumerate(INSTANCES):
        for h, handler in enumerate(HANDLERS):
            counts = [0.0] * len(BUCKETS)
            total_sum = 0.0
            for t in times:
                reqs = 20 * (1.2 + math.sin(t / 300 + i + h)) * 15
                lat = 0.05 * (1.5 + math.sin(t / 200 + i))
                for b, le in enumerate(BUCKETS):
                    bound = math.inf if le == "+Inf" else float(le)
                    share = 1 - math.exp(-bound / lat)
                    counts[b] += reqs * share
                total_sum += reqs * lat
                lbl = 'handler="%s",instance="%s",job="app"' % (handler, inst)
                for b, le in enumerate(BUCKETS):
                    lines.append('app_request_duration_seconds_bucket{%s,'
                                 'le="%s"} %d %d' % (lbl, le, counts[b], t))
                lines.append("app_request_duration_seconds_sum{%s} %.3f %d"
                             % (lbl, total_sum, t))
                lines.append("app_request_duration_seconds_count{%s} %d %d"
                             % (lbl, counts[-1], t))
    gauges = [("app_in_flight_requests", 5), ("go_goroutines", 40),
              ("process_resident_memory_bytes", 5e7),
              ("go_memstats_heap_inuse_bytes", 2e7),
              ("process_open_fds", 30), ("go_threads", 12),
              ("go_memstats_alloc_bytes", 1.5e7),
              ("go_memstats_stack_inuse_bytes", 1e6),
              ("go_memstats_sys_bytes", 7e7),
              ("go_memstats_heap_idle_bytes", 9e6),
              ("go_memstats_heap_objects", 8e4),
              ("go_memstats_mspan_inuse_bytes", 2e5),
              ("process_virtual_memory_bytes", 1.2e9),
              ("app_queue_depth", 3), ("app_cache_entries", 1e4)]
    for name, base in gauges:
        family(name, "gauge")
        for i, inst in enumerate(INSTANCES):
            for t in times:
                v = base * (1 + 0.3 * math.sin(t / 120 + i))
                lines.append('%s{instance="%s",job="app"} %d %d'
                             % (name, inst, v, t))
    family("process_cpu_seconds", "counter")
    for i, inst in enumerate(INSTANCES):
        for k, t in enumerate(times):
            lines.append('process_cpu_seconds_total{instance="%s",job="app"}'
                         ' %.2f %d' % (inst, k * 0.4, t))
    lines.append("# EOF")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


main()
