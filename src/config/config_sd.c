/*
 * Discovery sections of prometheus.yml: dns.SDConfig and file.SDConfig
 * as Prometheus 2.42 decodes them (yaml.v2, strict, then each config's
 * own checks). Nothing here resolves names or reads the listed files.
 */
#include "src/config/config_sd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/base/xalloc.h"

/* Where errors go, as in src/config/relabel_config.c. */
struct errs {
    struct diag *v;
    size_t max;
    size_t *n;
    bool any;
};

static void
report(struct errs *e, const struct yaml_node *n, const char *fmt,
       const char *arg) __attribute__((format(printf, 3, 0)));

static void
report(struct errs *e, const struct yaml_node *n, const char *fmt,
       const char *arg)
{
    struct diag *d;

    e->any = true;
    if (*e->n >= e->max)
        return;
    d = &e->v[(*e->n)++];
    diag_clear(d);
    d->source = n->source;
    d->line = n->line;
    d->col = n->col;
    d->span = yaml_is_scalar(n) && n->u.scalar.len > 0
              ? (int)n->u.scalar.len : 1;
    snprintf(d->msg, sizeof(d->msg), fmt, arg);
}

/* Keeps a diag a yaml getter filled. */
static void
report_diag(struct errs *e, const struct diag *from)
{
    e->any = true;
    if (*e->n < e->max)
        e->v[(*e->n)++] = *from;
}

/* Every key of map must be in keys; yaml.v2's message otherwise. */
static void
check_keys(struct errs *e, const struct yaml_node *map,
           const char *const *keys, const char *type)
{
    for (size_t i = 0; i < yaml_map_size(map); i++) {
        const struct yaml_node *k = yaml_map_at(map, i)->key;
        const char *key = yaml_scalar(k);
        bool known = false;
        char msg[200];

        for (size_t j = 0; key != NULL && keys[j] != NULL && !known; j++)
            known = strcmp(keys[j], key) == 0;
        if (known)
            continue;
        snprintf(msg, sizeof(msg), "field %.60s not found in type %s",
                 key != NULL ? key : "?", type);
        report(e, k, "%s", msg);
    }
}

/* [ string ] into a new array; an error for anything but strings. */
static char **
string_list(struct errs *e, const struct yaml_node *n, size_t *count)
{
    char **v = xcalloc(yaml_seq_size(n) + 1, sizeof(*v));

    *count = 0;
    if (n != NULL && !yaml_is_null(n) && !yaml_is_seq(n)) {
        report(e, n, "expected a list of strings, found %s",
               yaml_kind_name(n));
        return v;
    }
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        const struct yaml_node *s = yaml_seq_at(n, i);

        if (!yaml_is_scalar(s))
            report(e, s, "expected a string, found %s", yaml_kind_name(s));
        else
            v[(*count)++] = xstrdup(yaml_scalar(s));
    }
    return v;
}

static void
free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* refresh_interval: a duration; the default when absent or null. */
static void
get_refresh(struct errs *e, const struct yaml_node *map, int64_t *ms)
{
    const struct yaml_node *n = yaml_get(map, "refresh_interval");
    struct diag d;

    if (n != NULL && !yaml_is_null(n) && yaml_get_duration(n, ms, &d) != 0)
        report_diag(e, &d);
}

/* type = "SRV" | "A" | "AAAA", any case, as strings.ToUpper compares. */
static void
get_type(struct errs *e, const struct yaml_node *map, struct config_sd_dns *c)
{
    const struct yaml_node *n = yaml_get(map, "type");
    const char *s;
    struct diag d;

    c->type = SD_DNS_SRV;
    if (n == NULL || yaml_is_null(n))
        return;
    if (yaml_get_string(n, &s, &d) != 0) {
        report_diag(e, &d);
        return;
    }
    if (strcasecmp(s, "A") == 0)
        c->type = SD_DNS_A;
    else if (strcasecmp(s, "AAAA") == 0)
        c->type = SD_DNS_AAAA;
    else if (strcasecmp(s, "SRV") != 0)
        report(e, n, "invalid DNS-SD records type %s", s);
}

