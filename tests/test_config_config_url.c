/*
 * Tests for src/config/config_url: command-line targets taken apart
 * (scheme, host, default port, path, query) and turned into jobs, whose
 * targets are then built by the same code as a prometheus.yml's. The
 * expected targets are what Prometheus 2.42 builds for the equivalent
 * static_configs (scrape/target.go: :80/:443 added by scheme, instance
 * defaulting to the address, __param_ labels into the URL query, timeout
 * 10s capped at the interval), and a password is refused in the words a
 * config target gets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/config/config.h"
#include "src/config/config_targets.h"
#include "src/config/config_url.h"

static void
test_parse_host_port(void **state)
{
    struct config_url u;
    struct diag d;

    (void)state;
    assert_int_equal(config_url_parse("localhost:9100", &u, &d), 0);
    assert_string_equal(u.scheme, "http");
    assert_string_equal(u.host, "localhost");
    assert_string_equal(u.address, "localhost:9100");
    assert_string_equal(u.path, "/metrics");
    assert_string_equal(u.query, "");
    assert_int_equal(u.nparams, 0);
    config_url_fini(&u);
    /* A path without a scheme is still http. */
    assert_int_equal(config_url_parse("10.0.0.1:8080/actuator/prometheus",
                                      &u, &d), 0);
    assert_string_equal(u.host, "10.0.0.1");
    assert_string_equal(u.path, "/actuator/prometheus");
    config_url_fini(&u);
}

static void
test_parse_urls(void **state)
{
    struct config_url u;
    struct diag d;

    (void)state;
    /* No port: the scheme's (Prometheus adds :443 for https too). */
    assert_int_equal(config_url_parse("https://host/prom/metrics", &u, &d),
                     0);
    assert_string_equal(u.scheme, "https");
    assert_string_equal(u.host, "host");
    assert_string_equal(u.address, "host:443");
    assert_string_equal(u.path, "/prom/metrics");
    config_url_fini(&u);
    assert_int_equal(config_url_parse("HTTP://h/", &u, &d), 0);
    assert_string_equal(u.scheme, "http");
    assert_string_equal(u.address, "h:80");
    assert_string_equal(u.path, "/metrics");
    config_url_fini(&u);
    /* IPv6 in brackets; the query decoded as Go's url.ParseQuery does;
     * a fragment ignored. */
    assert_int_equal(config_url_parse("http://[::1]:9090/m%20x?collect%5B%5D"
                                      "=cpu&&x=a+b#top", &u, &d), 0);
    assert_string_equal(u.host, "::1");
    assert_string_equal(u.address, "[::1]:9090");
    assert_string_equal(u.path, "/m x");
    assert_string_equal(u.query, "collect%5B%5D=cpu&&x=a+b");
    assert_int_equal(u.nparams, 2);
    assert_string_equal(u.params[0].name, "collect[]");
    assert_string_equal(u.params[0].value, "cpu");
    assert_string_equal(u.params[1].name, "x");
    assert_string_equal(u.params[1].value, "a b");
    config_url_fini(&u);
}

/* Each bad argument and the start of what is said about it. */
static void
test_parse_errors(void **state)
{
    static const char *const cases[][2] = {
        { "localhost", "a target needs a port" },
        { "ftp://h:21", "unsupported scheme 'ftp'" },
        { "h:0", "bad port '0'" },
        { "h:http", "bad port 'http'" },
        { "::1:9100", "an IPv6 address goes in brackets" },
        { "[::1:9100", "missing ']'" },
        { "http://:9100", "no host" },
        { "h:1/%4", "bad %-escape in the path" },
        { "h:1?a=1&a=2", "query parameter 'a' given twice" },
    };
    struct config_url u;
    struct diag d;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(config_url_parse(cases[i][0], &u, &d), -1);
        if (strncmp(d.msg, cases[i][1], strlen(cases[i][1])) != 0)
            fail_msg("%s: got '%s'", cases[i][0], d.msg);
        assert_null(u.host);
    }
}

/* The check a prometheus.yml target gets refuses the same address in
 * the same words, and the message never shows the password. */
static void
test_password_refused_like_config(void **state)
{
    const char *addr = "user:hunter2@h:9100";
    struct config cfg;
    struct scrape_target_def *defs;
    struct config_dropped *dropped;
    size_t ndropped, n;
    struct discovery *disc;
    struct config_url u;
    struct diag d;
    char *shown;

    (void)state;
    config_init(&cfg);
    config_add_static_job(&cfg, "x", "/metrics", 0, &addr, 1);
    disc = config_discovery_new(&cfg);
    n = config_targets_build(&cfg, disc, &defs, &dropped, &ndropped);
    assert_int_equal(n, 0);
    assert_int_equal(ndropped, 1);
    assert_int_equal(config_url_parse("http://user:hunter2@h:9100/metrics",
                                      &u, &d), -1);
    assert_string_equal(d.msg, dropped[0].reason);
    assert_null(strstr(d.msg, "hunter2"));
    assert_int_equal(config_url_parse("user@h:9100", &u, &d), -1);
    assert_string_equal(d.msg, dropped[0].reason);
    shown = config_url_shown("https://user:hunter2@h:9100/m?a=b");
    assert_string_equal(shown, "https://user:<secret>@h:9100/m?a=b");
    free(shown);
    shown = config_url_shown("h:9100/x@y");
    assert_string_equal(shown, "h:9100/x@y");
    free(shown);
    config_target_defs_free(defs, n);
    config_dropped_free(dropped, ndropped);
    discovery_free(disc);
    config_fini(&cfg);
}

