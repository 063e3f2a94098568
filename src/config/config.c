/*
 * The prometheus.yml loader. It walks the libyaml tree with one table of
 * keys per section: keys promdeck implements are read, keys Prometheus
 * 2.42 knows but promdeck does not act on are warned about and skipped,
 * anything else is an error with a spelling suggestion. Defaults and
 * checks follow Prometheus's config.go and prometheus/common's HTTP client
 * config. The alerting section (Alertmanagers and alert relabelling) is
 * read here too; the notifier that uses it is src/rules/notify.c. Relabel and discovery sections are read by src/config/relabel_config.c
 * and src/config/config_sd.c; targets are built in src/config/config_targets.c. It runs
 * past 1000 lines because every scrape config section Prometheus has is
 * read here, one function each, so each reads like the reference it
 * follows; the alerting section is here too because its Alertmanager
 * entries share the scrape configs' HTTP client, static and discovery
 * readers.
 */
#include "src/config/config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/config/config_targets.h"
#include "src/config/relabel_config.h"

/* The state of one load: where diags go and how many there were. */
struct loader {
    struct config *cfg;
    struct diag *errs, *warns;
    size_t maxerrs, nerrs, maxwarns, nwarns;
    bool failed;
};

/* The keys of one section: read by promdeck, or known and ignored. */
struct section {
    const char *what;               /* "scrape config", for messages */
    const char *const *used;        /* NULL-terminated */
    const char *const *ignored;     /* NULL-terminated */
};

static const char *const top_used[] = {
    "global", "scrape_configs", "rule_files", "alerting", NULL
};
static const char *const top_ignored[] = {
    "storage", "tracing", "remote_write", "remote_read", NULL
};
static const char *const global_used[] = {
    "scrape_interval", "scrape_timeout", "evaluation_interval",
    "external_labels", NULL
};
static const char *const global_ignored[] = { "query_log_file", NULL };
static const char *const job_used[] = {
    "job_name", "scrape_interval", "scrape_timeout", "metrics_path",
    "scheme", "static_configs", "body_size_limit", "honor_timestamps",
    "honor_labels", "params", "sample_limit", "target_limit", "label_limit",
    "label_name_length_limit", "label_value_length_limit",
    "basic_auth", "authorization", "bearer_token", "bearer_token_file",
    "tls_config", "proxy_url", "follow_redirects", "enable_http2",
    "relabel_configs", "metric_relabel_configs", "dns_sd_configs",
    "file_sd_configs", "docker_sd_configs", NULL
};
/* ScrapeConfig's other keys, its inline HTTP client and SD configs. */
static const char *const job_ignored[] = {
    "oauth2", "no_proxy", "proxy_from_environment", "proxy_connect_header",
    "azure_sd_configs", "consul_sd_configs", "digitalocean_sd_configs",
    "dockerswarm_sd_configs",
    "ec2_sd_configs", "eureka_sd_configs",
    "gce_sd_configs", "hetzner_sd_configs", "http_sd_configs",
    "ionos_sd_configs", "kubernetes_sd_configs", "kuma_sd_configs",
    "lightsail_sd_configs", "linode_sd_configs", "marathon_sd_configs",
    "nerve_sd_configs", "nomad_sd_configs", "openstack_sd_configs",
    "ovhcloud_sd_configs", "puppetdb_sd_configs", "scaleway_sd_configs",
    "serverset_sd_configs", "triton_sd_configs", "uyuni_sd_configs",
    "vultr_sd_configs", NULL
};
static const char *const alerting_used[] = {
    "alertmanagers", "alert_relabel_configs", NULL
};
static const char *const am_used[] = {
    "scheme", "path_prefix", "timeout", "api_version", "relabel_configs",
    "static_configs", "dns_sd_configs", "file_sd_configs",
    "basic_auth", "authorization", "bearer_token", "bearer_token_file",
    "tls_config", "proxy_url", "follow_redirects", "enable_http2", NULL
};
/* AlertmanagerConfig's other keys in 2.42: oauth2 and the other service
 * discoveries (the proxy extras of scrape configs are not among them). */
static const char *const am_ignored[] = {
    "oauth2",
    "azure_sd_configs", "consul_sd_configs", "digitalocean_sd_configs",
    "docker_sd_configs", "dockerswarm_sd_configs",
    "ec2_sd_configs", "eureka_sd_configs",
    "gce_sd_configs", "hetzner_sd_configs", "http_sd_configs",
    "ionos_sd_configs", "kubernetes_sd_configs", "kuma_sd_configs",
    "lightsail_sd_configs", "linode_sd_configs", "marathon_sd_configs",
    "nerve_sd_configs", "nomad_sd_configs", "openstack_sd_configs",
    "ovhcloud_sd_configs", "puppetdb_sd_configs", "scaleway_sd_configs",
    "serverset_sd_configs", "triton_sd_configs", "uyuni_sd_configs",
    "vultr_sd_configs", NULL
};
static const char *const static_used[] = { "targets", "labels", NULL };
static const char *const basic_used[] = {
    "username", "password", "password_file", NULL
};
static const char *const authz_used[] = {
    "type", "credentials", "credentials_file", NULL
};
static const char *const tls_used[] = {
    "ca_file", "cert_file", "key_file", "server_name",
    "insecure_skip_verify", "min_version", NULL
};
/* Inline PEM: known to Prometheus 2.42, not read by promdeck yet. */
static const char *const tls_ignored[] = { "ca", "cert", "key", NULL };
static const char *const none[] = { NULL };

static const struct section top_section = {
    "the top level", top_used, top_ignored
};
static const struct section global_section = {
    "global config", global_used, global_ignored
};
static const struct section job_section = {
    "scrape config", job_used, job_ignored
};
static const struct section alerting_section = {
    "alerting config", alerting_used, none
};
static const struct section am_section = {
    "alertmanager config", am_used, am_ignored
};
static const struct section static_section = {
    "static config", static_used, none
};
static const struct section basic_section = {
    "basic_auth", basic_used, none
};
static const struct section authz_section = {
    "authorization", authz_used, none
};
static const struct section tls_section = {
    "tls_config", tls_used, tls_ignored
};
/* A --source-config file: the HTTP client's keys, headers and timeout. */
static const char *const source_used[] = {
    "basic_auth", "authorization", "bearer_token", "bearer_token_file",
    "tls_config", "proxy_url", "follow_redirects", "enable_http2",
    "headers", "timeout", NULL
};
static const char *const source_ignored[] = {
    "oauth2", "no_proxy", "proxy_from_environment", "proxy_connect_header",
    NULL
};
static const struct section source_section = {
    "source config", source_used, source_ignored
};

