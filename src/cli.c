/*
 * Command-line parsing with getopt_long. Every option has a long form;
 * the common ones a short one. Values are checked here (durations, times,
 * widths, target URLs), so the rest of the program gets a struct it can
 * trust.
 */
#include "src/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/version.h"
#include "src/config/config_url.h"
#include "ui/canvas.h"

static const char usage_text[] =
"usage: promdeck [options]               this host, by the built-in collector\n"
"       promdeck [options] HOST:PORT|URL...\n"
"       promdeck [options] --config FILE | --demo\n"
"       promdeck [options] --source URL\n"
"       promdeck attach [options] [unix:PATH | URL]\n"
"       promdeck query [options] EXPR\n"
"       promdeck serve [options] [--config FILE | --demo] [--load FILE]\n"
"                      [--collector.expose]\n"
"       promdeck check config FILE\n"
"       promdeck check dashboard FILE...\n"
"       promdeck check rules [--lint-fatal] FILE...\n"
"       promdeck test rules FILE...\n"
"       promdeck --list-dashboards\n"
"\n"
"A terminal dashboard for Prometheus metrics: scrapes /metrics endpoints,\n"
"keeps their samples in memory and draws golden-signals panels. With no\n"
"source it reads this host's kernel files itself, under node_exporter's\n"
"metric names (job \"node\").\n"
"\n"
"  HOST:PORT, URL         scrape these endpoints, e.g. localhost:9100 or\n"
"                         https://host/prom/metrics: one job per host\n"
"\n"
"Options:\n"
"  -c, --config FILE      scrape the targets of a prometheus.yml\n"
"  -d, --dashboard FILE   show a dashboard file (YAML or Grafana JSON), or\n"
"                         an installed one by NAME; repeatable\n"
"      --list-dashboards  list the dashboards -d NAME finds, and exit\n"
"      --set NAME=VALUE   a constant input of a Grafana export, as its\n"
"                         import step asks for; repeatable\n"
"      --demo             serve built-in demo targets and scrape them\n"
"      --source URL       evaluate on a Prometheus-compatible server (its\n"
"                         HTTP API) instead of scraping; unix:PATH for a\n"
"                         Unix socket\n"
"      --source-config FILE  how to reach it: basic_auth, authorization,\n"
"                         tls_config, proxy_url, headers, timeout\n"
"  -r, --rules FILE       evaluate a Prometheus rule file (recording and\n"
"                         alerting rules), beside a config's rule_files;\n"
"                         repeatable\n"
"      --scrape-interval DUR  how often HOST:PORT/URL targets, the demo\n"
"                         and this host are scraped (default 5s; 1s for\n"
"                         --once and query on this host)\n"
"      --once             collect, print the dashboard once, exit\n"
"  -o, --output FORMAT    --once and query output: text (default) or json\n"
"      --width N          --once text width (default $COLUMNS, else 100)\n"
"      --retention DUR    history to keep (default 1h)\n"
"      --range DUR        time range the graphs show (default: the\n"
"                         dashboard's, else 15m)\n"
"      --refresh DUR      redraw period (default 1s)\n"
"      --timeout DUR      --once: longest time to collect (default 60s)\n"
"      --query.max-samples N  samples one query may hold in memory at\n"
"                         once (default 50000000)\n"
"      --query.timeout DUR    longest one query may run (default 2m)\n"
"      --ascii            draw with ASCII characters only\n"
"      --glyphs KIND      graphs in braille (default), block or ascii\n"
"  -t, --theme NAME|FILE  colour theme\n"
"      --log FILE         write a debug log to FILE (-v: promdeck.log)\n"
"  -v                     same as --log promdeck.log\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"attach: the dashboard on a promdeck serve, by default on its socket\n"
"$XDG_RUNTIME_DIR/promdeck/promdeck.sock (--source and attach take the\n"
"same options but --config, --demo and targets).\n"
"\n"
"Query options (promdeck query):\n"
"      --load FILE        read exposition text into the store (repeatable)\n"
"      --time T           evaluate at T (Unix seconds or RFC 3339)\n"
"      --start T --end T --step DUR   evaluate as a range query\n"
"\n"
"Serve options (promdeck serve):\n"
"      --listen ADDR      unix:PATH or HOST:PORT to answer the Prometheus\n"
"                         HTTP API on (repeatable; default: the socket\n"
"                         $XDG_RUNTIME_DIR/promdeck/promdeck.sock)\n"
"      --web.config.file FILE  TLS and basic auth for TCP, in Prometheus's\n"
"                         web-config format\n"
"      --query.max-concurrency N  queries evaluated at once (default 20)\n"
"      --collector.expose  serve this host's built-in collectors as a\n"
"                         node_exporter and a cAdvisor would:\n"
"                         /metrics/node and /metrics/cadvisor\n"
"\n"
"Keys: q quit, Tab/1-9 switch views (pages, targets, alerts, rules),\n"
"? help, p pause.\n"
"Exit status: 0 success, 1 the job failed, 2 usage or configuration "
"error.\n";

