/*
 * The one table of panel kind names and the one table of unit names.
 * Dashboard files, Grafana imports, snapshots and the widgets all spell a
 * kind or a unit through here. Formatting values in a unit is
 * ui/format.c's job; reading other spellings (Grafana's) is src/dash's.
 */
#include "ui/model.h"

/* ORDER panel_kind */
static const char *const kind_names[] = {
    "graph", "sparkline", "bars", "table", "stat", "gauge", "heatmap",
    "text",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == PANEL_KIND_COUNT,
               "kind_names out of step with enum panel_kind");

/* ORDER unit */
static const char *const unit_names[] = {
    "none", "bytes", "seconds", "percent", "percentunit", "reqps", "ops",
};
_Static_assert(sizeof unit_names / sizeof unit_names[0] == UNIT_COUNT,
               "unit_names out of step with enum unit");

const char *
model_kind_name(enum panel_kind k)
{
    return (unsigned)k < PANEL_KIND_COUNT ? kind_names[k] : NULL;
}

const char *
model_unit_name(enum unit u)
{
    return (unsigned)u < UNIT_COUNT ? unit_names[u] : NULL;
}
