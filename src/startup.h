/*
 * What main() does before the loop starts: load the targets (the command
 * line's, a prometheus.yml, or the demo), the rule files and the
 * dashboard (-d files, or the built-in one), printing every error and note on stderr. Nothing here
 * touches the screen, so errors end the program before it opens.
 */
#ifndef SRC_STARTUP_H
#define SRC_STARTUP_H

#include "src/cli.h"
#include "src/collect/collect.h"
#include "src/config/config.h"
#include "src/dash/dash.h"
#include "src/dash/grafana.h"
#include "src/demo/demo.h"
#include "src/ruleset.h"
#include "store/store.h"

/*
 * Fills cfg with a job per host of the command-line targets, or from
 * --config, or starts the demo and adds its jobs, or, with no source at
 * all, opens this host's built-in collectors (job node, ...) and adds a
 * job for each, its one target's instance the host name. Returns 0, 2
 * for a configuration error or 1 when the demo or every collector cannot
 * start. The caller calls config_fini, demo_stop and collect_set_free
 * (after the pool that borrows the collectors) whatever the result.
 */
int startup_targets(const struct cli *cli, struct config *cfg,
                    struct demo **demo, struct collect_set **collectors);
/* Where the rules come from: cfg's rule_files and --rules, with cfg's
 * evaluation_interval; out borrows from both. */
void startup_rule_source(const struct cli *cli, const struct config *cfg,
                         struct ruleset_source *out);
/*
 * Loads the rules of startup_rule_source into rs (with st for the state
 * a reload would carry), saying on stderr why a file is bad and which
 * rule_files glob matches nothing. Returns 0, or 2 when a file is bad.
 */
int startup_rules(const struct cli *cli, const struct config *cfg,
                  struct ruleset *rs, struct store *st);
/* The -d dashboards as one (pages in order), or the built-in one; NULL
 * after printing the errors. */
struct dash *startup_dashboard(const struct cli *cli);
/*
 * The -d dashboards read again for a reload, with the screen open:
 * nothing is printed; NULL with the first error in *first (its source
 * the file).
 */
struct dash *startup_reload_dashboard(const struct cli *cli,
                                      struct diag *first);
/* What a dashboard NAME may leave out, in the order -d NAME tries them
 * ("" first: the name as given); NULL-ended, static. */
const char *const *startup_dashboard_suffixes(void);
/* Prints errors of a file, each with its source line and a caret. */
void startup_print_errors(const struct diag *d, size_t n, const char *path);
/* Prints a dashboard file's notes on stderr, grouped: a note that a
 * hundred panels share is one line with a count. */
void startup_print_notes(const char *path,
                         const struct grafana_notes *notes);

#endif
