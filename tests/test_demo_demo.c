/*
 * Tests for promdeck --demo (src/demo/demo.c and the generators behind it):
 * the targets are fetched over real TCP connections with plain sockets,
 * their bodies checked line by line against the exposition grammar and
 * against the captures in tests/data/exposition, and the dashboard's
 * queries in tests/data/promql/diamol-ch09-dashboard.promql matched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "src/base/buf.h"
#include "src/demo/demo.h"
#include "tests/support/fs.h"

/* One parsed sample; labels is the raw text between the braces. */
struct smp {
    char name[128];
    char labels[512];
    double value;
};

/* One body, parsed: samples and the families' TYPE and HELP. */
struct body {
    struct smp *s;
    size_t n;
    char fam[128][128];
    char type[128][16];
    char help[128][512];
    size_t nfam;
};

static struct demo *dm;
static const struct demo_target *tg;
static size_t ntg;

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static int
port_of(const struct demo_target *t)
{
    const char *colon = strrchr(t->address, ':');

    assert_non_null(colon);
    return (int)strtol(colon + 1, NULL, 10);
}

/* A connected socket to 127.0.0.1:port, or -1 (errno set). */
static int
dial(int port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static void
send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

        assert_true(w > 0);
        s += w;
        n -= (size_t)w;
    }
}

/* Everything the peer sends until it closes. */
static void
recv_all(int fd, struct buf *b)
{
    char tmp[4096];
    ssize_t r;

    while ((r = recv(fd, tmp, sizeof tmp, 0)) > 0)
        assert_int_equal(buf_append(b, tmp, (size_t)r), 0);
}

/*
 * One response from raw bytes at *p: status code, Content-Type into
 * ctype, body into body. Advances *p past it. Content-Length is required.
 */
static int
parse_response(const char **p, char *ctype, size_t ctlen, struct buf *body)
{
    const char *s = *p, *eoh = strstr(s, "\r\n\r\n"), *h;
    long code, clen = -1;

    assert_non_null(eoh);
    assert_memory_equal(s, "HTTP/1.1 ", 9);
    code = strtol(s + 9, NULL, 10);
    for (h = strstr(s, "\r\n") + 2; h < eoh; h = strstr(h, "\r\n") + 2) {
        if (strncasecmp(h, "Content-Length: ", 16) == 0)
            clen = strtol(h + 16, NULL, 10);
        if (strncasecmp(h, "Content-Type: ", 14) == 0 && ctype != NULL)
            snprintf(ctype, ctlen, "%.*s", (int)(strstr(h, "\r\n") - h - 14),
                     h + 14);
    }
    assert_true(clen >= 0);
    buf_reset(body);
    assert_int_equal(buf_append(body, eoh + 4, (size_t)clen), 0);
    *p = eoh + 4 + clen;
    return (int)code;
}

/* GET path from port over a fresh connection; returns the status. */
static int
http_get(int port, const char *path, struct buf *body, char *ctype,
         size_t ctlen)
{
    struct buf raw;
    char req[256];
    const char *p;
    int fd = dial(port), code;

    assert_true(fd >= 0);
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Connection: close\r\n\r\n", path);
    send_all(fd, req, strlen(req));
    buf_init(&raw, 0);
    recv_all(fd, &raw);
    close(fd);
    p = buf_str(&raw);
    code = parse_response(&p, ctype, ctlen, body);
    assert_string_equal(p, "");     /* nothing after the body */
    buf_fini(&raw);
    return code;
}

/* label = name "=" '"' escaped-value '"'; labels = label ("," label)* ","? */
static const char *
check_labels(const char *p, int line)
{
    while (*p != '}') {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
              || *p == '_'))
            fail_msg("line %d: bad label name at '%s'", line, p);
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
               || (*p >= '0' && *p <= '9') || *p == '_')
            p++;
        if (p[0] != '=' || p[1] != '"')
            fail_msg("line %d: expected =\" at '%s'", line, p);
        for (p += 2; *p != '"'; p++) {
            if (*p == '\\') {
                p++;
                if (*p != '\\' && *p != '"' && *p != 'n')
                    fail_msg("line %d: bad escape", line);
            }
            if (*p == '\n' || *p == '\0')
                fail_msg("line %d: unterminated label value", line);
        }
        p++;
        if (*p == ',')
            p++;
        else if (*p != '}')
            fail_msg("line %d: expected , or } at '%s'", line, p);
    }
    return p + 1;
}

