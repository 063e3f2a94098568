/*
 * The Docker Engine API client behind the container names: one connection
 * reads the list, a few more read details, one follows the events
 * stream, all on the caller's fetch and never waiting. Paths are
 * unversioned so that any engine answers at its own API version (Docker
 * 20.10+ speaks 1.41, Podman's compatible socket too). The table is
 * replaced only by a list that parsed; details are carried over from the
 * previous table by id. An event changes its container's row at once
 * (state, name, health, or the row goes) and asks for the list again,
 * which settles what an event does not say.
 */
#include "src/collect/docker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "src/base/buf.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"

/* Detail requests in flight at once. */
#define INSPECTORS 4
/* The biggest answer accepted: the list of a host with thousands of
 * containers stays well below this. */
#define MAX_BODY ((size_t)16 << 20)

struct entry {
    struct docker_container c;
    int64_t inspected_ms;       /* when details were last asked for */
    char *inspected_state;      /* the state they were asked for in */
    bool detailed;              /* details have arrived */
};

struct request {
    struct docker *d;
    struct fetch_conn *conn;
    struct buf body;
    bool busy;
    char id[80];                /* "" for the list */
};

/* The events stream: one message per line, never more than a line in
 * memory. */
struct events {
    struct docker *d;
    struct fetch_conn *conn;
    struct buf line;            /* the message being received */
    bool busy, skipping;        /* skipping: the rest of a too long line */
    int64_t next_ms;            /* when to connect (again) */
    int64_t backoff_ms;         /* the wait after the next failure */
    int64_t since_ms;           /* when this connection started */
};

struct docker {
    struct fetch *fetch;
    char *path;
    struct request list, inspect[INSPECTORS];
    struct events ev;
    bool relist;                /* an event wants the list read again */
    bool relist_news;           /* the list in flight was for an event */
    bool news;                  /* the table changed since docker_follow */
    unsigned events_seen;       /* events applied, ever */
    unsigned list_events;       /* events_seen when the list was asked */
    int stale_drops;            /* lists dropped in a row, see on_done */
    struct entry *entries;
    size_t n;
    bool ready;
    int64_t now_ms, last_ok_ms;
    char error[256];            /* the last failure, or "" */
    char note[400];
};

static bool
stat_socket(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

int
docker_socket_path(const char *root, char *out, size_t size,
                   char *note, size_t notesz)
{
    const char *host = getenv("DOCKER_HOST");
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    char cand[3][4096];

    out[0] = '\0';
    if (notesz)
        note[0] = '\0';
    if (host && *host) {
        if (strncmp(host, "unix://", 7) != 0) {
            snprintf(note, notesz, "DOCKER_HOST=%s: only unix:// sockets "
                     "are read; containers are shown by cgroup id", host);
            return -1;
        }
        snprintf(out, size, "%s", host + 7);
        return 0;
    }
    snprintf(cand[0], sizeof cand[0], "%s/var/run/docker.sock", root);
    snprintf(cand[1], sizeof cand[1], "%s/run/podman/podman.sock", root);
    snprintf(cand[2], sizeof cand[2], "%s/podman/podman.sock",
             xdg && *root == '\0' ? xdg : "/nonexistent");
    for (size_t i = 0; i < 3; i++)
        if (stat_socket(cand[i])) {
            snprintf(out, size, "%s", cand[i]);
            return 0;
        }
    return -1;
}

static void
request_init(struct docker *d, struct request *r)
{
    r->d = d;
    r->conn = fetch_conn_new(d->fetch);
    buf_init(&r->body, MAX_BODY);
}

struct docker *
docker_new(struct fetch *f, const char *path)
{
    struct docker *d = xcalloc(1, sizeof *d);

    d->fetch = f;
    d->path = xstrdup(path);
    request_init(d, &d->list);
    for (size_t i = 0; i < INSPECTORS; i++)
        request_init(d, &d->inspect[i]);
    d->ev.d = d;
    d->ev.conn = fetch_conn_new(f);
    buf_init(&d->ev.line, DOCKER_EVENT_MAX);
    d->ev.backoff_ms = DOCKER_EVENTS_BACKOFF_MS;
    return d;
}

static void
entries_free(struct entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        docker_container_fini(&e[i].c);
        free(e[i].inspected_state);
    }
    free(e);
}

