/*
 * Test support for config tests: a YAML text in a temporary file loaded
 * with config_load, and a field-by-field diag comparison. The expected
 * values stay in the tests.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/support/config.h"

void
ts_config_load(struct ts_config *l, const char *text)
{
    int fd;

    snprintf(l->path, sizeof(l->path), "/tmp/promdeck-config-XXXXXX");
    fd = mkstemp(l->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    l->rc = config_load(&l->cfg, l->path, l->errs, TS_CONFIG_MAXD,
                        &l->nerrs, l->warns, TS_CONFIG_MAXD, &l->nwarns);
}

void
ts_config_unload(struct ts_config *l)
{
    config_fini(&l->cfg);
    unlink(l->path);
}

void
ts_assert_diag(const struct diag *d, const char *source, int line, int col,
               const char *msg)
{
    assert_string_equal(d->source, source);
    assert_int_equal(d->line, line);
    assert_int_equal(d->col, col);
    assert_string_equal(d->msg, msg);
}
