#!/usr/bin/env python3
"""Writes N rules (default 1,000) over the benchmark data set of
gen_golden_data.py, in groups of 100, as a Prometheus rule file: per
instance request rates and error ratios (recording), latency quantiles,
gauge averages, and alerting rules with `for` on errors, latency, memory
and instances. Each rule reads one instance's series, so every rule does
real work on about 1/20 of the data. Windows are 5 m, so that rules
evaluated up to a few minutes after the data's end still find it, as
Prometheus's do in bench_rules.sh. Deterministic.

usage: gen_bench_rules.py OUT.yml [N]
"""
import sys

INSTANCES = ["10.0.%d.%d:8080" % (i // 10, i % 10) for i in range(20)]
KINDS = [
    ("record", 'sum by (instance, code) (rate(app_requests_total'
               '{instance="%s"}[5m]))'),
    ("record", 'sum(rate(app_requests_total{instance="%s",code="500"}[5m]))'
               ' / sum(rate(app_requests_total{instance="%s"}[5m]))'),
    ("record", 'histogram_quantile(0.99, sum by (le) (rate('
               'app_request_duration_seconds_bucket{instance="%s"}[5m])))'),
    ("record", 'avg_over_time(go_goroutines{instance="%s"}[5m])'),
    ("alert", 'rate(app_requests_total{instance="%s",code="500"}[5m]) > 0.1'),
    ("alert", 'histogram_quantile(0.9, sum by (le, handler) (rate('
              'app_request_duration_seconds_bucket{instance="%s"}[5m])))'
              ' > 0.05'),
    ("alert", 'process_resident_memory_bytes{instance="%s"} > 4e7'),
    ("alert", 'max_over_time(app_in_flight_requests{instance="%s"}[5m])'
              ' > 5'),
    ("alert", 'absent(up{instance="%s"})'),
    ("record", 'sum by (handler) (increase(app_requests_total'
               '{instance="%s"}[5m]))'),
]


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    lines = ["groups:"]
    for k in range(n):
        if k % 100 == 0:
            lines.append("- name: bench%02d" % (k // 100))
            lines.append("  rules:")
        kind, tmpl = KINDS[k % len(KINDS)]
        inst = INSTANCES[(k // len(KINDS)) % len(INSTANCES)]
        expr = tmpl.replace("%s", inst)
        if kind == "record":
            lines.append("  - record: bench:rule%04d" % k)
        else:
            lines.append("  - alert: Bench%04d" % k)
            lines.append("    for: 1m")
            lines.append("    labels: {severity: warning}")
        lines.append("    expr: '%s'" % expr)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


main()
