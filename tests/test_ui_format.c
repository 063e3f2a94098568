/*
 * Value, label and time formatting against hand-worked values: unit
 * scaling with three significant digits, IEC bytes, seconds ladders,
 * rounding up into the next step, legends and Prometheus label sets.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ui/format.h"

static void
expect(double v, enum unit u, int decimals, const char *want)
{
    char out[FORMAT_VALUE_MAX];

    format_value(v, u, decimals, out, sizeof out);
    assert_string_equal(out, want);
}

static void
test_bytes(void **state)
{
    (void)state;
    expect(1536, UNIT_BYTES, -1, "1.5 KiB");
    expect(0, UNIT_BYTES, -1, "0 B");
    expect(512, UNIT_BYTES, -1, "512 B");
    expect(1048576, UNIT_BYTES, -1, "1 MiB");
    expect(3.5 * 1073741824.0, UNIT_BYTES, -1, "3.5 GiB");
    /* 1023.9 B rounds to 1024 B, which is 1 KiB. */
    expect(1023.9, UNIT_BYTES, -1, "1 KiB");
    expect(1536, UNIT_BYTES, 2, "1.50 KiB");
    expect(-2048, UNIT_BYTES, -1, "-2 KiB");
}

static void
test_seconds(void **state)
{
    (void)state;
    expect(0.00025, UNIT_SECONDS, -1, "250 \xc2\xb5s");
    expect(0.0123, UNIT_SECONDS, -1, "12.3 ms");
    expect(1.5, UNIT_SECONDS, -1, "1.5 s");
    expect(90, UNIT_SECONDS, -1, "1.5 m");
    expect(7200, UNIT_SECONDS, -1, "2 h");
    expect(2e-9, UNIT_SECONDS, -1, "2 ns");
    /* 59.996 s rounds to 60.0 s, shown as one minute. */
    expect(59.996, UNIT_SECONDS, -1, "1 m");
    expect(0, UNIT_SECONDS, -1, "0 s");
}

static void
test_si(void **state)
{
    (void)state;
    expect(42, UNIT_NONE, -1, "42");
    expect(1234, UNIT_NONE, -1, "1.23k");
    expect(-1234, UNIT_NONE, -1, "-1.23k");
    expect(1.5e6, UNIT_NONE, -1, "1.5M");
    expect(2.5e9, UNIT_NONE, -1, "2.5G");
    expect(7e12, UNIT_NONE, -1, "7T");
    expect(999.96, UNIT_NONE, -1, "1k");
    expect(0.25, UNIT_NONE, -1, "250m");
    expect(0.0000125, UNIT_NONE, -1, "12.5\xc2\xb5");
    expect(3.14159, UNIT_NONE, 2, "3.14");
    expect(1234, UNIT_NONE, 0, "1k");
    expect(0, UNIT_NONE, -1, "0");
    expect(12.345, UNIT_NONE, -1, "12.3");
}

static void
test_percent_and_rates(void **state)
{
    (void)state;
    expect(42.5, UNIT_PERCENT, -1, "42.5%");
    expect(100, UNIT_PERCENT, -1, "100%");
    expect(0.425, UNIT_PERCENTUNIT, -1, "42.5%");
    expect(1, UNIT_PERCENTUNIT, -1, "100%");
    expect(1200, UNIT_REQPS, -1, "1.2k req/s");
    expect(0.5, UNIT_REQPS, -1, "0.5 req/s");
    expect(3, UNIT_OPS, -1, "3 ops/s");
    expect(0.0123, UNIT_REQPS, -1, "0.0123 req/s");
}

static void
test_special_values(void **state)
{
    (void)state;
    expect(NAN, UNIT_BYTES, -1, "NaN");
    expect(INFINITY, UNIT_SECONDS, -1, "+Inf");
    expect(-INFINITY, UNIT_NONE, 2, "-Inf");
}

static struct label lv[] = {
    { "__name__", "http_requests_total" },
    { "code", "200" },
    { "job", "api" },
};

static void
test_legend(void **state)
{
    struct labels ls = { lv, 3 };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    format_legend("{{code}} on {{ instance }}/{{job}}", &ls, &b);
    assert_string_equal(buf_str(&b), "200 on /api");
    buf_reset(&b);
    format_legend("{{__name__}}", &ls, &b);
    assert_string_equal(buf_str(&b), "http_requests_total");
    buf_reset(&b);
    format_legend("open {{code", &ls, &b);
    assert_string_equal(buf_str(&b), "open {{code");
    buf_reset(&b);
    format_legend(NULL, &ls, &b);
    assert_string_equal(buf_str(&b),
                        "http_requests_total{code=\"200\", job=\"api\"}");
    buf_fini(&b);
}

static void
test_times(void **state)
{
    char s[32];

    (void)state;
    format_ago(10000, 6800, s, sizeof s);
    assert_string_equal(s, "3.2s ago");
    format_ago(200000, 75000, s, sizeof s);
    assert_string_equal(s, "2m ago");
    format_ago(1, 0, s, sizeof s);
    assert_string_equal(s, "never");
    format_ago(7200000 + 5, 5, s, sizeof s);
    assert_string_equal(s, "2h ago");
    format_duration(0.0123, s, sizeof s);
    assert_string_equal(s, "12.3 ms");
    /* 1700000000 s is 2023-11-14 22:13:20 UTC. */
    setenv("TZ", "UTC", 1);
    format_hhmm(1700000000000LL, s, sizeof s);
    assert_string_equal(s, "22:13");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_seconds),
        cmocka_unit_test(test_si),
        cmocka_unit_test(test_percent_and_rates),
        cmocka_unit_test(test_special_values),
        cmocka_unit_test(test_legend),
        cmocka_unit_test(test_times),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
