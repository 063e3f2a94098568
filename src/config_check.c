/*
 * The config check: config_load, then every diag printed with its source
 * line, and a one-line verdict. The wording is promdeck's own ("FILE: OK
 * (2 jobs, 5 targets)") rather than promtool's, so scripts can read the
 * counts; the exit status is promdeck's (0 valid, 2 configuration error).
 */
#include "src/config_check.h"

#include <stdbool.h>
#include <stdlib.h>

#include "src/buf.h"
#include "src/config.h"
#include "src/config_targets.h"
#include "src/diag.h"
#include "src/xalloc.h"

/* As many errors as the loader keeps, the house-wide cap. */
#define MAX_ERRS 20
#define MAX_WARNS 64
/* The file is read again only to quote lines; a bigger one is not. */
#define MAX_QUOTED ((size_t)16 << 20)

/* The whole file (for quoting lines in errors); b stays empty if not. */
static void
read_text(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;

    buf_init(b, MAX_QUOTED);
    if (f == NULL)
        return;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (buf_append(b, chunk, n) != 0) {
            buf_reset(b);
            break;
        }
    fclose(f);
}

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
config_check_main(const char *path, FILE *out, FILE *err)
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
        read_text(path, &text);
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
