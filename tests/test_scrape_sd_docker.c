/*
 * Tests for docker_sd_configs: the targets and labels built from the
 * Engine API answers Prometheus 2.42's own discovery/moby test reads
 * (testdata/dockerprom: containers/json_limit_0.json and networks.json),
 * compared with the label sets its TestDockerSDRefresh expects; the
 * provider against a fake Docker socket (answers, then garbage: the last
 * good group stays, with the error); the filters' query string; and the
 * config section with Prometheus's defaults and errors.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "scrape/sd_docker.h"
#include "src/config/config.h"
#include "tests/support/docker.h"
#include "tests/support/fs.h"

#define NODE_ID "c301b928faceb1a18fe379f6bc178727ef920bb30b0f9b8592b32b36255a0eca"
#define HOST_ID "54ed6cc5c0988260436cb0e739b7b6c9cad6c439a93b4c4fdbe9753e1c94b189"
#define NET_ID "7189986ab399e144e52a71b7451b4e04e2158c044b4cd2f3ae26fc3a285d3798"
#define MAINTAINER "The Prometheus Authors <prometheus-developers@googlegroups.com>"

struct want {
    const char *labels[24][2];      /* name, value; ends at a NULL name */
};

/* TestDockerSDRefresh's three label sets, in its order. */
static const struct want prometheus_wants[] = {
    { {
        { "__address__", "172.19.0.2:9100" },
        { "__meta_docker_container_id", NODE_ID },
        { "__meta_docker_container_label_com_docker_compose_project",
          "dockersd" },
        { "__meta_docker_container_label_com_docker_compose_service",
          "node" },
        { "__meta_docker_container_label_com_docker_compose_version",
          "1.25.0" },
        { "__meta_docker_container_label_maintainer", MAINTAINER },
        { "__meta_docker_container_label_prometheus_job", "node" },
        { "__meta_docker_container_name", "/dockersd_node_1" },
        { "__meta_docker_container_network_mode", "dockersd_default" },
        { "__meta_docker_network_id", NET_ID },
        { "__meta_docker_network_ingress", "false" },
        { "__meta_docker_network_internal", "false" },
        { "__meta_docker_network_ip", "172.19.0.2" },
        { "__meta_docker_network_label_com_docker_compose_network",
          "default" },
        { "__meta_docker_network_label_com_docker_compose_project",
          "dockersd" },
        { "__meta_docker_network_label_com_docker_compose_version",
          "1.25.0" },
        { "__meta_docker_network_name", "dockersd_default" },
        { "__meta_docker_network_scope", "local" },
        { "__meta_docker_port_private", "9100" },
    } },
    { {
        { "__address__", "172.19.0.3:80" },
        { "__meta_docker_container_id", NODE_ID },
        { "__meta_docker_container_label_com_docker_compose_project",
          "dockersd" },
        { "__meta_docker_container_label_com_docker_compose_service",
          "noport" },
        { "__meta_docker_container_label_com_docker_compose_version",
          "1.25.0" },
        { "__meta_docker_container_label_maintainer", MAINTAINER },
        { "__meta_docker_container_label_prometheus_job", "noport" },
        { "__meta_docker_container_name", "/dockersd_noport_1" },
        { "__meta_docker_container_network_mode", "dockersd_default" },
        { "__meta_docker_network_id", NET_ID },
        { "__meta_docker_network_ingress", "false" },
        { "__meta_docker_network_internal", "false" },
        { "__meta_docker_network_ip", "172.19.0.3" },
        { "__meta_docker_network_label_com_docker_compose_network",
          "default" },
        { "__meta_docker_network_label_com_docker_compose_project",
          "dockersd" },
        { "__meta_docker_network_label_com_docker_compose_version",
          "1.25.0" },
        { "__meta_docker_network_name", "dockersd_default" },
        { "__meta_docker_network_scope", "local" },
    } },
    { {
        { "__address__", "localhost" },
        { "__meta_docker_container_id", HOST_ID },
        { "__meta_docker_container_label_com_docker_compose_project",
          "dockersd" },
        { "__meta_docker_container_label_com_docker_compose_service",
          "host_networking" },
        { "__meta_docker_container_label_com_docker_compose_version",
          "1.25.0" },
        { "__meta_docker_container_name", "/dockersd_host_networking_1" },
        { "__meta_docker_container_network_mode", "host" },
        { "__meta_docker_network_ip", "" },
    } },
};

/* The target's labels are exactly want's, no more and no fewer. */
static void
check_target(const struct labels *t, const struct want *w)
{
    size_t n = 0;

    for (; w->labels[n][0] != NULL; n++) {
        const char *got = labels_get(t, w->labels[n][0]);
        if (!got)
            fail_msg("missing %s", w->labels[n][0]);
        assert_string_equal(got, w->labels[n][1]);
    }
    assert_int_equal(t->n, n);
}

static char *
data_file(const char *name)
{
    char path[512];

    snprintf(path, sizeof path, "%s/docker/prometheus-dockerprom/%s",
             ts_testdata(), name);
    return ts_read_file(path);
}

