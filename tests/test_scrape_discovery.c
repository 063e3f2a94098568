/*
 * Tests for service discovery and relabelling wired into scraping, with
 * real things on this machine: files written to a temporary directory
 * and edited between polls (driven by a fake clock), DNS lookups of
 * localhost and of SRV records served by a small DNS server (python3, UDP
 * on 127.0.0.1) that the lookup child is pointed at, prometheus.yml files
 * through config_load and config_targets_build, and metric relabelling
 * in a pool scraping a real HTTP server.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "scrape/discovery.h"
#include "scrape/pool.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/config/config.h"
#include "src/config/config_targets.h"
#include "store/store.h"
#include "tests/support/fs.h"
#include "tests/support/http.h"

/* ---- helpers ---- */

struct fx {
    char dir[64];
};

static int
setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof(*f));

    if (ts_tmpdir_new(f->dir, sizeof(f->dir), "sd") != 0)
        return -1;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    if (ts_tmpdir_remove(f->dir) != 0)
        return -1;
    free(f);
    return 0;
}

static void
sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* Writes text to dir/name (replacing it atomically) and returns the path
 * in a static buffer. */
static const char *
put_file(const struct fx *f, const char *name, const char *text)
{
    static char path[256];
    char tmp[300];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    fp = fopen(tmp, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    assert_int_equal(rename(tmp, path), 0);
    return path;
}

/* The value of name in target t of group g of provider p, or NULL. */
static const char *
tlabel(const struct discovery *d, size_t p, size_t g, size_t t,
       const char *name)
{
    const struct sd_group *grp = discovery_group(d, p, g);

    assert_true(t < grp->ntargets);
    return labels_get(&grp->targets[t], name);
}

static size_t
ntargets(const struct discovery *d, size_t p)
{
    size_t n = 0;

    for (size_t g = 0; g < discovery_group_count(d, p); g++)
        n += discovery_group(d, p, g)->ntargets;
    return n;
}

static struct discovery_status
dstatus(const struct discovery *d, size_t p)
{
    struct discovery_status st;

    discovery_status(d, p, &st);
    return st;
}

/* Polls at the fake time now until no DNS lookup runs (real time passes
 * for the child); false when it takes longer than the child may run. */
static bool
settle(struct discovery *d, int64_t now)
{
    int64_t deadline = time_now_ms() + SD_DNS_DEADLINE_MS + 1000;

    discovery_poll(d, now);
    while (time_now_ms() < deadline) {
        bool busy = false;

        for (size_t p = 0; p < discovery_count(d); p++)
            busy |= dstatus(d, p).busy;
        if (!busy)
            return true;
        sleep_ms(10);
        discovery_poll(d, now);
    }
    return false;
}

static struct discovery *
file_discovery(const struct fx *f, const char *pattern)
{
    struct discovery *d = discovery_new();
    char path[256];
    const char *files[] = { path };
    struct sd_file_config c = { files, 1, SD_FILE_DEFAULT_REFRESH_MS };

    snprintf(path, sizeof(path), "%s/%s", f->dir, pattern);
    assert_int_equal(discovery_add_file(d, 7, &c), 0);
    return d;
}

/* ---- file_sd ---- */

/* Two groups in one JSON file: sources path:0 and path:1, the file's
 * path in __meta_filepath, __address__ per target. */
static void
test_file_json(void **state)
{
    struct fx *f = *state;
    const char *path = put_file(f, "a.json",
        "[{\"targets\": [\"h1:9100\", \"h2:9100\"],"
        "  \"labels\": {\"env\": \"prod\"}},"
        " {\"targets\": [\"h3:80\"]}]");
    char src[300], saved[256];
    struct discovery *d = file_discovery(f, "*.json");
    const struct sd_group *g;

    snprintf(saved, sizeof(saved), "%s", path);
    assert_true(discovery_changed(d));
    discovery_poll(d, 0);
    assert_true(discovery_changed(d));
    assert_false(discovery_changed(d));
    assert_int_equal(dstatus(d, 0).job, 7);
    assert_int_equal(dstatus(d, 0).kind, DISCOVERY_FILE);
    assert_string_equal(dstatus(d, 0).error, "");
    assert_int_equal(discovery_group_count(d, 0), 2);
    g = discovery_group(d, 0, 0);
    snprintf(src, sizeof(src), "%s:0", saved);
    assert_string_equal(g->source, src);
    assert_string_equal(labels_get(&g->labels, "env"), "prod");
    assert_string_equal(labels_get(&g->labels, "__meta_filepath"), saved);
    assert_int_equal(g->ntargets, 2);
    assert_string_equal(tlabel(d, 0, 0, 1, "__address__"), "h2:9100");
    g = discovery_group(d, 0, 1);
    snprintf(src, sizeof(src), "%s:1", saved);
    assert_string_equal(g->source, src);
    assert_string_equal(labels_get(&g->labels, "__meta_filepath"), saved);
    assert_string_equal(tlabel(d, 0, 1, 0, "__address__"), "h3:80");
    /* Nothing changed: a poll a second later finds nothing to do. */
    discovery_poll(d, 1000);
    assert_false(discovery_changed(d));
    discovery_free(d);
}

/* An edit is seen at the next check, at most one second later. */
static void
test_file_edit(void **state)
{
    struct fx *f = *state;
    struct discovery *d;

    put_file(f, "t.yml", "- targets: [a:1]\n");
    d = file_discovery(f, "t.yml");
    discovery_poll(d, 0);
    (void)discovery_changed(d);
    assert_int_equal(ntargets(d, 0), 1);
    put_file(f, "t.yml", "- targets: [a:1, b:2]\n  labels: {x: y}\n");
    discovery_poll(d, 500);
    assert_false(discovery_changed(d));
    assert_int_equal(ntargets(d, 0), 1);
    assert_true(discovery_next_due(d, 500) <= 1000);
    discovery_poll(d, 1000);
    assert_true(discovery_changed(d));
    assert_int_equal(ntargets(d, 0), 2);
    assert_string_equal(tlabel(d, 0, 0, 1, "__address__"), "b:2");
    assert_string_equal(labels_get(&discovery_group(d, 0, 0)->labels, "x"),
                        "y");
    discovery_free(d);
}

/* A bad edit keeps the file's previous targets and reports where it
 * went wrong; fixing the file clears the error. */
static void
test_file_bad_edit(void **state)
{
    struct fx *f = *state;
    struct discovery *d;
    const char *err;

    put_file(f, "t.yaml", "- targets: [a:1]\n");
    d = file_discovery(f, "t.yaml");
    discovery_poll(d, 0);
    (void)discovery_changed(d);
    put_file(f, "t.yaml", "- targets: [a:1\n  labels: {\n");
    discovery_poll(d, 1000);
    assert_false(discovery_changed(d));
    assert_int_equal(ntargets(d, 0), 1);
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"), "a:1");
    err = dstatus(d, 0).error;
    assert_non_null(strstr(err, "t.yaml:"));
    /* A valid document with a bad label name is refused the same way. */
    put_file(f, "t.yaml", "- targets: [c:3]\n  labels: {0bad: x}\n");
    discovery_poll(d, 2000);
    assert_false(discovery_changed(d));
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"), "a:1");
    assert_non_null(strstr(dstatus(d, 0).error,
                           "t.yaml:2:12: \"0bad\" is not a valid label "
                           "name"));
    /* YAML is decoded strictly, as Prometheus does. */
    put_file(f, "t.yaml", "- targets: [c:3]\n  lables: {a: b}\n");
    discovery_poll(d, 3000);
    assert_non_null(strstr(dstatus(d, 0).error,
                           "t.yaml:2:3: unknown key 'lables' in target "
                           "group"));
    put_file(f, "t.yaml", "- targets: [c:3]\n");
    discovery_poll(d, 4000);
    assert_true(discovery_changed(d));
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"), "c:3");
    assert_string_equal(dstatus(d, 0).error, "");
    discovery_free(d);
}

/* A glob picks up a new file; a removed file takes its targets along. */
static void
test_file_glob(void **state)
{
    struct fx *f = *state;
    struct discovery *d;
    char first[256];

    snprintf(first, sizeof(first), "%s",
             put_file(f, "one.json", "[{\"targets\": [\"one:1\"]}]"));
    put_file(f, "skip.yml", "- targets: [skip:1]\n");
    d = file_discovery(f, "*.json");
    discovery_poll(d, 0);
    (void)discovery_changed(d);
    assert_int_equal(ntargets(d, 0), 1);
    /* JSON is decoded leniently: an unknown key is ignored. */
    put_file(f, "two.json", "[{\"targets\": [\"two:2\"], \"extra\": 1}]");
    discovery_poll(d, 1000);
    assert_true(discovery_changed(d));
    assert_int_equal(discovery_group_count(d, 0), 2);
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"), "one:1");
    assert_string_equal(tlabel(d, 0, 1, 0, "__address__"), "two:2");
    assert_int_equal(unlink(first), 0);
    discovery_poll(d, 2000);
    assert_true(discovery_changed(d));
    assert_int_equal(discovery_group_count(d, 0), 1);
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"), "two:2");
    discovery_free(d);
}

/* An empty JSON file is an error (encoding/json says so); an empty YAML
 * file is no groups. */
static void
test_file_empty(void **state)
{
    struct fx *f = *state;
    struct discovery *d;

    put_file(f, "e.json", "");
    put_file(f, "e.yml", "");
    d = file_discovery(f, "e.*");
    discovery_poll(d, 0);
    assert_int_equal(ntargets(d, 0), 0);
    assert_non_null(strstr(dstatus(d, 0).error,
                           "e.json: unexpected end of JSON input"));
    assert_null(strstr(dstatus(d, 0).error, "e.yml"));
    discovery_free(d);
}

/* ---- dns_sd ---- */

static struct discovery *
dns_discovery(const char *name, enum sd_dns_type type, int port)
{
    struct discovery *d = discovery_new();
    const char *names[] = { name };
    struct sd_dns_config c = { names, 1, type, port, 30000 };

    discovery_add_dns(d, 0, &c);
    return d;
}

/* localhost through getaddrinfo (so /etc/hosts): one target, the port
 * from the config, the name queried in __meta_dns_name. */
static void
test_dns_localhost(void **state)
{
    struct discovery *d = dns_discovery("localhost", SD_DNS_A, 9100);

    (void)state;
    assert_true(discovery_pending(d));
    assert_true(settle(d, 0));
    assert_false(discovery_pending(d));
    assert_true(discovery_changed(d));
    assert_string_equal(dstatus(d, 0).error, "");
    assert_int_equal(discovery_group_count(d, 0), 1);
    assert_string_equal(discovery_group(d, 0, 0)->source, "localhost");
    assert_int_equal(ntargets(d, 0), 1);
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"), "127.0.0.1:9100");
    assert_string_equal(tlabel(d, 0, 0, 0, "__meta_dns_name"), "localhost");
    assert_null(tlabel(d, 0, 0, 0, "__meta_dns_srv_record_target"));
    /* The next lookup is due a refresh interval after this one began. */
    assert_int_equal(discovery_next_due(d, 5), 30000);
    discovery_poll(d, 29999);
    assert_false(dstatus(d, 0).busy);
    discovery_free(d);
}

/*
 * AAAA: an IPv6 address joins its port in brackets, as Go's JoinHostPort
 * writes it. An address literal goes through the same getaddrinfo call
 * without a name server, so this runs on machines without IPv6 names in
 * /etc/hosts.
 */
static void
test_dns_aaaa(void **state)
{
    struct discovery *d = dns_discovery("2001:db8::5", SD_DNS_AAAA, 9100);

    (void)state;
    assert_true(settle(d, 0));
    assert_string_equal(dstatus(d, 0).error, "");
    assert_int_equal(ntargets(d, 0), 1);
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"),
                        "[2001:db8::5]:9100");
    assert_string_equal(tlabel(d, 0, 0, 0, "__meta_dns_name"),
                        "2001:db8::5");
    discovery_free(d);
}

