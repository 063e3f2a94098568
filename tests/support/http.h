/*
 * Test support for scrape tests: an HTTP/1.1 server on 127.0.0.1 in a
 * forked process, one child per connection, requests read one after
 * another until the client closes. What to answer is the test's route
 * function; this module only frames requests and writes bytes. It speaks
 * no TLS.
 *
 * Ownership: struct ts_http is the caller's; ts_http_start fills it and
 * ts_http_stop kills the server's whole process group and releases the
 * shared counter. Any method is framed; a request's body (up to 64 KiB,
 * by Content-Length) is read whole before the route sees it. The route's ctx is borrowed by the server for its life:
 * make it shared memory (ts_shared_new) when the test reads it back.
 */
#ifndef TESTS_SUPPORT_HTTP_H
#define TESTS_SUPPORT_HTTP_H

#include <stddef.h>
#include <sys/types.h>

/* Called in the server's child for each request. path is the request
 * target (up to 511 bytes) and head the request head, from its method on,
 * up to and including the CRLF of its last header line (the blank line
 * is cut off). ts_http_body(head) is its body, "" when it has none. */
typedef void (*ts_http_route_fn)(int fd, const char *path, const char *head,
                                 void *ctx);

struct ts_http {
    pid_t pid;                  /* the server, leader of its group */
    int port;                   /* its port on 127.0.0.1 */
    volatile int *accepts;      /* connections accepted, shared memory */
};

/* A listening socket on an ephemeral port of 127.0.0.1, its port in
 * *port; -1 when the socket cannot be set up. */
int ts_http_listen(int *port);

/* Forks the server. Returns 0, or -1 (no process left) when the socket
 * or the shared counter cannot be set up. */
int ts_http_start(struct ts_http *h, ts_http_route_fn route, void *ctx);

/* The NUL-ended body of the request whose head a route was given. */
const char *ts_http_body(const char *head);

/* Kills the server and its connection children and waits for it. */
void ts_http_stop(struct ts_http *h);

/* Connections the server has accepted so far. */
int ts_http_accepts(const struct ts_http *h);

/* Writes all n bytes, retrying on EINTR: 0, or -1 once the peer is gone. */
int ts_http_write(int fd, const void *p, size_t n);

/* ts_http_write for a route: the connection's child exits when the
 * peer is gone. */
void ts_http_send(int fd, const void *p, size_t n);

/* size zeroed bytes shared between the test and the server it forks
 * next, or NULL; release with ts_shared_free. */
void *ts_shared_new(size_t size);
void ts_shared_free(void *p, size_t size);

#endif
