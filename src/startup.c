/*
 * Start-up: targets (command-line URLs, a config, the demo or this
 * host's built-in collectors) and dashboards, with every problem reported
 * on stderr as file:line:col before the screen opens. A -d argument that
 * is not a file is looked up by name among the installed and the user's
 * dashboards; this file does not parse any of them.
 */
#include "src/startup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/base/datadir.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/config/config_url.h"
#include "src/dash/dashfile.h"
#include "src/dash/dashmodel.h"
#include "src/dash/dashnotes.h"
#include "src/dash/grafana.h"

#define MAXERRS 20
#define DEFAULT_RANGE_MS (15 * 60 * 1000)
/* The dashboard this host is shown with when no -d is given. */
#define HOST_DASHBOARD "node-exporter"

void
startup_print_errors(const struct diag *d, size_t n, const char *path)
{
    struct buf text;

    /* The text only quotes lines; without it errors still print. */
    buf_read_file(&text, path, 16u << 20, NULL);
    for (size_t i = 0; i < n; i++)
        diag_print(stderr, &d[i], text.len > 0 ? text.data : NULL, text.len);
    buf_fini(&text);
}

/* The HOST:PORT and URL arguments as jobs, one per host. cli_parse
 * checked them already; a failure here would still be reported. */
static int
url_targets(const struct cli *cli, struct config *cfg)
{
    struct diag d;

    if (config_add_url_targets(cfg, cli->targets, (size_t)cli->ntargets,
                               cli->scrape_interval_ms, &d) == 0)
        return 0;
    fprintf(stderr, "promdeck: %s\n", d.msg);
    return 2;
}

/* The built-in demo: its servers start here, its targets become jobs. */
static int
demo_targets_start(const struct cli *cli, struct config *cfg,
                   struct demo **demo)
{
    const struct demo_target *dt;
    struct diag err;
    size_t n;

    if ((*demo = demo_start(&err)) == NULL) {
        fprintf(stderr, "promdeck: demo: %s\n", err.msg);
        return 1;
    }
    n = demo_targets(*demo, &dt);
    for (size_t i = 0; i < n; i++)
        config_add_static_job(cfg, dt[i].job, dt[i].metrics_path,
                              cli->scrape_interval_ms, &dt[i].address,
                              1);
    return 0;
}

/*
 * One job per built-in collector, scraped like any target of a plain
 * static job: its single target is this host, with instance set to the
 * host name rather than the host:80 relabelling would make of it.
 */
static void
add_collector_job(const struct cli *cli, struct config *cfg,
                  const char *job, const struct scrape_builtin *b,
                  const char *host)
{
    struct config_job *j = config_add_job(cfg, job, cli->scrape_interval_ms);

    j->builtin = b;
    j->statics = xcalloc(2, sizeof(*j->statics));
    j->nstatics = 1;
    j->statics[0].targets = xcalloc(2, sizeof(char *));
    j->statics[0].targets[0] = xstrdup(host);
    j->statics[0].ntargets = 1;
    labels_put(&j->statics[0].labels, "instance", host);
}

/* This host's collectors; one that cannot run here says why and the
 * others go on. */
static int
collector_targets(const struct cli *cli, struct config *cfg,
                  struct collect_set **collectors)
{
    struct collect_set *set = collect_set_open("");
    char host[256];
    size_t ok = 0;

    *collectors = set;
    collect_hostname("", host, sizeof(host));
    for (size_t i = 0; i < collect_set_count(set); i++) {
        const struct scrape_builtin *b = collect_set_builtin(set, i);

        if (b == NULL) {
            fprintf(stderr, "promdeck: %s collector: %s\n",
                    collect_set_job(set, i), collect_set_error(set, i));
            continue;
        }
        add_collector_job(cli, cfg, collect_set_job(set, i), b, host);
        ok++;
    }
    return ok > 0 ? 0 : 1;
}

int
startup_targets(const struct cli *cli, struct config *cfg,
                struct demo **demo, struct collect_set **collectors)
{
    struct diag errs[MAXERRS], warns[MAXERRS];
    size_t nerr = 0, nwarn = 0;
    int rc;

