/*
 * The rule groups as serve's API shows them: /api/v1/rules (all rules,
 * and the alerting and recording ones apart, for ?type=) and
 * /api/v1/alerts in Prometheus 2.42's JSON, rendered on the loop thread
 * from the running rule set and published to the API (src/api/api.h),
 * so the HTTP threads never touch the rules.
 *
 * Ownership: the rule set and the api are borrowed for the call.
 */
#ifndef SRC_SERVE_RULES_H
#define SRC_SERVE_RULES_H

#include "src/api/api.h"
#include "src/base/buf.h"
#include "src/ruleset.h"

/* Which rules a rules document holds. */
enum serve_rules_kind { SERVE_RULES_ALL, SERVE_RULES_ALERT,
                        SERVE_RULES_RECORD };

/* The "data" of /api/v1/rules for rs (NULL: none) into out. */
void serve_rules_json(const struct ruleset *rs, enum serve_rules_kind kind,
                      struct buf *out);
/* The "data" of /api/v1/alerts: every pending and firing alert. */
void serve_alerts_json(const struct ruleset *rs, struct buf *out);
/* Publishes all four documents. */
void serve_rules_publish(const struct ruleset *rs, struct api *a);

#endif
