/*
 * Dashboard files: promdeck's own YAML dashboard format (described in
 * promdeck-dashboard(5)) read into ui/model.h's struct dashboard, with
 * every query checked by the PromQL parser at load time; dashfile_open
 * picks between it and the Grafana loader. It neither evaluates queries
 * nor reads Grafana's JSON itself (src/dash/grafana.h does), and the
 * names it accepts are src/dash/vocab.h's.
 *
 * Ownership: a loaded model is the caller's; hand it to dash_adopt, or
 * release it with dashmodel_fini. Diags written by the loader borrow path
 * as their source, so path must outlive them.
 */
#ifndef DASH_DASHFILE_H
#define DASH_DASHFILE_H

#include <stddef.h>

#include "src/base/diag.h"
#include "src/dash/grafana.h"
#include "ui/model.h"

/* What `promdeck check dashboard FILE` reports for a good file. */
struct dashfile_counts {
    size_t pages;
    size_t rows;
    size_t panels;
    size_t queries;
    size_t variables;
};

/*
 * Reads the dashboard file at path into *out. On any error returns -1,
 * leaves *out zeroed and writes up to maxerrs diags (file:line:col and
 * what was expected) to errs, *nerrs their number (errors past maxerrs
 * are counted in the return of nothing; the caller sees maxerrs diags).
 * Returns 0 with *nerrs = 0 when the file is good.
 */
int dashfile_load(const char *path, struct dashboard *out, struct diag *errs,
                  size_t maxerrs, size_t *nerrs);

/* Same for a document in memory; name labels positions. */
int dashfile_load_buf(const char *name, const char *text, size_t len,
                      struct dashboard *out, struct diag *errs,
                      size_t maxerrs, size_t *nerrs);

/*
 * `promdeck check dashboard FILE`: loads path, fills *counts and frees the
 * model. Returns 0, or -1 with the diags as dashfile_load gives them.
 */
int dashfile_check(const char *path, struct dashfile_counts *counts,
                   struct diag *errs, size_t maxerrs, size_t *nerrs,
                   struct grafana_notes *notes);

/*
 * What -d FILE reads: a Grafana dashboard when the file's first non-blank
 * byte is '{' (a JSON object: an export, a provisioned file or an API
 * body), through grafana_load, its notes appended to *notes (which the
 * caller zeroed) and any error as one diag; else promdeck's own format
 * through dashfile_load. Returns 0 or -1 as those do.
 */
int dashfile_open(const char *path, struct dashboard *out, struct diag *errs,
                  size_t maxerrs, size_t *nerrs, struct grafana_notes *notes);
/* The same, with set[0..nset) ("NAME=VALUE") filling a Grafana export's
 * constant inputs as grafana_load_with does (promdeck's own YAML format
 * has no inputs, so it ignores them). */
int dashfile_open_with(const char *path, const char *const *set,
                       size_t nset, struct dashboard *out,
                       struct diag *errs, size_t maxerrs, size_t *nerrs,
                       struct grafana_notes *notes);

#endif
