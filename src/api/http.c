/*
 * libmicrohttpd behind src/api/http.h. Each request gets a small state
 * from the URI callback (the raw query string, parsed by src/api/params
 * rather than the library, so GET and POST decode the same way), its
 * body is gathered up to HTTP_MAX_BODY, and once complete the handler
 * answers. Authentication happens before any body is read.
 */
#include "src/api/http.h"

#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/base/xalloc.h"

/* An idle connection is closed after this many seconds. */
#define IDLE_TIMEOUT_S 60

struct http_server {
    struct MHD_Daemon *d;
    struct http_options o;
};

/* One request in progress. */
struct conn_state {
    char *query;            /* the raw query string, or NULL */
    struct buf body;
    bool too_large;
    bool checked;           /* auth looked at */
};

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct conn_state *st = xcalloc(1, sizeof(*st));
    const char *q = strchr(uri, '?');

    (void)cls;
    (void)c;
    st->query = q != NULL ? xstrdup(q + 1) : NULL;
    buf_init(&st->body, HTTP_MAX_BODY);
    return st;
}

static void
on_done(void *cls, struct MHD_Connection *c, void **con_cls,
        enum MHD_RequestTerminationCode why)
{
    struct conn_state *st = *con_cls;

    (void)cls;
    (void)c;
    (void)why;
    if (st == NULL)
        return;
    free(st->query);
    buf_fini(&st->body);
    free(st);
    *con_cls = NULL;
}

static void
on_log(void *cls, const char *fmt, va_list ap)
{
    struct http_server *s = cls;
    char msg[512];
    size_t n;

    vsnprintf(msg, sizeof(msg), fmt, ap);
    n = strlen(msg);
    while (n > 0 && msg[n - 1] == '\n')
        msg[--n] = '\0';
    if (s->o.log != NULL)
        s->o.log(msg);
}

/* Queues a response of status with a plain-text or the given body. */
static enum MHD_Result
send_text(struct MHD_Connection *c, int status, const char *text,
          const char *auth_header)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result rc;

    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    if (auth_header != NULL)
        MHD_add_response_header(r, "WWW-Authenticate", auth_header);
    rc = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return rc;
}

/*
 * The client certificate the web config asks for. Go checks it during
 * the handshake; here the handshake asked for it (the CA list was given
 * to GnuTLS) and this looks at what came: false ends the connection.
 */
static bool
client_cert_ok(const struct http_server *s, struct MHD_Connection *c)
{
    enum webcfg_client_auth ca = webcfg_client_auth(s->o.web);
    const union MHD_ConnectionInfo *ci;
    unsigned int n = 0, status = 0;
    gnutls_session_t tls;

    if (ca == WEBCFG_NO_CLIENT_CERT || ca == WEBCFG_REQUEST_CLIENT_CERT)
        return true;
    ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (ci == NULL)
        return false;
    tls = (gnutls_session_t)ci->tls_session;
    if (gnutls_certificate_get_peers(tls, &n) == NULL || n == 0)
        return ca == WEBCFG_VERIFY_CLIENT_CERT_IF_GIVEN;
    if (ca == WEBCFG_REQUIRE_ANY_CLIENT_CERT)
        return true;
    return gnutls_certificate_verify_peers2(tls, &status) == 0
           && status == 0;
}

/* Basic auth when the web config lists users: true to go on. */
static bool
auth_ok(struct http_server *s, struct MHD_Connection *c)
{
    char *pass = NULL, *user;
    bool ok;

    if (s->o.web == NULL || !webcfg_auth(s->o.web))
        return true;
    user = MHD_basic_auth_get_username_password(c, &pass);
    ok = user != NULL && pass != NULL && webcfg_check(s->o.web, user, pass);
    if (pass != NULL) {
        memset(pass, 0, strlen(pass));
        MHD_free(pass);
    }
    if (user != NULL)
        MHD_free(user);
    return ok;
}

/* Whether the body is a form whose fields are parameters. */
static bool
is_form(struct MHD_Connection *c)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 "Content-Type");

    return ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded",
                                     33) == 0;
}

/*
 * Whether an Accept-Encoding header lets the answer be gzip: "gzip" (or
 * "*") among its codings, unless its q is 0.
 * header = coding [ ";q=" qvalue ] { "," coding [ ";q=" qvalue ] }
 */
