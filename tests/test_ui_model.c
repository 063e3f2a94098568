/*
 * The names of panel kinds and units: every enum value and every row of
 * the unit table has a distinct name, the ones dashboards and snapshots
 * write, and nothing past the end has one.
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
    assert_string_equal(model_unit_name(UNIT_AUTO), "auto");
    assert_string_equal(model_unit_name(UNIT_NONE), "none");
    assert_string_equal(model_unit_name(UNIT_SHORT), "short");
    assert_string_equal(model_unit_name(UNIT_BYTES), "bytes");
    assert_string_equal(model_unit_name(UNIT_SECONDS), "s");
    assert_string_equal(model_unit_name(UNIT_PERCENT), "percent");
    assert_string_equal(model_unit_name(UNIT_PERCENTUNIT), "percentunit");
    assert_string_equal(model_unit_name(UNIT_REQPS), "reqps");
    assert_string_equal(model_unit_name(UNIT_OPS), "ops");
    assert_string_equal(model_unit_name(UNIT_NAMED), "string");
    assert_null(model_unit_name((enum unit)model_unit_count()));
    assert_null(model_unit(-1));
}

/* Grafana's list has 257 ids (its categories.ts, with Boolean); the
 * table adds auto and the custom row. */
static void
test_unit_table(void **state)
{
    enum unit u;

    (void)state;
    assert_int_equal(model_unit_count(), 257 + 2);
    assert_int_equal(model_unit_by_name("Bps", &u), 0);
    assert_int_equal(model_unit(u)->family, UF_SI);
    assert_string_equal(model_unit(u)->symbol, "B/s");
    assert_int_equal(model_unit_by_name("bps", &u), 0);
    assert_string_equal(model_unit(u)->symbol, "b/s");
    assert_int_equal(model_unit_by_name("custom", &u), -1);
    assert_int_equal(model_unit_by_name("nope", &u), -1);
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
    for (size_t i = 0; i < model_unit_count(); i++)
        for (size_t j = i + 1; j < model_unit_count(); j++)
            assert_string_not_equal(model_unit_name((enum unit)i),
                                    model_unit_name((enum unit)j));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_unit_names),
        cmocka_unit_test(test_unit_table),
        cmocka_unit_test(test_names_distinct),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
