/*
 * Relabelling with Prometheus 2.42's semantics (model/relabel): compiled
 * rules applied in order to a label set held in a small builder. Used for
 * relabel_configs on targets and metric_relabel_configs on series. Pure:
 * no I/O, no config parsing (src/config/relabel_config.c turns YAML into specs).
 *
 * Ownership: relabel_rules_new and relabel_builder_new return objects the
 * caller releases with the matching _free. A spec is borrowed by
 * relabel_rules_add, which copies what it keeps. The builder owns copies of
 * every name and value it holds; a string or view it returns stays valid
 * until the next call that changes that builder. Rules keep compiled
 * regexes with their own match data, so one rule list must not be applied
 * from two threads at once.
 */
#ifndef SCRAPE_RELABEL_H
#define SCRAPE_RELABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "src/base/diag.h"
#include "store/labels.h"

/* ORDER relabel_action: the same order as relabel_action_names. */
enum relabel_action {
    RELABEL_REPLACE,
    RELABEL_KEEP,
    RELABEL_DROP,
    RELABEL_KEEPEQUAL,
    RELABEL_DROPEQUAL,
    RELABEL_HASHMOD,
    RELABEL_LABELMAP,
    RELABEL_LABELDROP,
    RELABEL_LABELKEEP,
    RELABEL_LOWERCASE,
    RELABEL_UPPERCASE,
    RELABEL_ACTION_COUNT
};

/*
 * One rule as a config writes it. NULL strings mean "not given" (the
 * default applies: separator ";", regex "(.*)", replacement "$1", no
 * target label); source_labels NULL means the key was absent or null,
 * which labeldrop and labelkeep distinguish from an empty list.
 */
struct relabel_spec {
    enum relabel_action action;
    const char *const *source_labels;
    size_t nsource;
    const char *separator;
    const char *regex;
    uint64_t modulus;
    const char *target_label;
    const char *replacement;
};

struct relabel_rules;
struct relabel_builder;

/* "replace", "keep", ... for an action. */
const char *relabel_action_name(enum relabel_action a);
/* Parses an action name case-insensitively; -1 when unknown. */
int relabel_action_parse(const char *s, enum relabel_action *out);
/* True for a valid label name: [a-zA-Z_][a-zA-Z0-9_]*. */
bool relabel_name_valid(const char *s);

/*
 * Appends s[0..len) quoted as Go's %q writes it (\", \\, \n, \t, \r,
 * \xNN for control bytes and invalid UTF-8), for messages in Prometheus's
 * wording.
 */
void relabel_quote(struct buf *out, const char *s, size_t len);

/* A spec with every field "not given" and action replace. */
void relabel_spec_init(struct relabel_spec *s);

struct relabel_rules *relabel_rules_new(void);
void relabel_rules_free(struct relabel_rules *rs);
/*
 * Validates spec as Prometheus does at config load, compiles it and
 * appends it. Returns 0, or -1 with d's message set in Prometheus's
 * wording and no position (the caller knows where the rule was).
 */
int relabel_rules_add(struct relabel_rules *rs, const struct relabel_spec *spec,
                      struct diag *d);
size_t relabel_rules_count(const struct relabel_rules *rs);
/* The action of rule i (i below the count). */
enum relabel_action relabel_rules_action(const struct relabel_rules *rs,
                                         size_t i);

struct relabel_builder *relabel_builder_new(void);
void relabel_builder_free(struct relabel_builder *lb);
/* Empties the builder and keeps its memory. */
void relabel_builder_reset(struct relabel_builder *lb);
/* Sets name to a copy of value; an empty value deletes name instead. */
void relabel_builder_set(struct relabel_builder *lb, const char *name,
                         const char *value);
void relabel_builder_del(struct relabel_builder *lb, const char *name);
/* The value of name, or NULL when absent. */
const char *relabel_builder_get(const struct relabel_builder *lb,
                                const char *name);
/* The labels sorted by name; a view valid until the builder changes. */
const struct labels *relabel_builder_labels(const struct relabel_builder *lb);
/* Replaces the contents with a copy of src (its empty values skipped). */
void relabel_builder_copy(struct relabel_builder *lb,
                          const struct relabel_builder *src);

/*
 * Applies every rule in order to the set in lb. Returns false as soon as a
 * rule drops the set (lb's contents are then unspecified), true otherwise.
 */
bool relabel_apply(const struct relabel_rules *rs, struct relabel_builder *lb);
/* The same; when a rule drops the set, *dropped_by (if not NULL) gets its
 * index, so a view can say which rule dropped a target. */
bool relabel_apply_at(const struct relabel_rules *rs,
                      struct relabel_builder *lb, size_t *dropped_by);
/*
 * How many regex matches of the rules, since they were made, could not be
 * decided (src/base/regex.h). It only grows: a caller compares it around
 * relabel_apply and treats a change as an error, never as "no match".
 */
size_t relabel_rules_undecided(const struct relabel_rules *rs);
/* The error text for an undecided match, for callers to report. */
#define RELABEL_UNDECIDED_MSG \
    "a regular expression match could not be decided (too complex for " \
    "this input)"

#endif