/* A name nobody resolves: no targets, an error naming it. */
static void
test_dns_unresolvable(void **state)
{
    struct discovery *d = dns_discovery("no-such-host.invalid", SD_DNS_A, 80);

    (void)state;
    assert_true(settle(d, 0));
    assert_int_equal(ntargets(d, 0), 0);
    assert_non_null(strstr(dstatus(d, 0).error,
                           "could not resolve \"no-such-host.invalid\""));
    discovery_free(d);
}

/* The test DNS server: answers SRV for _metrics._tcp.test.promdeck as the
 * mode file says (ok: two records; changed: one; servfail; nx). */
static const char dns_server_py[] =
    "import os, socket, struct, sys\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "s.bind(('127.0.0.1', 0))\n"
    "open(sys.argv[1] + '.tmp', 'w').write(str(s.getsockname()[1]))\n"
    "os.rename(sys.argv[1] + '.tmp', sys.argv[1])\n"
    "def enc(n):\n"
    "    return b''.join(bytes([len(p)]) + p.encode()\n"
    "                    for p in n.split('.') if p) + b'\\0'\n"
    "recs = {'ok': [(10, 9100, 'node1.test.promdeck'),\n"
    "               (20, 9200, 'node2.test.promdeck')],\n"
    "        'changed': [(10, 9300, 'node3.test.promdeck')]}\n"
    "while True:\n"
    "    q, peer = s.recvfrom(4096)\n"
    "    i, parts = 12, []\n"
    "    while q[i]:\n"
    "        parts.append(q[i + 1:i + 1 + q[i]].decode())\n"
    "        i += 1 + q[i]\n"
    "    qtype = struct.unpack('>H', q[i + 1:i + 3])[0]\n"
    "    try:\n"
    "        mode = open(sys.argv[2]).read().strip()\n"
    "    except OSError:\n"
    "        mode = 'ok'\n"
    "    ans, rcode = [], 0\n"
    "    name = '.'.join(parts).lower()\n"
    "    if mode == 'servfail':\n"
    "        rcode = 2\n"
    "    elif mode in recs and name == '_metrics._tcp.test.promdeck':\n"
    "        for prio, port, tgt in (recs[mode] if qtype == 33 else []):\n"
    "            rd = struct.pack('>HHH', prio, 5, port) + enc(tgt)\n"
    "            ans.append(b'\\xc0\\x0c' +\n"
    "                       struct.pack('>HHIH', 33, 1, 60, len(rd)) + rd)\n"
    "    else:\n"
    "        rcode = 3\n"
    "    flags = 0x8480 | (struct.unpack('>H', q[2:4])[0] & 0x0100) | rcode\n"
    "    hdr = q[:2] + struct.pack('>HHHHH', flags, 1, len(ans), 0, 0)\n"
    "    s.sendto(hdr + q[12:i + 5] + b''.join(ans), peer)\n";

