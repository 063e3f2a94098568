/*
 * The web configuration file in exporter-toolkit's format: what loads,
 * what is refused and where, and bcrypt passwords checked against the
 * published test vector of crypt_blowfish ("U*U" under a cost-5 salt of
 * C's), in the $2a$ and $2y$ spellings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/api/webconfig.h"
#include "tests/support/fs.h"

#define VECTOR "CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"

static char dir[256];

static int
setup(void **state)
{
    (void)state;
    return ts_tmpdir_new(dir, sizeof(dir), "webconfig");
}

static int
teardown(void **state)
{
    (void)state;
    return ts_tmpdir_remove(dir);
}

/* Writes text as web.yml and loads it; NULL with d set when refused
 * (d->source borrows the path, so it outlives the call). */
static struct webcfg *
load(const char *text, struct diag *d)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/web.yml", dir);
    ts_write_file(path, text);
    diag_clear(d);
    return webcfg_load(path, d);
}

static void
test_basic_auth(void **state)
{
    struct diag d;
    struct webcfg *w;

    (void)state;
    w = load("basic_auth_users:\n  alice: $2a$05$" VECTOR "\n"
             "  bob: $2y$05$" VECTOR "\n", &d);
    assert_non_null(w);
    assert_true(webcfg_auth(w));
    assert_false(webcfg_tls(w));
    assert_true(webcfg_check(w, "alice", "U*U"));
    /* Again: now from the cache, same answer. */
    assert_true(webcfg_check(w, "alice", "U*U"));
    assert_true(webcfg_check(w, "bob", "U*U"));
    assert_false(webcfg_check(w, "alice", "U*V"));
    assert_false(webcfg_check(w, "alice", ""));
    assert_false(webcfg_check(w, "carol", "U*U"));
    webcfg_free(w);
}

static void
test_tls(void **state)
{
    char path[512];
    struct diag d;
    struct webcfg *w;

    (void)state;
    snprintf(path, sizeof(path), "%s/c.pem", dir);
    ts_write_file(path, "CERT");
    snprintf(path, sizeof(path), "%s/k.pem", dir);
    ts_write_file(path, "KEY");
    w = load("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
             "  min_version: TLS13\n", &d);
    assert_non_null(w);
    assert_true(webcfg_tls(w));
    assert_string_equal(webcfg_cert_pem(w), "CERT");
    assert_string_equal(webcfg_key_pem(w), "KEY");
    assert_null(webcfg_ca_pem(w));
    assert_string_equal(webcfg_priorities(w), "NORMAL:-VERS-ALL:+VERS-TLS1.3");
    webcfg_free(w);
}

/* Each bad file, and the start of the message it gets, at line:col. */
static void
test_refused(void **state)
{
    static const struct {
        const char *text, *msg;
        int line, col;
    } bad[] = {
        { "basic_auth_users:\n  alice: hunter2\n",
          "basic_auth_users: the password of alice is not", 2, 10 },
        { "tls_server_config:\n  cert_file: c.pem\n",
          "missing key_file", 2, 3 },
        { "tls_server_config:\n  cert_file: nothere.pem\n  key_file: k\n",
          "", 2, 14 },
        { "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
          "  client_auth_type: Sometimes\n", "Invalid ClientAuth: Sometimes",
          4, 21 },
        { "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
          "  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
          "tls_server_config: cipher_suites is not supported", 4, 3 },
        { "basic_auth_user: {}\n", "unknown key basic_auth_user", 1, 1 },
    };
    struct diag d;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_null(load(bad[i].text, &d));
        assert_int_equal(d.line, bad[i].line);
        assert_int_equal(d.col, bad[i].col);
        assert_memory_equal(d.msg, bad[i].msg, strlen(bad[i].msg));
        assert_non_null(strstr(d.source, "web.yml"));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_auth),
        cmocka_unit_test(test_tls),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
