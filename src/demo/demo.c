/*
 * The demo targets' server: binds one port per replica on 127.0.0.1, then
 * forks a process that answers GET for each replica's metrics path over
 * HTTP/1.1 (keep-alive, Content-Length) from a single poll() loop, steps
 * the simulated apps every 250 ms and takes replicas down and up. It is
 * not a general web server: no request bodies, no chunking, no TLS.
 */
#include "src/demo/demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/demo/demo_apps.h"

#define NSLOTS 8            /* 3 + 1 + 3 + 1 replicas */
#define TICK 0.25           /* seconds between simulation steps */
#define MAX_CONNS 128
#define INBUF 8192          /* a request head must fit in here */
#define OUT_HIGH (1 << 20)  /* stop reading while this much is unsent */
#define OUT_MAX (8 << 20)
#define IDLE_SECS 120.0

struct demo {
    pid_t pid;
    struct demo_target targets[NSLOTS];
    char addr[NSLOTS][24];
};

/* One replica as the server sees it. */
struct slot {
    enum demo_app app;
    int index;              /* replica number within its job */
    int port;
    int fd;                 /* listening socket; -1 while down */
    struct demo_replica *rep;   /* NULL while down */
    unsigned restarts;
};

struct conn {
    int fd;                 /* -1: the entry is free */
    int slot;
    char in[INBUF];
    size_t inlen;
    struct buf out;
    size_t outoff;
    bool closing;           /* close once out is flushed */
    double last;            /* time of the last activity */
};

struct server {
    struct slot slots[NSLOTS];
    struct conn *conns;     /* MAX_CONNS of them */
    double t0;              /* monotonic time the server started */
    double wall0;           /* Unix time then */
    double sim;             /* world time the replicas are stepped to */
    double period, down;    /* the outage cycle */
    struct buf body;        /* scratch for one response body */
};

/* Replicas that may go down, taking turns: image-gallery and access-log
 * alternate so that both jobs show an outage early on. */
static const int victims[] = {0, 5, 1, 6, 2, 4};

/* cycle = number ":" number  (PERIOD:DOWN, seconds) */
static int
parse_cycle(const char *s, double *period, double *down, struct diag *d)
{
    const char *orig = s;
    char *end;
    double p, w;

    p = strtod(s, &end);
    if (end == s || *end != ':')
        goto bad;
    s = end + 1;
    w = strtod(s, &end);
    if (end == s || *end != '\0' || !(p > 0) || !(w > 0) || w > p / 2
        || !isfinite(p))
        goto bad;
    *period = p;
    *down = w;
    return 0;
bad:
    d->source = "PROMDECK_DEMO_CYCLE";
    diag_set(d, 0, 0, 0, "expected PERIOD:DOWN in seconds with "
             "0 < DOWN <= PERIOD/2, found '%s'", orig);
    diag_hint(d, "for example PROMDECK_DEMO_CYCLE=240:30");
    return -1;
}

