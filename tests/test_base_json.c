/*
 * The JSON writer: escapes per RFC 8259, shortest round-trip numbers, and
 * sample values formatted as Prometheus's API formats them (Go's
 * strconv.FormatFloat(v, 'f', -1, 64)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
    check_prom_value(1e21, "\"1000000000000000000000\"");
    check_prom_value(1.5e-7, "\"0.00000015\"");
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
