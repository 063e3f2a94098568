/*
 * `promdeck check config FILE`, promdeck's `promtool check config`: loads
 * a prometheus.yml the way a run would and reports the verdict. It does
 * not contact targets or read the rule files the config names.
 *
 * Ownership: nothing is kept; out and err are borrowed for the call.
 */
#ifndef SRC_CONFIG_CHECK_H
#define SRC_CONFIG_CHECK_H

#include <stdio.h>

/*
 * Checks the config at path. On success prints "FILE: OK (N jobs, M
 * targets)" to out (M counts static targets after de-duplication; targets
 * from service discovery are not known before it runs) and returns 0.
 * Otherwise prints every error to err as "file:line:col: error: msg" with
 * the source line and a caret, and returns 2. Warnings (keys Prometheus
 * knows and promdeck ignores) go to err either way and do not fail it.
 */
int config_check_main(const char *path, FILE *out, FILE *err);

#endif
