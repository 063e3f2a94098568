/*
 * `promdeck query`: evaluate one PromQL expression against data loaded
 * from files (--load) or scraped from the targets (--config, --demo), and
 * print it as promtool does (-o text) or exactly as Prometheus's HTTP API
 * answers (-o json), so the same jq filters work on both.
 */
#ifndef SRC_CMD_QUERY_H
#define SRC_CMD_QUERY_H

#include "src/cli.h"
#include "src/loop.h"

/*
 * Loads or collects the data, evaluates, prints; returns the exit status
 * (0, 1 when the query or the loading failed, 2 on a syntax error). A
 * query error goes to stderr with a caret; with -o json, stdout also gets
 * the error body Prometheus's API returns ("bad_data" for a syntax or
 * type error, "execution" for one while evaluating).
 */
int cmd_query_run(const struct cli *cli, struct loop *l);

#endif