/* A listening socket on 127.0.0.1:port (0: any free port); -1 on error. */
static int
listen_on(int port)
{
    struct sockaddr_in sa;
    int fd, one = 1;

    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    /* A replica that comes back rebinds its port while old connections
     * still linger in TIME_WAIT. */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
        || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0
        || listen(fd, 64) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int
port_of(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;

    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        return -1;
    return ntohs(sa.sin_port);
}

static uint64_t
seed_for(int slot, unsigned restarts)
{
    return 0x5eedULL << 32 | (uint64_t)slot << 16 | restarts;
}

static void
conn_close(struct conn *c)
{
    close(c->fd);
    c->fd = -1;
    buf_fini(&c->out);
}

/* The replica dies: its port refuses connections, its state is gone. */
static void
slot_down(struct server *sv, int i)
{
    struct slot *s = &sv->slots[i];

    for (int k = 0; k < MAX_CONNS; k++)
        if (sv->conns[k].fd >= 0 && sv->conns[k].slot == i)
            conn_close(&sv->conns[k]);
    close(s->fd);
    s->fd = -1;
    demo_replica_free(s->rep);
    s->rep = NULL;
}

/* The replica restarts on its old port; -1 (retried later) if taken. */
static int
slot_up(struct server *sv, int i, double t)
{
    struct slot *s = &sv->slots[i];

    s->fd = listen_on(s->port);
    if (s->fd < 0)
        return -1;
    s->restarts++;
    s->rep = demo_replica_new(s->app, s->index, sv->wall0 + t,
                              seed_for(i, s->restarts));
    return 0;
}

/* Which slot the outage cycle keeps down at world time t, or -1. */
static int
victim_at(const struct server *sv, double t)
{
    double n = floor(t / sv->period);
    double phase = t - n * sv->period;
    size_t nv = sizeof victims / sizeof victims[0];

    if (phase < sv->period / 2 || phase >= sv->period / 2 + sv->down)
        return -1;
    return victims[(size_t)fmod(n, (double)nv)];
}

static void
apply_cycle(struct server *sv, double t)
{
    int v = victim_at(sv, t);

    for (int i = 0; i < NSLOTS; i++) {
        if (i == v && sv->slots[i].fd >= 0)
            slot_down(sv, i);
        else if (i != v && sv->slots[i].fd < 0)
            slot_up(sv, i, t);
    }
}

static struct demo_world
world_at(const struct server *sv)
{
    struct demo_world w = {sv->sim, sv->wall0 + sv->sim, 0};

    for (int i = 0; i < NSLOTS; i++)
        w.down += sv->slots[i].fd < 0;
    return w;
}

/* Steps every live replica in TICK steps up to now. */
static void
advance(struct server *sv, double now)
{
    /* After a long stop (SIGSTOP, a suspended laptop) skip, not replay. */
    if (now - sv->sim > 30)
        sv->sim = now - 30;
    while (sv->sim + TICK <= now) {
        struct demo_world w;

        sv->sim += TICK;
        apply_cycle(sv, sv->sim);
        w = world_at(sv);
        for (int i = 0; i < NSLOTS; i++)
            if (sv->slots[i].rep != NULL)
                demo_replica_step(sv->slots[i].rep, &w, TICK);
    }
}

static void
respond(struct conn *c, int code, const char *reason, const char *ctype,
        const struct buf *body, bool head_only)
{
    int r;

    r = buf_printf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
                   "Content-Length: %zu\r\n%s\r\n", code, reason, ctype,
                   body->len, c->closing ? "Connection: close\r\n" : "");
    if (r == 0 && !head_only)
        r = buf_append(&c->out, body->data != NULL ? body->data : "",
                       body->len);
    if (r < 0)              /* the client reads nothing: give up on it */
        c->closing = true;
}

static void
respond_text(struct server *sv, struct conn *c, int code, const char *reason,
             const char *text)
{
    buf_reset(&sv->body);
    buf_puts(&sv->body, text);
    respond(c, code, reason, "text/plain; charset=utf-8", &sv->body, false);
}

/* Whether header line h (len bytes) is "name:" followed by a value. */
static const char *
header_value(const char *h, size_t len, const char *name)
{
    size_t n = strlen(name);

    if (len <= n || strncasecmp(h, name, n) != 0 || h[n] != ':')
        return NULL;
    h += n + 1;
    while (*h == ' ' || *h == '\t')
        h++;
    return h;
}

/*
 * header-field = field-name ":" OWS field-value OWS CRLF
 * Only three matter: Connection, and Content-Length or Transfer-Encoding,
 * since a request with a body is refused. -1 for such a request.
 */
static int
read_headers(struct conn *c, const char *p, const char *end, bool http10)
{
    bool keep = !http10;
    const char *v;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((eol != NULL ? eol : end) - p);

        if ((v = header_value(p, len, "Connection")) != NULL) {
            if (strncasecmp(v, "close", 5) == 0)
                keep = false;
            else if (strncasecmp(v, "keep-alive", 10) == 0)
                keep = true;
        } else if ((v = header_value(p, len, "Content-Length")) != NULL) {
            if (*v != '0')
                return -1;
        } else if (header_value(p, len, "Transfer-Encoding") != NULL) {
            return -1;
        }
        p += len + 1;
    }
    if (!keep)
        c->closing = true;
    return 0;
}