static void
test_prometheus_fixture(void **state)
{
    (void)state;
    char *cs = data_file("containers.json");
    char *ns = data_file("networks.json");
    struct sd_group g;
    char err[256];

    assert_int_equal(sd_docker_build(cs, strlen(cs), ns, strlen(ns), 80,
                                     "localhost", &g, err, sizeof err), 0);
    assert_string_equal(g.source, "Docker");
    assert_int_equal(g.ntargets, 3);
    for (size_t i = 0; i < 3; i++)
        check_target(&g.targets[i], &prometheus_wants[i]);
    sd_group_fini(&g);

    /* Garbage for either answer is an error, not an empty group. */
    assert_int_equal(sd_docker_build("<html>", 6, ns, strlen(ns), 80,
                                     "localhost", &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "containers"));
    sd_group_fini(&g);
    assert_int_equal(sd_docker_build(cs, strlen(cs), "{}", 2, 80,
                                     "localhost", &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "networks: expected a list"));
    sd_group_fini(&g);
    free(cs);
    free(ns);
}

static void
test_filters_query(void **state)
{
    (void)state;
    const char *const names[] = { "web", "db" };
    const char *const labels[] = { "prometheus-job=node" };
    struct sd_docker_filter f[] = {
        { "name", names, 2 }, { "label", labels, 1 },
    };
    char q[512];

    sd_docker_filters_query(f, 2, q, sizeof q);
    /* {"name":["web","db"],"label":["prometheus-job=node"]} */
    assert_string_equal(q, "filters=%7B%22name%22%3A%5B%22web%22%2C%22db%22"
                        "%5D%2C%22label%22%3A%5B%22prometheus-job%3Dnode"
                        "%22%5D%7D");
    sd_docker_filters_query(f, 0, q, sizeof q);
    assert_string_equal(q, "");
}