/* Whether sample name belongs to family f of type t. */
static int
in_family(const char *name, const char *f, const char *t)
{
    size_t n = strlen(f);

    if (strcmp(name, f) == 0)
        return 1;
    if (strncmp(name, f, n) != 0)
        return 0;
    if (strcmp(t, "histogram") == 0 && strcmp(name + n, "_bucket") == 0)
        return 1;
    return (strcmp(t, "histogram") == 0 || strcmp(t, "summary") == 0)
           && (strcmp(name + n, "_sum") == 0
               || strcmp(name + n, "_count") == 0);
}

/* sample = name ("{" labels "}")? SP value LF */
static void
parse_sample(struct body *b, const char *line, int ln)
{
    struct smp *s;
    const char *p = line, *lb;
    char *end;

    b->s = realloc(b->s, (b->n + 1) * sizeof *b->s);
    assert_non_null(b->s);
    s = &b->s[b->n++];
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
           || (*p >= '0' && *p <= '9') || *p == '_' || *p == ':')
        p++;
    if (p == line || (*line >= '0' && *line <= '9'))
        fail_msg("line %d: bad metric name '%s'", ln, line);
    snprintf(s->name, sizeof s->name, "%.*s", (int)(p - line), line);
    s->labels[0] = '\0';
    if (*p == '{') {
        lb = p + 1;
        p = check_labels(lb, ln);
        snprintf(s->labels, sizeof s->labels, "%.*s", (int)(p - lb - 1), lb);
    }
    if (*p != ' ')
        fail_msg("line %d: expected a space before the value", ln);
    s->value = strtod(p + 1, &end);
    if (end == p + 1 || *end != '\n')
        fail_msg("line %d: bad value '%s'", ln, p + 1);
    if (b->nfam == 0 || !in_family(s->name, b->fam[b->nfam - 1],
                                   b->type[b->nfam - 1]))
        fail_msg("line %d: %s outside its family", ln, s->name);
}

/* Parses a whole body; any departure from the text format fails. */
static void
parse_body(struct body *b, const char *text)
{
    int ln = 0;

    memset(b, 0, sizeof *b);
    for (const char *p = text; *p != '\0'; p = strchr(p, '\n') + 1) {
        char name[128], rest[512];

        ln++;
        if (strchr(p, '\n') == NULL)
            fail_msg("line %d: no final newline", ln);
        if (*p == '\n')
            continue;
        if (strncmp(p, "# HELP ", 7) == 0) {
            assert_true(b->nfam < 128);
            rest[0] = '\0';
            assert_true(sscanf(p + 7, "%127s %511[^\n]", name, rest) >= 1);
            snprintf(b->fam[b->nfam], 128, "%s", name);
            /* HELP text as written, keeping Micrometer's odd spaces */
            snprintf(b->help[b->nfam], 512, "%.*s",
                     (int)(strchr(p, '\n') - p - 7 - strlen(name)),
                     p + 7 + strlen(name));
            continue;
        }
        if (strncmp(p, "# TYPE ", 7) == 0) {
            assert_int_equal(sscanf(p + 7, "%127s %15s", name, rest), 2);
            assert_string_equal(name, b->fam[b->nfam]);
            snprintf(b->type[b->nfam++], 16, "%.15s", rest);
            continue;
        }
        if (*p == '#')
            fail_msg("line %d: unexpected comment", ln);
        parse_sample(b, p, ln);
    }
}

static void
body_fini(struct body *b)
{
    free(b->s);
    b->s = NULL;
}

static int
has_labels(const char *labels, const char *want)
{
    return want == NULL || strstr(labels, want) != NULL;
}

/* The sum of the samples called name whose labels contain want. */
static double
value_of(const struct body *b, const char *name, const char *want,
         int *found)
{
    double v = 0;

    *found = 0;
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->s[i].name, name) == 0
            && has_labels(b->s[i].labels, want)) {
            v += b->s[i].value;
            (*found)++;
        }
    return v;
}

static double
must(const struct body *b, const char *name, const char *want)
{
    int found;
    double v = value_of(b, name, want, &found);

    if (!found)
        fail_msg("no sample %s{%s}", name, want != NULL ? want : "");
    return v;
}

