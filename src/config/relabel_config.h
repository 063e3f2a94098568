/*
 * Reads a prometheus.yml list of relabel configs (relabel_configs,
 * metric_relabel_configs) from a YAML tree into compiled relabel rules,
 * with Prometheus 2.42's defaults, checks and wording, and a file:line:col
 * on every error. It reads no files and knows nothing of scrape configs.
 *
 * Ownership: the tree is borrowed for the call; the rules returned in *out
 * belong to the caller (relabel_rules_free). Each diag written points its
 * source at the tree's document name, so print it before freeing the tree.
 */
#ifndef CONFIG_RELABEL_CONFIG_H
#define CONFIG_RELABEL_CONFIG_H

#include <stddef.h>

#include "scrape/relabel.h"
#include "src/base/diag.h"
#include "src/base/yaml.h"

/*
 * Parses seq, a sequence of relabel config mappings (NULL or a null node
 * is an empty list). what names a rule in Prometheus's message for a null
 * one: "target relabeling rule in scrape config" gives "empty or null
 * target relabeling rule in scrape config". Every error found is appended
 * at errs[*nerrs], advancing *nerrs but never past maxerrs. Returns 0 with
 * *out set, or -1 with *out NULL when there was any error.
 */
int config_relabel_parse(const struct yaml_node *seq, const char *what,
                         struct relabel_rules **out, struct diag *errs,
                         size_t maxerrs, size_t *nerrs);

#endif
