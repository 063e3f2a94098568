/*
 * Tests for src/cli: the command line as a user types it. Targets may
 * come before or after options; a first word query or check is a
 * command; every conflicting or malformed line is a usage error (exit
 * status 2) with nothing started. Messages go to stderr, which the
 * failing cases send to /dev/null.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/cli.h"

#define MAXARGS 16

/* argv as main gets it: a writable array (getopt reorders it). */
struct args {
    char *v[MAXARGS + 1];
    int n;
};

/* Parses the words after "promdeck" (NULL-ended); keeps them in a. */
static int
parse(struct cli *c, struct args *a, const char *const *words)
{
    a->n = 0;
    a->v[a->n++] = "promdeck";
    for (size_t i = 0; words[i] != NULL && a->n < MAXARGS; i++)
        a->v[a->n++] = (char *)words[i];
    a->v[a->n] = NULL;
    return cli_parse(c, a->n, a->v);
}

/* Like parse, with stderr sent to /dev/null for the call. */
static int
parse_quiet(struct cli *c, struct args *a, const char *const *words)
{
    int saved = dup(2), null = open("/dev/null", O_WRONLY), rc;

    fflush(stderr);
    dup2(null, 2);
    rc = parse(c, a, words);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(null);
    return rc;
}

static void
test_one_word(void **state)
{
    const char *const words[] = { "localhost:9100", NULL };
    struct cli c;
    struct args a;

    (void)state;
    assert_int_equal(parse(&c, &a, words), -1);
    assert_int_equal(c.command, CLI_DASHBOARD);
    assert_int_equal(c.ntargets, 1);
    assert_string_equal(c.targets[0], "localhost:9100");
    assert_null(c.config);
    assert_false(c.demo);
    assert_false(c.once);
    /* promdeck's own default, not Prometheus's 1m. */
    assert_int_equal(c.scrape_interval_ms, 5000);
}

static void
test_targets_among_options(void **state)
{
    const char *const words[] = {
        "--once", "localhost:9100", "-o", "json",
        "https://host/prom/metrics", "--scrape-interval", "15s", NULL,
    };
    struct cli c;
    struct args a;

    (void)state;
    assert_int_equal(parse(&c, &a, words), -1);
    assert_true(c.once);
    assert_int_equal(c.output, CLI_JSON);
    assert_int_equal(c.scrape_interval_ms, 15000);
    assert_int_equal(c.ntargets, 2);
    assert_string_equal(c.targets[0], "localhost:9100");
    assert_string_equal(c.targets[1], "https://host/prom/metrics");
}

/* --rules (or -r) repeats, with --demo, targets or --config alike. */
static void
test_rules_option(void **state)
{
    const char *const demo[] = { "--demo", "--rules", "a.yml", "-r",
                                 "b.yml", NULL };
    const char *const url[] = { "localhost:9100", "-r", "a.yml", NULL };
    const char *const none[] = { "--demo", "--rules", NULL };
    const char *const query[] = { "query", "--demo", "-r", "a.yml", "up",
                                  NULL };
    struct cli c;
    struct args a;

    (void)state;
    assert_int_equal(parse(&c, &a, demo), -1);
    assert_true(c.demo);
    assert_int_equal(c.nrules, 2);
    assert_string_equal(c.rules[0], "a.yml");
    assert_string_equal(c.rules[1], "b.yml");
    assert_int_equal(parse(&c, &a, url), -1);
    assert_int_equal(c.ntargets, 1);
    assert_int_equal(c.nrules, 1);
    assert_int_equal(parse_quiet(&c, &a, none), 2);
    /* query evaluates no rules: saying so beats ignoring the option. */
    assert_int_equal(parse_quiet(&c, &a, query), 2);
}

