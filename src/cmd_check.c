/*
 * promdeck check: validates files without scraping or drawing anything,
 * the way promtool check does, for editors and CI pipelines. A dashboard
 * passes when it loads with no error and every query parses (Grafana notes,
 * what will not be shown, are printed but do not fail it). A config passes
 * when it loads as a run would load it; the wording is promdeck's own
 * ("FILE: OK (2 jobs, 5 targets)") rather than promtool's, so scripts can
 * read the counts.
 */
#include "src/cmd_check.h"

#include <stdbool.h>
#include <stdlib.h>

#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/base/xalloc.h"
#include "src/config/config.h"
#include "src/config/config_targets.h"
#include "src/dash/dashfile.h"
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


static int
check_one(const char *path)
{
    struct diag errs[MAX_ERRS];
    struct grafana_notes notes = { NULL, 0 };
    struct dashfile_counts c;
    size_t nerr = 0;

    if (dashfile_check(path, &c, errs, MAX_ERRS, &nerr, &notes) < 0) {
        startup_print_errors(errs, nerr, path);
        grafana_notes_fini(&notes);
        printf("%s: FAILED (%zu error%s)\n", path, nerr,
               nerr == 1 ? "" : "s");
        return 2;
    }
    for (size_t i = 0; i < notes.n; i++)
        printf("%s: note: %s\n", path, notes.v[i]);
    printf("%s: OK (%zu page%s, %zu panels, %zu queries, %zu variables)\n",
           path, c.pages, c.pages == 1 ? "" : "s", c.panels, c.queries,
           c.variables);
    grafana_notes_fini(&notes);
    return 0;
}

int
cmd_check_dashboards(const char *const *files, int n)
{
    int rc = 0;

    for (int i = 0; i < n; i++)
        if (check_one(files[i]) != 0)
            rc = 2;
    return rc;
}