static int
family_index(const struct body *b, const char *f)
{
    for (size_t i = 0; i < b->nfam; i++)
        if (strcmp(b->fam[i], f) == 0)
            return (int)i;
    return -1;
}

static void
fetch(size_t i, struct body *b)
{
    struct buf raw;
    char ctype[128];

    buf_init(&raw, 0);
    assert_int_equal(http_get(port_of(&tg[i]), tg[i].metrics_path, &raw,
                              ctype, sizeof ctype), 200);
    assert_true(strncmp(ctype, "text/plain", 10) == 0);
    assert_non_null(strstr(ctype, "version=0.0.4"));
    parse_body(b, buf_str(&raw));
    buf_fini(&raw);
}

static size_t
target_of(const char *job, int nth)
{
    for (size_t i = 0; i < ntg; i++)
        if (strcmp(tg[i].job, job) == 0 && nth-- == 0)
            return i;
    fail_msg("no target %d of job %s", nth, job);
    return 0;
}

static int
group_setup(void **state)
{
    struct diag d;

    (void)state;
    unsetenv("PROMDECK_DEMO_CYCLE");
    dm = demo_start(&d);
    if (dm == NULL)
        return -1;
    ntg = demo_targets(dm, &tg);
    sleep_ms(1200);     /* let every app serve a little traffic */
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    demo_stop(dm);
    dm = NULL;
    return 0;
}

/* The chapter's prometheus.yml: four jobs, the paths it scrapes. */
static void
test_targets_match_the_chapter(void **state)
{
    static const char *const jobs[] = {
        "image-gallery", "image-gallery", "image-gallery", "iotd-api",
        "access-log", "access-log", "access-log", "docker"
    };

    (void)state;
    assert_int_equal(ntg, 8);
    for (size_t i = 0; i < ntg; i++) {
        assert_string_equal(tg[i].job, jobs[i]);
        assert_string_equal(tg[i].metrics_path,
                            i == 3 ? "/actuator/prometheus" : "/metrics");
        assert_true(strncmp(tg[i].address, "127.0.0.1:", 10) == 0);
        assert_true(port_of(&tg[i]) > 0);
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(port_of(&tg[i]), port_of(&tg[j]));
    }
}

/* Every family the demo writes is one the real app writes, with the same
 * type and HELP (the captures in tests/data/exposition). */
static void
check_against_capture(const struct body *b, const char *file,
                      const char *const *extra)
{
    char path[512];
    struct body cap;
    struct buf raw;
    FILE *f;
    char chunk[4096];
    size_t r;

    snprintf(path, sizeof path, "%s/exposition/%s", ts_testdata(), file);
    f = fopen(path, "r");
    assert_non_null(f);
    buf_init(&raw, 0);
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&raw, chunk, r);
    fclose(f);
    parse_body(&cap, buf_str(&raw));
    for (size_t i = 0; i < b->nfam; i++) {
        int k = family_index(&cap, b->fam[i]), skip = 0;

        for (size_t e = 0; extra != NULL && extra[e] != NULL; e++)
            skip |= strcmp(extra[e], b->fam[i]) == 0;
        if (skip)
            continue;
        if (k < 0)
            fail_msg("%s: family %s is not in %s", tg[0].job, b->fam[i], file);
        assert_string_equal(b->type[i], cap.type[k]);
        assert_string_equal(b->help[i], cap.help[k]);
    }
    body_fini(&cap);
    buf_fini(&raw);
}

static void
need_families(const struct body *b, const char *const *names)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (family_index(b, names[i]) < 0)
            fail_msg("family %s missing", names[i]);
}

static void
test_gallery_body(void **state)
{
    static const char *const want[] = {
        "image_gallery_requests_total", "image_gallery_in_flight_requests",
        "image_gallery_request_duration_seconds", "go_goroutines",
        "go_threads", "go_memstats_alloc_bytes",
        "go_memstats_alloc_bytes_total",
        "go_memstats_heap_inuse_bytes", "go_memstats_stack_inuse_bytes",
        "go_memstats_sys_bytes", "process_cpu_seconds_total",
        "process_resident_memory_bytes", "process_open_fds",
        "process_start_time_seconds", "promhttp_metric_handler_requests_total",
        NULL
    };
    static const char *const ours[] = {
        "image_gallery_request_duration_seconds", NULL
    };
    struct body b;

    (void)state;
    for (int r = 0; r < 3; r++) {
        fetch(target_of("image-gallery", r), &b);
        need_families(&b, want);
        check_against_capture(&b, "image-gallery-go-mimic.prom", ours);
        must(&b, "image_gallery_requests_total", "code=\"200\",method=\"get\"");
        must(&b, "image_gallery_requests_total", "code=\"500\",method=\"get\"");
        must(&b, "image_gallery_request_duration_seconds_bucket",
             "method=\"get\",le=\"+Inf\"");
        body_fini(&b);
    }
}

