/*
 * Command-line targets into scrape jobs. A URL is taken apart by hand
 * (scheme, user, host, port, path, query), the way Go's url.Parse splits
 * the ones Prometheus builds; what it becomes is a static target with the
 * __scheme__, __metrics_path__ and __param_ labels a prometheus.yml
 * would give it, so relabelling and the scrape see nothing new.
 */
#include "src/config/config_url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scrape/sd_group.h"
#include "src/base/buf.h"
#include "src/base/url.h"
#include "src/base/xalloc.h"

/* Prometheus's __param_<name> prefix for a URL query parameter. */
#define PARAM_LABEL "__param_"

/*
 * The first len bytes of s with %XX escapes decoded (and '+' as a space
 * when plus is set, as in a query). NULL on a broken escape.
 */
static char *
unescape(const char *s, size_t len, bool plus)
{
    struct buf b;

    buf_init(&b, 0);
    if (url_unescape(s, len, plus, &b) < 0) {
        buf_fini(&b);
        return NULL;
    }
    return buf_steal(&b);
}

/* Appends one decoded name=value of the query; -1 with d when bad. */
static int
add_param(struct config_url *u, const char *s, size_t len, struct diag *d)
{
    const char *eq = memchr(s, '=', len);
    size_t nl = eq != NULL ? (size_t)(eq - s) : len;
    char *name = unescape(s, nl, true);
    char *value = eq != NULL ? unescape(eq + 1, len - nl - 1, true)
                             : xstrdup("");
    bool twice = false;

    for (size_t i = 0; name != NULL && i < u->nparams; i++)
        twice = twice || strcmp(u->params[i].name, name) == 0;
    if (name == NULL || value == NULL || *name == '\0' || twice) {
        if (twice)
            diag_set(d, 0, 0, 0, "query parameter '%s' given twice (only "
                     "a scrape config's params can repeat one)", name);
        else
            diag_set(d, 0, 0, 0, "bad query parameter '%.*s'", (int)len, s);
        free(name);
        free(value);
        return -1;
    }
    u->params = xreallocarray(u->params, u->nparams + 1, sizeof(*u->params));
    u->params[u->nparams++] = (struct relabel_param){ name, value };
    return 0;
}

/* query = [ pair { "&" pair } ]; empty pairs are skipped, as Go does. */
static int
parse_query(struct config_url *u, const char *q, struct diag *d)
{
    while (*q != '\0') {
        size_t len = strcspn(q, "&");

        if (len > 0 && add_param(u, q, len, d) < 0)
            return -1;
        q += len + (q[len] == '&');
    }
    return 0;
}

