/*
 * Target labels the way Prometheus 2.42's scrape/target.go builds them
 * (PopulateLabels, Target.Labels, Target.URL) and series labels the way
 * scrape/scrape.go attaches target labels (mutateSampleLabels,
 * mutateReportSampleLabels). It neither discovers nor scrapes anything.
 */
#include "scrape/relabel_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"

#define META_PREFIX "__meta_"
#define PARAM_PREFIX "__param_"
#define RESERVED_PREFIX "__"
#define EXPORTED_PREFIX "exported_"

/*
 * Invariants: disc holds the labels before relabelling, all the final
 * ones; public points into all's strings and lists those not starting with
 * "__" (pub[0..npub), viewed through pubview); query and url are built
 * from all after the last fill. Everything is rebuilt by each fill.
 */
struct relabel_target {
    struct relabel_builder *disc;
    struct relabel_builder *all;
    struct label *pub;
    size_t npub, cappub;
    struct labels pubview;
    struct buf query;
    struct buf url;
    int64_t interval_ms, timeout_ms;
    size_t dropped_by;
};

struct relabel_target *
relabel_target_new(void)
{
    struct relabel_target *t = xcalloc(1, sizeof(*t));

    t->disc = relabel_builder_new();
    t->all = relabel_builder_new();
    buf_init(&t->query, 0);
    buf_init(&t->url, 0);
    return t;
}

void
relabel_target_free(struct relabel_target *t)
{
    if (t == NULL)
        return;
    relabel_builder_free(t->disc);
    relabel_builder_free(t->all);
    free(t->pub);
    buf_fini(&t->query);
    buf_fini(&t->url);
    free(t);
}

/* True when ls has a label called name, whatever its value. */
static bool
labels_has(const struct labels *ls, const char *name)
{
    for (size_t i = 0; ls != NULL && i < ls->n; i++) {
        if (strcmp(ls->v[i].name, name) == 0)
            return true;
    }
    return false;
}

/* The value of name in ls, "" when absent (Labels.Get). */
static const char *
labels_value(const struct labels *ls, const char *name)
{
    for (size_t i = 0; ls != NULL && i < ls->n; i++) {
        if (strcmp(ls->v[i].name, name) == 0)
            return ls->v[i].value;
    }
    return "";
}

/* The builder's value of name, "" when absent. */
static const char *
get(const struct relabel_builder *lb, const char *name)
{
    const char *v = relabel_builder_get(lb, name);

    return v ? v : "";
}

/*
 * The labels before relabelling: the target's, then the group's for
 * names the target lacks, then the job, interval, timeout, path and scheme
 * where still unset, then __param_<name> with each param's first value.
 */
static void
build_discovered(struct relabel_builder *lb,
                 const struct relabel_target_config *cfg,
                 const struct labels *target, const struct labels *group)
{
    char iv[64], to[64];
    const struct { const char *name, *value; } defaults[] = {
        { "job", cfg->job }, { "__scrape_interval__", iv },
        { "__scrape_timeout__", to }, { "__metrics_path__", cfg->metrics_path },
        { "__scheme__", cfg->scheme },
    };

    relabel_builder_reset(lb);
    for (size_t i = 0; target != NULL && i < target->n; i++)
        relabel_builder_set(lb, target->v[i].name, target->v[i].value);
    for (size_t i = 0; group != NULL && i < group->n; i++) {
        if (!labels_has(target, group->v[i].name))
            relabel_builder_set(lb, group->v[i].name, group->v[i].value);
    }
    duration_format(cfg->interval_ms, iv, sizeof(iv));
    duration_format(cfg->timeout_ms, to, sizeof(to));
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        if (*get(lb, defaults[i].name) == '\0')
            relabel_builder_set(lb, defaults[i].name, defaults[i].value);
    }
    for (size_t i = 0; i < cfg->nparams; i++) {
        bool first = true;
        char *name;

        for (size_t j = 0; j < i && first; j++)
            first = strcmp(cfg->params[j].name, cfg->params[i].name) != 0;
        if (!first)
            continue;
        name = xasprintf(PARAM_PREFIX "%s", cfg->params[i].name);
        relabel_builder_set(lb, name, cfg->params[i].value);
        free(name);
    }
}

