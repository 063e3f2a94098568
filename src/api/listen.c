/*
 * Listening sockets, made here rather than by the HTTP library so the
 * Unix socket gets its folder and modes right before anyone can connect,
 * and both kinds reach the server the same way (an open descriptor).
 */
#include "src/api/listen.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define BACKLOG 128

int
listen_default_path(char *out, size_t size, bool *fallback)
{
    const char *run = getenv("XDG_RUNTIME_DIR");
    int n;

    *fallback = run == NULL || run[0] != '/';
    if (!*fallback)
        n = snprintf(out, size, "%s/promdeck/promdeck.sock", run);
    else
        n = snprintf(out, size, "/tmp/promdeck-%u/promdeck.sock",
                     (unsigned)getuid());
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The socket's folder: made 0700, or an existing one that is ours and
 * shut to others. */
static int
check_dir(const char *path, char *err, size_t errsz)
{
    char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
    struct stat st;
    int rc = -1;

    if (slash == NULL || slash == dir) {
        free(dir);
        return 0;
    }
    *slash = '\0';
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        snprintf(err, errsz, "cannot create %s: %s", dir, strerror(errno));
    else if (lstat(dir, &st) < 0)
        snprintf(err, errsz, "%s: %s", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        snprintf(err, errsz, "%s is not a folder", dir);
    else if (st.st_uid != getuid())
        snprintf(err, errsz, "%s belongs to another user", dir);
    else if ((st.st_mode & 077) != 0)
        snprintf(err, errsz, "%s is open to other users (mode %03o; "
                 "chmod 700 it)", dir, (unsigned)(st.st_mode & 0777));
    else
        rc = 0;
    free(dir);
    return rc;
}

/* Whether something answers on the socket at addr. */
static bool
socket_alive(const struct sockaddr_un *addr)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool alive = fd >= 0 && connect(fd, (const struct sockaddr *)addr,
                                    sizeof(*addr)) == 0;

    if (fd >= 0)
        close(fd);
    return alive;
}

int
listen_unix(const char *path, char *err, size_t errsz)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct stat st;
    mode_t old;
    int fd, rc;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        snprintf(err, errsz, "%s: path too long for a socket", path);
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    if (check_dir(path, err, errsz) < 0)
        return -1;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(err, errsz, "%s exists and is not a socket", path);
            return -1;
        }
        if (socket_alive(&addr)) {
            snprintf(err, errsz, "%s: another promdeck serve is listening "
                     "there", path);
            return -1;
        }
        unlink(path);
    }
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        snprintf(err, errsz, "socket: %s", strerror(errno));
        return -1;
    }
    /* Made 0600 from the start: no moment when others could connect. */
    old = umask(0177);
    rc = bind(fd, (const struct sockaddr *)&addr, sizeof(addr));
    umask(old);
    if (rc < 0 || listen(fd, BACKLOG) < 0) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void
listen_unix_remove(const char *path)
{
    unlink(path);
}

/* Splits "host:port", "[v6]:port" or ":port" into its parts. */
static int
split_hostport(const char *s, char *host, size_t hsize, const char **port)
{
    const char *colon = strrchr(s, ':');
    const char *h = s;
    size_t hl;

    if (colon == NULL || colon[1] == '\0')
        return -1;
    hl = (size_t)(colon - s);
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
        h = s + 1;
        hl -= 2;
    }
    if (hl >= hsize)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = colon + 1;
    return 0;
}

int
listen_tcp(const char *hostport, char *err, size_t errsz)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE };
    struct addrinfo *res;
    char host[256];
    const char *port;
    int fd, rc, one = 1;

    if (split_hostport(hostport, host, sizeof(host), &port) < 0) {
        snprintf(err, errsz, "%s: expected host:port", hostport);
        return -1;
    }
    if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res)) != 0) {
        snprintf(err, errsz, "%s: %s", hostport, gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC,
                res->ai_protocol);
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0
        || listen(fd, BACKLOG) < 0) {
        snprintf(err, errsz, "%s: %s", hostport, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}
