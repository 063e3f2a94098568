/*
 * Grafana dashboards: a dashboard JSON model (as exported, provisioned or
 * returned by Grafana's API, schema 14 and later: old-style rows and
 * gridPos panels) read into ui/model.h's struct dashboard. What promdeck
 * cannot show the way Grafana does is listed as notes, never dropped
 * silently. It does not talk to Grafana and does not write JSON.
 *
 * Ownership: the model is the caller's (dash_adopt it, or free it with
 * dashmodel_fini); the notes are the caller's, freed with
 * grafana_notes_fini. A diag borrows path (or name) as its source.
 */
#ifndef DASH_GRAFANA_H
#define DASH_GRAFANA_H

#include <stddef.h>

#include "src/base/diag.h"
#include "ui/model.h"

/* One line each, without a trailing newline, each distinct text once. */
struct grafana_notes {
    char **v;
    size_t n;
};

/*
 * Reads the Grafana dashboard JSON at path into *out (one page named
 * after the dashboard; Grafana's rows become rows) and appends to *notes
 * (which the caller zeroed) what could not be carried over. Returns 0, or
 * -1 with d set (file:line:col) when the file is not JSON or not a
 * dashboard; *out is then zeroed.
 */
int grafana_load(const char *path, struct dashboard *out,
                 struct grafana_notes *notes, struct diag *d);
/* Same for a document in memory; name labels positions and notes. */
int grafana_load_buf(const char *name, const char *text, size_t len,
                     struct dashboard *out, struct grafana_notes *notes,
                     struct diag *d);
/* Frees the notes and zeroes *notes. */
void grafana_notes_fini(struct grafana_notes *notes);
/* Adds text (a copy) to the notes unless the same text is there. */
void grafana_notes_add(struct grafana_notes *notes, const char *text);

#endif
