/*
 * The notifier's configuration from the loaded prometheus.yml. It only
 * translates: the config layer has read and checked every key, and the
 * notifier does the discovery polling, relabelling and sending.
 */
#include "src/alerting.h"

#include <stdlib.h>

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

struct notifier *
alerting_notifier_new(const struct config *cfg, struct fetch *f,
                      const char *external_url)
{
    struct notifier_am_config *ams;
    struct notifier_config nc = {
        .alert_relabel = cfg->alert_relabel,
        .external_labels = &cfg->external_labels,
        .external_url = external_url,
        .fetch = f,
    };
    struct notifier *n;

    if (cfg->nalertmanagers == 0)
        return NULL;
    ams = xcalloc(cfg->nalertmanagers, sizeof(*ams));
    for (size_t i = 0; i < cfg->nalertmanagers; i++) {
        const struct config_alertmanager *am = &cfg->alertmanagers[i];

        ams[i] = (struct notifier_am_config){
            .scheme = am->scheme, .path_prefix = am->path_prefix,
            .api_version = am->api_version, .timeout_ms = am->timeout_ms,
            .http = &am->http, .relabel = am->relabel,
        };
    }
    nc.ams = ams;
    nc.nams = cfg->nalertmanagers;
    nc.discovery = am_discovery(cfg);
    n = notifier_new(&nc);
    free(ams);
    return n;
}
