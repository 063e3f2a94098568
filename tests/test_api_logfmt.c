/*
 * serve's log lines in logfmt as go-kit's logfmt (Prometheus's logger)
 * writes them: ts in RFC 3339 UTC with milliseconds, caller file:line,
 * level, msg, then the pairs; values with a space, a control character,
 * '=' or '"' are quoted and escaped, empty ones quoted, others (a '\'
 * included) written as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/api/logfmt.h"
#include "tests/support/fs.h"

/* What one logfmt call writes to stderr. */
static char *
captured(const char *level, const char *msg, const char *k1, const char *v1,
         const char *k2, const char *v2)
{
    char dir[256], path[300];
    int saved = dup(2), fd;
    char *text;

    assert_int_equal(ts_tmpdir_new(dir, sizeof(dir), "logfmt"), 0);
    snprintf(path, sizeof(path), "%s/err", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    fflush(stderr);
    dup2(fd, 2);
    logfmt(level, "src/cmd_serve.c", 42, msg, k1, v1, k2, v2, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    text = ts_read_file(path);
    ts_tmpdir_remove(dir);
    return text;
}

static void
test_line(void **state)
{
    char *line = captured("info", "Server is ready", "address",
                          "unix:/run/p.sock", "err", "say \"no\" = x\\y");
    const char *rest;

    (void)state;
    /* ts=2026-12-03T10:25:07.527Z */
    assert_memory_equal(line, "ts=", 3);
    assert_int_equal(strlen(line) > 28, 1);
    assert_true(line[7] == '-' && line[13] == 'T' && line[22] == '.'
                && line[26] == 'Z' && line[27] == ' ');
    rest = line + 28;
    assert_string_equal(rest, "caller=cmd_serve.c:42 level=info "
                        "msg=\"Server is ready\" address=unix:/run/p.sock "
                        "err=\"say \\\"no\\\" = x\\\\y\"\n");
    free(line);
}

static void
test_plain_and_empty(void **state)
{
    char *line = captured("warn", "Listening", "path", "C:\\x", "file", "");

    (void)state;
    assert_string_equal(line + 28, "caller=cmd_serve.c:42 level=warn "
                        "msg=Listening path=C:\\x file=\"\"\n");
    free(line);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_plain_and_empty),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