struct dns_server {
    pid_t pid;
    char mode[256];
};

static void
dns_mode(const struct dns_server *s, const char *mode)
{
    FILE *fp = fopen(s->mode, "w");

    assert_non_null(fp);
    fputs(mode, fp);
    fclose(fp);
}

/* Starts the server and points the lookup child at it. */
static void
dns_start(const struct fx *f, struct dns_server *s)
{
    char portfile[256], addr[64];
    int64_t deadline = time_now_ms() + 10000;
    FILE *fp = NULL;
    int port = 0;

    snprintf(portfile, sizeof(portfile), "%s/dns.port", f->dir);
    snprintf(s->mode, sizeof(s->mode), "%s/dns.mode", f->dir);
    dns_mode(s, "ok");
    s->pid = fork();
    if (s->pid == 0) {
        execlp("python3", "python3", "-c", dns_server_py, portfile, s->mode,
               (char *)NULL);
        _exit(127);
    }
    assert_true(s->pid > 0);
    while (time_now_ms() < deadline && (fp = fopen(portfile, "r")) == NULL)
        sleep_ms(20);
    assert_non_null(fp);
    assert_int_equal(fscanf(fp, "%d", &port), 1);
    fclose(fp);
    snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
    setenv("PROMDECK_DNS_SERVER", addr, 1);
}

