/*
 * The widget registry: each panel kind is drawn by its own class, every
 * class can measure and draw, and a kind out of range has none (the
 * frame then says the type is not supported rather than crash).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ui/bars.h"
#include "ui/gauge.h"
#include "ui/graph.h"
#include "ui/heatmap.h"
#include "ui/model.h"
#include "ui/sparkline.h"
#include "ui/stat.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/widget_registry.h"

static void
test_each_kind_has_its_class(void **state)
{
    (void)state;
    assert_ptr_equal(widget_class_for(PANEL_GRAPH), &graph_class);
    assert_ptr_equal(widget_class_for(PANEL_SPARKLINE), &spark_class);
    assert_ptr_equal(widget_class_for(PANEL_BARS), &bars_class);
    assert_ptr_equal(widget_class_for(PANEL_TABLE), &table_class);
    assert_ptr_equal(widget_class_for(PANEL_STAT), &stat_class);
    assert_ptr_equal(widget_class_for(PANEL_GAUGE), &gauge_class);
    assert_ptr_equal(widget_class_for(PANEL_HEATMAP), &heatmap_class);
    assert_ptr_equal(widget_class_for(PANEL_TEXT), &text_class);
}

static void
test_classes_complete_and_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < PANEL_KIND_COUNT; i++) {
        const struct widget_class *c = widget_class_for((enum panel_kind)i);

        assert_non_null(c);
        assert_non_null(c->measure);
        assert_non_null(c->draw);
        for (int j = 0; j < i; j++)
            assert_ptr_not_equal(c, widget_class_for((enum panel_kind)j));
    }
}

static void
test_out_of_range(void **state)
{
    (void)state;
    assert_null(widget_class_for(PANEL_KIND_COUNT));
    assert_null(widget_class_for((enum panel_kind)-1));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind_has_its_class),
        cmocka_unit_test(test_classes_complete_and_distinct),
        cmocka_unit_test(test_out_of_range),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