static void
get_port(struct errs *e, const struct yaml_node *map, struct config_sd_dns *c)
{
    const struct yaml_node *n = yaml_get(map, "port");
    int64_t v = 0;
    struct diag d;

    c->port = 0;
    if (n == NULL || yaml_is_null(n))
        return;
    if (yaml_get_int(n, &v, &d) != 0)
        report_diag(e, &d);
    else if (v < 0 || v > 65535)
        report(e, n, "port %s is out of range 0-65535", yaml_scalar(n));
    else
        c->port = (int)v;
}

/* dns-sd-config = { names: [ string ], type: string, port: int,
 *                   refresh_interval: duration } */
static void
parse_dns(struct errs *e, const struct yaml_node *n, struct config_sd *sd)
{
    static const char *const keys[] = {
        "names", "refresh_interval", "type", "port", NULL
    };
    struct config_sd_dns c = { .refresh_ms = SD_DNS_DEFAULT_REFRESH_MS };
    bool any = e->any;

    if (!yaml_is_map(n)) {
        report(e, n, "%s", "empty or null section in dns_sd_configs");
        return;
    }
    e->any = false;
    check_keys(e, n, keys, "dns.plain");
    c.names = string_list(e, yaml_get(n, "names"), &c.nnames);
    get_refresh(e, n, &c.refresh_ms);
    get_type(e, n, &c);
    get_port(e, n, &c);
    if (!e->any && c.nnames == 0)
        report(e, n, "%s", "DNS-SD config must contain at least one SRV "
               "record name");
    else if (!e->any && c.type != SD_DNS_SRV && c.port == 0)
        report(e, n, "%s", "a port is required in DNS-SD configs for all "
               "record types except SRV");
    if (e->any) {
        free_list(c.names, c.nnames);
        return;
    }
    e->any = any;
    sd->dns = xreallocarray(sd->dns, sd->ndns + 1, sizeof(*sd->dns));
    sd->dns[sd->ndns++] = c;
}

/* ^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$, file.go's pattern. */
static bool
valid_file_name(const char *s)
{
    static const char *const ext[] = {
        ".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"
    };
    const char *star = strchr(s, '*');
    size_t len = strlen(s);

    if (star != NULL && strchr(star, '/') != NULL)
        return false;
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        size_t el = strlen(ext[i]);

        if (len >= el && strcmp(s + len - el, ext[i]) == 0)
            return true;
    }
    return false;
}

/* file-sd-config = { files: [ string ], refresh_interval: duration } */
static void
parse_file(struct errs *e, const struct yaml_node *n, const char *dir,
           struct config_sd *sd)
{
    static const char *const keys[] = { "files", "refresh_interval", NULL };
    struct config_sd_file c = { .refresh_ms = SD_FILE_DEFAULT_REFRESH_MS };
    const struct yaml_node *files;
    bool any = e->any;

    if (!yaml_is_map(n)) {
        report(e, n, "%s", "empty or null section in file_sd_configs");
        return;
    }
    e->any = false;
    check_keys(e, n, keys, "file.plain");
    files = yaml_get(n, "files");
    c.files = string_list(e, files, &c.nfiles);
    get_refresh(e, n, &c.refresh_ms);
    if (!e->any && c.nfiles == 0)
        report(e, n, "%s", "file service discovery config must contain at "
               "least one path name");
    for (size_t i = 0; !e->any && i < c.nfiles; i++) {
        char *joined;

        if (!valid_file_name(c.files[i])) {
            report(e, yaml_seq_at(files, i), "path name \"%s\" is not "
                   "valid for file discovery", c.files[i]);
            continue;
        }
        if (dir == NULL || *dir == '\0' || c.files[i][0] == '/')
            continue;
        joined = xasprintf("%s/%s", dir, c.files[i]);
        free(c.files[i]);
        c.files[i] = joined;
    }
    if (e->any) {
        free_list(c.files, c.nfiles);
        return;
    }
    e->any = any;
    sd->file = xreallocarray(sd->file, sd->nfile + 1, sizeof(*sd->file));
    sd->file[sd->nfile++] = c;
}

