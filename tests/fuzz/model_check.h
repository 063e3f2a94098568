/*
 * What the dashboard harnesses (fuzz_dashfile, fuzz_grafana) check of a
 * model that loaded: ui/model.h's promises (every row and panel at least
 * 1 high and wide, a variable's choice within its values) and each page
 * laid out inside an 80x24 screen. Linked into every harness.
 */
#ifndef FUZZ_MODEL_CHECK_H
#define FUZZ_MODEL_CHECK_H

#include <stdbool.h>

#include "src/dash/dashmodel.h"

/* Aborts unless m keeps those promises; with rows_have_panels, a row
 * without panels fails too (the Grafana importer never makes one). */
void fuzz_check_model(const struct dashboard *m, bool rows_have_panels);

#endif
