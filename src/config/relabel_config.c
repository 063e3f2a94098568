/*
 * relabel_configs and metric_relabel_configs as Prometheus 2.42's
 * relabel.Config decodes them (yaml.v2, strict): known keys only, null
 * values as Go's zero values, then the checks of scrape/relabel.c. It does
 * not read the surrounding scrape config.
 */
#include "src/config/relabel_config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/base/xalloc.h"

/* Where errors go: the caller's array, and whether any happened. */
struct errs {
    struct diag *v;
    size_t max;
    size_t *n;
    bool any;
};

/* Records an error at node n with the message in d; returns -1. */
static int
report(struct errs *e, const struct yaml_node *n, const struct diag *d)
{
    e->any = true;
    if (*e->n >= e->max)
        return -1;
    e->v[*e->n] = *d;
    e->v[*e->n].source = n->source;
    e->v[*e->n].line = n->line;
    e->v[*e->n].col = n->col;
    e->v[*e->n].span = yaml_is_scalar(n) && n->u.scalar.len > 0
                       ? (int)n->u.scalar.len : 1;
    (*e->n)++;
    return -1;
}

/* Records a message at node n; returns -1. */
static int
reportf(struct errs *e, const struct yaml_node *n, const char *msg,
        const char *hint)
{
    struct diag d;

    diag_clear(&d);
    diag_set(&d, 0, 0, 0, "%s", msg);
    if (hint != NULL)
        diag_hint(&d, "%s", hint);
    return report(e, n, &d);
}

/* The YAML 1.1 tag yaml.v2 resolves a scalar to, for its messages. */
static const char *
scalar_tag(const struct yaml_node *n)
{
    static const char *const bools[] = { "true", "false", "yes", "no", "on",
                                         "off", "y", "n" };
    const char *s = yaml_scalar(n);
    char *end;

    if (n->u.scalar.quoted || *s == '\0')
        return "str";
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
        if (strcasecmp(s, bools[i]) == 0)
            return "bool";
    }
    (void)strtoll(s, &end, 0);
    if (*end == '\0')
        return "int";
    (void)strtod(s, &end);
    return *end == '\0' ? "float" : "str";
}

/* yaml.v2's message for a value of the wrong kind. */
static int
cannot_unmarshal(struct errs *e, const struct yaml_node *n, const char *into)
{
    char *msg;

    if (yaml_is_scalar(n))
        msg = xasprintf("cannot unmarshal !!%s `%.60s` into %s",
                        scalar_tag(n), yaml_scalar(n), into);
    else
        msg = xasprintf("cannot unmarshal !!%s into %s",
                        yaml_is_seq(n) ? "seq" : "map", into);
    reportf(e, n, msg, NULL);
    free(msg);
    return -1;
}

/* A string field: null is "" as in Go; -1 for a list or a mapping. */
static int
get_str(struct errs *e, const struct yaml_node *n, const char **out)
{
    if (yaml_is_null(n)) {
        *out = "";
        return 0;
    }
    if (!yaml_is_scalar(n))
        return cannot_unmarshal(e, n, "string");
    *out = yaml_scalar(n);
    return 0;
}

/* modulus: an unquoted unsigned integer; null is 0. */
static int
get_modulus(struct errs *e, const struct yaml_node *n, uint64_t *out)
{
    const char *s = yaml_scalar(n);
    struct diag d;
    int64_t v;

    if (yaml_is_null(n)) {
        *out = 0;
        return 0;
    }
    if (s != NULL && !n->u.scalar.quoted && s[0] >= '0' && s[0] <= '9'
        && strspn(s, "0123456789") == strlen(s)) {
        char *end;

        errno = 0;
        *out = strtoull(s, &end, 10);
        if (errno == 0)
            return 0;
    } else if (yaml_get_int(n, &v, &d) == 0 && v >= 0) {
        *out = (uint64_t)v;
        return 0;
    }
    return cannot_unmarshal(e, n, "uint64");
}

/*
 * source_labels := null | '[' label_name* ']'
 * The names are collected into *names (the caller frees the array, not
 * the strings, which belong to the tree).
 */
static int
get_sources(struct errs *e, const struct yaml_node *n, const char ***names,
            size_t *count)
{
    size_t len = yaml_seq_size(n);
    int rc = 0;

    *names = NULL;
    *count = 0;
    if (yaml_is_null(n))
        return 0;
    if (!yaml_is_seq(n))
        return cannot_unmarshal(e, n, "model.LabelNames");
    *names = xcalloc(len + 1, sizeof(char *));
    for (size_t i = 0; i < len; i++) {
        const struct yaml_node *item = yaml_seq_at(n, i);
        const char *s = yaml_is_null(item) ? "" : yaml_scalar(item);

        if (s == NULL) {
            rc = cannot_unmarshal(e, item, "model.LabelName");
        } else if (!relabel_name_valid(s)) {
            struct buf q;
            char *msg;

            buf_init(&q, 0);
            relabel_quote(&q, s, strlen(s));
            msg = xasprintf("%s is not a valid label name", buf_str(&q));
            rc = reportf(e, item, msg, NULL);
            free(msg);
            buf_fini(&q);
        }
        (*names)[(*count)++] = s;
    }
    return rc;
}

