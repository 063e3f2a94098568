/*
 * The JSON writer: escapes per RFC 8259, shortest round-trip numbers laid
 * out as Go's encoding/json writes them, and times and sample values as
 * Prometheus 2.42's API writes them (util/jsonutil: MarshalTimestamp,
 * MarshalValue). Every number is read back with strtod and compared bit
 * for bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <math.h>
#include <cmocka.h>

#include "src/base/json.h"

static void
check_prom_value(double v, const char *want)
{
    struct buf b;

    buf_init(&b, 0);
    json_prom_value(&b, v);
    assert_string_equal(buf_str(&b), want);
    buf_fini(&b);
}

static void
test_prom_values(void **state)
{
    (void)state;
    /* What Prometheus's API returned in the golden answers. */
    check_prom_value(1, "\"1\"");
    check_prom_value(0, "\"0\"");
    check_prom_value(0.05, "\"0.05\"");
    check_prom_value(-2.5, "\"-2.5\"");
    check_prom_value(0.1 + 0.2, "\"0.30000000000000004\"");
    /* MarshalValue switches to 'e' below 1e-6 and from 1e21 on, with
     * strconv's two-digit exponent. */
    check_prom_value(1e21, "\"1e+21\"");
    check_prom_value(999999999999999900000.0, "\"999999999999999900000\"");
    check_prom_value(1.5e-7, "\"1.5e-07\"");
    check_prom_value(1e-6, "\"0.000001\"");
    check_prom_value(5e-324, "\"5e-324\"");
    check_prom_value(123456789.123, "\"123456789.123\"");
    check_prom_value(1700000600, "\"1700000600\"");
    check_prom_value(NAN, "\"NaN\"");
    check_prom_value(INFINITY, "\"+Inf\"");
    check_prom_value(-INFINITY, "\"-Inf\"");
}

static void
test_strings(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    json_string(&b, "a\"b\\c\nd\te\x01 \xc3\xa9 \xff");
    assert_string_equal(buf_str(&b),
                        "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa9 \\ufffd\"");
    buf_fini(&b);
}

/* v as json_number writes it must be want and read back to v's bits. */
static void
check_number(double v, const char *want)
{
    struct buf b;
    char *end;
    double back;

    buf_init(&b, 0);
    json_number(&b, v);
    assert_string_equal(buf_str(&b), want);
    back = strtod(buf_str(&b), &end);
    assert_int_equal(*end, '\0');
    assert_memory_equal(&back, &v, sizeof(v));
    buf_fini(&b);
}

/* Go's encoding/json float64 layout (what the expected texts are):
 * strconv's shortest digits, 'e' only below 1e-6 and from 1e21 on. */
static void
test_numbers_exact(void **state)
{
    (void)state;
    check_number(1796233220.5, "1796233220.5");
    check_number(1796233220, "1796233220");
    check_number(1796233221, "1796233221");
    check_number(0.1, "0.1");
    check_number(0.1 + 0.2, "0.30000000000000004");
    check_number(1e21, "1e+21");
    check_number(1e20, "100000000000000000000");
    check_number(5e-324, "5e-324");
    check_number(1e-7, "1e-7");
    check_number(1.5e-7, "1.5e-7");
    check_number(1e-6, "0.000001");
    check_number(123456789.123, "123456789.123");
    check_number(-0.0, "-0");
    check_number(1.7976931348623157e308, "1.7976931348623157e+308");
    check_number(2.2250738585072014e-308, "2.2250738585072014e-308");
    /* Powers of two whose correctly rounded 16 digits miss; the shortest
     * is one step away on the wide side (Python's repr and Go agree). */
    check_number(ldexp(1, -791), "7.678447687145631e-239");
    check_number(ldexp(1, -788), "6.142758149716505e-238");
}

/* A locale with a decimal comma must not reach JSON. */
static void
test_numbers_locale(void **state)
{
    static const char *const names[] = {
        "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C.UTF-8",
    };
    char *old = strdup(setlocale(LC_NUMERIC, NULL));

    (void)state;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (setlocale(LC_NUMERIC, names[i]) != NULL)
            break;
    check_number(1796233220.5, "1796233220.5");
    check_number(1.5e-7, "1.5e-7");
    check_prom_value(0.25, "\"0.25\"");
    setlocale(LC_NUMERIC, old);
    free(old);
}

static void
check_time(int64_t ms, const char *want)
{
    struct buf b;

    buf_init(&b, 0);
    json_time_ms(&b, ms);
    assert_string_equal(buf_str(&b), want);
    buf_fini(&b);
}

/* MarshalTimestamp: seconds, then "." and three digits unless whole. */
static void
test_times(void **state)
{
    (void)state;
    check_time(1796233220500, "1796233220.500");
    check_time(1796233220000, "1796233220");
    check_time(1796233220001, "1796233220.001");
    check_time(1796233220050, "1796233220.050");
    check_time(0, "0");
    check_time(-1500, "-1.500");
    check_time(-5, "-0.005");
    check_time(INT64_MAX, "9223372036854775.807");
    check_time(INT64_MIN, "-9223372036854775.808");
}

static void
test_nul_in_string(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    /* The store's encoding of a NUL byte; a lone C0 stays invalid. */
    json_string(&b, "x\xc0\x80y \xc0!");
    assert_string_equal(buf_str(&b), "\"x\\u0000y \\ufffd!\"");
    buf_fini(&b);
}

static void
test_numbers(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    json_number(&b, 0.1);
    buf_putc(&b, ' ');
    json_number(&b, 1700000000.5);
    buf_putc(&b, ' ');
    json_number(&b, NAN);
    buf_putc(&b, ' ');
    json_number(&b, -INFINITY);
    assert_string_equal(buf_str(&b), "0.1 1700000000.5 null null");
    buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prom_values),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_numbers_exact),
        cmocka_unit_test(test_numbers_locale),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_nul_in_string),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
