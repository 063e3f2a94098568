/*
 * The node collector on fixture trees. The captured tree
 * (tests/data/collect/vm-debian12, made by tests/collect_capture.sh) is
 * compared with what the real node_exporter 1.5 answered for the same
 * files: every series, value, HELP and TYPE of the families both have.
 * Copies of it, broken on purpose, show that a missing /proc/pressure is
 * no error, and that an odd, vanished or unreadable file costs only its
 * own part, with a note naming it. A statfs that never returns (a dead
 * NFS mount), injected, marks its mount stuck without holding up the
 * collection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/base/buf.h"
#include "src/collect/collect.h"
#include "src/collect/node.h"
#include "src/collect/node_part.h"
#include "src/collect/node_statfs.h"
#include "tests/support/fs.h"

/* One exposition text as lines: samples ("name{labels}" and value) and
 * comment lines (HELP, TYPE) as they are. */
struct expo_lines {
    char **key;
    double *v;
    size_t n;
    char **comment;
    size_t ncomment;
};

static void
lines_parse(struct expo_lines *e, const char *text)
{
    char *copy = strdup(text), *line, *save = NULL;

    memset(e, 0, sizeof(*e));
    e->key = calloc(8192, sizeof(char *));
    e->v = calloc(8192, sizeof(double));
    e->comment = calloc(8192, sizeof(char *));
    for (line = strtok_r(copy, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        char *sp = strrchr(line, ' ');

        if (line[0] == '#') {
            e->comment[e->ncomment++] = strdup(line);
            continue;
        }
        assert_non_null(sp);
        assert_true(e->n < 8192);
        e->key[e->n] = strndup(line, (size_t)(sp - line));
        e->v[e->n++] = strtod(sp + 1, NULL);
    }
    free(copy);
}

static void
lines_free(struct expo_lines *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->key[i]);
    for (size_t i = 0; i < e->ncomment; i++)
        free(e->comment[i]);
    free(e->key);
    free(e->v);
    free(e->comment);
}

/* The metric name of a key, into out. */
static void
name_of(const char *key, char *out, size_t size)
{
    snprintf(out, size, "%.*s", (int)strcspn(key, "{"), key);
}

static bool
has_name(const struct expo_lines *e, const char *name)
{
    char n[256];

    for (size_t i = 0; i < e->n; i++) {
        name_of(e->key[i], n, sizeof(n));
        if (strcmp(n, name) == 0)
            return true;
    }
    return false;
}

static const double *
find(const struct expo_lines *e, const char *key)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->key[i], key) == 0)
            return &e->v[i];
    return NULL;
}

static bool
has_comment(const struct expo_lines *e, const char *line)
{
    for (size_t i = 0; i < e->ncomment; i++)
        if (strcmp(e->comment[i], line) == 0)
            return true;
    return false;
}

/* One collection on root: its text in out, its note in err; returns
 * collect's status. */
static int
collect_on(const char *root, struct buf *out, char *err, size_t errsz)
{
    char open_err[256] = "";
    void *st = node_collector_ops.open(root, open_err, sizeof(open_err));
    int rc;

    assert_non_null(st);
    buf_init(out, 0);
    rc = node_collector_ops.collect(st, out, err, errsz);
    node_collector_ops.close(st);
    return rc;
}

static const char *
fixture(void)
{
    static char path[1024];

    snprintf(path, sizeof(path), "%s/collect/vm-debian12", ts_testdata());
    return path;
}

/* Values that depend on when and how fast, not on the files. */
static bool
timing_only(const char *name)
{
    return strcmp(name, "node_scrape_collector_duration_seconds") == 0;
}