static void
dns_stop(struct dns_server *s)
{
    unsetenv("PROMDECK_DNS_SERVER");
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
}

/* SRV: one target per record at its own port, with the record's target
 * (rooted, with its final dot) and port as meta labels. A failed refresh
 * keeps the last good targets and shows the error; a changed answer
 * replaces them; a name that no longer exists empties them. */
static void
test_dns_srv(void **state)
{
    struct fx *f = *state;
    struct dns_server srv;
    struct discovery *d;

    dns_start(f, &srv);
    d = dns_discovery("_metrics._tcp.test.promdeck", SD_DNS_SRV, 0);
    assert_true(settle(d, 0));
    assert_string_equal(dstatus(d, 0).error, "");
    assert_int_equal(ntargets(d, 0), 2);
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"),
                        "node1.test.promdeck:9100");
    assert_string_equal(tlabel(d, 0, 0, 0, "__meta_dns_name"),
                        "_metrics._tcp.test.promdeck");
    assert_string_equal(tlabel(d, 0, 0, 0, "__meta_dns_srv_record_target"),
                        "node1.test.promdeck.");
    assert_string_equal(tlabel(d, 0, 0, 0, "__meta_dns_srv_record_port"),
                        "9100");
    assert_string_equal(tlabel(d, 0, 0, 1, "__address__"),
                        "node2.test.promdeck:9200");
    (void)discovery_changed(d);

    dns_mode(&srv, "servfail");
    assert_true(settle(d, 30000));
    assert_false(discovery_changed(d));
    assert_int_equal(ntargets(d, 0), 2);
    assert_non_null(strstr(dstatus(d, 0).error, "could not resolve "
                           "\"_metrics._tcp.test.promdeck\""));

    dns_mode(&srv, "changed");
    assert_true(settle(d, 60000));
    assert_true(discovery_changed(d));
    assert_string_equal(dstatus(d, 0).error, "");
    assert_int_equal(ntargets(d, 0), 1);
    assert_string_equal(tlabel(d, 0, 0, 0, "__address__"),
                        "node3.test.promdeck:9300");

    dns_mode(&srv, "nx");
    assert_true(settle(d, 90000));
    assert_true(discovery_changed(d));
    assert_int_equal(ntargets(d, 0), 0);
    assert_non_null(strstr(dstatus(d, 0).error, "could not resolve"));
    discovery_free(d);
    dns_stop(&srv);
}

