/*
 * libFuzzer harness for the prometheus.yml loader: the input is a config
 * file, loaded from memory (config_load_buf); when it loads, the targets
 * of its static configs are built through their relabel rules, as
 * promdeck does at start. Every error must carry a position inside the
 * document (or none, for one that is not YAML at all). It reads no file
 * and resolves no name.
 */
#include <stdint.h>
#include <stdlib.h>

#include "src/config/config.h"
#include "src/config/config_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXD 20

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag errs[MAXD], warns[MAXD];
    size_t nerrs, nwarns;
    struct config cfg;
    int rc;

    rc = config_load_buf(&cfg, "prometheus.yml", (const char *)data, size,
                         errs, MAXD, &nerrs, warns, MAXD, &nwarns);
    if ((rc == 0) != (nerrs == 0) || nerrs > MAXD || nwarns > MAXD)
        abort();
    for (size_t i = 0; i < nerrs; i++)
        if (errs[i].line < 0 || errs[i].col < 0
            || (size_t)errs[i].line > size + 1)
            abort();
    if (rc == 0) {
        struct scrape_target_def *defs;
        size_t n = config_targets(&cfg, &defs);

        config_target_defs_free(defs, n);
    }
    config_fini(&cfg);
    return 0;
}