static void
test_matches_node_exporter(void **state)
{
    char path[1100], err[512] = "", name[256];
    char *expected_text;
    struct expo_lines mine, theirs;
    struct buf out;
    size_t compared = 0;

    (void)state;
    assert_int_equal(collect_on(fixture(), &out, err, sizeof(err)), 0);
    assert_string_equal(err, "");
    snprintf(path, sizeof(path), "%s/node_exporter.prom", fixture());
    expected_text = ts_read_file(path);
    lines_parse(&mine, buf_str(&out));
    lines_parse(&theirs, expected_text);
    /* Every series node_exporter has in a family promdeck writes, with
     * the same value; no extra series in those families. */
    for (size_t i = 0; i < theirs.n; i++) {
        const double *v;

        name_of(theirs.key[i], name, sizeof(name));
        if (!has_name(&mine, name))
            continue;
        if ((v = find(&mine, theirs.key[i])) == NULL)
            fail_msg("promdeck lacks %s", theirs.key[i]);
        if (!timing_only(name) && fabs(*v - theirs.v[i])
            > 1e-9 * fabs(theirs.v[i]))
            fail_msg("%s: promdeck %.17g, node_exporter %.17g",
                     theirs.key[i], *v, theirs.v[i]);
        compared++;
    }
    for (size_t i = 0; i < mine.n; i++) {
        name_of(mine.key[i], name, sizeof(name));
        if (has_name(&theirs, name) && find(&theirs, mine.key[i]) == NULL
            && strstr(mine.key[i], "collector=") == NULL)
            fail_msg("only promdeck: %s", mine.key[i]);
    }
    /* HELP and TYPE of every family both have, word for word. */
    for (size_t i = 0; i < mine.ncomment; i++) {
        const char *n = mine.comment[i] + 7;

        snprintf(name, sizeof(name), "%.*s", (int)strcspn(n, " "), n);
        if (has_name(&theirs, name) && !has_comment(&theirs,
                                                    mine.comment[i]))
            fail_msg("node_exporter has no line '%s'", mine.comment[i]);
    }
    assert_true(compared > 180);
    assert_true(has_name(&mine, "node_memory_MemTotal_bytes"));
    assert_true(has_name(&mine, "node_pressure_io_stalled_seconds_total"));
    lines_free(&mine);
    lines_free(&theirs);
    free(expected_text);
    buf_fini(&out);
}

/* node_exporter's mount rules on the fixture's table: pseudo filesystems
 * and /dev, /proc, /sys, docker's layers skipped, \040 read as a space,
 * a mount listed twice reported once, "ro" seen in the options. */
static void
test_filesystems(void **state)
{
    char err[512] = "";
    struct expo_lines mine;
    struct buf out;
    const double *v;
    size_t sizes = 0;

    (void)state;
    assert_int_equal(collect_on(fixture(), &out, err, sizeof(err)), 0);
    lines_parse(&mine, buf_str(&out));
    for (size_t i = 0; i < mine.n; i++)
        sizes += strncmp(mine.key[i], "node_filesystem_device_error{", 29)
                 == 0;
    assert_int_equal(sizes, 3);     /* /, /srv/shared data, /run */
    v = find(&mine, "node_filesystem_readonly{device=\"/dev/vdb\","
             "fstype=\"ext4\",mountpoint=\"/srv/shared data\"}");
    if (v != NULL)      /* not when the fixture has no such folder */
        assert_true(*v == 1);
    assert_non_null(find(&mine, "node_filesystem_device_error{device="
                         "\"/dev/vdb\",fstype=\"ext4\",mountpoint="
                         "\"/srv/shared data\"}"));
    assert_non_null(find(&mine, "node_filesystem_device_error{device="
                         "\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run\"}"));
    v = find(&mine, "node_filesystem_device_error{device=\"/dev/vda\","
             "fstype=\"ext4\",mountpoint=\"/\"}");
    assert_non_null(v);
    assert_true(*v == 0);       /* the fixture folder itself */
    assert_non_null(find(&mine, "node_filesystem_size_bytes{device="
                         "\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"}"));
    lines_free(&mine);
    buf_fini(&out);
}

/* A copy of the fixture in a fresh folder; returns its path in dir. */
static void
copy_fixture(char *dir, size_t size, const char *tag)
{
    char cmd[4096];

    assert_int_equal(ts_tmpdir_new(dir, size, tag), 0);
    snprintf(cmd, sizeof(cmd), "cp -R '%s/proc' '%s/sys' '%s/'", fixture(),
             fixture(), dir);
    assert_int_equal(system(cmd), 0);
    chmod(dir, 0755);
}

static void
write_in(const char *dir, const char *rel, const char *text)
{
    char path[1200];

    snprintf(path, sizeof(path), "%s%s", dir, rel);
    ts_write_file(path, text);
}

static void
test_no_pressure_is_no_error(void **state)
{
    char dir[256], cmd[600], err[512] = "";
    struct buf out;

    (void)state;
    copy_fixture(dir, sizeof(dir), "nopsi");
    snprintf(cmd, sizeof(cmd), "rm -r '%s/proc/pressure'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_string_equal(err, "");
    assert_null(strstr(buf_str(&out), "node_pressure_"));
    assert_non_null(strstr(buf_str(&out), "node_scrape_collector_success"
                           "{collector=\"pressure\"} 0\n"));
    assert_non_null(strstr(buf_str(&out), "\nnode_load1 "));
    buf_fini(&out);
    ts_tmpdir_remove(dir);
}

/* meminfo's odd but valid lines: no unit, parentheses, a blank line. */
static void
test_odd_meminfo(void **state)
{
    char dir[256], err[512] = "";
    struct buf out;

    (void)state;
    copy_fixture(dir, sizeof(dir), "meminfo");
    write_in(dir, "/proc/meminfo", "MemTotal:       1024 kB\n\n"
             "Active(anon):     12 kB\nHugePages_Total:       3\n");
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_string_equal(err, "");
    assert_non_null(strstr(buf_str(&out), "\nnode_memory_MemTotal_bytes "
                           "1048576\n"));
    assert_non_null(strstr(buf_str(&out), "\nnode_memory_Active_anon_bytes "
                           "12288\n"));
    assert_non_null(strstr(buf_str(&out), "# HELP node_memory_HugePages_"
                           "Total Memory information field HugePages_Total."
                           "\n# TYPE node_memory_HugePages_Total gauge\n"
                           "node_memory_HugePages_Total 3\n"));
    buf_fini(&out);
    /* A line that is not "key: number": meminfo is left out, with a
     * note, and everything else is still there. */
    write_in(dir, "/proc/meminfo", "MemTotal:   1024 kB\nGarbage here\n");
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "meminfo: /proc/meminfo: bad line"));
    assert_null(strstr(buf_str(&out), "node_memory_"));
    assert_non_null(strstr(buf_str(&out), "node_scrape_collector_success"
                           "{collector=\"meminfo\"} 0\n"));
    assert_non_null(strstr(buf_str(&out), "node_cpu_seconds_total{"));
    buf_fini(&out);
    ts_tmpdir_remove(dir);
}

