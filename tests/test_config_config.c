/*
 * Tests for the prometheus.yml loader: Prometheus's defaults, overrides,
 * errors with their positions, the unknown-key suggestion, warnings for
 * keys promdeck ignores, the targets built, and the chapter-9 file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "src/cmd_check.h"
#include "src/config/config.h"
#include "src/config/config_targets.h"
#include "tests/support/config.h"
#include "tests/support/fs.h"

#define MAXD 20

static void
test_defaults(void **state)
{
    struct ts_config l;
    struct scrape_target_def *defs;
    size_t n;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: node\n"
                  "    static_configs:\n"
                  "      - targets: ['host1:9100']\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.nerrs, 0);
    assert_int_equal(l.nwarns, 0);
    assert_int_equal(l.cfg.scrape_interval_ms, 60000);
    assert_int_equal(l.cfg.scrape_timeout_ms, 10000);
    assert_int_equal(l.cfg.evaluation_interval_ms, 60000);
    assert_int_equal(l.cfg.njobs, 1);
    assert_string_equal(l.cfg.jobs[0].scheme, "http");
    assert_string_equal(l.cfg.jobs[0].metrics_path, "/metrics");
    assert_int_equal(l.cfg.jobs[0].interval_ms, 60000);
    assert_int_equal(l.cfg.jobs[0].timeout_ms, 10000);
    n = config_targets(&l.cfg, &defs);
    assert_int_equal(n, 1);
    assert_string_equal(defs[0].job, "node");
    assert_string_equal(defs[0].scheme, "http");
    assert_string_equal(defs[0].address, "host1:9100");
    assert_string_equal(defs[0].metrics_path, "/metrics");
    assert_int_equal(defs[0].labels.n, 2);
    assert_string_equal(defs[0].labels.v[0].name, "instance");
    assert_string_equal(defs[0].labels.v[0].value, "host1:9100");
    assert_string_equal(defs[0].labels.v[1].name, "job");
    assert_string_equal(defs[0].labels.v[1].value, "node");
    assert_int_equal(defs[0].interval_ms, 60000);
    assert_int_equal(defs[0].timeout_ms, 10000);
    config_target_defs_free(defs, n);
    ts_config_unload(&l);
}

/* body_size_limit left out is the scraper's default cap (0 here); written
 * as 0 it means no limit, as in Prometheus (SIZE_MAX here). */
static void
test_body_size_limit(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: unset\n"
                  "  - job_name: zero\n"
                  "    body_size_limit: 0\n"
                  "  - job_name: zero_mb\n"
                  "    body_size_limit: 0MB\n"
                  "  - job_name: set\n"
                  "    body_size_limit: 1KiB\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.cfg.jobs[0].body_size_limit, 0);
    assert_true(l.cfg.jobs[1].body_size_limit == SIZE_MAX);
    assert_true(l.cfg.jobs[2].body_size_limit == SIZE_MAX);
    assert_int_equal(l.cfg.jobs[3].body_size_limit, 1024);
    ts_config_unload(&l);
}

