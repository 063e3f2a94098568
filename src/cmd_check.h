/*
 * promdeck check: validates files without scraping or drawing anything,
 * the way promtool check does, for editors and CI pipelines.
 *
 * Ownership: nothing is kept; out and err are borrowed for the call.
 */
#ifndef SRC_CMD_CHECK_H
#define SRC_CMD_CHECK_H

#include <stdio.h>

/*
 * `promdeck check config FILE`: loads a prometheus.yml the way a run would
 * (without contacting targets or reading the rule files it names). On
 * success prints "FILE: OK (N jobs, M targets)" to out (M counts static
 * targets after de-duplication; targets from service discovery are not
 * known before it runs) and returns 0. Otherwise prints every error to err
 * as "file:line:col: error: msg" with the source line and a caret, and
 * returns 2. Warnings (keys Prometheus knows and promdeck ignores) go to
 * err either way and do not fail it.
 */
int cmd_check_config(const char *path, FILE *out, FILE *err);

/*
 * `promdeck check dashboard FILE...`: loads each dashboard file (YAML or
 * Grafana JSON) and parses every panel and variable query as a run would
 * expand it. Prints "FILE: OK (...)" on stdout, or on stderr each broken
 * query as FILE: panel "TITLE": error; query: EXPANDED and "FILE: FAILED
 * (...)"; notes (what is approximated) go to stderr, grouped. Exit status
 * 0 when every file is good, 1 when one loads but has broken queries, 2
 * when one does not load.
 */
int cmd_check_dashboards(const char *const *files, int n);

/*
 * `promdeck check rules [--lint=none|duplicate-rules] [--lint-fatal]
 * FILE...`: loads each rule file and prints what promtool check rules
 * 2.42 prints ("Checking FILE", then "  SUCCESS: N rules found" on out,
 * or "  FAILED:" and the errors on err, then an empty line). Returns 1
 * if a file has errors, 3 if only lint findings and --lint-fatal, else
 * 0 (2 on a usage error). args are the words after "check rules".
 */
int cmd_check_rules(const char *const *args, int n, FILE *out, FILE *err);

#endif
