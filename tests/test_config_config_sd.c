/*
 * Tests for dns_sd_configs and file_sd_configs in prometheus.yml: the
 * defaults of Prometheus 2.42 (type SRV, refresh 30s and 5m), file paths
 * taken from the config's directory, and its checks in its own wording at
 * the right file:line:col, through config_load.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "src/config/config.h"
#include "tests/support/config.h"


static void
test_defaults(void **state)
{
    struct ts_config l;
    const struct config_sd *sd;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: j\n"
                  "    dns_sd_configs:\n"
                  "      - names: [_prometheus._tcp.example.org]\n"
                  "      - names: [a.example.org, b.example.org]\n"
                  "        type: aaaa\n"
                  "        port: 9100\n"
                  "        refresh_interval: 1m\n"
                  "    file_sd_configs:\n"
                  "      - files: [targets/*.json, /etc/sd/x.yml]\n"
                  "      - files: [y.YAML]\n"
                  "        refresh_interval: 10s\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.nerrs, 0);
    assert_int_equal(l.nwarns, 0);
    sd = &l.cfg.jobs[0].sd;
    assert_int_equal(sd->ndns, 2);
    assert_int_equal(sd->dns[0].type, SD_DNS_SRV);
    assert_int_equal(sd->dns[0].refresh_ms, 30000);
    assert_int_equal(sd->dns[0].nnames, 1);
    assert_int_equal(sd->dns[1].type, SD_DNS_AAAA);
    assert_int_equal(sd->dns[1].port, 9100);
    assert_int_equal(sd->dns[1].refresh_ms, 60000);
    assert_string_equal(sd->dns[1].names[1], "b.example.org");
    assert_int_equal(sd->nfile, 2);
    assert_int_equal(sd->file[0].refresh_ms, 300000);
    /* Relative paths start at the config file's directory. */
    assert_string_equal(sd->file[0].files[0], "/tmp/targets/*.json");
    assert_string_equal(sd->file[0].files[1], "/etc/sd/x.yml");
    assert_string_equal(sd->file[1].files[0], "/tmp/y.YAML");
    assert_int_equal(sd->file[1].refresh_ms, 10000);
    ts_config_unload(&l);
}

static void
test_dns_errors(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: j\n"
                  "    dns_sd_configs:\n"
                  "      - names: []\n"
                  "      - names: [a]\n"
                  "        type: A\n"
                  "      - names: [a]\n"
                  "        type: MX\n"
                  "      - nmes: [a]\n"
                  "      - names: [a]\n"
                  "        refresh_interval: soon\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 5);
    ts_assert_diag(&l.errs[0], l.path, 4, 9,
                   "DNS-SD config must contain at least one SRV record name");
    ts_assert_diag(&l.errs[1], l.path, 5, 9, "a port is required in DNS-SD "
                   "configs for all record types except SRV");
    ts_assert_diag(&l.errs[2], l.path, 8, 15, "invalid DNS-SD records type MX");
    ts_assert_diag(&l.errs[3], l.path, 9, 9,
                   "field nmes not found in type dns.plain");
    assert_string_equal(l.errs[4].source, l.path);
    assert_int_equal(l.errs[4].line, 11);
    ts_config_unload(&l);
}

static void
test_file_errors(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: j\n"
                  "    file_sd_configs:\n"
                  "      - files: []\n"
                  "      - files: [a/*/b.json]\n"
                  "      - files: [t.txt]\n"
                  "      - files: [ok.json]\n"
                  "        refresh: 1m\n"
                  "      -\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 5);
    ts_assert_diag(&l.errs[0], l.path, 4, 9, "file service discovery config "
                   "must contain at least one path name");
    ts_assert_diag(&l.errs[1], l.path, 5, 17,
                   "path name \"a/*/b.json\" is not valid for file discovery");
    ts_assert_diag(&l.errs[2], l.path, 6, 17,
                   "path name \"t.txt\" is not valid for file discovery");
    ts_assert_diag(&l.errs[3], l.path, 8, 9,
                   "field refresh not found in type file.plain");
    ts_assert_diag(&l.errs[4], l.path, 9, 8,
                   "empty or null section in file_sd_configs");
    ts_config_unload(&l);
}

/* relabel_configs errors carry the config's name, as every other one. */
static void
test_relabel_errors(void **state)
{
    struct ts_config l;

    (void)state;
    ts_config_load(&l, "scrape_configs:\n"
                  "  - job_name: j\n"
                  "    relabel_configs:\n"
                  "      - action: hashmod\n"
                  "    metric_relabel_configs:\n"
                  "      - action: nope\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.nerrs, 2);
    assert_string_equal(l.errs[0].source, l.path);
    assert_int_equal(l.errs[0].line, 4);
    assert_string_equal(l.errs[1].source, l.path);
    assert_int_equal(l.errs[1].line, 6);
    ts_config_unload(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_dns_errors),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_relabel_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
