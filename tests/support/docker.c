/*
 * The fake Docker Engine of tests/support/docker.h. Answers carry a
 * Content-Length and keep the connection open, as the engine's do, so
 * the client's keep-alive is exercised too. The events stream is chunked
 * and never ends by itself, as the engine's.
 */
#include "tests/support/docker.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static pid_t last_pid;

static void
send_answer(int fd, int status, const char *body, size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\n\r\n",
                     status, status == 200 ? "OK" : "Not Found", len);

    if (write(fd, head, (size_t)n) < 0 || write(fd, body, len) < 0)
        _exit(0);
}

/* The recorded answer for path, or a 404. */
static void
answer(int fd, const char *data, const char *path)
{
    static char body[1 << 20];
    char file[1024], id[80];

    if (strncmp(path, "/containers/json", 16) == 0)
        snprintf(file, sizeof file, "%s/containers.json", data);
    else if (strcmp(path, "/networks") == 0)
        snprintf(file, sizeof file, "%s/networks.json", data);
    else if (sscanf(path, "/containers/%79[0-9a-f]/json", id) == 1)
        snprintf(file, sizeof file, "%s/inspect-%s.json", data, id);
    else
        file[0] = '\0';
    FILE *f = file[0] ? fopen(file, "r") : NULL;
    if (!f) {
        const char *nf = "{\"message\":\"No such container\"}";
        send_answer(fd, 404, nf, strlen(nf));
        return;
    }
    size_t n = fread(body, 1, sizeof body, f);
    fclose(f);
    send_answer(fd, 200, body, n);
}

/* One chunk of the chunked encoding; exits when the client is gone. */
static void
send_chunk(int fd, const char *p, size_t n)
{
    char head[32];
    int k = snprintf(head, sizeof head, "%zx\r\n", n);

    if (write(fd, head, (size_t)k) < 0 || write(fd, p, n) < 0
        || write(fd, "\r\n", 2) < 0)
        _exit(0);
}

/*
 * GET /events: every whole line of events.jsonl as a chunk, then each
 * line appended later, checked every 20 ms, until the client goes (or
 * the server is stopped).
 */
static void
stream_events(int fd, const char *data)
{
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: "
        "application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    char file[1024], line[256 * 1024];
    long off = 0;

    snprintf(file, sizeof file, "%s/events.jsonl", data);
    if (write(fd, head, sizeof head - 1) < 0)
        _exit(0);
    for (;;) {
        FILE *f = fopen(file, "r");

        if (f && fseek(f, off, SEEK_SET) == 0)
            while (fgets(line, sizeof line, f)) {
                size_t n = strlen(line);

                if (line[n - 1] != '\n')
                    break;          /* half written: next time */
                send_chunk(fd, line, n);
                off += (long)n;
            }
        if (f)
            fclose(f);
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
    }
}

static void
serve(int fd, const char *data, enum ts_docker_mode mode)
{
    char req[8192], path[4096];
    size_t len = 0;

    for (;;) {
        ssize_t r = read(fd, req + len, sizeof req - 1 - len);
        if (r <= 0)
            _exit(0);
        len += (size_t)r;
        req[len] = '\0';
        if (!strstr(req, "\r\n\r\n"))
            continue;
        if (mode == TS_DOCKER_HANG) {
            pause();
            _exit(0);
        }
        if (mode == TS_DOCKER_GARBAGE) {
            const char *g = "<html>this is not the engine API";
            send_answer(fd, 200, g, strlen(g));
        } else if (sscanf(req, "GET %4095s", path) == 1) {
            if (strncmp(path, "/events", 7) == 0)
                stream_events(fd, data);
            answer(fd, data, path);
        }
        len = 0;
    }
}

pid_t
ts_docker_start(const char *sock, const char *data,
                enum ts_docker_mode mode)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);

    assert_true(lfd >= 0);
    assert_true(strlen(sock) < sizeof sa.sun_path);
    memcpy(sa.sun_path, sock, strlen(sock) + 1);
    assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(lfd, 16), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGCHLD, SIG_IGN);
        /* Let the test runner's output pipe close when the test ends. */
        if (!freopen("/dev/null", "w", stdout)
            || !freopen("/dev/null", "w", stderr))
            _exit(1);
        for (;;) {
            int fd = accept(lfd, NULL, NULL);
            if (fd < 0)
                continue;
            if (fork() == 0)
                serve(fd, data, mode);
            close(fd);
        }
    }
    setpgid(pid, pid);
    close(lfd);
    last_pid = pid;
    return pid;
}

void
ts_docker_stop(pid_t pid)
{
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    if (pid == last_pid)
        last_pid = 0;
}

int
ts_docker_teardown(void **state)
{
    (void)state;
    if (last_pid > 0)
        ts_docker_stop(last_pid);
    return 0;
}