/* ---- through the config: relabelling of discovered targets ---- */

struct loaded {
    struct config cfg;
    struct diag errs[20], warns[20];
    size_t nerrs, nwarns;
    int rc;
};

static void
load_config(struct loaded *l, const char *path)
{
    l->rc = config_load(&l->cfg, path, l->errs, 20, &l->nerrs, l->warns, 20,
                        &l->nwarns);
}

/* File and DNS targets through relabel_configs as Prometheus 2.42 builds
 * them: drop, a label from __meta_filepath, __param_*, a __scheme__
 * override with its default port, and the dropped target kept apart. */
/* The DNS job's target: localhost's address at the configured port. */
static void
check_dns_def(const struct scrape_target_def *d)
{
    assert_string_equal(d->job, "dns");
    assert_string_equal(d->scheme, "http");
    assert_string_equal(d->address, "127.0.0.1:9100");
    assert_string_equal(d->metrics_path, "/m");
    assert_string_equal(labels_get(&d->labels, "instance"),
                        "127.0.0.1:9100");
    assert_non_null(strstr(d->discovered, "__meta_dns_name=\"localhost\""));
}

/* The db target, dropped by the first rule, with what was discovered. */
static void
check_dropped(const struct config_dropped *dropped, size_t nd)
{
    assert_int_equal(nd, 1);
    assert_string_equal(dropped[0].job, "files");
    assert_string_equal(dropped[0].reason,
                        "dropped by relabel rule 1 (drop)");
    assert_non_null(strstr(dropped[0].discovered,
                           "__address__=\"db1:5432\""));
    assert_non_null(strstr(dropped[0].discovered, "role=\"db\""));
}

