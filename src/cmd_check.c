/*
 * promdeck check: validates files without scraping or drawing anything,
 * the way promtool check does, for editors and CI pipelines. A dashboard
 * passes when it loads with no error and every query, panels' and
 * variables', parses once its variables are expanded as a run would
 * expand them (Grafana notes, what will not be shown as Grafana shows it,
 * are printed grouped but do not fail it). A config passes when it loads
 * as a run would load it; the wording is promdeck's own ("FILE: OK (2
 * jobs, 5 targets)") rather than promtool's, so scripts can read the
 * counts.
 */
#include "src/cmd_check.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/base/xalloc.h"
#include "src/config/config.h"
#include "src/config/config_targets.h"
#include "src/dash/dash.h"
#include "src/dash/dashfile.h"
#include "src/dash/grafana.h"
#include "src/rules/rulefile.h"
#include "src/startup.h"

/* As many errors as the loader keeps, the house-wide cap. */
#define MAX_ERRS 20
#define MAX_WARNS 64
/* The file is read again only to quote lines; a bigger one is not. */
#define MAX_QUOTED ((size_t)16 << 20)

/* Prints the errors; the count says whether the cap hid some. */
static void
print_errors(FILE *err, const struct diag *errs, size_t n, bool capped,
             const struct buf *text)
{
    for (size_t i = 0; i < n; i++)
        diag_print(err, &errs[i], text->len > 0 ? text->data : NULL,
                   text->len);
    if (capped)
        fprintf(err, "(only the first %d errors are shown)\n", MAX_ERRS);
}

int
cmd_check_config(const char *path, FILE *out, FILE *err)
{
    struct config cfg;
    struct diag *errs = xcalloc(MAX_ERRS, sizeof(*errs));
    struct diag *warns = xcalloc(MAX_WARNS, sizeof(*warns));
    struct scrape_target_def *defs;
    size_t nerrs = 0, nwarns = 0, ntargets;
    struct buf text;
    int rc;

    rc = config_load(&cfg, path, errs, MAX_ERRS, &nerrs, warns, MAX_WARNS,
                     &nwarns);
    for (size_t i = 0; i < nwarns; i++)
        config_print_warning(err, &warns[i]);
    if (rc != 0) {
        /* The text only quotes lines; without it errors still print. */
        buf_read_file(&text, path, MAX_QUOTED, NULL);
        print_errors(err, errs, nerrs, nerrs == MAX_ERRS, &text);
        buf_fini(&text);
    } else {
        ntargets = config_targets(&cfg, &defs);
        fprintf(out, "%s: OK (%zu job%s, %zu target%s)\n", path, cfg.njobs,
                cfg.njobs == 1 ? "" : "s", ntargets,
                ntargets == 1 ? "" : "s");
        config_target_defs_free(defs, ntargets);
    }
    config_fini(&cfg);
    free(errs);
    free(warns);
    return rc != 0 ? 2 : 0;
}


/* Counts what a loaded dashboard holds, for the OK line. */
static void
count_model(const struct dashboard *m, struct dashfile_counts *c)
{
    memset(c, 0, sizeof(*c));
    c->pages = m->npages;
    c->variables = m->nvariables;
    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++) {
            const struct row *row = &m->pages[pg].rows[r];

            c->rows++;
            c->panels += row->npanels;
            for (size_t i = 0; i < row->npanels; i++)
                c->queries += row->panels[i].nqueries;
        }
}

/*
 * Prints every panel query and variable query of d that does not parse,
 * as it would run (variables at their saved values), each with the query
 * as expanded; returns how many.
 */
static size_t
print_bad_queries(const char *path, struct dash *d)
{
    const struct dashboard *m = dash_model(d);
    size_t bad = 0;

    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++) {
            const struct row *row = &m->pages[pg].rows[r];

            for (size_t i = 0; i < row->npanels; i++)
                for (size_t q = 0; q < row->panels[i].nqueries; q++) {
                    const char *e = row->panels[i].queries[q].error;

                    if (e == NULL)
                        continue;
                    fprintf(stderr, "%s: panel \"%s\": %s\n", path,
                            row->panels[i].title, e);
                    bad++;
                }
        }
    dash_check_variables(d);
    for (size_t i = 0; i < m->nvariables; i++)
        if (dash_variable_error(d, i) != NULL) {
            fprintf(stderr, "%s: variable \"%s\": %s\n", path,
                    m->variables[i].name, dash_variable_error(d, i));
            bad++;
        }
    return bad;
}

/* 0 good, 1 loads with broken queries, 2 does not load. */
static int
check_one(const char *path)
{
    struct diag errs[MAX_ERRS];
    struct grafana_notes notes = { NULL, 0 };
    struct dashfile_counts c;
    struct dashboard m;
    struct dash *d;
    size_t nerr = 0, bad, nvarq = 0;

    if (dashfile_open(path, &m, errs, MAX_ERRS, &nerr, &notes) < 0) {
        startup_print_errors(errs, nerr, path);
        grafana_notes_fini(&notes);
        fprintf(stderr, "%s: FAILED (%zu error%s)\n", path, nerr,
                nerr == 1 ? "" : "s");
        return 2;
    }
    startup_print_notes(path, &notes);
    grafana_notes_fini(&notes);
    count_model(&m, &c);
    for (size_t i = 0; i < m.nvariables; i++)
        nvarq += m.variables[i].query != NULL;
    d = dash_adopt(&m);
    bad = print_bad_queries(path, d);
    dash_free(d);
    if (bad > 0) {
        fprintf(stderr, "%s: FAILED (%zu of %zu queries do not parse)\n",
                path, bad, c.queries + nvarq);
        return 1;
    }
    printf("%s: OK (%zu page%s, %zu panels, %zu queries, %zu variables)\n",
           path, c.pages, c.pages == 1 ? "" : "s", c.panels, c.queries,
           c.variables);
    return 0;
}

