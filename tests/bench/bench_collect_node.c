/*
 * The node collector's cost against the real node_exporter's, measured
 * in the same run on the same host. promdeck: CPU time per collection
 * (the collector alone, then a whole built-in scrape: collect, parse,
 * commit into the store), the text it writes and the memory its state
 * and buffers hold. node_exporter (Debian's prometheus-node-exporter,
 * started here on 127.0.0.1 with the same collectors): its own process
 * CPU time per /metrics scrape (utime + stime from /proc/PID/stat around
 * the scrapes) and its resident memory. Prints figures and ratios only.
 *
 *   bench_collect_node [SCRAPES]      (default 300)
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scrape/pool.h"
#include "src/collect/collect.h"
#include "src/collect/node.h"
#include "store/store.h"
#include "tests/bench/bench.h"

#define NODE_EXPORTER "/usr/bin/prometheus-node-exporter"

/* A process's resident memory in KiB (VmRSS), 0 if unknown. */
static long
rss_kib(pid_t pid)
{
    char path[64], line[256];
    long kib = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return 0;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

/* A process's user + system CPU seconds from /proc/PID/stat. */
static double
proc_cpu_s(pid_t pid)
{
    char path[64], text[2048], *p;
    unsigned long ut = 0, st = 0;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    /* Fields after the command's closing parenthesis; utime is 14th. */
    if ((p = strrchr(text, ')')) == NULL
        || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu "
                  "%lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* GET /metrics from 127.0.0.1:port, the body read and dropped; bytes
 * read, or -1. */
static long
http_get(int port)
{
    static const char req[] = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1"
                              "\r\n\r\n";
    struct sockaddr_in a = { .sin_family = AF_INET };
    char chunk[65536];
    long total = 0;
    ssize_t n;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0
        || write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        total += n;
    close(fd);
    return total;
}

/* A free loopback port (bound, then released for node_exporter). */
static int
free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&a, sizeof(a));
    getsockname(fd, (struct sockaddr *)&a, &len);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static pid_t
start_node_exporter(int port)
{
    char listen[64];
    pid_t pid;

    snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%d",
             port);
    if ((pid = fork()) == 0) {
        freopen("/dev/null", "w", stderr);
        execl(NODE_EXPORTER, NODE_EXPORTER, listen,
              "--collector.disable-defaults", "--collector.cpu",
              "--collector.stat", "--collector.loadavg",
              "--collector.meminfo", "--collector.pressure",
              "--collector.diskstats", "--collector.netdev",
              "--collector.filesystem", "--collector.time",
              "--collector.uname", "--collector.netdev.device-exclude=",
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && http_get(port) <= 0; i++)
        usleep(100000);
    return pid;
}

/* node_exporter's CPU seconds per scrape, its RSS (KiB) and body size. */
static int
measure_node_exporter(int scrapes, double *cpu, long *rss, long *bytes)
{
    int port = free_port(), status;
    pid_t pid;
    double c0;

    if (access(NODE_EXPORTER, X_OK) != 0)
        return -1;
    pid = start_node_exporter(port);
    for (int i = 0; i < 10; i++)        /* warm up */
        *bytes = http_get(port);
    c0 = proc_cpu_s(pid);
    for (int i = 0; i < scrapes; i++)
        http_get(port);
    *cpu = (proc_cpu_s(pid) - c0) / scrapes;
    *rss = rss_kib(pid);
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    return *bytes > 0 ? 0 : -1;
}

/* The collector alone: CPU seconds per collection, text bytes, heap
 * bytes its state and buffers hold. */
static void
measure_collector(int scrapes, double *cpu, size_t *bytes, size_t *heap)
{
    char err[512];
    size_t h0 = mallinfo2().uordblks;
    void *st = node_collector_ops.open("", err, sizeof(err));
    struct buf out;
    double c0;

    buf_init(&out, 0);
    node_collector_ops.collect(st, &out, err, sizeof(err));
    *bytes = out.len;
    *heap = mallinfo2().uordblks - h0;
    c0 = bench_cpu_s();
    for (int i = 0; i < scrapes; i++) {
        buf_reset(&out);
        node_collector_ops.collect(st, &out, err, sizeof(err));
    }
    *cpu = (bench_cpu_s() - c0) / scrapes;
    buf_fini(&out);
    node_collector_ops.close(st);
}

/* A whole built-in scrape through the pool into a store, a second of
 * scrape time apart: CPU seconds per scrape, and the store's series. */
static void
measure_scrape(int scrapes, double *cpu, size_t *series)
{
    struct collect_set *set = collect_set_open("");
    struct store *st = store_new(3600 * 1000, 0);
    struct scrape_pool *p = scrape_pool_new(st);
    struct label lv[2] = { { "instance", "bench" }, { "job", "node" } };
    struct scrape_target_def d = {
        .job = "node", .scheme = "http", .address = "bench:80",
        .metrics_path = "/metrics", .labels = { lv, 2 },
        .interval_ms = 1000, .timeout_ms = 1000,
        .builtin = collect_set_builtin(set, 0),
    };
    int64_t t = 1700000000000LL;
    struct store_stats ss;
    double c0;

    scrape_pool_set_targets(p, &d, 1, t);
    scrape_pool_start_all(p, t);
    scrape_pool_pump(p, t);
    c0 = bench_cpu_s();
    for (int i = 1; i <= scrapes; i++) {
        scrape_pool_start_all(p, t + i * 1000LL);
        scrape_pool_pump(p, t + i * 1000LL);
    }
    *cpu = (bench_cpu_s() - c0) / scrapes;
    store_get_stats(st, &ss);
    *series = ss.series;
    scrape_pool_free(p);
    store_free(st);
    collect_set_free(set);
}

int
main(int argc, char **argv)
{
    long arg = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
    int scrapes = arg > 100000 ? 100000 : (int)arg;
    double pd_cpu, pd_scrape_cpu, ne_cpu = 0;
    size_t pd_bytes, pd_heap, series;
    long ne_rss = 0, ne_bytes = 0;

    if (scrapes < 10)
        scrapes = 10;
    measure_collector(scrapes, &pd_cpu, &pd_bytes, &pd_heap);
    measure_scrape(scrapes, &pd_scrape_cpu, &series);
    printf("node collector, %d collections of this host\n", scrapes);
    printf("  promdeck collect:          %8.1f us CPU, %zu bytes of text, "
           "%zu KiB heap (state and buffers)\n", pd_cpu * 1e6, pd_bytes,
           pd_heap / 1024);
    printf("  promdeck collect+commit:   %8.1f us CPU per scrape (%zu series "
           "in the store), process RSS %ld KiB\n", pd_scrape_cpu * 1e6,
           series, rss_kib(getpid()));
    if (measure_node_exporter(scrapes, &ne_cpu, &ne_rss, &ne_bytes) < 0) {
        printf("  node_exporter: not measured (%s missing or not "
               "answering)\n", NODE_EXPORTER);
        return 0;
    }
    printf("  node_exporter 1.5 scrape:  %8.1f us CPU of its own process, "
           "%ld bytes of text, RSS %ld KiB\n", ne_cpu * 1e6, ne_bytes,
           ne_rss);
    printf("  ratio node_exporter/promdeck: %.1fx CPU (collect), %.1fx CPU "
           "(collect+commit), %.0fx memory (its RSS / collector heap)\n",
           ne_cpu / pd_cpu, ne_cpu / pd_scrape_cpu,
           (double)ne_rss * 1024 / (double)(pd_heap ? pd_heap : 1));
    return 0;
}