static void
load_discovered(const struct fx *f, struct loaded *l)
{
    char sub[128];

    snprintf(sub, sizeof(sub), "%s/targets", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    put_file(f, "targets/a.json",
             "[{\"targets\": [\"web1:9000\", \"web2\"],"
             "  \"labels\": {\"role\": \"web\"}},"
             " {\"targets\": [\"db1:5432\"], \"labels\": {\"role\": \"db\"}}]");
    load_config(l, put_file(f, "prometheus.yml",
        "global:\n"
        "  scrape_interval: 15s\n"
        "scrape_configs:\n"
        "  - job_name: files\n"
        "    file_sd_configs:\n"
        "      - files: ['targets/*.json']\n"
        "        refresh_interval: 1m\n"
        "    relabel_configs:\n"
        "      - source_labels: [role]\n"
        "        regex: db\n"
        "        action: drop\n"
        "      - source_labels: [__meta_filepath]\n"
        "        regex: '.*/([^/]+)\\.json'\n"
        "        target_label: file\n"
        "      - source_labels: [__address__]\n"
        "        regex: '(.*):.*'\n"
        "        target_label: __param_target\n"
        "      - target_label: __scheme__\n"
        "        replacement: https\n"
        "  - job_name: dns\n"
        "    metrics_path: /m\n"
        "    dns_sd_configs:\n"
        "      - names: [localhost]\n"
        "        type: A\n"
        "        port: 9100\n"));
    assert_int_equal(l->rc, 0);
    assert_int_equal(l->nwarns, 0);
}

static void
test_relabel_discovered(void **state)
{
    struct loaded l;
    struct discovery *d;
    struct scrape_target_def *defs;
    struct config_dropped *dropped;
    size_t n, nd;

    load_discovered(*state, &l);
    d = config_discovery_new(&l.cfg);
    assert_int_equal(discovery_count(d), 2);
    assert_true(settle(d, 0));
    n = config_targets_build(&l.cfg, d, &defs, &dropped, &nd);
    assert_int_equal(n, 3);

    assert_string_equal(defs[0].job, "files");
    assert_string_equal(defs[0].scheme, "https");
    assert_string_equal(defs[0].address, "web1:9000");
    assert_string_equal(defs[0].params, "target=web1");
    assert_string_equal(labels_get(&defs[0].labels, "instance"),
                        "web1:9000");
    assert_string_equal(labels_get(&defs[0].labels, "file"), "a");
    assert_string_equal(labels_get(&defs[0].labels, "role"), "web");
    assert_int_equal(defs[0].labels.n, 4);
    assert_int_equal(defs[0].interval_ms, 15000);
    assert_non_null(strstr(defs[0].discovered, "__scheme__=\"http\""));
    /* No port: https's default after relabelling; no __param_target. */
    assert_string_equal(defs[1].address, "web2:443");
    assert_string_equal(labels_get(&defs[1].labels, "instance"),
                        "web2:443");
    assert_string_equal(defs[1].params, "");
    check_dns_def(&defs[2]);
    check_dropped(dropped, nd);
    config_target_defs_free(defs, n);
    config_dropped_free(dropped, nd);
    discovery_free(d);
    config_fini(&l.cfg);
}

/* The chapter-9 file loads as it is: three static jobs and the access-log
 * job's DNS lookup of "accesslog", which this machine cannot resolve, so
 * the job has no targets and shows the error (not a config error). */
static void
test_chapter9(void **state)
{
    struct loaded l;
    struct discovery *d;
    struct scrape_target_def *defs;
    size_t n;
    char path[512];

    (void)state;
    snprintf(path, sizeof(path),
             "%s/diamol-ch09/exercises-prometheus-prometheus.yml",
             ts_testdata());
    load_config(&l, path);
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.nwarns, 0);
    d = config_discovery_new(&l.cfg);
    assert_int_equal(discovery_count(d), 4);
    assert_int_equal(dstatus(d, 2).kind, DISCOVERY_DNS);
    assert_int_equal(dstatus(d, 2).job, 2);
    assert_true(settle(d, 0));
    assert_non_null(strstr(dstatus(d, 2).error,
                           "could not resolve \"accesslog\""));
    n = config_targets_build(&l.cfg, d, &defs, NULL, NULL);
    assert_int_equal(n, 3);
    assert_string_equal(defs[2].job, "docker");
    config_target_defs_free(defs, n);
    discovery_free(d);
    config_fini(&l.cfg);
}

/* ---- metric_relabel_configs in a pool scraping a real server ---- */

static const char mr_body[] =
    "# TYPE a gauge\n"
    "a 1\n"
    "b{x=\"1\"} 2\n"
    "b{x=\"2\"} 3\n"
    "c{instance=\"scraped\"} 4\n";