/* Polls until the provider has finished a refresh (bounded). */
static void
poll_until_idle(struct sd_docker *d, int64_t now, bool *changed)
{
    for (int i = 0; i < 200; i++) {
        *changed |= sd_docker_poll(d, now);
        if (sd_docker_next_due(d, now) > now + 1000)
            return;
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    fail_msg("the refresh never finished");
}

static void
test_provider(void **state)
{
    (void)state;
    char dir[256], sock[512], host[600], data[512];
    bool changed = false;

    assert_int_equal(ts_tmpdir_new(dir, sizeof dir, "sddocker"), 0);
    snprintf(sock, sizeof sock, "%s/docker.sock", dir);
    snprintf(host, sizeof host, "unix://%s", sock);
    snprintf(data, sizeof data, "%s/docker/prometheus-dockerprom",
             ts_testdata());
    pid_t pid = ts_docker_start(sock, data, TS_DOCKER_ANSWER);
    struct sd_docker_config c = {
        .host = host, .port = 80, .host_networking_host = "localhost",
        .refresh_ms = 60000,
    };
    struct sd_docker *d = sd_docker_new(&c);
    assert_true(sd_docker_pending(d));
    poll_until_idle(d, 1000, &changed);
    assert_true(changed);
    assert_false(sd_docker_pending(d));
    assert_string_equal(sd_docker_error(d), "");
    assert_int_equal(sd_docker_group_count(d), 1);
    assert_int_equal(sd_docker_group(d, 0)->ntargets, 3);
    check_target(&sd_docker_group(d, 0)->targets[0], &prometheus_wants[0]);

    /* The engine starts answering garbage: the group stays. */
    ts_docker_stop(pid);
    unlink(sock);
    pid = ts_docker_start(sock, data, TS_DOCKER_GARBAGE);
    changed = false;
    poll_until_idle(d, 1000 + 60000, &changed);
    assert_false(changed);
    assert_non_null(strstr(sd_docker_error(d), "expected a list"));
    assert_int_equal(sd_docker_group(d, 0)->ntargets, 3);

    /* And then nothing listens at all. */
    ts_docker_stop(pid);
    unlink(sock);
    poll_until_idle(d, 1000 + 120000, &changed);
    assert_non_null(strstr(sd_docker_error(d), sock));
    assert_int_equal(sd_docker_group(d, 0)->ntargets, 3);
    sd_docker_free(d);
    ts_tmpdir_remove(dir);
}

/* A host URL's password never reaches the error text. */
static void
test_no_secret_in_errors(void **state)
{
    (void)state;
    struct sd_docker_config c = {
        .host = "http://admin:hunter2@127.0.0.1:1", .port = 80,
        .refresh_ms = 60000,
    };
    struct sd_docker *d = sd_docker_new(&c);
    bool changed = false;

    poll_until_idle(d, 1000, &changed);
    assert_non_null(strstr(sd_docker_error(d), "http://<secret>@127.0.0.1:1"));
    assert_null(strstr(sd_docker_error(d), "hunter2"));
    sd_docker_free(d);
}

/* ---- the config section ---- */

static int
load(const char *text, struct config *cfg, struct diag *errs,
     size_t *nerrs)
{
    struct diag warns[8];
    size_t nwarns;

    return config_load_buf(cfg, "prometheus.yml", text, strlen(text), errs,
                           8, nerrs, warns, 8, &nwarns);
}

static void
test_config(void **state)
{
    (void)state;
    struct config cfg;
    struct diag errs[8];
    size_t n;

    assert_int_equal(load("scrape_configs:\n- job_name: apps\n"
                          "  docker_sd_configs:\n"
                          "  - host: unix:///var/run/docker.sock\n"
                          "    filters:\n"
                          "    - name: label\n"
                          "      values: [prometheus-job]\n",
                          &cfg, errs, &n), 0);
    const struct config_sd_docker *c = &cfg.jobs[0].sd.docker[0];
    assert_int_equal(cfg.jobs[0].sd.ndocker, 1);
    assert_string_equal(c->host, "unix:///var/run/docker.sock");
    assert_int_equal(c->port, 80);
    assert_int_equal(c->refresh_ms, 60000);
    assert_string_equal(c->host_networking_host, "localhost");
    assert_int_equal(c->nfilters, 1);
    assert_string_equal(c->filters[0].name, "label");
    assert_string_equal(c->filters[0].values[0], "prometheus-job");
    config_fini(&cfg);

    assert_int_equal(load("scrape_configs:\n- job_name: apps\n"
                          "  docker_sd_configs:\n"
                          "  - hots: unix:///var/run/docker.sock\n",
                          &cfg, errs, &n), -1);
    assert_non_null(strstr(errs[0].msg,
                           "field hots not found in type moby.plain"));
    assert_int_equal(errs[0].line, 4);
    config_fini(&cfg);

    assert_int_equal(load("scrape_configs:\n- job_name: apps\n"
                          "  docker_sd_configs:\n  - port: 9100\n",
                          &cfg, errs, &n), -1);
    assert_non_null(strstr(errs[0].msg, "host missing"));
    config_fini(&cfg);
}

/* The HTTP client settings, read as a scrape job's (same defaults and
 * checks); oauth2 is still refused, and settings for a unix:// host,
 * where Prometheus ignores them, are a warning. */
static void
test_config_http(void **state)
{
    (void)state;
    struct config cfg;
    struct diag errs[8], warns[8];
    size_t n, nw;
    const char *yml =
        "scrape_configs:\n- job_name: apps\n"
        "  docker_sd_configs:\n"
        "  - host: https://docker.example:2376\n"
        "    basic_auth: {username: u, password: p}\n"
        "    tls_config: {ca_file: /etc/ca.pem, server_name: docker}\n"
        "    proxy_url: http://proxy:3128\n"
        "    follow_redirects: false\n"
        "  - host: unix:///var/run/docker.sock\n"
        "    authorization: {credentials: tok}\n";

    assert_int_equal(config_load_buf(&cfg, "prometheus.yml", yml,
                                     strlen(yml), errs, 8, &n, warns, 8,
                                     &nw), 0);
    const struct config_sd_docker *c = &cfg.jobs[0].sd.docker[0];
    assert_string_equal(c->http.username, "u");
    assert_string_equal(c->http.password, "p");
    assert_string_equal(c->http.ca_file, "/etc/ca.pem");
    assert_string_equal(c->http.server_name, "docker");
    assert_string_equal(c->http.proxy_url, "http://proxy:3128");
    assert_false(c->http.follow_redirects);
    assert_true(c->http.enable_http2);
    c = &cfg.jobs[0].sd.docker[1];
    assert_string_equal(c->http.auth_type, "Bearer");
    assert_int_equal(nw, 1);
    assert_non_null(strstr(warns[0].msg, "authorization is ignored for "
                           "docker host unix:///var/run/docker.sock"));
    assert_int_equal(warns[0].line, 10);
    config_fini(&cfg);

    assert_int_equal(load("scrape_configs:\n- job_name: apps\n"
                          "  docker_sd_configs:\n"
                          "  - host: https://d:2376\n"
                          "    basic_auth: {username: u, password: p,"
                          " password_file: /f}\n", &cfg, errs, &n), -1);
    assert_non_null(strstr(errs[0].msg, "at most one of basic_auth "
                           "password & password_file"));
    config_fini(&cfg);
    assert_int_equal(load("scrape_configs:\n- job_name: apps\n"
                          "  docker_sd_configs:\n"
                          "  - host: https://d:2376\n"
                          "    oauth2: {client_id: x}\n",
                          &cfg, errs, &n), -1);
    assert_non_null(strstr(errs[0].msg, "oauth2: HTTP client settings of "
                           "docker_sd_configs are not supported"));
    config_fini(&cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prometheus_fixture),
        cmocka_unit_test(test_filters_query),
        cmocka_unit_test_teardown(test_provider, ts_docker_teardown),
        cmocka_unit_test(test_no_secret_in_errors),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_config_http),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
