/*
 * `promdeck serve`: collect in the background and answer the Prometheus
 * HTTP API. No terminal: scraping and the store run as in the TUI, the
 * API is served on a Unix socket (by default) or TCP (--listen), logs go
 * to stderr in logfmt. SIGHUP or POST /-/reload reloads the config;
 * SIGTERM or SIGINT stop it cleanly. It stays in the foreground, as
 * systemd expects.
 */
#ifndef SRC_CMD_SERVE_H
#define SRC_CMD_SERVE_H

#include "src/cli.h"
#include "src/loop.h"

/* Runs until SIGTERM or SIGINT; returns the exit status (0; 1 when it
 * could not listen or load; 2 for a bad web config). */
int cmd_serve_run(const struct cli *cli, struct loop *l);

#endif