static void
test_overrides(void **state)
{
    struct ts_config l;
    struct scrape_target_def *defs;
    size_t n;

    (void)state;
    ts_config_load(&l, "global:\n"
                  "  scrape_interval: 15s\n"
                  "  scrape_timeout: 5s\n"
                  "  evaluation_interval: 30s\n"
                  "  external_labels: {site: lab}\n"
                  "scrape_configs:\n"
                  "  - job_name: fast\n"
                  "    scrape_interval: 2s\n"
                  "    scheme: https\n"
                  "    metrics_path: /actuator/prometheus\n"
                  "    body_size_limit: 10MB\n"
                  "    static_configs:\n"
                  "      - targets: [web, 'web', 'db:5432']\n"
                  "        labels: {env: prod, team: ''}\n"
                  "      - targets: ['web']\n"
                  "        labels: {instance: front, __meta_x: y}\n"
                  "  - job_name: slow\n"
                  "    scrape_interval: 1m30s\n"
                  "    scrape_timeout: 1m\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.cfg.scrape_interval_ms, 15000);
    assert_int_equal(l.cfg.scrape_timeout_ms, 5000);
    assert_int_equal(l.cfg.evaluation_interval_ms, 30000);
    assert_int_equal(l.cfg.external_labels.n, 1);
    assert_string_equal(l.cfg.external_labels.v[0].value, "lab");
    /* Timeout unset: the global one, capped at the interval. */
    assert_int_equal(l.cfg.jobs[0].interval_ms, 2000);
    assert_int_equal(l.cfg.jobs[0].timeout_ms, 2000);
    assert_int_equal(l.cfg.jobs[0].body_size_limit, 10 << 20);
    assert_int_equal(l.cfg.jobs[1].interval_ms, 90000);
    assert_int_equal(l.cfg.jobs[1].timeout_ms, 60000);
    n = config_targets(&l.cfg, &defs);
    /* web twice in one group is one target; https gets :443. */
    assert_int_equal(n, 3);
    assert_string_equal(defs[0].address, "web:443");
    assert_string_equal(defs[0].scheme, "https");
    assert_string_equal(defs[0].metrics_path, "/actuator/prometheus");
    assert_int_equal(defs[0].body_size_limit, 10 << 20);
    assert_int_equal(defs[0].labels.n, 3);   /* env, instance, job */
    assert_string_equal(labels_get(&defs[0].labels, "env"), "prod");
    assert_null(labels_get(&defs[0].labels, "team"));
    assert_string_equal(labels_get(&defs[0].labels, "instance"), "web:443");
    assert_string_equal(defs[1].address, "db:5432");
    /* A group label sets instance itself; __ labels go away. */
    assert_string_equal(defs[2].address, "web:443");
    assert_int_equal(defs[2].labels.n, 2);
    assert_string_equal(labels_get(&defs[2].labels, "instance"), "front");
    assert_string_equal(labels_get(&defs[2].labels, "job"), "fast");
    config_target_defs_free(defs, n);
    ts_config_unload(&l);
}

static void
test_errors(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "global:\n"
                  "  scrape_interval: 5s\n"
                  "  scrape_timeout: 10s\n"
                  "scrape_configs:\n"
                  "  - job_name: a\n"
                  "    scrape_interval: 10s\n"
                  "    scrape_timeout: 20s\n"
                  "  - job_name: a\n"
                  "    scrape_interval: 10 seconds\n"
                  "  - metrics_path: /m\n"
                  "    static_configs:\n"
                  "      - targets: ['http://host:80/metrics']\n"
                  "        labels: {0bad: x}\n"
                  "  - job_name: b\n"
                  "    scheme: ftp\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 8);
    ts_assert_diag(&l.errs[0], l.path, 3, 19,
                   "global scrape timeout greater than scrape interval");
    ts_assert_diag(&l.errs[1], l.path, 7, 21,
                   "scrape timeout greater than scrape interval for scrape "
                   "config with job name \"a\"");
    ts_assert_diag(&l.errs[2], l.path, 8, 15,
                   "found multiple scrape configs with job name \"a\"");
    /* The duration error comes from the yaml layer, at the value. */
    assert_string_equal(l.errs[3].source, l.path);
    assert_int_equal(l.errs[3].line, 9);
    assert_int_equal(l.errs[3].col, 22);
    ts_assert_diag(&l.errs[4], l.path, 10, 5, "job_name is empty");
    ts_assert_diag(&l.errs[5], l.path, 12, 19,
                   "\"http://host:80/metrics\" is not a valid hostname");
    ts_assert_diag(&l.errs[6], l.path, 13, 18,
                   "\"0bad\" is not a valid label name");
    ts_assert_diag(&l.errs[7], l.path, 15, 13,
                   "invalid scheme \"ftp\"; expected \"http\" or \"https\"");
    ts_config_unload(&l);
}

static void
test_error_cap(void **state)
{
    struct ts_config l;
    char text[4096];
    size_t len = 0;

    (void)state;
    len += (size_t)snprintf(text + len, sizeof(text) - len, "global:\n");
    for (int i = 0; i < 30; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "  bogus_key_%02d: 1\n", i);
    ts_config_load(&l, text);
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 20);
    ts_assert_diag(&l.errs[19], l.path, 21, 3,
                   "unknown key 'bogus_key_19' in global config");
    ts_config_unload(&l);
}