/* filter = { name: string, values: [ string ] } */
static void
parse_filter(struct errs *e, const struct yaml_node *n,
             struct config_sd_docker *c)
{
    static const char *const keys[] = { "name", "values", NULL };
    struct sd_docker_filter *f;
    size_t nv;

    if (!yaml_is_map(n)) {
        report(e, n, "expected a mapping for a filter, found %s",
               yaml_kind_name(n));
        return;
    }
    check_keys(e, n, keys, "moby.Filter");
    c->filters = xreallocarray(c->filters, c->nfilters + 1,
                               sizeof(*c->filters));
    f = &c->filters[c->nfilters++];
    f->name = xstrdup(yaml_scalar(yaml_get(n, "name")) != NULL
                      ? yaml_scalar(yaml_get(n, "name")) : "");
    f->values = (const char *const *)string_list(e, yaml_get(n, "values"),
                                                 &nv);
    f->nvalues = nv;
}

static void
free_docker(struct config_sd_docker *c)
{
    for (size_t i = 0; i < c->nfilters; i++) {
        free((char *)c->filters[i].name);
        free_list((char **)c->filters[i].values, c->filters[i].nvalues);
    }
    free(c->filters);
    free(c->host);
    free(c->host_networking_host);
    fetch_http_fini(&c->http);
}

/* docker-sd-config = { host: string, port: int, filters: [ filter ],
 *                      host_networking_host: string,
 *                      refresh_interval: duration, http-client } */
static void
parse_docker(struct errs *e, const struct yaml_node *n, struct config_sd *sd)
{
    static const char *const keys[] = {
        "host", "port", "filters", "host_networking_host",
        "refresh_interval", "basic_auth", "authorization", "bearer_token",
        "bearer_token_file", "tls_config", "proxy_url", "follow_redirects",
        "enable_http2", NULL
    };
    /* Prometheus's other HTTP client keys, which promdeck's HTTP client
     * does not have. */
    static const char *const http[] = {
        "oauth2", "no_proxy", "proxy_from_environment",
        "proxy_connect_header", NULL
    };
    struct config_sd_docker c = { .port = SD_DOCKER_DEFAULT_PORT,
                                  .refresh_ms = SD_DOCKER_DEFAULT_REFRESH_MS,
                                  .http = { .follow_redirects = true,
                                            .enable_http2 = true } };
    struct config_sd_dns port = { 0 };
    const struct yaml_node *v;
    bool any = e->any;

    if (!yaml_is_map(n)) {
        report(e, n, "%s", "empty or null section in docker_sd_configs");
        return;
    }
    e->any = false;
    for (size_t i = 0; http[i] != NULL; i++)
        if ((v = yaml_get(n, http[i])) != NULL)
            report(e, v, "%s: HTTP client settings of docker_sd_configs "
                   "are not supported by promdeck yet", http[i]);
    if (!e->any)
        check_keys(e, n, keys, "moby.plain");
    get_refresh(e, n, &c.refresh_ms);
    if (yaml_get(n, "port") != NULL && !yaml_is_null(yaml_get(n, "port"))) {
        get_port(e, n, &port);
        c.port = port.port;
    }
    v = yaml_get(n, "host");
    c.host = xstrdup(yaml_is_scalar(v) ? yaml_scalar(v) : "");
    v = yaml_get(n, "host_networking_host");
    c.host_networking_host = xstrdup(yaml_is_scalar(v) && !yaml_is_null(v)
                                     ? yaml_scalar(v) : "localhost");
    v = yaml_get(n, "filters");
    if (v != NULL && !yaml_is_null(v) && !yaml_is_seq(v))
        report(e, v, "expected a list of filters, found %s",
               yaml_kind_name(v));
    for (size_t i = 0; yaml_is_seq(v) && i < yaml_seq_size(v); i++)
        parse_filter(e, yaml_seq_at(v, i), &c);
    if (!e->any && c.host[0] == '\0')
        report(e, n, "%s", "host missing");
    else if (!e->any && strncmp(c.host, "unix://", 7) != 0
             && strncmp(c.host, "tcp://", 6) != 0
             && strncmp(c.host, "http://", 7) != 0
             && strncmp(c.host, "https://", 8) != 0)
        report(e, yaml_get(n, "host"), "unsupported docker host %s: use "
               "unix://, tcp://, http:// or https://", c.host);
    if (e->any) {
        free_docker(&c);
        return;
    }
    e->any = any;
    sd->docker = xreallocarray(sd->docker, sd->ndocker + 1,
                               sizeof(*sd->docker));
    sd->docker[sd->ndocker++] = c;
}

