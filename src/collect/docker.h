/*
 * Container names from the Docker Engine API over its Unix socket (or
 * Podman's compatible one): the list of every container, refreshed on
 * each poll, and the details (restart count, start time, health, the
 * image as created) of each container that is new or changed state. All
 * HTTP goes through scrape/fetch without ever waiting: a poll starts
 * requests and reads what has arrived. A socket that hangs, refuses or
 * answers garbage keeps the last good answer and says so in the note.
 *
 * It also follows the events stream (GET /events for containers, held
 * open, reconnected with a growing wait when it ends): a container that
 * starts, stops, dies, is paused or renamed changes its row at once and
 * docker_follow says so, so its owner can show it before the next poll.
 * The list is still read at every poll, the backstop for missed events.
 *
 * Ownership: the caller owns the client (docker_new/docker_free) and the
 * fetch it borrows, which must outlive it. Containers and the note stay
 * valid until the next docker_poll or docker_free.
 */
#ifndef COLLECT_DOCKER_H
#define COLLECT_DOCKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "src/collect/docker_parse.h"

/* One request's whole-transfer limit. */
#define DOCKER_TIMEOUT_MS 5000
/* A container's details are read again after this long. */
#define DOCKER_INSPECT_EVERY_MS 60000
/* The events stream: the longest message kept (a longer one is skipped),
 * and the wait before connecting again, doubling up to the max. */
#define DOCKER_EVENT_MAX (64 * 1024)
#define DOCKER_EVENTS_BACKOFF_MS 1000
#define DOCKER_EVENTS_BACKOFF_MAX_MS 30000

struct docker;

/*
 * The socket to use: DOCKER_HOST when it is unix://PATH, else the first
 * of root/var/run/docker.sock, root/run/podman/podman.sock and
 * $XDG_RUNTIME_DIR/podman/podman.sock that exists. Writes it to out and
 * returns 0, or -1 (out "") when there is none; a DOCKER_HOST that is not
 * unix:// is a -1 with the reason in note.
 */
int docker_socket_path(const char *root, char *out, size_t size,
                       char *note, size_t notesz);

/* A client for the socket at path; f is borrowed. */
struct docker *docker_new(struct fetch *f, const char *path);
void docker_free(struct docker *d);

/* Handles the answers that arrived (call fetch_pump first) and starts the
 * next requests; never waits. */
void docker_poll(struct docker *d, int64_t now_ms);

/*
 * Between polls: keeps the events stream up and reads the list again
 * when an event asked for it (call fetch_pump first); never waits. True
 * when the table changed since the last call (an event, or the list it
 * asked for, arrived).
 */
bool docker_follow(struct docker *d, int64_t now_ms);

/* The container with this 64-hex id, or NULL. */
const struct docker_container *docker_find(const struct docker *d,
                                           const char *id);
/* Every known container, in the list's order. */
size_t docker_count(const struct docker *d);
const struct docker_container *docker_at(const struct docker *d, size_t i);
/* True once a list has been read. */
bool docker_ready(const struct docker *d);
/* Why the last answer is not fresh ("docker: /var/run/docker.sock:
 * connection refused; names from 20s ago"), or "" when all is well. */
const char *docker_note(const struct docker *d);

#endif