/*
 * Go's net.SplitHostPort: true with the host and port (pointers into s,
 * lengths in *hl and *pl) when s is host:port or [host]:port.
 */
static bool
split_host_port(const char *s, const char **host, size_t *hl,
                const char **port)
{
    const char *colon = strrchr(s, ':');
    size_t j = 0, k = 0;

    if (colon == NULL)
        return false;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');

        if (end == NULL || end + 1 != colon)
            return false;       /* missing ']', missing port, extra colon */
        *host = s + 1;
        *hl = (size_t)(end - s - 1);
        j = 1;
        k = (size_t)(end - s) + 1;
    } else {
        *host = s;
        *hl = (size_t)(colon - s);
        if (memchr(s, ':', *hl) != NULL)
            return false;       /* too many colons */
    }
    if (strchr(s + j, '[') != NULL || strchr(s + k, ']') != NULL)
        return false;
    *port = colon + 1;
    return true;
}

/* Appends s quoted as Go's %q does. */
static void
quote(struct buf *b, const char *s)
{
    relabel_quote(b, s, strlen(s));
}

/*
 * The default port step: with a port already there nothing changes; else,
 * when adding one makes a valid host:port, :80 or :443 by scheme. With
 * no_default_port, a default port is removed from __address__ instead.
 * *addr gets the address instance defaults to. -1 with d on a bad scheme.
 */
static int
fix_port(struct relabel_target *t, const struct relabel_target_config *cfg,
         struct buf *addr, struct diag *d)
{
    const char *scheme = get(t->all, "__scheme__"), *host, *port;
    size_t hl;
    bool has = split_host_port(buf_str(addr), &host, &hl, &port);
    char *probe = xasprintf("%s:1234", buf_str(addr));
    bool add = !has && split_host_port(probe, &host, &hl, &port);

    free(probe);
    if (!cfg->no_default_port && add) {
        if (strcmp(scheme, "http") == 0 || *scheme == '\0') {
            buf_puts(addr, ":80");
        } else if (strcmp(scheme, "https") == 0) {
            buf_puts(addr, ":443");
        } else {
            struct buf q;

            buf_init(&q, 0);
            quote(&q, cfg->scheme);     /* Prometheus names the config's */
            diag_set(d, 0, 0, 0, "invalid scheme: %s", buf_str(&q));
            buf_fini(&q);
            return -1;
        }
        relabel_builder_set(t->all, "__address__", buf_str(addr));
    }
    if (cfg->no_default_port && has
        && ((strcmp(port, "80") == 0 && strcmp(scheme, "http") == 0)
            || (strcmp(port, "443") == 0 && strcmp(scheme, "https") == 0))) {
        char *h = xstrndup(host, hl);

        relabel_builder_set(t->all, "__address__", h);
        free(h);
    }
    return 0;
}

/* Parses the duration label name into *ms; -1 with d as Prometheus says. */
static int
check_duration(const struct relabel_target *t, const char *label,
               const char *what, int64_t *ms, struct diag *d)
{
    const char *v = get(t->all, label);
    struct buf q;

    if (*v == '\0')
        return diag_set(d, 0, 0, 0, "error parsing %s: empty duration "
                        "string", what);
    if (duration_parse(v, strlen(v), ms) < 0) {
        buf_init(&q, 0);
        quote(&q, v);
        diag_set(d, 0, 0, 0, "error parsing %s: not a valid duration "
                 "string: %s", what, buf_str(&q));
        buf_fini(&q);
        return -1;
    }
    if (*ms == 0)
        return diag_set(d, 0, 0, 0, "%s cannot be 0", what);
    return 0;
}

/* The address, interval and timeout checks of PopulateLabels; keeps the
 * interval and timeout the labels now say. */