static void
test_unknown_key(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: a\n"
                  "    scrape_intervl: 10s\n"
                  "    frobnicate: yes\n"
                  "    static_configs:\n"
                  "      - target: ['x:1']\n"
                  "scrape_config: []\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 4);
    ts_assert_diag(&l.errs[0], l.path, 7, 1,
                   "unknown key 'scrape_config' in the top level; did you "
                   "mean 'scrape_configs'?");
    ts_assert_diag(&l.errs[1], l.path, 3, 5,
                   "unknown key 'scrape_intervl' in scrape config; did you "
                   "mean 'scrape_interval'?");
    assert_int_equal(l.errs[1].span, 14);
    ts_assert_diag(&l.errs[2], l.path, 4, 5,
                   "unknown key 'frobnicate' in scrape config");
    ts_assert_diag(&l.errs[3], l.path, 6, 9,
                   "unknown key 'target' in static config; did you mean "
                   "'targets'?");
    ts_config_unload(&l);
}

static void
test_warnings(void **state)
{
    struct ts_config l;
    char *out = NULL;
    size_t outlen = 0;
    FILE *f;

    (void)state;
    ts_config_load(&l, "alerting: {}\n"
                  "global:\n"
                  "  query_log_file: q.log\n"
                  "scrape_configs:\n"
                  "  - job_name: a\n"
                  "    honor_timestamps: true\n"
                  "    honor_labels: true\n"
                  "    relabel_configs: []\n"
                  "    basic_auth: {username: u, password: p}\n"
                  "    file_sd_configs: [{files: [t.json]}]\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.nerrs, 0);
    /* relabel_configs, file_sd_configs, honor_labels and basic_auth are
     * read now: no warning. */
    assert_int_equal(l.nwarns, 2);
    ts_assert_diag(&l.warns[0], l.path, 1, 1,
                   "alerting is not supported yet; ignored");
    ts_assert_diag(&l.warns[1], l.path, 3, 3,
                   "query_log_file is not supported yet; ignored");
    assert_true(l.cfg.jobs[0].honor_labels);
    assert_string_equal(l.cfg.jobs[0].http.username, "u");
    assert_string_equal(l.cfg.jobs[0].http.password, "p");
    f = open_memstream(&out, &outlen);
    config_print_warning(f, &l.warns[0]);
    fclose(f);
    assert_true(strstr(out, ":1:1: warning: alerting is not supported "
                            "yet; ignored\n") != NULL);
    assert_true(strncmp(out, l.path, strlen(l.path)) == 0);
    free(out);
    ts_config_unload(&l);
}

/* rule_files: globs joined to the config file's folder unless absolute,
 * as Prometheus's SetDirectory does; a bad pattern is an error. */
static void
test_rule_files(void **state)
{
    struct config cfg;
    struct diag errs[MAXD], warns[MAXD];
    size_t nerrs, nwarns;
    static const char good[] = "rule_files: [a.yml, 'rules/*.yml', /r.yml]\n";
    static const char bad[] = "rule_files: ['x[.yml', '']\n";

    (void)state;
    assert_int_equal(config_load_buf(&cfg, "conf/prom.yml", good,
                                     strlen(good), errs, MAXD, &nerrs,
                                     warns, MAXD, &nwarns), 0);
    assert_int_equal(nwarns, 0);
    assert_int_equal(cfg.nrule_files, 3);
    assert_string_equal(cfg.rule_files[0], "conf/a.yml");
    assert_string_equal(cfg.rule_files[1], "conf/rules/*.yml");
    assert_string_equal(cfg.rule_files[2], "/r.yml");
    config_fini(&cfg);
    assert_int_equal(config_load_buf(&cfg, "p.yml", bad, strlen(bad), errs,
                                     MAXD, &nerrs, warns, MAXD, &nwarns),
                     -1);
    assert_int_equal(nerrs, 2);
    ts_assert_diag(&errs[0], "p.yml", 1, 14,
                   "invalid rule file path \"x[.yml\": syntax error in "
                   "pattern");
    assert_int_equal(cfg.nrule_files, 0);
    config_fini(&cfg);
}

/* The chapter-9 prometheus.yml: three static jobs and a DNS one. */
static void
test_chapter9(void **state)
{
    struct config cfg;
    struct diag errs[MAXD], warns[MAXD];
    size_t nerrs, nwarns, n;
    struct scrape_target_def *defs;
    char path[512];
    const char *td = ts_testdata();

    (void)state;
    snprintf(path, sizeof(path), "%s/diamol-ch09/exercises-prometheus-"
             "prometheus.yml", td);
    assert_int_equal(config_load(&cfg, path, errs, MAXD, &nerrs, warns,
                                 MAXD, &nwarns), 0);
    assert_int_equal(nerrs, 0);
    /* The access-log job's dns_sd_configs loads without a warning. */
    assert_int_equal(nwarns, 0);
    assert_int_equal(cfg.jobs[2].sd.ndns, 1);
    assert_int_equal(cfg.jobs[2].sd.dns[0].type, SD_DNS_A);
    assert_int_equal(cfg.jobs[2].sd.dns[0].port, 80);
    assert_int_equal(cfg.jobs[2].sd.dns[0].refresh_ms, 30000);
    assert_string_equal(cfg.jobs[2].sd.dns[0].names[0], "accesslog");
    assert_int_equal(cfg.scrape_interval_ms, 10000);
    assert_int_equal(cfg.njobs, 4);
    assert_int_equal(cfg.jobs[2].interval_ms, 3000);
    assert_int_equal(cfg.jobs[2].timeout_ms, 3000);
    n = config_targets(&cfg, &defs);
    assert_int_equal(n, 3);
    /* Prometheus 2.42 adds the scheme's port to a bare host name. */
    assert_string_equal(defs[0].job, "image-gallery");
    assert_string_equal(defs[0].address, "image-gallery:80");
    assert_string_equal(labels_get(&defs[0].labels, "instance"),
                        "image-gallery:80");
    assert_string_equal(defs[0].metrics_path, "/metrics");
    assert_int_equal(defs[0].interval_ms, 10000);
    assert_int_equal(defs[0].timeout_ms, 10000);
    assert_string_equal(defs[1].job, "iotd-api");
    assert_string_equal(defs[1].address, "iotd:80");
    assert_string_equal(defs[1].metrics_path, "/actuator/prometheus");
    assert_string_equal(defs[2].job, "docker");
    assert_string_equal(defs[2].address, "DOCKER_HOST:9323");
    assert_string_equal(labels_get(&defs[2].labels, "job"), "docker");
    config_target_defs_free(defs, n);
    config_fini(&cfg);
}

static void
test_static_job(void **state)
{
    struct config cfg;
    struct scrape_target_def *defs;
    const char *addrs[] = { "localhost:9100", "localhost:9090" };
    size_t n;

    (void)state;
    config_init(&cfg);
    config_add_static_job(&cfg, "demo", "/metrics", 5000, addrs, 2);
    n = config_targets(&cfg, &defs);
    assert_int_equal(n, 2);
    assert_string_equal(defs[1].address, "localhost:9090");
    assert_string_equal(labels_get(&defs[1].labels, "job"), "demo");
    assert_int_equal(defs[1].interval_ms, 5000);
    assert_int_equal(defs[1].timeout_ms, 5000);
    config_target_defs_free(defs, n);
    config_fini(&cfg);
}

static void
test_missing_file(void **state)
{
    struct config cfg;
    struct diag errs[MAXD], warns[MAXD];
    size_t nerrs, nwarns;

    (void)state;
    assert_int_equal(config_load(&cfg, "/nonexistent/prometheus.yml", errs,
                                 MAXD, &nerrs, warns, MAXD, &nwarns), -1);
    assert_int_equal(nerrs, 1);
    assert_string_equal(errs[0].source, "/nonexistent/prometheus.yml");
    assert_non_null(strstr(errs[0].msg, "cannot open"));
    config_fini(&cfg);
}

/* config_load_buf: the same loader on a document in memory (the fuzz
 * harness's way in); its errors are positioned under the given name. */
static void
test_load_buf(void **state)
{
    static const char text[] = "scrape_configs:\n  - job_name: a\n"
                               "    scrape_interval: soon\n";
    struct config cfg;
    struct diag errs[MAXD], warns[MAXD];
    size_t nerrs, nwarns;

    (void)state;
    assert_int_equal(config_load_buf(&cfg, "mem.yml", text, strlen(text),
                                     errs, MAXD, &nerrs, warns, MAXD,
                                     &nwarns), -1);
    assert_int_equal(nerrs, 1);
    assert_string_equal(errs[0].source, "mem.yml");
    assert_int_equal(errs[0].line, 3);
    assert_int_equal(cfg.njobs, 1);
    config_fini(&cfg);
    assert_int_equal(config_load_buf(&cfg, "mem.yml", text, 32, errs, MAXD,
                                     &nerrs, warns, MAXD, &nwarns), 0);
    assert_string_equal(cfg.jobs[0].name, "a");
    config_fini(&cfg);
}

/* Prometheus's defaults for the scrape keys promdeck reads. */
static void
test_scrape_defaults(void **state)
{
    struct ts_config l;
    const struct config_job *j;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: plain\n");
    assert_int_equal(l.rc, 0);
    j = &l.cfg.jobs[0];
    assert_false(j->honor_labels);
    assert_true(j->honor_timestamps);
    assert_int_equal(j->sample_limit + j->target_limit + j->label_limit +
                     j->label_name_length_limit +
                     j->label_value_length_limit, 0);
    assert_true(j->http.follow_redirects);
    assert_true(j->http.enable_http2);
    assert_null(j->http.username);
    assert_null(j->http.auth_type);
    assert_null(j->http.proxy_url);
    assert_null(j->http.ca_file);
    assert_false(j->http.insecure_skip_verify);
    assert_int_equal(j->http.min_version, FETCH_TLS_ANY);
    assert_int_equal(j->nparams, 0);
    ts_config_unload(&l);
}

/* Every scrape key promdeck reads, set away from its default. */
static const char scrape_keys_yml[] =
    "scrape_configs:\n"
    "  - job_name: plain\n"
    "  - job_name: full\n"
    "    honor_labels: true\n"
    "    honor_timestamps: false\n"
    "    sample_limit: 1000\n"
    "    target_limit: 5\n"
    "    label_limit: 30\n"
    "    label_name_length_limit: 100\n"
    "    label_value_length_limit: 200\n"
    "    body_size_limit: 1GiB\n"
    "    follow_redirects: false\n"
    "    enable_http2: false\n"
    "    proxy_url: http://u:pw@proxy:3128\n"
    "    params: {target: [a b, 'c/d'], module: [http_2xx]}\n"
    "    basic_auth: {username: bob, password_file: pw}\n"
    "    tls_config:\n"
    "      ca_file: /etc/ca.crt\n"
    "      cert_file: c.crt\n"
    "      key_file: c.key\n"
    "      server_name: api.example.com\n"
    "      insecure_skip_verify: true\n"
    "      min_version: TLS13\n"
    "    static_configs: [{targets: ['h:1']}]\n"
    "  - job_name: bearer\n"
    "    bearer_token: abc\n";

/* The scrape keys promdeck reads now. */
static void
test_scrape_keys(void **state)
{
    struct ts_config l;
    struct scrape_target_def *defs;
    const struct config_job *j;
    size_t n;

    (void)state;
    ts_config_load(&l, scrape_keys_yml);
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.nwarns, 0);
    j = &l.cfg.jobs[1];
    assert_true(j->honor_labels);
    assert_false(j->honor_timestamps);
    assert_int_equal(j->sample_limit, 1000);
    assert_int_equal(j->target_limit, 5);
    assert_int_equal(j->label_limit, 30);
    assert_int_equal(j->label_name_length_limit, 100);
    assert_int_equal(j->label_value_length_limit, 200);
    assert_int_equal(j->body_size_limit, (size_t)1 << 30);
    assert_false(j->http.follow_redirects);
    assert_false(j->http.enable_http2);
    assert_string_equal(j->http.proxy_url, "http://u:pw@proxy:3128");
    assert_string_equal(j->http.username, "bob");
    assert_null(j->http.password);
    /* Relative paths are relative to the config file's folder. */
    assert_string_equal(j->http.password_file, "/tmp/pw");
    assert_string_equal(j->http.ca_file, "/etc/ca.crt");
    assert_string_equal(j->http.cert_file, "/tmp/c.crt");
    assert_string_equal(j->http.key_file, "/tmp/c.key");
    assert_string_equal(j->http.server_name, "api.example.com");
    assert_true(j->http.insecure_skip_verify);
    assert_int_equal(j->http.min_version, FETCH_TLS13);
    assert_int_equal(j->nparams, 3);
    /* bearer_token is an authorization of type Bearer. */
    assert_string_equal(l.cfg.jobs[2].http.auth_type, "Bearer");
    assert_string_equal(l.cfg.jobs[2].http.credentials, "abc");

    n = config_targets(&l.cfg, &defs);
    assert_int_equal(n, 1);
    /* Go's url.Values.Encode: keys sorted, values escaped. */
    assert_string_equal(defs[0].params,
                        "module=http_2xx&target=a+b&target=c%2Fd");
    assert_true(defs[0].honor_labels);
    assert_true(defs[0].ignore_timestamps);
    assert_int_equal(defs[0].sample_limit, 1000);
    assert_int_equal(defs[0].label_limit, 30);
    assert_int_equal(defs[0].label_name_length_limit, 100);
    assert_int_equal(defs[0].label_value_length_limit, 200);
    assert_ptr_equal(defs[0].http, &l.cfg.jobs[1].http);
    config_target_defs_free(defs, n);
    ts_config_unload(&l);
}

