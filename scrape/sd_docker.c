/*
 * Docker service discovery. A refresh asks the engine for its containers
 * and its networks at once (two connections), and builds the group only
 * when both answered well, so a half answer never replaces a whole one.
 * Targets follow Prometheus 2.42's refresh: for each container with a
 * name, for each of its networks, a target per TCP port at the network's
 * IP and the private port; a container without a TCP port gets one
 * target, at IP:port, or host_networking_host in host network mode.
 */
#include "scrape/sd_docker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/fetch.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"

#define TIMEOUT_MS 10000
#define MAX_BODY ((size_t)32 << 20)
/* How soon the loop should come back while a refresh is in flight. */
#define BUSY_POLL_MS 50

struct answer {
    struct fetch_conn *conn;
    struct buf body;
    bool busy, ok;
    char error[200];
};

struct sd_docker {
    char *host, *hnh, *socket, *base, *query;
    char *shown;                    /* host for messages, no password */
    int port;
    int64_t refresh_ms, next_ms;
    struct fetch *fetch;
    struct fetch_http http;         /* owned; used when has_http */
    bool has_http;
    struct answer containers, networks;
    bool refreshing, have_group, pending;
    struct sd_group group;
    char error[300];
};

/* ---- building targets ---- */

/* Prometheus's strutil.SanitizeLabelName: [^a-zA-Z_0-9] becomes _. */
static void
put_sanitized(struct labels *ls, const char *prefix,
              const char *key, const char *value)
{
    struct buf name;

    buf_init(&name, 0);
    buf_puts(&name, prefix);
    for (const char *k = key; *k; k++) {
        char c = *k;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
               || (c >= '0' && c <= '9') || c == '_';
        buf_putc(&name, ok ? c : '_');
    }
    labels_put(ls, buf_str(&name), value ? value : "");
    buf_fini(&name);
}

static const char *
str(const struct yaml_node *map, const char *key)
{
    const char *s = yaml_scalar(yaml_get(map, key));

    return s && !yaml_is_null(yaml_get(map, key)) ? s : "";
}

static void
put_map(struct labels *ls, const char *prefix,
        const struct yaml_node *map)
{
    for (size_t i = 0; yaml_is_map(map) && i < yaml_map_size(map); i++) {
        const struct yaml_pair *p = yaml_map_at(map, i);
        put_sanitized(ls, prefix, yaml_scalar(p->key), yaml_scalar(p->value));
    }
}

/* The container's labels every one of its targets carries. */
static void
common_labels(struct labels *ls, const struct yaml_node *c)
{
    const struct yaml_node *names = yaml_get(c, "Names");

    labels_put(ls, "__meta_docker_container_id", str(c, "Id"));
    labels_put(ls, "__meta_docker_container_name",
               yaml_scalar(yaml_seq_at(names, 0)));
    labels_put(ls, "__meta_docker_container_network_mode",
               str(yaml_get(c, "HostConfig"), "NetworkMode"));
    put_map(ls, "__meta_docker_container_label_", yaml_get(c, "Labels"));
}

/* The network's labels, when the engine listed a network with this id. */
static void
network_labels(struct labels *ls, const struct yaml_node *nets,
               const char *id)
{
    for (size_t i = 0; i < yaml_seq_size(nets); i++) {
        const struct yaml_node *n = yaml_seq_at(nets, i);
        if (strcmp(str(n, "Id"), id) != 0)
            continue;
        labels_put(ls, "__meta_docker_network_id", str(n, "Id"));
        labels_put(ls, "__meta_docker_network_name", str(n, "Name"));
        labels_put(ls, "__meta_docker_network_scope", str(n, "Scope"));
        labels_put(ls, "__meta_docker_network_internal",
                   strcmp(str(n, "Internal"), "true") == 0 ? "true"
                                                           : "false");
        labels_put(ls, "__meta_docker_network_ingress",
                   strcmp(str(n, "Ingress"), "true") == 0 ? "true"
                                                          : "false");
        put_map(ls, "__meta_docker_network_label_", yaml_get(n, "Labels"));
        return;
    }
}