/* Fills d at node n (no position when n is NULL) with a message. */
static void
fill(struct diag *d, const char *source, const struct yaml_node *n,
     int span, const char *fmt, va_list ap)
{
    diag_clear(d);
    d->source = source;
    if (n != NULL) {
        d->line = n->line;
        d->col = n->col;
        d->span = span > 0 ? span : 1;
    }
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

/* Records an error at node n; errors past maxerrs are only counted. */
static void
error_at(struct loader *ld, const struct yaml_node *n, int span,
         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
error_at(struct loader *ld, const struct yaml_node *n, int span,
         const char *fmt, ...)
{
    va_list ap;

    ld->failed = true;
    if (ld->nerrs >= ld->maxerrs)
        return;
    va_start(ap, fmt);
    fill(&ld->errs[ld->nerrs++], ld->cfg->path, n, span, fmt, ap);
    va_end(ap);
}

/* Keeps a diag a yaml getter filled, with the config's source name. */
static void
error_diag(struct loader *ld, const struct diag *from)
{
    ld->failed = true;
    if (ld->nerrs >= ld->maxerrs)
        return;
    ld->errs[ld->nerrs] = *from;
    ld->errs[ld->nerrs++].source = ld->cfg->path;
}

static void
warn_at(struct loader *ld, const struct yaml_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn_at(struct loader *ld, const struct yaml_node *n, const char *fmt, ...)
{
    va_list ap;

    if (ld->nwarns >= ld->maxwarns)
        return;
    va_start(ap, fmt);
    fill(&ld->warns[ld->nwarns++], ld->cfg->path, n, 1, fmt, ap);
    va_end(ap);
}

static bool
in_list(const char *const *list, const char *s)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* The closest known key, when it is close enough to be a typo. */
static const char *
suggest(const struct section *sec, const char *key)
{
    const char *const *lists[] = { sec->used, sec->ignored };
    const char *best = NULL;
    size_t bestd = (size_t)-1, len = strlen(key);

    for (size_t l = 0; l < 2; l++)
        for (const char *const *k = lists[l]; *k != NULL; k++) {
            size_t d = diag_distance(key, *k);

            if (d < bestd) {
                bestd = d;
                best = *k;
            }
        }
    return bestd <= 2 || bestd * 4 <= len ? best : NULL;
}

/*
 * Checks every key of a section's mapping: warns once for each key
 * Prometheus knows but promdeck ignores, and reports unknown ones.
 */
static void
check_keys(struct loader *ld, const struct yaml_node *map,
           const struct section *sec)
{
    for (size_t i = 0; i < yaml_map_size(map); i++) {
        const struct yaml_node *k = yaml_map_at(map, i)->key;
        const char *key = yaml_scalar(k), *near;

        if (key == NULL) {
            error_at(ld, k, 1, "expected a string key in %s, found %s",
                     sec->what, yaml_kind_name(k));
        } else if (in_list(sec->ignored, key)) {
            warn_at(ld, k, "%s is not supported yet; ignored", key);
        } else if (!in_list(sec->used, key)) {
            near = suggest(sec, key);
            if (near != NULL)
                error_at(ld, k, (int)strlen(key),
                         "unknown key '%s' in %s; did you mean '%s'?", key,
                         sec->what, near);
            else
                error_at(ld, k, (int)strlen(key), "unknown key '%s' in %s",
                         key, sec->what);
        }
    }
}

/* A section that must be a mapping (null counts as empty); false if not. */
static bool
expect_map(struct loader *ld, const struct yaml_node *n, const char *what)
{
    if (n == NULL || yaml_is_null(n) || yaml_is_map(n))
        return n != NULL && yaml_is_map(n);
    error_at(ld, n, 1, "expected a mapping for %s, found %s", what,
             yaml_kind_name(n));
    return false;
}

/* The duration under key, if given and valid; returns its node or NULL. */
static const struct yaml_node *
get_duration(struct loader *ld, const struct yaml_node *map, const char *key,
             int64_t *ms)
{
    const struct yaml_node *n = yaml_get(map, key);
    struct diag d;

    if (n == NULL || yaml_is_null(n))
        return NULL;
    if (yaml_get_duration(n, ms, &d) != 0) {
        error_diag(ld, &d);
        return NULL;
    }
    return n;
}

/* The string under key, if given; NULL (and an error if wrong) if not. */
static const char *
get_string(struct loader *ld, const struct yaml_node *map, const char *key)
{
    const struct yaml_node *n = yaml_get(map, key);
    const char *s;
    struct diag d;

    if (n == NULL || yaml_is_null(n))
        return NULL;
    if (yaml_get_string(n, &s, &d) != 0) {
        error_diag(ld, &d);
        return NULL;
    }
    return s;
}

/* label-name = [a-zA-Z_] [a-zA-Z0-9_]* */
static bool
valid_label_name(const char *s)
{
    if (*s == '\0' || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s != '\0'; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* labels = { label-name: string } ; copied into out, sorted. */
static void
parse_labels(struct loader *ld, const struct yaml_node *n,
             struct labels *out, const char *what)
{
    size_t cnt;

    out->v = NULL;
    out->n = 0;
    if (!expect_map(ld, n, what))
        return;
    cnt = yaml_map_size(n);
    out->v = xcalloc(cnt + 1, sizeof(*out->v));
    for (size_t i = 0; i < cnt; i++) {
        const struct yaml_pair *p = yaml_map_at(n, i);
        const char *name = yaml_scalar(p->key), *value = "";

        if (name == NULL || !valid_label_name(name)) {
            error_at(ld, p->key, 1, "\"%s\" is not a valid label name",
                     name != NULL ? name : yaml_kind_name(p->key));
            continue;
        }
        if (!yaml_is_null(p->value) && yaml_scalar(p->value) == NULL) {
            error_at(ld, p->value, 1, "expected a string for label %s, "
                     "found %s", name, yaml_kind_name(p->value));
            continue;
        }
        if (!yaml_is_null(p->value))
            value = yaml_scalar(p->value);
        out->v[out->n].name = xstrdup(name);
        out->v[out->n++].value = xstrdup(value);
    }
    labels_sort(out);
}

/*
 * global = { scrape_interval, scrape_timeout, evaluation_interval,
 *            external_labels }
 * An interval of 0 means the default; an unset timeout is the default
 * one, capped at the interval.
 */
static void
parse_global(struct loader *ld, const struct yaml_node *n)
{
    struct config *cfg = ld->cfg;
    const struct yaml_node *tn;
    int64_t iv = 0, to = 0, ev = 0;

    if (!expect_map(ld, n, "global"))
        return;
    check_keys(ld, n, &global_section);
    get_duration(ld, n, "scrape_interval", &iv);
    tn = get_duration(ld, n, "scrape_timeout", &to);
    get_duration(ld, n, "evaluation_interval", &ev);
    if (yaml_get(n, "external_labels") != NULL)
        parse_labels(ld, yaml_get(n, "external_labels"),
                     &cfg->external_labels, "external_labels");
    cfg->scrape_interval_ms = iv != 0 ? iv : CONFIG_DEFAULT_INTERVAL_MS;
    if (ev != 0)
        cfg->evaluation_interval_ms = ev;
    if (to > cfg->scrape_interval_ms)
        error_at(ld, tn, 1, "global scrape timeout greater than scrape "
                 "interval");
    if (to != 0)
        cfg->scrape_timeout_ms = to;
    else if (CONFIG_DEFAULT_TIMEOUT_MS > cfg->scrape_interval_ms)
        cfg->scrape_timeout_ms = cfg->scrape_interval_ms;
    else
        cfg->scrape_timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
}

/*
 * size = number [unit] ; unit = B | KB | KiB | MB | MiB | GB | GiB | TB |
 * TiB | PB | PiB | EB | EiB, every one a power of 1024 as Prometheus's
 * units.Base2Bytes reads them. A bare number is bytes.
 */
static int
parse_size(const char *s, size_t *out)
{
    static const char *const units[] = { "B", "K", "M", "G", "T", "P", "E" };
    char *end;
    double v = strtod(s, &end), mul = 1;

    if (end == s || v < 0 || *s == '-' || *s == '+')
        return -1;
    if (*end != '\0') {
        size_t u = 0;

        while (u < 7 && *end != units[u][0])
            u++;
        if (u == 7)
            return -1;
        for (size_t i = 0; i < u; i++)
            mul *= 1024;
        end++;
        if (u > 0 && (strcmp(end, "B") == 0 || strcmp(end, "iB") == 0))
            end += strlen(end);
        if (*end != '\0')
            return -1;
    }
    v *= mul;
    if (v >= 9.2e18)
        return -1;
    *out = (size_t)v;
    return 0;
}

/* static-config = { targets: [ string ], labels: labels } */
static void
parse_static(struct loader *ld, const struct yaml_node *n,
             struct config_static *st)
{
    const struct yaml_node *tg;

    memset(st, 0, sizeof(*st));
    if (!expect_map(ld, n, "static_configs entry"))
        return;
    check_keys(ld, n, &static_section);
    tg = yaml_get(n, "targets");
    if (tg != NULL && !yaml_is_null(tg) && !yaml_is_seq(tg))
        error_at(ld, tg, 1, "expected a list of targets, found %s",
                 yaml_kind_name(tg));
    st->targets = xcalloc(yaml_seq_size(tg) + 1, sizeof(*st->targets));
    for (size_t i = 0; tg != NULL && i < yaml_seq_size(tg); i++) {
        const struct yaml_node *t = yaml_seq_at(tg, i);
        const char *addr = yaml_scalar(t);

        if (addr == NULL)
            error_at(ld, t, 1, "expected a target address, found %s",
                     yaml_kind_name(t));
        else if (strchr(addr, '/') != NULL)
            error_at(ld, t, (int)strlen(addr),
                     "\"%s\" is not a valid hostname", addr);
        else
            st->targets[st->ntargets++] = xstrdup(addr);
    }
    if (yaml_get(n, "labels") != NULL)
        parse_labels(ld, yaml_get(n, "labels"), &st->labels, "labels");
}

/* static_configs = [ static-config ] */
static void
parse_statics(struct loader *ld, const struct yaml_node *n,
              struct config_static **statics, size_t *nstatics)
{
    if (n == NULL || yaml_is_null(n))
        return;
    if (!yaml_is_seq(n)) {
        error_at(ld, n, 1, "expected a list for static_configs, found %s",
                 yaml_kind_name(n));
        return;
    }
    *statics = xcalloc(yaml_seq_size(n) + 1, sizeof(**statics));
    for (size_t i = 0; i < yaml_seq_size(n); i++)
        parse_static(ld, yaml_seq_at(n, i), &(*statics)[(*nstatics)++]);
}

static void
statics_free(struct config_static *statics, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < statics[i].ntargets; k++)
            free(statics[i].targets[k]);
        free(statics[i].targets);
        labels_release(&statics[i].labels);
    }
    free(statics);
}

/* scheme: "http" or "https", into *out (replacing what it held). */
static void
parse_scheme(struct loader *ld, const struct yaml_node *n, char **out)
{
    const char *s = get_string(ld, n, "scheme");

    if (s == NULL)
        return;
    if (strcmp(s, "http") != 0 && strcmp(s, "https") != 0)
        error_at(ld, yaml_get(n, "scheme"), (int)strlen(s),
                 "invalid scheme \"%s\"; expected \"http\" or \"https\"",
                 s);
    free(*out);
    *out = xstrdup(s);
}

/* scheme, metrics_path, body_size_limit: strings */
static void
parse_job_http(struct loader *ld, const struct yaml_node *n,
               struct config_job *j)
{
    const char *s;

    parse_scheme(ld, n, &j->scheme);
    if ((s = get_string(ld, n, "metrics_path")) != NULL) {
        free(j->metrics_path);
        j->metrics_path = xstrdup(s);
    }
    if ((s = get_string(ld, n, "body_size_limit")) != NULL &&
        parse_size(s, &j->body_size_limit) != 0)
        error_at(ld, yaml_get(n, "body_size_limit"), (int)strlen(s),
                 "invalid size \"%s\"; expected a number and a unit such "
                 "as 10MB", s);
    /* Written as 0, it means no limit, as in Prometheus; left out, the
     * scraper's default cap applies. */
    else if (s != NULL && j->body_size_limit == 0)
        j->body_size_limit = SIZE_MAX;
}

/* The key node of key in map, for errors about the key itself. */
static const struct yaml_node *
key_node(const struct yaml_node *map, const char *key)
{
    for (size_t i = 0; i < yaml_map_size(map); i++) {
        const struct yaml_pair *p = yaml_map_at(map, i);
        const char *k = yaml_scalar(p->key);

        if (k != NULL && strcmp(k, key) == 0)
            return p->key;
    }
    return map;
}

/* The boolean under key into *out, when given. */
static void
get_bool(struct loader *ld, const struct yaml_node *map, const char *key,
         bool *out)
{
    const struct yaml_node *n = yaml_get(map, key);
    struct diag d;

    if (n != NULL && !yaml_is_null(n) && yaml_get_bool(n, out, &d) != 0)
        error_diag(ld, &d);
}

/* A count (Go's uint) under key into *out, when given. */
static void
get_count(struct loader *ld, const struct yaml_node *map, const char *key,
          size_t *out)
{
    const struct yaml_node *n = yaml_get(map, key);
    int64_t v;
    struct diag d;

    if (n == NULL || yaml_is_null(n))
        return;
    if (yaml_get_int(n, &v, &d) != 0)
        error_diag(ld, &d);
    else if (v < 0)
        error_at(ld, n, (int)strlen(yaml_scalar(n)), "%s must not be "
                 "negative, found %lld", key, (long long)v);
    else
        *out = (size_t)v;
}

/* A copy of the string under key, NULL when unset or empty. */
static char *
dup_string(struct loader *ld, const struct yaml_node *map, const char *key)
{
    const char *v = get_string(ld, map, key);

    return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

/*
 * A file path under key, relative to the config file's folder as
 * Prometheus resolves it; NULL when unset or empty.
 */
static char *
get_path(struct loader *ld, const struct yaml_node *map, const char *key)
{
    const char *v = get_string(ld, map, key), *slash;
    const char *path = ld->cfg->path;

    if (v == NULL || *v == '\0')
        return NULL;
    slash = path != NULL ? strrchr(path, '/') : NULL;
    if (v[0] == '/' || slash == NULL)
        return xstrdup(v);
    return xasprintf("%.*s/%s", (int)(slash - path), path, v);
}

/*
 * rule_files = [ glob ] ; each pattern relative to the config file's
 * folder, as Prometheus joins it; the globs are expanded when the rules
 * load (src/ruleset.c), so a reload sees files added since.
 */
static void
parse_rule_files(struct loader *ld, const struct yaml_node *n)
{
    struct config *cfg = ld->cfg;
    const char *slash = cfg->path != NULL ? strrchr(cfg->path, '/') : NULL;

    if (n == NULL || yaml_is_null(n))
        return;
    if (!yaml_is_seq(n)) {
        error_at(ld, n, 1, "expected a list for rule_files, found %s",
                 yaml_kind_name(n));
        return;
    }
    cfg->rule_files = xcalloc(yaml_seq_size(n) + 1, sizeof(char *));
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        const struct yaml_node *e = yaml_seq_at(n, i);
        const char *v = yaml_scalar(e);

        if (v == NULL || *v == '\0') {
            error_at(ld, e, 1, "expected a file name or glob in "
                     "rule_files, found %s", v == NULL ? yaml_kind_name(e)
                                                       : "an empty string");
            continue;
        }
        if (strchr(v, '[') != NULL && strchr(strchr(v, '['), ']') == NULL) {
            error_at(ld, e, (int)strlen(v), "invalid rule file path "
                     "\"%s\": syntax error in pattern", v);
            continue;
        }
        cfg->rule_files[cfg->nrule_files++] =
            v[0] == '/' || slash == NULL
            ? xstrdup(v)
            : xasprintf("%.*s/%s", (int)(slash - cfg->path), cfg->path, v);
    }
}

/* sample_limit, target_limit and the three label limits. */
static void
parse_job_limits(struct loader *ld, const struct yaml_node *n,
                 struct config_job *j)
{
    get_bool(ld, n, "honor_labels", &j->honor_labels);
    get_bool(ld, n, "honor_timestamps", &j->honor_timestamps);
    get_count(ld, n, "sample_limit", &j->sample_limit);
    get_count(ld, n, "target_limit", &j->target_limit);
    get_count(ld, n, "label_limit", &j->label_limit);
    get_count(ld, n, "label_name_length_limit",
              &j->label_name_length_limit);
    get_count(ld, n, "label_value_length_limit",
              &j->label_value_length_limit);
}

/* Appends one name=value pair to the job's params. */
static void
add_param(struct config_job *j, const char *name, const char *value)
{
    j->params = xreallocarray(j->params, j->nparams + 1,
                              sizeof(*j->params));
    j->params[j->nparams].name = xstrdup(name);
    j->params[j->nparams++].value = xstrdup(value);
}

/* params = { name: [ string ] } ; kept as pairs in config order. */
static void
parse_params(struct loader *ld, const struct yaml_node *n,
             struct config_job *j)
{
    if (!expect_map(ld, n, "params"))
        return;
    for (size_t i = 0; i < yaml_map_size(n); i++) {
        const struct yaml_pair *p = yaml_map_at(n, i);
        const char *name = yaml_scalar(p->key);

        if (name == NULL) {
            error_at(ld, p->key, 1, "expected a parameter name, found %s",
                     yaml_kind_name(p->key));
            continue;
        }
        if (!yaml_is_null(p->value) && !yaml_is_seq(p->value)) {
            error_at(ld, p->value, 1, "expected a list of values for "
                     "parameter %s, found %s", name,
                     yaml_kind_name(p->value));
            continue;
        }
        for (size_t k = 0; k < yaml_seq_size(p->value); k++) {
            const struct yaml_node *v = yaml_seq_at(p->value, k);

            if (yaml_scalar(v) == NULL)
                error_at(ld, v, 1, "expected a string value for parameter "
                         "%s, found %s", name, yaml_kind_name(v));
            else
                add_param(j, name, yaml_scalar(v));
        }
    }
}

/* basic_auth = { username, password, password_file } */
static void
parse_basic_auth(struct loader *ld, const struct yaml_node *n,
                 struct fetch_http *h)
{
    if (!expect_map(ld, n, "basic_auth"))
        return;
    check_keys(ld, n, &basic_section);
    h->username = dup_string(ld, n, "username");
    if (h->username == NULL)
        h->username = xstrdup("");
    h->password = dup_string(ld, n, "password");
    h->password_file = get_path(ld, n, "password_file");
    if (h->password != NULL && h->password_file != NULL)
        error_at(ld, key_node(n, "password_file"), 13, "at most one of "
                 "basic_auth password & password_file must be configured");
}

/* authorization = { type, credentials, credentials_file } */
static void
parse_authorization(struct loader *ld, const struct yaml_node *n,
                    struct fetch_http *h)
{
    const char *type;
    size_t len;

    if (!expect_map(ld, n, "authorization"))
        return;
    check_keys(ld, n, &authz_section);
    type = get_string(ld, n, "type");
    while (type != NULL && (*type == ' ' || *type == '\t'))
        type++;
    len = type != NULL ? strlen(type) : 0;
    while (len > 0 && (type[len - 1] == ' ' || type[len - 1] == '\t'))
        len--;
    h->auth_type = len > 0 ? xstrndup(type, len) : xstrdup("Bearer");
    if (strcasecmp(h->auth_type, "basic") == 0)
        error_at(ld, yaml_get(n, "type"), (int)len, "authorization type "
                 "cannot be set to \"basic\", use \"basic_auth\" instead");
    h->credentials = dup_string(ld, n, "credentials");
    h->credentials_file = get_path(ld, n, "credentials_file");
    if (h->credentials != NULL && h->credentials_file != NULL)
        error_at(ld, key_node(n, "credentials_file"), 16, "at most one of "
                 "authorization credentials & credentials_file must be "
                 "configured");
}

/* min_version = "TLS10" | "TLS11" | "TLS12" | "TLS13" */
static void
parse_tls_version(struct loader *ld, const struct yaml_node *n,
                  struct fetch_http *h)
{
    static const char *const names[] = { "TLS10", "TLS11", "TLS12",
                                         "TLS13" };
    const char *v = get_string(ld, n, "min_version");

    if (v == NULL)
        return;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(v, names[i]) == 0) {
            h->min_version = (enum fetch_tls)(FETCH_TLS10 + i);
            return;
        }
    error_at(ld, yaml_get(n, "min_version"), (int)strlen(v),
             "unknown TLS version: %s", v);
}

/* tls_config = { ca_file, cert_file, key_file, server_name,
 *                insecure_skip_verify, min_version } */
static void
parse_tls(struct loader *ld, const struct yaml_node *n, struct fetch_http *h)
{
    if (!expect_map(ld, n, "tls_config"))
        return;
    check_keys(ld, n, &tls_section);
    h->ca_file = get_path(ld, n, "ca_file");
    h->cert_file = get_path(ld, n, "cert_file");
    h->key_file = get_path(ld, n, "key_file");
    h->server_name = dup_string(ld, n, "server_name");
    get_bool(ld, n, "insecure_skip_verify", &h->insecure_skip_verify);
    parse_tls_version(ld, n, h);
    if (h->cert_file != NULL && h->key_file == NULL)
        error_at(ld, key_node(n, "cert_file"), 9, "client cert file \"%s\" "
                 "specified without client key file",
                 get_string(ld, n, "cert_file"));
    if (h->key_file != NULL && h->cert_file == NULL)
        error_at(ld, key_node(n, "key_file"), 8, "client key file \"%s\" "
                 "specified without client cert file",
                 get_string(ld, n, "key_file"));
}

/*
 * bearer_token and bearer_token_file, checked against the other auth
 * keys in the order prometheus/common's Validate checks them; a bearer
 * token becomes an authorization of type Bearer.
 */
static void
parse_bearer(struct loader *ld, const struct yaml_node *n,
             struct fetch_http *h)
{
    char *tok = dup_string(ld, n, "bearer_token");
    char *file = get_path(ld, n, "bearer_token_file");
    const char *which = tok != NULL ? "bearer_token" : "bearer_token_file";
    const struct yaml_node *at = key_node(n, which);

    if (tok == NULL && file == NULL)
        return;
    if (tok != NULL && file != NULL)
        error_at(ld, key_node(n, "bearer_token_file"), 17, "at most one of "
                 "bearer_token & bearer_token_file must be configured");
    else if (yaml_get(n, "basic_auth") != NULL ||
             yaml_get(n, "oauth2") != NULL)
        error_at(ld, at, (int)strlen(which), "at most one of basic_auth, "
                 "oauth2, bearer_token & bearer_token_file must be "
                 "configured");
    else if (yaml_get(n, "authorization") != NULL)
        error_at(ld, at, (int)strlen(which), "authorization is not "
                 "compatible with bearer_token & bearer_token_file");
    else {
        h->auth_type = xstrdup("Bearer");
        h->credentials = tok;
        h->credentials_file = file;
        return;
    }
    free(tok);
    free(file);
}

/*
 * http-client = { basic_auth, authorization, bearer_token,
 *                 bearer_token_file, tls_config, proxy_url,
 *                 follow_redirects, enable_http2 }
 */
static void
parse_http_client(struct loader *ld, const struct yaml_node *n,
                  struct fetch_http *h)
{
    const struct yaml_node *v;

    if ((v = yaml_get(n, "basic_auth")) != NULL)
        parse_basic_auth(ld, v, h);
    if ((v = yaml_get(n, "authorization")) != NULL) {
        parse_authorization(ld, v, h);
        if (yaml_get(n, "basic_auth") != NULL ||
            yaml_get(n, "oauth2") != NULL)
            error_at(ld, key_node(n, "authorization"), 13, "at most one of "
                     "basic_auth, oauth2 & authorization must be "
                     "configured");
    }
    parse_bearer(ld, n, h);
    if ((v = yaml_get(n, "tls_config")) != NULL)
        parse_tls(ld, v, h);
    h->proxy_url = dup_string(ld, n, "proxy_url");
    if (h->proxy_url != NULL && strstr(h->proxy_url, "://") == NULL)
        error_at(ld, yaml_get(n, "proxy_url"), (int)strlen(h->proxy_url),
                 "invalid proxy_url: expected scheme://host:port");
    get_bool(ld, n, "follow_redirects", &h->follow_redirects);
    get_bool(ld, n, "enable_http2", &h->enable_http2);
}

static void
job_init(struct config_job *j, const struct config *cfg)
{
    memset(j, 0, sizeof(*j));
    j->scheme = xstrdup("http");
    j->metrics_path = xstrdup("/metrics");
    j->interval_ms = cfg->scrape_interval_ms;
    j->timeout_ms = cfg->scrape_timeout_ms;
    j->honor_timestamps = true;
    j->http.follow_redirects = true;
    j->http.enable_http2 = true;
}

static void
job_fini(struct config_job *j)
{
    statics_free(j->statics, j->nstatics);
    for (size_t i = 0; i < j->nparams; i++) {
        free((char *)j->params[i].name);
        free((char *)j->params[i].value);
    }
    free(j->params);
    fetch_http_fini(&j->http);
    config_sd_fini(&j->sd);
    relabel_rules_free(j->relabel);
    relabel_rules_free(j->metric_relabel);
    free(j->name);
    free(j->scheme);
    free(j->metrics_path);
}

/* Interval and timeout with the global defaults, as config.go sets them. */
static void
job_times(struct loader *ld, const struct yaml_node *n, struct config_job *j)
{
    const struct config *cfg = ld->cfg;
    const struct yaml_node *tn;
    int64_t iv = 0, to = 0;

    get_duration(ld, n, "scrape_interval", &iv);
    tn = get_duration(ld, n, "scrape_timeout", &to);
    j->interval_ms = iv != 0 ? iv : cfg->scrape_interval_ms;
    if (to > j->interval_ms)
        error_at(ld, tn, 1, "scrape timeout greater than scrape interval "
                 "for scrape config with job name \"%s\"",
                 j->name != NULL ? j->name : "");
    if (to != 0)
        j->timeout_ms = to;
    else if (cfg->scrape_timeout_ms > j->interval_ms)
        j->timeout_ms = j->interval_ms;
    else
        j->timeout_ms = cfg->scrape_timeout_ms;
}

/* Marks the load failed and gives the diags added since from (by a
 * reader that fills them itself) the config's source name. */
static void
took_diags(struct loader *ld, size_t from, int rc)
{
    if (rc != 0)
        ld->failed = true;
    for (size_t i = from; i < ld->nerrs; i++)
        ld->errs[i].source = ld->cfg->path;
}

/* The config file's directory, which relative file_sd paths start from. */
static char *
config_dir(const char *path)
{
    const char *slash = path != NULL ? strrchr(path, '/') : NULL;

    if (slash == NULL)
        return xstrdup("");
    return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/*
 * Each docker_sd_config's HTTP client settings, read as a scrape job's
 * are (same keys, checks and messages). Prometheus gives them to the
 * Docker client for http:// and https:// hosts only; for unix:// and
 * tcp:// they change nothing, and a warning says so.
 */
static void
parse_docker_http(struct loader *ld, const struct yaml_node *seq,
                  struct config_sd *sd)
{
    static const char *const keys[] = {
        "basic_auth", "authorization", "bearer_token", "bearer_token_file",
        "tls_config", "proxy_url", NULL
    };

    for (size_t i = 0; yaml_is_seq(seq) && i < yaml_seq_size(seq)
         && i < sd->ndocker; i++) {
        const struct yaml_node *n = yaml_seq_at(seq, i);
        struct config_sd_docker *c = &sd->docker[i];

        parse_http_client(ld, n, &c->http);
        if (strncmp(c->host, "http://", 7) == 0
            || strncmp(c->host, "https://", 8) == 0)
            continue;
        for (size_t k = 0; keys[k] != NULL; k++)
            if (yaml_get(n, keys[k]) != NULL)
                warn_at(ld, key_node(n, keys[k]), "%s is ignored for docker "
                        "host %.100s: Prometheus applies HTTP client "
                        "settings to http:// and https:// hosts only",
                        keys[k], c->host);
    }
}

/* One relabel_configs-like key of n into *out, what naming a rule in
 * messages. Returns the reader's 0 or -1, its diags taken into ld. */
static int
parse_relabel(struct loader *ld, const struct yaml_node *n, const char *key,
              const char *what, struct relabel_rules **out)
{
    size_t from = ld->nerrs;
    int rc = config_relabel_parse(yaml_get(n, key), what, out, ld->errs,
                                  ld->maxerrs, &ld->nerrs);

    took_diags(ld, from, rc);
    return rc;
}

/*
 * The discovery sections a scrape job and an Alertmanager entry share,
 * dns_sd_configs and file_sd_configs (relative paths from the config's
 * directory), and docker_sd_configs when docker is set (a scrape job's
 * only: for an Alertmanager it is a known key, warned about). Returns 0
 * or -1, the diags taken into ld.
 */
static int
parse_sd(struct loader *ld, const struct yaml_node *n, struct config_sd *sd,
         bool docker)
{
    size_t from = ld->nerrs;
    char *dir = config_dir(ld->cfg->path);
    int rc = 0;

    rc |= config_sd_parse_dns(yaml_get(n, "dns_sd_configs"), sd,
                              ld->errs, ld->maxerrs, &ld->nerrs);
    rc |= config_sd_parse_file(yaml_get(n, "file_sd_configs"), dir, sd,
                               ld->errs, ld->maxerrs, &ld->nerrs);
    if (docker)
        rc |= config_sd_parse_docker(yaml_get(n, "docker_sd_configs"), sd,
                                     ld->errs, ld->maxerrs, &ld->nerrs);
    free(dir);
    took_diags(ld, from, rc);
    return rc;
}

/* relabel_configs, metric_relabel_configs, dns_sd_configs, file_sd_configs,
 * docker_sd_configs */
static void
parse_job_discovery(struct loader *ld, const struct yaml_node *n,
                    struct config_job *j)
{
    int rc = 0;

    rc |= parse_relabel(ld, n, "relabel_configs",
                        "target relabeling rule in scrape config",
                        &j->relabel);
    rc |= parse_relabel(ld, n, "metric_relabel_configs",
                        "metric relabeling rule in scrape config",
                        &j->metric_relabel);
    rc |= parse_sd(ld, n, &j->sd, true);
    if (rc == 0)
        parse_docker_http(ld, yaml_get(n, "docker_sd_configs"), &j->sd);
}

/* scrape-config = { job_name, scrape_interval, scrape_timeout,
 *                   metrics_path, scheme, body_size_limit, params,
 *                   honor_labels, honor_timestamps, limits,
 *                   http-client, static_configs, ... } */
static void
parse_job(struct loader *ld, const struct yaml_node *n)
{
    struct config *cfg = ld->cfg;
    struct config_job j;
    const char *name;

    if (!yaml_is_map(n)) {
        error_at(ld, n, 1, "empty or null scrape config section");
        return;
    }
    job_init(&j, cfg);
    check_keys(ld, n, &job_section);
    name = get_string(ld, n, "job_name");
    if (name == NULL || *name == '\0')
        error_at(ld, n, 1, "job_name is empty");
    for (size_t i = 0; name != NULL && i < cfg->njobs; i++)
        if (strcmp(cfg->jobs[i].name, name) == 0)
            error_at(ld, yaml_get(n, "job_name"), (int)strlen(name),
                     "found multiple scrape configs with job name \"%s\"",
                     name);
    j.name = xstrdup(name != NULL ? name : "");
    job_times(ld, n, &j);
    parse_job_http(ld, n, &j);
    parse_job_limits(ld, n, &j);
    if (yaml_get(n, "params") != NULL)
        parse_params(ld, yaml_get(n, "params"), &j);
    parse_http_client(ld, n, &j.http);
    parse_statics(ld, yaml_get(n, "static_configs"), &j.statics,
                  &j.nstatics);
    parse_job_discovery(ld, n, &j);
    cfg->jobs = xreallocarray(cfg->jobs, cfg->njobs + 1, sizeof(*cfg->jobs));
    cfg->jobs[cfg->njobs++] = j;
}

/* scheme, path_prefix, timeout and api_version of an alertmanager config,
 * with Prometheus's defaults (http, no prefix, 10s, v2). */
static void
parse_am_fields(struct loader *ld, const struct yaml_node *n,
                struct config_alertmanager *am)
{
    const struct yaml_node *tn;
    const char *s;

    parse_scheme(ld, n, &am->scheme);
    if ((s = get_string(ld, n, "path_prefix")) != NULL) {
        free(am->path_prefix);
        am->path_prefix = xstrdup(s);
    }
    tn = get_duration(ld, n, "timeout", &am->timeout_ms);
    if (tn != NULL && am->timeout_ms <= 0)
        error_at(ld, tn, 1, "alertmanager timeout must be greater than 0s: "
                 "a zero timeout fails every request");
    if ((s = get_string(ld, n, "api_version")) == NULL)
        return;
    if (strcmp(s, "v1") == 0 || strcmp(s, "v2") == 0)
        am->api_version = s[1] - '0';
    else
        error_at(ld, yaml_get(n, "api_version"), (int)strlen(s),
                 "expected Alertmanager api version to be one of [v1 v2] "
                 "but got %s", s);
}

/*
 * alertmanager-config = { scheme, path_prefix, timeout, api_version,
 *                         relabel_configs, http-client, static_configs,
 *                         dns_sd_configs, file_sd_configs }
 */
static void
parse_alertmanager(struct loader *ld, const struct yaml_node *n,
                   struct config_alertmanager *am)
{
    memset(am, 0, sizeof(*am));
    am->scheme = xstrdup("http");
    am->path_prefix = xstrdup("");
    am->timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
    am->api_version = 2;
    am->http.follow_redirects = true;
    am->http.enable_http2 = true;
    if (!yaml_is_map(n)) {
        error_at(ld, n, 1, "empty or null alertmanager config section");
        return;
    }
    check_keys(ld, n, &am_section);
    parse_am_fields(ld, n, am);
    parse_http_client(ld, n, &am->http);
    parse_statics(ld, yaml_get(n, "static_configs"), &am->statics,
                  &am->nstatics);
    parse_relabel(ld, n, "relabel_configs",
                  "Alertmanager target relabeling rule", &am->relabel);
    parse_sd(ld, n, &am->sd, false);
}

static void
alertmanager_fini(struct config_alertmanager *am)
{
    statics_free(am->statics, am->nstatics);
    fetch_http_fini(&am->http);
    config_sd_fini(&am->sd);
    relabel_rules_free(am->relabel);
    free(am->scheme);
    free(am->path_prefix);
}

/* alerting = { alert_relabel_configs, alertmanagers: [ ... ] } */
static void
parse_alerting(struct loader *ld, const struct yaml_node *n)
{
    struct config *cfg = ld->cfg;
    const struct yaml_node *list;

    if (!expect_map(ld, n, "alerting"))
        return;
    check_keys(ld, n, &alerting_section);
    parse_relabel(ld, n, "alert_relabel_configs", "alert relabeling rule",
                  &cfg->alert_relabel);
    list = yaml_get(n, "alertmanagers");
    if (list == NULL || yaml_is_null(list))
        return;
    if (!yaml_is_seq(list)) {
        error_at(ld, list, 1, "expected a list for alertmanagers, found %s",
                 yaml_kind_name(list));
        return;
    }
    cfg->alertmanagers = xcalloc(yaml_seq_size(list) + 1,
                                 sizeof(*cfg->alertmanagers));
    for (size_t i = 0; i < yaml_seq_size(list); i++)
        parse_alertmanager(ld, yaml_seq_at(list, i),
                           &cfg->alertmanagers[cfg->nalertmanagers++]);
}

void
config_init(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->scrape_interval_ms = CONFIG_DEFAULT_INTERVAL_MS;
    cfg->scrape_timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
    cfg->evaluation_interval_ms = CONFIG_DEFAULT_EVAL_MS;
}

void
config_fini(struct config *cfg)
{
    for (size_t i = 0; i < cfg->njobs; i++)
        job_fini(&cfg->jobs[i]);
    free(cfg->jobs);
    for (size_t i = 0; i < cfg->nalertmanagers; i++)
        alertmanager_fini(&cfg->alertmanagers[i]);
    free(cfg->alertmanagers);
    relabel_rules_free(cfg->alert_relabel);
    labels_release(&cfg->external_labels);
    for (size_t i = 0; i < cfg->nrule_files; i++)
        free(cfg->rule_files[i]);
    free(cfg->rule_files);
    free(cfg->path);
    memset(cfg, 0, sizeof(*cfg));
}

/* config = { global, rule_files, scrape_configs, ... }; global is read
 * first so the jobs can take its defaults wherever it sits in the file. */
static void
parse_config(struct loader *ld, const struct yaml_node *root)
{
    const struct yaml_node *sc;

    if (!expect_map(ld, root, "the configuration"))
        return;
    check_keys(ld, root, &top_section);
    parse_global(ld, yaml_get(root, "global"));
    parse_rule_files(ld, yaml_get(root, "rule_files"));
    if (yaml_get(root, "alerting") != NULL)
        parse_alerting(ld, yaml_get(root, "alerting"));
    sc = yaml_get(root, "scrape_configs");
    if (sc == NULL || yaml_is_null(sc))
        return;
    if (!yaml_is_seq(sc)) {
        error_at(ld, sc, 1, "expected a list for scrape_configs, found %s",
                 yaml_kind_name(sc));
        return;
    }
    for (size_t i = 0; i < yaml_seq_size(sc); i++)
        parse_job(ld, yaml_seq_at(sc, i));
}

/* Loads the tree root (NULL: d says why there is none) into cfg, whose
 * path is name, then frees it. */
static int
load_tree(struct config *cfg, const char *name, struct yaml_node *root,
          const struct diag *d, struct diag *errs, size_t maxerrs,
          size_t *nerrs, struct diag *warns, size_t maxwarns, size_t *nwarns)
{
    struct loader ld = {
        .cfg = cfg, .errs = errs, .maxerrs = maxerrs,
        .warns = warns, .maxwarns = maxwarns,
    };

    config_init(cfg);
    cfg->path = xstrdup(name);
    if (root == NULL)
        error_diag(&ld, d);
    else
        parse_config(&ld, root);
    yaml_tree_free(root);
    *nerrs = ld.nerrs;
    *nwarns = ld.nwarns;
    return ld.failed ? -1 : 0;
}

struct config_job *
config_add_job(struct config *cfg, const char *job, int64_t interval_ms)
{
    struct config_job *j;

    cfg->jobs = xreallocarray(cfg->jobs, cfg->njobs + 1, sizeof(*cfg->jobs));
    j = &cfg->jobs[cfg->njobs++];
    job_init(j, cfg);
    j->name = xstrdup(job);
    if (interval_ms > 0)
        j->interval_ms = interval_ms;
    if (j->timeout_ms > j->interval_ms)
        j->timeout_ms = j->interval_ms;
    return j;
}

int
config_load(struct config *cfg, const char *path, struct diag *errs,
            size_t maxerrs, size_t *nerrs, struct diag *warns,
            size_t maxwarns, size_t *nwarns)
{
    struct diag d;
    struct yaml_node *root = yaml_load_file(path, &d);

    return load_tree(cfg, path, root, &d, errs, maxerrs, nerrs, warns,
                     maxwarns, nwarns);
}

int
config_load_buf(struct config *cfg, const char *name, const char *text,
                size_t len, struct diag *errs, size_t maxerrs, size_t *nerrs,
                struct diag *warns, size_t maxwarns, size_t *nwarns)
{
    struct diag d;
    struct yaml_node *root = yaml_load_buf(name, text, len, &d);

    return load_tree(cfg, name, root, &d, errs, maxerrs, nerrs, warns,
                     maxwarns, nwarns);
}

void
config_add_static_job(struct config *cfg, const char *job,
                      const char *metrics_path, int64_t interval_ms,
                      const char *const *addresses, size_t n)
{
    struct config_job *j = config_add_job(cfg, job, interval_ms);

    free(j->metrics_path);
    j->metrics_path = xstrdup(metrics_path);
    j->statics = xcalloc(1, sizeof(*j->statics));
    j->nstatics = 1;
    j->statics[0].targets = xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        j->statics[0].targets[i] = xstrdup(addresses[i]);
    j->statics[0].ntargets = n;
}

/* Static targets only: a discovery that is never polled holds just the
 * static_configs groups. */
size_t
config_targets(const struct config *cfg, struct scrape_target_def **defs)
{
    struct discovery *d = config_discovery_new(cfg);
    size_t n = config_targets_build(cfg, d, defs, NULL, NULL);

    discovery_free(d);
    return n;
}

void
config_print_warning(FILE *f, const struct diag *d)
{
    fprintf(f, "%s:%d:%d: warning: %s\n",
            d->source != NULL ? d->source : "config", d->line, d->col,
            d->msg);
}

/* headers = { NAME: VALUE, ... } into "NAME: VALUE" lines. */
static void
parse_headers(struct loader *ld, const struct yaml_node *n,
              struct config_source *src)
{
    if (!expect_map(ld, n, "headers"))
        return;
    src->headers = xcalloc(yaml_map_size(n) + 1, sizeof(*src->headers));
    for (size_t i = 0; i < yaml_map_size(n); i++) {
        const struct yaml_pair *p = yaml_map_at(n, i);
        const char *name = yaml_scalar(p->key), *v = yaml_scalar(p->value);

        if (name == NULL || v == NULL || *name == '\0'
            || strpbrk(name, ": \t\r\n") != NULL
            || strpbrk(v, "\r\n") != NULL) {
            error_at(ld, p->key, 1, "expected a header name and a "
                     "one-line value");
            continue;
        }
        src->headers[src->nheaders++] = xasprintf("%s: %s", name, v);
    }
}

int
config_load_source(struct config_source *src, const char *path,
                   struct diag *errs, size_t maxerrs, size_t *nerrs,
                   struct diag *warns, size_t maxwarns, size_t *nwarns)
{
    struct config cfg;
    struct loader ld = {
        .cfg = &cfg, .errs = errs, .maxerrs = maxerrs,
        .warns = warns, .maxwarns = maxwarns,
    };
    struct diag d;
    struct yaml_node *root = yaml_load_file(path, &d);

    memset(src, 0, sizeof(*src));
    src->http.follow_redirects = true;
    src->http.enable_http2 = true;
    config_init(&cfg);
    cfg.path = xstrdup(path);
    if (root == NULL) {
        error_diag(&ld, &d);
    } else if (expect_map(&ld, root, "the source config")) {
        check_keys(&ld, root, &source_section);
        parse_http_client(&ld, root, &src->http);
        if (yaml_get(root, "headers") != NULL)
            parse_headers(&ld, yaml_get(root, "headers"), src);
        get_duration(&ld, root, "timeout", &src->timeout_ms);
    }
    yaml_tree_free(root);
    config_fini(&cfg);
    *nerrs = ld.nerrs;
    *nwarns = ld.nwarns;
    return ld.failed ? -1 : 0;
}

void
config_source_fini(struct config_source *src)
{
    fetch_http_fini(&src->http);
    for (size_t i = 0; i < src->nheaders; i++) {
        /* A header may carry a token (Authorization, X-Api-Key). */
        memset(src->headers[i], 0, strlen(src->headers[i]));
        free(src->headers[i]);
    }
    free(src->headers);
    memset(src, 0, sizeof(*src));
}
