/*
 * Rule groups at run time, with Prometheus 2.42's semantics: the rules of a
 * group evaluate in order at one evaluation time; recording rules write
 * their result into the store, alerting rules walk their alerts from
 * inactive to pending to firing and write ALERTS and ALERTS_FOR_STATE;
 * series a rule stops producing get staleness markers. Alert labels and
 * annotations are expanded as templates at each evaluation. Scheduling
 * (when to call rule_group_eval) and notification are left to callers.
 *
 * Ownership: a group borrows its definition (it must outlive the group)
 * and owns its alert state. Pointers and strings it returns stay valid
 * until the next rule_group_eval or rule_group_free.
 */
#ifndef RULES_GROUP_H
#define RULES_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/query.h"
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
    struct labels annotations;  /* owned: the rule's, expanded at the
                                 * latest evaluation; sorted */
    enum alert_state state;
    double value;               /* the expression's latest value */
    int64_t active_at;          /* ms: when it became pending */
    int64_t fired_at;           /* ms, 0 when it never fired */
    int64_t resolved_at;        /* ms, 0 while active */
    bool keeping;               /* firing only by keep_firing_for: its
                                 * condition cleared at keep_firing_since */
    int64_t keep_firing_since;  /* ms, when keeping */
    bool sent;                  /* sent to Alertmanager at least once */
    int64_t last_sent_at;       /* ms, when sent last */
    int64_t valid_until;        /* ms: the endsAt a firing alert was
                                 * last sent with */
};

struct rule_group;

/* A group for def, with no state yet. def is borrowed. */
struct rule_group *rule_group_new(const struct rule_group_def *def);
/* What templates see of the configuration, and each query's budget. */
struct rule_group_opts {
    const struct labels *external_labels;   /* $externalLabels; NULL: none */
    const char *external_url;               /* $externalURL; NULL: "" */
    /* --query.max-samples, --query.timeout and a stop flag, for every
     * query a rule runs (its expression and its templates' query());
     * NULL: Prometheus's defaults (qeval_ctl_init). The flag pointer is
     * kept and must outlive the group. */
    const struct qeval_ctl *budget;
};

/* Sets the group's options (copied; o is borrowed for the call). */
void rule_group_set_opts(struct rule_group *g,
                         const struct rule_group_opts *o);
/* Releases the group and its alerts; NULL does nothing. */
void rule_group_free(struct rule_group *g);

/*
 * Evaluates every rule of the group, in order, at t (ms), writing into st.
 * A rule that fails (query error, its budget spent, two results with one
 * label set, the group limit) keeps its error (rule_group_error) and
 * writes nothing; the rules after it still run. Returns the number of
 * rules that failed.
 *
 * Threads: a rule reads st as any reader does (store/store.h: a pin
 * around its queries, each read call locking for itself) and takes
 * store_write_lock only around the appends of its results, never across
 * a query; so the caller must hold neither lock.
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
 * last evaluation and forgets them: for a rule that is gone. It takes no
 * lock: a threaded caller holds store_write_lock around it. */
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
/*
 * Rule i's alerts that are due for Alertmanager at t, as alerting.go's
 * needsSending decides: firing or resolved (never pending), and never
 * sent, resolved since last sent, or last sent more than resend_ms
 * before t. Each one is marked sent at t with valid_until = t + 4 *
 * max(resend_ms, the group's interval), so it outlives two missed
 * evaluations or sends. out must have room for rule_group_alerts' count;
 * the pointers are borrowed like rule_group_alerts' result.
 */
size_t rule_group_due_alerts(struct rule_group *g, size_t i, int64_t t,
                             int64_t resend_ms,
                             const struct rule_alert **out);
/* The definition the group was made from. */
const struct rule_group_def *rule_group_def(const struct rule_group *g);
/* "inactive", "pending" or "firing", as the alertstate label has it. */
const char *rule_alert_state_name(enum alert_state s);

#endif