    config_init(cfg);
    if (cli->ntargets > 0)
        return url_targets(cli, cfg);
    if (cli->demo)
        return demo_targets_start(cli, cfg, demo);
    if (cli->collector)
        return collector_targets(cli, cfg, collectors);
    if (cli->config == NULL)
        return 0;       /* promdeck query --load FILE */
    rc = config_load(cfg, cli->config, errs, MAXERRS, &nerr, warns, MAXERRS,
                     &nwarn);
    for (size_t i = 0; i < nwarn; i++)
        config_print_warning(stderr, &warns[i]);
    startup_print_errors(errs, nerr, cli->config);
    return rc < 0 ? 2 : 0;
}

void
startup_rule_source(const struct cli *cli, const struct config *cfg,
                    struct ruleset_source *out)
{
    out->globs = (const char *const *)cfg->rule_files;
    out->nglobs = cfg->nrule_files;
    out->files = cli->rules;
    out->nfiles = (size_t)cli->nrules;
    out->interval_ms = cfg->evaluation_interval_ms;
}

int
startup_rules(const struct cli *cli, const struct config *cfg,
              struct ruleset *rs, struct store *st)
{
    struct ruleset_source src;
    struct buf errors, notes;
    int rc;

    startup_rule_source(cli, cfg, &src);
    if (src.nglobs == 0 && src.nfiles == 0)
        return 0;
    buf_init(&errors, 0);
    buf_init(&notes, 0);
    rc = ruleset_load(rs, &src, st, time_now_ms(), &errors, &notes);
    for (const char *line = buf_str(&notes), *nl; *line != '\0';
         line = nl + 1) {
        nl = strchr(line, '\n');
        fprintf(stderr, "promdeck: note: %.*s\n", (int)(nl - line), line);
    }
    if (rc < 0)
        fprintf(stderr, "promdeck: the rules do not load:\n%s",
                buf_str(&errors));
    buf_fini(&errors);
    buf_fini(&notes);
    return rc < 0 ? 2 : 0;
}

/* What a dashboard name may leave out, tried in this order. */
static const char *const dash_suffixes[] = {
    "", ".yaml", ".yml", ".json", NULL,
};

/*
 * The file -d arg stands for: arg itself when it exists or has a '/' in
 * it (a path, even a wrong one, is never looked up); else NAME, NAME.yaml,
 * NAME.yml or NAME.json in the first dashboard directory that has one.
 * NULL when there is none; else a malloc'd path.
 */
static char *
find_dashboard(const char *arg)
{
    if (strchr(arg, '/') != NULL || access(arg, F_OK) == 0)
        return xstrdup(arg);
    return datadir_find("dashboards", arg, dash_suffixes);
}

/* Says on stderr that name is no dashboard, and every place it looked. */
static void
print_not_found(const char *name)
{
    char *dirs[8];
    size_t n = datadir_search_dirs("dashboards", dirs, 8);

    fprintf(stderr, "promdeck: dashboard '%s': no such file, and no ",
            name);
    for (size_t i = 0; dash_suffixes[i] != NULL; i++)
        fprintf(stderr, "%s%s%s", i == 0 ? "" : dash_suffixes[i + 1] == NULL
                ? " or " : ", ", name, dash_suffixes[i]);
    fprintf(stderr, " in:\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "  %s\n", dirs[i]);
        free(dirs[i]);
    }
}

void
startup_print_notes(const char *path, const struct grafana_notes *notes)
{
    struct grafana_notes grouped = { NULL, 0 };

    dashnotes_group(notes, &grouped);
    for (size_t i = 0; i < grouped.n; i++)
        fprintf(stderr, "%s: note: %s\n", path, grouped.v[i]);
    grafana_notes_fini(&grouped);
}

/* Says how many queries do not parse, before the screen hides it: each
 * panel shows its own error, and check lists them all. */
