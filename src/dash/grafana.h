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
/*
 * grafana_load with values for the dashboard's constant inputs, as
 * Grafana's import form asks for them: set[0..nset) are "NAME=VALUE"
 * strings, NAME as the export's __inputs spell it (VAR_JOB). Every
 * ${NAME} of a constant input is replaced by its value (from set, else
 * the input's default, else "" with a note) before the dashboard is
 * read; data source inputs (${DS_...}) stand for promdeck's Prometheus
 * source when their pluginId is prometheus. -1 with d set when set names
 * an input the dashboard does not have. The caller keeps set.
 */
int grafana_load_with(const char *path, const char *const *set, size_t nset,
                      struct dashboard *out, struct grafana_notes *notes,
                      struct diag *d);
/* Same for a document in memory. */
int grafana_load_buf_with(const char *name, const char *text, size_t len,
                          const char *const *set, size_t nset,
                          struct dashboard *out,
                          struct grafana_notes *notes, struct diag *d);
/* Frees the notes and zeroes *notes. */
void grafana_notes_fini(struct grafana_notes *notes);
/* Adds text (a copy) to the notes unless the same text is there. */
void grafana_notes_add(struct grafana_notes *notes, const char *text);

#endif
