/*
 * promdeck: a terminal dashboard for Prometheus metrics. main() parses the
 * command line, loads the targets (a prometheus.yml, the built-in demo or
 * this host's collectors), builds store, scrape pool, rules, dashboard and
 * screen, runs the loop and tears everything down in reverse order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scrape/pool.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"
#include "src/cli.h"
#include "src/cmd_check.h"
#include "src/cmd_test.h"
#include "src/cmd_dashboards.h"
#include "src/cmd_query.h"
#include "src/cmd_serve.h"
#include "src/config/config.h"
#include "src/loop.h"
#include "src/source.h"
#include "src/startup.h"
#include "store/store.h"
#include "ui/ui.h"

/* Where the explore prompt keeps its history: $XDG_STATE_HOME/promdeck,
 * else ~/.local/state/promdeck; NULL (none kept) without either. */
static char *
history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

    if (state != NULL && *state == '/')
        return xasprintf("%s/promdeck/history", state);
    if (home != NULL && *home == '/')
        return xasprintf("%s/.local/state/promdeck/history", home);
    return NULL;
}

/* Opens the screen, or says why not (no terminal, a bad theme). */
static struct ui *
open_screen(const struct cli *cli)
{
    struct ui_options o = { .ascii = cli->ascii, .theme = cli->theme,
                            .glyphs = (enum glyphs)cli->glyphs };
    const char *no_color = getenv("NO_COLOR");
    char *history = history_path();
    struct diag d;
    struct ui *ui;

    o.no_color = no_color != NULL && *no_color != '\0';
    o.explore_history = history;
    diag_clear(&d);
    if ((ui = ui_open(&o, &d)) == NULL) {
        if (d.line > 0)         /* a theme file: its line and column */
            diag_print(stderr, &d, NULL, 0);
        else
            fprintf(stderr, "promdeck: %s\n", d.msg);
    }
    free(history);
    return ui;
}

/* The dashboard, live on the screen or once to stdout. */
static int
run_dashboard(const struct cli *cli, struct loop *l)
{
    int rc = 2;

    if ((l->dash = startup_dashboard(cli)) == NULL)
        return 2;
    /* The TUI and --once read the store on the thread that scrapes. */
    store_set_shared(l->store, false);
    if (l->source != NULL)
        dash_set_remote(l->dash, l->source->client,
                        l->source->min_step_ms);
    if (cli->once || (l->ui = open_screen(cli)) != NULL)
        rc = loop_run(l);
    ui_close(l->ui);
    dash_free(l->dash);
    return rc;
}

/* The dashboard or the query, on the store or (--source, attach) on a
 * server; rules run only on the store (a server runs its own). */
static int
run(const struct cli *cli, struct config *cfg, struct loop *l)
{
    struct source source;
    int rc = 0;

    if (cli->source != NULL || cli->attach) {
        if ((rc = source_open(&source, cli, scrape_pool_fetch(l->pool))) != 0)
            return rc;
        l->source = &source;
    }
    if (cli->command == CLI_QUERY)
        rc = cmd_query_run(cli, l);
    else if (cli->command == CLI_SERVE)
        rc = cmd_serve_run(cli, l);
    else if (l->source != NULL
             || (rc = startup_rules(cli, cfg, l->rules, l->store)) == 0)
        rc = run_dashboard(cli, l);
    if (l->source != NULL)
        source_close(l->source);
    l->source = NULL;
    return rc;
}

int
main(int argc, char **argv)
{
    struct cli cli;
    struct config cfg;
    struct demo *demo = NULL;
    struct collect_set *collectors = NULL;
    struct loop l = { .cli = &cli };
    int rc;

    if ((rc = cli_parse(&cli, argc, argv)) >= 0)
        return rc;
    if (cli.command == CLI_CHECK_DASHBOARD)
        return cmd_check_dashboards(cli.files, cli.nfiles);
    if (cli.command == CLI_TEST_RULES)
        return cmd_test_rules(cli.files, cli.nfiles, stdout, stderr);
    if (cli.command == CLI_CHECK_RULES)
        return cmd_check_rules(cli.files, cli.nfiles, stdout, stderr);
    if (cli.command == CLI_CHECK_CONFIG)
        return cmd_check_config(cli.files[0], stdout, stderr);
    if (cli.command == CLI_LIST_DASHBOARDS)
        return cmd_list_dashboards(stdout);
    if (cli.log != NULL && log_open(cli.log) < 0)
        fprintf(stderr, "promdeck: cannot open log %s\n", cli.log);
    if ((rc = startup_targets(&cli, &cfg, &demo, &collectors)) != 0)
        goto out;
    loop_install_signals();
    xalloc_set_fatal_hook(ui_restore_terminal);
    l.cfg = &cfg;
    l.disc = config_discovery_new(&cfg);
    l.store = store_new(cli.retention_ms, 0);
    l.pool = scrape_pool_new(l.store);
    l.rules = ruleset_new();
    rc = run(&cli, &cfg, &l);
    ruleset_free(l.rules);
    scrape_pool_free(l.pool);
    store_free(l.store);
    discovery_free(l.disc);
out:
    demo_stop(demo);
    collect_set_free(collectors);
    config_fini(&cfg);
    log_close();
    return rc;
}