static void
request_fini(struct request *r)
{
    fetch_conn_free(r->conn);
    buf_fini(&r->body);
}

void
docker_free(struct docker *d)
{
    if (!d)
        return;
    request_fini(&d->list);
    for (size_t i = 0; i < INSPECTORS; i++)
        request_fini(&d->inspect[i]);
    fetch_conn_free(d->ev.conn);
    buf_fini(&d->ev.line);
    entries_free(d->entries, d->n);
    free(d->path);
    free(d);
}

static struct entry *
find_entry(struct entry *e, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].c.id, id) == 0)
            return &e[i];
    return NULL;
}

/* Moves what only the details know from old to fresh (a list entry). */
static void
carry_details(struct entry *fresh, struct entry *old)
{
    fresh->inspected_ms = old->inspected_ms;
    fresh->inspected_state = old->inspected_state;
    old->inspected_state = NULL;
    fresh->detailed = old->detailed;
    if (!old->detailed)
        return;
    fresh->c.restarts = old->c.restarts;
    fresh->c.started_s = old->c.started_s;
    if (old->c.health) {
        free(fresh->c.health);
        fresh->c.health = old->c.health;
        old->c.health = NULL;
    }
    if (old->c.image) {
        free(fresh->c.image);
        fresh->c.image = old->c.image;
        old->c.image = NULL;
    }
}

static void
take_list(struct docker *d, struct docker_container *v,
          size_t n)
{
    struct entry *fresh = xcalloc(n ? n : 1, sizeof *fresh);

    for (size_t i = 0; i < n; i++) {
        fresh[i].c = v[i];
        struct entry *old = find_entry(d->entries, d->n, v[i].id);
        if (old)
            carry_details(&fresh[i], old);
    }
    free(v);
    entries_free(d->entries, d->n);
    d->entries = fresh;
    d->n = n;
    d->ready = true;
    d->last_ok_ms = d->now_ms;
    d->error[0] = '\0';
}

static void
take_details(struct docker *d, struct docker_container *c)
{
    struct entry *e = find_entry(d->entries, d->n, c->id);

    if (!e) {
        docker_container_fini(c);
        return;
    }
    e->detailed = true;
    e->c.restarts = c->restarts;
    e->c.started_s = c->started_s;
    if (c->image) {
        free(e->c.image);
        e->c.image = c->image;
        c->image = NULL;
    }
    if (c->health) {
        free(e->c.health);
        e->c.health = c->health;
        c->health = NULL;
    }
    docker_container_fini(c);
}

/*
 * A list asked for before the last event may predate it ("running" for a
 * container that has died since): it is dropped and asked again, so an
 * event's change is never undone by an older answer. After three such in
 * a row (a host with a steady stream of events) it is taken anyway.
 */
static void
take_or_drop_list(struct docker *d, struct docker_container *v, size_t n)
{
    if (d->list_events != d->events_seen && d->stale_drops < 3) {
        for (size_t i = 0; i < n; i++)
            docker_container_fini(&v[i]);
        free(v);
        d->stale_drops++;
        d->relist = true;
        return;
    }
    d->stale_drops = 0;
    d->news |= d->relist_news || !d->ready;     /* the first names too */
    take_list(d, v, n);
}

static int
on_data(void *ctx, const char *p, size_t n)
{
    struct request *r = ctx;

    return buf_append(&r->body, p, n);
}

static void
on_done(void *ctx, const char *error)
{
    struct request *r = ctx;
    struct docker *d = r->d;
    char err[256] = "";

    r->busy = false;
    if (error) {
        /* A container removed between the list and its details is no
         * failure of the socket. */
        if (!(r->id[0] && strstr(error, "HTTP 404")))
            snprintf(d->error, sizeof d->error, "%s", error);
    } else if (!r->id[0]) {
        struct docker_container *v;
        size_t n;
        if (docker_parse_list(r->body.data, r->body.len, &v, &n, err,
                              sizeof err) == 0)
            take_or_drop_list(d, v, n);
        else
            snprintf(d->error, sizeof d->error, "%s", err);
    } else {
        struct docker_container c;
        if (docker_parse_inspect(r->body.data, r->body.len, &c, err,
                                 sizeof err) == 0)
            take_details(d, &c);
        else
            snprintf(d->error, sizeof d->error, "%s", err);
    }
    buf_reset(&r->body);
}

