/*
 * Test support: a fake Docker Engine on a Unix socket, in a forked
 * process (one child per connection, requests one after another), that
 * answers from recorded Engine API responses in a folder:
 * GET /containers/json[?...] from containers.json, GET /networks from
 * networks.json, GET /containers/ID/json from inspect-ID.json, 404 for
 * anything else; files are read at each request, so a test changes an
 * answer by rewriting its file. GET /events[?...] is a stream, as the
 * engine's: chunked, held open, one chunk per line of events.jsonl,
 * followed as a test appends lines to it (tail -f), from the lines
 * already there on. It can also hang (accept, read, never answer) or
 * answer garbage (HTTP 200 with an HTML body).
 *
 * Ownership: the caller stops the server with ts_docker_stop; a test
 * that may fail half-way registers ts_docker_teardown, which stops the
 * last server started if it still runs.
 */
#ifndef TESTS_SUPPORT_DOCKER_H
#define TESTS_SUPPORT_DOCKER_H

#include <sys/types.h>

enum ts_docker_mode { TS_DOCKER_ANSWER, TS_DOCKER_HANG, TS_DOCKER_GARBAGE };

/* Listens on the socket path sock (created here) and forks the server
 * answering from the folder data. Fails the test when it cannot. */
pid_t ts_docker_start(const char *sock, const char *data,
                      enum ts_docker_mode mode);
/* Kills the server and its connection children and waits for it. */
void ts_docker_stop(pid_t pid);
/* A cmocka teardown: stops the last server still running. */
int ts_docker_teardown(void **state);

#endif