static bool
accepts_gzip(const char *h)
{
    while (h != NULL && *h != '\0') {
        size_t n;
        const char *q, *end;

        h += strspn(h, " \t,");
        n = strcspn(h, " \t;,");
        end = h + strcspn(h, ",");
        q = memchr(h, ';', (size_t)(end - h));
        if ((n == 4 && strncasecmp(h, "gzip", 4) == 0)
            || (n == 1 && *h == '*')) {
            if (q == NULL)
                return true;
            q += 1 + strspn(q + 1, " \t");
            if (strncasecmp(q, "q=", 2) != 0 || strtod(q + 2, NULL) > 0)
                return true;
        }
        h = end;
    }
    return false;
}

/* The handler's answer, queued. */
static enum MHD_Result
respond(struct http_server *s, struct MHD_Connection *c, const char *url,
        const char *method, struct conn_state *st)
{
    struct api_params params;
    struct http_request rq = { .method = method, .path = url,
                               .params = &params };
    struct http_response rs = { .status = 200 };
    struct MHD_Response *r;
    enum MHD_Result rc;
    size_t len;

    api_params_init(&params);
    rq.accept_gzip = accepts_gzip(MHD_lookup_connection_value(
        c, MHD_HEADER_KIND, "Accept-Encoding"));
    buf_init(&rs.body, 0);
    if ((is_form(c) && api_params_parse_form(&params, buf_str(&st->body),
                                             st->body.len) < 0)
        || (st->query != NULL
            && api_params_parse_form(&params, st->query,
                                     strlen(st->query)) < 0)) {
        api_params_fini(&params);
        buf_fini(&rs.body);
        return send_text(c, 400, "invalid URL escape in the parameters\n",
                         NULL);
    }
    s->o.handler(s->o.ctx, &rq, &rs);
    api_params_fini(&params);
    len = rs.body.len;
    r = MHD_create_response_from_buffer(len, buf_steal(&rs.body),
                                        MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", rs.content_type != NULL
                            ? rs.content_type : "application/json");
    if (rs.allow != NULL)
        MHD_add_response_header(r, "Allow", rs.allow);
    if (rs.content_encoding != NULL) {
        MHD_add_response_header(r, "Content-Encoding", rs.content_encoding);
        MHD_add_response_header(r, "Vary", "Accept-Encoding");
    }
    rc = MHD_queue_response(c, (unsigned)rs.status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **con_cls)
{
    struct http_server *s = cls;
    struct conn_state *st = *con_cls;

    (void)version;
    if (st == NULL)             /* the URI callback always sets it */
        return MHD_NO;
    if (!st->checked) {
        st->checked = true;
        if (s->o.web != NULL && webcfg_tls(s->o.web)
            && !client_cert_ok(s, c))
            return MHD_NO;
        if (!auth_ok(s, c))
            return send_text(c, 401, "Unauthorized\n", "Basic");
        return MHD_YES;         /* the body, if any, comes next */
    }
    if (*upload_size > 0) {
        if (buf_append(&st->body, upload, *upload_size) < 0)
            st->too_large = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->too_large)
        return send_text(c, 413, "http: request body too large\n", NULL);
    return respond(s, c, url, method, st);
}

struct http_server *
http_start(const struct http_options *o, char *err, size_t errsz)
{
    struct http_server *s = xcalloc(1, sizeof(*s));
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION
                     | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL
                     | MHD_USE_ERROR_LOG;
    bool tls = o->web != NULL && webcfg_tls(o->web);
    const char *ca = tls ? webcfg_ca_pem(o->web) : NULL;

    s->o = *o;
    if (s->o.max_connections == 0)
        s->o.max_connections = 128;
    if (tls)
        flags |= MHD_USE_TLS;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, on_log, s,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)o->fd,
        MHD_OPTION_CONNECTION_LIMIT, s->o.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MAX_HEADER,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
        tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END,
        tls ? webcfg_key_pem(o->web) : NULL,
        MHD_OPTION_HTTPS_MEM_CERT, tls ? webcfg_cert_pem(o->web) : NULL,
        MHD_OPTION_HTTPS_PRIORITIES, tls ? webcfg_priorities(o->web) : NULL,
        ca != NULL ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, ca,
        MHD_OPTION_END);
    if (s->d == NULL) {
        snprintf(err, errsz, "the HTTP server did not start%s", tls
                 ? " (check the certificate and key of the web config)"
                 : "");
        free(s);
        return NULL;
    }
    return s;
}

void
http_stop(struct http_server *s)
{
    if (s == NULL)
        return;
    close(MHD_quiesce_daemon(s->d));
    MHD_stop_daemon(s->d);
    free(s);
}