static void
start(struct docker *d, struct request *r, const char *path)
{
    char url[256];
    struct fetch_request req = {
        .url = url,
        .timeout_ms = DOCKER_TIMEOUT_MS,
        .max_body = MAX_BODY,
        .accept = "application/json",
        .unix_socket = d->path,
    };
    struct fetch_callbacks cb = {
        .ctx = r, .data = on_data, .done = on_done,
    };

    snprintf(url, sizeof url, "http://localhost%s", path);
    buf_reset(&r->body);
    r->busy = true;
    /* On -1, done has run already and recorded the reason. */
    fetch_start(r->conn, &req, &cb);
}

/* True when e's details are missing, stale or from another state. */
static bool
wants_details(const struct entry *e, int64_t now_ms)
{
    if (!e->inspected_state || !e->c.state)
        return true;
    return strcmp(e->inspected_state, e->c.state) != 0
        || now_ms - e->inspected_ms >= DOCKER_INSPECT_EVERY_MS;
}

static bool
in_flight(const struct docker *d, const char *id)
{
    for (size_t i = 0; i < INSPECTORS; i++)
        if (d->inspect[i].busy && strcmp(d->inspect[i].id, id) == 0)
            return true;
    return false;
}

static void
start_details(struct docker *d, int64_t now_ms)
{
    size_t next = 0;

    for (size_t k = 0; k < INSPECTORS; k++) {
        struct request *r = &d->inspect[k];
        if (r->busy)
            continue;
        while (next < d->n && (!wants_details(&d->entries[next], now_ms)
                               || in_flight(d, d->entries[next].c.id)))
            next++;
        if (next == d->n)
            return;
        struct entry *e = &d->entries[next++];
        char path[160];
        snprintf(r->id, sizeof r->id, "%s", e->c.id);
        snprintf(path, sizeof path, "/containers/%s/json", e->c.id);
        free(e->inspected_state);
        e->inspected_state = xstrdup(e->c.state ? e->c.state : "");
        e->inspected_ms = now_ms;
        start(d, r, path);
    }
}

static void
make_note(struct docker *d)
{
    d->note[0] = '\0';
    if (!d->error[0])
        return;
    if (d->ready)
        snprintf(d->note, sizeof d->note, "docker: %s: %s; names from %llds"
                 " ago", d->path, d->error,
                 (long long)((d->now_ms - d->last_ok_ms) / 1000));
    else
        snprintf(d->note, sizeof d->note, "docker: %s: %s; containers "
                 "shown by cgroup id", d->path, d->error);
}

/* ---- the events stream ---- */

static void
set_state(struct entry *e, const char *state)
{
    free(e->c.state);
    e->c.state = xstrdup(state);
}

/*
 * What one event does to the table, before the list read it asks for
 * comes back: the states docker ps would show after it, the new name of
 * a rename, the health of a health_status, no row after a destroy.
 * Events that change nothing shown (exec_*, attach, top, ...) are left.
 */
static void
apply_event(struct docker *d, const struct docker_event *ev)
{
    static const struct {
        const char *action, *state;
    } states[] = {
        { "start", "running" }, { "restart", "running" },
        { "unpause", "running" }, { "pause", "paused" },
        { "die", "exited" }, { "stop", "exited" }, { "create", "created" },
    };
    struct entry *e = find_entry(d->entries, d->n, ev->id);
    bool shown = strcmp(ev->action, "rename") == 0
                 || strcmp(ev->action, "destroy") == 0
                 || strncmp(ev->action, "health_status", 13) == 0;

    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (strcmp(ev->action, states[i].action) == 0) {
            shown = true;
            if (e)
                set_state(e, states[i].state);
        }
    if (!shown)
        return;
    if (e && strcmp(ev->action, "rename") == 0 && ev->name[0]) {
        free(e->c.name);
        e->c.name = xstrdup(ev->name + (ev->name[0] == '/'));
    } else if (e && strncmp(ev->action, "health_status: ", 15) == 0) {
        free(e->c.health);
        e->c.health = xstrdup(ev->action + 15);
    } else if (e && strcmp(ev->action, "destroy") == 0) {
        docker_container_fini(&e->c);
        free(e->inspected_state);
        *e = d->entries[--d->n];
    }
    d->news = true;
    d->relist = true;
    d->events_seen++;
}

