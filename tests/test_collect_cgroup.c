/*
 * Tests for the "cadvisor" collector: cgroup v1 and v2 trees (one captured
 * from a real v1 host, two built in the kernel's documented formats, and
 * this machine's live tree), with expected values worked out by hand from
 * the fixture files and cAdvisor's conversions; a fake Docker socket that
 * answers from recorded Engine API responses, hangs, or answers garbage;
 * and bad input: a cgroup that vanishes, a file that cannot be read, a
 * permission denied as a non-root user.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "src/base/buf.h"
#include "src/collect/cgroup.h"
#include "src/collect/cgroup_read.h"
#include "src/collect/cgroup_tree.h"
#include "src/collect/docker_parse.h"
#include "tests/support/docker.h"
#include "tests/support/fs.h"

#define A1 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define B2 "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
#define C3 "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"
#define D4 "d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4"
#define E5 "e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5"
#define XX "8dfafdbc3a40" \
    "0000000000000000000000000000000000000000000000000000"

#define V2_DOCKER "id=\"/system.slice/docker-" A1 ".scope\""
#define V2_PODMAN "id=\"/machine.slice/libpod-" B2 ".scope\""
#define V1_DOCKER "id=\"/docker/" D4 "\""
#define V1_SYSTEMD "id=\"/system.slice/docker-" E5 ".scope\""

/* ---- helpers ---- */

/* The value of the sample whose name and labels are exactly series
 * ("name{a=\"b\",...}"), or NAN when it is not in text. */
