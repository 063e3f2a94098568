/*
 * Durations and times as Prometheus writes them: the unit-order rule of
 * model.ParseDuration, RFC 3339 with offsets, and the printed form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/duration.h"

static int64_t
dur(const char *s)
{
    int64_t ms = -12345;

    assert_int_equal(duration_parse(s, strlen(s), &ms), 0);
    return ms;
}

static void
bad_duration(const char *s)
{
    int64_t ms;

    assert_int_equal(duration_parse(s, strlen(s), &ms), -1);
}

static void
test_duration_units(void **state)
{
    (void)state;
    assert_int_equal(dur("0"), 0);
    assert_int_equal(dur("0s"), 0);
    assert_int_equal(dur("100ms"), 100);
    assert_int_equal(dur("15s"), 15000);
    assert_int_equal(dur("5m"), 300000);
    assert_int_equal(dur("1h30m"), 5400000);
    assert_int_equal(dur("2d"), 172800000);
    assert_int_equal(dur("1w"), 604800000);
    assert_int_equal(dur("1y"), 31536000000LL);
    assert_int_equal(dur("1m30s500ms"), 90500);
}

static void
test_duration_rejects(void **state)
{
    (void)state;
    bad_duration("");
    bad_duration("5");          /* a unit is required except for "0" */
    bad_duration("1.5h");       /* no fractions */
    bad_duration("-5m");        /* no sign */
    bad_duration("30m1h");      /* units out of order */
    bad_duration("1m1m");       /* repeated */
    bad_duration("5 m");
    bad_duration("5M");         /* units are lower case */
    bad_duration("99999999999999999999s");
}

static void
test_duration_format(void **state)
{
    char out[32];

    (void)state;
    duration_format(5400000, out, sizeof(out));
    assert_string_equal(out, "1h30m");
    duration_format(15000, out, sizeof(out));
    assert_string_equal(out, "15s");
    duration_format(0, out, sizeof(out));
    assert_string_equal(out, "0s");
    duration_format(90500, out, sizeof(out));
    assert_string_equal(out, "1m30s500ms");
    /* model.Duration.String: weeks and years only when exact. */
    duration_format(90LL * 86400000, out, sizeof(out));
    assert_string_equal(out, "90d");
    duration_format(14LL * 86400000, out, sizeof(out));
    assert_string_equal(out, "2w");
    duration_format(365LL * 86400000 + 3600000, out, sizeof(out));
    assert_string_equal(out, "365d1h");
}

static void
test_time_parse(void **state)
{
    int64_t ms;

    (void)state;
    assert_int_equal(time_parse("1700000000", &ms), 0);
    assert_int_equal(ms, 1700000000000LL);
    assert_int_equal(time_parse("1700000000.25", &ms), 0);
    assert_int_equal(ms, 1700000000250LL);
    /* 2023-11-14T22:13:20Z is 1700000000 (date -d @1700000000 -u). */
    assert_int_equal(time_parse("2023-11-14T22:13:20Z", &ms), 0);
    assert_int_equal(ms, 1700000000000LL);
    assert_int_equal(time_parse("2023-11-15T00:13:20.5+02:00", &ms), 0);
    assert_int_equal(ms, 1700000000500LL);
    assert_int_equal(time_parse("yesterday", &ms), -1);
    assert_int_equal(time_parse("2023-13-01T00:00:00Z", &ms), -1);
    assert_int_equal(time_parse("2023-11-14T22:13:20", &ms), -1);
    assert_int_equal(time_parse("", &ms), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_units),
        cmocka_unit_test(test_duration_rejects),
        cmocka_unit_test(test_duration_format),
        cmocka_unit_test(test_time_parse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
