/*
 * The names of panel kinds and units: every enum value has a distinct
 * name, the ones dashboards and snapshots write, and nothing past the
 * end of the enums has one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "ui/model.h"

static void
test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(model_kind_name(PANEL_GRAPH), "graph");
    assert_string_equal(model_kind_name(PANEL_SPARKLINE), "sparkline");
    assert_string_equal(model_kind_name(PANEL_BARS), "bars");
    assert_string_equal(model_kind_name(PANEL_TABLE), "table");
    assert_string_equal(model_kind_name(PANEL_STAT), "stat");
    assert_string_equal(model_kind_name(PANEL_GAUGE), "gauge");
    assert_string_equal(model_kind_name(PANEL_HEATMAP), "heatmap");
    assert_string_equal(model_kind_name(PANEL_TEXT), "text");
    assert_null(model_kind_name(PANEL_KIND_COUNT));
    assert_null(model_kind_name((enum panel_kind)-1));
}

static void
test_unit_names(void **state)
{
    (void)state;
    assert_string_equal(model_unit_name(UNIT_NONE), "none");
    assert_string_equal(model_unit_name(UNIT_BYTES), "bytes");
    assert_string_equal(model_unit_name(UNIT_SECONDS), "seconds");
    assert_string_equal(model_unit_name(UNIT_PERCENT), "percent");
    assert_string_equal(model_unit_name(UNIT_PERCENTUNIT), "percentunit");
    assert_string_equal(model_unit_name(UNIT_REQPS), "reqps");
    assert_string_equal(model_unit_name(UNIT_OPS), "ops");
    assert_null(model_unit_name(UNIT_COUNT));
}

/* Two kinds (or units) with one name could not be told apart in a file. */
static void
test_names_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < PANEL_KIND_COUNT; i++)
        for (int j = i + 1; j < PANEL_KIND_COUNT; j++)
            assert_string_not_equal(model_kind_name((enum panel_kind)i),
                                    model_kind_name((enum panel_kind)j));
    for (int i = 0; i < UNIT_COUNT; i++)
        for (int j = i + 1; j < UNIT_COUNT; j++)
            assert_string_not_equal(model_unit_name((enum unit)i),
                                    model_unit_name((enum unit)j));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_unit_names),
        cmocka_unit_test(test_names_distinct),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