static int
check_target(struct relabel_target *t, const char *addr, struct diag *d)
{
    int64_t iv = 0, to = 0;
    struct buf q;
    int rc = 0;

    buf_init(&q, 0);
    if (strchr(addr, '/') != NULL) {
        quote(&q, addr);
        rc = diag_set(d, 0, 0, 0, "%s is not a valid hostname", buf_str(&q));
    } else if (strchr(addr, '@') != NULL) {
        /* Prometheus cannot scrape it either (the host part would be
         * "user:password@host"); promdeck says so instead of putting the
         * password into the target's instance label. */
        rc = diag_set(d, 0, 0, 0, "the target address holds a user name "
                      "and password; give them with basic_auth instead");
    } else if (check_duration(t, "__scrape_interval__", "scrape interval",
                              &iv, d) < 0
               || check_duration(t, "__scrape_timeout__", "scrape timeout",
                                 &to, d) < 0) {
        rc = -1;
    } else if (to > iv) {
        quote(&q, get(t->all, "__scrape_timeout__"));
        buf_puts(&q, " > ");
        quote(&q, get(t->all, "__scrape_interval__"));
        rc = diag_set(d, 0, 0, 0, "scrape timeout cannot be greater than "
                      "scrape interval (%s)", buf_str(&q));
    }
    t->interval_ms = iv;
    t->timeout_ms = to;
    buf_fini(&q);
    return rc;
}

/* Appends s with Go's URL escaping: mode 'q' is url.QueryEscape, 'p' a
 * path (EscapedPath), 'h' a host. */
static void
url_escape(struct buf *out, const char *s, char mode)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9') || strchr("-_.~", (int)c);

        if (mode == 'p' && strchr("$&+,/:;=@", (int)c))
            keep = true;
        if (mode == 'h' && strchr("!$&'()*+,;=:[]<>\"", (int)c))
            keep = true;
        if (keep && c != '\0') {
            buf_putc(out, (char)c);
        } else if (mode == 'q' && c == ' ') {
            buf_putc(out, '+');
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };

            buf_append(out, e, 3);
        }
    }
}

/* One query parameter; values[0] may be replaced by a __param_ label. */
struct qparam {
    const char *name;
    const char *first;          /* overrides the first value when set */
    const struct relabel_param *cfg;    /* first config entry, or NULL */
};

static int
qparam_cmp(const void *a, const void *b)
{
    return strcmp(((const struct qparam *)a)->name,
                  ((const struct qparam *)b)->name);
}

/* Appends "name=value", with '&' before it unless out is empty. */
static void
put_pair(struct buf *out, const char *name, const char *value)
{
    if (out->len > 0)
        buf_putc(out, '&');
    url_escape(out, name, 'q');
    buf_putc(out, '=');
    url_escape(out, value, 'q');
}

/* Appends every value of q in config order; a __param_ label replaces
 * the first one (or is the only one for a name the config lacks). */
static void
put_param(struct buf *out, const struct qparam *q,
          const struct relabel_target_config *cfg)
{
    bool first = true;

    if (q->cfg == NULL) {
        put_pair(out, q->name, q->first);
        return;
    }
    for (size_t i = 0; i < cfg->nparams; i++) {
        if (strcmp(cfg->params[i].name, q->name) != 0)
            continue;
        put_pair(out, q->name,
                 first && q->first ? q->first : cfg->params[i].value);
        first = false;
    }
}

/*
 * The query string of Target.URL: the config's params with the final
 * __param_<name> labels laid over them, keys sorted, Go's encoding.
 */
static void
build_query(struct relabel_target *t, const struct relabel_target_config *cfg)
{
    const struct labels *all = relabel_builder_labels(t->all);
    struct qparam *qs = xcalloc(cfg->nparams + all->n + 1, sizeof(*qs));
    size_t n = 0, plen = strlen(PARAM_PREFIX);

    for (size_t i = 0; i < cfg->nparams; i++) {
        bool seen = false;

        for (size_t j = 0; j < n && !seen; j++)
            seen = strcmp(qs[j].name, cfg->params[i].name) == 0;
        if (!seen)
            qs[n++] = (struct qparam){ cfg->params[i].name, NULL,
                                       &cfg->params[i] };
    }
    for (size_t i = 0; i < all->n; i++) {
        const char *k = all->v[i].name + plen;
        size_t j = 0;

        if (strncmp(all->v[i].name, PARAM_PREFIX, plen) != 0)
            continue;
        while (j < n && strcmp(qs[j].name, k) != 0)
            j++;
        if (j == n)
            qs[n++] = (struct qparam){ k, NULL, NULL };
        qs[j].first = all->v[i].value;
    }
    qsort(qs, n, sizeof(*qs), qparam_cmp);
    buf_reset(&t->query);
    buf_puts(&t->query, "");
    for (size_t i = 0; i < n; i++)
        put_param(&t->query, &qs[i], cfg);
    free(qs);
}

