/*
 * The built-in golden-signals dashboard as a model, for when no dashboard
 * file is given. It only builds data; src/dash/dash.c compiles and evaluates.
 *
 * Ownership: the model's strings are malloc'd and belong to the caller
 * (hand the model to dash_adopt, or free it with dashmodel_fini).
 */
#ifndef DASH_DASHBUILTIN_H
#define DASH_DASHBUILTIN_H

#include <stdint.h>

#include "ui/model.h"

/* Fills *m (overwritten) with the golden-signals and targets pages. */
void dashbuiltin_model(struct dashboard *m, int64_t range_ms);

#endif
