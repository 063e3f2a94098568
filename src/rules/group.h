/*
 * Rule groups at run time, with Prometheus 2.42's semantics: the rules of a
 * group evaluate in order at one evaluation time; recording rules write
 * their result into the store, alerting rules walk their alerts from
 * inactive to pending to firing and write ALERTS and ALERTS_FOR_STATE;
 * series a rule stops producing get staleness markers. Scheduling (when to
 * call rule_group_eval), templates and notification are left to callers.
 *
 * Ownership: a group borrows its definition (it must outlive the group)
 * and owns its alert state. Pointers and strings it returns stay valid
 * until the next rule_group_eval or rule_group_free.
 */
#ifndef RULES_GROUP_H
#define RULES_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "src/rules/rulefile.h"
#include "store/labels.h"
#include "store/store.h"

/* How long a resolved alert is kept (and reported), as Prometheus does. */
#define RULE_RESOLVED_RETENTION_MS (15 * 60 * 1000)

enum alert_state {
    ALERT_INACTIVE,         /* resolved, remembered for 15 minutes */
    ALERT_PENDING,
    ALERT_FIRING
};

struct rule_alert {
    struct labels labels;       /* owned: series labels, rule labels over
                                 * them, alertname; sorted */
    struct labels annotations;  /* owned: the rule's, not expanded */
    enum alert_state state;
    double value;               /* the expression's latest value */
    int64_t active_at;          /* ms: when it became pending */
    int64_t fired_at;           /* ms, 0 when it never fired */
    int64_t resolved_at;        /* ms, 0 while active */
};

struct rule_group;

/* A group for def, with no state yet. def is borrowed. */
struct rule_group *rule_group_new(const struct rule_group_def *def);
/* Releases the group and its alerts; NULL does nothing. */
void rule_group_free(struct rule_group *g);

/*
 * Evaluates every rule of the group, in order, at t (ms), writing into st.
 * A rule that fails (query error, two results with one label set, the
 * group limit) keeps its error (rule_group_error) and writes nothing; the
 * rules after it still run. Returns the number of rules that failed.
 */
size_t rule_group_eval(struct rule_group *g, struct store *st, int64_t t);
/*
 * Evaluates rule i alone at t, as rule_group_eval does for each rule (so
 * a caller can spread a group's rules over several steps, all at one t).
 * 0, or -1 when it failed; its error is kept.
 */
int rule_group_eval_rule(struct rule_group *g, struct store *st, int64_t t,
                         size_t i);
/*
 * For a reload: moves rule j's state out of from into rule i of g (its
 * error, the series it wrote, and its alerts when rule i is an alerting
 * rule), leaving from's rule j with none. The caller picks which rules
 * match; anything rule i had is released.
 */
void rule_group_move_state(struct rule_group *g, size_t i,
                           struct rule_group *from, size_t j);
/* Writes a staleness marker at t to every series rule i wrote at its
 * last evaluation and forgets them: for a rule that is gone. */
void rule_group_mark_stale(struct rule_group *g, size_t i, struct store *st,
                           int64_t t);
/* Rule i's error from the last evaluation, or NULL when it succeeded. */
const char *rule_group_error(const struct rule_group *g, size_t i);
/*
 * Rule i's alerts (alerting rules; 0 for recording rules) in the order
 * they first became active. *out is borrowed.
 */
size_t rule_group_alerts(const struct rule_group *g, size_t i,
                         const struct rule_alert **out);
/* "inactive", "pending" or "firing", as the alertstate label has it. */
const char *rule_alert_state_name(enum alert_state s);

#endif
