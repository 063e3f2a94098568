/*
 * The rules and alerts as the screen and the snapshot show them: one
 * struct rule_view (ui/model.h) filled from the running rule set (or a
 * server's rules API, for --source and attach), and
 * for the page shown, when an alert on one of each panel's series was
 * firing (read back from the ALERTS series in the store).
 *
 * Ownership: the list owns its arrays until the next fill or
 * rule_list_fini; labels and strings in them are borrowed from the rule
 * set and stay valid until it evaluates or reloads, so a list is filled
 * again before every draw.
 */
#ifndef SRC_RULELIST_H
#define SRC_RULELIST_H

#include <stdint.h>

#include "src/api/decode.h"
#include "src/ruleset.h"
#include "store/store.h"
#include "ui/model.h"

struct rule_list {
    struct rule_view view;      /* what the UI and the snapshot read */
    struct rule_group_row *groups;
    struct rule_row *rules;
    struct alert_row *alerts;
    struct panel_alert_marks *marks;
    int64_t *spans;
    size_t nmarks;
};

void rule_list_init(struct rule_list *rl);
void rule_list_fini(struct rule_list *rl);
/* Replaces the groups, rules and alerts with rs's (NULL: none); the
 * marks stay. */
void rule_list_fill(struct rule_list *rl, const struct ruleset *rs);
/*
 * Replaces the groups, rules and alerts with a server's answers: g from
 * its /api/v1/rules (NULL: none yet), the counts from its /api/v1/alerts
 * when alerts is not NULL, and error (NULL: none) as the views' note:
 * why the rules are not shown, or not fresh. All three are borrowed like
 * the rule set is: the list is filled again before every draw.
 */
void rule_list_fill_remote(struct rule_list *rl, const struct api_groups *g,
                           const struct api_alerts *alerts,
                           const char *error);
/*
 * Replaces the marks with those of page (an index into d->pages; -1:
 * none): for each panel, the times over [now - range, now] at which an
 * ALERTS{alertstate="firing"} series in st carried every label of one of
 * the panel's series (a series with no label but its name matches
 * nothing: it says nothing about where an alert is).
 */
void rule_list_mark_panels(struct rule_list *rl, const struct dashboard *d,
                           int page, const struct store *st, int64_t now);

#endif
