/*
 * Rule files: decode the YAML tree into groups and rules, then validate them
 * the way Prometheus 2.42's rulefmt does, with its error texts, so promdeck
 * check rules can answer as promtool check rules does. Decoding errors stop
 * the load before validation, as in Prometheus. The templates of alerting
 * rules are parsed here (src/rules/ruletmpl.c); evaluation lives in
 * src/rules/group.c.
 */
#include "src/rules/rulefile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/rules/ruletmpl.h"

/* Validation errors wait here until decoding is known to be clean. */
#define MAX_PENDING 64

struct loader {
    const char *name;
    int64_t default_interval;
    struct rulefile_err *errs;
    size_t max, n;
    size_t nyaml;                       /* decoding errors among them */
    bool aborted;                       /* a decoder's own error ended it */
    struct rulefile_err pending[MAX_PENDING];
    size_t npending;
};

/* The keys of each level, in the order Prometheus declares them. */
static const char *const root_keys[] = { "groups", NULL };
static const char *const group_keys[] = { "name", "interval", "limit",
                                          "rules", NULL };
static const char *const rule_keys[] = { "record", "alert", "expr", "for",
                                         "keep_firing_for", "labels",
                                         "annotations", NULL };

static void
add_err(struct rulefile_err *arr, size_t max, size_t *n,
        enum rulefile_err_kind kind, const char *src, int line, int col,
        const char *fmt, va_list ap)
{
    struct rulefile_err *e;

    if (*n >= max)
        return;
    e = &arr[(*n)++];
    e->kind = kind;
    diag_clear(&e->d);
    e->d.source = src;
    e->d.line = line;
    e->d.col = col;
    e->d.span = line > 0 ? 1 : 0;
    vsnprintf(e->d.msg, sizeof(e->d.msg), fmt, ap);
}

