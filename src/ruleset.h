/*
 * The rules of the running program: the rule files of --rules and of
 * prometheus.yml's rule_files (globs), their groups, and when each group
 * evaluates next. Groups run on their own interval at aligned times, as
 * Prometheus's group offset places them (a hash of file and name picks
 * the offset inside the interval), one rule at a time so that the event
 * loop can read keys between rules of a long group. A reload keeps the
 * state of every rule Prometheus would keep: groups match by file and
 * name, rules within them by name and labels.
 *
 * Ownership: the set owns its files, groups and timings; the pointers it
 * returns stay valid until the next ruleset_load, ruleset_run,
 * ruleset_eval_all or ruleset_free. The store is borrowed for each call.
 */
#ifndef SRC_RULESET_H
#define SRC_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "src/rules/group.h"
#include "src/rules/rulefile.h"
#include "store/store.h"

/* Where the rules come from. */
struct ruleset_source {
    const char *const *globs;   /* rule_files patterns; may match nothing */
    size_t nglobs;
    const char *const *files;   /* --rules files; each must load */
    size_t nfiles;
    int64_t interval_ms;        /* a group's interval when it sets none */
};

/*
 * One group as the views read it (read-only to callers). A round is one
 * evaluation of every rule at one time; rule timings are those of each
 * rule's last evaluation.
 */
struct ruleset_group {
    char *file;                 /* the rule file, as found */
    const struct rule_group_def *def;
    struct rule_group *group;
    int64_t offset_ms;          /* where in the interval its rounds fall */
    int64_t next_ms;            /* the time of its next round */
    int64_t last_ms;            /* the time of its last whole round; 0 */
    double last_seconds;        /* what that round took, rule by rule */
    int64_t *rule_last_ms;      /* per rule: time of its last evaluation */
    double *rule_seconds;       /* per rule: what it took */
    size_t cursor;              /* rules done in the round under way */
    int64_t round_ms;           /* that round's time, 0 when none */
    double round_seconds;
};

/* Called after each whole round of a group (the notifier's hook). */
typedef void (*ruleset_done_fn)(void *ctx, const struct ruleset_group *g);

struct ruleset;

/* An empty set: no groups, nothing ever due. */
struct ruleset *ruleset_new(void);
/* Releases the set; NULL does nothing. */
void ruleset_free(struct ruleset *rs);

/*
 * Reads every file of src afresh. When all of them load, they replace
 * the running rules: a group with the same file and name keeps its
 * schedule, timings and, rule by rule (same name and labels), its alerts
 * and series; series of rules that are gone get staleness markers at
 * now. Returns 0; or -1 with the errors, as promtool words them, in
 * errors, and the running rules untouched. A glob that matches no file
 * is said in notes (one line each) and is no error, as in Prometheus.
 */
int ruleset_load(struct ruleset *rs, const struct ruleset_source *src,
                 struct store *st, int64_t now, struct buf *errors,
                 struct buf *notes);

/* The groups, in file order then group order. */
size_t ruleset_groups(const struct ruleset *rs,
                      const struct ruleset_group **out);
/* The number of rules in every group. */
size_t ruleset_nrules(const struct ruleset *rs);

/* When a rule is due next (ms): now or earlier while a round is under
 * way; INT64_MAX without groups. */
int64_t ruleset_next_due(const struct ruleset *rs);
/*
 * Evaluates the rules that are due at now, in order, until budget_s of
 * monotonic time has gone (at least one rule runs); a round that is cut
 * goes on at the next call, at its own time. done (may be NULL) is
 * called after each whole round. Returns the rules evaluated.
 */
size_t ruleset_run(struct ruleset *rs, struct store *st, int64_t now,
                   double budget_s, ruleset_done_fn done, void *ctx);
/* Evaluates every group once at t, whatever its schedule (--once). */
void ruleset_eval_all(struct ruleset *rs, struct store *st, int64_t t);

/* The time of a group's first round after now: the next slot of its
 * interval at its offset. */
int64_t ruleset_slot_after(int64_t now, int64_t interval_ms,
                           int64_t offset_ms);

#endif