/* request-line = method SP request-target SP HTTP-version CRLF, headers */
static void
handle_request(struct server *sv, struct conn *c, const char *req,
               size_t len)
{
    const char *end = req + len, *sp1, *sp2, *eol;
    struct slot *s = &sv->slots[c->slot];
    struct demo_world w;
    size_t plen;
    bool head;

    sp1 = memchr(req, ' ', len);
    sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
    eol = memchr(req, '\n', len);
    if (sp1 == NULL || sp2 == NULL || eol == NULL || eol - sp2 < 9
        || memcmp(sp2 + 1, "HTTP/1.", 7) != 0
        || read_headers(c, eol + 1, end, sp2[8] == '0') < 0) {
        c->closing = true;
        respond_text(sv, c, 400, "Bad Request", "400 bad request\n");
        return;
    }
    head = (size_t)(sp1 - req) == 4 && memcmp(req, "HEAD", 4) == 0;
    if (!head && !((size_t)(sp1 - req) == 3 && memcmp(req, "GET", 3) == 0)) {
        respond_text(sv, c, 405, "Method Not Allowed",
                     "405 method not allowed\n");
        return;
    }
    plen = strcspn(sp1 + 1, "? ");
    if (plen != strlen(demo_app_path(s->app))
        || memcmp(sp1 + 1, demo_app_path(s->app), plen) != 0) {
        respond_text(sv, c, 404, "Not Found", "404 page not found\n");
        return;
    }
    w = world_at(sv);
    buf_reset(&sv->body);
    demo_replica_render(s->rep, &w, &sv->body);
    respond(c, 200, "OK", demo_app_content_type(s->app), &sv->body, head);
}

/* The length of the first request head in c->in (through its blank
 * line, CRLF or bare LF), or 0 when it is not complete yet. */