static double
value_of(const char *text, const char *series)
{
    size_t n = strlen(series);

    for (const char *p = text; p && *p; ) {
        if (strncmp(p, series, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return NAN;
}

static bool
has_text(const char *text, const char *needle)
{
    return strstr(text, needle) != NULL;
}

/* One collect of the tree at root into out (initialised here). */
static void *
collect_once(const char *root, struct buf *out)
{
    char err[256] = "";
    void *st = cgroup_collector.open(root, err, sizeof err);

    if (!st)
        fail_msg("open %s: %s", root, err);
    buf_init(out, 0);
    assert_int_equal(cgroup_collector.collect(st, out, err, sizeof err), 0);
    return st;
}

static void
fixture(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/cgroup/%s", ts_testdata(), name);
}

/* A copy of a fixture tree in a new temporary folder. */
static void
copy_fixture(char *dir, size_t size, const char *name)
{
    char src[512], cmd[2048];

    assert_int_equal(ts_tmpdir_new(dir, size, "cgroup"), 0);
    fixture(src, sizeof src, name);
    snprintf(cmd, sizeof cmd, "cp -a '%s/.' '%s/'", src, dir);
    assert_int_equal(system(cmd), 0);
}

#define EXPECT(text, series, want) \
    assert_float_equal(value_of(text, series), (want), 1e-9)
#define ABSENT(text, series) \
    assert_true(isnan(value_of(text, series)))

/* ---- layouts ---- */

static void
test_container_ids(void **state)
{
    (void)state;
    char id[72];

    assert_true(cgroup_container_id("docker-" A1 ".scope", id, sizeof id));
    assert_string_equal(id, A1);
    assert_true(cgroup_container_id("libpod-" B2 ".scope", id, sizeof id));
    assert_true(cgroup_container_id("cri-containerd-" C3 ".scope", id,
                                    sizeof id));
    assert_true(cgroup_container_id("crio-" C3 ".scope", id, sizeof id));
    assert_true(cgroup_container_id(D4, id, sizeof id));
    assert_false(cgroup_container_id("libpod-conmon-" B2 ".scope", id,
                                     sizeof id));
    assert_false(cgroup_container_id("ssh.service", id, sizeof id));
    assert_false(cgroup_container_id("docker-" "a1a1.scope", id, sizeof id));
    assert_false(cgroup_container_id("docker", id, sizeof id));
}

/* ---- cgroup v2, built from cgroup-v2.rst's formats ---- */

static void
test_v2_values(void **state)
{
    (void)state;
    char root[512];
    struct buf out;

    fixture(root, sizeof root, "v2-systemd");
    void *st = collect_once(root, &out);
    const char *t = buf_str(&out);

    /* cpu.stat is in microseconds. */
    EXPECT(t, "container_cpu_usage_seconds_total{" V2_DOCKER
           ",cpu=\"total\"}", 2.5);
    EXPECT(t, "container_cpu_user_seconds_total{" V2_DOCKER "}", 1.875);
    EXPECT(t, "container_cpu_system_seconds_total{" V2_DOCKER "}", 0.625);
    EXPECT(t, "container_cpu_cfs_throttled_seconds_total{" V2_DOCKER "}",
           0.0025);
    EXPECT(t, "container_cpu_cfs_periods_total{" V2_DOCKER "}", 40);
    /* cpu.max "50000 100000"; the Podman one says "max". */
    EXPECT(t, "container_spec_cpu_quota{" V2_DOCKER "}", 50000);
    EXPECT(t, "container_spec_cpu_period{" V2_DOCKER "}", 100000);
    ABSENT(t, "container_spec_cpu_quota{" V2_PODMAN "}");
    ABSENT(t, "container_cpu_cfs_periods_total{" V2_PODMAN "}");
    /* memory: anon, file, swap.current; working set = current -
     * inactive_file (104857600 - 13107200). */
    EXPECT(t, "container_memory_usage_bytes{" V2_DOCKER "}", 104857600);
    EXPECT(t, "container_memory_working_set_bytes{" V2_DOCKER "}",
           91750400);
    EXPECT(t, "container_memory_rss{" V2_DOCKER "}", 52428800);
    EXPECT(t, "container_memory_cache{" V2_DOCKER "}", 26214400);
    EXPECT(t, "container_memory_swap{" V2_DOCKER "}", 4096);
    EXPECT(t, "container_memory_failcnt{" V2_DOCKER "}", 3);
    EXPECT(t, "container_spec_memory_limit_bytes{" V2_DOCKER "}",
           268435456);
    EXPECT(t, "container_spec_memory_limit_bytes{" V2_PODMAN "}", 0);
    /* io.stat, the kernel document's own example line, on sda. */
    EXPECT(t, "container_fs_reads_bytes_total{" V2_DOCKER
           ",device=\"/dev/sda\"}", 1459200);
    EXPECT(t, "container_fs_writes_bytes_total{" V2_DOCKER
           ",device=\"/dev/sda\"}", 314773504);
    /* The first process's net/dev; lo is skipped as cAdvisor skips it. */
    EXPECT(t, "container_network_receive_bytes_total{" V2_DOCKER
           ",interface=\"eth0\"}", 25000000);
    EXPECT(t, "container_network_transmit_bytes_total{" V2_DOCKER
           ",interface=\"eth0\"}", 2500000);
    ABSENT(t, "container_network_receive_bytes_total{" V2_DOCKER
           ",interface=\"lo\"}");
    EXPECT(t, "container_processes{" V2_DOCKER "}", 2);
    /* Containerd under kubepods is found; conmon and services are not. */
    assert_true(has_text(t, "cri-containerd-" C3 ".scope"));
    assert_false(has_text(t, "libpod-conmon"));
    assert_false(has_text(t, "ssh.service"));
    /* The root cgroup: CPU only (v2's root has no memory.current). */
    EXPECT(t, "container_cpu_usage_seconds_total{id=\"/\",cpu=\"total\"}",
           987.654321);
    ABSENT(t, "container_memory_usage_bytes{id=\"/\"}");
    EXPECT(t, "container_scrape_error", 0);
    assert_string_equal(cgroup_collector_note(st), "");
    cgroup_collector.close(st);
    buf_fini(&out);
}

/* ---- cgroup v1, built from the controllers' documented formats ---- */

static void
test_v1_values(void **state)
{
    (void)state;
    char root[512];
    struct buf out;

    fixture(root, sizeof root, "v1-docker");
    void *st = collect_once(root, &out);
    const char *t = buf_str(&out);

    EXPECT(t, "container_cpu_usage_seconds_total{" V1_DOCKER
           ",cpu=\"total\"}", 3);
    /* cpuacct.stat is in USER_HZ ticks (100 a second): 225 and 75. */
    EXPECT(t, "container_cpu_user_seconds_total{" V1_DOCKER "}", 2.25);
    EXPECT(t, "container_cpu_system_seconds_total{" V1_DOCKER "}", 0.75);
    EXPECT(t, "container_cpu_cfs_throttled_seconds_total{" V1_DOCKER "}",
           0.007);
    EXPECT(t, "container_spec_cpu_quota{" V1_DOCKER "}", 150000);
    /* cfs_quota_us -1: no quota, so neither the quota nor CFS series. */
    ABSENT(t, "container_spec_cpu_quota{" V1_SYSTEMD "}");
    ABSENT(t, "container_cpu_cfs_periods_total{" V1_SYSTEMD "}");
    /* use_hierarchy 1: the total_* keys; working set 209715200 -
     * 26214400. */
    EXPECT(t, "container_memory_working_set_bytes{" V1_DOCKER "}",
           183500800);
    EXPECT(t, "container_memory_cache{" V1_DOCKER "}", 52428800);
    EXPECT(t, "container_memory_rss{" V1_DOCKER "}", 104857600);
    EXPECT(t, "container_memory_swap{" V1_DOCKER "}", 3276800);
    EXPECT(t, "container_spec_memory_limit_bytes{" V1_DOCKER "}",
           536870912);
    /* The kernel's "unlimited" (2^63 rounded to a page) shows as 0. */
    EXPECT(t, "container_spec_memory_limit_bytes{" V1_SYSTEMD "}", 0);
    /* The CFQ file holds only "Total 0": the throttle file is used. */
    EXPECT(t, "container_fs_reads_bytes_total{" V1_DOCKER
           ",device=\"/dev/sda\"}", 4096);
    EXPECT(t, "container_fs_writes_bytes_total{" V1_DOCKER
           ",device=\"/dev/sda\"}", 8192);
    EXPECT(t, "container_network_receive_bytes_total{" V1_DOCKER
           ",interface=\"eth0\"}", 30000000);
    EXPECT(t, "container_memory_working_set_bytes{id=\"/\"}", 3758096384);
    cgroup_collector.close(st);
    buf_fini(&out);
}

/* ---- captured from a real v1 host ---- */

static double
file_number(const char *path)
{
    char *text = ts_read_file(path);
    double v = strtod(text, NULL);

    free(text);
    return v;
}

static void
test_v1_host_capture(void **state)
{
    (void)state;
    char root[512], path[600];
    struct buf out;

    fixture(root, sizeof root, "v1-host");
    void *st = collect_once(root, &out);
    snprintf(path, sizeof path, "%s/sys/fs/cgroup/cpuacct/cpuacct.usage",
             root);
    EXPECT(buf_str(&out), "container_cpu_usage_seconds_total{id=\"/\","
           "cpu=\"total\"}", file_number(path) / 1e9);
    snprintf(path, sizeof path, "%s/sys/fs/cgroup/memory/"
             "memory.usage_in_bytes", root);
    EXPECT(buf_str(&out), "container_memory_usage_bytes{id=\"/\"}",
           file_number(path));
    cgroup_collector.close(st);
    buf_fini(&out);
}

/* ---- this machine's live tree ---- */

static void
test_live_tree(void **state)
{
    (void)state;
    struct buf out;
    char err[256];
    struct cgroup_tree t;

    if (cgroup_tree_open(&t, "", err, sizeof err) < 0) {
        print_message("skipped: %s\n", err);
        skip();
    }
    bool v2 = t.v2;
    cgroup_tree_fini(&t);
    const char *usage = v2 ? "/sys/fs/cgroup/cpu.stat"
                           : "/sys/fs/cgroup/cpuacct/cpuacct.usage";
    double before = v2 ? NAN : file_number(usage) / 1e9;
    void *st = collect_once("", &out);
    double after = v2 ? NAN : file_number(usage) / 1e9;
    double got = value_of(buf_str(&out), "container_cpu_usage_seconds_total"
                          "{id=\"/\",cpu=\"total\"}");
    if (!v2) {
        assert_true(got >= before && got <= after);
    } else {
        assert_false(isnan(got));
    }
    assert_true(has_text(buf_str(&out), "container_last_seen{id=\"/\"}"));
    cgroup_collector.close(st);
    buf_fini(&out);
}

/* ---- bad input ---- */

/* A container whose cgroup vanishes (it exited between the scan and the
 * read: its cgroup.procs is gone, or its whole folder) is left out; the
 * others stay and nothing is an error. */
static void
test_vanishing(void **state)
{
    (void)state;
    char dir[256], path[1024], note[256];
    struct buf out;
    struct cgroup_stats st;

    copy_fixture(dir, sizeof dir, "v2-systemd");
    snprintf(path, sizeof path, "%s/sys/fs/cgroup/machine.slice/libpod-"
             B2 ".scope/cgroup.procs", dir);
    assert_int_equal(unlink(path), 0);
    void *c = collect_once(dir, &out);
    assert_false(has_text(buf_str(&out), "libpod-" B2));
    EXPECT(buf_str(&out), "container_memory_usage_bytes{" V2_DOCKER "}",
           104857600);
    EXPECT(buf_str(&out), "container_scrape_error", 0);
    cgroup_collector.close(c);
    buf_fini(&out);

    snprintf(path, sizeof path, "%s/sys/fs/cgroup/gone", dir);
    struct cgroup_dirs dirs = { .v2 = true, .unified = path };
    assert_int_equal(cgroup_read(&dirs, dir, &st, note, sizeof note),
                     CGROUP_READ_GONE);
    ts_tmpdir_remove(dir);
}

/* A file that cannot be read (here a folder where memory.stat should
 * be) loses that container's memory breakdown only, with a note. */
static void
test_unreadable_file(void **state)
{
    (void)state;
    char dir[256], path[1024];
    struct buf out;

    copy_fixture(dir, sizeof dir, "v2-systemd");
    snprintf(path, sizeof path, "%s/sys/fs/cgroup/system.slice/docker-"
             A1 ".scope/memory.stat", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkdir(path, 0755), 0);
    void *st = collect_once(dir, &out);
    const char *t = buf_str(&out);
    EXPECT(t, "container_scrape_error", 1);
    assert_true(has_text(cgroup_collector_note(st), "memory.stat"));
    assert_true(has_text(cgroup_collector_note(st), "directory"));
    EXPECT(t, "container_cpu_usage_seconds_total{" V2_DOCKER
           ",cpu=\"total\"}", 2.5);
    EXPECT(t, "container_memory_usage_bytes{" V2_PODMAN "}", 52428800);
    cgroup_collector.close(st);
    buf_fini(&out);
    ts_tmpdir_remove(dir);
}

/* Run as a non-root user, a file only root may read gives "Permission
 * denied" in the note and the rest of the scrape. The check runs in a
 * child that drops to nobody when the tests run as root. */
static void
test_permission_denied(void **state)
{
    (void)state;
    char dir[256], path[1024];

    copy_fixture(dir, sizeof dir, "v2-systemd");
    snprintf(path, sizeof path, "%s/sys/fs/cgroup/system.slice/docker-"
             A1 ".scope/io.stat", dir);
    assert_int_equal(chmod(path, 0), 0);
    chmod(dir, 0755);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
            _exit(3);
        char err[256];
        struct buf out;
        buf_init(&out, 0);
        void *st = cgroup_collector.open(dir, err, sizeof err);
        if (!st || cgroup_collector.collect(st, &out, err, sizeof err) < 0)
            _exit(4);
        if (!has_text(cgroup_collector_note(st), "Permission denied"))
            _exit(5);
        if (value_of(buf_str(&out), "container_memory_usage_bytes{"
                     V2_DOCKER "}") != 104857600)
            _exit(6);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    ts_tmpdir_remove(dir);
}

static void
test_no_hierarchy(void **state)
{
    (void)state;
    char err[256];

    assert_null(cgroup_collector.open("/nonexistent", err, sizeof err));
    assert_true(has_text(err, "no cgroup hierarchy"));
}

/* ---- Docker: parsing the recorded Engine API answers ---- */

static void
test_docker_parse(void **state)
{
    (void)state;
    char path[512], err[256];
    struct docker_container *v, c;
    size_t n;

    snprintf(path, sizeof path, "%s/docker/containers.json", ts_testdata());
    char *body = ts_read_file(path);
    assert_int_equal(docker_parse_list(body, strlen(body), &v, &n, err,
                                       sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, A1);
    assert_string_equal(v[0].name, "web");
    assert_string_equal(v[0].state, "running");
    assert_string_equal(v[0].health, "healthy");
    assert_int_equal(v[0].nlabels, 3);
    assert_string_equal(v[1].name, "boring_feynman");
    assert_string_equal(v[1].state, "exited");
    for (size_t i = 0; i < n; i++)
        docker_container_fini(&v[i]);
    free(v);
    free(body);

    snprintf(path, sizeof path, "%s/docker/inspect-" A1 ".json",
             ts_testdata());
    body = ts_read_file(path);
    assert_int_equal(docker_parse_inspect(body, strlen(body), &c, err,
                                          sizeof err), 0);
    assert_int_equal(c.restarts, 3);
    assert_string_equal(c.image, "nginx:1.23");
    /* 2015-01-06T15:47:32.072697474Z */
    assert_int_equal(c.started_s, 1420559252);
    docker_container_fini(&c);
    free(body);

    assert_int_equal(docker_parse_list("{\"message\":\"x\"}", 15, &v, &n,
                                       err, sizeof err), -1);
    assert_true(has_text(err, "expected a list"));
    assert_int_equal(docker_parse_list("garbage<<<", 10, &v, &n, err,
                                       sizeof err), -1);
}

/* ---- Docker: a fake socket answering from the recorded answers ---- */

/* Collects until pred holds on the text, up to 100 times 20 ms apart
 * (answers are taken at the collect after they arrive). */
static bool
collect_until(void *st, struct buf *out, const char *needle)
{
    char err[256];

    for (int i = 0; i < 100; i++) {
        buf_reset(out);
        assert_int_equal(cgroup_collector.collect(st, out, err, sizeof err),
                         0);
        if (has_text(buf_str(out), needle))
            return true;
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
    }
    return false;
}

static void
with_docker(enum ts_docker_mode mode, char *dir, size_t size,
            pid_t *pid, void **st, struct buf *out)
{
    char root[512], sock[512], host[600], err[256], data[512];

    assert_int_equal(ts_tmpdir_new(dir, size, "docker"), 0);
    snprintf(sock, sizeof sock, "%s/docker.sock", dir);
    snprintf(host, sizeof host, "unix://%s", sock);
    snprintf(data, sizeof data, "%s/docker", ts_testdata());
    *pid = ts_docker_start(sock, data, mode);
    setenv("DOCKER_HOST", host, 1);
    fixture(root, sizeof root, "v2-systemd");
    *st = cgroup_collector.open(root, err, sizeof err);
    assert_non_null(*st);
    unsetenv("DOCKER_HOST");
    buf_init(out, 0);
}

static void
test_docker_names(void **state)
{
    (void)state;
    char dir[256];
    pid_t pid;
    void *st;
    struct buf out;

    with_docker(TS_DOCKER_ANSWER, dir, sizeof dir, &pid, &st, &out);
    /* The details (Config.Image, RestartCount) come a collect later. */
    assert_true(collect_until(st, &out, "container_restarts{"));
    const char *t = buf_str(&out);
    assert_true(has_text(t, V2_DOCKER ",image=\"nginx:1.23\",name=\"web\"}"));
    assert_true(has_text(t, "container_label_com_example_vendor=\"Acme\""));
    assert_true(has_text(t, ",state=\"running\"} 1"));
    assert_true(has_text(t, "name=\"web\"} 3\n"));        /* restarts */
    assert_true(has_text(t, "container_health_state{"));
    /* The exited container: state only, under a Docker cgroup path. */
    assert_true(has_text(t, "id=\"/docker/" XX "\",image=\"ubuntu:latest\","
                         "name=\"boring_feynman\",state=\"exited\"} 1"));
    assert_false(has_text(t, "container_memory_usage_bytes{container_label"
                          "_com_example_license=\"GPL\",container_label_com"
                          "_example_vendor=\"Acme\",container_label_com_"
                          "example_version=\"1.0\",id=\"/docker/" XX));
    /* Containers Docker does not know keep their cgroup id. */
    assert_true(has_text(t, "container_memory_usage_bytes{" V2_PODMAN "}"));
    assert_string_equal(cgroup_collector_note(st), "");
    cgroup_collector.close(st);
    buf_fini(&out);
    ts_docker_stop(pid);
    ts_tmpdir_remove(dir);
}

/* A socket that answers garbage: a note, the cgroups unharmed. */
static void
test_docker_garbage(void **state)
{
    (void)state;
    char dir[256];
    pid_t pid;
    void *st;
    struct buf out;

    with_docker(TS_DOCKER_GARBAGE, dir, sizeof dir, &pid, &st, &out);
    assert_true(collect_until(st, &out, "container_scrape_error"));
    for (int i = 0; i < 100 && !has_text(cgroup_collector_note(st),
                                         "docker: "); i++) {
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
        collect_until(st, &out, "container_scrape_error");
    }
    assert_true(has_text(cgroup_collector_note(st), "docker: "));
    assert_true(has_text(cgroup_collector_note(st), "expected a list"));
    assert_true(has_text(cgroup_collector_note(st), "cgroup id"));
    EXPECT(buf_str(&out), "container_memory_usage_bytes{" V2_DOCKER "}",
           104857600);
    cgroup_collector.close(st);
    buf_fini(&out);
    ts_docker_stop(pid);
    ts_tmpdir_remove(dir);
}

/* A socket that accepts and never answers: every collect still returns
 * at once with the cgroups; the note comes when the request times out
 * (after DOCKER_TIMEOUT_MS, so it is not waited for here). */
static void
test_docker_hang(void **state)
{
    (void)state;
    char dir[256], err[256];
    pid_t pid;
    void *st;
    struct buf out;

    with_docker(TS_DOCKER_HANG, dir, sizeof dir, &pid, &st, &out);
    for (int i = 0; i < 5; i++) {
        buf_reset(&out);
        assert_int_equal(cgroup_collector.collect(st, &out, err, sizeof err),
                         0);
        EXPECT(buf_str(&out), "container_memory_usage_bytes{" V2_DOCKER "}",
               104857600);
        assert_false(has_text(buf_str(&out), "name=\"web\""));
    }
    cgroup_collector.close(st);
    buf_fini(&out);
    ts_docker_stop(pid);
    ts_tmpdir_remove(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_container_ids),
        cmocka_unit_test(test_v2_values),
        cmocka_unit_test(test_v1_values),
        cmocka_unit_test(test_v1_host_capture),
        cmocka_unit_test(test_live_tree),
        cmocka_unit_test(test_vanishing),
        cmocka_unit_test(test_unreadable_file),
        cmocka_unit_test(test_permission_denied),
        cmocka_unit_test(test_no_hierarchy),
        cmocka_unit_test(test_docker_parse),
        cmocka_unit_test_teardown(test_docker_names, ts_docker_teardown),
        cmocka_unit_test_teardown(test_docker_garbage, ts_docker_teardown),
        cmocka_unit_test_teardown(test_docker_hang, ts_docker_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