/* A port: 1 to 65535, digits only. */
static bool
good_port(const char *p, size_t len)
{
    long v = 0;

    if (len == 0 || len > 5)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

/*
 * hostport = host [ ":" port ] | "[" v6 "]" [ ":" port ], after an
 * optional "user[:password]@". Sets the host and, via *port, where the
 * port starts (NULL when there is none).
 */
static int
split_hostport(struct config_url *u, const char *h, const char *end,
               const char **port, struct diag *d)
{
    const char *colon;

    *port = NULL;
    if (*h == '[') {
        const char *rb = memchr(h, ']', (size_t)(end - h));

        if (rb == NULL)
            return diag_set(d, 0, 0, 0, "missing ']' after an IPv6 host");
        if (rb + 1 < end && rb[1] != ':')
            return diag_set(d, 0, 0, 0, "unexpected text after ']'");
        u->host = xstrndup(h + 1, (size_t)(rb - h - 1));
        *port = rb + 1 < end ? rb + 2 : NULL;
        return 0;
    }
    colon = memchr(h, ':', (size_t)(end - h));
    if (colon != NULL && memchr(colon + 1, ':', (size_t)(end - colon - 1)))
        return diag_set(d, 0, 0, 0, "an IPv6 address goes in brackets, as "
                        "in [::1]:9100");
    u->host = xstrndup(h, colon != NULL ? (size_t)(colon - h)
                                        : (size_t)(end - h));
    *port = colon != NULL ? colon + 1 : NULL;
    return 0;
}

/*
 * authority = [ userinfo "@" ] hostport. Fills host and address; the port
 * defaults by scheme when the argument has one, and is required when not.
 */
static int
parse_authority(struct config_url *u, const char *a, size_t len,
                bool has_scheme, struct diag *d)
{
    const char *at = NULL, *end = a + len, *port;

    for (const char *p = a; p < end; p++)
        at = *p == '@' ? p : at;
    if (split_hostport(u, at != NULL ? at + 1 : a, end, &port, d) < 0)
        return -1;
    if (u->host[0] == '\0')
        return diag_set(d, 0, 0, 0, "no host");
    if (port != NULL && !good_port(port, (size_t)(end - port)))
        return diag_set(d, 0, 0, 0, "bad port '%.*s' (1 to 65535)",
                        (int)(end - port), port);
    if (port == NULL && !has_scheme)
        return diag_set(d, 0, 0, 0, "a target needs a port (HOST:PORT) or "
                        "a scheme (http://HOST)");
    if (port != NULL)
        u->address = xstrndup(a, len);
    else
        u->address = xasprintf("%.*s:%s", (int)len, a,
                               strcmp(u->scheme, "https") == 0 ? "443"
                                                               : "80");
    return 0;
}

/*
 * The check every config target goes through (Prometheus's
 * PopulateLabels, in scrape/relabel_target): a user name and password in
 * the address, or a host Prometheus cannot scrape, are refused in the
 * same words.
 */
static int
check_target(const struct config_url *u, struct diag *d)
{
    struct relabel_target_config rc = {
        .job = u->host, .interval_ms = 1000, .timeout_ms = 1000,
        .metrics_path = u->path, .scheme = u->scheme,
        .params = u->params, .nparams = u->nparams,
    };
    struct relabel_target *rt = relabel_target_new();
    struct labels target = { NULL, 0 };
    enum relabel_target_state st;

    labels_put(&target, "__address__", u->address);
    st = relabel_target_labels(rt, &rc, &target, NULL, d);
    labels_release(&target);
    relabel_target_free(rt);
    if (st == RELABEL_TARGET_ACTIVE)
        return 0;
    if (strchr(u->address, '@') != NULL)
        diag_hint(d, "basic_auth goes in a scrape config of a "
                  "prometheus.yml, scraped with --config FILE");
    return -1;
}

/* scheme = "http" | "https", before "://"; case does not matter. */
static int
parse_scheme(struct config_url *u, const char *arg, const char *sep,
             struct diag *d)
{
    size_t len = (size_t)(sep - arg);

    if ((len == 4 && strncasecmp(arg, "http", 4) == 0)
        || (len == 5 && strncasecmp(arg, "https", 5) == 0)) {
        u->scheme = xstrdup(len == 4 ? "http" : "https");
        return 0;
    }
    return diag_set(d, 0, 0, 0, "unsupported scheme '%.*s' (http or "
                    "https)", (int)len, arg);
}

int
config_url_parse(const char *arg, struct config_url *u, struct diag *d)
{
    const char *sep = strstr(arg, "://"), *rest, *p, *q;
    size_t alen, plen;

    memset(u, 0, sizeof(*u));
    diag_clear(d);
    if (sep != NULL && parse_scheme(u, arg, sep, d) < 0)
        goto fail;
    if (sep == NULL)
        u->scheme = xstrdup("http");
    rest = sep != NULL ? sep + 3 : arg;
    alen = strcspn(rest, "/?#");
    if (parse_authority(u, rest, alen, sep != NULL, d) < 0)
        goto fail;
    p = rest + alen;
    plen = strcspn(p, "?#");
    if ((u->path = unescape(p, plen, false)) == NULL) {
        diag_set(d, 0, 0, 0, "bad %%-escape in the path");
        goto fail;
    }
    if (u->path[0] == '\0' || strcmp(u->path, "/") == 0) {
        free(u->path);
        u->path = xstrdup("/metrics");
    }
    q = p + plen;
    u->query = *q == '?' ? xstrndup(q + 1, strcspn(q + 1, "#"))
                         : xstrdup("");
    if (parse_query(u, u->query, d) < 0 || check_target(u, d) < 0)
        goto fail;
    return 0;
fail:
    config_url_fini(u);
    return -1;
}

void
config_url_fini(struct config_url *u)
{
    free(u->scheme);
    free(u->host);
    free(u->address);
    free(u->path);
    free(u->query);
    for (size_t i = 0; i < u->nparams; i++) {
        free((char *)u->params[i].name);
        free((char *)u->params[i].value);
    }
    free(u->params);
    memset(u, 0, sizeof(*u));
}

char *
config_url_shown(const char *arg)
{
    const char *sep = strstr(arg, "://");
    const char *a = sep != NULL ? sep + 3 : arg;
    size_t alen = strcspn(a, "/?#");
    char *auth = xstrndup(a, alen);
    char *masked = relabel_target_shown_address(auth);
    char *s = xasprintf("%.*s%s%s", (int)(a - arg), arg, masked, a + alen);

    free(masked);
    free(auth);
    return s;
}

/*
 * Which form names target i among the others of its job: 0 its address,
 * 1 address, path and query, 2 the whole URL. Written into out.
 */
static void
instance_of(const struct config_url *us, size_t n, size_t i, struct buf *out)
{
    const struct config_url *u = &us[i];
    bool same_addr = false, same_path = false;

    for (size_t k = 0; k < n; k++) {
        if (k == i || strcmp(us[k].host, u->host) != 0
            || strcmp(us[k].address, u->address) != 0)
            continue;
        same_addr = true;
        same_path = same_path || (strcmp(us[k].path, u->path) == 0
                                  && strcmp(us[k].query, u->query) == 0);
    }
    buf_reset(out);
    if (same_path)
        buf_printf(out, "%s://", u->scheme);
    buf_puts(out, u->address);
    if (same_addr)
        buf_printf(out, "%s%s%s", u->path, *u->query ? "?" : "", u->query);
}

/* The static group of target i: its address, and labels only where it
 * differs from the job's defaults. */
static void
fill_static(struct config_static *st, const struct config_url *us, size_t n,
            size_t i)
{
    const struct config_url *u = &us[i];
    struct buf b;

    st->targets = xcalloc(2, sizeof(*st->targets));
    st->targets[0] = xstrdup(u->address);
    st->ntargets = 1;
    if (strcmp(u->scheme, "http") != 0)
        labels_put(&st->labels, "__scheme__", u->scheme);
    if (strcmp(u->path, "/metrics") != 0)
        labels_put(&st->labels, "__metrics_path__", u->path);
    buf_init(&b, 0);
    for (size_t k = 0; k < u->nparams; k++) {
        buf_reset(&b);
        buf_printf(&b, PARAM_LABEL "%s", u->params[k].name);
        labels_put(&st->labels, buf_str(&b), u->params[k].value);
    }
    instance_of(us, n, i, &b);
    if (strcmp(buf_str(&b), u->address) != 0)
        labels_put(&st->labels, "instance", buf_str(&b));
    buf_fini(&b);
    labels_sort(&st->labels);
}

/* The job of the host of us[first], with every target of that host. */
static void
add_host_job(struct config *cfg, const struct config_url *us, size_t n,
             size_t first, int64_t interval_ms)
{
    struct config_job *j = config_add_job(cfg, us[first].host, interval_ms);
    size_t count = 0;

    for (size_t i = first; i < n; i++)
        count += strcmp(us[i].host, us[first].host) == 0;
    j->statics = xcalloc(count, sizeof(*j->statics));
    for (size_t i = first; i < n; i++)
        if (strcmp(us[i].host, us[first].host) == 0)
            fill_static(&j->statics[j->nstatics++], us, n, i);
}

/* Whether us[i] repeats an earlier argument exactly (same URL). */
static bool
repeated(const struct config_url *us, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(us[k].scheme, us[i].scheme) == 0
            && strcmp(us[k].address, us[i].address) == 0
            && strcmp(us[k].path, us[i].path) == 0
            && strcmp(us[k].query, us[i].query) == 0)
            return true;
    return false;
}

int
config_add_url_targets(struct config *cfg, const char *const *args,
                       size_t n, int64_t interval_ms, struct diag *d)
{
    struct config_url *us = xcalloc(n + 1, sizeof(*us));
    size_t nu = 0;
    int rc = 0;

    for (size_t i = 0; i < n && rc == 0; i++) {
        if (config_url_parse(args[i], &us[nu], d) < 0)
            rc = -1;
        else if (repeated(us, nu))
            config_url_fini(&us[nu]);
        else
            nu++;
    }
    for (size_t i = 0; rc == 0 && i < nu; i++) {
        bool seen = false;

        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(us[k].host, us[i].host) == 0;
        if (!seen)
            add_host_job(cfg, us, nu, i, interval_ms);
    }
    for (size_t i = 0; i < nu; i++)
        config_url_fini(&us[i]);
    free(us);
    return rc;
}