enum {
    OPT_DEMO = 256, OPT_ONCE, OPT_WIDTH, OPT_RETENTION, OPT_RANGE,
    OPT_REFRESH, OPT_TIMEOUT, OPT_ASCII, OPT_LOG, OPT_LOAD, OPT_TIME,
    OPT_START, OPT_END, OPT_STEP, OPT_GLYPHS, OPT_SCRAPE_INTERVAL,
    OPT_LIST_DASHBOARDS, OPT_SET, OPT_QUERY_MAX_SAMPLES, OPT_QUERY_TIMEOUT,
    OPT_SOURCE, OPT_SOURCE_CONFIG, OPT_LISTEN, OPT_WEB_CONFIG,
    OPT_QUERY_MAX_CONCURRENCY, OPT_COLLECTOR_EXPOSE,
};

/* Command-line targets and the demo: short, so a first look fills up
 * quickly (Prometheus's own default is 1m). */
#define DEFAULT_SCRAPE_INTERVAL_MS 5000
/* The collectors under --once and query: they wait for two scrapes so
 * rates exist, and reading local files twice a second apart costs
 * nothing. */
#define ONCE_COLLECT_INTERVAL_MS 1000

static const struct option long_options[] = {
    { "config", required_argument, NULL, 'c' },
    { "dashboard", required_argument, NULL, 'd' },
    { "demo", no_argument, NULL, OPT_DEMO },
    { "rules", required_argument, NULL, 'r' },
    { "scrape-interval", required_argument, NULL, OPT_SCRAPE_INTERVAL },
    { "list-dashboards", no_argument, NULL, OPT_LIST_DASHBOARDS },
    { "set", required_argument, NULL, OPT_SET },
    { "source", required_argument, NULL, OPT_SOURCE },
    { "source-config", required_argument, NULL, OPT_SOURCE_CONFIG },
    { "once", no_argument, NULL, OPT_ONCE },
    { "output", required_argument, NULL, 'o' },
    { "width", required_argument, NULL, OPT_WIDTH },
    { "retention", required_argument, NULL, OPT_RETENTION },
    { "range", required_argument, NULL, OPT_RANGE },
    { "refresh", required_argument, NULL, OPT_REFRESH },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "ascii", no_argument, NULL, OPT_ASCII },
    { "glyphs", required_argument, NULL, OPT_GLYPHS },
    { "query.max-samples", required_argument, NULL, OPT_QUERY_MAX_SAMPLES },
    { "query.timeout", required_argument, NULL, OPT_QUERY_TIMEOUT },
    { "theme", required_argument, NULL, 't' },
    { "log", required_argument, NULL, OPT_LOG },
    { "load", required_argument, NULL, OPT_LOAD },
    { "time", required_argument, NULL, OPT_TIME },
    { "start", required_argument, NULL, OPT_START },
    { "end", required_argument, NULL, OPT_END },
    { "step", required_argument, NULL, OPT_STEP },
    { "listen", required_argument, NULL, OPT_LISTEN },
    { "web.config.file", required_argument, NULL, OPT_WEB_CONFIG },
    { "query.max-concurrency", required_argument, NULL,
      OPT_QUERY_MAX_CONCURRENCY },
    { "collector.expose", no_argument, NULL, OPT_COLLECTOR_EXPOSE },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* The last line of every usage error; returns its exit status. */
static int
try_help(void)
{
    fputs("Try 'promdeck --help'.\n", stderr);
    return 2;
}