static size_t
head_length(const struct conn *c)
{
    for (size_t i = 0; i + 1 < c->inlen; i++) {
        if (c->in[i] != '\n')
            continue;
        if (c->in[i + 1] == '\n')
            return i + 2;
        if (i + 2 < c->inlen && c->in[i + 1] == '\r' && c->in[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* Answers every complete request buffered, in order (pipelining). */
static void
serve_buffered(struct server *sv, struct conn *c)
{
    size_t n;

    while (!c->closing && c->out.len - c->outoff < OUT_HIGH) {
        n = head_length(c);
        if (n == 0) {
            if (c->inlen == INBUF) {
                c->closing = true;
                respond_text(sv, c, 431, "Request Header Fields Too Large",
                             "431 request header fields too large\n");
            }
            return;
        }
        handle_request(sv, c, c->in, n);
        memmove(c->in, c->in + n, c->inlen - n);
        c->inlen -= n;
    }
}

static void
conn_write(struct server *sv, struct conn *c)
{
    while (c->outoff < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->outoff,
                         c->out.len - c->outoff, MSG_NOSIGNAL);

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            conn_close(c);
            return;
        }
        c->outoff += (size_t)n;
    }
    buf_reset(&c->out);
    c->outoff = 0;
    if (c->closing) {
        conn_close(c);
        return;
    }
    if (c->inlen > 0) {     /* requests held back while output piled up */
        serve_buffered(sv, c);
        if (c->out.len > 0)
            conn_write(sv, c);
    }
}

static void
conn_read(struct server *sv, struct conn *c, double now)
{
    ssize_t n;

    if (c->inlen == INBUF)  /* held back or refused already: no room */
        return;
    n = recv(c->fd, c->in + c->inlen, INBUF - c->inlen, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        conn_close(c);
        return;
    }
    c->inlen += (size_t)n;
    c->last = now;
    serve_buffered(sv, c);
    conn_write(sv, c);
}

static void
accept_all(struct server *sv, int slot, double now)
{
    int fd;

    while ((fd = accept4(sv->slots[slot].fd, NULL, NULL,
                         SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        struct conn *c = NULL;

        for (int k = 0; k < MAX_CONNS && c == NULL; k++)
            if (sv->conns[k].fd < 0)
                c = &sv->conns[k];
        if (c == NULL) {    /* full: this client has to come back later */
            close(fd);
            continue;
        }
        c->fd = fd;
        c->slot = slot;
        c->inlen = 0;
        buf_init(&c->out, OUT_MAX);
        c->outoff = 0;
        c->closing = false;
        c->last = now;
    }
}

/* Fills pfd (listeners first, then connections); returns the count. */
static nfds_t
poll_set(struct server *sv, struct pollfd *pfd, int *who)
{
    nfds_t n = 0;

    for (int i = 0; i < NSLOTS; i++)
        if (sv->slots[i].fd >= 0) {
            pfd[n] = (struct pollfd){sv->slots[i].fd, POLLIN, 0};
            who[n++] = -1 - i;
        }
    for (int k = 0; k < MAX_CONNS; k++) {
        struct conn *c = &sv->conns[k];
        short ev = 0;

        if (c->fd < 0)
            continue;
        if (c->out.len - c->outoff < OUT_HIGH && !c->closing)
            ev |= POLLIN;
        if (c->outoff < c->out.len)
            ev |= POLLOUT;
        pfd[n] = (struct pollfd){c->fd, ev, 0};
        who[n++] = k;
    }
    return n;
}

static void
dispatch(struct server *sv, struct pollfd *pfd, const int *who, nfds_t n,
         double now)
{
    for (nfds_t i = 0; i < n; i++) {
        struct conn *c;

        if (pfd[i].revents == 0)
            continue;
        if (who[i] < 0) {
            accept_all(sv, -1 - who[i], now);
            continue;
        }
        c = &sv->conns[who[i]];
        if (c->fd >= 0 && (pfd[i].revents & POLLOUT))
            conn_write(sv, c);
        if (c->fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
            conn_read(sv, c, now);
    }
    for (int k = 0; k < MAX_CONNS; k++)
        if (sv->conns[k].fd >= 0 && now - sv->conns[k].last > IDLE_SECS)
            conn_close(&sv->conns[k]);
}

static _Noreturn void
serve(struct server *sv)
{
    struct pollfd pfd[NSLOTS + MAX_CONNS];
    int who[NSLOTS + MAX_CONNS];

    for (;;) {
        double now = time_mono_s() - sv->t0;
        double wait;
        nfds_t n;
        int r;

        advance(sv, now);
        n = poll_set(sv, pfd, who);
        wait = sv->sim + TICK - now;
        r = poll(pfd, n, wait > 0 ? (int)ceil(wait * 1000) : 0);
        if (r < 0 && errno != EINTR)
            _exit(1);
        if (r > 0)
            dispatch(sv, pfd, who, n, time_mono_s() - sv->t0);
    }
}

/* Closes every inherited descriptor but the listeners, and points 0-2 at
 * /dev/null so the child can never touch the terminal. */
static void
detach_fds(const struct server *sv)
{
    int keep[NSLOTS], fds[1024], n = 0, nul;
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *e;

    for (int i = 0; i < NSLOTS; i++)
        keep[i] = sv->slots[i].fd;
    while (dir != NULL && n < 1024 && (e = readdir(dir)) != NULL)
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
            fds[n++] = (int)strtol(e->d_name, NULL, 10);
    if (dir != NULL)
        closedir(dir);
    else
        for (int fd = 3; fd < 1024; fd++)
            fds[n++] = fd;
    for (int i = 0; i < n; i++) {
        bool k = fds[i] <= 2;

        for (int j = 0; j < NSLOTS; j++)
            k = k || fds[i] == keep[j];
        if (!k)
            close(fds[i]);
    }
    nul = open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2 && nul >= 0; fd++)
        dup2(nul, fd);
    if (nul > 2)
        close(nul);
}

static _Noreturn void
child_main(struct server *sv, pid_t parent)
{
    static const int dfl[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD,
                              SIGWINCH, SIGUSR1, SIGUSR2, SIGALRM};
    sigset_t none;

    /* promdeck's handlers only set flags: the child needs the defaults,
     * so that SIGTERM (sent by demo_stop or on the parent's death) ends it. */
    for (size_t i = 0; i < sizeof dfl / sizeof dfl[0]; i++)
        signal(dfl[i], SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
        _exit(0);
    prctl(PR_SET_NAME, "promdeck-demo");  /* how ps and top show it */
    xalloc_set_fatal_hook(NULL);    /* the screen belongs to the parent */
    detach_fds(sv);
    sv->t0 = time_mono_s();
    sv->wall0 = time_now_s();
    sv->conns = xcalloc(MAX_CONNS, sizeof *sv->conns);
    for (int k = 0; k < MAX_CONNS; k++)
        sv->conns[k].fd = -1;
    buf_init(&sv->body, 0);
    for (int i = 0; i < NSLOTS; i++)
        sv->slots[i].rep = demo_replica_new(sv->slots[i].app,
                                            sv->slots[i].index, sv->wall0,
                                            seed_for(i, 0));
    serve(sv);
}

/* Binds every slot; on failure closes what was bound and returns -1. */
static int
bind_all(struct server *sv, struct diag *d)
{
    int n = 0;

    for (int a = 0; a < DEMO_APP_COUNT; a++)
        for (int r = 0; r < demo_app_replicas((enum demo_app)a); r++) {
            struct slot *s = &sv->slots[n++];

            s->app = (enum demo_app)a;
            s->index = r;
            s->fd = listen_on(0);
            s->port = s->fd >= 0 ? port_of(s->fd) : -1;
            if (s->port < 0) {
                diag_set(d, 0, 0, 0, "demo: cannot listen on 127.0.0.1: %s",
                         strerror(errno));
                for (int i = 0; i < n; i++)
                    if (sv->slots[i].fd >= 0)
                        close(sv->slots[i].fd);
                return -1;
            }
        }
    return 0;
}

struct demo *
demo_start(struct diag *d)
{
    struct server sv;
    const char *cyc = getenv("PROMDECK_DEMO_CYCLE");
    struct demo *dm;
    pid_t parent = getpid();
    int err;

    memset(&sv, 0, sizeof sv);
    sv.period = 240;
    sv.down = 30;
    if (cyc != NULL && cyc[0] != '\0'
        && parse_cycle(cyc, &sv.period, &sv.down, d) < 0)
        return NULL;
    if (bind_all(&sv, d) < 0)
        return NULL;
    dm = xcalloc(1, sizeof *dm);
    dm->pid = fork();
    if (dm->pid == 0)
        child_main(&sv, parent);
    err = errno;
    for (int i = 0; i < NSLOTS; i++) {
        /* The parent's copies must go: a listener stays open (and keeps
         * accepting into its backlog) while any process holds it. */
        close(sv.slots[i].fd);
        snprintf(dm->addr[i], sizeof dm->addr[i], "127.0.0.1:%d",
                 sv.slots[i].port);
        dm->targets[i].job = demo_app_job(sv.slots[i].app);
        dm->targets[i].address = dm->addr[i];
        dm->targets[i].metrics_path = demo_app_path(sv.slots[i].app);
    }
    if (dm->pid < 0) {
        diag_set(d, 0, 0, 0, "demo: fork: %s", strerror(err));
        free(dm);
        return NULL;
    }
    return dm;
}

size_t
demo_targets(const struct demo *dm, const struct demo_target **out)
{
    *out = dm->targets;
    return NSLOTS;
}

void
demo_stop(struct demo *dm)
{
    if (dm == NULL)
        return;
    kill(dm->pid, SIGTERM);
    while (waitpid(dm->pid, NULL, 0) < 0 && errno == EINTR)
        continue;
    free(dm);
}