/* scheme://host/path?query as Go's url.URL.String writes it. */
static void
build_url(struct relabel_target *t)
{
    const char *scheme = get(t->all, "__scheme__");
    const char *host = get(t->all, "__address__");
    const char *path = get(t->all, "__metrics_path__");

    buf_reset(&t->url);
    buf_puts(&t->url, "");
    if (*scheme != '\0') {
        buf_puts(&t->url, scheme);
        buf_putc(&t->url, ':');
    }
    if (*scheme != '\0' || *host != '\0') {
        if (*host != '\0' || *path != '\0')
            buf_puts(&t->url, "//");
        url_escape(&t->url, host, 'h');
    }
    if (*path != '\0' && *path != '/' && *host != '\0')
        buf_putc(&t->url, '/');
    url_escape(&t->url, path, 'p');
    if (t->query.len > 0) {
        buf_putc(&t->url, '?');
        buf_puts(&t->url, buf_str(&t->query));
    }
}

/* Lists the labels not starting with "__" (Target.Labels). */
static void
build_public(struct relabel_target *t)
{
    const struct labels *all = relabel_builder_labels(t->all);

    t->npub = 0;
    if (t->cappub < all->n + 1) {
        t->cappub = all->n + 1;
        t->pub = xreallocarray(t->pub, t->cappub, sizeof(t->pub[0]));
    }
    for (size_t i = 0; i < all->n; i++) {
        if (strncmp(all->v[i].name, RESERVED_PREFIX, 2) != 0)
            t->pub[t->npub++] = all->v[i];
    }
    t->pubview.v = t->pub;
    t->pubview.n = t->npub;
}

/* Deletes __meta_ labels, defaults instance, checks every value. */
static int
finish_labels(struct relabel_target *t, const char *addr, struct diag *d)
{
    const struct labels *all = relabel_builder_labels(t->all);
    struct buf q;

    for (size_t i = all->n; i-- > 0;) {
        if (strncmp(all->v[i].name, META_PREFIX, strlen(META_PREFIX)) == 0)
            relabel_builder_del(t->all, all->v[i].name);
    }
    if (*get(t->all, "instance") == '\0')
        relabel_builder_set(t->all, "instance", addr);
    for (size_t i = 0; i < all->n; i++) {
        const char *v = all->v[i].value;

        if (utf8_valid(v, strlen(v)))
            continue;
        buf_init(&q, 0);
        quote(&q, all->v[i].name);
        diag_set(d, 0, 0, 0, "invalid label value for %s: ", buf_str(&q));
        buf_reset(&q);
        quote(&q, v);
        snprintf(d->msg + strlen(d->msg), sizeof(d->msg) - strlen(d->msg),
                 "%s", buf_str(&q));
        buf_fini(&q);
        return -1;
    }
    return 0;
}

enum relabel_target_state
relabel_target_labels(struct relabel_target *t,
                      const struct relabel_target_config *cfg,
                      const struct labels *target, const struct labels *group,
                      struct diag *d)
{
    struct buf addr;
    size_t undecided;
    bool kept;
    int rc;