/* Files that are gone (a kernel without them, a container's /proc):
 * each costs its own part only. With nothing but syscalls left, the
 * collection still succeeds on time and uname. */
static void
test_vanished_files(void **state)
{
    char dir[256], cmd[600], err[512] = "";
    struct buf out;

    (void)state;
    copy_fixture(dir, sizeof(dir), "gone");
    snprintf(cmd, sizeof(cmd), "rm '%s/proc/diskstats' '%s/proc/net/dev'",
             dir, dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "diskstats: /proc/diskstats: No such file"));
    assert_non_null(strstr(err, "netdev: /proc/net/dev: No such file"));
    assert_null(strstr(buf_str(&out), "node_disk_"));
    assert_non_null(strstr(buf_str(&out), "\nnode_memory_MemTotal_bytes "));
    buf_fini(&out);
    snprintf(cmd, sizeof(cmd), "rm -r '%s/proc'", dir);
    assert_int_equal(system(cmd), 0);
    err[0] = '\0';
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "stat: /proc/stat: No such file"));
    assert_non_null(strstr(buf_str(&out), "\nnode_time_seconds "));
    assert_non_null(strstr(buf_str(&out), "node_uname_info{"));
    buf_fini(&out);
    ts_tmpdir_remove(dir);
}

/*
 * An unreadable file, as a user who may not read it: in a child that
 * drops to nobody when the tests run as root (root reads anything).
 * The child exits 0 when the note and the rest are right.
 */
static int
unreadable_child(const char *dir)
{
    char err[512] = "";
    struct buf out;
    int rc;

    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        return 3;
    rc = collect_on(dir, &out, err, sizeof(err));
    if (rc != 0 || strstr(err, "meminfo: /proc/meminfo: Permission "
                          "denied") == NULL)
        return 1;
    if (strstr(buf_str(&out), "node_memory_") != NULL
        || strstr(buf_str(&out), "\nnode_load1 ") == NULL)
        return 2;
    buf_fini(&out);
    return 0;
}

static void
test_permission_denied(void **state)
{
    char dir[256], path[400];
    int status;
    pid_t pid;

    (void)state;
    copy_fixture(dir, sizeof(dir), "perm");
    snprintf(path, sizeof(path), "%s/proc/meminfo", dir);
    assert_int_equal(chmod(path, 0), 0);
    fflush(NULL);
    if ((pid = fork()) == 0)
        _exit(unreadable_child(dir));
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    ts_tmpdir_remove(dir);
}

/* A cpu counter the kernel moved back keeps its last value, as
 * node_exporter keeps it; a drop of idle by 3 s or more is a cpu that
 * came back from hotplug, and starts again. */