/* Go's net.JoinHostPort: brackets around an IPv6 address. */
static void
join_host_port(char *out, size_t size, const char *ip,
               const char *port)
{
    snprintf(out, size, strchr(ip, ':') ? "[%s]:%s" : "%s:%s", ip, port);
}

static struct labels *
new_target(struct sd_group *g,
           const struct yaml_node *c,
           const struct yaml_node *net,
           const struct yaml_node *nets)
{
    struct labels *t = sd_group_add_target(g);

    labels_put(t, "__meta_docker_network_ip", str(net, "IPAddress"));
    common_labels(t, c);
    network_labels(t, nets, str(net, "NetworkID"));
    return t;
}

static void
container_targets(struct sd_group *g, const struct yaml_node *c,
                  const struct yaml_node *nets, int port,
                  const char *hnh)
{
    const struct yaml_node *networks =
        yaml_get(yaml_get(c, "NetworkSettings"), "Networks");
    const struct yaml_node *ports = yaml_get(c, "Ports");
    char addr[300], num[16];

    for (size_t i = 0; yaml_is_map(networks) && i < yaml_map_size(networks);
         i++) {
        const struct yaml_node *net = yaml_map_at(networks, i)->value;
        const char *ip = str(net, "IPAddress");
        bool added = false;
        for (size_t k = 0; k < yaml_seq_size(ports); k++) {
            const struct yaml_node *p = yaml_seq_at(ports, k);
            if (strcmp(str(p, "Type"), "tcp") != 0)
                continue;
            struct labels *t = new_target(g, c, net, nets);
            const char *priv = str(p, "PrivatePort");
            labels_put(t, "__meta_docker_port_private", priv);
            const char *pub = str(p, "PublicPort");
            if (*pub && strcmp(pub, "0") != 0) {
                labels_put(t, "__meta_docker_port_public", pub);
                labels_put(t, "__meta_docker_port_public_ip", str(p, "IP"));
            }
            join_host_port(addr, sizeof addr, ip, priv);
            labels_put(t, "__address__", addr);
            labels_sort(t);
            added = true;
        }
        if (added)
            continue;
        struct labels *t = new_target(g, c, net, nets);
        if (strcmp(str(yaml_get(c, "HostConfig"), "NetworkMode"),
                   "host") != 0) {
            snprintf(num, sizeof num, "%d", port);
            join_host_port(addr, sizeof addr, ip, num);
            labels_put(t, "__address__", addr);
        } else {
            labels_put(t, "__address__", hnh);
        }
        labels_sort(t);
    }
}

static struct yaml_node *
load_list(const char *what, const char *body,
          size_t len, char *err, size_t errsz)
{
    struct diag d;

    diag_clear(&d);
    struct yaml_node *root = yaml_load_buf(what, body ? body : "", len, &d);
    if (!root) {
        snprintf(err, errsz, "%s: not JSON: line %d: %s", what, d.line,
                 d.msg);
        return NULL;
    }
    if (!yaml_is_seq(root) && !yaml_is_null(root)) {
        snprintf(err, errsz, "%s: expected a list, found %s", what,
                 yaml_kind_name(root));
        yaml_tree_free(root);
        return NULL;
    }
    return root;
}

int
sd_docker_build(const char *containers, size_t clen,
                const char *networks, size_t nlen, int port,
                const char *host_networking_host, struct sd_group *g,
                char *err, size_t errsz)
{
    struct yaml_node *cs = load_list("containers", containers, clen, err,
                                     errsz);
    struct yaml_node *ns = cs ? load_list("networks", networks, nlen, err,
                                          errsz) : NULL;

    sd_group_init(g, "Docker");
    if (!cs || !ns) {
        yaml_tree_free(cs);
        return -1;
    }
    for (size_t i = 0; i < yaml_seq_size(cs); i++) {
        const struct yaml_node *c = yaml_seq_at(cs, i);
        /* A container without a name is skipped, as Prometheus does. */
        if (yaml_seq_size(yaml_get(c, "Names")) == 0
            || !yaml_is_scalar(yaml_seq_at(yaml_get(c, "Names"), 0)))
            continue;
        container_targets(g, c, ns, port, host_networking_host);
    }
    yaml_tree_free(cs);
    yaml_tree_free(ns);
    return 0;
}