    t->npub = 0;
    t->pubview.n = 0;
    buf_reset(&t->query);
    buf_reset(&t->url);
    build_discovered(t->disc, cfg, target, group);
    relabel_builder_copy(t->all, t->disc);
    if (cfg->rules != NULL) {
        undecided = relabel_rules_undecided(cfg->rules);
        kept = relabel_apply_at(cfg->rules, t->all, &t->dropped_by);
        if (relabel_rules_undecided(cfg->rules) != undecided) {
            relabel_builder_reset(t->disc);
            relabel_builder_reset(t->all);
            diag_set(d, 0, 0, 0, "relabel_configs: %s",
                     RELABEL_UNDECIDED_MSG);
            return RELABEL_TARGET_FAILED;
        }
        if (!kept) {
            relabel_builder_reset(t->all);
            return RELABEL_TARGET_DROPPED;
        }
    }
    buf_init(&addr, 0);
    buf_puts(&addr, get(t->all, "__address__"));
    rc = addr.len == 0 ? diag_set(d, 0, 0, 0, "no address")
                       : fix_port(t, cfg, &addr, d);
    if (rc == 0)
        rc = check_target(t, buf_str(&addr), d);
    if (rc == 0)
        rc = finish_labels(t, buf_str(&addr), d);
    buf_fini(&addr);
    if (rc < 0) {
        relabel_builder_reset(t->disc);
        relabel_builder_reset(t->all);
        return RELABEL_TARGET_FAILED;
    }
    build_public(t);
    build_query(t, cfg);
    build_url(t);
    return RELABEL_TARGET_ACTIVE;
}

const struct labels *
relabel_target_discovered(const struct relabel_target *t)
{
    return relabel_builder_labels(t->disc);
}

const struct labels *
relabel_target_all(const struct relabel_target *t)
{
    return relabel_builder_labels(t->all);
}

const struct labels *
relabel_target_public(const struct relabel_target *t)
{
    return &t->pubview;
}

const char *
relabel_target_scheme(const struct relabel_target *t)
{
    return get(t->all, "__scheme__");
}

const char *
relabel_target_address(const struct relabel_target *t)
{
    return get(t->all, "__address__");
}

const char *
relabel_target_path(const struct relabel_target *t)
{
    return get(t->all, "__metrics_path__");
}

const char *
relabel_target_query(const struct relabel_target *t)
{
    return buf_str(&t->query);
}

const char *
relabel_target_url(const struct relabel_target *t)
{
    return buf_str(&t->url);
}

size_t
relabel_target_dropped_by(const struct relabel_target *t)
{
    return t->dropped_by;
}

int64_t
relabel_target_interval_ms(const struct relabel_target *t)
{
    return t->interval_ms;
}

int64_t
relabel_target_timeout_ms(const struct relabel_target *t)
{
    return t->timeout_ms;
}

/* Loads ls into lb, skipping empty values as labels.Builder does. */
static void
load(struct relabel_builder *lb, const struct labels *ls)
{
    relabel_builder_reset(lb);
    for (size_t i = 0; ls != NULL && i < ls->n; i++)
        relabel_builder_set(lb, ls->v[i].name, ls->v[i].value);
}

/* A scraped label that clashes with a target label, and its new name. */
struct clash {
    char *name;
    const char *value;
};

/*
 * resolveConflictingExposedLabels: shortest names first, each clashing
 * scraped label moves to exported_<name>, with more exported_ prefixes
 * until the name is free among the scraped, the target and the labels
 * already moved.
 */
static void
move_clashes(struct relabel_builder *out, struct clash *c, size_t n,
             const struct labels *scraped, const struct labels *target)
{
    /* A stable sort by name length (sort.SliceStable): insertion sort. */
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && strlen(c[j - 1].name)
                                    > strlen(c[j].name); j--) {
            struct clash tmp = c[j];

            c[j] = c[j - 1];
            c[j - 1] = tmp;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool taken = true;

        while (taken) {
            char *next = xasprintf(EXPORTED_PREFIX "%s", c[i].name);

            free(c[i].name);
            c[i].name = next;
            taken = labels_has(scraped, next) || labels_has(target, next);
            for (size_t j = 0; j < i && !taken; j++)
                taken = strcmp(c[j].name, next) == 0;
        }
    }
    for (size_t i = 0; i < n; i++)
        relabel_builder_set(out, c[i].name, c[i].value);
}

