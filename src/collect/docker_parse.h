/*
 * The Docker Engine API's container answers (API v1.41, which Podman's
 * compatible socket also speaks), parsed into plain records: the list of
 * GET /containers/json?all=1, the details of GET /containers/ID/json and
 * one message of the GET /events stream.
 * Pure: it takes a body and its length and does no I/O.
 *
 * Ownership: a docker_container owns its strings and labels; release it
 * with docker_container_fini (a zeroed one is empty and safe to fini).
 */
#ifndef COLLECT_DOCKER_PARSE_H
#define COLLECT_DOCKER_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct docker_container {
    char *id;               /* the 64-hex container id */
    char *name;             /* without the leading "/" */
    char *image;            /* as the container was created: Config.Image */
    char *state;            /* created, running, paused, restarting,
                               removing, exited, dead */
    char *health;           /* healthy, unhealthy, starting, or NULL */
    char **label_keys, **label_values;
    size_t nlabels;
    int restarts;           /* RestartCount; -1 until inspected */
    int64_t created_s;      /* seconds since the epoch, 0 when unknown */
    int64_t started_s;      /* State.StartedAt, 0 until inspected */
};

void docker_container_fini(struct docker_container *c);

/*
 * Parses a containers/json body into a new array (*out, *n; the caller
 * frees each with docker_container_fini and then the array). Returns 0,
 * or -1 with err (errsz bytes) saying what was wrong; then *out is NULL.
 */
int docker_parse_list(const char *body, size_t len,
                      struct docker_container **out, size_t *n,
                      char *err, size_t errsz);

/* Parses a containers/ID/json body into c (zeroed first). Returns 0, or
 * -1 with err filled and c empty. */
int docker_parse_inspect(const char *body, size_t len,
                         struct docker_container *c, char *err,
                         size_t errsz);

/* One container event: {"Type":"container","Action":"die","Actor":{"ID":
 * ..., "Attributes":{"name":...}}}. Strings are cut to fit. */
struct docker_event {
    char id[72];
    char action[48];        /* create, start, die, pause, rename, ... */
    char name[256];         /* Actor.Attributes.name, or "" */
};

/* Parses one event message (one line of the stream) into ev. Returns 0,
 * or -1 with err filled when it is not a container event's JSON. */
int docker_parse_event(const char *body, size_t len, struct docker_event *ev,
                       char *err, size_t errsz);

#endif