static void
print_broken(struct dash *d, const struct cli *cli)
{
    const struct dashboard *m = dash_model(d);
    size_t bad = 0;

    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++)
            for (size_t i = 0; i < m->pages[pg].rows[r].npanels; i++) {
                const struct panel *p = &m->pages[pg].rows[r].panels[i];

                for (size_t q = 0; q < p->nqueries; q++)
                    bad += p->queries[q].error != NULL;
            }
    if (bad > 0)
        fprintf(stderr, "promdeck: %zu quer%s do%s not parse; each panel "
                "shows its error, and promdeck check dashboard %s lists "
                "them\n", bad, bad == 1 ? "y" : "ies", bad == 1 ? "es" : "",
                cli->ndash == 1 ? cli->dash[0] : "FILE...");
}

/*
 * Loads the dashboard -d arg names into m. With report its notes and
 * errors go to stderr; without, the first error is left in *first, its
 * source arg (which outlives it). -1 on errors.
 */
static int
load_one(const struct cli *cli, const char *arg, struct dashboard *m,
         bool report, struct diag *first)
{
    struct diag errs[MAXERRS];
    struct grafana_notes notes = { NULL, 0 };
    size_t nerr = 0;
    char *path = find_dashboard(arg);
    int rc = -1;

    if (path != NULL)
        rc = dashfile_open_with(path, cli->set, (size_t)cli->nset, m, errs,
                                MAXERRS, &nerr, &notes);
    if (report)
        startup_print_notes(path, &notes);
    grafana_notes_fini(&notes);
    if (rc < 0 && report && path == NULL) {
        print_not_found(arg);
    } else if (rc < 0 && report) {
        startup_print_errors(errs, nerr, path);
    } else if (rc < 0) {
        if (nerr > 0)
            *first = errs[0];
        else if (path == NULL)
            diag_set(first, 0, 0, 0, "no such file, and no installed "
                     "dashboard of that name");
        else
            diag_set(first, 0, 0, 0, "cannot load the dashboard");
        first->source = arg;
    }
    free(path);
    return rc < 0 ? -1 : 0;
}

/* The -d files as one dashboard, pages in order; NULL on an error. */
static struct dash *
load_dashboards(const struct cli *cli, bool report, struct diag *first)
{
    struct dashboard all, one;
    struct dash *d;

    for (int i = 0; i < cli->ndash; i++) {
        if (load_one(cli, cli->dash[i], i == 0 ? &all : &one, report,
                     first) < 0) {
            if (i > 0)
                dashmodel_fini(&all);
            return NULL;
        }
        if (i > 0)
            dashmodel_append(&all, &one);
    }
    d = dash_adopt(&all);
    if (cli->range_ms != 0)
        dash_set_range(d, cli->range_ms);
    if (report)
        print_broken(d, cli);
    return d;
}

/*
 * This host with no -d: the shipped node_exporter dashboard, which the
 * node collector's series fill as they would a node_exporter's. Where it
 * is not installed, the built-in dashboard, and a note saying so.
 */
static struct dash *
host_dashboard(const struct cli *cli)
{
    char *path = datadir_find("dashboards", HOST_DASHBOARD, dash_suffixes);
    struct dashboard m;
    struct dash *d;
    int rc;

    if (path == NULL) {
        fprintf(stderr, "promdeck: note: no %s dashboard installed; this "
                "host's series are in the built-in one and the explore "
                "view\n", HOST_DASHBOARD);
        return dash_new_builtin(cli->range_ms ? cli->range_ms
                                              : DEFAULT_RANGE_MS);
    }
    rc = load_one(cli, path, &m, true, NULL);
    free(path);
    if (rc < 0)
        return NULL;
    d = dash_adopt(&m);
    if (cli->range_ms != 0)
        dash_set_range(d, cli->range_ms);
    return d;
}

struct dash *
startup_dashboard(const struct cli *cli)
{
    if (cli->ndash == 0 && cli->collector)
        return host_dashboard(cli);
    if (cli->ndash == 0)
        return dash_new_builtin(cli->range_ms ? cli->range_ms
                                              : DEFAULT_RANGE_MS);
    return load_dashboards(cli, true, NULL);
}

struct dash *
startup_reload_dashboard(const struct cli *cli, struct diag *first)
{
    diag_clear(first);
    return load_dashboards(cli, false, first);
}

const char *const *
startup_dashboard_suffixes(void)
{
    return dash_suffixes;
}