/* The target labels step of mutateSampleLabels. */
static void
attach_target(struct relabel_builder *out, const struct labels *scraped,
              const struct labels *target, bool honor)
{
    struct clash *c = xcalloc(target->n + 1, sizeof(*c));
    size_t n = 0;

    load(out, scraped);
    for (size_t i = 0; i < target->n; i++) {
        const char *name = target->v[i].name;
        const char *have = labels_value(scraped, name);

        if (honor) {
            if (!labels_has(scraped, name))
                relabel_builder_set(out, name, target->v[i].value);
            continue;
        }
        if (*have != '\0')
            c[n++] = (struct clash){ xstrdup(name), have };
        relabel_builder_set(out, name, target->v[i].value);
    }
    if (n > 0)
        move_clashes(out, c, n, scraped, target);
    for (size_t i = 0; i < n; i++)
        free(c[i].name);
    free(c);
}

/* Labels.IsValid: metric name and label names well formed, UTF-8 values
 * (a NUL byte, which label strings carry as C0 80, is valid UTF-8). */
static bool
series_valid(const struct labels *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        const char *name = ls->v[i].name, *v = ls->v[i].value;

        if (strcmp(name, LABEL_METRIC_NAME) == 0) {
            for (size_t j = 0; v[j] != '\0'; j++) {
                char ch = v[j];

                if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
                      || ch == '_' || ch == ':'
                      || (ch >= '0' && ch <= '9' && j > 0)))
                    return false;
            }
        }
        if (!relabel_name_valid(name) || !labels_value_valid(v))
            return false;
    }
    return true;
}

/* Formats "invalid metric name or label names: {a="b", ...}" into d. */
static int
invalid_series(const struct labels *ls, struct diag *d)
{
    struct buf b;

    buf_init(&b, 0);
    buf_putc(&b, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (i > 0)
            buf_puts(&b, ", ");
        buf_puts(&b, ls->v[i].name);
        buf_putc(&b, '=');
        quote(&b, ls->v[i].value);
    }
    buf_putc(&b, '}');
    diag_set(d, 0, 0, 0, "invalid metric name or label names: %s",
             buf_str(&b));
    buf_fini(&b);
    return -1;
}

int
relabel_series_labels(const struct labels *scraped,
                      const struct labels *target_public, bool honor,
                      const struct relabel_rules *rules,
                      struct relabel_builder *out, struct diag *d)
{
    const struct labels *res;
    size_t undecided = rules != NULL ? relabel_rules_undecided(rules) : 0;
    bool kept;

    attach_target(out, scraped, target_public, honor);
    kept = rules == NULL || relabel_apply(rules, out);
    /* A match that could not be decided fails the scrape, never drops. */
    if (rules != NULL && relabel_rules_undecided(rules) != undecided)
        return diag_set(d, 0, 0, 0, "metric_relabel_configs: %s",
                        RELABEL_UNDECIDED_MSG);
    if (!kept) {
        relabel_builder_reset(out);
        return 0;
    }
    res = relabel_builder_labels(out);
    if (res->n == 0)
        return 0;
    if (relabel_builder_get(out, LABEL_METRIC_NAME) == NULL)
        return diag_set(d, 0, 0, 0, "missing metric name (%s label)",
                        LABEL_METRIC_NAME);
    if (!series_valid(res))
        return invalid_series(res, d);
    return 1;
}

void
relabel_report_labels(const struct labels *series,
                      const struct labels *target_public,
                      struct relabel_builder *out)
{
    load(out, series);
    for (size_t i = 0; i < target_public->n; i++) {
        const char *name = target_public->v[i].name;
        char *exported = xasprintf(EXPORTED_PREFIX "%s", name);

        relabel_builder_set(out, exported, labels_value(series, name));
        relabel_builder_set(out, name, target_public->v[i].value);
        free(exported);
    }
}

char *
relabel_target_shown_address(const char *addr)
{
    const char *at = strrchr(addr, '@'), *colon;

    if (at == NULL)
        return xstrdup(addr);
    colon = memchr(addr, ':', (size_t)(at - addr));
    if (colon == NULL)
        return xstrdup(addr);
    return xasprintf("%.*s<secret>%s", (int)(colon + 1 - addr), addr, at);
}