/* ---- the provider ---- */

static void
put_encoded(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || strchr("-._~", c)) {
            buf_putc(b, (char)c);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        }
    }
}

/* A JSON string without the quotes' escaping needs: names and values of
 * filters are plain words, but quotes and backslashes are escaped. */
static void
put_json_string(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

void
sd_docker_filters_query(const struct sd_docker_filter *f, size_t n,
                        char *out, size_t size)
{
    struct buf json, q;

    if (n == 0) {
        snprintf(out, size, "%s", "");
        return;
    }
    buf_init(&json, 0);
    buf_init(&q, 0);
    buf_putc(&json, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&json, ',');
        put_json_string(&json, f[i].name);
        buf_puts(&json, ":[");
        for (size_t v = 0; v < f[i].nvalues; v++) {
            if (v)
                buf_putc(&json, ',');
            put_json_string(&json, f[i].values[v]);
        }
        buf_putc(&json, ']');
    }
    buf_putc(&json, '}');
    buf_puts(&q, "filters=");
    put_encoded(&q, buf_str(&json));
    snprintf(out, size, "%s", buf_str(&q));
    buf_fini(&json);
    buf_fini(&q);
}

/* The host as messages show it: "user:password@" of a URL replaced, so
 * no secret reaches the screen or a log. */
static char *
host_for_messages(const char *host)
{
    const char *scheme = strstr(host, "://");
    const char *at, *slash;

    if (!scheme)
        return xstrdup(host);
    at = strchr(scheme + 3, '@');
    slash = strchr(scheme + 3, '/');
    if (!at || (slash && slash < at))
        return xstrdup(host);
    return xasprintf("%.*s<secret>%s", (int)(scheme + 3 - host), host, at);
}

/* unix:///path talks to a socket; tcp:// is plain HTTP, as the Docker
 * client takes it; http(s):// is used as it is. */
static void
split_host(struct sd_docker *d)
{
    if (strncmp(d->host, "unix://", 7) == 0) {
        d->socket = xstrdup(d->host + 7);
        d->base = xstrdup("http://localhost");
    } else if (strncmp(d->host, "tcp://", 6) == 0) {
        d->base = xasprintf("http://%s", d->host + 6);
    } else {
        d->base = xstrdup(d->host);
    }
    size_t n = strlen(d->base);
    if (n > 0 && d->base[n - 1] == '/')
        d->base[n - 1] = '\0';
}

struct sd_docker *
sd_docker_new(const struct sd_docker_config *c)
{
    struct sd_docker *d = xcalloc(1, sizeof *d);
    char q[4096];

    d->host = xstrdup(c->host);
    d->shown = host_for_messages(c->host);
    d->hnh = xstrdup(c->host_networking_host ? c->host_networking_host
                                             : "localhost");
    d->port = c->port;
    d->refresh_ms = c->refresh_ms > 0 ? c->refresh_ms
                                      : SD_DOCKER_DEFAULT_REFRESH_MS;
    d->pending = true;
    split_host(d);
    /* Prometheus hands its HTTP client to the Docker client for http://
     * and https:// hosts only (discovery/moby/docker.go). */
    if (c->http != NULL && (strncmp(c->host, "http://", 7) == 0
                            || strncmp(c->host, "https://", 8) == 0)) {
        fetch_http_copy(&d->http, c->http);
        d->has_http = true;
    }
    sd_docker_filters_query(c->filters, c->nfilters, q, sizeof q);
    d->query = xstrdup(q);
    d->fetch = fetch_new();
    if (d->fetch) {
        d->containers.conn = fetch_conn_new(d->fetch);
        d->networks.conn = fetch_conn_new(d->fetch);
    } else {
        snprintf(d->error, sizeof d->error, "cannot set up HTTP");
    }
    buf_init(&d->containers.body, MAX_BODY);
    buf_init(&d->networks.body, MAX_BODY);
    sd_group_init(&d->group, "Docker");
    return d;
}

