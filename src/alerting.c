/*
 * The notifier's configuration from the loaded prometheus.yml. It only
 * translates: the config layer has read and checked every key, and the
 * notifier does the discovery polling, relabelling and sending.
 */
#include "src/alerting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

/* Every entry's providers, each tagged with the entry's index. */
static struct discovery *
am_discovery(const struct config *cfg)
{
    struct discovery *d = discovery_new();

    for (size_t i = 0; i < cfg->nalertmanagers; i++) {
        const struct config_alertmanager *am = &cfg->alertmanagers[i];

        for (size_t s = 0; s < am->nstatics; s++)
            discovery_add_static(d, i,
                                 (const char *const *)am->statics[s].targets,
                                 am->statics[s].ntargets,
                                 &am->statics[s].labels, s);
        for (size_t s = 0; s < am->sd.ndns; s++) {
            struct sd_dns_config c = config_sd_dns_view(&am->sd.dns[s]);

            discovery_add_dns(d, i, &c);
        }
        for (size_t s = 0; s < am->sd.nfile; s++) {
            struct sd_file_config c = config_sd_file_view(&am->sd.file[s]);

            discovery_add_file(d, i, &c);
        }
    }
    return d;
}

/* The notifier config of cfg; *ams is the caller's to free. */
static void
notifier_config(const struct config *cfg, struct fetch *f,
                const char *external_url, struct notifier_config *nc,
                struct notifier_am_config **ams)
{
    *ams = xcalloc(cfg->nalertmanagers + 1, sizeof(**ams));
    for (size_t i = 0; i < cfg->nalertmanagers; i++) {
        const struct config_alertmanager *am = &cfg->alertmanagers[i];

        (*ams)[i] = (struct notifier_am_config){
            .scheme = am->scheme, .path_prefix = am->path_prefix,
            .api_version = am->api_version, .timeout_ms = am->timeout_ms,
            .http = &am->http, .relabel = am->relabel,
        };
    }
    *nc = (struct notifier_config){
        .ams = *ams, .nams = cfg->nalertmanagers,
        .discovery = am_discovery(cfg),
        .alert_relabel = cfg->alert_relabel,
        .external_labels = &cfg->external_labels,
        .external_url = external_url, .fetch = f,
    };
}

struct notifier *
alerting_notifier_new(const struct config *cfg, struct fetch *f,
                      const char *external_url)
{
    return alerting_notifier_apply(NULL, cfg, f, external_url);
}

struct notifier *
alerting_notifier_apply(struct notifier *n, const struct config *cfg,
                        struct fetch *f, const char *external_url)
{
    struct notifier_am_config *ams;
    struct notifier_config nc;

    if (cfg->nalertmanagers == 0) {
        notifier_free(n);
        return NULL;
    }
    notifier_config(cfg, f, external_url, &nc, &ams);
    if (n == NULL)
        n = notifier_new(&nc);
    else
        notifier_apply(n, &nc);
    free(ams);
    return n;
}

/* "host:port" of an Alertmanager URL (scheme and path left out). */
static void
am_host(const char *url, char *out, size_t size)
{
    const char *h = strstr(url, "://");
    size_t len;

    h = h != NULL ? h + 3 : url;
    len = strcspn(h, "/");
    snprintf(out, size, "%.*s", (int)len, h);
}

void
alerting_status_text(const struct notifier_status *st, char *out,
                     size_t size)
{
    size_t bad = 0, first = 0, used;
    char host[128];

    out[0] = '\0';
    for (size_t i = st->nams; i-- > 0;)
        if (st->ams[i].error != NULL) {
            bad++;
            first = i;
        }
    if (bad > 0) {
        am_host(st->ams[first].url, host, sizeof(host));
        snprintf(out, size, "Alertmanager %s: %s", host,
                 st->ams[first].error);
        if (bad > 1) {
            used = strlen(out);
            snprintf(out + used, size - used, " (and %zu more)", bad - 1);
        }
    } else if (st->nams == 0 && st->discovery_error != NULL) {
        snprintf(out, size, "Alertmanager discovery: %s",
                 st->discovery_error);
    }
    if (st->dropped > 0) {
        used = strlen(out);
        snprintf(out + used, size - used, "%s%llu alert%s dropped",
                 used > 0 ? " · " : "", (unsigned long long)st->dropped,
                 st->dropped == 1 ? "" : "s");
    }
}