static int
usage_error(const char *fmt, const char *arg)
{
    fputs("promdeck: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return try_help();
}

static void
set_defaults(struct cli *c)
{
    const char *cols = getenv("COLUMNS");
    char *end;
    long w = cols != NULL ? strtol(cols, &end, 10) : 0;

    memset(c, 0, sizeof(*c));
    c->width = (cols != NULL && *end == '\0' && w >= 20 && w <= 1000)
               ? (int)w : 100;
    c->retention_ms = 3600 * 1000;
    c->refresh_ms = 1000;
    c->timeout_ms = 60 * 1000;
    c->query_max_concurrency = 20;
    c->query_max_samples = QEVAL_MAX_SAMPLES;
    c->query_timeout_ms = QEVAL_TIMEOUT_MS;
}

/* A positive duration option; reports and returns -1 when bad. */
static int
duration_opt(const char *name, const char *arg, int64_t *ms)
{
    if (duration_parse(arg, strlen(arg), ms) < 0 || *ms <= 0) {
        fprintf(stderr, "promdeck: %s: bad duration '%s' (use e.g. 30s, "
                "5m, 1h)\n", name, arg);
        return -1;
    }
    return 0;
}

/* A --source or attach address: unix:PATH, or an http(s) URL; 0, or -1
 * after saying what is wrong. */
static int
check_source(const char *arg)
{
    if (strncmp(arg, "unix:", 5) == 0 && arg[5] != '\0')
        return 0;
    if (strncmp(arg, "http://", 7) == 0 || strncmp(arg, "https://", 8) == 0)
        return 0;
    usage_error("'%s' is no server address: give http(s)://HOST:PORT or "
                "unix:PATH", arg);
    return -1;
}

/* The options of promdeck serve; -1 to go on or an exit status. */
static int
serve_option(struct cli *c, int opt, const char *arg)
{
    char *end;
    long n;

    if (c->command != CLI_SERVE)
        return usage_error("%s is an option of promdeck serve",
                           opt == OPT_LISTEN ? "--listen"
                           : opt == OPT_WEB_CONFIG ? "--web.config.file"
                           : opt == OPT_COLLECTOR_EXPOSE
                           ? "--collector.expose"
                           : "--query.max-concurrency");
    if (opt == OPT_COLLECTOR_EXPOSE) {
        c->collector_expose = true;
    } else if (opt == OPT_WEB_CONFIG) {
        c->web_config = arg;
    } else if (opt == OPT_QUERY_MAX_CONCURRENCY) {
        n = strtol(arg, &end, 10);
        if (*end != '\0' || n < 1 || n > 1000)
            return usage_error("--query.max-concurrency wants 1 to 1000, "
                               "not '%s'", arg);
        c->query_max_concurrency = (int)n;
    } else if (c->nlisten == CLI_MAX_LISTEN) {
        return usage_error("%s", "too many --listen addresses");
    } else if (strncmp(arg, "unix:", 5) == 0 ? arg[5] == '\0'
               : strrchr(arg, ':') == NULL) {
        return usage_error("--listen wants unix:PATH or HOST:PORT, not "
                           "'%s'", arg);
    } else {
        c->listen[c->nlisten++] = arg;
    }
    return -1;
}

/* --query.max-samples N and --query.timeout DUR, each query's budget
 * (Prometheus's names); -1 to go on or an exit status. */
static int
query_option(struct cli *c, int opt, const char *arg)
{
    char *end;

    if (opt == OPT_QUERY_TIMEOUT)
        return duration_opt("--query.timeout", arg,
                            &c->query_timeout_ms) ? 2 : -1;
    errno = 0;
    c->query_max_samples = strtoll(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || c->query_max_samples < 1)
        return usage_error("--query.max-samples wants a positive number, "
                           "not '%s'", arg);
    return -1;
}

/* Handles one option; returns -1 to go on or an exit status. */
static int
handle_option(struct cli *c, int opt, const char *arg)
{
    char *end;
    long n;

    switch (opt) {
    case 'c': c->config = arg; break;
    case 'd':
        if (c->ndash == CLI_MAX_DASH)
            return usage_error("%s", "too many dashboard files");
        c->dash[c->ndash++] = arg;
        break;
    case OPT_SET:
        if (strchr(arg, '=') == NULL || arg[0] == '=')
            return usage_error("--set wants NAME=VALUE, not '%s'", arg);
        if (c->nset == CLI_MAX_DASH)
            return usage_error("%s", "too many --set values");
        c->set[c->nset++] = arg;
        break;
    case 'r':
        if (c->nrules == CLI_MAX_RULES)
            return usage_error("%s", "too many --rules files");
        c->rules[c->nrules++] = arg;
        break;
    case OPT_DEMO: c->demo = true; break;
    case OPT_SOURCE:
        if (check_source(arg) < 0)
            return 2;
        c->source = arg;
        break;
    case OPT_SOURCE_CONFIG: c->source_config = arg; break;
    case OPT_ONCE: c->once = true; break;
    case 'o':
        if (strcmp(arg, "text") == 0)
            c->output = CLI_TEXT;
        else if (strcmp(arg, "json") == 0)
            c->output = CLI_JSON;
        else
            return usage_error("unknown output format '%s' (text, json)",
                               arg);
        break;
    case OPT_WIDTH:
        n = strtol(arg, &end, 10);
        if (*end != '\0' || n < 20 || n > 1000)
            return usage_error("--width wants 20 to 1000, not '%s'", arg);
        c->width = (int)n;
        break;
    case OPT_RETENTION:
        return duration_opt("--retention", arg, &c->retention_ms) ? 2 : -1;
    case OPT_RANGE:
        return duration_opt("--range", arg, &c->range_ms) ? 2 : -1;
    case OPT_REFRESH:
        return duration_opt("--refresh", arg, &c->refresh_ms) ? 2 : -1;
    case OPT_TIMEOUT:
        return duration_opt("--timeout", arg, &c->timeout_ms) ? 2 : -1;
    case OPT_STEP:
        return duration_opt("--step", arg, &c->step_ms) ? 2 : -1;
    case OPT_SCRAPE_INTERVAL:
        return duration_opt("--scrape-interval", arg,
                            &c->scrape_interval_ms) ? 2 : -1;
    case OPT_LIST_DASHBOARDS:
        if (c->command != CLI_DASHBOARD)
            return usage_error("%s", "--list-dashboards is an option of "
                               "its own, not of a command");
        c->command = CLI_LIST_DASHBOARDS;
        break;
    case OPT_QUERY_MAX_SAMPLES:
    case OPT_QUERY_TIMEOUT:
        return query_option(c, opt, arg);
    case OPT_ASCII:
        c->ascii = true;
        c->glyphs = GLYPHS_ASCII;
        break;
    case OPT_GLYPHS:
        if (strcmp(arg, "braille") == 0)
            c->glyphs = GLYPHS_BRAILLE;
        else if (strcmp(arg, "block") == 0)
            c->glyphs = GLYPHS_BLOCK;
        else if (strcmp(arg, "ascii") == 0)
            c->glyphs = GLYPHS_ASCII;
        else
            return usage_error("unknown glyphs '%s' (braille, block, "
                               "ascii)", arg);
        c->ascii = c->glyphs == GLYPHS_ASCII;
        break;
    case 't': c->theme = arg; break;
    case OPT_LOG: c->log = arg; break;
    case 'v': c->log = "promdeck.log"; break;
    case OPT_LOAD:
        if (c->nload == CLI_MAX_LOAD)
            return usage_error("%s", "too many --load files");
        c->load[c->nload++] = arg;
        break;
    case OPT_TIME:
        if (time_parse(arg, &c->time_ms) < 0)
            return usage_error("bad time '%s' (Unix seconds or RFC 3339)",
                               arg);
        c->has_time = true;
        break;
    case OPT_START:
    case OPT_END:
        if (time_parse(arg, opt == OPT_START ? &c->start_ms
                                                 : &c->end_ms) < 0)
            return usage_error("bad time '%s' (Unix seconds or RFC 3339)",
                               arg);
        c->has_range = true;
        break;
    case OPT_LISTEN:
    case OPT_WEB_CONFIG:
    case OPT_QUERY_MAX_CONCURRENCY:
    case OPT_COLLECTOR_EXPOSE:
        return serve_option(c, opt, arg);
    case 'h': fputs(usage_text, stdout); return 0;
    case 'V': printf("promdeck %s\n", PROMDECK_VERSION); return 0;
    default: return usage_error("%s", "unknown option");
    }
    return -1;
}

/* promdeck query: one expression and one data source. */
static int
check_query(struct cli *c, int argc, char **argv)
{
    if (optind != argc - 1)
        return usage_error("%s", "query wants exactly one expression");
    c->expr = argv[optind];
    if (c->has_range && (c->start_ms == 0 || c->end_ms == 0
                         || c->step_ms == 0))
        return usage_error("%s", "a range query needs --start, --end "
                           "and --step");
    if (c->has_range && c->end_ms < c->start_ms)
        return usage_error("%s", "--end is before --start");
    if ((c->nload > 0) + (c->config != NULL) + c->demo
        + (c->source != NULL) > 1)
        return usage_error("%s", "query wants one data source: "
                           "--load FILE..., --config FILE, --demo, "
                           "--source URL, or none for this host");
    if (c->nrules > 0)
        return usage_error("%s", "--rules is for the dashboard; query "
                           "does not evaluate rules");
    c->collector = c->nload == 0 && c->config == NULL && !c->demo
                   && c->source == NULL;
    return -1;
}

/* promdeck serve: what to collect (any of --config or --demo, and
 * --load files), nothing else on the line. */
static int
check_serve(struct cli *c, int argc, char **argv)
{
    if (optind < argc)
        return usage_error("unexpected argument '%s' (serve scrapes the "
                           "targets of --config or --demo)", argv[optind]);
    if (c->config != NULL && c->demo)
        return usage_error("%s", "--config and --demo exclude each other");
    if (c->config == NULL && !c->demo && c->nload == 0
        && !c->collector_expose)
        return usage_error("%s", "serve wants data: --config FILE, --demo, "
                           "--load FILE... or --collector.expose");
    /* With nothing else to scrape, serve keeps this host's history too,
     * as promdeck with no arguments does. */
    c->collector = c->collector_expose && c->config == NULL && !c->demo
                   && c->nload == 0;
    return -1;
}

/*
 * One HOST:PORT or URL argument, parsed as the start-up will parse it. A
 * word without a ':' is no target: most likely a mistyped command or a
 * config file given without --config, and the message says so.
 */
static int
check_target(const char *arg)
{
    struct config_url u;
    struct diag d;
    const char *dot = strrchr(arg, '.');
    char *shown;

    if (config_url_parse(arg, &u, &d) == 0) {
        config_url_fini(&u);
        return -1;
    }
    if (strchr(arg, ':') == NULL) {
        fprintf(stderr, "promdeck: '%s' is not a command (query, check) "
                "nor a target (HOST:PORT or a URL)\n", arg);
        if (dot != NULL && (strcmp(dot, ".yml") == 0
                            || strcmp(dot, ".yaml") == 0))
            fprintf(stderr, "  hint: to scrape the targets of a "
                    "prometheus.yml: promdeck --config %s\n", arg);
        return try_help();
    }
    shown = config_url_shown(arg);
    fprintf(stderr, "promdeck: %s: %s\n", shown, d.msg);
    if (d.hint[0] != '\0')
        fprintf(stderr, "  hint: %s\n", d.hint);
    free(shown);
    return try_help();
}

/*
 * The dashboard: at most one source of targets, the command-line ones,
 * --config or --demo; none means this host's built-in collectors. Targets mixed with --config are refused rather than
 * added as a job: a reload re-reads the file alone, and the job names of
 * the two could clash.
 */
static int
check_dashboard(struct cli *c, int argc, char **argv)
{
    if (c->attach && optind < argc) {
        if (optind + 1 < argc || c->source != NULL)
            return usage_error("%s", "attach wants one server: unix:PATH "
                               "or a URL");
        if (check_source(argv[optind]) < 0)
            return 2;
        c->source = argv[optind++];
    }
    if (c->source != NULL || c->attach) {
        if (optind < argc || c->config != NULL || c->demo)
            return usage_error("%s", "a server (--source, attach) "
                               "excludes --config, --demo and targets");
        if (c->nrules > 0)
            return usage_error("%s", "--rules runs rules on promdeck's "
                               "own data; a server (--source, attach) "
                               "runs its own");
        return -1;
    }
    if (c->source_config != NULL)
        return usage_error("%s", "--source-config goes with --source or "
                           "attach");
    c->targets = (const char **)argv + optind;
    c->ntargets = argc - optind;
    for (int i = 0; i < c->ntargets; i++)
        if (check_target(c->targets[i]) >= 0)
            return 2;
    if (c->ntargets > 0 && (c->config != NULL || c->demo))
        return usage_error("%s", "targets on the command line exclude "
                           "--config and --demo (add them to a job of "
                           "the config file)");
    if (c->config != NULL && c->demo)
        return usage_error("%s", "--config and --demo exclude each other");
    c->collector = c->config == NULL && !c->demo && c->ntargets == 0;
    return -1;
}

/* Cross-option checks once everything is read. */
static int
check_combination(struct cli *c, int argc, char **argv)
{
    if (c->config != NULL && c->scrape_interval_ms != 0)
        return usage_error("%s", "--scrape-interval is for command-line "
                           "targets and --demo; a prometheus.yml sets its "
                           "own scrape_interval");
    if (c->command == CLI_QUERY)
        return check_query(c, argc, argv);
    if (c->command == CLI_SERVE)
        return check_serve(c, argc, argv);
    if (c->command == CLI_CHECK_CONFIG || c->command == CLI_CHECK_DASHBOARD) {
        c->files = (const char **)argv + optind;
        c->nfiles = argc - optind;
        if (c->nfiles < 1 || (c->command == CLI_CHECK_CONFIG
                              && c->nfiles != 1))
            return usage_error("%s", "check wants: config FILE, or "
                               "dashboard FILE...");
        return -1;
    }
    if (c->command == CLI_LIST_DASHBOARDS) {
        if (optind < argc)
            return usage_error("unexpected argument '%s'", argv[optind]);
        return -1;
    }
    return check_dashboard(c, argc, argv);
}

/*
 * A first word "query" or "check" names a command: *skip gets how many
 * words it takes. Returns -1, or 2 after a usage error.
 */
static int
parse_command(struct cli *c, int argc, char **argv, int *skip)
{
    *skip = 0;
    if (argc > 1 && strcmp(argv[1], "attach") == 0) {
        c->attach = true;
        *skip = 1;
    } else if (argc > 1 && strcmp(argv[1], "query") == 0) {
        c->command = CLI_QUERY;
        *skip = 1;
    } else if (argc > 1 && strcmp(argv[1], "serve") == 0) {
        c->command = CLI_SERVE;
        *skip = 1;
    } else if (argc > 1 && strcmp(argv[1], "test") == 0) {
        if (argc == 2 || strcmp(argv[2], "rules") != 0)
            return usage_error("%s", "test wants: rules FILE...");
        c->command = CLI_TEST_RULES;
        *skip = 2;
    } else if (argc > 1 && strcmp(argv[1], "check") == 0) {
        if (argc == 2)
            return usage_error("%s", "check wants: config FILE, or "
                               "dashboard FILE...");
        if (strcmp(argv[2], "config") == 0)
            c->command = CLI_CHECK_CONFIG;
        else if (strcmp(argv[2], "dashboard") == 0)
            c->command = CLI_CHECK_DASHBOARD;
        else if (strcmp(argv[2], "rules") == 0)
            c->command = CLI_CHECK_RULES;
        else
            return usage_error("unknown check '%s' (config, dashboard, rules)",
                               argv[2]);
        *skip = 2;
    }
    return -1;
}

int
cli_parse(struct cli *c, int argc, char **argv)
{
    int opt, rc, skip;

    set_defaults(c);
    if ((rc = parse_command(c, argc, argv, &skip)) >= 0)
        return rc;
    if (c->command == CLI_CHECK_RULES || c->command == CLI_TEST_RULES) {
        /* promtool's own options; cmd_check_rules reads them. */
        c->files = (const char **)argv + 3;
        c->nfiles = argc - 3;
        return -1;
    }
    argv += skip;
    argc -= skip;
    /* optind 0 makes glibc start afresh (the tests parse many times).
     * The dashboard's targets may come before options, so its words are
     * permuted; a command's stop at the first word (an expression may
     * start with '-'). */
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, c->command == CLI_DASHBOARD
                              ? "c:d:o:r:t:vhV" : "+c:d:o:r:t:vhV",
                              long_options, NULL)) != -1) {
        if (opt == '?' || opt == ':')
            return usage_error("unknown or incomplete option '%s'",
                               argv[optind - 1]);
        rc = handle_option(c, opt, optarg);
        if (rc >= 0)
            return rc;
    }
    rc = check_combination(c, argc, argv);
    if (c->scrape_interval_ms == 0)
        c->scrape_interval_ms = c->collector && (c->once
                                                 || c->command == CLI_QUERY)
                                ? ONCE_COLLECT_INTERVAL_MS
                                : DEFAULT_SCRAPE_INTERVAL_MS;
    return rc;
}
