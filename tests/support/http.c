/*
 * Test support: a forked HTTP/1.1 server on 127.0.0.1 for scrape tests.
 * It frames GET requests and hands each to the test's route; the answers
 * (bodies, status lines, stalls) are the tests'.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/http.h"

int
ts_http_listen(int *port)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    *port = ntohs(a.sin_port);
    return fd;
}

int
ts_http_write(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

void
ts_http_send(int fd, const void *p, size_t n)
{
    if (ts_http_write(fd, p, n) != 0)
        _exit(0);
}

/* The Content-Length of a request head, 0 when it has none. */
static size_t
content_length(const char *head)
{
    const char *p = strcasestr(head, "\r\nContent-Length:");

    return p != NULL ? strtoul(p + 17, NULL, 10) : 0;
}

/* One connection: requests one after another until the client closes. */
static void
serve_conn(int fd, ts_http_route_fn route, void *ctx)
{
    char req[65536], path[512], keep;
    size_t have = 0;
    char *end;

    for (;;) {
        ssize_t r = read(fd, req + have, sizeof(req) - 1 - have);

        if (r <= 0)
            _exit(0);
        have += (size_t)r;
        req[have] = '\0';
        while ((end = strstr(req, "\r\n\r\n")) != NULL) {
            size_t used = (size_t)(end + 4 - req);
            size_t body = content_length(req);

            if (body > sizeof(req) - 1 - used ||
                sscanf(req, "%*15s %511s", path) != 1)
                _exit(0);
            if (have < used + body)
                break;      /* read the rest of the body first */
            /* The head ends at its last CRLF; the body after the blank
             * line is NUL-ended too, for the moment of the call. */
            end[2] = '\0';
            keep = req[used + body];
            req[used + body] = '\0';
            route(fd, path, req, ctx);
            req[used + body] = keep;
            used += body;
            memmove(req, req + used, have - used + 1);
            have -= used;
        }
    }
}

const char *
ts_http_body(const char *head)
{
    return head + strlen(head) + 2;
}

/* The server's accept loop; its own process group so one kill ends the
 * connection children too. */
static void
serve(int lfd, volatile int *accepts, ts_http_route_fn route, void *ctx)
{
    setpgid(0, 0);
    signal(SIGCHLD, SIG_IGN);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);

        if (fd < 0)
            continue;
        (*accepts)++;
        if (fork() == 0) {
            close(lfd);
            serve_conn(fd, route, ctx);
        }
        close(fd);
    }
}

int
ts_http_start(struct ts_http *h, ts_http_route_fn route, void *ctx)
{
    int lfd = ts_http_listen(&h->port);

    if (lfd < 0)
        return -1;
    h->accepts = ts_shared_new(sizeof(*h->accepts));
    if (h->accepts == NULL) {
        close(lfd);
        return -1;
    }
    h->pid = fork();
    if (h->pid == 0)
        serve(lfd, h->accepts, route, ctx);
    setpgid(h->pid, h->pid);
    close(lfd);
    return 0;
}

void
ts_http_stop(struct ts_http *h)
{
    kill(-h->pid, SIGKILL);
    waitpid(h->pid, NULL, 0);
    ts_shared_free((void *)h->accepts, sizeof(*h->accepts));
}

int
ts_http_accepts(const struct ts_http *h)
{
    return *h->accepts;
}

void *
ts_shared_new(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

void
ts_shared_free(void *p, size_t size)
{
    if (p != NULL)
        munmap(p, size);
}