static void
test_iotd_body(void **state)
{
    static const char *const want[] = {
        "method_timed_seconds", "method_timed_seconds_max",
        "iotd_api_image_load_total", "jvm_memory_used_bytes",
        "tomcat_threads_current_threads", "http_server_requests_seconds",
        "process_start_time_seconds", "process_uptime_seconds", NULL
    };
    struct body b;
    struct buf raw;

    (void)state;
    fetch(target_of("iotd-api", 0), &b);
    need_families(&b, want);
    check_against_capture(&b, "iotd-springboot-micrometer-mimic.prom", NULL);
    must(&b, "iotd_api_image_load_total", "status=\"success\",");
    must(&b, "tomcat_threads_current_threads", "name=\"http-nio-80\",");
    must(&b, "jvm_memory_used_bytes", "area=\"heap\",id=\"G1 Eden Space\",");
    body_fini(&b);
    /* Micrometer's quirks: a comma before }, Double.toString values. */
    buf_init(&raw, 0);
    assert_int_equal(http_get(port_of(&tg[3]), tg[3].metrics_path, &raw,
                              NULL, 0), 200);
    assert_non_null(strstr(buf_str(&raw), "system_cpu_count 2.0\n"));
    assert_non_null(strstr(buf_str(&raw), "{area=\"heap\",id=\"G1 Old Gen\",}"
                           " 3.145728E7\n"));
    buf_fini(&raw);
}

static void
test_access_log_body(void **state)
{
    static const char *const want[] = {
        "access_log_total", "access_client_ip_current",
        "nodejs_active_handles", "nodejs_external_memory_bytes",
        "nodejs_heap_size_used_bytes", "nodejs_eventloop_lag_seconds",
        "process_cpu_seconds_total", "process_start_time_seconds", NULL
    };
    struct body b;
    struct buf raw;
    const char *host;

    (void)state;
    for (int r = 0; r < 3; r++) {
        fetch(target_of("access-log", r), &b);
        need_families(&b, want);
        check_against_capture(&b, "access-log-nodejs-promclient-15.1.3.prom",
                              NULL);
        /* the default label comes after the metric's own labels */
        for (size_t i = 0; i < b.n; i++) {
            host = strstr(b.s[i].labels, "hostname=\"");
            assert_non_null(host);
            if (strncmp(b.s[i].name, "nodejs_gc_duration_seconds", 26) != 0)
                assert_null(strchr(host, ','));
        }
        must(&b, "nodejs_active_handles", "type=\"Socket\",hostname=");
        body_fini(&b);
    }
    /* prom-client sets families apart with a blank line */
    buf_init(&raw, 0);
    assert_int_equal(http_get(port_of(&tg[4]), "/metrics", &raw, NULL, 0),
                     200);
    assert_non_null(strstr(buf_str(&raw), "\n\n# HELP access_client_ip_"));
    buf_fini(&raw);
}

static void
test_docker_body(void **state)
{
    static const char *const want[] = {
        "engine_daemon_container_states_containers",
        "engine_daemon_health_checks_failed_total",
        "engine_daemon_engine_info", "engine_daemon_container_actions_seconds",
        "go_goroutines", "go_memstats_stack_inuse_bytes",
        "process_cpu_seconds_total", NULL
    };
    struct body b;

    (void)state;
    fetch(target_of("docker", 0), &b);
    need_families(&b, want);
    check_against_capture(&b, "docker-engine-24.0.7-mimic.prom", NULL);
    assert_true(must(&b, "engine_daemon_container_states_containers",
                     "state=\"running\"") > 0);
    must(&b, "engine_daemon_container_states_containers", "state=\"paused\"");
    must(&b, "engine_daemon_container_states_containers", "state=\"stopped\"");
    assert_true(must(&b, "engine_daemon_engine_info", "os_type=\"linux\"")
                == 1);
    body_fini(&b);
}

