/*
 * The exposition formats' metric type names: every type has the word the
 * formats write, and a value outside the enum reads as "unknown".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scrape/expo_type.h"

static void
test_type_names(void **state)
{
    static const char *const want[] = {
        "untyped", "counter", "gauge", "histogram", "summary", "info",
        "stateset", "gaugehistogram", "unknown",
    };

    (void)state;
    assert_int_equal(sizeof(want) / sizeof(want[0]), EXPO_TYPE_COUNT);
    for (int t = 0; t < EXPO_TYPE_COUNT; t++)
        assert_string_equal(expo_type_name((enum expo_type)t), want[t]);
}

static void
test_type_name_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(expo_type_name(EXPO_TYPE_COUNT), "unknown");
    assert_string_equal(expo_type_name((enum expo_type)-1), "unknown");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_type_name_out_of_range),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
