/*
 * From prometheus.yml's alerting section to a running Alertmanager
 * notifier (src/rules/notify.h): one discovery provider per static,
 * DNS and file entry of each alertmanagers entry, and the entry's
 * scheme, path prefix, API version, timeout, HTTP client and relabel
 * rules as the notifier takes them.
 *
 * Ownership: the notifier returned is the caller's (notifier_free) and
 * borrows from cfg and f, which must outlive it.
 */
#ifndef SRC_ALERTING_H
#define SRC_ALERTING_H

#include "scrape/fetch.h"
#include "src/config/config.h"
#include "src/rules/notify.h"

/*
 * A notifier for cfg's Alertmanagers, sending through f, with
 * generatorURLs under external_url (NULL: ""). NULL when cfg names no
 * Alertmanager (alerts then go nowhere, as in Prometheus).
 */
struct notifier *alerting_notifier_new(const struct config *cfg,
                                       struct fetch *f,
                                       const char *external_url);
/*
 * For a reloaded cfg: n (NULL: none yet) takes cfg's Alertmanagers and
 * keeps its queue; returns n, a new notifier when n was NULL, or NULL
 * (n freed) when cfg names no Alertmanager any more.
 */
struct notifier *alerting_notifier_apply(struct notifier *n,
                                         const struct config *cfg,
                                         struct fetch *f,
                                         const char *external_url);
/*
 * A status line's words for st: the first Alertmanager whose last
 * request failed and why ("Alertmanager am:9093: connection refused (and
 * 1 more)"), or a discovery error when none is known, and the alerts
 * dropped so far; "" when all is well. No secret is ever part of it.
 */
void alerting_status_text(const struct notifier_status *st, char *out,
                          size_t size);

#endif