static void
event_line(struct docker *d, const char *p, size_t n)
{
    struct docker_event ev;
    char err[128];

    if (docker_parse_event(p, n, &ev, err, sizeof err) == 0)
        apply_event(d, &ev);
    else
        log_debug("%s: %s", __func__, err);
}

/* Cuts the stream into lines; a line longer than DOCKER_EVENT_MAX is
 * dropped whole, so memory stays bounded whatever the engine sends. */
static int
on_event_data(void *ctx, const char *p, size_t n)
{
    struct events *ev = ctx;

    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t k = nl ? (size_t)(nl - p) : n;

        if (!ev->skipping && buf_append(&ev->line, p, k) != 0) {
            ev->skipping = true;
            buf_reset(&ev->line);
        }
        if (nl) {
            if (!ev->skipping && ev->line.len > 0)
                event_line(ev->d, ev->line.data, ev->line.len);
            buf_reset(&ev->line);
            ev->skipping = false;
            k++;
        }
        p += k;
        n -= k;
    }
    return 0;
}

/*
 * The stream ended (the engine restarted, the socket went): connect
 * again after a wait that doubles up to DOCKER_EVENTS_BACKOFF_MAX_MS,
 * back to the first after a connection that lasted; events missed in
 * between are made up by reading the list again.
 */
static void
on_event_done(void *ctx, const char *error)
{
    struct events *ev = ctx;
    struct docker *d = ev->d;

    ev->busy = false;
    buf_reset(&ev->line);
    ev->skipping = false;
    if (d->now_ms - ev->since_ms >= DOCKER_EVENTS_BACKOFF_MAX_MS)
        ev->backoff_ms = DOCKER_EVENTS_BACKOFF_MS;
    ev->next_ms = d->now_ms + ev->backoff_ms;
    ev->backoff_ms = ev->backoff_ms * 2 < DOCKER_EVENTS_BACKOFF_MAX_MS
                     ? ev->backoff_ms * 2 : DOCKER_EVENTS_BACKOFF_MAX_MS;
    d->relist = true;
    log_debug("%s: %s: events stream ended (%s); again in %llds",
              __func__, d->path, error ? error : "closed",
              (long long)((ev->next_ms - d->now_ms) / 1000));
}

/* GET /events?filters={"type":["container"]}, held open. */
static void
follow_events(struct docker *d, int64_t now_ms)
{
    struct events *ev = &d->ev;
    struct fetch_request req = {
        .url = "http://localhost/events?filters=%7B%22type%22%3A%5B%22"
               "container%22%5D%7D",
        .timeout_ms = DOCKER_TIMEOUT_MS,
        .max_body = SIZE_MAX,
        .accept = "application/json",
        .unix_socket = d->path,
        .stream = true,
    };
    struct fetch_callbacks cb = {
        .ctx = ev, .data = on_event_data, .done = on_event_done,
    };

    if (ev->busy || now_ms < ev->next_ms)
        return;
    ev->busy = true;
    ev->since_ms = now_ms;
    fetch_start(ev->conn, &req, &cb);
}

static void
start_list(struct docker *d)
{
    d->list.id[0] = '\0';
    d->relist_news = d->relist;
    d->relist = false;
    d->list_events = d->events_seen;
    start(d, &d->list, "/containers/json?all=1");
}

void
docker_poll(struct docker *d, int64_t now_ms)
{
    d->now_ms = now_ms;
    follow_events(d, now_ms);
    if (!d->list.busy)
        start_list(d);
    start_details(d, now_ms);
    make_note(d);
}

bool
docker_follow(struct docker *d, int64_t now_ms)
{
    bool news = d->news;

    d->now_ms = now_ms;
    follow_events(d, now_ms);
    if (d->relist && !d->list.busy)
        start_list(d);
    if (news)
        start_details(d, now_ms);
    d->news = false;
    return news;
}

const struct docker_container *
docker_find(const struct docker *d,
            const char *id)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->entries[i].c.id, id) == 0)
            return &d->entries[i].c;
    return NULL;
}

size_t
docker_count(const struct docker *d)
{
    return d->n;
}

const struct docker_container *
docker_at(const struct docker *d, size_t i)
{
    return &d->entries[i].c;
}

bool
docker_ready(const struct docker *d)
{
    return d->ready;
}

const char *
docker_note(const struct docker *d)
{
    return d->note;
}
