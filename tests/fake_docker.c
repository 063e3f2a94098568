/*
 * The fake Docker Engine of tests/support/docker.h as a program, for the
 * end-to-end tests: fake-docker SOCKET FOLDER serves FOLDER's recorded
 * Engine API answers (and its events.jsonl as the events stream) on the
 * Unix socket SOCKET until SIGTERM or SIGINT, then stops its server
 * processes and removes the socket.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/docker.h"

int
main(int argc, char **argv)
{
    sigset_t set;
    pid_t pid;
    int sig;

    if (argc != 3) {
        fprintf(stderr, "usage: fake-docker SOCKET FOLDER\n");
        return 2;
    }
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    unlink(argv[1]);
    pid = ts_docker_start(argv[1], argv[2], TS_DOCKER_ANSWER);
    sigwait(&set, &sig);
    ts_docker_stop(pid);
    unlink(argv[1]);
    return 0;
}
