/*
 * Notes grouped for people: a large Grafana dashboard gives a hundred
 * notes that say a dozen things, one per panel ("panel 'CPU': per-series
 * overrides are not applied"). Notes that say the same thing of
 * different panels, rows or variables become one line with a count and
 * the most frequent quoted details. It only rewrites text.
 *
 * Ownership: in is borrowed; out is the caller's (zeroed before, freed
 * with grafana_notes_fini).
 */
#ifndef DASH_DASHNOTES_H
#define DASH_DASHNOTES_H

#include "src/dash/grafana.h"

/*
 * Appends to out one line per group of in's notes, in the order groups
 * first appear. A note "KIND 'NAME': TEXT" (KIND panel, row, variable or
 * input) joins the notes of the same KIND whose TEXT is the same once
 * each '...' in it is read as a placeholder: "54 panels: TEXT", with
 * '…' for the placeholder and the three commonest values that filled it
 * ("('bytes' ×12, 'ms' ×3, 'short' ×1, …)"). A group of one note, and a
 * note of another shape, is copied as it is.
 */
void dashnotes_group(const struct grafana_notes *in,
                     struct grafana_notes *out);

#endif