/* Labels without the le pair, with no trailing comma: a series key. */
static void
strip_le(const char *labels, char *out, size_t n)
{
    const char *p = labels;
    size_t o = 0;

    out[0] = '\0';
    while (*p != '\0') {
        const char *q = p;
        int in = 0;

        while (*q != '\0' && (in || *q != ',')) {
            if (*q == '"' && q[-1] != '\\')
                in = !in;
            q++;
        }
        if (strncmp(p, "le=", 3) != 0 && q > p) {
            o += (size_t)snprintf(out + o, n - o, "%s%.*s", o ? "," : "",
                                  (int)(q - p), p);
        }
        p = *q == ',' ? q + 1 : q;
    }
}

/* Buckets cumulative, le ascending, +Inf last and equal to _count. */
static void
check_histograms(const struct body *b)
{
    size_t i = 0;

    while (i < b->n) {
        char key[512], k2[512], cname[160];
        const char *nm = b->s[i].name;
        size_t len = strlen(nm);
        double prev_le = -INFINITY, prev = 0, last_le = 0, last = 0;
        int found;

        if (len < 8 || strcmp(nm + len - 7, "_bucket") != 0) {
            i++;
            continue;
        }
        strip_le(b->s[i].labels, key, sizeof key);
        for (; i < b->n && strcmp(b->s[i].name, nm) == 0; i++) {
            const char *le = strstr(b->s[i].labels, "le=\"");

            strip_le(b->s[i].labels, k2, sizeof k2);
            if (strcmp(k2, key) != 0)
                break;
            assert_non_null(le);
            last_le = strtod(le + 4, NULL);
            assert_true(last_le > prev_le);
            assert_true(b->s[i].value >= prev);
            prev_le = last_le;
            prev = last = b->s[i].value;
        }
        assert_true(isinf(last_le));
        snprintf(cname, sizeof cname, "%.*s_count", (int)(len - 7), nm);
        found = 0;
        for (size_t j = 0; j < b->n; j++) {
            if (strcmp(b->s[j].name, cname) != 0)
                continue;
            strip_le(b->s[j].labels, k2, sizeof k2);
            if (strcmp(k2, key) == 0) {
                assert_true(b->s[j].value == last);
                found = 1;
            }
        }
        if (!found)
            fail_msg("no %s{%s}", cname, key);
    }
}

static void
test_histograms_consistent(void **state)
{
    struct body b;

    (void)state;
    sleep_ms(300);
    for (size_t t = 0; t < ntg; t++) {
        fetch(t, &b);
        check_histograms(&b);
        body_fini(&b);
    }
}

/* Every counter sample, keyed by name and labels. */
static void
check_counters_grow(const struct body *a, const struct body *b)
{
    for (size_t i = 0; i < a->n; i++) {
        int k = -1;

        for (size_t j = 0; j < a->nfam; j++)
            if (in_family(a->s[i].name, a->fam[j], a->type[j]))
                k = (int)j;
        if (k < 0 || strcmp(a->type[k], "counter") != 0)
            continue;
        for (size_t j = 0; j < b->n; j++)
            if (strcmp(b->s[j].name, a->s[i].name) == 0
                && strcmp(b->s[j].labels, a->s[i].labels) == 0
                && b->s[j].value < a->s[i].value)
                fail_msg("counter %s{%s} went down", a->s[i].name,
                         a->s[i].labels);
    }
}

