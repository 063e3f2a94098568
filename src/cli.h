/*
 * The command line: targets and options for the dashboard (live or
 * --once) and the subcommands. Parsing only fills a struct; it opens no
 * file and starts nothing. Usage errors are printed here, on stderr,
 * since src/ prints.
 */
#ifndef SRC_CLI_H
#define SRC_CLI_H

#include <stdbool.h>
#include <stdint.h>

#define CLI_MAX_LOAD 32
#define CLI_MAX_DASH 16
#define CLI_MAX_LISTEN 8
#define CLI_MAX_RULES 32

enum cli_command {
    CLI_DASHBOARD,          /* promdeck [options], promdeck attach */
    CLI_QUERY,              /* promdeck query ... EXPR */
    CLI_SERVE,              /* promdeck serve [options] */
    CLI_CHECK_CONFIG,       /* promdeck check config FILE */
    CLI_CHECK_DASHBOARD,    /* promdeck check dashboard FILE... */
    CLI_CHECK_RULES,        /* promdeck check rules [opts] FILE... */
    CLI_TEST_RULES,         /* promdeck test rules FILE... */
    CLI_LIST_DASHBOARDS,    /* promdeck --list-dashboards */
};
enum cli_output { CLI_TEXT, CLI_JSON };

struct cli {
    enum cli_command command;
    const char *config;         /* --config FILE, or NULL */
    const char **targets;       /* HOST:PORT or URL arguments, argv-owned */
    int ntargets;
    int64_t scrape_interval_ms; /* --scrape-interval: command-line targets,
                                 * the demo and the collectors; default 5s
                                 * (1s for the collectors' --once and
                                 * query, which wait for two scrapes) */
    const char *dash[CLI_MAX_DASH];     /* -d FILE..., argv-owned */
    int ndash;
    /* --set NAME=VALUE...: constant inputs of Grafana exports */
    const char *set[CLI_MAX_DASH];      /* argv-owned */
    int nset;
    /* --rules FILE...: rule files evaluated beside rule_files */
    const char *rules[CLI_MAX_RULES];   /* argv-owned */
    int nrules;
    const char **files;         /* promdeck check: the files to check */
    int nfiles;
    bool demo;                  /* --demo */
    const char *source;         /* --source or attach's URL|unix:PATH */
    const char *source_config;  /* --source-config FILE, or NULL */
    bool attach;                /* promdeck attach (source NULL: the
                                 * default socket) */
    bool collector;             /* no source given: this host's built-in
                                 * collectors (src/collect/) */
    bool once;                  /* --once */
    enum cli_output output;     /* -o text|json */
    int width;                  /* --width, else $COLUMNS, else 100 */
    int64_t retention_ms;       /* --retention, default 1h */
    int64_t range_ms;           /* --range: graph window; 0: dashboard's */
    int64_t refresh_ms;         /* --refresh: redraw period, default 1s */
    int64_t timeout_ms;         /* --timeout: --once collection bound */
    bool ascii;                 /* --ascii */
    int glyphs;                 /* --glyphs: enum glyphs (ui/canvas.h) */
    const char *theme;          /* --theme NAME|FILE, or NULL */
    const char *log;            /* --log FILE (-v: promdeck.log), or NULL */
    /* promdeck serve */
    const char *listen[CLI_MAX_LISTEN];    /* --listen ADDR..., argv-owned */
    int nlisten;
    const char *web_config;     /* --web.config.file FILE, or NULL */
    int query_max_concurrency;  /* --query.max-concurrency, default 20 */
    bool collector_expose;      /* --collector.expose: /metrics/node and
                                 * /metrics/cadvisor */
    /* The budget of each query (dashboard and promdeck query), under
     * Prometheus's names: --query.max-samples, --query.timeout. */
    int64_t query_max_samples;
    int64_t query_timeout_ms;
    /* promdeck query */
    const char *expr;
    const char *load[CLI_MAX_LOAD];     /* --load FILE..., argv-owned */
    int nload;
    bool has_time, has_range;
    int64_t time_ms, start_ms, end_ms, step_ms;
};

/*
 * Fills c from argv. A first word "query" or "check" is a command; else
 * the words that are not options are targets (HOST:PORT or a URL, checked
 * here as config_url_parse does), and options may come before or after
 * them. Returns -1 when the program should go on, or the exit status to
 * end with: 0 after --help or --version, 2 on a usage error (already
 * reported on stderr). c borrows argv, which getopt may reorder.
 */
int cli_parse(struct cli *c, int argc, char **argv);

#endif
