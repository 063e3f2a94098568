/*
 * The check subcommand for dashboards. A file passes when it loads with
 * no error and every query parses; Grafana notes (what will not be shown)
 * are printed but do not fail the check.
 */
#include "src/check.h"

#include <stdio.h>

#include "src/dashfile.h"
#include "src/startup.h"

#define MAXERRS 20

static int
check_one(const char *path)
{
    struct diag errs[MAXERRS];
    struct grafana_notes notes = { NULL, 0 };
    struct dashfile_counts c;
    size_t nerr = 0;

    if (dashfile_check(path, &c, errs, MAXERRS, &nerr, &notes) < 0) {
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
check_dashboards(const char *const *files, int n)
{
    int rc = 0;

    for (int i = 0; i < n; i++)
        if (check_one(files[i]) != 0)
            rc = 2;
    return rc;
}