static void
test_counters_increase(void **state)
{
    struct body a[8], b[8];
    double g0 = 0, g1 = 0, l0 = 0, l1 = 0;

    (void)state;
    for (size_t t = 0; t < ntg; t++)
        fetch(t, &a[t]);
    sleep_ms(1500);
    for (size_t t = 0; t < ntg; t++)
        fetch(t, &b[t]);
    for (size_t t = 0; t < ntg; t++) {
        check_counters_grow(&a[t], &b[t]);
        /* every scrape is counted, so this one moves by exactly one */
        if (strcmp(tg[t].job, "image-gallery") == 0) {
            assert_true(must(&b[t], "promhttp_metric_handler_requests_total",
                             "code=\"200\"")
                        == must(&a[t], "promhttp_metric_handler_requests_"
                                "total", "code=\"200\"") + 1);
            g0 += must(&a[t], "image_gallery_requests_total", NULL);
            g1 += must(&b[t], "image_gallery_requests_total", NULL);
        }
        if (strcmp(tg[t].job, "access-log") == 0) {
            l0 += must(&a[t], "access_log_total", NULL);
            l1 += must(&b[t], "access_log_total", NULL);
        }
    }
    assert_true(g1 > g0);
    assert_true(l1 > l0);
    assert_true(must(&b[3], "method_timed_seconds_count", "exception=\"none\"")
                > must(&a[3], "method_timed_seconds_count",
                       "exception=\"none\""));
    assert_true(must(&b[3], "process_uptime_seconds", NULL)
                > must(&a[3], "process_uptime_seconds", NULL));
    for (size_t t = 0; t < ntg; t++) {
        body_fini(&a[t]);
        body_fini(&b[t]);
    }
}

/* Checks one selector "name{k="v",...}" of a panel against a body. */
static void
check_selector(const struct body *b, const char *sel, size_t len)
{
    char name[128], want[256];
    const char *br = memchr(sel, '{', len), *p;
    size_t nlen = br != NULL ? (size_t)(br - sel) : len;

    snprintf(name, sizeof name, "%.*s", (int)nlen, sel);
    if (br == NULL) {
        must(b, name, NULL);
        return;
    }
    /* each matcher k="v" (job is a target label, not in the body) */
    for (p = br + 1; p < sel + len && *p != '}';) {
        const char *q = strchr(p, '"');

        q = strchr(q + 1, '"') + 1;
        snprintf(want, sizeof want, "%.*s", (int)(q - p), p);
        if (strncmp(want, "job=", 4) != 0)
            must(b, name, want);
        p = *q == ',' ? q + 1 : q;
    }
}

/* The metric selectors of one PromQL expression: identifiers not called,
 * not inside braces, not in a without/by list. */
static void
check_expr(const struct body *b, const char *e)
{
    const char *p = e;

    while (*p != '\0') {
        const char *s = p, *id_end;

        if (!((*p >= 'a' && *p <= 'z') || *p == '_')) {
            p++;
            continue;
        }
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
               || *p == '_' || *p == ':')
            p++;
        if ((p - s == 7 && strncmp(s, "without", 7) == 0)
            || (p - s == 2 && strncmp(s, "by", 2) == 0)) {
            p = strchr(p, ')') + 1;
            continue;
        }
        id_end = p;
        while (*p == ' ')
            p++;
        if (*p == '(')
            continue;
        if (*p == '{')
            id_end = p = strchr(p, '}') + 1;
        check_selector(b, s, (size_t)(id_end - s));
    }
}

static void
test_dashboard_queries_have_data(void **state)
{
    char path[512], line[512], job[64] = "";
    FILE *f;
    int panels = 0;
    struct body b;

    (void)state;
    snprintf(path, sizeof path, "%s/promql/diamol-ch09-dashboard.promql",
             ts_testdata());
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        char *bar = strchr(line, '|'), *j = strstr(line, "job=\""), *c;

        if (line[0] == '#') {
            if (j != NULL)
                snprintf(job, sizeof job, "%.*s",
                         (int)strcspn(j + 5, "\""), j + 5);
            continue;
        }
        if (bar == NULL)
            continue;
        if ((c = strstr(bar, " #")) != NULL)
            *c = '\0';
        assert_true(job[0] != '\0');
        fetch(target_of(job, 0), &b);
        check_expr(&b, bar + 1);
        body_fini(&b);
        panels++;
    }
    fclose(f);
    assert_int_equal(panels, 18);
}