/* Serves mr_body to every request, one request per connection. */
static void
serve_body(int fd, const char *path, const char *head, void *ctx)
{
    char h[256];
    int n = snprintf(h, sizeof(h),
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain; "
                     "version=0.0.4\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", sizeof(mr_body) - 1);

    (void)path;
    (void)head;
    (void)ctx;
    ts_http_send(fd, h, (size_t)n);
    ts_http_send(fd, mr_body, sizeof(mr_body) - 1);
    _exit(0);
}

static struct ts_http
start_http(int *port)
{
    struct ts_http h;

    assert_int_equal(ts_http_start(&h, serve_body, NULL), 0);
    *port = h.port;
    return h;
}

/* The newest value of the series with these labels (NULL-ended pairs). */
static bool
newest(struct store *st, double *v, const char *first, ...)
{
    struct label lv[8];
    struct labels ls = { lv, 0 };
    const char *name = first;
    struct sample s;
    uint32_t id;
    va_list ap;

    va_start(ap, first);
    while (name != NULL) {
        lv[ls.n].name = name;
        lv[ls.n++].value = va_arg(ap, const char *);
        name = va_arg(ap, const char *);
    }
    va_end(ap);
    labels_sort(&ls);
    if (!store_series_find(st, &ls, &id) || !store_last(st, id, INT64_MAX,
                                                        &s))
        return false;
    *v = s.v;
    return true;
}

/* Runs the pool until target 0 finished n scrapes. */
static void
scrape_n(struct scrape_pool *pool, size_t n)
{
    int64_t deadline = time_now_ms() + 10000;
    struct scrape_status s;

    scrape_pool_start_all(pool, time_now_ms());
    for (;;) {
        scrape_pool_status(pool, 0, &s);
        if (s.scrapes >= n || time_now_ms() > deadline)
            break;
        scrape_pool_wait(pool, -1, 20, NULL);
        scrape_pool_pump(pool, time_now_ms());
    }
    assert_int_equal(s.scrapes, n);
}

/* What each scrape of mr_body must leave in the store. */
static void
check_round(struct store *st, const char *inst)
{
    double v;

    assert_true(newest(st, &v, "__name__", "up", "instance", inst,
                       "job", "mr", NULL));
    assert_true(v == 1);
    assert_true(newest(st, &v, "__name__", "scrape_samples_scraped",
                       "instance", inst, "job", "mr", NULL));
    assert_true(v == 4);
    assert_true(newest(st, &v, "__name__",
                       "scrape_samples_post_metric_relabeling",
                       "instance", inst, "job", "mr", NULL));
    assert_true(v == 3);
    assert_true(newest(st, &v, "__name__", "a", "instance", inst, "job",
                       "mr", NULL));
    assert_true(v == 1);
    assert_true(newest(st, &v, "__name__", "b", "x", "1", "y", "got-1",
                       "instance", inst, "job", "mr", NULL));
    assert_true(v == 2);
    assert_false(newest(st, &v, "__name__", "b", "x", "2", "y", "got-2",
                        "instance", inst, "job", "mr", NULL));
    assert_false(newest(st, &v, "__name__", "b", "x", "2", "instance",
                        inst, "job", "mr", NULL));
    assert_true(newest(st, &v, "__name__", "c", "exported_instance",
                       "scraped", "instance", inst, "job", "mr", NULL));
    assert_true(v == 4);
}

/*
 * A series dropped by metric_relabel_configs is not stored and not
 * counted in scrape_samples_post_metric_relabeling; a rule's new label
 * is; a scraped label clashing with a target label is kept as
 * exported_<name>. The second scrape goes through the series cache and
 * must agree with the first.
 */
