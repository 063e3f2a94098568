/*
 * promdeck test: runs promtool's rule unit tests with promtool's output and
 * exit status, so a CI job can run promdeck where it ran promtool.
 *
 * Ownership: nothing is kept; out and err are borrowed for the call.
 */
#ifndef SRC_CMD_TEST_H
#define SRC_CMD_TEST_H

#include <stdio.h>

/*
 * `promdeck test rules FILE...`: for each file prints "Unit Testing:  FILE"
 * then "  SUCCESS" on out, or "  FAILED:" and each error on err, each
 * error followed by an empty line on out; then an empty line. Returns 0
 * when every file passed, else 1 (2 when no file is given).
 */
int cmd_test_rules(const char *const *files, int n, FILE *out, FILE *err);

#endif
