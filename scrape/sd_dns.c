/*
 * DNS discovery through a lookup child. The child resolves A and AAAA
 * names with getaddrinfo (so /etc/hosts and nsswitch count, as the rest
 * of the system sees names) and SRV names with res_nsearch, writes one
 * line per answer to a pipe and exits; the parent reads the pipe without
 * blocking and reaps the child when it closes. Pipe lines:
 *   N <index>                 answers for name <index> follow
 *   T <address> <srv-target> <srv-port>   ("-" for no SRV data)
 *   X nx|fail <message>       the name does not exist / the lookup failed
 * Names never travel through the pipe, so no name can break a line.
 *   D                         that name is complete
 */
#include "scrape/sd_dns.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/base/buf.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"

/* The most a lookup child may write: far more than any answer set. */
#define MAX_OUTPUT ((size_t)4 << 20)
/* How often the loop should look at a running child's pipe. */
#define PIPE_POLL_MS 100

/* A name and what its last good answer gave. */
struct name_state {
    char *name;
    struct sd_group group;
    bool have;                  /* group holds an answer */
    char *error;                /* of the last lookup; NULL when none */
};

/* Invariants: pid > 0 exactly while a child runs, and then fd is its
 * pipe's read end (non-blocking); view lists the groups of the names
 * that have one, in config order. */
struct sd_dns {
    struct name_state *names;
    size_t n;
    enum sd_dns_type type;
    int port;
    int64_t refresh_ms, started_ms, next_refresh;
    pid_t pid;
    int fd;
    struct buf out;
    bool done_once;
    const struct sd_group **view;
    size_t nview;
    struct buf error;
};

struct sd_dns *
sd_dns_new(const struct sd_dns_config *c)
{
    struct sd_dns *d = xcalloc(1, sizeof(*d));

    d->names = xcalloc(c->nnames + 1, sizeof(*d->names));
    for (size_t i = 0; i < c->nnames; i++) {
        d->names[i].name = xstrdup(c->names[i]);
        sd_group_init(&d->names[i].group, c->names[i]);
    }
    d->n = c->nnames;
    d->type = c->type;
    d->port = c->port;
    d->refresh_ms = c->refresh_ms > 0 ? c->refresh_ms
                                      : SD_DNS_DEFAULT_REFRESH_MS;
    d->fd = -1;
    buf_init(&d->out, MAX_OUTPUT);
    buf_init(&d->error, 0);
    buf_puts(&d->error, "");
    return d;
}