static void
test_metric_relabel_pool(void **state)
{
    struct fx *f = *state;
    struct loaded l;
    struct scrape_target_def *defs;
    struct store *st = store_new(3600 * 1000, 0);
    struct scrape_pool *pool = scrape_pool_new(st);
    char yml[1024], inst[64];
    int port;
    struct ts_http server = start_http(&port);
    size_t n;

    snprintf(inst, sizeof(inst), "127.0.0.1:%d", port);
    snprintf(yml, sizeof(yml),
             "scrape_configs:\n"
             "  - job_name: mr\n"
             "    scrape_interval: 1h\n"
             "    static_configs:\n"
             "      - targets: ['%s']\n"
             "    metric_relabel_configs:\n"
             "      - source_labels: [__name__, x]\n"
             "        separator: ''\n"
             "        regex: b2\n"
             "        action: drop\n"
             "      - source_labels: [x]\n"
             "        regex: '(.+)'\n"
             "        target_label: y\n"
             "        replacement: 'got-$1'\n", inst);
    load_config(&l, put_file(f, "mr.yml", yml));
    assert_int_equal(l.rc, 0);
    n = config_targets(&l.cfg, &defs);
    assert_int_equal(n, 1);
    assert_non_null(defs[0].metric_relabel);
    scrape_pool_set_targets(pool, defs, n, time_now_ms());
    config_target_defs_free(defs, n);
    for (size_t round = 1; round <= 2; round++) {
        scrape_n(pool, round);
        check_round(st, inst);
    }
    scrape_pool_free(pool);
    store_free(st);
    ts_http_stop(&server);
    config_fini(&l.cfg);
}

/* The targets d's groups give now, handed to the pool. */
static size_t
rebuild(const struct loaded *l, const struct discovery *d,
        struct scrape_pool *pool)
{
    struct scrape_target_def *defs;
    size_t n = config_targets_build(&l->cfg, d, &defs, NULL, NULL);

    scrape_pool_set_targets(pool, defs, n, time_now_ms());
    config_target_defs_free(defs, n);
    return n;
}

/*
 * The loop's use: a file edit adds a target, the rebuild keeps the one
 * already scraped (its history and count), and a removed file takes
 * every target away. The status shows the discovered labels.
 */
static void
test_pool_follows_files(void **state)
{
    struct fx *f = *state;
    struct loaded l;
    struct discovery *d;
    struct store *st = store_new(3600 * 1000, 0);
    struct scrape_pool *pool = scrape_pool_new(st);
    struct scrape_status s;
    char text[256];
    int port;
    struct ts_http server = start_http(&port);

    snprintf(text, sizeof(text), "[{\"targets\": [\"127.0.0.1:%d\"]}]",
             port);
    put_file(f, "t.json", text);
    load_config(&l, put_file(f, "p.yml", "scrape_configs:\n"
                                         "  - job_name: fs\n"
                                         "    scrape_interval: 1h\n"
                                         "    file_sd_configs:\n"
                                         "      - files: [t.json]\n"));
    assert_int_equal(l.rc, 0);
    d = config_discovery_new(&l.cfg);
    discovery_poll(d, 0);
    assert_true(discovery_changed(d));
    assert_int_equal(rebuild(&l, d, pool), 1);
    scrape_n(pool, 1);
    snprintf(text, sizeof(text), "[{\"targets\": [\"127.0.0.1:%d\", "
             "\"localhost:%d\"]}]", port, port);
    put_file(f, "t.json", text);
    discovery_poll(d, 1000);
    assert_true(discovery_changed(d));
    assert_int_equal(rebuild(&l, d, pool), 2);
    scrape_pool_status(pool, 0, &s);
    assert_int_equal(s.scrapes, 1);
    assert_int_equal(s.health, 1);
    assert_non_null(strstr(s.discovered, "__meta_filepath=\""));
    scrape_pool_status(pool, 1, &s);
    assert_int_equal(s.scrapes, 0);
    snprintf(text, sizeof(text), "%s/t.json", f->dir);
    assert_int_equal(unlink(text), 0);
    discovery_poll(d, 2000);
    assert_true(discovery_changed(d));
    assert_int_equal(rebuild(&l, d, pool), 0);
    assert_int_equal(scrape_pool_count(pool), 0);
    discovery_free(d);
    scrape_pool_free(pool);
    store_free(st);
    ts_http_stop(&server);
    config_fini(&l.cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_bad_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_glob, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_empty, setup, teardown),
        cmocka_unit_test(test_dns_localhost),
        cmocka_unit_test(test_dns_aaaa),
        cmocka_unit_test(test_dns_unresolvable),
        cmocka_unit_test_setup_teardown(test_dns_srv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relabel_discovered, setup,
                                        teardown),
        cmocka_unit_test(test_chapter9),
        cmocka_unit_test_setup_teardown(test_metric_relabel_pool, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pool_follows_files, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
