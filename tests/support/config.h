/*
 * Test support: load a prometheus.yml text through config_load by writing
 * it to a temporary file, and compare a diag field by field. It does not
 * check anything about the loaded config itself; the tests do that.
 *
 * Ownership: a struct ts_config is the caller's (usually on the stack);
 * ts_config_load fills it and ts_config_unload releases what it holds and
 * removes the temporary file.
 */
#ifndef TESTS_SUPPORT_CONFIG_H
#define TESTS_SUPPORT_CONFIG_H

#include <stddef.h>

#include "src/base/diag.h"
#include "src/config/config.h"

#define TS_CONFIG_MAXD 20

/* One load of a YAML text written to a temporary file. */
struct ts_config {
    char path[64];               /* the temporary file, the diags' source */
    struct config cfg;
    struct diag errs[TS_CONFIG_MAXD], warns[TS_CONFIG_MAXD];
    size_t nerrs, nwarns;
    int rc;                      /* what config_load returned */
};

/* Writes text to a fresh file under /tmp (a failed cmocka assertion if
 * that fails) and runs config_load on it with room for TS_CONFIG_MAXD
 * errors and warnings. Always pair with ts_config_unload. */
void ts_config_load(struct ts_config *l, const char *text);

/* Releases l->cfg and removes the temporary file. */
void ts_config_unload(struct ts_config *l);

/* Asserts (cmocka) that d has this source, line, column and message. */
void ts_assert_diag(const struct diag *d, const char *source, int line,
                    int col, const char *msg);

#endif
