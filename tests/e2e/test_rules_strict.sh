#!/bin/sh
# test rules reads a unit-test file as strictly as promtool 2.42: an
# unknown key at each level (file, test group, input_series,
# alert_rule_test, exp_alerts, promql_expr_test, exp_samples), and all of
# them at once, must give promtool's output and exit status, compared
# with the real promtool on the same files. An eval_time that promtool
# would run for hours is refused by promdeck at once (promtool is not run
# on it).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

cd "${tmp:?}" || exit 1
cat >rules.yml <<'YML'
groups:
  - name: g
    rules:
      - alert: A
        expr: up == 0
YML
# line LEVELS LEVEL TEXT: TEXT when LEVEL is one of LEVELS.
line() {
    case " $1 " in *" $2 "*) echo "$3" ;; esac
}
# unit_test FILE LEVELS: the unit test with an unknown key added at each
# level named in LEVELS (file group series alert exp_alert promql sample).
unit_test() {
    {
        echo "rule_files: [rules.yml]"
        line "$2" file "extra_file: 1"
        echo "tests:"
        echo "  - interval: 1m"
        line "$2" group "    extra_group: 1"
        echo "    input_series:"
        echo "      - series: 'up{job=\"a\"}'"
        echo "        values: '0 0'"
        line "$2" series "        extra_series: 1"
        echo "    alert_rule_test:"
        echo "      - eval_time: 1m"
        echo "        alertname: A"
        line "$2" alert "        extra_alert_test: 1"
        echo "        exp_alerts:"
        echo "          - exp_labels: {job: a}"
        line "$2" exp_alert "            extra_exp_alert: 1"
        echo "    promql_expr_test:"
        echo "      - expr: up"
        echo "        eval_time: 1m"
        line "$2" promql "        extra_promql_test: 1"
        echo "        exp_samples:"
        echo "          - labels: 'up{job=\"a\"}'"
        echo "            value: 0"
        line "$2" sample "            extra_sample: 1"
    } >"$1"
}

if command -v promtool >/dev/null 2>&1; then
    for level in none file group series alert exp_alert promql sample \
                 "file group series alert exp_alert promql sample"; do
        name="unknown key: $level"
        unit_test t.yml "$level"
        promtool test rules t.yml >want.out 2>&1
        want=$?
        "$PROMDECK" test rules t.yml </dev/null >got.out 2>&1
        got=$?
        if [ "$got" != "$want" ]; then
            not_ok "$name: exit $want as promtool" "exit $got: $(cat got.out)"
        elif diff want.out got.out >diff.out; then
            ok "$name: exit $want, output as promtool's"
        else
            not_ok "$name: output as promtool's" "$(head -c 2000 diff.out)"
        fi
    done
else
    echo "ok 1 - unknown keys as promtool # SKIP promtool missing"
fi

# 106700d at the default 1m: 153648001 evaluations, refused at once (the
# timeout only guards against a hang, it measures nothing).
unit_test long.yml ""
sed 's/eval_time: 1m/eval_time: 106700d/' long.yml >long2.yml
timeout 120 "$PROMDECK" test rules long2.yml </dev/null >got.out 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "tests\[0\], alert_rule_test\[0\]: eval_time 106700d needs 153648001 evaluations" got.out; then
    ok "eval_time 106700d at 1m refused with an error naming the test"
else
    not_ok "eval_time 106700d at 1m refused" "exit $rc: $(head -c 1000 got.out)"
fi
finish
