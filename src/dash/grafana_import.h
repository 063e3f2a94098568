/*
 * Grafana's import step for a dashboard exported "for sharing
 * externally": its __inputs list the data sources and constants the
 * importer must supply, and ${NAME} placeholders throughout the JSON
 * stand for them. Constants are filled in here, before the dashboard is
 * read; data source inputs are left for src/dash/grafana.c, which reads
 * ${DS_...} of a prometheus input as promdeck's own source.
 *
 * Ownership: the tree passed in is taken (returned, or freed and replaced
 * by a new one); set and text are borrowed for the call.
 */
#ifndef DASH_GRAFANA_IMPORT_H
#define DASH_GRAFANA_IMPORT_H

#include <stddef.h>

#include "src/base/diag.h"
#include "src/base/yaml.h"
#include "src/dash/grafana.h"

/*
 * root (the tree of text, named name) with every ${NAME} of a constant
 * input replaced by its value: the one set[0..nset) gives as "NAME=VALUE",
 * else the input's own value, else "" (with a note appended to notes).
 * Returns root itself when there is nothing to fill in, a new tree
 * otherwise, or NULL with d set (root freed) when set names an input the
 * dashboard does not have or the filled text does not load.
 */
struct yaml_node *grafana_import(struct yaml_node *root, const char *name,
                                 const char *text, size_t len,
                                 const char *const *set, size_t nset,
                                 struct grafana_notes *notes,
                                 struct diag *d);

#endif