static void
test_commands_keep_their_meaning(void **state)
{
    const char *const query[] = { "query", "--demo", "up", NULL };
    const char *const check[] = { "check", "config", "p.yml", NULL };
    const char *const demo[] = { "--demo", NULL };
    const char *const list[] = { "--list-dashboards", NULL };
    struct cli c;
    struct args a;

    (void)state;
    assert_int_equal(parse(&c, &a, query), -1);
    assert_int_equal(c.command, CLI_QUERY);
    assert_string_equal(c.expr, "up");
    assert_int_equal(c.ntargets, 0);
    /* The demo's targets are scraped as often as command-line ones. */
    assert_int_equal(c.scrape_interval_ms, 5000);
    assert_int_equal(parse(&c, &a, check), -1);
    assert_int_equal(c.command, CLI_CHECK_CONFIG);
    assert_int_equal(c.nfiles, 1);
    assert_string_equal(c.files[0], "p.yml");
    assert_int_equal(parse(&c, &a, demo), -1);
    assert_true(c.demo);
    assert_int_equal(c.ntargets, 0);
    assert_int_equal(parse(&c, &a, list), -1);
    assert_int_equal(c.command, CLI_LIST_DASHBOARDS);
}

/* Every line here is refused with status 2. */
static void
test_usage_errors(void **state)
{
    static const char *const lines[][5] = {
        { "localhost", NULL },                      /* no port */
        { "prometheus.yml", NULL },                 /* --config forgotten */
        { "http://user:pw@h:9100/metrics", NULL },  /* a password */
        { "ftp://h:21", NULL },
        { "localhost:9100", "--config", "p.yml", NULL },
        { "--demo", "localhost:9100", NULL },
        { "--config", "p.yml", "--scrape-interval", "5s", NULL },
        { "localhost:9100", "--scrape-interval", "soon", NULL },
        { "--list-dashboards", "x", NULL },
        { "query", "--list-dashboards", NULL },
        { "check", NULL },
        { "check", "thing", "x", NULL },
    };
    struct cli c;
    struct args a;

    (void)state;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (parse_quiet(&c, &a, lines[i]) != 2)
            fail_msg("line %zu (%s ...) was accepted", i,
                     lines[i][0] != NULL ? lines[i][0] : "");
}

/* With no source at all, the dashboard and query read this host through
 * the built-in collectors; --once and query scrape them a second apart so
 * a rate has its two points quickly, the live view every 5 s. */
static void
test_no_source_is_this_host(void **state)
{
    const char *const none[] = { NULL };
    const char *const once[] = { "--once", "-o", "json", NULL };
    const char *const query[] = { "query", "node_load1", NULL };
    const char *const slow[] = { "--once", "--scrape-interval", "3s", NULL };
    const char *const load[] = { "query", "--load", "f.prom", "up", NULL };
    const char *const two[] = { "query", "--demo", "--load", "f", "up",
                                NULL };
    struct cli c;
    struct args a;

    (void)state;
    assert_int_equal(parse(&c, &a, none), -1);
    assert_true(c.collector);
    assert_int_equal(c.scrape_interval_ms, 5000);
    assert_int_equal(parse(&c, &a, once), -1);
    assert_true(c.collector);
    assert_int_equal(c.scrape_interval_ms, 1000);
    assert_int_equal(parse(&c, &a, query), -1);
    assert_true(c.collector);
    assert_int_equal(c.scrape_interval_ms, 1000);
    assert_int_equal(parse(&c, &a, slow), -1);
    assert_int_equal(c.scrape_interval_ms, 3000);
    assert_int_equal(parse(&c, &a, load), -1);
    assert_false(c.collector);
    assert_int_equal(parse_quiet(&c, &a, two), 2);
}

/* A query expression may start with '-' after the first word: query's
 * options stop there, unlike the dashboard's. */
static void
test_query_stops_at_expression(void **state)
{
    const char *const words[] = {
        "query", "--load", "f.prom", "--", "-up", NULL,
    };
    struct cli c;
    struct args a;

    (void)state;
    assert_int_equal(parse(&c, &a, words), -1);
    assert_string_equal(c.expr, "-up");
    assert_int_equal(c.nload, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_word),
        cmocka_unit_test(test_targets_among_options),
        cmocka_unit_test(test_rules_option),
        cmocka_unit_test(test_no_source_is_this_host),
        cmocka_unit_test(test_commands_keep_their_meaning),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_query_stops_at_expression),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