/* A decoding error at node n (its line is what yaml.v3 reports). */
static struct diag *
yaml_err(struct loader *ld, const struct yaml_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static struct diag *
yaml_err(struct loader *ld, const struct yaml_node *n, const char *fmt, ...)
{
    va_list ap;
    size_t before = ld->n;

    if (ld->aborted)
        return NULL;
    va_start(ap, fmt);
    add_err(ld->errs, ld->max, &ld->n, RULEFILE_ERR_YAML, ld->name,
            n != NULL ? n->line : 0, n != NULL ? n->col : 0, fmt, ap);
    va_end(ap);
    ld->nyaml++;
    return ld->n > before ? &ld->errs[ld->n - 1].d : NULL;
}

/*
 * An error a field's own decoder returns (model.Duration's "not a valid
 * duration string"): yaml.v3 stops there and reports it alone, without a
 * line and without the decoding errors gathered before it.
 */
static void
decoder_err(struct loader *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
decoder_err(struct loader *ld, const char *fmt, ...)
{
    va_list ap;

    if (ld->aborted)
        return;
    ld->aborted = true;
    ld->n = 0;
    va_start(ap, fmt);
    add_err(ld->errs, ld->max, &ld->n, RULEFILE_ERR_PLAIN, ld->name, 0, 0,
            fmt, ap);
    va_end(ap);
    ld->nyaml++;
}

/* A validation error at line:col (0: none), kept until decoding is done. */
static void
rule_err(struct loader *ld, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void
rule_err(struct loader *ld, int line, int col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_err(ld->pending, MAX_PENDING, &ld->npending, RULEFILE_ERR_RULE,
            ld->name, line, col, fmt, ap);
    va_end(ap);
}

static bool
known(const char *const *keys, const char *k)
{
    for (; *keys != NULL; keys++)
        if (strcmp(*keys, k) == 0)
            return true;
    return false;
}

/* The closest known key when close enough to be a typo, else NULL. */
static const char *
suggest(const char *const *keys, const char *k)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;

    for (; *keys != NULL; keys++) {
        size_t d = diag_distance(k, *keys);

        if (d < bestd) {
            bestd = d;
            best = *keys;
        }
    }
    return bestd <= 2 || bestd * 4 <= strlen(k) ? best : NULL;
}

/*
 * Reports every key of map not in keys, in yaml.v3's words ("field x not
 * found in type T"), with a did-you-mean hint when one is near.
 */
static void
check_keys(struct loader *ld, const struct yaml_node *map,
           const char *const *keys, const char *type)
{
    for (size_t i = 0; i < yaml_map_size(map); i++) {
        const struct yaml_node *k = yaml_map_at(map, i)->key;
        const char *key = yaml_scalar(k), *near;
        struct diag *d;

        if (key == NULL || known(keys, key))
            continue;
        d = yaml_err(ld, k, "field %s not found in type %s", key, type);
        near = suggest(keys, key);
        if (d != NULL && near != NULL)
            diag_hint(d, "did you mean '%s'?", near);
    }
}

/* yaml.v3's tag for a node, as its type errors name it. */
static const char *
tag_of(const struct yaml_node *n)
{
    if (yaml_is_map(n))
        return "!!map";
    return yaml_is_seq(n) ? "!!seq" : "!!str";
}

/* A string field: any scalar (null is ""); NULL after an error. */
static const char *
get_str(struct loader *ld, const struct yaml_node *n)
{
    if (n == NULL || yaml_is_null(n))
        return "";
    if (!yaml_is_scalar(n)) {
        yaml_err(ld, n, "cannot unmarshal %s into string", tag_of(n));
        return NULL;
    }
    return yaml_scalar(n);
}

/* A duration field (absent or null: 0); -1 after an error. */
static int
get_dur(struct loader *ld, const struct yaml_node *n, int64_t *ms)
{
    const char *s;

    *ms = 0;
    if (n == NULL || yaml_is_null(n))
        return 0;
    if (!yaml_is_scalar(n)) {
        yaml_err(ld, n, "cannot unmarshal %s into model.Duration",
                 tag_of(n));
        return -1;
    }
    s = yaml_scalar(n);
    if (duration_parse(s, strlen(s), ms) == 0)
        return 0;
    decoder_err(ld, "not a valid duration string: \"%s\"", yaml_scalar(n));
    return -1;
}

/* A map of string to string (labels, annotations) into an owned set. */
static void
get_labels(struct loader *ld, const struct yaml_node *n, struct labels *out)
{
    if (n == NULL || yaml_is_null(n))
        return;
    if (!yaml_is_map(n)) {
        yaml_err(ld, n, "cannot unmarshal %s into map[string]string",
                 tag_of(n));
        return;
    }
    for (size_t i = 0; i < yaml_map_size(n); i++) {
        const struct yaml_pair *p = yaml_map_at(n, i);
        const char *k = get_str(ld, p->key), *v = get_str(ld, p->value);

        if (k != NULL && v != NULL)
            labels_put(out, k, v);
    }
}

bool
rulefile_valid_metric_name(const char *s)
{
    if (*s == '\0')
        return false;
    for (const char *c = s; *c != '\0'; c++) {
        bool alpha = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     *c == '_' || *c == ':';

        if (!alpha && !(c > s && *c >= '0' && *c <= '9'))
            return false;
    }
    return true;
}

bool
rulefile_valid_label_name(const char *s)
{
    return strchr(s, ':') == NULL && rulefile_valid_metric_name(s);
}

void
rulefile_expr_error(const struct diag *d, struct buf *out)
{
    const char *tail = ", found end of input";
    size_t ml = strlen(d->msg), tl = strlen(tail);

    buf_printf(out, "%d:%d: parse error: ", d->line, d->col);
    if (ml >= tl && strcmp(d->msg + ml - tl, tail) == 0)
        buf_puts(out, "unexpected end of input");
    else
        buf_puts(out, d->msg);
}

/* Validation of one rule, in rulefmt's order and words. */
struct rule_nodes {
    const struct yaml_node *map, *record, *alert, *expr;
    const char *group;
    size_t index;                       /* 1-based */
};

/* rule_err with the group/rule prefix Prometheus puts on rule errors. */
static void
rule_msg(struct loader *ld, const struct rule_nodes *rn,
         const struct rule_def *r, const struct yaml_node *at,
         const char *alt, const char *msg)
{
    rule_err(ld, at != NULL ? at->line : 0, at != NULL ? at->col : 0,
             "%sgroup \"%s\", rule %zu, \"%s\": %s", alt, rn->group,
             rn->index, r->name, msg);
}

/* "L:C: " of the alert node, the second position of record/alert errors. */
static void
alt_pos(const struct yaml_node *n, char *out, size_t size)
{
    snprintf(out, size, "%d:%d: ", n != NULL ? n->line : 0,
             n != NULL ? n->col : 0);
}

/* Compiles expr, or reports why not at the expr node. */
static void
validate_expr(struct loader *ld, const struct rule_nodes *rn,
              struct rule_def *r)
{
    struct diag d;
    struct buf msg;

    if (*r->expr == '\0') {
        rule_msg(ld, rn, r, rn->expr, "", "field 'expr' must be set in rule");
        return;
    }
    diag_clear(&d);
    r->query = qparse_query(r->expr, strlen(r->expr), &d);
    if (r->query != NULL)
        return;
    buf_init(&msg, 0);
    buf_puts(&msg, "could not parse expression: ");
    rulefile_expr_error(&d, &msg);
    rule_msg(ld, rn, r, rn->expr, "", buf_str(&msg));
    buf_fini(&msg);
}

/* The checks on record, alert, expr and for (rulefmt's Rule.Validate). */
static void
validate_kind(struct loader *ld, const struct rule_nodes *rn,
              struct rule_def *r, const char *record, const char *alert,
              const struct yaml_node *fornode,
              const struct yaml_node *kffnode)
{
    char alt[32];
    const struct yaml_node *at = rn->record != NULL ? rn->record : rn->map;

    alt_pos(rn->alert, alt, sizeof(alt));
    if (*record != '\0' && *alert != '\0')
        rule_msg(ld, rn, r, at, alt,
                 "only one of 'record' and 'alert' must be set");
    if (*record == '\0' && *alert == '\0')
        rule_msg(ld, rn, r, at, alt,
                 "one of 'record' or 'alert' must be set");
    validate_expr(ld, rn, r);
    if (*record == '\0')
        return;
    if (r->annotations.n > 0)
        rule_msg(ld, rn, r, rn->record, "",
                 "invalid field 'annotations' in recording rule");
    if (fornode != NULL && r->for_ms != 0)
        rule_msg(ld, rn, r, rn->record, "",
                 "invalid field 'for' in recording rule");
    if (kffnode != NULL && r->keep_firing_for_ms != 0)
        rule_msg(ld, rn, r, rn->record, "",
                 "invalid field 'keep_firing_for' in recording rule");
    if (!rulefile_valid_metric_name(record)) {
        char msg[300];

        snprintf(msg, sizeof(msg), "invalid recording rule name: %s",
                 record);
        rule_msg(ld, rn, r, rn->record, "", msg);
    }
}

/* Label and annotation names. */
static void
validate_names(struct loader *ld, const struct rule_nodes *rn,
               struct rule_def *r)
{
    char msg[300];

    for (size_t i = 0; i < r->labels.n; i++) {
        const char *k = r->labels.v[i].name;

        if (rulefile_valid_label_name(k) && strcmp(k, LABEL_METRIC_NAME) != 0)
            continue;
        snprintf(msg, sizeof(msg), "invalid label name: %s", k);
        rule_msg(ld, rn, r, NULL, "", msg);
    }
    for (size_t i = 0; i < r->annotations.n; i++) {
        const char *k = r->annotations.v[i].name;

        if (rulefile_valid_label_name(k))
            continue;
        snprintf(msg, sizeof(msg), "invalid annotation name: %s", k);
        rule_msg(ld, rn, r, NULL, "", msg);
    }
}

/*
 * Parses each template of set into *out (rulefmt's testTemplateParsing);
 * what is the word its errors use: "label" or "annotation". The errors
 * carry no position, as promtool prints them; the hint says where the
 * value is.
 */
static void
parse_templates(struct loader *ld, const struct rule_nodes *rn,
                const struct rule_def *r, const struct labels *set,
                const struct yaml_node *map, const char *what,
                struct tmpl ***out)
{
    char err[400], msg[512];
    struct buf key;

    *out = xcalloc(set->n + 1, sizeof(**out));
    for (size_t i = 0; i < set->n; i++) {
        const struct yaml_node *v = yaml_get(map, set->v[i].name);

        (*out)[i] = ruletmpl_parse(r->name, set->v[i].value, err,
                                   sizeof(err));
        if ((*out)[i] != NULL)
            continue;
        buf_init(&key, 0);
        labels_escape(set->v[i].name, &key);
        snprintf(msg, sizeof(msg), "%s \"%s\": %s", what, buf_str(&key),
                 err);
        buf_fini(&key);
        rule_msg(ld, rn, r, NULL, "", msg);
        if (v != NULL && ld->npending > 0)
            diag_hint(&ld->pending[ld->npending - 1].d,
                      "the %s's value is at line %d, column %d", what,
                      v->line, v->col);
    }
}

/* Decodes one rule mapping into r, then validates it. */
static void
load_rule(struct loader *ld, const struct yaml_node *n, const char *group,
          size_t index, struct rule_def *r)
{
    struct rule_nodes rn = { n, yaml_get(n, "record"), yaml_get(n, "alert"),
                             yaml_get(n, "expr"), group, index };
    const char *record, *alert, *expr;
    const struct yaml_node *fornode = yaml_get(n, "for");
    const struct yaml_node *kffnode = yaml_get(n, "keep_firing_for");
    size_t before = ld->nyaml;

    r->line = n->line;
    r->col = n->col;
    check_keys(ld, n, rule_keys, "rulefmt.Rule");
    record = get_str(ld, rn.record);
    alert = get_str(ld, rn.alert);
    expr = get_str(ld, rn.expr);
    get_dur(ld, fornode, &r->for_ms);
    get_dur(ld, kffnode, &r->keep_firing_for_ms);
    get_labels(ld, yaml_get(n, "labels"), &r->labels);
    get_labels(ld, yaml_get(n, "annotations"), &r->annotations);
    labels_sort(&r->labels);
    labels_sort(&r->annotations);
    if (ld->nyaml > before || record == NULL || alert == NULL || expr == NULL)
        return;
    r->kind = *alert != '\0' ? RULE_ALERT : RULE_RECORD;
    r->name = xstrdup(*alert != '\0' ? alert : record);
    r->expr = xstrdup(expr);
    validate_kind(ld, &rn, r, record, alert, fornode, kffnode);
    validate_names(ld, &rn, r);
    if (r->kind != RULE_ALERT)
        return;
    parse_templates(ld, &rn, r, &r->labels, yaml_get(n, "labels"), "label",
                    &r->label_tmpls);
    parse_templates(ld, &rn, r, &r->annotations, yaml_get(n, "annotations"),
                    "annotation", &r->annotation_tmpls);
}

/* Decodes a group's rules sequence into g. */
static void
load_rules(struct loader *ld, const struct yaml_node *n,
           struct rule_group_def *g)
{
    if (n == NULL || yaml_is_null(n))
        return;
    if (!yaml_is_seq(n)) {
        yaml_err(ld, n, "cannot unmarshal %s into []rulefmt.RuleNode",
                 tag_of(n));
        return;
    }
    g->rules = xcalloc(yaml_seq_size(n) + 1, sizeof(*g->rules));
    for (size_t i = 0; i < yaml_seq_size(n); i++) {
        const struct yaml_node *r = yaml_seq_at(n, i);

        if (!yaml_is_map(r)) {
            yaml_err(ld, r, "cannot unmarshal %s into rulefmt.Rule",
                     tag_of(r));
            continue;
        }
        load_rule(ld, r, g->name, i + 1, &g->rules[g->nrules++]);
    }
}

/* Decodes and validates one group; seen holds the earlier names. */
static void
load_group(struct loader *ld, const struct yaml_node *n,
           struct rule_group_def *g, struct rulefile *rf)
{
    const char *name;
    const struct yaml_node *lim = yaml_get(n, "limit");
    struct diag d;

    g->line = n->line;
    g->col = n->col;
    check_keys(ld, n, group_keys, "rulefmt.RuleGroup");
    name = get_str(ld, yaml_get(n, "name"));
    g->name = xstrdup(name != NULL ? name : "");
    if (get_dur(ld, yaml_get(n, "interval"), &g->interval_ms) == 0 &&
        g->interval_ms == 0)
        g->interval_ms = ld->default_interval;
    diag_clear(&d);
    if (lim != NULL && !yaml_is_null(lim) &&
        yaml_get_int(lim, &g->limit, &d) != 0)
        yaml_err(ld, lim, "cannot unmarshal %s `%s` into int", tag_of(lim),
                 yaml_is_scalar(lim) ? yaml_scalar(lim) : "");
    if (*g->name == '\0')
        rule_err(ld, n->line, n->col, "Groupname must not be empty");
    for (size_t i = 0; i < rf->ngroups; i++)
        if (strcmp(rf->groups[i].name, g->name) == 0) {
            rule_err(ld, n->line, n->col,
                     "groupname: \"%s\" is repeated in the same file",
                     g->name);
            break;
        }
    load_rules(ld, yaml_get(n, "rules"), g);
}

/* The document: a mapping with one key, groups. */
static void
load_root(struct loader *ld, const struct yaml_node *root,
          struct rulefile *rf)
{
    const struct yaml_node *gs;

    if (yaml_is_null(root))
        return;
    if (!yaml_is_map(root)) {
        yaml_err(ld, root, "cannot unmarshal %s into rulefmt.RuleGroups",
                 tag_of(root));
        return;
    }
    check_keys(ld, root, root_keys, "rulefmt.RuleGroups");
    gs = yaml_get(root, "groups");
    if (gs == NULL || yaml_is_null(gs))
        return;
    if (!yaml_is_seq(gs)) {
        yaml_err(ld, gs, "cannot unmarshal %s into []rulefmt.RuleGroup",
                 tag_of(gs));
        return;
    }
    rf->groups = xcalloc(yaml_seq_size(gs) + 1, sizeof(*rf->groups));
    for (size_t i = 0; i < yaml_seq_size(gs); i++) {
        const struct yaml_node *g = yaml_seq_at(gs, i);

        if (!yaml_is_map(g)) {
            yaml_err(ld, g, "cannot unmarshal %s into rulefmt.RuleGroup",
                     tag_of(g));
            continue;
        }
        /* Counted before loading so a repeated name finds only earlier
         * groups. */
        load_group(ld, g, &rf->groups[rf->ngroups], rf);
        rf->ngroups++;
    }
}

/* Decodes the tree; NULL when anything was wrong (errors in ld). */
static struct rulefile *
load_tree(struct loader *ld, const struct yaml_node *root)
{
    struct rulefile *rf = xcalloc(1, sizeof(*rf));

    load_root(ld, root, rf);
    if (ld->nyaml == 0)
        for (size_t i = 0; i < ld->npending && ld->n < ld->max; i++)
            ld->errs[ld->n++] = ld->pending[i];
    if (ld->n == 0 && ld->nyaml == 0 && ld->npending == 0)
        return rf;
    rulefile_free(rf);
    return NULL;
}

static struct rulefile *
load(struct loader *ld, struct yaml_node *root, const struct diag *yd)
{
    struct rulefile *rf;

    if (root == NULL) {
        if (ld->max > 0) {
            ld->errs[0].kind = RULEFILE_ERR_PLAIN;
            ld->errs[0].d = *yd;
            ld->errs[0].d.source = ld->name;
            ld->n = 1;
        }
        return NULL;
    }
    rf = load_tree(ld, root);
    yaml_tree_free(root);
    return rf;
}

struct rulefile *
rulefile_load(const char *path, int64_t default_interval_ms,
              struct rulefile_err *errs, size_t maxerrs, size_t *nerrs)
{
    struct loader *ld = xcalloc(1, sizeof(*ld));
    struct rulefile *rf;
    struct diag d;

    ld->name = path;
    ld->default_interval = default_interval_ms;
    ld->errs = errs;
    ld->max = maxerrs;
    diag_clear(&d);
    rf = load(ld, yaml_load_file(path, &d), &d);
    *nerrs = ld->n;
    free(ld);
    return rf;
}

struct rulefile *
rulefile_load_buf(const char *name, const char *text, size_t len,
                  int64_t default_interval_ms, struct rulefile_err *errs,
                  size_t maxerrs, size_t *nerrs)
{
    struct loader *ld = xcalloc(1, sizeof(*ld));
    struct rulefile *rf;
    struct diag d;

    ld->name = name;
    ld->default_interval = default_interval_ms;
    ld->errs = errs;
    ld->max = maxerrs;
    diag_clear(&d);
    rf = load(ld, yaml_load_buf(name, text, len, &d), &d);
    *nerrs = ld->n;
    free(ld);
    return rf;
}

void
rulefile_free(struct rulefile *rf)
{
    if (rf == NULL)
        return;
    for (size_t i = 0; i < rf->ngroups; i++) {
        struct rule_group_def *g = &rf->groups[i];

        for (size_t j = 0; j < g->nrules; j++) {
            free(g->rules[j].name);
            free(g->rules[j].expr);
            qparse_free(g->rules[j].query);
            for (size_t k = 0; g->rules[j].label_tmpls != NULL &&
                               k < g->rules[j].labels.n; k++)
                tmpl_free(g->rules[j].label_tmpls[k]);
            for (size_t k = 0; g->rules[j].annotation_tmpls != NULL &&
                               k < g->rules[j].annotations.n; k++)
                tmpl_free(g->rules[j].annotation_tmpls[k]);
            free(g->rules[j].label_tmpls);
            free(g->rules[j].annotation_tmpls);
            labels_release(&g->rules[j].labels);
            labels_release(&g->rules[j].annotations);
        }
        free(g->rules);
        free(g->name);
    }
    free(rf->groups);
    free(rf);
}

size_t
rulefile_nrules(const struct rulefile *rf)
{
    size_t n = 0;

    for (size_t i = 0; i < rf->ngroups; i++)
        n += rf->groups[i].nrules;
    return n;
}

void
rulefile_errors_text(const char *path, const struct rulefile_err *errs,
                     size_t n, struct buf *out)
{
    bool yaml_head = false;

    for (size_t i = 0; i < n; i++) {
        const struct diag *d = &errs[i].d;

        if (errs[i].kind == RULEFILE_ERR_YAML) {
            if (!yaml_head)
                buf_printf(out, "%s: yaml: unmarshal errors:\n", path);
            yaml_head = true;
            buf_printf(out, "  line %d: %s\n", d->line, d->msg);
            if (d->hint[0] != '\0')
                buf_printf(out, "    hint: %s\n", d->hint);
        } else if (errs[i].kind == RULEFILE_ERR_PLAIN && d->line > 0) {
            /* A YAML syntax error, as yaml.v3 words it. */
            buf_printf(out, "%s: yaml: line %d: %s\n", path, d->line,
                       d->msg);
        } else if (errs[i].kind == RULEFILE_ERR_PLAIN || d->line == 0) {
            buf_printf(out, "%s: %s\n", path, d->msg);
        } else {
            buf_printf(out, "%s: %d:%d: %s\n", path, d->line, d->col,
                       d->msg);
        }
    }
}
