/*
 * The Docker client's events stream against the fake engine of
 * tests/support/docker.c: a container paused, renamed, stopped or
 * destroyed changes its row as soon as the event arrives, without the
 * periodic list (docker_poll is called once, to read the first list);
 * a message too long to keep is skipped and the next one still counts;
 * a stream that ends is opened again and the list read again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrape/fetch.h"
#include "src/base/duration.h"
#include "src/collect/docker.h"
#include "tests/support/docker.h"
#include "tests/support/fs.h"

#define WEB "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"

struct fx {
    char dir[256], sock[300], events[300];
    pid_t pid;
    struct fetch *f;
    struct docker *d;
};

static void
append_event(struct fx *x, const char *action, const char *name)
{
    FILE *f = fopen(x->events, "a");

    assert_non_null(f);
    fprintf(f, "{\"status\":\"%s\",\"id\":\"%s\",\"Type\":\"container\","
            "\"Action\":\"%s\",\"Actor\":{\"ID\":\"%s\",\"Attributes\":"
            "{\"image\":\"nginx\",\"name\":\"%s\"}},\"scope\":\"local\","
            "\"time\":1700000000,\"timeNano\":1700000000000000000}\n",
            action, WEB, action, WEB, name);
    fclose(f);
}

/* The engine's own list after an event: the web container's line of
 * containers.json edited as the engine would list it then. */
static void
engine_says(struct fx *x, const char *from, const char *to)
{
    char cmd[1200];

    snprintf(cmd, sizeof cmd, "sed -i 's|%s|%s|' '%s/containers.json'",
             from, to, x->dir);
    assert_int_equal(system(cmd), 0);
}

/* Moves the client along until docker_follow has news (at most 20 s of
 * waiting on the fetch: no figure of speed is asserted). */
static bool
until_news(struct fx *x)
{
    for (int i = 0; i < 400; i++) {
        fetch_wait(x->f, -1, 50, NULL);
        fetch_pump(x->f);
        if (docker_follow(x->d, time_now_ms()))
            return true;
    }
    return false;
}

static const char *
state_of(struct fx *x)
{
    const struct docker_container *c = docker_find(x->d, WEB);

    return c != NULL && c->state != NULL ? c->state : "(none)";
}

/* Until a docker_follow with news leaves the row in state (news may
 * also come from a list an earlier event asked for). */
static bool
until_state(struct fx *x, const char *state)
{
    for (int i = 0; i < 5; i++)
        if (until_news(x) && strcmp(state_of(x), state) == 0)
            return true;
    return false;
}

static int
setup(void **state)
{
    static struct fx x;
    char cmd[1200];

    memset(&x, 0, sizeof x);
    assert_int_equal(ts_tmpdir_new(x.dir, sizeof x.dir, "dockerev"), 0);
    snprintf(cmd, sizeof cmd, "cp '%s/docker/containers.json' "
             "'%s/docker/'inspect-*.json '%s/'", ts_testdata(),
             ts_testdata(), x.dir);
    assert_int_equal(system(cmd), 0);
    snprintf(x.sock, sizeof x.sock, "%s/docker.sock", x.dir);
    snprintf(x.events, sizeof x.events, "%s/events.jsonl", x.dir);
    ts_write_file(x.events, "");
    x.pid = ts_docker_start(x.sock, x.dir, TS_DOCKER_ANSWER);
    x.f = fetch_new();
    x.d = docker_new(x.f, x.sock);
    /* The first list, by the periodic poll; from here on only events. */
    docker_poll(x.d, time_now_ms());
    for (int i = 0; i < 400 && !docker_ready(x.d); i++) {
        fetch_wait(x.f, -1, 50, NULL);
        fetch_pump(x.f);
    }
    assert_true(docker_ready(x.d));
    *state = &x;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *x = *state;

    docker_free(x->d);
    fetch_free(x->f);
    ts_docker_teardown(NULL);
    ts_tmpdir_remove(x->dir);
    return 0;
}

static void
test_events_change_rows(void **state)
{
    struct fx *x = *state;

    const struct docker_container *c;

    assert_string_equal(state_of(x), "running");
    engine_says(x, "\"running\"", "\"paused\"");
    append_event(x, "pause", "web");
    assert_true(until_state(x, "paused"));
    engine_says(x, "\"/web\"", "\"/frontend\"");
    append_event(x, "rename", "frontend");
    for (int i = 0; i < 5; i++) {
        assert_true(until_news(x));
        c = docker_find(x->d, WEB);
        assert_non_null(c);
        if (strcmp(c->name, "frontend") == 0)
            break;
    }
    assert_string_equal(c->name, "frontend");
    append_event(x, "exec_start: sh", "frontend");  /* changes nothing */
    engine_says(x, "\"paused\"", "\"exited\"");
    append_event(x, "die", "frontend");
    assert_true(until_state(x, "exited"));
    /* The list the events asked for agrees, and settles. */
    for (int i = 0; i < 20; i++) {
        fetch_wait(x->f, -1, 50, NULL);
        fetch_pump(x->f);
        docker_follow(x->d, time_now_ms());
    }
    assert_string_equal(state_of(x), "exited");
    assert_string_equal(docker_find(x->d, WEB)->name, "frontend");
}

/* A message past DOCKER_EVENT_MAX is dropped whole; memory stays
 * bounded and the stream goes on with the next line. */
static void
test_long_message_skipped(void **state)
{
    struct fx *x = *state;
    size_t n = DOCKER_EVENT_MAX + 1000;
    char *big = malloc(n + 2);
    FILE *f;

    memset(big, 'x', n);
    big[0] = '{';
    big[n] = '\n';
    big[n + 1] = '\0';
    f = fopen(x->events, "a");
    assert_non_null(f);
    fputs(big, f);
    fputs("not json at all\n", f);
    fclose(f);
    free(big);
    append_event(x, "pause", "web");
    assert_true(until_state(x, "paused"));
}

/* The engine goes away and comes back: the stream is opened again (after
 * its wait) and events count again; the destroyed container's row goes. */
static void
test_reconnects(void **state)
{
    struct fx *x = *state;

    ts_docker_stop(x->pid);
    unlink(x->sock);
    for (int i = 0; i < 20; i++) {      /* the client sees the end */
        fetch_wait(x->f, -1, 50, NULL);
        fetch_pump(x->f);
        docker_follow(x->d, time_now_ms());
    }
    ts_write_file(x->events, "");
    x->pid = ts_docker_start(x->sock, x->dir, TS_DOCKER_ANSWER);
    append_event(x, "destroy", "web");
    for (int i = 0; i < 5 && docker_find(x->d, WEB) != NULL; i++)
        until_news(x);
    assert_null(docker_find(x->d, WEB));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_change_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_long_message_skipped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reconnects, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