static void
test_cpu_counters_never_go_back(void **state)
{
    char dir[256], err[512] = "", open_err[64];
    void *st;
    struct buf out;

    (void)state;
    copy_fixture(dir, sizeof(dir), "cpu");
    st = node_collector_ops.open(dir, open_err, sizeof(open_err));
    assert_non_null(st);
    write_in(dir, "/proc/stat", "cpu0 100 0 50 10000 7 0 0 0 0 0\n");
    buf_init(&out, 0);
    assert_int_equal(node_collector_ops.collect(st, &out, err, sizeof(err)),
                     0);
    buf_reset(&out);
    write_in(dir, "/proc/stat", "cpu0 101 0 50 9990 5 0 0 0 0 0\n");
    assert_int_equal(node_collector_ops.collect(st, &out, err, sizeof(err)),
                     0);
    /* (ticks of 1/100 s) idle fell by 0.1 s: kept, and iowait too. */
    assert_non_null(strstr(buf_str(&out), "{cpu=\"0\",mode=\"idle\"} 100\n"));
    assert_non_null(strstr(buf_str(&out), "{cpu=\"0\",mode=\"iowait\"} "
                           "0.07\n"));
    assert_non_null(strstr(buf_str(&out), "{cpu=\"0\",mode=\"user\"} "
                           "1.01\n"));
    buf_reset(&out);
    write_in(dir, "/proc/stat", "cpu0 5 0 1 20 1 0 0 0 0 0\n");
    assert_int_equal(node_collector_ops.collect(st, &out, err, sizeof(err)),
                     0);
    assert_non_null(strstr(buf_str(&out), "{cpu=\"0\",mode=\"idle\"} 0.2\n"));
    assert_non_null(strstr(buf_str(&out), "{cpu=\"0\",mode=\"user\"} "
                           "0.05\n"));
    buf_fini(&out);
    node_collector_ops.close(st);
    ts_tmpdir_remove(dir);
}

/*
 * A stand-in for statfs(2): "/run" blocks, like a mount whose server is
 * gone, until the test lets it go; every other mount answers at once
 * with 100 blocks of 4096 bytes. Calls for /run are counted.
 */
static pthread_mutex_t hang_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hang_cv = PTHREAD_COND_INITIALIZER;
static bool hang_released;
static int hang_calls;

static int
hanging_statfs(const char *path, struct statfs *st)
{
    size_t n = strlen(path);

    if (n >= 4 && strcmp(path + n - 4, "/run") == 0) {
        pthread_mutex_lock(&hang_mu);
        hang_calls++;
        while (!hang_released)
            pthread_cond_wait(&hang_cv, &hang_mu);
        pthread_mutex_unlock(&hang_mu);
    }
    memset(st, 0, sizeof(*st));
    st->f_blocks = 100;
    st->f_bsize = 4096;
    return 0;
}

#define RUN_LABELS "{device=\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run\"}"
#define ROOT_LABELS "{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"}"

static void
collect_again(void *st, struct buf *out, char *err, size_t errsz)
{
    buf_reset(out);
    err[0] = '\0';
    assert_int_equal(node_collector_ops.collect(st, out, err, errsz), 0);
}

/* The stuck mount: an error, noted once, not asked again while its call
 * hangs; the others are read as usual; back once the call returns. */
static void
test_stuck_mount(void **state)
{
    char err[512], open_err[64];
    struct node_state *s;
    struct buf out;

    (void)state;
    s = node_collector_ops.open(fixture(), open_err, sizeof(open_err));
    assert_non_null(s);
    fs_watch_free(s->fswatch);
    /* A limit no live call comes near, even on a loaded machine: the
     * test waits for it once. */
    s->fswatch = fs_watch_new(hanging_statfs, 1000);
    buf_init(&out, 0);
    collect_again(s, &out, err, sizeof(err));
    assert_non_null(strstr(err, "filesystem: /run: statfs gave no answer"));
    assert_non_null(strstr(buf_str(&out), "node_filesystem_device_error"
                           RUN_LABELS " 1\n"));
    assert_null(strstr(buf_str(&out), "node_filesystem_size_bytes"
                       RUN_LABELS));
    assert_null(strstr(buf_str(&out), "node_filesystem_readonly"
                       RUN_LABELS));
    assert_non_null(strstr(buf_str(&out), "node_filesystem_size_bytes"
                           ROOT_LABELS " 409600\n"));
    assert_non_null(strstr(buf_str(&out), "node_scrape_collector_success"
                           "{collector=\"filesystem\"} 1\n"));
    assert_int_equal(fs_watch_stuck(s->fswatch), 1);

    /* Still hanging: skipped without a call, no second note. */
    collect_again(s, &out, err, sizeof(err));
    assert_null(strstr(err, "/run"));
    assert_non_null(strstr(buf_str(&out), "node_filesystem_device_error"
                           RUN_LABELS " 1\n"));
    pthread_mutex_lock(&hang_mu);
    assert_int_equal(hang_calls, 1);
    hang_released = true;
    pthread_cond_broadcast(&hang_cv);
    pthread_mutex_unlock(&hang_mu);

    /* The call returned: the mount is read again. (The worker posts its
     * answer just after the stand-in returns; wait for that, bounded.) */
    for (int i = 0; i < 500 && strstr(buf_str(&out),
         "node_filesystem_device_error" RUN_LABELS " 0\n") == NULL; i++) {
        usleep(10000);
        collect_again(s, &out, err, sizeof(err));
    }
    assert_non_null(strstr(buf_str(&out), "node_filesystem_device_error"
                           RUN_LABELS " 0\n"));
    assert_non_null(strstr(buf_str(&out), "node_filesystem_size_bytes"
                           RUN_LABELS " 409600\n"));
    assert_int_equal(fs_watch_stuck(s->fswatch), 0);
    buf_fini(&out);
    node_collector_ops.close(s);
}

