/*
 * The sockets `promdeck serve` listens on: a Unix socket (the default,
 * $XDG_RUNTIME_DIR/promdeck/promdeck.sock, the folder 0700 and the socket
 * 0600, so only its user can connect) or TCP for an explicit host:port.
 * It binds and listens; serving is src/api/http.c's part.
 *
 * Ownership: the caller owns the descriptors returned and closes them;
 * listen_unix_remove removes the socket file again at shutdown.
 */
#ifndef API_LISTEN_H
#define API_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The default socket path into out: $XDG_RUNTIME_DIR/promdeck/
 * promdeck.sock, or, when XDG_RUNTIME_DIR is not set (a cron job, su
 * without a login session), /tmp/promdeck-UID/promdeck.sock as tmux does
 * with /tmp/tmux-UID. *fallback says which. -1 when the path is too long.
 */
int listen_default_path(char *out, size_t size, bool *fallback);
/*
 * A listening Unix socket at path, mode 0600. Its folder is created with
 * mode 0700 when missing; an existing folder must belong to this user
 * and be closed to others (so nobody else can replace the socket). A
 * stale socket file (nothing answers on it) is replaced; a live one
 * means another serve runs there, an error. Returns the descriptor, or
 * -1 with the reason in err.
 */
int listen_unix(const char *path, char *err, size_t errsz);
/* Removes the socket file listen_unix made. */
void listen_unix_remove(const char *path);
/*
 * A listening TCP socket for "host:port" ("[::1]:9090", ":9090" for
 * every address). Returns the descriptor, or -1 with the reason in err.
 */
int listen_tcp(const char *hostport, char *err, size_t errsz);

#endif
