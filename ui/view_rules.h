/*
 * The alerts and rules views, like Prometheus's Alerts and Rules pages.
 * Alerts: per group, each alerting rule with its state in colour (firing
 * red, pending yellow, inactive green), and under it each active alert
 * with its state, since when, value, labels and annotations; rules can
 * be filtered by state. Rules: per group (file, interval, last round and
 * what it took), each rule with its expression, health, last evaluation,
 * duration and last error. Both scroll; nothing is sorted here. On a
 * server (rule_view.remote) both show its note first: why its rules are
 * missing or stale (no rules API, or its error text).
 *
 * Ownership: everything is borrowed for the call; rules_state is a plain
 * value the caller keeps.
 */
#ifndef UI_VIEW_RULES_H
#define UI_VIEW_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/canvas.h"
#include "ui/model.h"

/* Which alerting rules the alerts view hides: bits by alert_row_state. */
enum {
    HIDE_INACTIVE = 1 << ALERT_ROW_INACTIVE,
    HIDE_PENDING = 1 << ALERT_ROW_PENDING,
    HIDE_FIRING = 1 << ALERT_ROW_FIRING,
};

struct rules_state {
    int alerts_scroll;  /* first content line shown, alerts view */
    int rules_scroll;   /* the same, rules view */
    unsigned hide;      /* HIDE_* of the alerts view */
};

/*
 * Draws the alerts view into r: a line with the filter, then the
 * content from rs->alerts_scroll on (clamped so the last page stays
 * full). rv may be NULL (no rules loaded). Ages are relative to now_ms.
 */
void view_draw_alerts(struct canvas *c, struct rect r,
                      const struct rule_view *rv, struct rules_state *rs,
                      int64_t now_ms);
/* Draws the rules view into r, likewise from rs->rules_scroll. */
void view_draw_rules(struct canvas *c, struct rect r,
                     const struct rule_view *rv, struct rules_state *rs,
                     int64_t now_ms);
/*
 * "N firing  M pending" in the title bar at x (at most w cells), in the
 * crit and warn roles when not 0; nothing when rv has no rules. Returns
 * the cells written.
 */
int view_rules_counts(struct canvas *c, int x, int y, int w,
                      const struct rule_view *rv);
/* The cells view_rules_counts takes for rv. */
int view_rules_counts_width(const struct rule_view *rv);

#endif