int
cmd_check_dashboards(const char *const *files, int n)
{
    int rc = 0;

    for (int i = 0; i < n; i++) {
        int one = check_one(files[i]);

        if (one > rc)
            rc = one;
    }
    return rc;
}

/*
 * promdeck check rules: promtool check rules 2.42, word for word, so a CI
 * job can switch. Lint findings (duplicate rules) print as FAILED but exit
 * 0, or 3 with --lint-fatal; any real error exits 1.
 */

/* The exit statuses promtool uses. */
#define RULES_FAILURE 1
#define RULES_LINT_FATAL 3
#define RULES_MAX_ERRS 64

/* One rule as the duplicate check sees it: its name and labels. */
struct rule_key {
    const char *metric;
    const struct labels *labels;
};

static int
rule_key_cmp(const void *a, const void *b)
{
    const struct rule_key *x = a, *y = b;
    int c = strcmp(x->metric, y->metric);

    return c != 0 ? c : labels_cmp(x->labels, y->labels);
}

/*
 * promtool's checkDuplicates: every rule of every group sorted by name
 * and labels; each run of equal neighbours is reported once. Returns
 * the count and writes the lint message into msg.
 */
static size_t
rules_duplicates(const struct rulefile *rf, struct buf *msg)
{
    size_t n = rulefile_nrules(rf), k = 0, ndup = 0;
    struct rule_key *keys = xcalloc(n + 1, sizeof(*keys));
    struct buf body;
    const struct rule_key *last_dup = NULL;

    for (size_t i = 0; i < rf->ngroups; i++)
        for (size_t j = 0; j < rf->groups[i].nrules; j++) {
            keys[k].metric = rf->groups[i].rules[j].name;
            keys[k++].labels = &rf->groups[i].rules[j].labels;
        }
    qsort(keys, n, sizeof(*keys), rule_key_cmp);
    buf_init(&body, 0);
    for (size_t i = 1; i < n; i++) {
        if (rule_key_cmp(&keys[i - 1], &keys[i]) != 0)
            continue;
        if (last_dup != NULL && rule_key_cmp(last_dup, &keys[i]) == 0)
            continue;
        last_dup = &keys[i];
        ndup++;
        buf_printf(&body, "Metric: %s\nLabel(s):\n", keys[i].metric);
        for (size_t l = 0; l < keys[i].labels->n; l++)
            buf_printf(&body, "\t%s: %s\n", keys[i].labels->v[l].name,
                       keys[i].labels->v[l].value);
    }
    if (ndup > 0)
        buf_printf(msg, "lint error %zu duplicate rule(s) found.\n%s"
                   "Might cause inconsistency while recording expressions",
                   ndup, buf_str(&body));
    buf_fini(&body);
    free(keys);
    return ndup;
}

/* One file: 0 good, 1 errors, 2 lint findings only. */
static int
rules_check_file(const char *path, bool lint, FILE *out, FILE *err)
{
    struct rulefile_err *errs = xcalloc(RULES_MAX_ERRS, sizeof(*errs));
    struct rulefile *rf;
    struct buf msg;
    size_t nerrs = 0;
    int rc = 0;

    fprintf(out, "Checking %s\n", path);
    rf = rulefile_load(path, 60000, errs, RULES_MAX_ERRS, &nerrs);
    buf_init(&msg, 0);
    fflush(out);
    if (rf == NULL) {
        rulefile_errors_text(path, errs, nerrs, &msg);
        fprintf(err, "  FAILED:\n%s", buf_str(&msg));
        rc = 1;
    } else if (lint && rules_duplicates(rf, &msg) > 0) {
        fprintf(err, "  FAILED:\n%s\n", buf_str(&msg));
        rc = 2;
    } else {
        fprintf(out, "  SUCCESS: %zu rules found\n", rulefile_nrules(rf));
    }
    fflush(err);
    fprintf(out, "\n");
    fflush(out);
    buf_fini(&msg);
    rulefile_free(rf);
    free(errs);
    return rc;
}

int
cmd_check_rules(const char *const *args, int n, FILE *out, FILE *err)
{
    bool lint = true, fatal = false, failed = false, hard = false;
    int nfiles = 0;

    for (int i = 0; i < n; i++) {
        if (strcmp(args[i], "--lint-fatal") == 0)
            fatal = true;
        else if (strcmp(args[i], "--lint=none") == 0)
            lint = false;
        else if (strcmp(args[i], "--lint=duplicate-rules") == 0)
            lint = true;
        else if (args[i][0] == '-' && args[i][1] != '\0') {
            fprintf(err, "promdeck: check rules: unknown option '%s' "
                    "(--lint=none|duplicate-rules, --lint-fatal)\n", args[i]);
            return 2;
        }
    }
    for (int i = 0; i < n; i++) {
        int rc;

        if (args[i][0] == '-' && args[i][1] != '\0')
            continue;
        nfiles++;
        rc = rules_check_file(args[i], lint, out, err);
        failed |= rc != 0;
        hard |= rc == 1;
    }
    if (nfiles == 0) {
        fprintf(err, "promdeck: check rules wants FILE...\n");
        return 2;
    }
    if (hard)
        return RULES_FAILURE;
    return failed && fatal ? RULES_LINT_FATAL : 0;
}