/* Builds the targets of args; n is their number. */
static size_t
build(struct config *cfg, const char *const *args, size_t nargs,
      int64_t interval_ms, struct scrape_target_def **defs)
{
    struct diag d;

    config_init(cfg);
    assert_int_equal(config_add_url_targets(cfg, args, nargs, interval_ms,
                                            &d), 0);
    return config_targets(cfg, defs);
}

static const char *
label(const struct scrape_target_def *t, const char *name)
{
    const char *v = labels_get(&t->labels, name);

    return v != NULL ? v : "(none)";
}

static void
test_jobs_by_host(void **state)
{
    const char *const args[] = {
        "localhost:9100", "https://host/prom/metrics", "localhost:9090",
        "http://localhost:9100/metrics",    /* the first one again */
    };
    struct config cfg;
    struct scrape_target_def *defs;
    size_t n;

    (void)state;
    n = build(&cfg, args, 4, 5000, &defs);
    assert_int_equal(cfg.njobs, 2);
    assert_string_equal(cfg.jobs[0].name, "localhost");
    assert_string_equal(cfg.jobs[1].name, "host");
    assert_int_equal(n, 3);
    /* Jobs in the order hosts first appear, targets in argument order. */
    assert_string_equal(defs[0].job, "localhost");
    assert_string_equal(label(&defs[0], "instance"), "localhost:9100");
    assert_string_equal(defs[1].job, "localhost");
    assert_string_equal(label(&defs[1], "instance"), "localhost:9090");
    assert_string_equal(defs[1].scheme, "http");
    assert_string_equal(defs[1].metrics_path, "/metrics");
    assert_string_equal(defs[2].job, "host");
    assert_string_equal(label(&defs[2], "job"), "host");
    assert_string_equal(label(&defs[2], "instance"), "host:443");
    assert_string_equal(defs[2].scheme, "https");
    assert_string_equal(defs[2].address, "host:443");
    assert_string_equal(defs[2].metrics_path, "/prom/metrics");
    /* No __ labels are left on the target, as in Prometheus. */
    assert_int_equal(defs[2].labels.n, 2);
    assert_int_equal(defs[0].interval_ms, 5000);
    assert_int_equal(defs[0].timeout_ms, 5000);
    config_target_defs_free(defs, n);
    config_fini(&cfg);
}

/* Same host and port, other paths or schemes: distinct instances. */
static void
test_distinct_instances(void **state)
{
    const char *const args[] = {
        "h:1/a", "h:1/b?module=x", "http://h:1/c", "https://h:1/c",
    };
    struct config cfg;
    struct scrape_target_def *defs;
    size_t n;

    (void)state;
    n = build(&cfg, args, 4, 60000, &defs);
    assert_int_equal(cfg.njobs, 1);
    assert_int_equal(n, 4);
    assert_string_equal(label(&defs[0], "instance"), "h:1/a");
    assert_string_equal(label(&defs[1], "instance"), "h:1/b?module=x");
    assert_string_equal(defs[1].params, "module=x");
    assert_string_equal(label(&defs[2], "instance"), "http://h:1/c");
    assert_string_equal(label(&defs[3], "instance"), "https://h:1/c");
    assert_string_equal(defs[3].scheme, "https");
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(defs[i].job, "h");
        /* Prometheus's 10s timeout, under a 1m interval. */
        assert_int_equal(defs[i].interval_ms, 60000);
        assert_int_equal(defs[i].timeout_ms, 10000);
    }
    config_target_defs_free(defs, n);
    config_fini(&cfg);
}

static void
test_bad_argument_adds_nothing(void **state)
{
    const char *const args[] = { "a:1", "b" };
    struct config cfg;
    struct diag d;

    (void)state;
    config_init(&cfg);
    assert_int_equal(config_add_url_targets(&cfg, args, 2, 5000, &d), -1);
    assert_int_equal(cfg.njobs, 0);
    assert_non_null(strstr(d.msg, "needs a port"));
    config_fini(&cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_host_port),
        cmocka_unit_test(test_parse_urls),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_password_refused_like_config),
        cmocka_unit_test(test_jobs_by_host),
        cmocka_unit_test(test_distinct_instances),
        cmocka_unit_test(test_bad_argument_adds_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