void
sd_docker_free(struct sd_docker *d)
{
    if (!d)
        return;
    fetch_conn_free(d->containers.conn);
    fetch_conn_free(d->networks.conn);
    fetch_free(d->fetch);
    buf_fini(&d->containers.body);
    buf_fini(&d->networks.body);
    sd_group_fini(&d->group);
    free(d->host);
    free(d->shown);
    free(d->hnh);
    free(d->socket);
    free(d->base);
    free(d->query);
    fetch_http_fini(&d->http);
    free(d);
}

static int
on_data(void *ctx, const char *p, size_t n)
{
    return buf_append(&((struct answer *)ctx)->body, p, n);
}

static void
on_done(void *ctx, const char *error)
{
    struct answer *a = ctx;

    a->busy = false;
    a->ok = error == NULL;
    snprintf(a->error, sizeof a->error, "%s", error ? error : "");
}

static void
ask(struct sd_docker *d, struct answer *a, const char *path)
{
    char *url = xasprintf("%s%s", d->base, path);
    struct fetch_request req = {
        .url = url, .timeout_ms = TIMEOUT_MS, .max_body = MAX_BODY,
        .accept = "application/json", .unix_socket = d->socket,
        .http = d->has_http ? &d->http : NULL,
    };
    struct fetch_callbacks cb = { .ctx = a, .data = on_data,
                                  .done = on_done };

    buf_reset(&a->body);
    a->busy = true;
    a->ok = false;
    fetch_start(a->conn, &req, &cb);
    free(url);
}

/* Both answers are in: the new group, or the error and the old group. */
static bool
finish(struct sd_docker *d)
{
    struct sd_group g;
    char err[256];

    d->refreshing = false;
    d->pending = false;
    if (!d->containers.ok || !d->networks.ok) {
        struct answer *bad = d->containers.ok ? &d->networks : &d->containers;
        snprintf(d->error, sizeof d->error, "%s: %s", d->shown, bad->error);
        return false;
    }
    if (sd_docker_build(d->containers.body.data, d->containers.body.len,
                        d->networks.body.data, d->networks.body.len,
                        d->port, d->hnh, &g, err, sizeof err) < 0) {
        snprintf(d->error, sizeof d->error, "%s: %s", d->shown, err);
        sd_group_fini(&g);
        return false;
    }
    d->error[0] = '\0';
    bool changed = !d->have_group || !sd_group_equal(&g, &d->group);
    sd_group_move(&d->group, &g);
    d->have_group = true;
    return changed;
}

bool
sd_docker_poll(struct sd_docker *d, int64_t now_ms)
{
    bool changed = false;

    if (!d->fetch)
        return false;
    fetch_pump(d->fetch);
    if (d->refreshing && !d->containers.busy && !d->networks.busy)
        changed = finish(d);
    if (!d->refreshing && now_ms >= d->next_ms) {
        char path[4200];
        snprintf(path, sizeof path, "/containers/json%s%s",
                 d->query[0] ? "?" : "", d->query);
        d->refreshing = true;
        d->next_ms = now_ms + d->refresh_ms;
        ask(d, &d->containers, path);
        ask(d, &d->networks, "/networks");
        fetch_pump(d->fetch);
    }
    return changed;
}

int64_t
sd_docker_next_due(const struct sd_docker *d, int64_t now_ms)
{
    return d->refreshing ? now_ms + BUSY_POLL_MS : d->next_ms;
}

bool
sd_docker_pending(const struct sd_docker *d)
{
    return d->pending;
}

size_t
sd_docker_group_count(const struct sd_docker *d)
{
    return d->have_group ? 1 : 0;
}

const struct sd_group *
sd_docker_group(const struct sd_docker *d, size_t i)
{
    (void)i;
    return &d->group;
}

const char *
sd_docker_error(const struct sd_docker *d)
{
    return d->error;
}