/* Validation as prometheus/common's HTTPClientConfig.Validate words it,
 * each at the key that broke the rule. */
static void
test_http_errors(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: a\n"
                  "    bearer_token: x\n"
                  "    bearer_token_file: f\n"
                  "  - job_name: b\n"
                  "    basic_auth: {username: u}\n"
                  "    bearer_token: x\n"
                  "  - job_name: c\n"
                  "    basic_auth: {password: p, password_file: f}\n"
                  "  - job_name: d\n"
                  "    authorization: {credentials: x}\n"
                  "    bearer_token_file: f\n"
                  "  - job_name: e\n"
                  "    authorization: {credentials: x, credentials_file: f}\n"
                  "  - job_name: f\n"
                  "    authorization: {type: Basic}\n"
                  "  - job_name: g\n"
                  "    basic_auth: {username: u}\n"
                  "    authorization: {credentials: x}\n"
                  "  - job_name: h\n"
                  "    tls_config: {cert_file: c.crt, min_version: TLS14}\n"
                  "  - job_name: i\n"
                  "    tls_config: {ca_flie: x, key_file: k}\n"
                  "    sample_limit: -1\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 12);
    ts_assert_diag(&l.errs[0], l.path, 4, 5, "at most one of bearer_token & "
                   "bearer_token_file must be configured");
    ts_assert_diag(&l.errs[1], l.path, 7, 5, "at most one of basic_auth, "
                   "oauth2, bearer_token & bearer_token_file must be "
                   "configured");
    ts_assert_diag(&l.errs[2], l.path, 9, 31, "at most one of basic_auth "
                   "password & password_file must be configured");
    ts_assert_diag(&l.errs[3], l.path, 12, 5, "authorization is not "
                   "compatible with bearer_token & bearer_token_file");
    ts_assert_diag(&l.errs[4], l.path, 14, 37, "at most one of authorization "
                   "credentials & credentials_file must be configured");
    ts_assert_diag(&l.errs[5], l.path, 16, 27, "authorization type cannot be "
                   "set to \"basic\", use \"basic_auth\" instead");
    ts_assert_diag(&l.errs[6], l.path, 19, 5, "at most one of basic_auth, "
                   "oauth2 & authorization must be configured");
    ts_assert_diag(&l.errs[7], l.path, 21, 49, "unknown TLS version: TLS14");
    ts_assert_diag(&l.errs[8], l.path, 21, 18, "client cert file \"c.crt\" "
                   "specified without client key file");
    ts_assert_diag(&l.errs[9], l.path, 24, 19, "sample_limit must not be "
                   "negative, found -1");
    ts_assert_diag(&l.errs[10], l.path, 23, 18, "unknown key 'ca_flie' in "
                   "tls_config; did you mean 'ca_file'?");
    ts_assert_diag(&l.errs[11], l.path, 23, 30, "client key file \"k\" "
                   "specified without client cert file");
    ts_config_unload(&l);
}