static void
test_http_details(void **state)
{
    struct buf body, raw;
    const char *p;
    char big[8192];
    int fd;
    const char *two = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                      "HEAD /metrics HTTP/1.1\r\nConnection: close\r\n\r\n";

    (void)state;
    buf_init(&body, 0);
    assert_int_equal(http_get(port_of(&tg[0]), "/nope", &body, NULL, 0), 404);
    assert_int_equal(http_get(port_of(&tg[3]), "/metrics", &body, NULL, 0),
                     404);
    assert_int_equal(http_get(port_of(&tg[0]), "/metrics?x=1", &body, NULL,
                              0), 200);
    /* three pipelined requests on one kept-alive connection */
    fd = dial(port_of(&tg[0]));
    assert_true(fd >= 0);
    send_all(fd, two, strlen(two));
    buf_init(&raw, 0);
    recv_all(fd, &raw);
    close(fd);
    p = buf_str(&raw);
    assert_int_equal(parse_response(&p, NULL, 0, &body), 200);
    assert_non_null(strstr(buf_str(&body), "image_gallery_requests_total"));
    assert_int_equal(parse_response(&p, NULL, 0, &body), 404);
    /* HEAD: headers with the length, no body */
    assert_memory_equal(p, "HTTP/1.1 200 OK\r\n", 17);
    assert_non_null(strstr(p, "Content-Length: "));
    assert_string_equal(strstr(p, "\r\n\r\n"), "\r\n\r\n");
    /* HTTP/1.0 without keep-alive: one answer, then the server closes */
    buf_reset(&raw);
    fd = dial(port_of(&tg[4]));
    p = "GET /metrics HTTP/1.0\r\n\r\n";
    send_all(fd, p, strlen(p));
    recv_all(fd, &raw);
    close(fd);
    p = buf_str(&raw);
    assert_int_equal(parse_response(&p, NULL, 0, &body), 200);
    assert_string_equal(p, "");
    assert_non_null(strstr(buf_str(&raw), "Connection: close\r\n"));
    /* POST is refused, as is a head that never ends */
    buf_reset(&raw);
    fd = dial(port_of(&tg[7]));
    p = "POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi";
    send_all(fd, p, strlen(p));
    recv_all(fd, &raw);
    close(fd);
    assert_memory_equal(buf_str(&raw), "HTTP/1.1 400", 12);
    buf_reset(&raw);
    fd = dial(port_of(&tg[7]));
    /* exactly the server's 8 KiB head buffer, with no blank line */
    memset(big, 'a', sizeof big);
    memcpy(big, "GET /metrics HTTP/1.1\r\nX-Filler: ", 33);
    send_all(fd, big, sizeof big);
    recv_all(fd, &raw);
    close(fd);
    assert_memory_equal(buf_str(&raw), "HTTP/1.1 431", 12);
    buf_fini(&raw);
    buf_fini(&body);
}

/* The bucket bounds in order, as one string, for the first series of
 * histogram name in text. */
static void
bounds_of(const char *text, const char *name, struct buf *out)
{
    char first[512] = "";
    const char *p = text;
    size_t nlen = strlen(name);

    while ((p = strstr(p, name)) != NULL) {
        const char *le = strstr(p, "le=\""), *eol = strchr(p, '\n');
        char key[512];

        if (p != text && p[-1] != '\n') {
            p += nlen;
            continue;
        }
        snprintf(key, sizeof key, "%.*s", (int)(le - p), p);
        if (first[0] == '\0')
            snprintf(first, sizeof first, "%s", key);
        if (strcmp(key, first) == 0)
            buf_printf(out, "%.*s ", (int)strcspn(le + 4, "\""), le + 4);
        p = eol;
    }
}

static void
test_bucket_bounds_match_captures(void **state)
{
    struct buf raw, got, want, fix;
    char path[512], chunk[4096];
    FILE *f;
    size_t r;

    (void)state;
    buf_init(&raw, 0);
    buf_init(&got, 0);
    buf_init(&want, 0);
    buf_init(&fix, 0);
    assert_int_equal(http_get(port_of(&tg[3]), tg[3].metrics_path, &raw,
                              NULL, 0), 200);
    bounds_of(buf_str(&raw), "http_server_requests_seconds_bucket", &got);
    snprintf(path, sizeof path,
             "%s/exposition/iotd-springboot-micrometer-mimic.prom",
             ts_testdata());
    f = fopen(path, "r");
    assert_non_null(f);
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&fix, chunk, r);
    fclose(f);
    bounds_of(buf_str(&fix), "http_server_requests_seconds_bucket", &want);
    assert_string_equal(buf_str(&got), buf_str(&want));
    buf_fini(&raw);
    buf_fini(&got);
    buf_fini(&want);
    buf_fini(&fix);
}

static void
test_stop_null(void **state)
{
    (void)state;
    demo_stop(NULL);
}