/* action: a known action name in any case; null leaves it empty. */
static int
get_action(struct errs *e, const struct yaml_node *n,
           struct relabel_spec *spec, bool *empty)
{
    const char *s = NULL;

    if (yaml_is_null(n)) {
        *empty = true;
        return 0;
    }
    if (get_str(e, n, &s) < 0)
        return -1;
    if (relabel_action_parse(s, &spec->action) < 0) {
        struct buf q;
        char *msg;

        buf_init(&q, 0);
        relabel_quote(&q, s, strlen(s));
        msg = xasprintf("unknown relabel action %s", buf_str(&q));
        reportf(e, n, msg, "the actions are replace, keep, drop, keepequal,"
                " dropequal, hashmod, labelmap, labeldrop, labelkeep,"
                " lowercase and uppercase");
        free(msg);
        buf_fini(&q);
        return -1;
    }
    return 0;
}

/* Reads one key of a rule into spec; -1 after reporting an error. */
static int
get_field(struct errs *e, const struct yaml_pair *p, struct relabel_spec *spec,
          const char ***names, bool *no_action, const struct yaml_node **re)
{
    const char *k = yaml_scalar(p->key);
    const struct yaml_node *v = p->value;

    if (k != NULL && strcmp(k, "source_labels") == 0)
        return get_sources(e, v, names, &spec->nsource);
    if (k != NULL && strcmp(k, "separator") == 0)
        return get_str(e, v, &spec->separator);
    if (k != NULL && strcmp(k, "regex") == 0) {
        *re = v;
        return get_str(e, v, &spec->regex);
    }
    if (k != NULL && strcmp(k, "modulus") == 0)
        return get_modulus(e, v, &spec->modulus);
    if (k != NULL && strcmp(k, "target_label") == 0)
        return get_str(e, v, &spec->target_label);
    if (k != NULL && strcmp(k, "replacement") == 0)
        return get_str(e, v, &spec->replacement);
    if (k != NULL && strcmp(k, "action") == 0)
        return get_action(e, v, spec, no_action);
    {
        char *msg = xasprintf("field %.60s not found in type relabel.plain",
                              k ? k : "?");

        reportf(e, p->key, msg, "the keys of a relabel config are "
                "source_labels, separator, regex, modulus, target_label, "
                "replacement and action");
        free(msg);
    }
    return -1;
}

/*
 * rule := '{' (source_labels | separator | regex | modulus | target_label
 *             | replacement | action)* '}'
 * Adds the compiled rule to rs; -1 after reporting its errors.
 */
static int
parse_rule(struct errs *e, const struct yaml_node *n, const char *what,
           struct relabel_rules *rs)
{
    struct relabel_spec spec;
    const struct yaml_node *re = NULL;
    const char **names = NULL;
    bool no_action = false;
    struct diag d;
    int rc = 0;

    if (yaml_is_null(n)) {
        char *msg = xasprintf("empty or null %s", what);

        reportf(e, n, msg, NULL);
        free(msg);
        return -1;
    }
    if (!yaml_is_map(n))
        return cannot_unmarshal(e, n, "relabel.plain");
    relabel_spec_init(&spec);
    for (size_t i = 0; i < yaml_map_size(n); i++) {
        if (get_field(e, yaml_map_at(n, i), &spec, &names, &no_action,
                      &re) < 0)
            rc = -1;
    }
    spec.source_labels = names;
    diag_clear(&d);
    if (rc == 0 && no_action) {
        rc = reportf(e, n, "relabel action cannot be empty", NULL);
    } else if (rc == 0 && relabel_rules_add(rs, &spec, &d) < 0) {
        /* A bad pattern is the regex's fault; any other check the rule's. */
        rc = report(e, re != NULL && strncmp(d.msg, "error parsing regexp",
                                             20) == 0 ? re : n, &d);
    }
    free(names);
    return rc;
}

int
config_relabel_parse(const struct yaml_node *seq, const char *what,
                     struct relabel_rules **out, struct diag *errs,
                     size_t maxerrs, size_t *nerrs)
{
    struct errs e = { errs, maxerrs, nerrs, false };
    struct relabel_rules *rs = relabel_rules_new();

    *out = NULL;
    if (seq != NULL && !yaml_is_null(seq)) {
        if (!yaml_is_seq(seq)) {
            cannot_unmarshal(&e, seq, "[]*relabel.Config");
        } else {
            for (size_t i = 0; i < yaml_seq_size(seq); i++)
                parse_rule(&e, yaml_seq_at(seq, i), what, rs);
        }
    }
    if (e.any) {
        relabel_rules_free(rs);
        return -1;
    }
    *out = rs;
    return 0;
}
