/*
 * One table from enum panel_kind to the widget class that draws it. A
 * new kind is one line here, one name in ui/model.c and its own class
 * file; nothing else in ui/ lists the kinds.
 */
#include "ui/widget_registry.h"

#include "ui/bars.h"
#include "ui/gauge.h"
#include "ui/graph.h"
#include "ui/heatmap.h"
#include "ui/sparkline.h"
#include "ui/stat.h"
#include "ui/table.h"
#include "ui/text.h"

/* ORDER panel_kind */
static const struct widget_class *const classes[] = {
    [PANEL_GRAPH] = &graph_class,
    [PANEL_SPARKLINE] = &spark_class,
    [PANEL_BARS] = &bars_class,
    [PANEL_TABLE] = &table_class,
    [PANEL_STAT] = &stat_class,
    [PANEL_GAUGE] = &gauge_class,
    [PANEL_HEATMAP] = &heatmap_class,
    [PANEL_TEXT] = &text_class,
};
_Static_assert(sizeof classes / sizeof classes[0] == PANEL_KIND_COUNT,
               "classes out of step with enum panel_kind");

const struct widget_class *
widget_class_for(enum panel_kind k)
{
    if ((unsigned)k >= PANEL_KIND_COUNT)
        return NULL;
    return classes[k];
}