/* Ends a running child (ours: its pid came from our fork) and reaps it. */
static void
child_stop(struct sd_dns *d)
{
    if (d->pid <= 0)
        return;
    kill(d->pid, SIGKILL);
    while (waitpid(d->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    close(d->fd);
    d->pid = 0;
    d->fd = -1;
}

void
sd_dns_free(struct sd_dns *d)
{
    if (d == NULL)
        return;
    child_stop(d);
    for (size_t i = 0; i < d->n; i++) {
        free(d->names[i].name);
        sd_group_fini(&d->names[i].group);
        free(d->names[i].error);
    }
    free(d->names);
    free(d->view);
    buf_fini(&d->out);
    buf_fini(&d->error);
    free(d);
}

/* --- The child side. Nothing here returns to the caller's loop. --- */

/* Host and port joined as Go's net.JoinHostPort does. */
static void
put_target(FILE *out, const char *host, int port, const char *srv_target)
{
    const char *fmt = strchr(host, ':') != NULL ? "T [%s]:%d" : "T %s:%d";

    fprintf(out, fmt, host, port);
    if (srv_target != NULL)
        fprintf(out, " %s. %d\n", srv_target, port);
    else
        fputs(" - -\n", out);
}

/* A or AAAA through getaddrinfo; duplicate addresses are written once. */
static void
lookup_addr(FILE *out, const char *name, int family, int port)
{
    struct addrinfo hints, *res, *ai;
    char seen[64][INET6_ADDRSTRLEN];
    size_t nseen = 0;
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc == EAI_NODATA)
        return;
    if (rc != 0) {
        fprintf(out, "X %s %s\n", rc == EAI_NONAME ? "nx" : "fail",
                gai_strerror(rc));
        return;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        char host[INET6_ADDRSTRLEN];
        const void *a = family == AF_INET
            ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
            : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
        bool dup = false;

        if (ai->ai_family != family ||
            inet_ntop(family, a, host, sizeof(host)) == NULL)
            continue;
        for (size_t i = 0; i < nseen && !dup; i++)
            dup = strcmp(seen[i], host) == 0;
        if (dup)
            continue;
        if (nseen < 64)
            memcpy(seen[nseen++], host, sizeof(host));
        put_target(out, host, port, NULL);
    }
    freeaddrinfo(res);
}

/* PROMDECK_DNS_SERVER=ip:port replaces the configured name servers. */
static void
override_server(res_state rs)
{
    const char *env = getenv("PROMDECK_DNS_SERVER");
    const char *colon;
    char ip[INET_ADDRSTRLEN];
    struct sockaddr_in sa;
    long port;
    char *end;

    if (env == NULL || (colon = strrchr(env, ':')) == NULL ||
        (size_t)(colon - env) >= sizeof(ip))
        return;
    memcpy(ip, env, (size_t)(colon - env));
    ip[colon - env] = '\0';
    port = strtol(colon + 1, &end, 10);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    if (*end != '\0' || port <= 0 || port > 65535 ||
        inet_pton(AF_INET, ip, &sa.sin_addr) != 1)
        return;
    sa.sin_port = htons((uint16_t)port);
    rs->nsaddr_list[0] = sa;
    rs->nscount = 1;
    rs->retrans = 1;
    rs->retry = 1;
}

/* The SRV records of name (through the search list), each a target. */
static void
lookup_srv(FILE *out, res_state rs, const char *name)
{
    static unsigned char ans[65536];
    ns_msg h;
    int len = res_nsearch(rs, name, ns_c_in, ns_t_srv, ans, sizeof(ans));

    if (len < 0) {
        if (rs->res_h_errno == NO_DATA)
            return;
        fprintf(out, "X %s %s\n",
                rs->res_h_errno == HOST_NOT_FOUND ? "nx" : "fail",
                hstrerror(rs->res_h_errno));
        return;
    }
    if (ns_initparse(ans, len, &h) < 0) {
        fputs("X fail malformed answer\n", out);
        return;
    }
    for (int i = 0; i < ns_msg_count(h, ns_s_an); i++) {
        ns_rr rr;
        char target[NS_MAXDNAME];
        const unsigned char *rd;

        if (ns_parserr(&h, ns_s_an, i, &rr) < 0 ||
            ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
            continue;
        rd = ns_rr_rdata(rr);
        if (dn_expand(ns_msg_base(h), ns_msg_end(h), rd + 6, target,
                      sizeof(target)) < 0)
            continue;
        put_target(out, target, ns_get16(rd + 4), target);
    }
}

/* The lookup child: answers every name on fd, then exits. */
static void
child_run(const struct sd_dns *d, int fd)
{
    FILE *out = fdopen(fd, "w");
    struct __res_state rs;
    bool rs_ok;

    if (out == NULL)
        _exit(1);
    memset(&rs, 0, sizeof(rs));
    rs_ok = res_ninit(&rs) == 0;
    if (rs_ok)
        override_server(&rs);
    for (size_t i = 0; i < d->n; i++) {
        fprintf(out, "N %zu\n", i);
        if (d->type == SD_DNS_SRV && rs_ok)
            lookup_srv(out, &rs, d->names[i].name);
        else if (d->type == SD_DNS_SRV)
            fputs("X fail cannot initialise the resolver\n", out);
        else
            lookup_addr(out, d->names[i].name,
                        d->type == SD_DNS_A ? AF_INET : AF_INET6, d->port);
        fputs("D\n", out);
    }
    fflush(out);
    _exit(0);
}

/* Forks a lookup child; on failure the refresh counts as failed. */
static void
child_start(struct sd_dns *d, int64_t now_ms)
{
    int p[2];

    d->started_ms = now_ms;
    d->next_refresh = now_ms + d->refresh_ms;
    buf_reset(&d->out);
    if (pipe(p) != 0) {
        log_debug("%s: pipe: %s", __func__, strerror(errno));
        return;
    }
    d->pid = fork();
    if (d->pid == 0) {
        close(p[0]);
        child_run(d, p[1]);
    }
    close(p[1]);
    if (d->pid < 0) {
        log_debug("%s: fork: %s", __func__, strerror(errno));
        close(p[0]);
        d->pid = 0;
        return;
    }
    d->fd = p[0];
    fcntl(d->fd, F_SETFL, fcntl(d->fd, F_GETFL) | O_NONBLOCK);
    fcntl(d->fd, F_SETFD, FD_CLOEXEC);
}

/* --- The parent side. --- */

/* One name's answers as the pipe gave them. */
struct answer {
    size_t idx;
    struct sd_group group;
    int failure;                /* 0, 'n' (no such name) or 'f' (failed) */
    char *error;
};

/* "T address srv-target srv-port": a target with its meta labels. */
static void
add_target(struct answer *a, const char *name, char *line)
{
    char *save = NULL, *addr, *st, *sp;
    struct labels *t;

    addr = strtok_r(line + 2, " ", &save);
    st = strtok_r(NULL, " ", &save);
    sp = strtok_r(NULL, " ", &save);
    if (addr == NULL || st == NULL || sp == NULL)
        return;
    t = sd_group_add_target(&a->group);
    labels_put(t, "__address__", addr);
    labels_put(t, "__meta_dns_name", name);
    if (strcmp(st, "-") != 0) {
        labels_put(t, "__meta_dns_srv_record_target", st);
        labels_put(t, "__meta_dns_srv_record_port", sp);
    }
    labels_sort(t);
}

/*
 * Takes a name's answer: a failed lookup keeps the last good group, a
 * missing name empties it, anything else replaces it. Returns true when
 * the name's targets changed.
 */
static bool
take_answer(struct sd_dns *d, struct answer *a)
{
    struct name_state *ns = &d->names[a->idx];
    bool changed = false;

    free(ns->error);
    ns->error = a->error;
    a->error = NULL;
    if (ns->error != NULL)
        log_debug("%s: %s", __func__, ns->error);
    if (a->failure != 'f') {
        changed = !sd_group_equal(&ns->group, &a->group);
        sd_group_move(&ns->group, &a->group);
        ns->have = true;
    }
    sd_group_fini(&a->group);
    return changed;
}

/* Applies the child's whole output; names it did not finish failed. */
static bool
apply_output(struct sd_dns *d, char *text, const char *why)
{
    bool changed = false, *done = xcalloc(d->n + 1, sizeof(*done));
    struct answer a = { .idx = (size_t)-1 };
    char *save = NULL;

    for (char *l = strtok_r(text, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        if (l[0] == 'N') {
            a.idx = strtoul(l + 1, NULL, 10);
            if (a.idx < d->n)
                sd_group_init(&a.group, d->names[a.idx].name);
        } else if (a.idx >= d->n) {
            continue;
        } else if (l[0] == 'T') {
            add_target(&a, d->names[a.idx].name, l);
        } else if (l[0] == 'X') {
            const char *msg = strchr(l + 2, ' ');

            a.failure = l[2] == 'n' ? 'n' : 'f';
            free(a.error);
            a.error = xasprintf("could not resolve \"%s\": %s",
                                d->names[a.idx].name,
                                msg != NULL ? msg + 1 : "lookup failed");
        } else if (l[0] == 'D') {
            changed |= take_answer(d, &a);
            done[a.idx] = true;
            a = (struct answer){ .idx = (size_t)-1 };
        }
    }
    if (a.idx < d->n)
        sd_group_fini(&a.group);
    free(a.error);
    for (size_t i = 0; i < d->n; i++)
        if (!done[i]) {
            free(d->names[i].error);
            d->names[i].error = xasprintf("could not resolve \"%s\": %s",
                                          d->names[i].name, why);
            log_debug("%s: %s", __func__, d->names[i].error);
        }
    free(done);
    return changed;
}

static void
rebuild(struct sd_dns *d)
{
    d->view = xreallocarray(d->view, d->n + 1, sizeof(*d->view));
    d->nview = 0;
    buf_reset(&d->error);
    buf_puts(&d->error, "");
    for (size_t i = 0; i < d->n; i++) {
        if (d->names[i].have)
            d->view[d->nview++] = &d->names[i].group;
        if (d->names[i].error != NULL)
            buf_printf(&d->error, "%s%s", d->error.len > 0 ? "; " : "",
                       d->names[i].error);
    }
}

/*
 * Reads what the child wrote so far. At end of file (or past the
 * deadline) the child is reaped and its answers applied; returns true
 * when that changed the groups.
 */
static bool
collect(struct sd_dns *d, int64_t now_ms)
{
    char tmp[4096], *text;
    const char *why = "the lookup ended early";
    ssize_t r;
    bool changed;

    for (;;) {
        r = read(d->fd, tmp, sizeof(tmp));
        if (r > 0 && buf_append(&d->out, tmp, (size_t)r) == 0)
            continue;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN && now_ms - d->started_ms <
                                        SD_DNS_DEADLINE_MS)
            return false;
        break;
    }
    if (r != 0)
        why = r > 0 ? "too many answers" : "the lookup timed out";
    child_stop(d);
    text = xstrndup(d->out.data != NULL ? d->out.data : "", d->out.len);
    changed = apply_output(d, text, why);
    free(text);
    d->done_once = true;
    rebuild(d);
    return changed;
}

bool
sd_dns_poll(struct sd_dns *d, int64_t now_ms)
{
    bool changed = false;

    if (d->pid > 0)
        changed = collect(d, now_ms);
    if (d->pid <= 0 && now_ms >= d->next_refresh) {
        child_start(d, now_ms);
        if (d->pid > 0)
            changed |= collect(d, now_ms);
    }
    return changed;
}

int64_t
sd_dns_next_due(const struct sd_dns *d, int64_t now_ms)
{
    if (d->pid > 0)
        return now_ms + PIPE_POLL_MS;
    return d->next_refresh;
}

bool
sd_dns_pending(const struct sd_dns *d)
{
    return !d->done_once;
}

bool
sd_dns_running(const struct sd_dns *d)
{
    return d->pid > 0;
}

size_t
sd_dns_group_count(const struct sd_dns *d)
{
    return d->nview;
}

const struct sd_group *
sd_dns_group(const struct sd_dns *d, size_t i)
{
    return i < d->nview ? d->view[i] : NULL;
}

const char *
sd_dns_error(const struct sd_dns *d)
{
    return buf_str(&d->error);
}