/* node_cpu_isolated from the kernel's cpu list, one series per cpu of
 * each range; an empty list (nothing isolated) and a missing file have
 * none, as in node_exporter; a list that does not parse is a note. */
static void
test_isolated_cpus(void **state)
{
    char dir[256], err[512] = "", cmd[700];
    struct buf out;

    (void)state;
    copy_fixture(dir, sizeof(dir), "isol");
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_null(strstr(buf_str(&out), "node_cpu_isolated"));
    buf_fini(&out);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/devices/system/cpu'", dir);
    assert_int_equal(system(cmd), 0);
    write_in(dir, "/sys/devices/system/cpu/isolated", "\n");
    err[0] = '\0';
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_string_equal(err, "");
    assert_null(strstr(buf_str(&out), "node_cpu_isolated"));
    buf_fini(&out);
    write_in(dir, "/sys/devices/system/cpu/isolated", "1-2,5\n");
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_string_equal(err, "");
    assert_non_null(strstr(buf_str(&out), "# HELP node_cpu_isolated Whether "
                           "each core is isolated, information from /sys/"
                           "devices/system/cpu/isolated.\n# TYPE node_cpu_"
                           "isolated gauge\nnode_cpu_isolated{cpu=\"1\"} 1\n"
                           "node_cpu_isolated{cpu=\"2\"} 1\n"
                           "node_cpu_isolated{cpu=\"5\"} 1\n"));
    buf_fini(&out);
    write_in(dir, "/sys/devices/system/cpu/isolated", "3-1\n");
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "stat: /sys/devices/system/cpu/isolated: "
                           "expected a cpu list"));
    assert_null(strstr(buf_str(&out), "node_cpu_isolated"));
    assert_non_null(strstr(buf_str(&out), "node_cpu_seconds_total{"));
    buf_fini(&out);
    ts_tmpdir_remove(dir);
}

/* receive_nohandler from each device's sysfs statistics, for the
 * devices that have the file. */
static void
test_nohandler(void **state)
{
    char dir[256], err[512] = "", cmd[700];
    struct buf out;

    (void)state;
    copy_fixture(dir, sizeof(dir), "nohandler");
    write_in(dir, "/proc/net/dev", "Inter-|   Receive |  Transmit\n"
             " face |bytes packets errs drop fifo frame compressed multicast"
             "|bytes packets errs drop fifo colls carrier compressed\n"
             "    lo: 10 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0\n"
             "  eth0: 20 2 0 0 0 0 0 0 30 3 0 0 0 0 0 0\n");
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/class/net/eth0/statistics'",
             dir);
    assert_int_equal(system(cmd), 0);
    write_in(dir, "/sys/class/net/eth0/statistics/rx_nohandler", "42\n");
    assert_int_equal(collect_on(dir, &out, err, sizeof(err)), 0);
    assert_non_null(strstr(buf_str(&out), "# HELP node_network_receive_"
                           "nohandler_total Network device statistic "
                           "receive_nohandler.\n# TYPE node_network_receive_"
                           "nohandler_total counter\nnode_network_receive_"
                           "nohandler_total{device=\"eth0\"} 42\n"));
    assert_null(strstr(buf_str(&out), "nohandler_total{device=\"lo\"}"));
    buf_fini(&out);
    ts_tmpdir_remove(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_node_exporter),
        cmocka_unit_test(test_filesystems),
        cmocka_unit_test(test_no_pressure_is_no_error),
        cmocka_unit_test(test_odd_meminfo),
        cmocka_unit_test(test_vanished_files),
        cmocka_unit_test(test_permission_denied),
        cmocka_unit_test(test_cpu_counters_never_go_back),
        cmocka_unit_test(test_stuck_mount),
        cmocka_unit_test(test_isolated_cpus),
        cmocka_unit_test(test_nohandler),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
