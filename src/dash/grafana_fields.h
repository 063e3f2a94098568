/*
 * Grafana's field configuration of one panel read into ui/model.h's
 * panel: unit, decimals, min and max, stacking, the display name, and the
 * per-series overrides of Grafana 7 and later (fieldConfig.overrides) and
 * of the old graph panel (seriesOverrides, aliasColors, its second y
 * axis). What promdeck does not apply is added to the notes, grouped by
 * panel. The rest of a panel (kind, queries, thresholds, layout) is
 * src/dash/grafana.c's.
 *
 * Ownership: the tree is borrowed for the call; what is read goes into
 * out, which owns it (dashmodel_panel_fini frees it).
 */
#ifndef DASH_GRAFANA_FIELDS_H
#define DASH_GRAFANA_FIELDS_H

#include "src/base/yaml.h"
#include "src/dash/grafana.h"
#include "ui/model.h"

/*
 * Reads the field settings of panel node p into out (whose title names it
 * in notes); defaults is where p keeps its field defaults
 * (fieldConfig.defaults, Grafana 6's options.fieldOptions.defaults) or
 * NULL. Never fails: what cannot be read becomes a note.
 */
void grafana_fields_load(const struct yaml_node *p,
                         const struct yaml_node *defaults, struct panel *out,
                         struct grafana_notes *notes);

#endif