/* Runs parse on each item of a list section; -1 when any failed. */
static int
parse_list(const struct yaml_node *seq, const char *what, const char *dir,
           struct config_sd *sd, struct errs *e)
{
    if (seq == NULL || yaml_is_null(seq))
        return 0;
    if (!yaml_is_seq(seq)) {
        report(e, seq, "expected a list for %s", what);
        return -1;
    }
    for (size_t i = 0; i < yaml_seq_size(seq); i++) {
        if (dir == NULL)
            parse_dns(e, yaml_seq_at(seq, i), sd);
        else
            parse_file(e, yaml_seq_at(seq, i), dir, sd);
    }
    return e->any ? -1 : 0;
}

int
config_sd_parse_dns(const struct yaml_node *seq, struct config_sd *sd,
                    struct diag *errs, size_t maxerrs, size_t *nerrs)
{
    struct errs e = { .v = errs, .max = maxerrs, .n = nerrs };

    return parse_list(seq, "dns_sd_configs", NULL, sd, &e);
}

int
config_sd_parse_docker(const struct yaml_node *seq, struct config_sd *sd,
                       struct diag *errs, size_t maxerrs, size_t *nerrs)
{
    struct errs e = { .v = errs, .max = maxerrs, .n = nerrs };

    if (seq == NULL || yaml_is_null(seq))
        return 0;
    if (!yaml_is_seq(seq)) {
        report(&e, seq, "expected a list for %s", "docker_sd_configs");
        return -1;
    }
    for (size_t i = 0; i < yaml_seq_size(seq); i++)
        parse_docker(&e, yaml_seq_at(seq, i), sd);
    return e.any ? -1 : 0;
}

int
config_sd_parse_file(const struct yaml_node *seq, const char *dir,
                     struct config_sd *sd, struct diag *errs,
                     size_t maxerrs, size_t *nerrs)
{
    struct errs e = { .v = errs, .max = maxerrs, .n = nerrs };

    return parse_list(seq, "file_sd_configs", dir != NULL ? dir : "", sd,
                      &e);
}

void
config_sd_fini(struct config_sd *sd)
{
    for (size_t i = 0; i < sd->ndns; i++)
        free_list(sd->dns[i].names, sd->dns[i].nnames);
    for (size_t i = 0; i < sd->nfile; i++)
        free_list(sd->file[i].files, sd->file[i].nfiles);
    for (size_t i = 0; i < sd->ndocker; i++)
        free_docker(&sd->docker[i]);
    free(sd->dns);
    free(sd->file);
    free(sd->docker);
    memset(sd, 0, sizeof(*sd));
}

struct sd_dns_config
config_sd_dns_view(const struct config_sd_dns *c)
{
    return (struct sd_dns_config){
        .names = (const char *const *)c->names, .nnames = c->nnames,
        .type = c->type, .port = c->port, .refresh_ms = c->refresh_ms,
    };
}

struct sd_file_config
config_sd_file_view(const struct config_sd_file *c)
{
    return (struct sd_file_config){
        .files = (const char *const *)c->files, .nfiles = c->nfiles,
        .refresh_ms = c->refresh_ms,
    };
}

struct sd_docker_config
config_sd_docker_view(const struct config_sd_docker *c)
{
    return (struct sd_docker_config){
        .host = c->host, .port = c->port, .filters = c->filters,
        .nfilters = c->nfilters,
        .host_networking_host = c->host_networking_host,
        .refresh_ms = c->refresh_ms, .http = &c->http,
    };
}