/* A replica goes down (refuses connections) and comes back restarted. */
static void
test_replica_restarts(void **state)
{
    struct diag d;
    struct demo *x;
    const struct demo_target *t;
    struct body b;
    double start0, running;
    int port, fd, waited = 0;

    (void)state;
    setenv("PROMDECK_DEMO_CYCLE", "3:1.5", 1);
    x = demo_start(&d);
    unsetenv("PROMDECK_DEMO_CYCLE");
    assert_non_null(x);
    assert_int_equal(demo_targets(x, &t), 8);
    tg = t;
    ntg = 8;
    port = port_of(&t[0]);
    fetch(0, &b);
    start0 = must(&b, "process_start_time_seconds", NULL);
    body_fini(&b);
    /* image-gallery #0 is down from 1.5 s to 3 s of the cycle */
    while ((fd = dial(port)) >= 0 && waited < 5000) {
        close(fd);
        sleep_ms(50);
        waited += 50;
    }
    assert_true(fd < 0 && errno == ECONNREFUSED);
    fetch(7, &b);
    running = must(&b, "engine_daemon_container_states_containers",
                   "state=\"running\"");
    body_fini(&b);
    while ((fd = dial(port)) < 0 && waited < 10000) {
        sleep_ms(50);
        waited += 50;
    }
    assert_true(fd >= 0);
    close(fd);
    fetch(0, &b);
    assert_true(must(&b, "process_start_time_seconds", NULL) > start0);
    assert_true(must(&b, "promhttp_metric_handler_requests_total",
                     "code=\"200\"") == 0);
    body_fini(&b);
    assert_true(running == 8);     /* docker saw one container stopped */
    demo_stop(x);
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    assert_true(dial(port) < 0);
}

static void
test_bad_cycle(void **state)
{
    static const char *const bad[] = {"10", "10:6", "x:1", "10:0",
                                      "10:1x", "-4:1", ":"};
    struct diag d;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("PROMDECK_DEMO_CYCLE", bad[i], 1);
        diag_clear(&d);
        assert_null(demo_start(&d));
        assert_non_null(strstr(d.msg, "PERIOD:DOWN"));
        assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    }
    unsetenv("PROMDECK_DEMO_CYCLE");
}

/* The server process ends when promdeck does, even without demo_stop. */
static void
test_child_dies_with_parent(void **state)
{
    int pfd[2], port = 0, fd = -1;
    pid_t mid;

    (void)state;
    assert_int_equal(pipe(pfd), 0);
    mid = fork();
    assert_true(mid >= 0);
    if (mid == 0) {
        struct diag d;
        struct demo *x = demo_start(&d);
        const struct demo_target *t;

        if (x == NULL)
            _exit(1);
        demo_targets(x, &t);
        port = port_of(&t[7]);
        if (write(pfd[1], &port, sizeof port) != sizeof port)
            _exit(1);
        _exit(0);       /* dies without demo_stop */
    }
    close(pfd[1]);
    assert_int_equal(read(pfd[0], &port, sizeof port), (ssize_t)sizeof port);
    close(pfd[0]);
    assert_int_equal(waitpid(mid, NULL, 0), mid);
    for (int i = 0; i < 100; i++) {
        fd = dial(port);
        if (fd < 0)
            break;
        close(fd);
        sleep_ms(20);
    }
    assert_true(fd < 0);
}

int
main(void)
{
    const struct CMUnitTest live[] = {
        cmocka_unit_test(test_targets_match_the_chapter),
        cmocka_unit_test(test_gallery_body),
        cmocka_unit_test(test_iotd_body),
        cmocka_unit_test(test_access_log_body),
        cmocka_unit_test(test_docker_body),
        cmocka_unit_test(test_histograms_consistent),
        cmocka_unit_test(test_counters_increase),
        cmocka_unit_test(test_dashboard_queries_have_data),
        cmocka_unit_test(test_http_details),
        cmocka_unit_test(test_bucket_bounds_match_captures),
    };
    const struct CMUnitTest alone[] = {
        cmocka_unit_test(test_stop_null),
        cmocka_unit_test(test_replica_restarts),
        cmocka_unit_test(test_bad_cycle),
        cmocka_unit_test(test_child_dies_with_parent),
    };
    int rc = cmocka_run_group_tests_name("demo (live)", live, group_setup,
                                         group_teardown);

    return rc + cmocka_run_group_tests_name("demo", alone, NULL, NULL);
}