/* external_labels: names checked as Prometheus checks them (values are
 * UTF-8 already: libyaml refuses anything else). */
static void
test_external_labels(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "global:\n"
                  "  evaluation_interval: 1m\n"
                  "  external_labels:\n"
                  "    0bad: x\n"
                  "    fine: ok\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 1);
    ts_assert_diag(&l.errs[0], l.path, 4, 5,
                   "\"0bad\" is not a valid label name");
    assert_int_equal(l.cfg.external_labels.n, 1);
    assert_string_equal(l.cfg.external_labels.v[0].name, "fine");
    assert_int_equal(l.cfg.evaluation_interval_ms, 60000);
    ts_config_unload(&l);
    ts_config_load(&l, "global: {evaluation_interval: 1x}\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.errs[0].line, 1);
    assert_int_equal(l.errs[0].col, 31);
    ts_config_unload(&l);
}

/* params reach the URL; relabelling can override them through
 * __param_<name>, as Prometheus's target URL takes the first value. */
static void
test_params_relabelled(void **state)
{
    struct ts_config l;
    struct scrape_target_def *defs;
    size_t n;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: bb\n"
                  "    scrape_interval: 1m30s\n"
                  "    metrics_path: /probe\n"
                  "    params: {module: [http_2xx, x], target: [t]}\n"
                  "    relabel_configs:\n"
                  "      - source_labels: [__address__]\n"
                  "        target_label: __param_target\n"
                  "      - target_label: __param_module\n"
                  "        replacement: icmp\n"
                  "    static_configs:\n"
                  "      - targets: ['example.com']\n"
                  "        labels: {__scheme__: https, team: web}\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.cfg.jobs[0].nparams, 3);
    n = config_targets(&l.cfg, &defs);
    assert_int_equal(n, 1);
    assert_string_equal(defs[0].scheme, "https");
    assert_string_equal(defs[0].address, "example.com:443");
    assert_string_equal(defs[0].metrics_path, "/probe");
    assert_string_equal(defs[0].params,
                        "module=icmp&module=x&target=example.com");
    assert_int_equal(defs[0].interval_ms, 90000);
    assert_int_equal(defs[0].labels.n, 3);
    assert_string_equal(labels_get(&defs[0].labels, "instance"),
                        "example.com:443");
    assert_string_equal(labels_get(&defs[0].labels, "team"), "web");
    config_target_defs_free(defs, n);
    ts_config_unload(&l);
}

/* A production-like prometheus.yml loads with exactly the warnings for
 * what promdeck does not do. */
static void
test_production(void **state)
{
    struct config cfg;
    struct diag errs[MAXD], warns[MAXD];
    size_t nerrs, nwarns, n;
    struct scrape_target_def *defs;
    char path[512];
    const char *td = ts_testdata();

    (void)state;
    snprintf(path, sizeof(path), "%s/prometheus-production.yml", td);
    assert_int_equal(config_load(&cfg, path, errs, MAXD, &nerrs, warns,
                                 MAXD, &nwarns), 0);
    assert_int_equal(nerrs, 0);
    assert_int_equal(nwarns, 3);
    ts_assert_diag(&warns[0], path, 15, 1,
                   "alerting is not supported yet; ignored");
    ts_assert_diag(&warns[1], path, 23, 1,
                   "remote_write is not supported yet; ignored");
    ts_assert_diag(&warns[2], path, 84, 5,
                   "kubernetes_sd_configs is not supported yet; ignored");
    assert_int_equal(cfg.evaluation_interval_ms, 30000);
    assert_int_equal(cfg.nrule_files, 1);
    assert_string_equal(cfg.rule_files[0], "/etc/prometheus/rules/*.yml");
    assert_int_equal(cfg.external_labels.n, 2);
    assert_string_equal(labels_get(&cfg.external_labels, "replica"), "A");
    assert_int_equal(cfg.njobs, 5);
    assert_int_equal(cfg.jobs[1].body_size_limit, 20 << 20);
    assert_int_equal(cfg.jobs[4].target_limit, 200);
    assert_string_equal(cfg.jobs[4].http.credentials_file,
                        "/var/run/secrets/kubernetes.io/serviceaccount/"
                        "token");
    n = config_targets(&cfg, &defs);
    assert_int_equal(n, 5);
    assert_string_equal(defs[3].address, "10.0.4.17:8443");
    assert_string_equal(defs[3].scheme, "https");
    assert_string_equal(defs[4].params, "module=http_2xx");
    config_target_defs_free(defs, n);
    config_fini(&cfg);
}

/* promdeck check config: the verdict line, or every error and exit 2. */
static void
test_check(void **state)
{
    char path[512], *out = NULL, *err = NULL;
    size_t outlen = 0, errlen = 0;
    const char *td = ts_testdata();
    struct ts_config l;
    FILE *fo, *fe;

    (void)state;
    snprintf(path, sizeof(path), "%s/prometheus-production.yml", td);
    fo = open_memstream(&out, &outlen);
    fe = open_memstream(&err, &errlen);
    assert_int_equal(cmd_check_config(path, fo, fe), 0);
    fclose(fo);
    fclose(fe);
    assert_true(strstr(out, ": OK (5 jobs, 5 targets)\n") != NULL);
    assert_true(strncmp(out, path, strlen(path)) == 0);
    assert_true(strstr(err, ":84:5: warning: kubernetes_sd_configs is not "
                       "supported yet; ignored\n") != NULL);
    free(out);
    free(err);

    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: a\n"
                  "    sample_limt: 5\n"
                  "    tls_config: {min_version: TLS9}\n");
    out = err = NULL;
    fo = open_memstream(&out, &outlen);
    fe = open_memstream(&err, &errlen);
    assert_int_equal(cmd_check_config(l.path, fo, fe), 2);
    fclose(fo);
    fclose(fe);
    assert_string_equal(out, "");
    assert_true(strstr(err, ":3:5: error: unknown key 'sample_limt' in "
                       "scrape config; did you mean 'sample_limit'?\n")
                != NULL);
    assert_true(strstr(err, ":4:31: error: unknown TLS version: TLS9\n")
                != NULL);
    assert_true(strstr(err, "    tls_config: {min_version: TLS9}\n") != NULL);
    free(out);
    free(err);
    ts_config_unload(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_body_size_limit),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_chapter9),
        cmocka_unit_test(test_rule_files),
        cmocka_unit_test(test_static_job),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_load_buf),
        cmocka_unit_test(test_scrape_defaults),
        cmocka_unit_test(test_scrape_keys),
        cmocka_unit_test(test_http_errors),
        cmocka_unit_test(test_params_relabelled),
        cmocka_unit_test(test_external_labels),
        cmocka_unit_test(test_production),
        cmocka_unit_test(test_check),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
